//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::diagnostics::{ColorChoice, Format};
use crate::options::Options;

#[derive(Debug, Parser)]
#[command(
    name = "stackwire",
    version,
    about = "Compile a stack of Kinesis Streams and Lambda Functions, wired together, into a SAM template",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a stack description into a SAM template.yaml
    #[command(
        after_help = "Examples:\n  stackwire compile stack.yaml -o template.yaml\n  stackwire compile stack.yaml -o template.yaml --check   # in CI: fail when template.yaml is stale\n  cat stack.yaml | stackwire compile - > template.yaml\n  stackwire compile stack.yaml -o template.yaml --check --format github"
    )]
    Compile(CompileArgs),

    /// Check stack descriptions and report every problem in every file (for pre-commit)
    #[command(
        after_help = "Examples:\n  stackwire validate stack.yaml\n  stackwire validate stacks/*.yaml --environment prod\n  stackwire validate stack.yaml --format github   # annotations in a GitHub Actions job\n  stackwire validate stacks/*.yaml --format sarif > stackwire.sarif"
    )]
    Validate(ValidateArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on standard output
    #[command(
        after_help = "Examples:\n  stackwire completions bash > ~/.local/share/bash-completion/completions/stackwire\n  stackwire completions zsh > ~/.zfunc/_stackwire   # with fpath+=(~/.zfunc) before compinit\n  stackwire completions fish > ~/.config/fish/completions/stackwire.fish"
    )]
    Completions(CompletionsArgs),

    /// Print a JSON Schema (draft-07) of the stack description, for editor completion
    #[command(
        after_help = "Examples:\n  stackwire schema > stack.schema.json\n\nThen, as the first line of stack.yaml (yaml-language-server):\n  # yaml-language-server: $schema=./stack.schema.json"
    )]
    Schema,

    /// Write a ready project: the quickstart stack.yaml, a handler per Function, a pre-commit config and a README with the deploy commands
    #[command(
        after_help = "Examples:\n  stackwire init my-stack   # creates my-stack/ and writes the project in it\n  stackwire init            # in the current folder\n\nNothing is overwritten: when any file it would write exists, it writes nothing and exits 6."
    )]
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write the project in (created when missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    // Into memory: clap_complete panics when it cannot write, and a closed pipe is no reason to.
    clap_complete::generate(shell, &mut Cli::command(), "stackwire", &mut script);
    script
}

/// What every command that runs the pipeline passes on to it, declared once: a new option is a
/// field here and one in [`Options`].
#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// The environment whose Parameter Store paths `existing: {env: ...}` reads
    #[arg(long, value_name = "NAME", value_parser = environment_name)]
    pub environment: Option<String>,
}

impl PipelineArgs {
    pub fn options(&self) -> Options<'_> {
        Options {
            environment: self.environment.as_deref(),
            ..Options::default()
        }
    }
}

/// How diagnostics are written (`compile` and `validate`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Diagnostics")]
pub struct ReportArgs {
    /// How to write diagnostics; human goes to standard error, the others to standard output
    /// for `validate` and to standard error for `compile`
    #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
    pub format: Format,

    /// When to colour human diagnostics; `auto` honours NO_COLOR
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Draw human diagnostics with ASCII only, without box-drawing characters
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The stack descriptions to check; `-` reads standard input
    #[arg(required = true)]
    pub stacks: Vec<PathBuf>,

    /// How many files to check at once [default: the number of CPUs]; reports are printed in
    /// the order of the arguments whatever the number
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct CompileArgs {
    /// The stack description to read; `-` reads standard input
    #[arg(default_value = "stack.yaml")]
    pub stack: PathBuf,

    /// Where to write the template (atomically); standard output when not given
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write nothing; exit 4 and print a diff when the file at -o is not what would be written
    #[arg(long, requires = "output")]
    pub check: bool,

    #[command(flatten)]
    pub pipeline: PipelineArgs,

    #[command(flatten)]
    pub report: ReportArgs,
}

fn environment_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= crate::limits::MAX_ENVIRONMENT_NAME
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "an environment name is 1 to {} of A-Za-z0-9_.-",
            crate::limits::MAX_ENVIRONMENT_NAME
        ))
    }
}
