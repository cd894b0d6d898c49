//! Human rendering with miette: errors grouped by model, warnings, and a
//! closing status line, readable in an 80-column terminal.

use std::io::{self, Write};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, MietteDiagnostic, Severity};

use super::report::{Ko, ObjectError, Report, Warning};
use crate::model::schema::Section;

/// Errors shown per model; `--format json` lists them all.
const SHOWN_PER_MODEL: usize = 20;
/// Warnings shown.
const SHOWN_WARNINGS: usize = 50;
const WIDTH: usize = 80;

/// Writes the errors grouped by model, then the status line. `locate` names
/// the source of an object (`Biens!C17`, `releve.csv:118`) when known.
pub fn render_report(
    report: &Report,
    locate: &dyn Fn(&ObjectError) -> Option<String>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = handler();
    let mut groups = 0;
    for count in &report.combined_result {
        let errors: Vec<&ObjectError> =
            report.errors.iter().filter(|e| e.model == count.model).collect();
        if errors.is_empty() {
            continue;
        }
        let total = count.item.success + count.item.error;
        let gap = if groups == 0 { "" } else { "\n" };
        writeln!(out, "{gap}{}: {} of {} failed", count.model, count.item.error, total)?;
        for error in errors.iter().take(SHOWN_PER_MODEL) {
            write!(out, "{}", draw(&handler, &error_diagnostic(error, locate(error)))?)?;
        }
        more(out, errors.len(), SHOWN_PER_MODEL, count.model)?;
        groups += 1;
    }
    let gap = if groups == 0 { "" } else { "\n" };
    writeln!(out, "{gap}{}", summary_line(report))
}

/// Writes the warnings (the first fifty) and how many more there were.
pub fn render_warnings(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler();
    for warning in report.warnings.iter().take(SHOWN_WARNINGS) {
        write!(out, "{}", draw(&handler, &warning_diagnostic(warning))?)?;
    }
    let hidden = report.warnings.len().saturating_sub(SHOWN_WARNINGS) + report.warnings_omitted;
    if hidden > 0 {
        writeln!(out, "... and {hidden} more warnings")?;
    }
    Ok(())
}

/// Writes a whole-document rejection.
pub fn render_ko(ko: &Ko, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "{}", draw(&handler(), ko)?)?;
    writeln!(out, "KO ({:?}): the document would be rejected whole", ko.kind)
}

/// `PARTIAL_SUCCESS: 5 objects, 3 passed, 2 failed`.
pub fn summary_line(report: &Report) -> String {
    format!(
        "{}: {} objects, {} passed, {} failed",
        report.status, report.total_count, report.success_count, report.failed_count
    )
}

fn handler() -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(GraphicalTheme::default()).with_width(WIDTH)
}

fn draw(handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic) -> io::Result<String> {
    let mut text = String::new();
    handler.render_report(&mut text, diagnostic).map_err(io::Error::other)?;
    Ok(text)
}

fn error_diagnostic(error: &ObjectError, location: Option<String>) -> MietteDiagnostic {
    let message = match location {
        Some(place) => format!("{} (from {place})", error.error),
        None => error.error.clone(),
    };
    let mut diagnostic = MietteDiagnostic::new(message);
    if let Some(help) = error.problem.help_text() {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

fn warning_diagnostic(warning: &Warning) -> MietteDiagnostic {
    let message = match (&warning.model, &warning.id) {
        (Some(model), Some(id)) => format!("{model} '{id}': {}", warning.message),
        _ => warning.message.clone(),
    };
    let diagnostic = MietteDiagnostic::new(message).with_severity(Severity::Warning);
    match &warning.help {
        Some(help) => diagnostic.with_help(help.clone()),
        None => diagnostic,
    }
}

fn more(out: &mut dyn Write, count: usize, shown: usize, model: Section) -> io::Result<()> {
    if count > shown {
        let hidden = count - shown;
        writeln!(out, "... and {hidden} more errors in {model} (`--format json` lists them all)")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::{Options, Parent, Validator};

    #[test]
    fn errors_name_the_source_that_convert_gives() {
        let mut validator = Validator::new(Options::default());
        let item = json!({"id": "T-1", "reqdExctnDt": "2024-13-01", "id-prty": "P-1", "amt": 1, "ref": "r"});
        validator.object(Section::Transactions, &item, Parent::Root);
        let report = validator.finish();
        let mut out = Vec::new();
        let locate = |e: &ObjectError| Some(format!("releve.csv:{}", e.index + 2));
        render_report(&report, &locate, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("(from releve.csv:2)"), "{text}");
        assert!(text.contains("ERROR: 1 objects, 0 passed, 1 failed"), "{text}");
    }
}
