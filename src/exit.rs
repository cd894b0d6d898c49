//! Exit statuses: a documented interface (README, "Exit statuses").

use std::process::ExitCode;

/// The run did what was asked; a validated document is SUCCESS.
pub const OK: u8 = 0;
/// The run failed: unreadable input, wrong mapping, rejected rows under
/// `--strict`, a document refused by the validation gate, a failed upload.
pub const FAILURE: u8 = 1;
/// The command line is wrong (clap's own status).
pub const USAGE: u8 = 2;
/// Validation: some objects failed, others passed (PARTIAL_SUCCESS).
pub const PARTIAL_SUCCESS: u8 = 3;
/// Validation: every object failed (ERROR).
pub const ERROR: u8 = 4;
/// Validation: the document is rejected whole (KO).
pub const KO: u8 = 5;
/// Upload: the same document was already delivered to that bucket.
pub const ALREADY_DELIVERED: u8 = 6;

/// Wraps a status for `main`.
pub fn code(status: u8) -> ExitCode {
    ExitCode::from(status)
}
