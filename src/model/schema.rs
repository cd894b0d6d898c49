//! The loader 2.0 field catalogue: every section's JSON keys, in the order the
//! spec lists them, with their kind, requiredness per profile and default.
//! The mapping checks field names against it, the model writes items in its
//! order, and the validator judges documents with it.

use std::fmt;

/// A loader profile: the platform's documentation version the document targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// Documentation 2.1: the four sections at the root.
    #[default]
    V21,
    /// Documentation 2.2: agency partners, sections grouped under `clients`.
    V22,
}

impl Profile {
    /// Parses `2.1` or `2.2`.
    pub fn parse(text: &str) -> Option<Profile> {
        match text.trim() {
            "2.1" => Some(Profile::V21),
            "2.2" => Some(Profile::V22),
            _ => None,
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::V21 => "2.1",
            Profile::V22 => "2.2",
        })
    }
}

/// A section of the document; `Clients` is the 2.2 `client` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Clients,
    Declarants,
    Properties,
    Associates,
    Transactions,
    Documents,
}

impl Section {
    /// Every section, in the order the document lists them.
    pub const ALL: [Section; 6] = [
        Section::Clients,
        Section::Declarants,
        Section::Properties,
        Section::Associates,
        Section::Transactions,
        Section::Documents,
    ];

    /// The JSON key of the section's array (and the `model` of the platform's report).
    pub fn key(self) -> &'static str {
        match self {
            Section::Clients => "clients",
            Section::Declarants => "declarants",
            Section::Properties => "properties",
            Section::Associates => "associates",
            Section::Transactions => "transactions",
            Section::Documents => "documents",
        }
    }

    /// Finds a section by its JSON key.
    pub fn from_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The fields an item of this section may carry, in the spec's order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            Section::Clients => CLIENT,
            Section::Declarants => DECLARANT,
            Section::Properties => PROPERTY,
            Section::Associates => ASSOCIATE,
            Section::Transactions => TRANSACTION,
            Section::Documents => DOCUMENT,
        }
    }

    /// Looks a field up by its exact JSON key.
    pub fn field(self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Whether a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// May be absent.
    Optional,
    /// Must be present and non-empty.
    Required,
    /// Must be present, but `""` is accepted (`bldgNb`, `streetName2` in 2.1).
    Present,
}

/// What a field holds, and so how it is parsed, written and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, a JSON string.
    Text,
    /// A calendar date written `YYYY-MM-DD`.
    Date,
    /// Money: a JSON number with at most two decimals.
    Money,
    /// A decimal quantity (area, value), a JSON number.
    Decimal,
    /// An integer, a JSON number without fraction.
    Integer,
    /// A string taken from a closed list; the lists may differ per profile.
    Code { v21: &'static [&'static str], v22: &'static [&'static str] },
    /// A code written as a digit string (`"6540"`), also accepted as an integer.
    DigitCode { v21: &'static [&'static str], v22: &'static [&'static str] },
    /// An integer code (`taxRegime`), written as a JSON integer.
    IntCode { v21: &'static [&'static str], v22: &'static [&'static str] },
    /// A year `YYYY`, written as a string and accepted as an integer.
    Year,
    /// An http(s) URL.
    Url,
    /// An email address.
    Email,
    /// A SIREN: 9 digits with a Luhn check digit.
    Siren,
    /// A NIC: 5 digits (SIRET = SIREN + NIC).
    Nic,
    /// A SIRET: 14 digits with a Luhn check digit (La Poste excepted).
    Siret,
    /// A text id that must name an item of another section.
    Link(Section),
}

impl Kind {
    /// The accepted codes under `profile`, for the three code kinds.
    pub fn codes(self, profile: Profile) -> Option<&'static [&'static str]> {
        match self {
            Kind::Code { v21, v22 } | Kind::DigitCode { v21, v22 } | Kind::IntCode { v21, v22 } => {
                Some(match profile {
                    Profile::V21 => v21,
                    Profile::V22 => v22,
                })
            }
            _ => None,
        }
    }

    /// True when the JSON value is a number (money, decimals, integers, `taxRegime`).
    pub fn is_number(self) -> bool {
        matches!(self, Kind::Money | Kind::Decimal | Kind::Integer | Kind::IntCode { .. })
    }
}

/// One field of a section.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The exact JSON key, `id-prty` included.
    pub key: &'static str,
    pub kind: Kind,
    /// Requiredness under profile 2.1.
    pub v21: Need,
    /// Requiredness under profile 2.2.
    pub v22: Need,
    /// The documented default, applied when the field is absent.
    pub default: Option<&'static str>,
    /// True for the fields that exist only in 2.2 (`id-tenant`, document `declarantId`).
    pub only_v22: bool,
    /// True for the arrays of nested items (`properties`, `associates`, `documents`).
    pub nested: Option<Section>,
}

impl FieldSpec {
    /// The requiredness under `profile`.
    pub fn need(&self, profile: Profile) -> Need {
        match profile {
            Profile::V21 => self.v21,
            Profile::V22 => self.v22,
        }
    }
}

const fn field(key: &'static str, kind: Kind, v21: Need, v22: Need) -> FieldSpec {
    FieldSpec { key, kind, v21, v22, default: None, only_v22: false, nested: None }
}

const fn req(key: &'static str, kind: Kind) -> FieldSpec {
    field(key, kind, Need::Required, Need::Required)
}

const fn opt(key: &'static str, kind: Kind) -> FieldSpec {
    field(key, kind, Need::Optional, Need::Optional)
}

const fn with_default(spec: FieldSpec, default: &'static str) -> FieldSpec {
    FieldSpec { default: Some(default), ..spec }
}

const fn only_v22(key: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec { only_v22: true, ..opt(key, kind) }
}

const fn nested(key: &'static str, section: Section) -> FieldSpec {
    FieldSpec { nested: Some(section), ..opt(key, Kind::Text) }
}

const fn code(v: &'static [&'static str]) -> Kind {
    Kind::Code { v21: v, v22: v }
}

const YES_NO: &[&str] = &["O", "N"];

/// Annex A, `legalStatusId`.
pub const LEGAL_STATUS: &[&str] = &["5426", "5710", "1000", "2110", "6540", "6599"];
/// Annex B, `taxCategoryId`.
pub const TAX_CATEGORY: &[&str] = &["1", "2", "3", "4", "5"];
/// Annex C, `taxRegimeId`, documentation 2.1.
pub const TAX_REGIME_ID_V21: &[&str] = &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
/// Annex C, `taxRegimeId`, documentation 2.2.
pub const TAX_REGIME_ID_V22: &[&str] = &["3", "4", "10", "11", "12"];
/// Annex D, `taxRegime`, documentation 2.1.
pub const TAX_REGIME_V21: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20", "21", "22",
];
/// Annex D, `taxRegime`, documentation 2.2 (2.1's codes and the additions).
pub const TAX_REGIME_V22: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
    "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "90", "91", "92", "93", "94",
    "95",
];
/// Annex E, `fileType`.
pub const FILE_TYPE: &[&str] = &["26", "27", "42", "53", "55", "56", "58", "59", "60", "61"];

const DIGITS_LEGAL: Kind = Kind::DigitCode { v21: LEGAL_STATUS, v22: LEGAL_STATUS };
const DIGITS_CATEGORY: Kind = Kind::DigitCode { v21: TAX_CATEGORY, v22: TAX_CATEGORY };
const DIGITS_REGIME_ID: Kind = Kind::DigitCode { v21: TAX_REGIME_ID_V21, v22: TAX_REGIME_ID_V22 };
const INT_REGIME: Kind = Kind::IntCode { v21: TAX_REGIME_V21, v22: TAX_REGIME_V22 };

/// The 2.2 `client` block.
pub const CLIENT: &[FieldSpec] = &[
    req("email", Kind::Email),
    req("firstName", Kind::Text),
    req("lastName", Kind::Text),
    opt("phoneNumber", Kind::Text),
];

/// Section 2 of the spec.
pub const DECLARANT: &[FieldSpec] = &[
    req("id", Kind::Text),
    opt("sirenId", Kind::Siren),
    opt("nicId", Kind::Nic),
    req("legalStatusId", DIGITS_LEGAL),
    opt("taxRegimeAggregation", code(&["IR", "IS"])),
    opt("taxCategoryId", DIGITS_CATEGORY),
    opt("taxRegimeId", DIGITS_REGIME_ID),
    req("corporateName", Kind::Text),
    opt("debActDate", Kind::Date),
    req("address", Kind::Text),
    req("townName", Kind::Text),
    req("postCode", Kind::Text),
    opt("ogaSiretId", Kind::Siret),
    opt("ogaName", Kind::Text),
    opt("ogaId", Kind::Text),
    opt("ogaNumber", Kind::Text),
    nested("properties", Section::Properties),
    nested("associates", Section::Associates),
];

/// Section 3 of the spec.
pub const PROPERTY: &[FieldSpec] = &[
    req("id", Kind::Text),
    opt("declarantId", Kind::Link(Section::Declarants)),
    opt("remove", code(&["", "R"])),
    opt("type", code(&["A", "H", "CL", "P"])),
    req("description", Kind::Text),
    with_default(opt("furnished", code(YES_NO)), "N"),
    opt("managed", code(&["D", "A", "STRP", "M"])),
    with_default(field("bldgNb", Kind::Text, Need::Present, Need::Optional), ""),
    req("streetName", Kind::Text),
    field("streetName2", Kind::Text, Need::Present, Need::Optional),
    req("townName", Kind::Text),
    req("postCode", Kind::Text),
    with_default(req("ctry", Kind::Text), "FR"),
    req("lastName", Kind::Text),
    req("firstName", Kind::Text),
    opt("telNumber", Kind::Text),
    req("email", Kind::Email),
    opt("constructionDate", Kind::Date),
    req("acquisitionDate", Kind::Date),
    opt("nbrRooms", Kind::Integer),
    opt("area", Kind::Decimal),
    opt("terrArea", Kind::Decimal),
    opt("gardArea", Kind::Decimal),
    opt("nbrFloors", Kind::Integer),
    opt("nbrPark", Kind::Integer),
    opt("siretId", Kind::Siret),
    field("tvaOption", code(&["N", "10", "20"]), Need::Required, Need::Optional),
    with_default(opt("netReevaluation", Kind::Decimal), "0"),
    opt("debActDate", Kind::Date),
    with_default(req("taxRegime", INT_REGIME), "7"),
    opt("workCompDate", Kind::Date),
    opt("costPrice", Kind::Decimal),
    opt("completionStatus", code(&["NEW", "VEFA", "OLD"])),
    opt("startConstrDate", Kind::Date),
    with_default(opt("dismemberedProperty", code(YES_NO)), "N"),
    opt("agencyFee", Kind::Decimal),
    opt("notaryFee", Kind::Decimal),
    nested("documents", Section::Documents),
];

/// Section 4 of the spec.
pub const ASSOCIATE: &[FieldSpec] = &[
    req("id", Kind::Text),
    req("civility", code(&["M", "MME", "SOC"])),
    opt("firstName", Kind::Text),
    opt("lastName", Kind::Text),
    opt("address", Kind::Text),
    opt("townName", Kind::Text),
    opt("ctry", Kind::Text),
    req("email", Kind::Email),
    with_default(opt("manager", code(YES_NO)), "N"),
];

/// Section 5 of the spec.
pub const TRANSACTION: &[FieldSpec] = &[
    req("id", Kind::Text),
    req("reqdExctnDt", Kind::Date),
    req("id-prty", Kind::Link(Section::Properties)),
    req("amt", Kind::Money),
    with_default(opt("ccy", code(&["EUR", "USD", "GBP"])), "EUR"),
    opt("purpose", Kind::Text),
    req("ref", Kind::Text),
    only_v22("id-tenant", Kind::Text),
];

/// Section 6 of the spec. `propertyId` and `fileType` loosen in 2.2 (see the validator).
pub const DOCUMENT: &[FieldSpec] = &[
    req("id", Kind::Text),
    field("propertyId", Kind::Link(Section::Properties), Need::Required, Need::Optional),
    only_v22("declarantId", Kind::Link(Section::Declarants)),
    req("fileName", Kind::Text),
    field("fileType", code(FILE_TYPE), Need::Required, Need::Optional),
    req("year", Kind::Year),
    req("fileLink", Kind::Url),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_each_section() {
        for section in Section::ALL {
            let mut keys: Vec<_> = section.fields().iter().map(|f| f.key).collect();
            keys.sort_unstable();
            let before = keys.len();
            keys.dedup();
            assert_eq!(before, keys.len(), "duplicate key in {section}");
        }
    }

    #[test]
    fn transaction_keeps_the_hyphenated_property_key() {
        assert!(Section::Transactions.field("id-prty").is_some());
        assert!(Section::Transactions.field("idPrty").is_none());
    }

    #[test]
    fn code_lists_follow_the_profile() {
        let kind = Section::Declarants.field("taxRegimeId").unwrap().kind;
        assert!(kind.codes(Profile::V21).unwrap().contains(&"1"));
        assert!(!kind.codes(Profile::V22).unwrap().contains(&"1"));
        assert!(kind.codes(Profile::V22).unwrap().contains(&"12"));
    }
}
