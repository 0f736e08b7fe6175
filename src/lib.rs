//! stackwire: a stack description of Kinesis Streams and Lambda Functions, wired together,
//! compiled into an AWS SAM template.
//!
//! The pipeline, one module per stage: [`parse`] (YAML -> spanned model), [`check`] (every
//! rule, all problems collected), [`lower`] (model -> template model with intrinsics),
//! [`emit`] (template model -> bytes). [`run`] is the command line over it, callable in-process.

pub mod arn;
pub mod check;
pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod emit;
pub mod generate;
pub mod graph;
pub mod ids;
pub mod keys;
pub mod limits;
pub mod lower;
pub mod model;
pub mod node;
pub mod output;
pub mod parse;
pub mod report;
pub mod runtime;
pub mod schema;
pub mod suggest;
pub mod template;

#[cfg(test)]
mod conformance;
#[cfg(all(test, unix))]
mod files_tests;
#[cfg(test)]
mod generate_tests;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod precommit_tests;
#[cfg(test)]
mod props_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod roundtrip_tests;
#[cfg(test)]
mod schema_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod validate_jobs_tests;

use std::ffi::OsString;
use std::io::{Read, Write};

use clap::Parser;

pub use compile::{Compiled, compile};

/// Exit codes, as SPEC section 3 defines them.
pub mod exit {
    pub const OK: i32 = 0;
    /// The stack has errors.
    pub const INVALID: i32 = 1;
    pub const USAGE: i32 = 2;
    /// A file could not be read or written.
    pub const IO: i32 = 3;
    /// `--check` found the template out of date.
    pub const STALE: i32 = 4;
}

/// Where a run reads and writes, so tests can run the whole command line in-process.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Colour in human-readable diagnostics under `--color auto` (standard error is a terminal
    /// and `NO_COLOR` is not set; see `report::auto_color`).
    pub color: bool,
}

/// Runs the command line `args` (the first is the program name) and returns the exit code.
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = if io.color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let code = if e.use_stderr() {
                let _ = io.stderr.write_all(text.as_bytes());
                exit::USAGE
            } else {
                // --help and --version
                let _ = io.stdout.write_all(text.as_bytes());
                exit::OK
            };
            return code;
        }
    };
    match cli.command {
        cli::Command::Compile(args) => compile::command(&args, io),
        cli::Command::Validate(args) => compile::validate(&args, io),
        cli::Command::Graph(args) => graph::command::command(&args, io),
        cli::Command::Completions(args) => {
            let script = cli::completions(args.shell);
            match io
                .stdout
                .write_all(&script)
                .and_then(|()| io.stdout.flush())
            {
                Ok(()) => exit::OK,
                Err(e) => {
                    let _ = writeln!(io.stderr, "error: cannot write the completion script: {e}");
                    exit::IO
                }
            }
        }
        cli::Command::Schema => schema::command(io),
    }
}
