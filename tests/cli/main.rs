//! One integration-test binary: each module exercises one feature through the
//! real `qload` binary, with the builder of `harness`.

mod convert;
mod fec;
mod golden;
mod harness;
mod init;
mod inspect;
mod mapping_errors;
mod rows;
mod s3_proxy;
mod s3_server;
mod sources;
mod upload;
mod validate;
mod workbook;
