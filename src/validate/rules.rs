//! The field rules of one object, judged on its own: required fields per
//! profile, strict JSON types, formats, code lists, and the few rules that
//! depend on where the object sits (root-level property, document, associate).

use serde_json::{Map, Value};

use super::formats::{self, shown};
use super::problem::Problem;
use super::Parent;
use crate::model::schema::{FieldSpec, Kind, Need, Profile, Section};

/// What the rules need besides the object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    pub profile: Profile,
    pub strict: bool,
    pub parent: &'a Parent,
}

/// A problem, with the JSON key at fault when there is one.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub field: Option<&'static str>,
    pub problem: Problem,
}

/// A remark that does not fail the object.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub message: String,
    pub help: Option<String>,
}

/// Everything the rules say about one object.
#[derive(Debug, Default)]
pub(crate) struct Judgement {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
}

impl Judgement {
    fn fail(&mut self, field: Option<&'static str>, problem: Problem) {
        self.findings.push(Finding { field, problem });
    }

    fn note(&mut self, message: String, help: Option<String>) {
        self.notices.push(Notice { message, help });
    }
}

/// Judges one object of `section` against the field catalogue.
pub(crate) fn check(section: Section, item: &Value, ctx: &Context) -> Judgement {
    let mut judgement = Judgement::default();
    let Value::Object(map) = item else {
        let (found, value) = describe(item);
        judgement.fail(None, Problem::NotAnObject { found, value });
        return judgement;
    };
    if section == Section::Associates && matches!(ctx.parent, Parent::Root) {
        judgement.fail(None, Problem::OutsideDeclarant);
    }
    note_unknown_keys(section, map, ctx.profile, &mut judgement);
    for spec in section.fields() {
        check_field(spec, map.get(spec.key), ctx, &mut judgement);
    }
    check_placement(section, map, ctx, &mut judgement);
    check_siret_pair(section, map, &mut judgement);
    judgement
}

/// The value a field holds, `null` counting as absent.
pub(crate) fn present<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.get(key).filter(|v| !v.is_null())
}

fn check_field(spec: &FieldSpec, value: Option<&Value>, ctx: &Context, out: &mut Judgement) {
    if spec.only_v22 && ctx.profile == Profile::V21 {
        return;
    }
    let need = spec.need(ctx.profile);
    let result = match value.filter(|v| !v.is_null()) {
        None if need != Need::Optional && spec.default.is_none() => Err(Problem::Required),
        None => Ok(()),
        Some(value) if spec.nested.is_some() => expect_array(value),
        Some(Value::String(text)) if need == Need::Required && text.trim().is_empty() => {
            Err(Problem::Empty)
        }
        Some(value) => check_value(spec.kind, value, ctx.profile),
    };
    if let Err(problem) = result {
        out.fail(Some(spec.key), problem);
    }
}

/// Checks a present value against its kind.
pub(crate) fn check_value(kind: Kind, value: &Value, profile: Profile) -> Result<(), Problem> {
    match kind {
        Kind::Text | Kind::Link(_) => text(value).map(drop),
        Kind::Date => text(value).and_then(|t| ensure(formats::is_date(t), || date(t))),
        Kind::Money => number(value).and_then(money),
        Kind::Decimal => number(value).map(drop),
        Kind::Integer => number(value).and_then(integer),
        Kind::Code { .. } => text(value).and_then(|t| in_list(kind, t, profile)),
        Kind::DigitCode { .. } => text_or_integer(value).and_then(|t| in_list(kind, t, profile)),
        Kind::IntCode { .. } => {
            number(value).and_then(|n| integer(n).and_then(|()| in_list(kind, n, profile)))
        }
        Kind::Year => text_or_integer(value).and_then(year),
        Kind::Url => text(value).and_then(|t| ensure(formats::is_url(t), || url(t))),
        Kind::Email => text(value).and_then(|t| ensure(formats::is_email(t), || email(t))),
        Kind::Siren => text(value).and_then(formats::siren),
        Kind::Nic => text(value).and_then(formats::nic),
        Kind::Siret => text(value).and_then(formats::siret),
    }
}

/// Rules that depend on where the object sits in the document.
fn check_placement(section: Section, map: &Map<String, Value>, ctx: &Context, out: &mut Judgement) {
    if !matches!(ctx.parent, Parent::Root) {
        return;
    }
    let has = |key| present(map, key).is_some();
    match section {
        Section::Properties if !has("declarantId") => {
            if ctx.strict {
                out.fail(Some("declarantId"), Problem::NoDeclarantLink);
            } else {
                out.note(
                    "root-level property without `declarantId`".into(),
                    Some(
                        "add `declarantId` or nest it under its declarant; `--strict` refuses it"
                            .into(),
                    ),
                );
            }
        }
        Section::Documents
            if ctx.profile == Profile::V22 && !has("propertyId") && !has("declarantId") =>
        {
            out.fail(Some("propertyId"), Problem::NoDocumentLink);
        }
        _ => {}
    }
}

/// SIREN and NIC given together must form a valid SIRET.
fn check_siret_pair(section: Section, map: &Map<String, Value>, out: &mut Judgement) {
    if section != Section::Declarants {
        return;
    }
    let (Some(Value::String(siren)), Some(Value::String(nic))) =
        (map.get("sirenId"), map.get("nicId"))
    else {
        return;
    };
    if formats::siren(siren).is_err() || formats::nic(nic).is_err() {
        return;
    }
    if formats::siret(&format!("{siren}{nic}")).is_err() {
        let problem = Problem::SiretPair { siren: siren.clone(), nic: nic.clone() };
        out.fail(Some("nicId"), problem);
    }
}

/// Unknown keys, and 2.2-only keys under 2.1, are remarks: the platform ignores them.
fn note_unknown_keys(
    section: Section,
    map: &Map<String, Value>,
    profile: Profile,
    out: &mut Judgement,
) {
    for key in map.keys() {
        match section.field(key) {
            Some(spec) if spec.only_v22 && profile == Profile::V21 => out.note(
                format!("`{key}` exists only in profile 2.2 and is ignored under 2.1"),
                Some("remove it, or validate with `--profile 2.2`".into()),
            ),
            Some(_) => {}
            None => out.note(
                format!("unknown key `{}`", shown(key)),
                suggest(section, key).map(|k| format!("did you mean `{k}`?")),
            ),
        }
    }
}

/// The closest known key, for a likely typo.
fn suggest(section: Section, key: &str) -> Option<&'static str> {
    section
        .fields()
        .iter()
        .map(|f| (strsim::levenshtein(&key.to_lowercase(), &f.key.to_lowercase()), f.key))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, key)| key)
}

fn ensure(ok: bool, problem: impl FnOnce() -> Problem) -> Result<(), Problem> {
    if ok {
        Ok(())
    } else {
        Err(problem())
    }
}

fn text(value: &Value) -> Result<&str, Problem> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(wrong_type("a string", other)),
    }
}

fn number(value: &Value) -> Result<&str, Problem> {
    match value {
        Value::Number(n) => Ok(n.as_str()),
        other => Err(wrong_type("a number", other)),
    }
}

/// Digit-string codes and years: a string, or an integer taken as its digits.
fn text_or_integer(value: &Value) -> Result<&str, Problem> {
    match value {
        Value::String(text) => Ok(text),
        Value::Number(n) if formats::is_integer(n.as_str()) => Ok(n.as_str()),
        other => Err(wrong_type("a string of digits", other)),
    }
}

fn expect_array(value: &Value) -> Result<(), Problem> {
    ensure(value.is_array(), || wrong_type("an array", value))
}

fn money(number: &str) -> Result<(), Problem> {
    ensure(formats::decimals(number) <= 2, || Problem::Decimals { value: shown(number) })
}

fn integer(number: &str) -> Result<(), Problem> {
    ensure(formats::is_integer(number), || Problem::Integer { value: shown(number) })
}

fn year(text: &str) -> Result<(), Problem> {
    ensure(formats::is_year(text), || Problem::Year { value: shown(text) })
}

fn in_list(kind: Kind, code: &str, profile: Profile) -> Result<(), Problem> {
    let codes = kind.codes(profile).unwrap_or(&[]);
    ensure(codes.contains(&code), || Problem::Code {
        value: shown(code),
        profile,
        allowed: codes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
    })
}

fn date(text: &str) -> Problem {
    Problem::Date { value: shown(text) }
}

fn url(text: &str) -> Problem {
    Problem::Url { value: shown(text) }
}

fn email(text: &str) -> Problem {
    Problem::Email { value: shown(text) }
}

fn wrong_type(expected: &'static str, value: &Value) -> Problem {
    let (found, value) = describe(value);
    Problem::WrongType { expected, found, value }
}

/// The JSON type of a value and its text, for messages.
pub(crate) fn describe(value: &Value) -> (&'static str, String) {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    (found, shown(&text))
}
