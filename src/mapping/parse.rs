//! Reads the mapping's TOML with toml_edit, which keeps spans, and walks it
//! table by table: unknown keys, wrong types and unknown loader fields are
//! collected with their place in the file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use regex::Regex;
use toml_edit::{Document, Item, TableLike};

use super::field::{field_rule, FieldCtx};
use super::*;
use crate::model::schema::{Need, Profile, Section};

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
const SECTION_KEYS: &[&str] =
    &["from", "sheet", "header_row", "skip_rows", "stop_at", "filter", "parent", "fields"];
const FILTER_KEYS: &[&str] =
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
    fn reading(
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

    fn section(
        &mut self,
        section: Section,
        item: &Item,
        inputs: &[Input],
        profile: Profile,
    ) -> Option<SectionMap> {
        let what = format!("`[{section}]`");
        let table = self.table(item, &what)?;
        self.keys(table, SECTION_KEYS, &what);
        let span = item.span();
        let from = self.from(table, inputs, span.clone(), &what)?;
        let (sheet, header_row, stop_at) = self.reading(table, &what);
        let filters = table.get("filter").map(|i| self.filters(i)).unwrap_or_default();
        let parent = self.parent(section, table, span.clone());
        let nested_under = parent.as_ref().map(|p| p.section);
        let fields = match table.get("fields") {
            Some(item) => self.fields(section, item, profile),
            None => {
                let message = format!("{what} has no `fields` table");
                let help = Some(format!("add `[{section}.fields]` with one line per loader field"));
                self.problems.add_help(span.clone(), message, "no fields", help);
                Vec::new()
            }
        };
        self.required(section, &fields, nested_under, profile, span.clone());
        Some(SectionMap {
            section,
            span,
            from,
            sheet,
            header_row,
            stop_at,
            filters,
            parent,
            fields,
        })
    }

    /// `from = "input"`; may be left out when the mapping has one input only.
    fn from(
        &mut self,
        t: &dyn TableLike,
        inputs: &[Input],
        span: Option<Range<usize>>,
        what: &str,
    ) -> Option<Spanned<String>> {
        let Some(item) = t.get("from") else {
            if let [only] = inputs {
                return Some(Spanned { value: only.name.clone(), span });
            }
            let help = Some("name one of the `[inputs.NAME]` tables with `from = \"NAME\"`".into());
            self.problems.add_help(span, format!("{what} has no `from`"), "which input?", help);
            return None;
        };
        let name = self.string(item, "`from`")?;
        if inputs.iter().all(|i| i.name != name) {
            let help = did_you_mean(&name, inputs.iter().map(|i| i.name.as_str()))
                .or_else(|| Some("declare it as `[inputs.NAME]` with a `path`".into()));
            self.problems.add_help(
                item.span(),
                format!("unknown input `{name}`"),
                "no such input",
                help,
            );
        }
        Some(Spanned { value: name, span: item.span() })
    }

    fn filters(&mut self, item: &Item) -> Vec<Filter> {
        let tables: Vec<&dyn TableLike> =
            match (item.as_table_like(), item.as_array(), item.as_array_of_tables()) {
                (Some(one), _, _) => vec![one],
                (_, Some(array), _) => array
                    .iter()
                    .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                    .collect(),
                (_, _, Some(array)) => array.iter().map(|t| t as &dyn TableLike).collect(),
                _ => {
                    self.problems.add(
                        item.span(),
                        "`filter` must be a table or a list of tables".into(),
                        "not a filter",
                    );
                    return Vec::new();
                }
            };
        tables.into_iter().filter_map(|t| self.filter(t, item.span())).collect()
    }

    fn filter(&mut self, t: &dyn TableLike, span: Option<Range<usize>>) -> Option<Filter> {
        self.keys(t, FILTER_KEYS, "a filter");
        let column =
            t.get("column").and_then(|i| Some(Col::new(self.string(i, "`column`")?, i.span())));
        let test = if let Some(i) = t.get("matches") {
            self.regex(i, "`matches`").map(Test::Matches)
        } else if let Some(i) = t.get("not_matches") {
            self.regex(i, "`not_matches`").map(Test::NotMatches)
        } else if let Some(i) = t.get("equals") {
            self.string(i, "`equals`").map(Test::Equals)
        } else if let Some(i) = t.get("not_equals") {
            self.string(i, "`not_equals`").map(Test::NotEquals)
        } else if let Some(i) = t.get("in") {
            self.strings(i, "`in`").map(Test::In)
        } else if t.get("not_empty").and_then(Item::as_bool) == Some(true) {
            Some(Test::NotEmpty)
        } else {
            let help = Some("give one of `matches`, `not_matches`, `equals`, `not_equals`, `in`, `not_empty = true`".into());
            self.problems.add_help(span.clone(), "a filter has no test".into(), "no test", help);
            None
        };
        if column.is_none() {
            self.problems.add(span, "a filter has no `column`".into(), "which column?");
        }
        Some(Filter { column: column?, test: test? })
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

    fn parent(
        &mut self,
        section: Section,
        t: &dyn TableLike,
        span: Option<Range<usize>>,
    ) -> Option<ParentLink> {
        let allowed = match section {
            Section::Properties | Section::Associates => Some(Section::Declarants),
            Section::Documents => Some(Section::Properties),
            _ => None,
        };
        let Some(item) = t.get("parent") else {
            if section == Section::Associates {
                let help =
                    Some("add `parent = { section = \"declarants\", key = \"COLUMN\" }`".into());
                self.problems.add_help(
                    span,
                    "associates exist only inside a declarant".into(),
                    "no parent",
                    help,
                );
            }
            return None;
        };
        let link = self.table(item, "`parent`")?;
        self.keys(link, &["section", "key"], "`parent`");
        let parent = link.get("section").and_then(|i| self.string(i, "`section`"));
        let key = link.get("key").and_then(|i| Some(Col::new(self.string(i, "`key`")?, i.span())));
        let parent =
            parent.and_then(|name| Section::from_key(&name).filter(|s| Some(*s) == allowed));
        match (parent, allowed) {
            (Some(parent), _) => Some(ParentLink { section: parent, key: key? }),
            (None, Some(expected)) => {
                let message = format!("{section} nest under `{expected}`");
                self.problems.add(item.span(), message, "wrong parent section");
                None
            }
            (None, None) => {
                self.problems.add(
                    item.span(),
                    format!("{section} cannot be nested"),
                    "not nestable",
                );
                None
            }
        }
    }

    fn fields(&mut self, section: Section, item: &Item, profile: Profile) -> Vec<FieldMap> {
        let what = format!("`[{section}.fields]`");
        let Some(table) = self.table(item, &what) else { return Vec::new() };
        let mut fields = Vec::new();
        for (key, value) in table.iter() {
            let key_span = table.key(key).and_then(|k| k.span());
            let Some(spec) = self.field_spec(section, key, key_span.clone(), profile) else {
                continue;
            };
            let ctx = FieldCtx { key, span: value.span().or(key_span.clone()) };
            if let Some(rule) = field_rule(self, value, &ctx) {
                fields.push(FieldMap { spec, span: key_span, rule });
            }
        }
        fields
    }

    fn field_spec(
        &mut self,
        section: Section,
        key: &str,
        span: Option<Range<usize>>,
        profile: Profile,
    ) -> Option<&'static FieldSpec> {
        let mappable = || section.fields().iter().filter(|f| f.nested.is_none()).map(|f| f.key);
        match section.field(key) {
            Some(spec) if spec.nested.is_some() => {
                let help = Some(format!(
                    "map `[{key}]` with `parent = {{ section = \"{section}\", key = \"COLUMN\" }}`"
                ));
                self.problems.add_help(
                    span,
                    format!("`{key}` is a nested section, not a field"),
                    "nested section",
                    help,
                );
                None
            }
            Some(spec) if spec.only_v22 && profile == Profile::V21 => {
                let help = Some("set `profile = \"2.2\"` in `[loader]`".into());
                self.problems.add_help(
                    span,
                    format!("`{key}` exists only in profile 2.2"),
                    "2.2 only",
                    help,
                );
                None
            }
            Some(spec) => Some(spec),
            None => {
                let help = did_you_mean(key, mappable()).or_else(|| {
                    Some(format!(
                        "the fields of {section} are {}",
                        mappable().collect::<Vec<_>>().join(", ")
                    ))
                });
                self.problems.add_help(
                    span,
                    format!("unknown loader field `{key}` for {section}"),
                    "not a loader field",
                    help,
                );
                None
            }
        }
    }

    /// Reports required fields that nothing fills: no rule, no default, no parent.
    fn required(
        &mut self,
        section: Section,
        fields: &[FieldMap],
        parent: Option<Section>,
        profile: Profile,
        span: Option<Range<usize>>,
    ) {
        for spec in section.fields() {
            let mapped = fields.iter().any(|f| f.spec.key == spec.key);
            let filled_by_parent = parent == Some(Section::Properties) && spec.key == "propertyId";
            if mapped
                || filled_by_parent
                || spec.default.is_some()
                || spec.need(profile) != Need::Required
            {
                continue;
            }
            let help = Some(format!(
                "add `{} = \"COLUMN\"` (or a constant) to `[{section}.fields]`",
                quote_key(spec.key)
            ));
            self.problems.add_help(
                span.clone(),
                format!("required field `{}` of {section} is not mapped", spec.key),
                "incomplete section",
                help,
            );
        }
    }

    fn clients(&mut self, item: &Item) -> Option<ClientsMap> {
        let table = self.table(item, "`[clients]`")?;
        self.keys(table, &["key", "fields"], "`[clients]`");
        let key = match table.get("key") {
            Some(i) => Spanned { value: self.string(i, "`key`")?, span: i.span() },
            None => {
                let help = Some(
                    "name the column that identifies the client, e.g. `key = \"Email client\"`"
                        .into(),
                );
                self.problems.add_help(
                    item.span(),
                    "`[clients]` has no `key`".into(),
                    "no key",
                    help,
                );
                return None;
            }
        };
        let fields = table
            .get("fields")
            .map(|f| self.fields(Section::Clients, f, Profile::V22))
            .unwrap_or_default();
        self.required(Section::Clients, &fields, None, Profile::V22, item.span());
        Some(ClientsMap { span: item.span(), key, fields })
    }
}

/// A field key as it must be written in TOML (`"id-prty"` needs quotes).
fn quote_key(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        key.to_string()
    } else {
        format!("\"{key}\"")
    }
}
