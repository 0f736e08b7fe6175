//! `stackwire diff OLD NEW`: what a deploy of NEW over OLD would add, delete, orphan, update or
//! replace (SPEC section 6). Each side is a template or a stack description, told apart by
//! content. The report goes to standard output (or `-o`); a broken stack description's
//! diagnostics go to standard error in the human format.

use std::path::PathBuf;

use clap::Args;

use crate::cli::PipelineArgs;
use crate::diagnostics::{ColorChoice, Format, Reporter, Sink, escaped};
use crate::diff::load::{self, LoadError};
use crate::diff::render::{self, Format as DiffFormat};
use crate::diff::{self, Side};
use crate::io::{Io, exit, read_input};
use crate::output;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The deployed side: a template (the committed template.yaml, or `aws cloudformation
    /// get-template`'s) or a stack description; `-` reads standard input
    pub old: PathBuf,

    /// The side to deploy, the same way
    pub new: PathBuf,

    /// Accept the destructive change to this resource (its Logical ID; repeatable)
    #[arg(long, value_name = "ID")]
    pub allow: Vec<String>,

    /// What to print: text, a JSON document with one entry per resource, or a Markdown table
    #[arg(long, value_enum, default_value_t = DiffFormat::Human, value_name = "FORMAT")]
    pub format: DiffFormat,

    /// Where to write the report (atomically); standard output when not given or `-`
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    /// When to colour the diagnostics of a broken stack; `auto` honours NO_COLOR
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Diagnostics")]
    pub color: ColorChoice,

    /// Draw the diagnostics with ASCII only, without box-drawing characters
    #[arg(long, help_heading = "Diagnostics")]
    pub plain: bool,
}

/// `diff`: exit 0 when nothing destructive happens (or all of it is allowed), 5 when it does.
pub fn run(args: &DiffArgs, io: &mut Io<'_>) -> i32 {
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        let _ = writeln!(
            io.stderr,
            "error: standard input can be only one of OLD and NEW"
        );
        return exit::USAGE;
    }
    let color = args.color.resolve(io.color);
    let mut reporter = Reporter::new(Format::Human, color, args.plain, Sink::Stderr);
    let options = args.pipeline.options();
    let mut inputs = Vec::with_capacity(2);
    let mut failed = None;
    for path in [&args.old, &args.new] {
        match read_input(path, io) {
            Ok(input) => inputs.push(input),
            Err(e) => {
                reporter.failure(io, Some(&e.name), e.to_string(), true);
                failed = Some(exit::IO);
            }
        }
    }
    if let Some(code) = failed {
        reporter.finish(io);
        return code;
    }
    // The two sides are read (and compiled, and expanded) at once, one a thread; on this
    // thread when no thread can be had.
    let load = |input: &crate::io::Input| load::side(&input.bytes, &options);
    let loaded: Vec<Result<(Side, load::Kind), LoadError>> = std::thread::scope(|scope| {
        let spawned: Vec<_> = inputs
            .iter()
            .map(|input| {
                std::thread::Builder::new()
                    .name("stackwire-diff".to_owned())
                    .spawn_scoped(scope, move || load(input))
                    .ok()
            })
            .collect();
        spawned
            .into_iter()
            .zip(&inputs)
            .map(|(handle, input)| match handle.map(|h| h.join()) {
                Some(Ok(result)) => result,
                // A panic on a side's thread is the caller's panic, as if it had run here.
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => load(input),
            })
            .collect()
    });
    let mut sides: Vec<(Side, String)> = Vec::with_capacity(2);
    for (result, input) in loaded.into_iter().zip(inputs) {
        match result {
            Ok((side, _)) => sides.push((side, input.name)),
            Err(LoadError::Stack(compiled)) => {
                super::report(&input.name, compiled, &mut reporter, io);
                failed = Some(failed.unwrap_or(exit::INVALID));
            }
            Err(LoadError::Template(e)) => {
                reporter.failure(
                    io,
                    Some(&input.name),
                    format!(
                        "`{}` is not a template CloudFormation can read (byte {}): {}",
                        escaped(&input.name),
                        e.offset,
                        e.message
                    ),
                    true,
                );
                failed = Some(failed.unwrap_or(exit::INVALID));
            }
        }
    }
    let (Some((old, old_name)), Some((new, new_name)), None) =
        (sides.first(), sides.get(1), failed)
    else {
        reporter.finish(io);
        return failed.unwrap_or(exit::INVALID);
    };
    let report = diff::compare(old, new, &args.allow);
    let text = render::render(&report, args.format, old_name, new_name);
    let code = if report.blocked().next().is_some() {
        exit::DESTRUCTIVE
    } else {
        exit::OK
    };
    let written = match args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        None => io
            .stdout
            .write_all(text.as_bytes())
            .and_then(|()| io.stdout.flush())
            .map_err(|e| (None, format!("cannot write the report: {e}"))),
        Some(path) => {
            let shown = path.display().to_string();
            output::write_atomic(path, text.as_bytes())
                .map_err(|e| (Some(shown.clone()), format!("cannot write `{shown}`: {e}")))
        }
    };
    let code = match written {
        Ok(()) => code,
        Err((file, message)) => {
            reporter.failure(io, file.as_deref(), message, true);
            exit::IO
        }
    };
    reporter.finish(io);
    // The two sides (every value of both templates) are freed on a thread of their own, which
    // the process does not wait for when it ends; on this thread when no thread can be had.
    let _ = std::thread::Builder::new()
        .name("stackwire-diff-free".to_owned())
        .spawn(move || drop(sides));
    code
}
