//! Turns the command line and the mapping into a checked plan: each section's
//! input opened, its header read, and every column the mapping names found in
//! it, before a single data row is converted.

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use regex::Regex;
use thiserror::Error;

use crate::mapping::{resolve_columns, Col, FieldMap, Mapping, MappingError, Problems, SectionMap};
use crate::source::{self, InputSpec, Opened, SourceError};

/// One section ready to read: its opened source and the columns it needs.
pub struct Planned {
    /// Index into `mapping.sections`.
    pub index: usize,
    pub opened: Opened,
    pub stop_at: Option<Regex>,
    /// The column holding the parent's id, for nested sections.
    pub parent_key: Option<usize>,
    /// The 2.2 client key column and the client rules resolved for this table.
    pub client: Option<(usize, Vec<FieldMap>)>,
}

/// Why a plan could not be made.
#[derive(Debug, Error, Diagnostic)]
pub enum PlanError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Mapping(#[from] Box<MappingError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(#[from] SourceError),
    #[error("input `{name}` has no path")]
    #[diagnostic(
        code(convert::no_path),
        help("give the file on the command line: `qload convert --mapping MAPPING FILE`")
    )]
    NoPath { name: String },
    #[error("{count} input files given, but the mapping declares {declared} input(s)")]
    #[diagnostic(
        code(convert::inputs),
        help("name each file after its input: `NAME=PATH` (inputs: {names})")
    )]
    TooManyInputs { count: usize, declared: usize, names: String },
    #[error("unknown input `{name}` in `{arg}`")]
    #[diagnostic(code(convert::unknown_input), help("the mapping's inputs are {names}"))]
    UnknownInput { name: String, arg: String, names: String },
}

/// Gives each mapping input its path: `NAME=PATH` arguments by name, plain
/// paths in the order the inputs are declared, the mapping's own paths otherwise.
pub fn input_paths(
    mapping: &Mapping,
    args: &[String],
) -> Result<Vec<(String, PathBuf)>, PlanError> {
    let names =
        mapping.inputs.iter().map(|i| format!("`{}`", i.name)).collect::<Vec<_>>().join(", ");
    let mut given: Vec<Option<PathBuf>> = vec![None; mapping.inputs.len()];
    let mut plain = Vec::new();
    for arg in args {
        match arg.split_once('=') {
            Some((name, path)) if !Path::new(arg).exists() => {
                let Some(i) = mapping.inputs.iter().position(|input| input.name == name) else {
                    return Err(PlanError::UnknownInput {
                        name: name.into(),
                        arg: arg.clone(),
                        names,
                    });
                };
                given[i] = Some(PathBuf::from(path));
            }
            _ => plain.push(PathBuf::from(arg)),
        }
    }
    let free: Vec<usize> = (0..given.len()).filter(|i| given[*i].is_none()).collect();
    if plain.len() > free.len() {
        return Err(PlanError::TooManyInputs { count: args.len(), declared: given.len(), names });
    }
    for (slot, path) in free.into_iter().zip(plain) {
        given[slot] = Some(path);
    }
    mapping
        .inputs
        .iter()
        .zip(given)
        .map(|(input, path)| {
            let path = path.or_else(|| input.path.as_ref().map(|p| mapping.dir.join(p)));
            path.map(|p| (input.name.clone(), p))
                .ok_or(PlanError::NoPath { name: input.name.clone() })
        })
        .collect()
}

/// Opens every section's source and resolves its columns; all unknown
/// columns are reported together, against the mapping file.
pub fn plan(mapping: &mut Mapping, paths: &[(String, PathBuf)]) -> Result<Vec<Planned>, PlanError> {
    let mut planned = Vec::new();
    let mut problems = Problems::default();
    for index in 0..mapping.sections.len() {
        let opened = match input_spec(mapping, &mapping.sections[index], paths)
            .and_then(|spec| Ok(source::open(&spec)?))
        {
            Ok(opened) => opened,
            // A mapping problem may be the cause (a wrong sheet, a wrong input): show those first.
            Err(err) => {
                return Err(mapping
                    .problems(Problems::default())
                    .err()
                    .map_or(err, PlanError::from))
            }
        };
        let input = mapping.input(&mapping.sections[index].from.value);
        let stop_at =
            mapping.sections[index].stop_at.clone().or(input.and_then(|i| i.stop_at.clone()));
        let root = mapping.sections[index].parent.is_none();
        let client = if root { client_columns(mapping, &opened, &mut problems) } else { None };
        let map = &mut mapping.sections[index];
        resolve_columns(section_columns(map), &opened.table, &mut problems);
        let parent_key = map.parent.as_ref().map(|p| p.key.index);
        planned.push(Planned { index, opened, stop_at, parent_key, client });
    }
    mapping.problems(problems)?;
    Ok(planned)
}

fn input_spec(
    mapping: &Mapping,
    map: &SectionMap,
    paths: &[(String, PathBuf)],
) -> Result<InputSpec, PlanError> {
    let name = &map.from.value;
    let input = mapping.input(name).ok_or_else(|| PlanError::NoPath { name: name.clone() })?;
    let path = paths.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone());
    Ok(InputSpec {
        path: path.ok_or_else(|| PlanError::NoPath { name: name.clone() })?,
        encoding: input.encoding.clone(),
        delimiter: input.delimiter,
        sheet: map.sheet.clone().or(input.sheet.clone()),
        header_row: map.header_row.or(input.header_row),
    })
}

/// Every column a section reads: fields, filters and the parent key.
fn section_columns(map: &mut SectionMap) -> Vec<&mut Col> {
    let mut cols: Vec<&mut Col> = Vec::new();
    for field in &mut map.fields {
        cols.extend(field.rule.columns_mut());
    }
    cols.extend(map.filters.iter_mut().map(|f| &mut f.column));
    if let Some(parent) = &mut map.parent {
        cols.push(&mut parent.key);
    }
    cols
}

/// The client key column and client rules for one table (2.2 only).
fn client_columns(
    mapping: &Mapping,
    opened: &Opened,
    problems: &mut Problems,
) -> Option<(usize, Vec<FieldMap>)> {
    let clients = mapping.clients.as_ref()?;
    let mut key = Col::new(clients.key.value.clone(), clients.key.span.clone());
    let mut fields = clients.fields.clone();
    let mut cols: Vec<&mut Col> = vec![&mut key];
    for field in &mut fields {
        cols.extend(field.rule.columns_mut());
    }
    resolve_columns(cols, &opened.table, problems);
    Some((key.index, fields))
}
