//! The mapping stage: a TOML file that says, section by section, where rows
//! come from and how each loader field is made from them. Loading checks the
//! whole file against the spec and reports every problem at once; `plan`
//! then checks the column names against the real headers.

mod error;
mod field;
mod parse;
mod section;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::Regex;

pub use error::{did_you_mean, LoadError, MappingError, Problem, Problems};

use crate::model::schema::{FieldSpec, Profile, Section};
use crate::source::{SheetRef, Table};

/// A value with the place in the mapping file it came from.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Option<Range<usize>>,
}

/// A checked mapping file.
#[derive(Debug)]
pub struct Mapping {
    /// The path as given, for messages.
    pub file: String,
    /// The file's text, for pointing at it in later errors.
    pub text: String,
    /// The directory relative input paths are read from.
    pub dir: PathBuf,
    pub loader: Loader,
    pub inputs: Vec<Input>,
    /// Sections in processing order: declarants, associates, properties,
    /// documents, transactions.
    pub sections: Vec<SectionMap>,
    /// The 2.2 grouping by client, when asked for.
    pub clients: Option<ClientsMap>,
    /// Problems found while reading, held until the columns are checked too
    /// so that everything is reported at once.
    pub pending: Problems,
}

/// The `[loader]` table: header values and delivery settings.
#[derive(Debug, Default)]
pub struct Loader {
    /// `inigPtynm`, the partner id.
    pub partner: Option<String>,
    /// The environment variable the api key is read from.
    pub api_key_env: String,
    pub environment: Option<String>,
    pub region: Option<String>,
    pub prefix: Option<String>,
    pub profile: Profile,
}

/// A named input of `[inputs.NAME]`.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub span: Option<Range<usize>>,
    /// The path from the mapping, relative to its directory; the command line may replace it.
    pub path: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<u8>,
    pub sheet: Option<SheetRef>,
    pub header_row: Option<u64>,
    pub stop_at: Option<Regex>,
}

/// How one section of the document is made.
#[derive(Debug)]
pub struct SectionMap {
    pub section: Section,
    pub span: Option<Range<usize>>,
    /// The input it reads.
    pub from: Spanned<String>,
    /// Per-section overrides of the input's sheet, header row, end marker.
    pub sheet: Option<SheetRef>,
    pub header_row: Option<u64>,
    pub stop_at: Option<Regex>,
    pub filters: Vec<Filter>,
    /// Nesting under an item of another section, by a key column.
    pub parent: Option<ParentLink>,
    pub fields: Vec<FieldMap>,
}

/// `parent = { section = "declarants", key = "Code déclarant" }`.
#[derive(Debug)]
pub struct ParentLink {
    pub section: Section,
    pub key: Col,
}

/// The 2.2 `[clients]` table: rows are grouped by the `key` column, and the
/// client block is made from the first row of each group.
#[derive(Debug)]
pub struct ClientsMap {
    pub span: Option<Range<usize>>,
    pub key: Spanned<String>,
    pub fields: Vec<FieldMap>,
}

/// A column named in the mapping, resolved against the header by `plan`.
#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub span: Option<Range<usize>>,
    /// The column's index once resolved.
    pub index: usize,
}

impl Col {
    pub(crate) fn new(name: String, span: Option<Range<usize>>) -> Col {
        Col { name, span, index: usize::MAX }
    }
}

/// A row filter: rows that fail it are left out (and counted as filtered).
#[derive(Debug, Clone)]
pub struct Filter {
    pub column: Col,
    pub test: Test,
}

/// What a filter checks on its column's text.
#[derive(Debug, Clone)]
pub enum Test {
    Matches(Regex),
    NotMatches(Regex),
    Equals(String),
    NotEquals(String),
    In(Vec<String>),
    NotEmpty,
}

/// One loader field and the rule that makes it.
#[derive(Debug, Clone)]
pub struct FieldMap {
    pub spec: &'static FieldSpec,
    pub span: Option<Range<usize>>,
    pub rule: Rule,
}

/// Where a field's raw text comes from, and how it is transformed.
#[derive(Debug, Clone)]
pub struct Rule {
    pub source: Origin,
    /// Used when the source is empty.
    pub default: Option<String>,
    /// Exact translations (`Oui` -> `O`), compared without case; a value not in
    /// the map rejects the row.
    pub map: Option<Vec<(String, String)>>,
    /// Regex rules, first match wins; no match falls back to `default`.
    pub rules: Vec<(Regex, String)>,
    /// strftime formats tried in order for text dates.
    pub dates: Vec<String>,
    /// The decimal mark of text numbers; both are accepted when absent.
    pub decimal: Option<char>,
    /// Flips the sign of an amount.
    pub negate: bool,
    /// Left-pads digits with zeros to this width (postcodes stored as numbers).
    pub pad: Option<usize>,
    /// Appends `-N`, N counting the rows that gave the same value so far
    /// (the line number within an accounting entry, for ids).
    pub sequence: bool,
}

/// The origin of a field's raw value.
#[derive(Debug, Clone)]
pub enum Origin {
    Column(Col),
    /// A constant, variables already substituted.
    Const(String),
    Template(Vec<Piece>),
    /// A stable id: a hash of these columns' texts.
    Hash {
        columns: Vec<Col>,
        prefix: String,
    },
    /// A signed amount: credit minus debit.
    DebitCredit {
        debit: Col,
        credit: Col,
    },
    /// An amount and a sense column (`D`/`C`).
    AmountSense {
        amount: Col,
        sense: Col,
        debit: Vec<String>,
        credit: Vec<String>,
    },
}

/// A piece of a template: literal text or a column's value.
#[derive(Debug, Clone)]
pub enum Piece {
    Text(String),
    Column(Col),
}

impl Rule {
    /// Every column the rule reads, for resolution against a header.
    pub fn columns_mut(&mut self) -> Vec<&mut Col> {
        match &mut self.source {
            Origin::Column(col) => vec![col],
            Origin::Const(_) => vec![],
            Origin::Template(pieces) => pieces
                .iter_mut()
                .filter_map(|p| match p {
                    Piece::Column(col) => Some(col),
                    Piece::Text(_) => None,
                })
                .collect(),
            Origin::Hash { columns, .. } => columns.iter_mut().collect(),
            Origin::DebitCredit { debit, credit } => vec![debit, credit],
            Origin::AmountSense { amount, sense, .. } => vec![amount, sense],
        }
    }
}

impl Mapping {
    /// Reads and checks a mapping file; `vars` are the `--var NAME=VALUE` of the command line.
    pub fn load(path: &Path, vars: &BTreeMap<String, String>) -> Result<Mapping, LoadError> {
        let mut mapping = Mapping::load_pending(path, vars)?;
        let pending = std::mem::take(&mut mapping.pending);
        mapping.problems(pending)?;
        Ok(mapping)
    }

    /// Reads a mapping file, keeping its problems in `pending` for the caller
    /// to report with those it finds next (only invalid TOML fails here).
    pub fn load_pending(
        path: &Path,
        vars: &BTreeMap<String, String>,
    ) -> Result<Mapping, LoadError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|source| LoadError::Io { file: file.clone(), source })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Mapping::parse(&file, text, dir, vars).map_err(LoadError::Invalid)
    }

    /// Reads mapping text; `file` names it in messages. Problems are kept in `pending`.
    pub fn parse(
        file: &str,
        text: String,
        dir: PathBuf,
        vars: &BTreeMap<String, String>,
    ) -> Result<Mapping, Box<MappingError>> {
        parse::mapping(file, text, dir, vars)
    }

    /// The input a section reads.
    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.name == name)
    }

    /// The section map for `section`, if the mapping has one.
    pub fn section(&self, section: Section) -> Option<&SectionMap> {
        self.sections.iter().find(|s| s.section == section)
    }

    /// Reports the pending problems and `more` (columns missing from a
    /// header) together, against the mapping's text.
    pub fn problems(&mut self, more: Problems) -> Result<(), Box<MappingError>> {
        let mut all = std::mem::take(&mut self.pending);
        all.list.extend(more.list);
        all.into_result(&self.file, &self.text)
    }
}

/// Resolves every column of `fields`, filters and parent key against a header;
/// an unknown column is a problem pointing at its name in the mapping, with
/// the closest header as a hint.
pub fn resolve_columns<'a>(
    cols: impl IntoIterator<Item = &'a mut Col>,
    table: &Table,
    problems: &mut Problems,
) {
    for col in cols {
        match table.column(&col.name) {
            Some(index) => col.index = index,
            None => {
                let place = match &table.sheet {
                    Some(sheet) => format!("sheet `{sheet}` of `{}`", table.file),
                    None => format!("`{}`", table.file),
                };
                let help = did_you_mean(&col.name, table.columns.iter().map(String::as_str))
                    .or_else(|| Some(format!("the columns are {}", quoted_list(&table.columns))));
                problems.add_help(
                    col.span.clone(),
                    format!("unknown column `{}` in {place}", col.name),
                    "no such column",
                    help,
                );
            }
        }
    }
}

/// `a`, `b`, `c` in backticks, shortened when long.
pub fn quoted_list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().take(12).map(|c| format!("`{c}`")).collect();
    let more = items.len().saturating_sub(12);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
