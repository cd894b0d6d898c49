//! The mapping stage.
