//! The incremental validator: objects are given one by one (by `convert`, or
//! by the streaming reader), judged at once, and counted; links that point
//! forward wait for `finish`.

use serde_json::{Map, Value};

use super::header;
use super::ids::{IdSet, Links, Pending};
use super::problem::Problem;
use super::report::{At, ItemCount, Ko, ModelCount, ObjectError, Report, Stamp, Status, Warning};
use super::rules::{self, Context, Finding, Notice};
use super::{Options, Parent};
use crate::model::schema::{Kind, Profile, Section};

/// Warnings kept for rendering; more are only counted.
const MAX_WARNINGS: usize = 1000;

/// Judges the objects of one document as they come, then writes the report.
#[derive(Debug)]
pub struct Validator {
    options: Options,
    ids: [IdSet; 6],
    links: Links,
    tally: [ItemCount; 6],
    next_index: [usize; 6],
    next_order: u64,
    errors: Vec<ObjectError>,
    warnings: Vec<Warning>,
    warnings_omitted: usize,
    /// Why every object of the current 2.2 entry fails, when its `client` block does.
    bad_client: Option<Problem>,
}

impl Validator {
    /// A validator for one document.
    pub fn new(options: Options) -> Validator {
        Validator {
            options,
            ids: Default::default(),
            links: Links::default(),
            tally: [ItemCount::default(); 6],
            next_index: [0; 6],
            next_order: 0,
            errors: Vec::new(),
            warnings: Vec::new(),
            warnings_omitted: 0,
            bad_client: None,
        }
    }

    /// Checks the header keys (`inigPtynm`, `apiKey`, `creDtTm`, `versionId`);
    /// an error rejects the whole document.
    pub fn header(&mut self, header: &Map<String, Value>) -> Result<(), Ko> {
        for (key, value) in header {
            if header::slot(key).is_some() {
                self.header_value(key, value)?;
            }
        }
        header::check_missing(|key| header.contains_key(key))
    }

    /// Checks one header value.
    pub(crate) fn header_value(&mut self, key: &str, value: &Value) -> Result<(), Ko> {
        if let Some(warning) = header::check_value(key, value)? {
            self.warn(warning);
        }
        Ok(())
    }

    /// 2.2: opens a `clients[]` entry with its `client` block (`null` when the
    /// entry has none); objects given until the next call belong to it, and
    /// all fail when the block is invalid.
    pub fn client(&mut self, client: &Value) {
        self.bad_client = None;
        let errors = if client.is_null() {
            let at = self.at(Section::Clients, "");
            self.count(Section::Clients, false);
            self.record(&at, vec![Finding { field: Some("client"), problem: Problem::Required }])
        } else {
            self.object(Section::Clients, client, Parent::Root)
        };
        if !errors.is_empty() {
            self.bad_client = Some(match client {
                Value::Null => Problem::ClientMissing,
                _ => Problem::ClientInvalid { email: object_id(Section::Clients, client) },
            });
        }
    }

    /// Judges one object (its nested arrays are not walked: give the children
    /// with their own call, or use [`Validator::tree`]). Returns the errors
    /// found now; links to objects not seen yet are judged in `finish`.
    pub fn object(&mut self, section: Section, item: &Value, parent: Parent) -> Vec<ObjectError> {
        let id = object_id(section, item);
        self.judge(section, item, parent, &id)
    }

    /// Judges an object and, below it, its nested properties, associates and documents.
    pub fn tree(&mut self, section: Section, item: &Value, parent: Parent) {
        let id = object_id(section, item);
        self.judge(section, item, parent, &id);
        let parent = match section {
            Section::Declarants => Parent::Declarant(id.clone()),
            _ => Parent::Property(id.clone()),
        };
        for spec in section.fields() {
            if let (Some(nested), Some(Value::Array(children))) = (spec.nested, item.get(spec.key))
            {
                children.iter().for_each(|child| self.tree(nested, child, parent.clone()));
            }
        }
    }

    /// Judges the links left waiting and writes the report.
    pub fn finish(mut self) -> Report {
        let pending = std::mem::take(&mut self.links.pending);
        for group in pending.chunk_by(|a, b| a.order == b.order) {
            self.settle(group);
        }
        self.errors.sort_by_key(|e| e.order);
        let success: usize = self.tally.iter().map(|c| c.success).sum();
        let failed: usize = self.tally.iter().map(|c| c.error).sum();
        Report {
            status: Status::of(success, failed),
            total_count: success + failed,
            success_count: success,
            failed_count: failed,
            end_date: self.stamp().end_date(),
            errors: self.errors,
            combined_result: combined(&self.tally),
            warnings: self.warnings,
            warnings_omitted: self.warnings_omitted,
        }
    }

    /// Keeps a warning (the first thousand; later ones are counted).
    pub(crate) fn warn(&mut self, warning: Warning) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(warning);
        } else {
            self.warnings_omitted += 1;
        }
    }

    /// The profile the document is judged under.
    pub(crate) fn profile(&self) -> Profile {
        self.options.profile
    }

    /// The rules, the entry's client, uniqueness and links, then the count.
    fn judge(
        &mut self,
        section: Section,
        item: &Value,
        parent: Parent,
        id: &str,
    ) -> Vec<ObjectError> {
        let at = self.at(section, id);
        let ctx =
            Context { profile: self.options.profile, strict: self.options.strict, parent: &parent };
        let judgement = rules::check(section, item, &ctx);
        self.keep_notices(section, id, judgement.notices);

        let mut findings = judgement.findings;
        if let (Some(problem), false) = (&self.bad_client, section == Section::Clients) {
            findings.insert(0, Finding { field: None, problem: problem.clone() });
        }
        if section != Section::Clients && !id.is_empty() && !self.ids[slot(section)].insert(id) {
            findings
                .push(Finding { field: Some("id"), problem: Problem::Duplicate { id: id.into() } });
        }
        let waiting = self.hold_links(&at, item, !findings.is_empty());
        if !waiting || !findings.is_empty() {
            self.count(section, findings.is_empty());
        }
        self.record(&at, findings)
    }

    fn stamp(&self) -> Stamp {
        Stamp(self.options.now)
    }

    fn at<'a>(&mut self, section: Section, id: &'a str) -> At<'a> {
        let index = self.next_index[slot(section)];
        self.next_index[slot(section)] += 1;
        self.next_order += 1;
        At { section, id, index, order: self.next_order }
    }

    fn count(&mut self, section: Section, passed: bool) {
        let count = &mut self.tally[slot(section)];
        if passed {
            count.success += 1;
        } else {
            count.error += 1;
        }
    }

    fn record(&mut self, at: &At, findings: Vec<Finding>) -> Vec<ObjectError> {
        let stamp = self.stamp();
        let errors: Vec<ObjectError> =
            findings.into_iter().map(|f| ObjectError::new(at, f.field, f.problem, stamp)).collect();
        self.errors.extend(errors.iter().cloned());
        errors
    }

    /// Resolves the object's links now when possible, else keeps them for
    /// `finish`. True when some link waits.
    fn hold_links(&mut self, at: &At, item: &Value, failed: bool) -> bool {
        let mut waiting = false;
        for spec in at.section.fields() {
            let Kind::Link(target_section) = spec.kind else { continue };
            if spec.only_v22 && self.options.profile == Profile::V21 {
                continue;
            }
            let Some(Value::String(target)) = item.get(spec.key) else { continue };
            if target.is_empty() || self.exists(target_section, target) {
                continue;
            }
            let target = self.links.intern(target);
            let id = self.links.store_id(at.id);
            let (order, index, section, field) = (at.order, at.index as u32, at.section, spec.key);
            let pending =
                Pending { order, index, section, field, target_section, target, id, failed };
            self.links.pending.push(pending);
            waiting = true;
        }
        waiting
    }

    /// Judges the waiting links of one object and counts it if not yet counted.
    fn settle(&mut self, group: &[Pending]) {
        let mut passed = true;
        for link in group {
            let target = self.links.target(link.target);
            if self.exists(link.target_section, target) {
                continue;
            }
            passed = false;
            let id = self.links.id(link.id).to_string();
            let at = At {
                section: link.section,
                id: &id,
                index: link.index as usize,
                order: link.order,
            };
            let problem =
                Problem::Unresolved { target: target.to_string(), section: link.target_section };
            self.errors.push(ObjectError::new(&at, Some(link.field), problem, self.stamp()));
        }
        if !group[0].failed {
            self.count(group[0].section, passed);
        }
    }

    /// True when an object of `section` has this id, in the document or loaded earlier.
    fn exists(&self, section: Section, id: &str) -> bool {
        let known = &self.options.known;
        self.ids[slot(section)].contains(id)
            || match section {
                Section::Declarants => known.declarants.contains(id),
                Section::Properties => known.properties.contains(id),
                _ => false,
            }
    }

    fn keep_notices(&mut self, section: Section, id: &str, notices: Vec<Notice>) {
        for notice in notices {
            let warning = Warning {
                model: Some(section),
                id: Some(id.to_string()),
                message: notice.message,
                help: notice.help,
            };
            self.warn(warning);
        }
    }
}

/// The id the report gives an object: its `id` (a client block's `email`),
/// a number's text, or empty.
fn object_id(section: Section, item: &Value) -> String {
    let key = if section == Section::Clients { "email" } else { "id" };
    match item.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The position of a section in the per-section arrays.
fn slot(section: Section) -> usize {
    Section::ALL.iter().position(|s| *s == section).unwrap_or(0)
}

fn combined(tally: &[ItemCount; 6]) -> Vec<ModelCount> {
    Section::ALL
        .iter()
        .zip(tally)
        .filter(|(_, c)| c.success + c.error > 0)
        .map(|(model, item)| ModelCount { model: *model, item: *item })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn transaction(id: &str, property: &str) -> Value {
        json!({"id": id, "reqdExctnDt": "2024-01-05", "id-prty": property, "amt": 10, "ref": "r"})
    }

    fn property(id: &str) -> Value {
        json!({"id": id, "description": "d", "bldgNb": "", "streetName": "s", "streetName2": "",
               "townName": "t", "postCode": "01000", "lastName": "l", "firstName": "f",
               "email": "a@b.fr", "acquisitionDate": "2020-01-01", "tvaOption": "N"})
    }

    #[test]
    fn a_forward_link_is_judged_at_the_end() {
        let mut validator = Validator::new(Options::default());
        assert!(validator
            .object(Section::Transactions, &transaction("T-1", "P-1"), Parent::Root)
            .is_empty());
        assert!(validator
            .object(Section::Transactions, &transaction("T-2", "P-2"), Parent::Root)
            .is_empty());
        validator.object(Section::Properties, &property("P-1"), Parent::Declarant("D-1".into()));
        let report = validator.finish();
        assert_eq!((report.success_count, report.failed_count), (2, 1));
        assert_eq!(report.errors.len(), 1);
        assert_eq!((report.errors[0].id.as_str(), report.errors[0].index), ("T-2", 1));
        assert_eq!(report.errors[0].field, Some("id-prty"));
    }

    #[test]
    fn errors_come_back_with_the_object_and_its_field() {
        let mut validator = Validator::new(Options::default());
        let mut item = transaction("T-1", "P-1");
        item["amt"] = json!("12.00");
        let errors = validator.object(Section::Transactions, &item, Parent::Root);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, Some("amt"));
        assert!(matches!(errors[0].problem, Problem::WrongType { .. }));
    }

    #[test]
    fn an_invalid_client_fails_its_whole_entry() {
        let options = Options { profile: Profile::V22, ..Options::default() };
        let mut validator = Validator::new(options);
        validator.client(&json!({"email": "nope", "firstName": "A", "lastName": "B"}));
        validator.object(Section::Properties, &property("P-1"), Parent::Root);
        validator.client(&json!({"email": "a@b.fr", "firstName": "A", "lastName": "B"}));
        validator.object(Section::Transactions, &transaction("T-1", "P-1"), Parent::Root);
        let report = validator.finish();
        let failed: Vec<_> = report.errors.iter().map(|e| (e.model, e.id.as_str())).collect();
        assert_eq!(failed, [(Section::Clients, "nope"), (Section::Properties, "P-1")]);
        assert_eq!(report.status, Status::PartialSuccess);
    }

    #[test]
    fn associates_live_only_inside_a_declarant() {
        let mut validator = Validator::new(Options::default());
        let associate = json!({"id": "A-1", "civility": "M", "email": "a@b.fr"});
        assert!(validator
            .object(Section::Associates, &associate, Parent::Declarant("D-1".into()))
            .is_empty());
        let errors = validator.object(
            Section::Associates,
            &json!({"id": "A-2", "civility": "M", "email": "a@b.fr"}),
            Parent::Root,
        );
        assert!(matches!(errors[0].problem, Problem::OutsideDeclarant));
    }

    #[test]
    fn the_header_is_checked_whole() {
        let mut validator = Validator::new(Options::default());
        let header = json!({"inigPtynm": "p", "apiKey": "k", "creDtTm": "2024-01-15T10:30:00Z"});
        let ko = validator.header(header.as_object().unwrap()).unwrap_err();
        assert_eq!(ko.kind, crate::validate::KoType::KeyError);
    }
}
