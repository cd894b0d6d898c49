//! The assemble stage.
