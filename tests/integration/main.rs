//! stackwire's binary-level and cross-module tests, one integration binary over the library
//! and `CARGO_BIN_EXE_stackwire`. The slow gates are targets of their own: `conformance`
//! (cfn-lint and the SAM translator on every fixture), `precommit` (the real pre-commit) and
//! `emulator` (every fixture deployed in moto).

#[path = "../support/cloudformation.rs"]
mod equivalence;
#[path = "../support/mod.rs"]
// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

mod cloudformation;
mod diff;
mod files;
mod fixtures;
mod generate;
mod graph;
mod hardening;
mod hostile;
mod import;
mod init;
mod props;
mod props_passthru;
mod report;
mod roundtrip;
mod schema;
mod validate_jobs;
