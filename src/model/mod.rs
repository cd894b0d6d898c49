//! Loader 2.0 types.
pub mod schema;
