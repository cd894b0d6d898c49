//! The words accountants write for the loader's codes (`SCI` -> `6540`,
//! `Appartement` -> `A`, `Oui` -> `O`), to draft the value maps of `init`.

use super::names::normalize;
use crate::model::schema::{FieldSpec, Profile};

/// A drafted value map: each value seen with its code, and the values no
/// known word matched (the user decides those).
#[derive(Debug, Default, PartialEq)]
pub struct CodeMap {
    pub pairs: Vec<(String, String)>,
    pub unknown: Vec<String>,
}

/// The value map a code field needs for these values, or `None` when the
/// values already are valid codes.
pub fn code_map(spec: &FieldSpec, values: &[String], profile: Profile) -> Option<CodeMap> {
    let codes = spec.kind.codes(profile)?;
    if values.iter().all(|v| codes.contains(&v.trim())) {
        return None;
    }
    let mut map = CodeMap::default();
    for value in values {
        match code_for(spec.key, value, codes) {
            Some(code) => map.pairs.push((value.trim().to_string(), code.to_string())),
            None => map.unknown.push(value.trim().to_string()),
        }
    }
    Some(map)
}

/// The code a value stands for: itself when it is a code (in any case), or
/// the code of a known word.
fn code_for(key: &str, value: &str, codes: &[&'static str]) -> Option<&'static str> {
    let trimmed = value.trim();
    if let Some(code) = codes.iter().find(|c| c.eq_ignore_ascii_case(trimmed)) {
        return Some(code);
    }
    let normal = normalize(value);
    let (_, words) = WORDS.iter().find(|(k, _)| *k == key)?;
    words
        .iter()
        .find(|(word, _)| *word == normal)
        .map(|(_, code)| *code)
        .filter(|code| codes.contains(code))
}

/// The codes of a field, with what each means, for the comments of `init`.
pub fn meaning(key: &str) -> Option<&'static str> {
    MEANINGS.iter().find(|(k, _)| *k == key).map(|(_, text)| *text)
}

type Words = &'static [(&'static str, &'static str)];

const YES_NO: Words = &[
    ("oui", "O"),
    ("non", "N"),
    ("yes", "O"),
    ("no", "N"),
    ("vrai", "O"),
    ("faux", "N"),
    ("true", "O"),
    ("false", "N"),
    ("x", "O"),
];

const WORDS: &[(&str, Words)] = &[
    (
        "legalStatusId",
        &[
            ("sci", "6540"),
            ("societe civile immobiliere", "6540"),
            ("sarl", "5426"),
            ("sarl de famille", "5426"),
            ("sas", "5710"),
            ("sasu", "5710"),
            ("nom propre", "1000"),
            ("entreprise individuelle", "1000"),
            ("ei", "1000"),
            ("indivision", "2110"),
            ("societe civile", "6599"),
            ("autre societe civile", "6599"),
        ],
    ),
    ("taxRegimeAggregation", &[("impot sur le revenu", "IR"), ("impot sur les societes", "IS")]),
    (
        "taxCategoryId",
        &[
            ("ba", "1"),
            ("bic", "2"),
            ("bnc", "3"),
            ("revenus fonciers", "4"),
            ("rf", "4"),
            ("foncier", "4"),
            ("ne sait pas", "5"),
        ],
    ),
    (
        "taxRegimeId",
        &[("reel normal", "3"), ("reel simplifie", "4"), ("micro", "11"), ("ne sait pas", "12")],
    ),
    (
        "type",
        &[
            ("appartement", "A"),
            ("studio", "A"),
            ("maison", "H"),
            ("villa", "H"),
            ("local commercial", "CL"),
            ("commerce", "CL"),
            ("bureau", "CL"),
            ("bureaux", "CL"),
            ("parking", "P"),
            ("garage", "P"),
            ("box", "P"),
        ],
    ),
    ("furnished", YES_NO),
    ("manager", YES_NO),
    ("dismemberedProperty", YES_NO),
    (
        "managed",
        &[
            ("directe", "D"),
            ("direct", "D"),
            ("gestion directe", "D"),
            ("agence", "A"),
            ("plateforme", "STRP"),
            ("airbnb", "STRP"),
            ("mandataire", "M"),
        ],
    ),
    ("tvaOption", &[("non", "N"), ("sans", "N"), ("10", "10"), ("20", "20")]),
    (
        "taxRegime",
        &[
            ("reel", "3"),
            ("foncier reel", "3"),
            ("micro foncier", "4"),
            ("lmnp reel", "5"),
            ("bic reel", "5"),
            ("lmnp micro", "6"),
            ("micro bic", "6"),
            ("ne sait pas", "7"),
            ("autre", "8"),
            ("pinel 6 ans", "1"),
            ("pinel 9 ans", "2"),
            ("censi bouvard", "10"),
            ("monument historique", "11"),
            ("malraux", "12"),
        ],
    ),
    ("completionStatus", &[("neuf", "NEW"), ("vefa", "VEFA"), ("ancien", "OLD")]),
    (
        "civility",
        &[
            ("m", "M"),
            ("mr", "M"),
            ("monsieur", "M"),
            ("mme", "MME"),
            ("madame", "MME"),
            ("societe", "SOC"),
        ],
    ),
    (
        "fileType",
        &[
            ("liasse fiscale", "26"),
            ("autre", "27"),
            ("autres documents", "27"),
            ("acte notarie", "42"),
            ("acte de vente", "42"),
            ("tableau d amortissement", "53"),
            ("tableau des immobilisations", "58"),
            ("kbis", "59"),
            ("extrait kbis", "59"),
            ("k bis", "59"),
            ("memento fiscal", "61"),
        ],
    ),
    ("ccy", &[("euro", "EUR"), ("euros", "EUR"), ("dollar", "USD"), ("livre", "GBP")]),
];

const MEANINGS: &[(&str, &str)] = &[
    (
        "legalStatusId",
        "5426 SARL, 5710 SAS, 1000 sole trader, 2110 indivision, 6540 SCI, 6599 other civil company",
    ),
    ("taxRegimeAggregation", "IR income tax, IS corporate tax"),
    ("taxCategoryId", "1 BA, 2 BIC, 3 BNC, 4 revenus fonciers, 5 don't know"),
    ("taxRegimeId", "3 normal real, 4 simplified real, 10 form 2072 (see annex C)"),
    ("type", "A flat, H house, CL commercial, P parking"),
    ("furnished", "O yes, N no"),
    ("manager", "O yes, N no"),
    ("dismemberedProperty", "O yes, N no"),
    ("managed", "D direct, A agency, STRP short-stay platform, M agent"),
    ("tvaOption", "N, 10, 20"),
    ("taxRegime", "3 real, 4 micro, 5 BIC real, 6 BIC micro, 7 don't know (see annex D)"),
    ("completionStatus", "NEW, VEFA, OLD"),
    ("civility", "M, MME, SOC"),
    ("fileType", "26 liasse, 27 other, 42 notarial deed, 53 loan table, 59 K-bis (annex E)"),
    ("ccy", "EUR, USD, GBP"),
    ("remove", "R to delete"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::Section;

    fn values(list: &[&str]) -> Vec<String> {
        list.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn french_words_become_codes_and_strangers_stay_open() {
        let spec = Section::Declarants.field("legalStatusId").unwrap();
        let map = code_map(spec, &values(&["SCI", "Nom propre", "GIE"]), Profile::V21).unwrap();
        assert_eq!(
            map.pairs,
            [("SCI".into(), "6540".into()), ("Nom propre".into(), "1000".into())]
        );
        assert_eq!(map.unknown, ["GIE"]);
    }

    #[test]
    fn columns_of_codes_need_no_map() {
        let spec = Section::Properties.field("type").unwrap();
        assert_eq!(code_map(spec, &values(&["A", "H"]), Profile::V21), None);
        let spec = Section::Properties.field("description").unwrap();
        assert_eq!(code_map(spec, &values(&["x"]), Profile::V21), None);
    }

    #[test]
    fn codes_outside_the_profile_are_not_offered() {
        let spec = Section::Declarants.field("taxRegimeId").unwrap();
        let map = code_map(spec, &values(&["Micro"]), Profile::V21).unwrap();
        assert_eq!(map.unknown, ["Micro"]);
    }
}
