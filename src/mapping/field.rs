//! One loader field's rule: `ref = "Libellé"`, or an inline table naming the
//! origin (column, constant, template, hash, debit/credit, amount/sense,
//! variable) and the transformations (default, map, rules, date, decimal...).

use std::ops::Range;

use chrono::format::{Item as Fmt, StrftimeItems};
use toml_edit::{Item, TableLike};

use super::parse::Walk;
use super::{did_you_mean, Col, Origin, Piece, Rule};

const ORIGINS: &[&str] = &["column", "const", "template", "hash", "debit", "amount", "var"];
const FIELD_KEYS: &[&str] = &[
    "column",
    "const",
    "template",
    "hash",
    "prefix",
    "debit",
    "credit",
    "amount",
    "sense",
    "debit_values",
    "credit_values",
    "var",
    "default",
    "map",
    "rules",
    "date",
    "decimal",
    "negate",
    "pad",
    "sequence",
];

/// The field being read: its key and where its value sits.
pub(super) struct FieldCtx<'a> {
    pub key: &'a str,
    pub span: Option<Range<usize>>,
}

/// Reads one field's rule; problems go to the walker.
pub(super) fn field_rule(walk: &mut Walk, item: &Item, ctx: &FieldCtx) -> Option<Rule> {
    if let Some(column) = item.as_str() {
        return Some(plain(Origin::Column(Col::new(column.to_string(), item.span()))));
    }
    let Some(table) = item.as_table_like() else {
        let help = Some("write a column name, or a table such as `{ column = \"...\" }`".into());
        let message = format!("field `{}` must be a column name or a table", ctx.key);
        walk.problems.add_help(ctx.span.clone(), message, "not a rule", help);
        return None;
    };
    walk.keys(table, FIELD_KEYS, &format!("field `{}`", ctx.key));
    let origin = origin(walk, table, ctx)?;
    let mut rule = plain(origin);
    rule.default = table.get("default").and_then(|i| scalar_text(walk, i, "`default`"));
    rule.map = table.get("map").and_then(|i| value_map(walk, i));
    rule.rules = table.get("rules").map(|i| regex_rules(walk, i)).unwrap_or_default();
    rule.dates = table.get("date").map(|i| date_formats(walk, i)).unwrap_or_default();
    rule.decimal = table.get("decimal").and_then(|i| decimal_mark(walk, i));
    rule.negate = table.get("negate").and_then(Item::as_bool).unwrap_or(false);
    rule.pad = table.get("pad").and_then(|i| walk.positive(i, "`pad`", 1)).map(|n| n as usize);
    rule.sequence = table.get("sequence").and_then(Item::as_bool).unwrap_or(false);
    Some(rule)
}

fn plain(source: Origin) -> Rule {
    Rule {
        source,
        default: None,
        map: None,
        rules: Vec::new(),
        dates: Vec::new(),
        decimal: None,
        negate: false,
        pad: None,
        sequence: false,
    }
}

/// Exactly one origin key must be given.
fn origin(walk: &mut Walk, t: &dyn TableLike, ctx: &FieldCtx) -> Option<Origin> {
    let given: Vec<&str> = ORIGINS.iter().copied().filter(|k| t.contains_key(k)).collect();
    match given.as_slice() {
        [one] => origin_of(walk, t, one, ctx),
        [] if t.contains_key("credit") => origin_of(walk, t, "debit", ctx),
        [] if t.contains_key("default") => Some(Origin::Const(String::new())),
        [] => {
            let help = Some("give one of `column`, `const`, `template`, `hash`, `debit`+`credit`, `amount`+`sense`, `var`".into());
            let message =
                format!("field `{}` says nothing about where its value comes from", ctx.key);
            walk.problems.add_help(ctx.span.clone(), message, "no origin", help);
            None
        }
        many => {
            let message = format!("field `{}` has several origins: {}", ctx.key, many.join(", "));
            walk.problems.add(ctx.span.clone(), message, "keep one");
            None
        }
    }
}

fn origin_of(walk: &mut Walk, t: &dyn TableLike, key: &str, ctx: &FieldCtx) -> Option<Origin> {
    let col = |walk: &mut Walk, name: &str| -> Option<Col> {
        let item = t.get(name)?;
        Some(Col::new(walk.string(item, &format!("`{name}`"))?, item.span()))
    };
    let item = t.get(key)?;
    match key {
        "column" => col(walk, "column").map(Origin::Column),
        "const" => {
            let text = scalar_text(walk, item, "`const`")?;
            expand_vars(walk, &text, item.span()).map(Origin::Const)
        }
        "var" => {
            let name = walk.string(item, "`var`")?;
            variable(walk, &name, item.span()).map(Origin::Const)
        }
        "template" => template(walk, item),
        "hash" => {
            let names = walk.strings(item, "`hash`")?;
            let columns = names.into_iter().map(|n| Col::new(n, item.span())).collect();
            let prefix =
                t.get("prefix").and_then(|i| walk.string(i, "`prefix`")).unwrap_or_default();
            Some(Origin::Hash { columns, prefix })
        }
        "debit" => {
            let (debit, credit) = (col(walk, "debit"), col(walk, "credit"));
            if debit.is_none() || credit.is_none() {
                let message =
                    format!("field `{}` needs both `debit` and `credit` columns", ctx.key);
                walk.problems.add(ctx.span.clone(), message, "incomplete");
            }
            Some(Origin::DebitCredit { debit: debit?, credit: credit? })
        }
        _ => amount_sense(walk, t, ctx, col),
    }
}

fn amount_sense(
    walk: &mut Walk,
    t: &dyn TableLike,
    ctx: &FieldCtx,
    col: impl Fn(&mut Walk, &str) -> Option<Col>,
) -> Option<Origin> {
    let (amount, sense) = (col(walk, "amount"), col(walk, "sense"));
    if sense.is_none() {
        let message = format!("field `{}` gives `amount` without its `sense` column", ctx.key);
        let help = Some("add `sense = \"COLUMN\"` (the D/C column)".into());
        walk.problems.add_help(ctx.span.clone(), message, "incomplete", help);
    }
    let list = |walk: &mut Walk, key: &str, default: &str| match t.get(key) {
        Some(item) => walk.strings(item, &format!("`{key}`")).unwrap_or_default(),
        None => vec![default.to_string()],
    };
    let debit = list(walk, "debit_values", "D");
    let credit = list(walk, "credit_values", "C");
    Some(Origin::AmountSense { amount: amount?, sense: sense?, debit, credit })
}

/// A string, number or boolean written as text (`default = 0` is `"0"`).
fn scalar_text(walk: &mut Walk, item: &Item, what: &str) -> Option<String> {
    let value = item.as_value();
    match value {
        Some(toml_edit::Value::String(s)) => Some(s.value().clone()),
        Some(toml_edit::Value::Integer(i)) => Some(i.value().to_string()),
        Some(toml_edit::Value::Float(f)) => Some(f.value().to_string()),
        Some(toml_edit::Value::Boolean(b)) => Some(b.value().to_string()),
        _ => {
            walk.problems.add(
                item.span(),
                format!("{what} must be a string or a number"),
                "expected a value",
            );
            None
        }
    }
}

/// `"{Numéro} {Rue}"`: column names in braces, `{$name}` for a variable,
/// `{{` and `}}` for literal braces.
fn template(walk: &mut Walk, item: &Item) -> Option<Origin> {
    let text = walk.string(item, "`template`")?;
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => literal.push(chars.next().unwrap_or('{')),
            '}' if chars.peek() == Some(&'}') => literal.push(chars.next().unwrap_or('}')),
            '{' => {
                let name: String = chars.by_ref().take_while(|c| *c != '}').collect();
                match name.strip_prefix('$') {
                    Some(var) => literal.push_str(&variable(walk, var, item.span())?),
                    None => {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                        pieces.push(Piece::Column(Col::new(name, item.span())));
                    }
                }
            }
            other => literal.push(other),
        }
    }
    pieces.push(Piece::Text(literal));
    pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    Some(Origin::Template(pieces))
}

/// Replaces `{$name}` with the command-line variables.
fn expand_vars(walk: &mut Walk, text: &str, span: Option<Range<usize>>) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{$") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&variable(walk, &rest[start + 2..start + end], span.clone())?);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn variable(walk: &mut Walk, name: &str, span: Option<Range<usize>>) -> Option<String> {
    if let Some(value) = walk.vars.get(name) {
        return Some(value.clone());
    }
    let help = Some(format!("pass it on the command line: `--var {name}=VALUE`"));
    walk.problems.add_help(span, format!("variable `{name}` is not set"), "unset variable", help);
    None
}

fn value_map(walk: &mut Walk, item: &Item) -> Option<Vec<(String, String)>> {
    let table = walk.table(item, "`map`")?;
    let mut pairs = Vec::new();
    for (from, to) in table.iter() {
        pairs.push((from.to_string(), scalar_text(walk, to, "a `map` value")?));
    }
    Some(pairs)
}

fn regex_rules(walk: &mut Walk, item: &Item) -> Vec<(regex::Regex, String)> {
    let Some(array) = item.as_array() else {
        let message = "`rules` must be a list of `{ matches = \"...\", value = \"...\" }`".into();
        walk.problems.add(item.span(), message, "not a list");
        return Vec::new();
    };
    let mut rules = Vec::new();
    for value in array.iter() {
        let Some(rule) = value.as_inline_table() else { continue };
        let rule: &dyn TableLike = rule;
        walk.keys(rule, &["matches", "value"], "a rule");
        let regex = rule.get("matches").and_then(|i| walk.regex(i, "`matches`"));
        let to = rule.get("value").and_then(|i| scalar_text(walk, i, "`value`"));
        if let (Some(regex), Some(to)) = (regex, to) {
            rules.push((regex, to));
        } else if !(rule.contains_key("matches") && rule.contains_key("value")) {
            walk.problems.add(
                value.span(),
                "a rule needs `matches` and `value`".into(),
                "incomplete rule",
            );
        }
    }
    rules
}

/// strftime formats, each checked to parse and to hold a full date; `excel`
/// accepts Excel serial numbers.
fn date_formats(walk: &mut Walk, item: &Item) -> Vec<String> {
    let formats = match item.as_str() {
        Some(one) => vec![one.to_string()],
        None => walk.strings(item, "`date`").unwrap_or_default(),
    };
    formats.into_iter().filter(|f| check_date_format(walk, f, item.span())).collect()
}

fn check_date_format(walk: &mut Walk, format: &str, span: Option<Range<usize>>) -> bool {
    if format == "excel" {
        return true;
    }
    let items: Vec<Fmt> = StrftimeItems::new(format).collect();
    let has = |specs: &[chrono::format::Numeric]| {
        items.iter().any(|i| matches!(i, Fmt::Numeric(n, _) if specs.contains(n)))
    };
    use chrono::format::{Fixed, Numeric as N};
    let bad = items.iter().any(|i| matches!(i, Fmt::Error));
    let named_month =
        items.iter().any(|i| matches!(i, Fmt::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName)));
    let complete =
        has(&[N::Year, N::YearMod100]) && (has(&[N::Month]) || named_month) && has(&[N::Day]);
    if !bad && complete {
        return true;
    }
    let why = if bad {
        "is not a valid strftime format"
    } else {
        "does not give a year, a month and a day"
    };
    let help = Some(
        "for 31/01/2024 write `%d/%m/%Y`; for 20240131 `%Y%m%d`; for Excel serial numbers `excel`"
            .into(),
    );
    walk.problems.add_help(span, format!("date format `{format}` {why}"), "bad date format", help);
    false
}

fn decimal_mark(walk: &mut Walk, item: &Item) -> Option<char> {
    match walk.string(item, "`decimal`")?.as_str() {
        "," => Some(','),
        "." => Some('.'),
        other => {
            let help = did_you_mean(other, [",", "."])
                .or(Some("write `decimal = \",\"` or `decimal = \".\"`".into()));
            walk.problems.add_help(
                item.span(),
                format!("decimal mark `{other}` is neither `,` nor `.`"),
                "bad decimal mark",
                help,
            );
            None
        }
    }
}
