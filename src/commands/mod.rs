//! The commands, one file each: small functions over the library that read the command line's
//! arguments, run the pipeline, and write what it gives. [`run`] is the command line end to end,
//! callable in-process.

mod compile;
mod completions;
mod diff;
mod graph;
mod import;
mod init;
mod schema;
mod validate;

pub use diff::DiffArgs;
pub use graph::GraphArgs;

use std::ffi::OsString;

use clap::Parser;

use crate::cli::{self, ReportArgs};
use crate::diagnostics::{Reporter, Sink};
use crate::io::{Io, exit};
use crate::pipeline::Compiled;

/// Runs the command line `args` (the first is the program name) and returns the exit code.
///
/// In the binary, which exits after it ([`crate::pipeline::exits_after_run`]), a command that
/// compiles one file leaves what the pipeline built for it to the exit to free; called from a
/// library, every run frees what it built.
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let e = escaped_usage_error(&args).unwrap_or(e);
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
        cli::Command::Compile(args) => compile::run(&args, io),
        cli::Command::Validate(args) => validate::run(&args, io),
        cli::Command::Import(args) => import::run(&args, io),
        cli::Command::Graph(args) => graph::run(&args, io),
        cli::Command::Diff(args) => diff::run(&args, io),
        cli::Command::Completions(args) => completions::run(&args, io),
        cli::Command::Schema => schema::run(io),
        cli::Command::Init(args) => init::run(&args, io),
    }
}

/// A usage error quotes the arguments it is about, and an argument can hold escape sequences
/// or line feeds: the same error from the arguments written visibly (each character
/// [`crate::diagnostics::escape`] escapes as `\u{...}`), when one needed it.
fn escaped_usage_error(args: &[OsString]) -> Option<clap::Error> {
    let mut changed = false;
    let shown: Vec<OsString> = args
        .iter()
        .map(|arg| {
            let lossy = arg.to_string_lossy();
            let shown = crate::diagnostics::escaped(&lossy);
            changed |= matches!(shown, std::borrow::Cow::Owned(_));
            OsString::from(shown.into_owned())
        })
        .collect();
    if !changed {
        return None;
    }
    cli::Cli::try_parse_from(shown).err()
}

/// The reporter for `--format`, `--color` and `--plain`, writing machine formats to `sink`.
fn reporter(args: &ReportArgs, io: &Io<'_>, sink: Sink) -> Reporter {
    Reporter::new(args.format, args.color.resolve(io.color), args.plain, sink)
}

/// Reports a compiled file's diagnostics, if any; the template when there were no errors.
fn report(
    name: &str,
    compiled: Compiled,
    reporter: &mut Reporter,
    io: &mut Io<'_>,
) -> Option<String> {
    reporter.file(io, name, compiled.text, compiled.problems);
    compiled.template
}

/// Writes `bytes` to standard output and flushes; `what` names them in the error.
fn print(io: &mut Io<'_>, bytes: &[u8], what: &str) -> i32 {
    match io.stdout.write_all(bytes).and_then(|()| io.stdout.flush()) {
        Ok(()) => exit::OK,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: cannot write {what}: {e}");
            exit::IO
        }
    }
}
