//! Plans a starting mapping from a survey: which section each table feeds
//! (from `--section`, the sheet's name or its headers), which column nests a
//! child table under its parent, and the fields of each.

use super::fields::{draft_fields, Fields};
use super::guess::ColumnProfile;
use super::names::{field_names, normalize, score, sheet_section, AMOUNT, CREDIT, DEBIT};
use super::read::{Survey, TableSurvey};
use crate::model::schema::{Profile, Section};

/// The order tables are drafted in: parents before the children that link to them.
const ORDER: [Section; 5] = [
    Section::Declarants,
    Section::Properties,
    Section::Associates,
    Section::Documents,
    Section::Transactions,
];

/// What `init` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The section to fill; guessed when absent.
    pub section: Option<Section>,
    /// The partner id for `[loader]`; a placeholder when absent.
    pub partner: Option<String>,
}

/// A planned mapping: one section per table used, and notes on the tables left out.
#[derive(Debug)]
pub struct Draft<'s> {
    pub survey: &'s Survey,
    pub options: Options,
    pub sections: Vec<SectionDraft<'s>>,
    /// Why tables were left out, for the mapping's opening comments.
    pub skipped: Vec<String>,
}

/// One section of the planned mapping.
#[derive(Debug)]
pub struct SectionDraft<'s> {
    pub section: Section,
    pub table: &'s TableSurvey,
    /// The parent section and the column holding the parent's id.
    pub parent: Option<(Section, &'s ColumnProfile)>,
    pub fields: Fields,
}

impl SectionDraft<'_> {
    /// The columns no field, nor the parent link, uses.
    pub fn unmatched(&self) -> Vec<&ColumnProfile> {
        let parent = self.parent.map(|(_, c)| c.index);
        self.table
            .columns
            .iter()
            .filter(|c| !self.fields.used.contains(&c.index) && Some(c.index) != parent)
            .collect()
    }
}

/// Plans the mapping for a survey.
pub fn draft<'s>(survey: &'s Survey, options: Options) -> Draft<'s> {
    let mut skipped = Vec::new();
    let mut chosen: Vec<(Section, &TableSurvey)> = Vec::new();
    let single = survey.tables.len() == 1;
    for table in &survey.tables {
        let name = table.sheet.as_deref().map_or(String::new(), |s| format!("sheet `{s}`"));
        if table.header_row.is_none() {
            skipped.push(format!("{name}: no header row, nothing to map"));
            continue;
        }
        let section = match options.section {
            Some(section) if single => section,
            _ => guess_section(table),
        };
        if options.section.is_some_and(|s| s != section) {
            skipped.push(format!("{name}: looks like {section}, not the section asked for"));
        } else if let Some((_, first)) = chosen.iter().find(|(s, _)| *s == section) {
            let first = first.sheet.as_deref().unwrap_or_default();
            skipped.push(format!("{name}: also {section}, already read from sheet `{first}`"));
        } else {
            chosen.push((section, table));
        }
    }
    let sections = plan_sections(&chosen, &mut skipped);
    Draft { survey, options, sections, skipped }
}

fn plan_sections<'s>(
    chosen: &[(Section, &'s TableSurvey)],
    skipped: &mut Vec<String>,
) -> Vec<SectionDraft<'s>> {
    let mut planned: Vec<SectionDraft<'s>> = Vec::new();
    for section in ORDER {
        let Some((_, table)) = chosen.iter().find(|(s, _)| *s == section) else { continue };
        let parent = parent_link(section, table, &planned);
        if section == Section::Associates && parent.is_none() {
            let name = table.sheet.as_deref().unwrap_or_default();
            skipped.push(format!(
                "sheet `{name}`: associates exist only inside a declarant, and no column \
                 links these rows to the declarants' ids (run init on the whole workbook)"
            ));
            continue;
        }
        let parent_key = parent.map(|(_, c)| c.index);
        let fields = draft_fields(section, &table.columns, parent_key, Profile::V21);
        planned.push(SectionDraft { section, table, parent, fields });
    }
    planned
}

/// The section a table looks like: its sheet name says it, or its headers
/// name the most fields of one section (transactions on a tie).
pub fn guess_section(table: &TableSurvey) -> Section {
    if let Some(section) = table.sheet.as_deref().and_then(sheet_section) {
        return section;
    }
    let count = |section: Section| {
        table
            .columns
            .iter()
            .filter(|c| {
                let header = normalize(&c.header);
                let amount = [DEBIT, CREDIT, AMOUNT].iter().any(|n| score(&header, n) == 3);
                let named = section
                    .fields()
                    .iter()
                    .any(|f| score(&header, field_names(section, f.key)) >= 2);
                named || (section == Section::Transactions && amount)
            })
            .count()
    };
    let mut best = (count(Section::Transactions), Section::Transactions);
    for section in ORDER {
        let n = count(section);
        if n > best.0 {
            best = (n, section);
        }
    }
    best.1
}

/// The column of a child table that holds its parent's ids: its values are
/// all among the parent's ids, or its header names the parent.
fn parent_link<'s>(
    section: Section,
    table: &'s TableSurvey,
    planned: &[SectionDraft<'_>],
) -> Option<(Section, &'s ColumnProfile)> {
    let parent = match section {
        Section::Properties | Section::Associates => Section::Declarants,
        Section::Documents => Section::Properties,
        _ => return None,
    };
    let parent_draft = planned.iter().find(|d| d.section == parent)?;
    let ids = parent_ids(parent_draft)?;
    let words: &[&str] = match parent {
        Section::Declarants => &["declarant", "societe"],
        _ => &["bien", "property", "logement", "lot"],
    };
    let points = |column: &ColumnProfile| {
        let header = normalize(&column.header);
        let named = header.split(' ').any(|w| words.iter().any(|p| w.starts_with(p)));
        let values = !column.distinct.is_empty() && column.distinct.iter().all(|v| ids.contains(v));
        u8::from(values) * 2 + u8::from(named)
    };
    let best = table
        .columns
        .iter()
        .filter(|c| !c.header.is_empty())
        .max_by_key(|c| (points(c), std::cmp::Reverse(c.index)))?;
    (points(best) > 0).then_some((parent, best))
}

/// The ids of a drafted parent section, when they come from one column.
fn parent_ids(parent: &SectionDraft<'_>) -> Option<Vec<String>> {
    let id = parent.fields.lines.iter().find(|l| l.key == "id")?;
    let column = parent.table.columns.iter().find(|c| id.rule == super::toml::string(&c.header))?;
    Some(column.distinct.clone())
}
