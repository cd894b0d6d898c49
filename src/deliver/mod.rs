//! The deliver stage.
