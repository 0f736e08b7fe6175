//! stackwire: a stack description of Kinesis Streams and Lambda Functions, wired together,
//! compiled into an AWS SAM template.
//!
//! The pipeline ([`pipeline::compile`]), one stage a module: [`format`] reads the YAML into the
//! spanned model of the stack format (its resource types registered in
//! [`format::resources`]); [`check`] applies every rule, collects every problem, and works out
//! the [`plan::Plan`]; a [`target`] lowers the plan to a [`template`] value; [`emit`] writes its
//! bytes. [`commands`] are the command line over it, callable in-process through [`run`].

pub mod arn;
pub mod aws;
pub mod check;
pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
#[doc(hidden)]
pub mod generate;
pub mod graph;
pub mod ids;
pub mod import;
pub mod interrupt;
pub mod io;
pub mod limits;
pub mod options;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod runtime;
pub mod schema;
pub mod suggest;
pub mod target;
pub mod template;

pub use commands::run;
pub use io::{Io, exit};
pub use options::Options;
pub use pipeline::{Compiled, compile};
