//! The validate stage.
