//! Writes a planned mapping as commented TOML: the dialect that was detected,
//! one section per table, the columns left unmapped, and `DECIDE:` above
//! every line the user must settle.

use std::fmt::Write as _;

use super::draft::{Draft, SectionDraft};
use super::fields::FieldLine;
use super::guess::ColumnProfile;
use super::read::{CsvLayout, Footer, TableSurvey};
use super::toml::{key, string};

/// The column where end-of-line comments start.
const COMMENT_AT: usize = 41;
/// The input every section reads.
const INPUT: &str = "source";

/// The mapping's text.
pub fn render(draft: &Draft<'_>) -> String {
    let mut out = String::new();
    opening(&mut out, draft);
    loader(&mut out, draft);
    input(&mut out, draft);
    for section in &draft.sections {
        section_text(&mut out, section, draft.survey.csv.is_some());
    }
    out
}

fn opening(out: &mut String, draft: &Draft<'_>) {
    let file = file_name(&draft.survey.file);
    let _ = writeln!(out, "# Starting mapping for `{file}`, written by `qload init`.");
    out.push_str(
        "#\n# Every line was guessed from the headers and values: check them. Lines\n\
         # under a `DECIDE:` comment need a choice from you. Then convert:\n#\n",
    );
    let vars: Vec<String> = draft
        .sections
        .iter()
        .flat_map(|s| s.fields.vars.iter())
        .map(|v| format!(" --var {v}={}", example(v)))
        .collect();
    let _ = writeln!(out, "#   qload convert --mapping MAPPING.toml{} {file}", vars.concat());
    if draft.sections.is_empty() && draft.skipped.is_empty() {
        out.push_str(
            "#\n# DECIDE: no table could be mapped; name one with --sheet and --section.\n",
        );
    }
    if is_fec(draft) {
        out.push_str(
            "#\n# This file is a FEC (Fichier des Écritures Comptables): the shipped\n\
             # mappings/fec.toml (Debit/Credit) and mappings/fec-montant-sens.toml keep\n\
             # the bank lines only, seen from the bank, and leave out the à-nouveaux.\n",
        );
    }
    for note in &draft.skipped {
        out.push_str("#\n");
        wrap(out, &format!("Left out: {note}."));
    }
    out.push('\n');
}

/// A FEC names its columns by law: `JournalCode`, `EcritureNum`, `CompteNum`...
fn is_fec(draft: &Draft<'_>) -> bool {
    draft.survey.csv.is_some()
        && draft.survey.tables.iter().any(|t| {
            ["JournalCode", "EcritureNum", "CompteNum"]
                .iter()
                .all(|name| t.columns.iter().any(|c| c.header.eq_ignore_ascii_case(name)))
        })
}

fn example(var: &str) -> &str {
    if var == "property" {
        "BIEN-01"
    } else {
        "..."
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn loader(out: &mut String, draft: &Draft<'_>) {
    out.push_str("[loader]\n");
    match &draft.options.partner {
        Some(partner) => line(out, &format!("partner = {}", string(partner)), "inigPtynm"),
        None => {
            out.push_str("# DECIDE: the partner id Qlower gave you (inigPtynm).\n");
            line(out, "partner = \"my-partner\"", "");
        }
    }
    line(out, "api_key = { env = \"QLOWER_API_KEY\" }", "the api key never sits in this file");
    line(out, "environment = \"stg\"", "`prod` once the staging loads pass");
    out.push('\n');
}

fn input(out: &mut String, draft: &Draft<'_>) {
    let _ = writeln!(out, "[inputs.{INPUT}]");
    let file = file_name(&draft.survey.file);
    line(out, &format!("# path = {}", string(file)), "or give the file on the command line");
    if let (Some(layout), Some(table)) = (&draft.survey.csv, draft.survey.tables.first()) {
        csv_dialect(out, layout, table);
    }
    out.push('\n');
}

fn csv_dialect(out: &mut String, layout: &CsvLayout, table: &TableSurvey) {
    line(out, &format!("encoding = {}", string(&layout.encoding)), "detected");
    let delimiter = match layout.delimiter {
        b'\t' => "tab".to_string(),
        other => (other as char).to_string(),
    };
    line(out, &format!("delimiter = {}", string(&delimiter)), "detected");
    header_and_footer(out, table, "line", layout.preamble.len());
}

/// `header_row` with the preamble it skips, and `stop_at` for a footer.
fn header_and_footer(out: &mut String, table: &TableSurvey, unit: &str, preamble: usize) {
    let Some(header) = table.header_row else { return };
    let above = match preamble {
        0 if header == 1 => "the header is the first line".to_string(),
        0 => format!("a title sits above the header ({unit}s 1-{})", header - 1),
        n => format!("{n} preamble {unit}(s) sit above the header"),
    };
    line(out, &format!("header_row = {header}"), &above);
    if let Some(Footer { row, text, marker }) = &table.footer {
        let why = format!("{unit} {row} `{}` ends the data", short(text, 24));
        line(out, &format!("stop_at = {}", string(&format!("^{marker}"))), &why);
    }
}

fn section_text(out: &mut String, draft: &SectionDraft<'_>, csv: bool) {
    let section = draft.section;
    let _ = writeln!(out, "[{section}]");
    let _ = writeln!(out, "from = {}", string(INPUT));
    if let Some(sheet) = &draft.table.sheet {
        let _ = writeln!(out, "sheet = {}", string(sheet));
    }
    if !csv {
        header_and_footer(out, draft.table, "row", 0);
    }
    if let Some((parent, column)) = draft.parent {
        let rule =
            format!("parent = {{ section = \"{parent}\", key = {} }}", string(&column.header));
        line(out, &rule, &format!("nested under its {}", singular(parent)));
    }
    let _ = writeln!(out, "\n[{section}.fields]");
    for field in &draft.fields.lines {
        field_line(out, field);
    }
    unmatched(out, &draft.unmatched());
    out.push('\n');
}

fn singular(section: crate::model::schema::Section) -> &'static str {
    match section.key() {
        "declarants" => "declarant",
        "properties" => "property",
        _ => "parent",
    }
}

fn field_line(out: &mut String, field: &FieldLine) {
    if let Some(decide) = &field.decide {
        wrap(out, &format!("DECIDE: {decide}"));
    }
    line(out, &format!("{} = {}", key(field.key), field.rule), field.note.as_deref().unwrap_or(""));
}

fn unmatched(out: &mut String, columns: &[&ColumnProfile]) {
    let named: Vec<&&ColumnProfile> = columns.iter().filter(|c| !c.header.is_empty()).collect();
    if named.is_empty() {
        return;
    }
    out.push_str("# Columns left unmapped (map them to a field above if they hold one):\n");
    for column in named {
        let values: Vec<String> = column.samples().iter().map(|v| short(v, 20)).collect();
        let mut text = format!("{} ({})", string(&column.header), column.kind);
        if !values.is_empty() {
            text = format!("{text}: {}", values.join(", "));
        }
        let _ = writeln!(out, "#   {}", short(&text, 94));
    }
}

/// `code = value`, with its comment aligned when one is given and fits.
fn line(out: &mut String, code: &str, comment: &str) {
    let width = code.chars().count();
    if comment.is_empty() {
        let _ = writeln!(out, "{code}");
    } else if width < COMMENT_AT && COMMENT_AT + comment.chars().count() <= 100 {
        let _ = writeln!(out, "{code}{}# {comment}", " ".repeat(COMMENT_AT - width));
    } else {
        let _ = writeln!(out, "# {comment}");
        let _ = writeln!(out, "{code}");
    }
}

/// A comment cut into lines of at most 80 characters.
fn wrap(out: &mut String, text: &str) {
    let mut current = String::from("#");
    for word in text.split_whitespace() {
        if current.chars().count() + 1 + word.chars().count() > 80 && current != "#" {
            let _ = writeln!(out, "{current}");
            current = String::from("#  ");
        }
        current.push(' ');
        current.push_str(word);
    }
    let _ = writeln!(out, "{current}");
}

/// Text cut to `width` characters, line breaks as spaces.
fn short(text: &str, width: usize) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() <= width {
        return flat;
    }
    let mut cut: String = flat.chars().take(width - 1).collect();
    cut.push('…');
    cut
}
