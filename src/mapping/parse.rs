//! Reads the mapping's TOML with toml_edit, which keeps spans, and walks it
//! table by table: unknown keys, wrong types and unknown loader fields are
//! collected with their place in the file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use regex::Regex;
use toml_edit::{Document, Item, TableLike};

use super::*;
use crate::model::schema::{Profile, Section};

const ROOT_KEYS: &[&str] = &[
    "loader",
    "inputs",
    "clients",
    "declarants",
    "associates",
    "properties",
    "documents",
    "transactions",
];
const LOADER_KEYS: &[&str] = &["partner", "api_key", "environment", "region", "prefix", "profile"];
const INPUT_KEYS: &[&str] =
    &["path", "encoding", "delimiter", "sheet", "header_row", "skip_rows", "stop_at"];
pub(super) const SECTION_KEYS: &[&str] =
    &["from", "sheet", "header_row", "skip_rows", "stop_at", "filter", "parent", "fields"];
pub(super) const FILTER_KEYS: &[&str] =
    &["column", "matches", "not_matches", "equals", "not_equals", "in", "not_empty"];

/// The order sections are built in: parents before their children, the
/// streamed transactions last.
const ORDER: [Section; 5] = [
    Section::Declarants,
    Section::Associates,
    Section::Properties,
    Section::Documents,
    Section::Transactions,
];

/// The walker's state: problems found so far and the command-line variables.
pub(super) struct Walk<'a> {
    pub problems: Problems,
    pub vars: &'a BTreeMap<String, String>,
}

pub(super) fn mapping(
    file: &str,
    text: String,
    dir: PathBuf,
    vars: &BTreeMap<String, String>,
) -> Result<Mapping, Box<MappingError>> {
    let doc = Document::parse(text.clone()).map_err(|err| {
        let mut problems = Problems::default();
        let message = err.message().trim().to_string();
        problems.add(err.span(), format!("invalid TOML: {message}"), "here");
        Box::new(MappingError::new(file, &text, problems.list))
    })?;
    let mut walk = Walk { problems: Problems::default(), vars };
    let root = doc.as_table();
    walk.keys(root, ROOT_KEYS, "the mapping");
    let loader = walk.loader(root.get("loader"));
    let inputs = walk.inputs(root.get("inputs"));
    let clients = root.get("clients").and_then(|item| walk.clients(item));
    let mut sections = Vec::new();
    for section in ORDER {
        if let Some(item) = root.get(section.key()) {
            let profile = if clients.is_some() { Profile::V22 } else { loader.profile };
            if let Some(map) = walk.section(section, item, &inputs, profile) {
                sections.push(map);
            }
        }
    }
    if sections.is_empty() {
        walk.problems.add_help(
            Some(0..0),
            "the mapping fills no section".into(),
            "nothing mapped",
            Some(
                "add a table such as `[transactions]` with `from` and `[transactions.fields]`"
                    .into(),
            ),
        );
    }
    let mut loader = loader;
    if clients.is_some() {
        loader.profile = Profile::V22;
    }
    let pending = walk.problems;
    Ok(Mapping { file: file.to_string(), text, dir, loader, inputs, sections, clients, pending })
}

impl Walk<'_> {
    /// Reports keys of `table` that are not in `allowed`.
    pub fn keys(&mut self, table: &dyn TableLike, allowed: &[&str], what: &str) {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = table.key(key).and_then(|k| k.span());
            let help = did_you_mean(key, allowed.iter().copied())
                .or_else(|| Some(format!("the keys of {what} are {}", allowed.join(", "))));
            self.problems.add_help(
                span,
                format!("unknown key `{key}` in {what}"),
                "unknown key",
                help,
            );
        }
    }

    /// A table (standard or inline), or a problem.
    pub fn table<'i>(&mut self, item: &'i Item, what: &str) -> Option<&'i dyn TableLike> {
        let table = item.as_table_like();
        if table.is_none() {
            self.problems.add(item.span(), format!("{what} must be a table"), "not a table");
        }
        table
    }

    /// A string value, or a problem.
    pub fn string(&mut self, item: &Item, what: &str) -> Option<String> {
        match item.as_str() {
            Some(text) => Some(text.to_string()),
            None => {
                self.problems.add(
                    item.span(),
                    format!("{what} must be a string"),
                    "expected a string",
                );
                None
            }
        }
    }

    /// A positive integer, or a problem.
    pub fn positive(&mut self, item: &Item, what: &str, min: i64) -> Option<u64> {
        match item.as_integer() {
            Some(n) if n >= min => Some(n as u64),
            _ => {
                let message = format!("{what} must be an integer of at least {min}");
                self.problems.add(item.span(), message, "expected an integer");
                None
            }
        }
    }

    /// A regular expression, or a problem showing the regex error.
    pub fn regex(&mut self, item: &Item, what: &str) -> Option<Regex> {
        let pattern = self.string(item, what)?;
        match Regex::new(&pattern) {
            Ok(regex) => Some(regex),
            Err(err) => {
                let message = format!("invalid regular expression `{pattern}` in {what}");
                let help = err.to_string().lines().last().map(str::to_string);
                self.problems.add_help(item.span(), message, "invalid regex", help);
                None
            }
        }
    }

    fn loader(&mut self, item: Option<&Item>) -> Loader {
        let mut loader = Loader { api_key_env: "QLOWER_API_KEY".into(), ..Loader::default() };
        let Some(table) = item.and_then(|item| self.table(item, "`[loader]`")) else {
            return loader;
        };
        self.keys(table, LOADER_KEYS, "`[loader]`");
        loader.partner = table.get("partner").and_then(|i| self.string(i, "`partner`"));
        loader.region = table.get("region").and_then(|i| self.string(i, "`region`"));
        loader.prefix = table.get("prefix").and_then(|i| self.string(i, "`prefix`"));
        if let Some(item) = table.get("environment") {
            loader.environment = self.choice(item, "`environment`", &["stg", "prod"]);
        }
        if let Some(item) = table.get("profile") {
            let text = self.choice(item, "`profile`", &["2.1", "2.2"]);
            loader.profile = text.as_deref().and_then(Profile::parse).unwrap_or_default();
        }
        if let Some(item) = table.get("api_key") {
            if let Some(env) = self.api_key(item) {
                loader.api_key_env = env;
            }
        }
        loader
    }

    fn choice(&mut self, item: &Item, what: &str, allowed: &[&str]) -> Option<String> {
        let text = self.string(item, what)?;
        if allowed.contains(&text.as_str()) {
            return Some(text);
        }
        let message = format!("{what} is `{text}`, expected one of {}", allowed.join(", "));
        self.problems.add(item.span(), message, "unknown value");
        None
    }

    /// `api_key = { env = "NAME" }`: the key itself never sits in the file.
    fn api_key(&mut self, item: &Item) -> Option<String> {
        let env = item.as_table_like().and_then(|t| t.get("env")).and_then(Item::as_str);
        if env.is_none() {
            self.problems.add_help(
                item.span(),
                "the api key must come from the environment".into(),
                "not an environment variable",
                Some(
                    "write `api_key = { env = \"QLOWER_API_KEY\" }` and export that variable"
                        .into(),
                ),
            );
        }
        env.map(str::to_string)
    }

    fn inputs(&mut self, item: Option<&Item>) -> Vec<Input> {
        let Some(table) = item.and_then(|item| self.table(item, "`[inputs]`")) else {
            return Vec::new();
        };
        let mut inputs = Vec::new();
        for (name, item) in table.iter() {
            let what = format!("`[inputs.{name}]`");
            let Some(input) = self.table(item, &what) else { continue };
            self.keys(input, INPUT_KEYS, &what);
            let span = table.key(name).and_then(|k| k.span());
            inputs.push(self.input(name, span, input, &what));
        }
        inputs
    }

    fn input(
        &mut self,
        name: &str,
        span: Option<Range<usize>>,
        t: &dyn TableLike,
        what: &str,
    ) -> Input {
        let (sheet, header_row, stop_at) = self.reading(t, what);
        Input {
            name: name.to_string(),
            span,
            path: t.get("path").and_then(|i| self.string(i, "`path`")),
            encoding: t.get("encoding").and_then(|i| self.encoding(i)),
            delimiter: t.get("delimiter").and_then(|i| self.delimiter(i)),
            sheet,
            header_row,
            stop_at,
        }
    }

    /// The keys shared by inputs and sections: sheet, header row, end marker.
    pub(super) fn reading(
        &mut self,
        t: &dyn TableLike,
        what: &str,
    ) -> (Option<SheetRef>, Option<u64>, Option<Regex>) {
        let sheet = t.get("sheet").and_then(|i| self.sheet(i));
        let mut header_row = t.get("header_row").and_then(|i| self.positive(i, "`header_row`", 1));
        if let Some(item) = t.get("skip_rows") {
            let skip = self.positive(item, "`skip_rows`", 0);
            if header_row.is_some() {
                let message = format!("{what} gives both `header_row` and `skip_rows`");
                self.problems.add(item.span(), message, "keep one of the two");
            }
            header_row = header_row.or(skip.map(|s| s + 1));
        }
        let stop_at = t.get("stop_at").and_then(|i| self.regex(i, "`stop_at`"));
        (sheet, header_row, stop_at)
    }

    fn sheet(&mut self, item: &Item) -> Option<SheetRef> {
        if let Some(name) = item.as_str() {
            return Some(SheetRef::Name(name.to_string()));
        }
        self.positive(item, "`sheet` (a name or a 1-based number)", 1)
            .map(|n| SheetRef::Index(n as usize))
    }

    fn encoding(&mut self, item: &Item) -> Option<String> {
        let name = self.string(item, "`encoding`")?;
        if encoding_rs::Encoding::for_label(name.trim().as_bytes()).is_none() {
            self.problems.add_help(
                item.span(),
                format!("unknown encoding `{name}`"),
                "unknown encoding",
                Some("use `utf-8`, `windows-1252` or `iso-8859-1`".into()),
            );
            return None;
        }
        Some(name)
    }

    fn delimiter(&mut self, item: &Item) -> Option<u8> {
        let text = self.string(item, "`delimiter`")?;
        match text.as_str() {
            "tab" | "\t" => Some(b'\t'),
            one if one.len() == 1 => Some(one.as_bytes()[0]),
            _ => {
                let message = format!("`delimiter` is `{text}`, expected one ASCII character");
                let help = Some("use `;`, `,`, `|` or `tab`".to_string());
                self.problems.add_help(item.span(), message, "not one character", help);
                None
            }
        }
    }

    /// A list of strings, or a problem.
    pub fn strings(&mut self, item: &Item, what: &str) -> Option<Vec<String>> {
        let list: Option<Vec<String>> = item
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect());
        if list.is_none() {
            self.problems.add(
                item.span(),
                format!("{what} must be a list of strings"),
                "expected strings",
            );
        }
        list
    }
}
