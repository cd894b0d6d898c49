//! The source stage.
