//! The header names each loader field goes by in French and English exports,
//! and the normalisation that lets `Début d'activité` meet `debut d activite`.

use crate::model::schema::Section;

/// Lowercase ASCII words: accents stripped, punctuation and symbols as spaces
/// (`Surface (m²)` -> `surface m`, `N°` -> `n`).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(folded) => out.push_str(folded),
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ASCII letters of an accented lowercase letter.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' => "i",
        'ô' | 'ö' | 'ó' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ç' => "c",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    })
}

/// How well a normalised header names a field: 3 when it is one of the
/// field's names, 2 when it holds one of them word for word, 0 otherwise.
pub fn score(header: &str, names: &[&str]) -> u8 {
    if names.contains(&header) {
        return 3;
    }
    let words: Vec<&str> = header.split(' ').collect();
    let holds = |name: &&str| {
        let wanted: Vec<&str> = name.split(' ').collect();
        words.windows(wanted.len()).any(|w| w == wanted.as_slice())
    };
    if names.iter().any(holds) {
        2
    } else {
        0
    }
}

/// The names a field's column goes by (normalised), for a section.
pub fn field_names(section: Section, key: &str) -> &'static [&'static str] {
    let table = match section {
        Section::Declarants => DECLARANT,
        Section::Properties => PROPERTY,
        Section::Associates => ASSOCIATE,
        Section::Transactions => TRANSACTION,
        Section::Documents => DOCUMENT,
        Section::Clients => CLIENT,
    };
    table.iter().find(|(k, _)| *k == key).map_or(&[], |(_, names)| names)
}

/// Column names of a debit amount (money out).
pub const DEBIT: &[&str] =
    &["debit", "debits", "montant debit", "sortie", "sorties", "depense", "depenses", "withdrawal"];
/// Column names of a credit amount (money in).
pub const CREDIT: &[&str] =
    &["credit", "credits", "montant credit", "entree", "entrees", "recette", "recettes", "deposit"];
/// Column names of one amount, signed or with a sense column.
pub const AMOUNT: &[&str] =
    &["montant", "amount", "montant ttc", "somme", "montant eur", "montant en euros", "valeur"];
/// Column names of a debit/credit sense (`D`/`C`).
pub const SENSE: &[&str] = &["sens", "d c", "debit credit", "sense", "dc"];

const TOWN: &[&str] = &["ville", "commune", "town", "city", "localite"];
const POSTCODE: &[&str] = &["code postal", "cp", "postcode", "post code", "zip", "zip code"];
const EMAIL: &[&str] = &["email", "e mail", "mail", "courriel", "adresse email", "adresse mail"];
const COUNTRY: &[&str] = &["pays", "country", "ctry"];

type Names = &'static [(&'static str, &'static [&'static str])];

const TRANSACTION: Names = &[
    ("id", &["id", "identifiant", "numero operation", "transaction id", "id transaction"]),
    (
        "reqdExctnDt",
        &[
            "date",
            "date operation",
            "date d operation",
            "date de l operation",
            "date comptable",
            "ecrituredate",
            "date ecriture",
            "transaction date",
            "booking date",
        ],
    ),
    ("id-prty", &["code bien", "id bien", "reference bien", "property", "property id", "bien"]),
    ("ccy", &["devise", "currency", "ccy", "monnaie"]),
    ("purpose", &["categorie", "category", "nature", "type operation", "purpose", "rubrique"]),
    (
        "ref",
        &[
            "libelle",
            "libelle operation",
            "label",
            "description",
            "ecriturelib",
            "intitule",
            "memo",
            "wording",
            "motif",
        ],
    ),
];

const DECLARANT: Names = &[
    ("id", &["code", "id", "identifiant", "code declarant", "reference", "code client"]),
    ("sirenId", &["siren", "n siren", "numero siren"]),
    ("nicId", &["nic"]),
    ("legalStatusId", &["forme juridique", "statut juridique", "legal status", "legal form"]),
    ("taxRegimeAggregation", &["imposition", "regime d imposition", "ir is"]),
    ("taxCategoryId", &["categorie fiscale", "tax category"]),
    ("taxRegimeId", &["regime fiscal", "regime", "tax regime"]),
    (
        "corporateName",
        &["raison sociale", "denomination", "nom", "societe", "company", "company name", "name"],
    ),
    ("debActDate", &["debut d activite", "date de debut d activite", "debut activite"]),
    ("address", &["adresse", "address"]),
    ("townName", TOWN),
    ("postCode", POSTCODE),
    ("ogaSiretId", &["siret oga"]),
    ("ogaName", &["nom oga", "oga"]),
    ("ogaId", &["agrement oga", "numero d agrement", "numero agrement oga"]),
    ("ogaNumber", &["numero d adherent", "numero adherent", "adherent oga"]),
];

const PROPERTY: Names = &[
    ("id", &["code bien", "code", "id", "identifiant", "reference", "reference bien", "code lot"]),
    ("declarantId", &["code declarant", "declarant", "id declarant", "code societe"]),
    ("type", &["type de bien", "type", "nature du bien", "property type"]),
    ("description", &["designation", "description", "libelle", "nom du bien", "intitule"]),
    ("furnished", &["meuble", "furnished", "location meublee"]),
    ("managed", &["gestion", "mode de gestion", "managed", "management"]),
    ("bldgNb", &["n", "no", "numero", "numero de rue", "num", "street number", "n de rue"]),
    ("streetName", &["rue", "voie", "adresse", "street", "nom de rue", "address"]),
    ("streetName2", &["complement", "complement d adresse", "adresse 2", "street 2", "address 2"]),
    ("townName", TOWN),
    ("postCode", POSTCODE),
    ("ctry", COUNTRY),
    ("lastName", &["nom proprietaire", "nom", "last name", "surname", "nom du proprietaire"]),
    ("firstName", &["prenom proprietaire", "prenom", "first name", "prenom du proprietaire"]),
    ("telNumber", &["telephone", "tel", "phone", "portable", "mobile"]),
    ("email", EMAIL),
    ("constructionDate", &["date de construction", "construction date"]),
    ("acquisitionDate", &["date d acquisition", "acquisition", "date d achat", "acquisition date"]),
    ("nbrRooms", &["pieces", "nombre de pieces", "nb pieces", "rooms"]),
    ("area", &["surface", "surface m", "superficie", "surface habitable", "area"]),
    ("terrArea", &["surface terrasse", "terrasse"]),
    ("gardArea", &["surface jardin", "jardin"]),
    ("nbrFloors", &["etage", "floor", "niveau"]),
    ("nbrPark", &["parkings", "nombre de parkings", "places de parking"]),
    ("siretId", &["siret"]),
    ("tvaOption", &["tva", "option tva", "vat"]),
    ("netReevaluation", &["valeur actuelle", "reevaluation", "valeur nette"]),
    ("debActDate", &["debut d activite", "mise en location", "date de mise en location"]),
    ("taxRegime", &["regime fiscal", "regime", "dispositif fiscal", "tax regime"]),
    ("workCompDate", &["date de fin de travaux", "fin de travaux", "achevement des travaux"]),
    ("costPrice", &["prix de revient", "prix d achat", "prix", "cost price"]),
    ("completionStatus", &["etat", "etat du bien", "neuf ancien"]),
    ("startConstrDate", &["date de permis", "depot du permis", "permis de construire"]),
    ("dismemberedProperty", &["demembrement", "demembre", "bien demembre"]),
    ("agencyFee", &["frais d agence", "honoraires d agence"]),
    ("notaryFee", &["frais de notaire", "frais d acte", "notaire"]),
];

const ASSOCIATE: Names = &[
    ("id", &["code associe", "code", "id", "identifiant", "reference"]),
    ("civility", &["civilite", "titre", "civility", "title"]),
    ("firstName", &["prenom", "first name"]),
    ("lastName", &["nom", "last name", "nom de famille"]),
    ("address", &["adresse", "address"]),
    ("townName", TOWN),
    ("ctry", COUNTRY),
    ("email", EMAIL),
    ("manager", &["gerant", "manager", "dirigeant"]),
];

const DOCUMENT: Names = &[
    ("id", &["reference", "code document", "id", "identifiant", "code", "ref"]),
    ("propertyId", &["code bien", "id bien", "reference bien", "bien"]),
    ("fileName", &["nom du fichier", "fichier", "nom fichier", "file name", "filename"]),
    ("fileType", &["type de document", "type", "type document", "nature", "file type"]),
    ("year", &["annee", "exercice", "year", "millesime"]),
    ("fileLink", &["lien", "url", "link", "lien fichier"]),
];

const CLIENT: Names = &[
    ("email", EMAIL),
    ("firstName", &["prenom", "first name"]),
    ("lastName", &["nom", "last name"]),
    ("phoneNumber", &["telephone", "tel", "phone"]),
];

/// Words of a sheet name that tell its section (`Biens` -> properties).
pub fn sheet_section(name: &str) -> Option<Section> {
    const WORDS: &[(Section, &[&str])] = &[
        (Section::Declarants, &["declarant", "societe", "entite", "sci"]),
        (Section::Properties, &["bien", "patrimoine", "logement", "propriete", "lot", "immeuble"]),
        (Section::Associates, &["associe", "porteur"]),
        (Section::Documents, &["document", "fichier", "piece"]),
        (
            Section::Transactions,
            &["transaction", "operation", "releve", "banque", "mouvement", "ecriture"],
        ),
    ];
    let normal = normalize(name);
    let words: Vec<&str> = normal.split(' ').collect();
    WORDS
        .iter()
        .find(|(_, keys)| words.iter().any(|w| keys.iter().any(|k| w.starts_with(k))))
        .map(|(section, _)| *section)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_lose_accents_and_symbols() {
        assert_eq!(normalize("Début d'activité"), "debut d activite");
        assert_eq!(normalize("Surface (m²)"), "surface m");
        assert_eq!(normalize(" N° "), "n");
        assert_eq!(normalize("EcritureDate"), "ecrituredate");
    }

    #[test]
    fn exact_names_beat_names_held_inside_a_header() {
        assert_eq!(score("code postal", POSTCODE), 3);
        assert_eq!(score("code postal du bien", POSTCODE), 2);
        assert_eq!(score("codes", POSTCODE), 0);
    }

    #[test]
    fn sheet_names_tell_sections() {
        assert_eq!(sheet_section("Déclarants"), Some(Section::Declarants));
        assert_eq!(sheet_section("Biens"), Some(Section::Properties));
        assert_eq!(sheet_section("Associés"), Some(Section::Associates));
        assert_eq!(sheet_section("Notes"), None);
    }
}
