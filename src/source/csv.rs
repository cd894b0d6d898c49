//! CSV exports: encoding and delimiter detection, preamble lines above the
//! header, then a streaming reader that never holds the whole file.

use std::fs::File;
use std::io::Read;
use std::sync::Arc;

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::{display_name, Cell, InputSpec, Opened, Row, SourceError, Table};

/// How many bytes are read up front to detect the dialect.
const SAMPLE_BYTES: u64 = 64 * 1024;

/// The delimiters tried, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b';', b'\t', b'|', b','];

/// What detection (or the mapping) settled for a CSV file.
#[derive(Debug, Clone)]
pub struct Dialect {
    pub encoding: &'static Encoding,
    /// True when the file starts with a byte-order mark.
    pub bom: bool,
    pub delimiter: u8,
    /// The 1-based line of the header.
    pub header_line: u64,
}

/// Opens a CSV file: detects what the spec leaves open, reads the header.
pub fn open(spec: &InputSpec) -> Result<Opened, SourceError> {
    let file = display_name(&spec.path);
    let dialect = detect(spec)?;
    tracing::debug!(
        "{file}: encoding {}, delimiter {:?}, header on line {}",
        dialect.encoding.name(),
        dialect.delimiter as char,
        dialect.header_line
    );
    let mut records = Numbered::new(reader(spec, &dialect)?.into_records());
    let mut last = 0;
    let (header_line, header) = loop {
        match records.next() {
            None if spec.header_row.is_some() && last > 0 => {
                return Err(SourceError::HeaderBeyondEnd { file, row: dialect.header_line, last })
            }
            None => return Err(SourceError::NoHeader { file }),
            Some(Err(err)) => return Err(csv_error(&file, &err)),
            Some(Ok((line, record))) if line >= dialect.header_line => break (line, record),
            Some(Ok((line, _))) => last = line,
        }
    };
    let table = Arc::new(Table {
        file: file.clone(),
        sheet: None,
        header_row: header_line,
        columns: to_row(header_line, &header)
            .cells
            .iter()
            .map(|c| c.display().trim().to_string())
            .collect(),
        first_column: 0,
    });
    let rows = records.map(move |record| match record {
        Ok((line, record)) => Ok(to_row(line, &record)),
        Err(err) => Err(csv_error(&file, &err)),
    });
    Ok(Opened { table, rows: Box::new(rows) })
}

/// Settles encoding, delimiter and header line, from the spec or from the first bytes.
pub fn detect(spec: &InputSpec) -> Result<Dialect, SourceError> {
    let file = display_name(&spec.path);
    let sample = read_sample(spec)?;
    let bom = sample.starts_with(b"\xEF\xBB\xBF");
    let encoding = match &spec.encoding {
        Some(name) => Encoding::for_label(name.trim().as_bytes())
            .ok_or_else(|| SourceError::Encoding { file: file.clone(), name: name.clone() })?,
        None => detect_encoding(&sample),
    };
    let (text, _, _) = encoding.decode(&sample);
    let delimiter = spec.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let header_line = match spec.header_row {
        Some(line) => line,
        None => detect_header_line(&text, delimiter),
    };
    Ok(Dialect { encoding, bom, delimiter, header_line })
}

fn read_sample(spec: &InputSpec) -> Result<Vec<u8>, SourceError> {
    let io = |source| SourceError::Io { file: display_name(&spec.path), source };
    let mut sample = Vec::new();
    File::open(&spec.path).map_err(io)?.take(SAMPLE_BYTES).read_to_end(&mut sample).map_err(io)?;
    Ok(sample)
}

/// UTF-8 when the bytes say so (a BOM, or valid UTF-8), Windows-1252 otherwise:
/// the encoding of French exports from Windows software.
pub fn detect_encoding(sample: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return encoding;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => encoding_rs::UTF_8,
        // A sample cut inside a multi-byte character is still UTF-8.
        Err(err) if err.error_len().is_none() => encoding_rs::UTF_8,
        Err(_) => encoding_rs::WINDOWS_1252,
    }
}

/// The delimiter that splits the most lines into the same number of fields.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut best = (0usize, b',');
    for delimiter in DELIMITERS {
        let widths = record_widths(text, delimiter);
        let (width, count) = modal_width(&widths);
        let score = if width > 1 { count } else { 0 };
        if score > best.0 {
            best = (score, delimiter);
        }
    }
    best.1
}

/// The first line shaped like a header: as wide as the data below it, and
/// with (nearly) every field filled, which preamble lines seldom are.
pub fn detect_header_line(text: &str, delimiter: u8) -> u64 {
    let records = sample_records(text, delimiter);
    let widths: Vec<usize> = records.iter().map(|(_, fields)| fields.len()).collect();
    let (width, _) = modal_width(&widths);
    let needed = (width * 4).div_ceil(5).max(1);
    records
        .iter()
        .find(|(_, fields)| {
            fields.len() >= width
                && fields.iter().filter(|f| !f.trim().is_empty()).count() >= needed
        })
        .or(records.first())
        .map_or(1, |(line, _)| *line)
}

fn record_widths(text: &str, delimiter: u8) -> Vec<usize> {
    sample_records(text, delimiter).iter().map(|(_, fields)| fields.len()).collect()
}

/// The records of a sample, each with its starting line; the last one is dropped
/// since the sample may have cut it.
fn sample_records(text: &str, delimiter: u8) -> Vec<(u64, Vec<String>)> {
    let mut reader = builder(delimiter).from_reader(text.as_bytes());
    let mut records: Vec<(u64, Vec<String>)> = Numbered::new(reader.records())
        .map_while(Result::ok)
        .filter(|(_, r)| r.iter().any(|f| !f.trim().is_empty()))
        .map(|(line, r)| (line, r.iter().map(|f| f.trim_end_matches('\r').to_string()).collect()))
        .collect();
    if records.len() > 1 && text.len() as u64 >= SAMPLE_BYTES {
        records.pop();
    }
    records
}

/// The most frequent width and how many records have it (the widest wins a tie).
fn modal_width(widths: &[usize]) -> (usize, usize) {
    let mut counts = std::collections::BTreeMap::new();
    for w in widths {
        *counts.entry(*w).or_insert(0usize) += 1;
    }
    counts.into_iter().max_by_key(|(w, c)| (*c, *w)).unwrap_or((0, 0))
}

fn reader(spec: &InputSpec, dialect: &Dialect) -> Result<csv::Reader<impl Read>, SourceError> {
    let file = File::open(&spec.path)
        .map_err(|source| SourceError::Io { file: display_name(&spec.path), source })?;
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(dialect.encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(file);
    Ok(builder(dialect.delimiter).from_reader(decoded))
}

/// Records end at `\n` only: with the default terminator, the csv crate counts
/// a `\r\n` file's lines one short. The `\r` left on the last field is dropped
/// in [`to_row`].
fn builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'));
    builder
}

fn to_row(line: u64, record: &csv::StringRecord) -> Row {
    let cells = record
        .iter()
        .map(|field| field.strip_suffix('\r').unwrap_or(field))
        .map(|field| if field.is_empty() { Cell::Empty } else { Cell::Text(field.to_string()) })
        .collect();
    Row { number: line, cells }
}

fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

/// Gives each record the line it starts on. The csv crate reports, for the
/// first record after blank lines, the position before those lines; the
/// record after it always starts right after its terminator, so a record's
/// line is the next record's reported line, less its own newlines and one.
struct Numbered<I: Iterator<Item = csv::Result<csv::StringRecord>>> {
    records: std::iter::Peekable<I>,
}

impl<I: Iterator<Item = csv::Result<csv::StringRecord>>> Numbered<I> {
    fn new(records: I) -> Self {
        Numbered { records: records.peekable() }
    }
}

impl<I: Iterator<Item = csv::Result<csv::StringRecord>>> Iterator for Numbered<I> {
    type Item = csv::Result<(u64, csv::StringRecord)>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = match self.records.next()? {
            Ok(record) => record,
            Err(err) => return Some(Err(err)),
        };
        let inner_newlines = record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        let line = match self.records.peek() {
            Some(Ok(next)) => line_of(next).saturating_sub(1 + inner_newlines).max(1),
            _ => line_of(&record),
        };
        Some(Ok((line, record)))
    }
}

fn csv_error(file: &str, err: &csv::Error) -> SourceError {
    let line = err.position().map_or(0, |p| p.line());
    let message = match err.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => err.to_string(),
    };
    SourceError::Csv { file: file.to_string(), line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolon_wins_over_commas_inside_amounts() {
        let text =
            "Date;Libellé;Montant\n01/02/2024;Loyer, janvier;1 200,50\n02/02/2024;EDF;-45,10\n";
        assert_eq!(detect_delimiter(text), b';');
    }

    #[test]
    fn tabs_and_pipes_are_detected() {
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(detect_delimiter("a|b|c\n1|2|3\n"), b'|');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
    }

    #[test]
    fn preamble_lines_are_skipped_to_the_header() {
        let text =
            "Banque Exemple;;;\nCompte 123;;;\n\nDate;Libellé;Débit;Crédit\n01/02/2024;X;;10\n";
        assert_eq!(detect_header_line(text, b';'), 4);
    }

    #[test]
    fn crlf_lines_are_numbered_like_an_editor_shows_them() {
        let text = "a;;\r\nb;;\r\nDate;X;Y\r\n1;2;3\r\n";
        let records = sample_records(text, b';');
        let lines: Vec<u64> = records.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert_eq!(records[2].1, ["Date", "X", "Y"]);
    }

    #[test]
    fn blank_lines_and_quoted_newlines_keep_line_numbers_right() {
        let text = "a;;\r\n\r\nb;;\n\n\nDate;X;Y\r\n\"1\n\n2\";2;3\r\n4;5;6\n";
        let lines: Vec<u64> = sample_records(text, b';').iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1, 3, 6, 7, 10]);
    }

    #[test]
    fn invalid_utf8_reads_as_windows_1252() {
        assert_eq!(detect_encoding(b"D\xe9bit;Cr\xe9dit\n"), encoding_rs::WINDOWS_1252);
        assert_eq!(detect_encoding("Débit".as_bytes()), encoding_rs::UTF_8);
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFDate"), encoding_rs::UTF_8);
    }
}
