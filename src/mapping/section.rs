//! The section tables of a mapping: where a section reads from, its filters,
//! its parent, and its field rules checked against the loader catalogue.

use std::ops::Range;

use toml_edit::{Item, TableLike};

use super::field::{field_rule, FieldCtx};
use super::parse::{Walk, FILTER_KEYS, SECTION_KEYS};
use super::*;
use crate::model::schema::{Need, Profile, Section};

impl Walk<'_> {
    pub(super) fn section(
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

    pub(super) fn clients(&mut self, item: &Item) -> Option<ClientsMap> {
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
