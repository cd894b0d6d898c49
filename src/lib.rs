//! qload: turns spreadsheets and CSV exports into Qlower loader 2.0 documents,
//! checks them as the platform would, and delivers them to the partner's bucket.
//!
//! The modules follow the one-way pipeline:
//! `source -> mapping -> model -> validate -> assemble -> deliver`.

pub mod assemble;
pub mod cli;
pub mod commands;
pub mod deliver;
pub mod exit;
pub mod mapping;
pub mod model;
pub mod onboard;
pub mod source;
pub mod validate;
