//! Guesses the loader field of each column of a table, for one section: from
//! the header's name first, then from the values (dates, emails, SIRET...),
//! and drafts each field's rule with the dialect its column needs.

use super::codes::{code_map, meaning};
use super::guess::{ColumnProfile, ColumnType, Shape};
use super::names::{field_names, normalize, score, AMOUNT, CREDIT, DEBIT, SENSE};
use super::toml::{key, string};
use crate::model::schema::{FieldSpec, Kind, Need, Profile, Section};

/// One line of `[SECTION.fields]`, with what the user should know about it.
#[derive(Debug, Clone)]
pub struct FieldLine {
    pub key: &'static str,
    /// The rule, as TOML (`"Libellé"`, `{ column = "Date", date = "%d/%m/%Y" }`).
    pub rule: String,
    /// A short comment for the end of the line.
    pub note: Option<String>,
    /// Something the user must settle, written above the line as `DECIDE:`.
    pub decide: Option<String>,
}

/// The fields drafted for a table, and the columns they use.
#[derive(Debug, Default)]
pub struct Fields {
    pub lines: Vec<FieldLine>,
    pub used: Vec<usize>,
    /// The variables the rules read (`property`).
    pub vars: Vec<String>,
}

/// Drafts the fields of `section` from `columns`, leaving out the column
/// that links rows to their parent (`parent_key`).
pub fn draft_fields(
    section: Section,
    columns: &[ColumnProfile],
    parent_key: Option<usize>,
    profile: Profile,
) -> Fields {
    let usable: Vec<&ColumnProfile> =
        columns.iter().filter(|c| !c.header.is_empty() && Some(c.index) != parent_key).collect();
    let mut fields = Fields::default();
    if section == Section::Transactions {
        if let Some((line, used)) = amount(&usable) {
            fields.lines.push(line);
            fields.used.extend(used);
        }
    }
    let specs = mappable(section, profile, parent_key.is_some());
    for (spec, column, points) in candidates(section, &specs, &usable) {
        let taken = |f: &Fields| f.used.contains(&column.index);
        let mapped = |f: &Fields| f.lines.iter().any(|l| l.key == spec.key);
        if !taken(&fields) && !mapped(&fields) {
            fields.used.push(column.index);
            fields.lines.push(rule_for(spec, column, profile, points));
        }
    }
    fill_required(section, &specs, &mut fields, columns, profile);
    let order = |key: &str| section.fields().iter().position(|f| f.key == key);
    fields.lines.sort_by_key(|line| order(line.key));
    fields
}

/// The fields a mapping may fill: not nested arrays, not 2.2-only fields
/// under 2.1, not the link the parent fills.
fn mappable(section: Section, profile: Profile, nested: bool) -> Vec<&'static FieldSpec> {
    section
        .fields()
        .iter()
        .filter(|f| f.nested.is_none() && !(f.only_v22 && profile == Profile::V21))
        .filter(|f| !(nested && matches!(f.key, "propertyId" | "declarantId")))
        .filter(|f| f.key != "amt")
        .collect()
}

/// Every (field, column) that could go together, best first: a header that
/// is a field's name, then one that holds it, then values of the right shape.
fn candidates<'c>(
    section: Section,
    specs: &[&'static FieldSpec],
    columns: &[&'c ColumnProfile],
) -> Vec<(&'static FieldSpec, &'c ColumnProfile, u8)> {
    let mut found = Vec::new();
    for column in columns {
        let header = normalize(&column.header);
        for spec in specs {
            let by_name = score(&header, field_names(section, spec.key));
            let points = if by_name > 0 { by_name } else { by_values(section, spec, column) };
            if points > 0 && fits(spec.kind, column.kind) {
                found.push((*spec, *column, points));
            }
        }
    }
    // Stable: on equal points, the earlier column and the earlier field win.
    found.sort_by_key(|(_, _, points)| std::cmp::Reverse(*points));
    found
}

/// 1 when the column's values say what the field is, without its header.
fn by_values(section: Section, spec: &FieldSpec, column: &ColumnProfile) -> u8 {
    let fits = match (column.shape, spec.key) {
        (Some(Shape::Email), "email") => true,
        (Some(Shape::Url), "fileLink") => true,
        (Some(Shape::Siren), "sirenId") => true,
        (Some(Shape::Siret), "siretId" | "ogaSiretId") => true,
        (Some(Shape::Postcode), "postCode") => true,
        (Some(Shape::Phone), "telNumber" | "phoneNumber") => true,
        (Some(Shape::Year), "year") => true,
        _ => {
            section == Section::Transactions
                && spec.key == "reqdExctnDt"
                && matches!(column.kind, ColumnType::Date(_))
        }
    };
    u8::from(fits)
}

/// Whether a column of this type can feed a field of this kind.
fn fits(kind: Kind, column: ColumnType) -> bool {
    use ColumnType as T;
    match kind {
        _ if column == T::Empty => true,
        Kind::Date => matches!(column, T::Date(_)),
        Kind::Money | Kind::Decimal => matches!(column, T::Number { .. }),
        Kind::Integer => matches!(column, T::Number { integer: true, .. }),
        Kind::Year => matches!(column, T::Number { integer: true, .. } | T::Date(_) | T::Text),
        Kind::IntCode { .. } => !matches!(column, T::Date(_)),
        _ => !matches!(column, T::Date(_)),
    }
}

/// The signed amount of a transaction: debit and credit columns, an amount
/// and its sense, or one signed amount.
fn amount(columns: &[&ColumnProfile]) -> Option<(FieldLine, Vec<usize>)> {
    let find = |names: &[&str]| {
        columns
            .iter()
            .copied()
            .find(|c| score(&normalize(&c.header), names) == 3 && fits(Kind::Money, c.kind))
    };
    let sense = columns.iter().copied().find(|c| score(&normalize(&c.header), SENSE) == 3);
    let note = "money out is negative, money in positive; `negate = true` flips them";
    let (rule, used) = match (find(DEBIT), find(CREDIT), find(AMOUNT), sense) {
        (Some(debit), Some(credit), _, _) => {
            let rule = format!(
                "{{ debit = {}, credit = {}{} }}",
                string(&debit.header),
                string(&credit.header),
                decimal(&[debit, credit])
            );
            (rule, vec![debit.index, credit.index])
        }
        (_, _, Some(amount), Some(sense)) => {
            let values: Vec<String> = sense.distinct.iter().map(|v| string(v)).collect();
            let rule = format!(
                "{{ amount = {}, sense = {}{} }}",
                string(&amount.header),
                string(&sense.header),
                decimal(&[amount])
            );
            let decide = format!(
                "the sense column holds {}: `D` counts as a debit, `C` as a credit \
                 (change with debit_values = [...], credit_values = [...])",
                values.join(", ")
            );
            let line = FieldLine { key: "amt", rule, note: None, decide: Some(decide) };
            return Some((line, vec![amount.index, sense.index]));
        }
        (_, _, Some(amount), None) => {
            let rule = match decimal(&[amount]) {
                "" => string(&amount.header),
                mark => format!("{{ column = {}{mark} }}", string(&amount.header)),
            };
            (rule, vec![amount.index])
        }
        _ => return None,
    };
    Some((FieldLine { key: "amt", rule, note: Some(note.into()), decide: None }, used))
}

/// `, decimal = ","` when the columns write numbers as text with a comma.
fn decimal(columns: &[&ColumnProfile]) -> &'static str {
    let comma = columns
        .iter()
        .any(|c| matches!(c.kind, ColumnType::Number { decimal: Some(','), text: true, .. }));
    if comma {
        ", decimal = \",\""
    } else {
        ""
    }
}

/// The rule for one field from one column, with the dialect the column needs.
fn rule_for(spec: &FieldSpec, column: &ColumnProfile, profile: Profile, points: u8) -> FieldLine {
    let name = string(&column.header);
    let plain = FieldLine {
        key: spec.key,
        rule: name.clone(),
        note: (points == 1).then(|| format!("guessed from its values ({})", shape_of(column))),
        decide: None,
    };
    if let Some(map) = code_map(spec, &column.distinct, profile) {
        return coded(spec, column, plain, map);
    }
    let extra = match (spec.kind, column.kind) {
        (Kind::Date, ColumnType::Date(Some(format))) => format!(", date = {}", string(format)),
        (Kind::Money | Kind::Decimal, _) => decimal(&[column]).to_string(),
        (_, ColumnType::Number { .. }) => {
            pad(spec.key).map_or(String::new(), |width| format!(", pad = {width}"))
        }
        _ => String::new(),
    };
    if extra.is_empty() {
        return plain;
    }
    FieldLine { rule: format!("{{ column = {name}{extra} }}"), ..plain }
}

fn shape_of(column: &ColumnProfile) -> String {
    column.shape.map_or_else(|| column.kind.to_string(), |s| s.to_string())
}

/// Codes typed as numbers lose their leading zeros: `1000` -> `01000`.
fn pad(key: &str) -> Option<usize> {
    match key {
        "postCode" | "nicId" => Some(5),
        "sirenId" => Some(9),
        "siretId" | "ogaSiretId" => Some(14),
        _ => None,
    }
}

/// A code field fed through a value map; values without a known code are
/// left for the user.
fn coded(
    spec: &FieldSpec,
    column: &ColumnProfile,
    plain: FieldLine,
    map: super::codes::CodeMap,
) -> FieldLine {
    let pairs: Vec<String> =
        map.pairs.iter().map(|(from, to)| format!("{} = {}", key(from), string(to))).collect();
    let rule =
        format!("{{ column = {}, map = {{ {} }} }}", string(&column.header), pairs.join(", "));
    let codes = meaning(spec.key).unwrap_or("see the spec's annexes");
    let mut decide = None;
    if !map.unknown.is_empty() {
        let unknown: Vec<String> = map.unknown.iter().map(|v| format!("`{v}`")).collect();
        decide = Some(format!(
            "no code known for {}: add them to the map (codes: {codes})",
            unknown.join(", ")
        ));
    } else if column.more {
        decide = Some(format!("the column holds more values than the map: check it ({codes})"));
    }
    FieldLine { rule, decide, ..plain }
}

/// Required fields no column holds: ids are hashed from the row, the
/// property id of a transaction or document comes from `--var property`,
/// anything else from a variable of its own name.
fn fill_required(
    section: Section,
    specs: &[&'static FieldSpec],
    fields: &mut Fields,
    columns: &[ColumnProfile],
    profile: Profile,
) {
    for spec in specs {
        let needed = spec.need(profile) == Need::Required && spec.default.is_none();
        if !needed || fields.lines.iter().any(|l| l.key == spec.key) {
            continue;
        }
        let line = match spec.key {
            "id" => hashed_id(section, fields, columns),
            "id-prty" | "propertyId" => variable(spec.key, "property", &mut fields.vars, false),
            other => variable(other, other, &mut fields.vars, true),
        };
        fields.lines.push(line);
    }
}

fn hashed_id(section: Section, fields: &Fields, columns: &[ColumnProfile]) -> FieldLine {
    let mut used: Vec<usize> = fields.used.clone();
    if used.is_empty() {
        used = columns.iter().filter(|c| !c.header.is_empty()).map(|c| c.index).collect();
    }
    used.sort_unstable();
    let names: Vec<String> = used.iter().map(|i| string(&columns[*i].header)).collect();
    let prefix = match section {
        Section::Transactions => "T-",
        Section::Declarants => "D-",
        Section::Properties => "P-",
        Section::Associates => "A-",
        Section::Documents => "DOC-",
        Section::Clients => "C-",
    };
    FieldLine {
        key: "id",
        rule: format!("{{ hash = [{}], prefix = {} }}", names.join(", "), string(prefix)),
        note: Some("stable across re-runs; identical rows get -2, -3".into()),
        decide: None,
    }
}

fn variable(key: &'static str, var: &str, vars: &mut Vec<String>, decide: bool) -> FieldLine {
    if !vars.iter().any(|v| v == var) {
        vars.push(var.to_string());
    }
    let why = format!(
        "no column holds `{key}`: it comes from `--var {var}=...`; \
         or write a column name, or {{ const = \"...\" }}"
    );
    FieldLine {
        key,
        rule: format!("{{ var = {} }}", string(var)),
        note: (!decide).then(|| format!("from the command line: --var {var}=...")),
        decide: decide.then_some(why),
    }
}
