//! Streaming read of a whole document: a serde visitor walks the root object,
//! and each array element is read alone, judged and dropped, so that a
//! million transactions never stand in memory at once.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use tracing::debug;

use super::header;
use super::report::{Ko, KoType, Warning};
use super::{Options, Outcome, Parent, ReadError, Validator};
use crate::model::schema::{Profile, Section};

/// The sections a document (or a 2.2 `clients` entry) holds at its top.
const TOP_SECTIONS: [Section; 4] =
    [Section::Declarants, Section::Properties, Section::Transactions, Section::Documents];

/// Reads and judges a whole document. An unreadable stream is the only error:
/// malformed JSON is a KO outcome, as on the platform.
pub fn validate_reader<R: Read>(reader: R, options: &Options) -> Result<Outcome, ReadError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    if first_byte(&mut reader)? == Some(b'{') {
        stream(reader, options)
    } else {
        not_an_object(reader)
    }
}

/// What the visitors share: the validator, the header keys seen, and why the
/// document was rejected when a visitor stops the parse.
struct State {
    validator: Validator,
    seen: [bool; 4],
    ko: Option<Ko>,
    /// The root key being read, to name it when its value has the wrong type.
    in_section: Option<String>,
}

fn stream<R: Read>(reader: R, options: &Options) -> Result<Outcome, ReadError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut state = State {
        validator: Validator::new(options.clone()),
        seen: [false; 4],
        ko: None,
        in_section: None,
    };
    let parsed = (&mut de).deserialize_map(Root(&mut state)).and_then(|()| de.end());
    if let Err(error) = parsed {
        return rejected(error, state);
    }
    if let Err(ko) = header::check_missing(|key| header::slot(key).is_some_and(|i| state.seen[i])) {
        return Ok(Outcome::Ko(ko));
    }
    Ok(Outcome::Processed(state.validator.finish()))
}

/// Turns a stopped parse into its outcome.
fn rejected(error: serde_json::Error, mut state: State) -> Result<Outcome, ReadError> {
    if let Some(ko) = state.ko.take() {
        return Ok(Outcome::Ko(ko));
    }
    let ko = match error.classify() {
        serde_json::error::Category::Io => return Err(ReadError::Io(error.into())),
        serde_json::error::Category::Data => match state.in_section {
            Some(key) => schema_ko(&format!("Root section '{key}' must be an array"), &error),
            None => schema_ko("The document root must be an object", &error),
        },
        _ => malformed(&error),
    };
    Ok(Outcome::Ko(ko))
}

/// A root that is not an object: malformed JSON or a schema rejection.
fn not_an_object<R: Read>(reader: R) -> Result<Outcome, ReadError> {
    match serde_json::from_reader::<_, IgnoredAny>(reader) {
        Ok(_) => Ok(Outcome::Ko(Ko::new(
            KoType::ValidationError,
            "The document root must be an object",
            "expected an object `{...}` at the root",
        ))),
        Err(error) if error.is_io() => Err(ReadError::Io(error.into())),
        Err(error) => Ok(Outcome::Ko(malformed(&error))),
    }
}

fn malformed(error: &serde_json::Error) -> Ko {
    // serde_json's text ends with "at line L column C", both counted from 1.
    let message = format!("Malformed JSON: {error}");
    Ko::new(KoType::WrongFormat, message, error.to_string())
}

fn schema_ko(message: &str, error: &serde_json::Error) -> Ko {
    Ko::new(KoType::ValidationError, message, error.to_string())
}

/// The first byte that is not whitespace, left unread.
fn first_byte<R: BufRead>(reader: &mut R) -> Result<Option<u8>, ReadError> {
    loop {
        let buffer = reader.fill_buf().map_err(ReadError::Io)?;
        if buffer.is_empty() {
            return Ok(None);
        }
        let blank = buffer.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if blank < buffer.len() {
            let first = buffer[blank];
            reader.consume(blank);
            return Ok(Some(first));
        }
        reader.consume(blank);
    }
}

/// Visits the root object key by key.
struct Root<'s>(&'s mut State);

impl<'de> Visitor<'de> for Root<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a loader document object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(key) = map.next_key::<String>()? {
            state.in_section = Some(key.clone());
            root_entry(state, &key, &mut map)?;
            state.in_section = None;
        }
        Ok(())
    }
}

/// Reads the value of one root key.
fn root_entry<'de, A: MapAccess<'de>>(
    state: &mut State,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error> {
    if let Some(slot) = header::slot(key) {
        state.seen[slot] = true;
        let value: Value = map.next_value()?;
        return state.validator.header_value(key, &value).map_err(|ko| stop(state, ko));
    }
    if key == Section::Clients.key() {
        if state.validator.profile() == Profile::V21 {
            let ko = Ko::new(
                KoType::ValidationError,
                "Root key 'clients' needs profile 2.2",
                "'clients'",
            );
            return Err(stop(state, ko));
        }
        return map.next_value_seed(Clients(state));
    }
    match TOP_SECTIONS.into_iter().find(|s| s.key() == key) {
        Some(section) => {
            if state.validator.profile() == Profile::V22 {
                state.validator.warn(root_warning(
                    format!("root section `{key}` under profile 2.2"),
                    "2.2 groups sections in `clients[]` entries",
                ));
            }
            debug!(section = key, "reading a root section");
            map.next_value_seed(Items { validator: &mut state.validator, section })
        }
        None => {
            state.validator.warn(root_warning(
                format!("unknown key `{key}` at the root"),
                "the platform ignores it",
            ));
            map.next_value::<IgnoredAny>().map(drop)
        }
    }
}

fn root_warning(message: String, help: &str) -> Warning {
    Warning { model: None, id: None, message, help: Some(help.into()) }
}

/// Keeps the rejection and stops the parse.
fn stop<E: de::Error>(state: &mut State, ko: Ko) -> E {
    let error = E::custom(&ko.message);
    state.ko = Some(ko);
    error
}

/// The elements of one section's array, judged one at a time.
struct Items<'v> {
    validator: &'v mut Validator,
    section: Section,
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array of {}", self.section)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Value>()? {
            self.validator.tree(self.section, &item, Parent::Root);
        }
        Ok(())
    }
}

/// The 2.2 `clients` array: each entry is read whole, then judged.
struct Clients<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for Clients<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Clients<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of client entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(entry) = seq.next_element::<Value>()? {
            if let Err(ko) = client_entry(&mut self.0.validator, &entry, index) {
                return Err(stop(self.0, ko));
            }
            index += 1;
        }
        Ok(())
    }
}

/// Judges one `clients[]` entry: its `client` block, then its sections.
fn client_entry(validator: &mut Validator, entry: &Value, index: usize) -> Result<(), Ko> {
    let Value::Object(map) = entry else {
        validator.client(entry);
        return Ok(());
    };
    validator.client(map.get("client").unwrap_or(&Value::Null));
    for (key, value) in map {
        let section = TOP_SECTIONS.into_iter().find(|s| s.key() == key);
        match (section, value) {
            (Some(section), Value::Array(items)) => {
                items.iter().for_each(|item| validator.tree(section, item, Parent::Root));
            }
            (Some(_), _) => {
                let message = format!("Section 'clients[{index}].{key}' must be an array");
                return Err(Ko::new(KoType::ValidationError, message.clone(), message));
            }
            (None, _) if key == "client" => {}
            (None, _) => validator.warn(root_warning(
                format!("unknown key `{key}` in `clients[{index}]`"),
                "an entry holds `client` and the four sections",
            )),
        }
    }
    Ok(())
}
