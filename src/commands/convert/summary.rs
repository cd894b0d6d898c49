//! What convert tells the user: the closing summary per section, the rejected
//! rows (on stderr and in `--rejects FILE`), and the objects the validator failed.

use std::io::Write;
use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

use super::read::Counts;
use crate::assemble::Places;
use crate::model::schema::Section;
use crate::model::Reject;
use crate::validate::{render_report, render_warnings, Report};

/// How many rejected rows are shown on stderr; `--rejects` has them all.
const SHOWN: usize = 10;

/// The summary table: one line per section, and the totals.
pub fn summary(stats: &[(Section, Counts)]) -> String {
    let mut out = format!(
        "{:<14}{:>10}{:>10}{:>10}{:>10}\n",
        "section", "read", "written", "filtered", "rejected"
    );
    let mut total = Counts::default();
    for (section, c) in stats {
        out += &format!(
            "{:<14}{:>10}{:>10}{:>10}{:>10}\n",
            section.key(),
            c.read,
            c.written,
            c.filtered,
            c.rejected
        );
        total.read += c.read;
        total.written += c.written;
        total.filtered += c.filtered;
        total.rejected += c.rejected;
    }
    out += &format!(
        "{:<14}{:>10}{:>10}{:>10}{:>10}\n",
        "total", total.read, total.written, total.filtered, total.rejected
    );
    out
}

/// The first rejected rows, one line each, for stderr.
pub fn rejected_lines(rejects: &[Reject], rejects_file: Option<&Path>) -> String {
    let mut out = String::new();
    for reject in rejects.iter().take(SHOWN) {
        out += &format!("  {}: {}\n", reject.location, reject.reason);
    }
    if rejects.len() > SHOWN {
        out += &format!("  ... and {} more\n", rejects.len() - SHOWN);
    }
    if !rejects.is_empty() && rejects_file.is_none() {
        out += "  (write them all with --rejects FILE.csv)\n";
    }
    out
}

/// Writes every rejected row, with its location and reason, as CSV.
pub fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<(), std::io::Error> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record([
        "section", "file", "sheet", "row", "column", "location", "reason", "value",
    ])?;
    for r in rejects {
        let column = r.location.column.as_ref().map(|(_, name)| name.as_str()).unwrap_or("");
        writer.write_record([
            r.section.key(),
            &r.location.file,
            r.location.sheet.as_deref().unwrap_or(""),
            &r.location.row.to_string(),
            column,
            &r.location.to_string(),
            &r.reason,
            r.value.as_deref().unwrap_or(""),
        ])?;
    }
    writer.flush()
}

/// The validator failed objects of the document; nothing was written.
#[derive(Debug, Error, Diagnostic)]
#[error("the platform would refuse {count} object(s): nothing was written")]
#[diagnostic(
    code(convert::invalid),
    help("fix the rows named above in the source, or pass --allow-partial to write the document anyway")
)]
pub struct Refused {
    pub count: usize,
}

/// The validation of the written document: warnings, failed objects with the
/// source cell that produced them, and the status line.
pub fn validation(report: &Report, places: &Places) {
    let mut out = Vec::new();
    let _ = render_warnings(report, &mut out);
    let locate = |e: &crate::validate::ObjectError| places.locate(e).map(|l| l.to_string());
    let _ = render_report(report, &locate, &mut out);
    let text = String::from_utf8_lossy(&out);
    eprint(&format!("validation: {text}"));
}

/// Writes text to stderr, ignoring a closed stream.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}
