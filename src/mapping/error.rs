//! Mapping errors: every problem found in a mapping, each pointing at its
//! place in the TOML file, reported together.

use std::ops::Range;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// One problem in the mapping file, with the span it is about.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct Problem {
    pub message: String,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// Everything wrong with a mapping file, shown against its text: a single
/// problem is the error itself, several are listed under a headline.
#[derive(Debug, Error, Diagnostic)]
#[error("{headline}")]
#[diagnostic(code(mapping::invalid))]
pub struct MappingError {
    pub file: String,
    pub headline: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
    #[related]
    pub problems: Vec<Problem>,
}

impl MappingError {
    /// Builds the error for `problems` found in `file`.
    pub fn new(file: &str, text: &str, mut problems: Vec<Problem>) -> MappingError {
        let src = NamedSource::new(file, text.to_string());
        if problems.len() == 1 {
            let one = problems.remove(0);
            return MappingError {
                file: file.to_string(),
                headline: format!("{}: {}", file, one.message),
                src,
                span: Some(one.span),
                label: one.label,
                help: one.help,
                problems,
            };
        }
        let headline = format!("mapping `{file}` has {} problems", problems.len());
        MappingError {
            file: file.to_string(),
            headline,
            src,
            span: None,
            label: String::new(),
            help: None,
            problems,
        }
    }
}

/// A mapping file that cannot be read at all.
#[derive(Debug, Error, Diagnostic)]
pub enum LoadError {
    #[error("cannot read mapping `{file}`")]
    #[diagnostic(code(mapping::io), help("check the path given to --mapping"))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] Box<MappingError>),
}

/// Collects problems while a mapping is read and checked.
#[derive(Debug, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    /// Records a problem at `span` (an empty span when the place is unknown).
    pub fn add(
        &mut self,
        span: Option<Range<usize>>,
        message: String,
        label: &str,
    ) -> &mut Problem {
        let span = span.unwrap_or(0..0);
        self.list.push(Problem {
            message,
            span: SourceSpan::from(span),
            label: label.to_string(),
            help: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    /// Records a problem with a remedy.
    pub fn add_help(
        &mut self,
        span: Option<Range<usize>>,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        self.add(span, message, label).help = help;
    }

    /// Turns the collected problems into an error, when there are any.
    pub fn into_result(self, file: &str, text: &str) -> Result<(), Box<MappingError>> {
        if self.list.is_empty() {
            return Ok(());
        }
        Err(Box::new(MappingError::new(file, text, self.list)))
    }
}

/// "did you mean `x`?" for the closest candidate, when one is close enough.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let folded = fold(wrong);
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&folded, &fold(c)), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Lowercase without accents, so that `Debit` suggests `Débit`.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_names_are_suggested_across_accents_and_case() {
        assert_eq!(
            did_you_mean("Debit", ["Date", "Débit"]).as_deref(),
            Some("did you mean `Débit`?")
        );
        assert_eq!(did_you_mean("amount", ["amt", "ref"]), None);
        assert_eq!(
            did_you_mean("reqdExctDt", ["reqdExctnDt"]).as_deref(),
            Some("did you mean `reqdExctnDt`?")
        );
    }
}
