//! One integration-test binary: each module exercises one feature through the
//! real `qload` binary, with the builder of `harness`.

mod harness;
mod validate;
