//! `stackwire graph`: the stack's wiring as Mermaid, DOT or SVG.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::report::{ColorChoice, Format, Reporter, Sink};
use crate::{Io, compile, exit, output};

/// What `graph` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A `flowchart LR` that GitHub and GitLab render in Markdown
    Mermaid,
    /// Graphviz (`dot -Tsvg`)
    Dot,
    /// A finished, self-contained picture, drawn by stackwire
    Svg,
}

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

    /// Also draw the pass-through resources that no Function references (a stack of Streams
    /// and Functions only has none: every resource is drawn)
    #[arg(long)]
    pub all: bool,

    /// The environment whose Parameter Store paths `existing: {env: ...}` reads
    #[arg(long, value_name = "NAME", value_parser = crate::cli::environment_name)]
    pub environment: Option<String>,

    /// When to colour the diagnostics of a broken stack; `auto` honours NO_COLOR
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Diagnostics")]
    pub color: ColorChoice,

    /// Draw the diagnostics with ASCII only, without box-drawing characters
    #[arg(long, help_heading = "Diagnostics")]
    pub plain: bool,
}

/// Renders the checked plan's graph in `format`.
pub fn draw(plan: &crate::check::Plan<'_>, format: GraphFormat) -> String {
    let graph = super::build(plan);
    match format {
        GraphFormat::Mermaid => super::mermaid::render(&graph),
        GraphFormat::Dot => super::dot::render(&graph),
        GraphFormat::Svg => super::svg::render(&graph),
    }
}

/// `graph`. A stack with errors is reported as `compile` reports it (human diagnostics on
/// standard error), draws nothing and exits 1; warnings are reported and the stack drawn.
pub fn command(args: &GraphArgs, io: &mut Io<'_>) -> i32 {
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
    let (name, bytes) = match compile::read_input(&args.stack, io) {
        Ok(input) => input,
        Err((name, message)) => {
            reporter.failure(io, Some(&name), message, true);
            return exit::IO;
        }
    };
    let format = args.format;
    let (compiled, drawn) = compile::compile_then(&bytes, args.environment.as_deref(), |plan| {
        draw(plan, format)
    });
    let valid = compile::report(&name, compiled, &mut reporter, io).is_some();
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

/// Whether two paths name one existing file (through links and `..` alike).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
