//! `stackwire graph`: the stack's wiring as Mermaid, DOT or SVG.

use std::path::PathBuf;

use clap::Args;

use crate::cli::PipelineArgs;
use crate::diagnostics::{ColorChoice, Format, Reporter, Sink};
use crate::graph::{self, GraphFormat};
use crate::io::{Io, exit, read_input, same_file};
use crate::output;
use crate::pipeline::compile_then;

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The stack description to read; `-` reads standard input
    #[arg(default_value = "stack.yaml")]
    pub stack: PathBuf,

    /// What to print: Mermaid, Graphviz DOT, or an SVG picture
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid, value_name = "FORMAT")]
    pub format: GraphFormat,

    /// Where to write the picture (atomically); standard output when not given
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Draw all the pass-through content: every resource of `template: Resources`, every SAM
    /// event's source, what pass-through functions name (without it: only the pass-through
    /// resources a Function of the stack references, and those arrows)
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    /// When to colour the diagnostics of a broken stack; `auto` honours NO_COLOR
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Diagnostics")]
    pub color: ColorChoice,

    /// Draw the diagnostics with ASCII only, without box-drawing characters
    #[arg(long, help_heading = "Diagnostics")]
    pub plain: bool,
}

/// `graph`. A stack with errors is reported as `compile` reports it (human diagnostics on
/// standard error), draws nothing and exits 1; warnings are reported and the stack drawn.
pub fn run(args: &GraphArgs, io: &mut Io<'_>) -> i32 {
    if let Some(output) = &args.output
        && args.stack.as_os_str() != "-"
        && same_file(&args.stack, output)
    {
        let _ = writeln!(
            io.stderr,
            "error: `-o {}` is the stack description itself; writing the picture there would destroy it",
            output.display()
        );
        return exit::USAGE;
    }
    let color = args.color.resolve(io.color);
    let mut reporter = Reporter::new(Format::Human, color, args.plain, Sink::Stderr);
    let input = match read_input(&args.stack, io) {
        Ok(input) => input,
        Err(e) => {
            reporter.failure(io, Some(&e.name), e.to_string(), true);
            return exit::IO;
        }
    };
    let format = args.format;
    let all = args.all;
    let options = args.pipeline.options();
    // One file, then the process exits.
    crate::pipeline::leave_to_exit();
    let (compiled, drawn) = compile_then(&input.bytes, &options, |plan| {
        graph::draw(plan, format, all)
    });
    let valid = super::report(&input.name, compiled, &mut reporter, io).is_some();
    let Some(picture) = drawn.filter(|_| valid) else {
        return exit::INVALID;
    };
    let written = match &args.output {
        None => io
            .stdout
            .write_all(picture.as_bytes())
            .and_then(|()| io.stdout.flush())
            .map_err(|e| (None, format!("cannot write the picture: {e}"))),
        Some(path) => {
            let shown = path.display().to_string();
            output::write_atomic(path, picture.as_bytes())
                .map_err(|e| (Some(shown.clone()), format!("cannot write `{shown}`: {e}")))
        }
    };
    match written {
        Ok(()) => exit::OK,
        Err((file, message)) => {
            reporter.failure(io, file.as_deref(), message, true);
            exit::IO
        }
    }
}
