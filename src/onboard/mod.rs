//! Onboarding a new export: surveys a file (dialect, sheets, columns and their
//! types) for `inspect`, and drafts a starting mapping from it for `init`.

pub mod codes;
pub mod draft;
pub mod fields;
pub mod guess;
pub mod names;
pub mod read;
mod toml;
pub mod write;

pub use guess::{ColumnProfile, ColumnType, Shape};
pub use read::{survey, CsvLayout, Footer, Survey, TableSurvey};

pub use draft::{draft, Options};
