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

    /// Write the stack description of a SAM template (one Stackery wrote, or by hand)
    #[command(
        after_help = "Examples:\n  stackwire import template.yaml -o stack.yaml\n  stackwire import template.json > stack.yaml\n  stackwire import template.yaml -o stack.yaml --format json   # the report as JSON on standard error\n\nWhat is carried over inexactly is reported on standard error, each with why."
    )]
    Import(ImportArgs),
    /// Draw the stack's wiring: Mermaid (for Markdown), Graphviz DOT, or an SVG picture
    #[command(
        after_help = "Examples:\n  stackwire graph stack.yaml   # Mermaid, to paste into a ```mermaid block\n  stackwire graph stack.yaml --format svg -o docs/stack.svg\n  stackwire graph stack.yaml --format dot | dot -Tpng -o stack.png\n  cat stack.yaml | stackwire graph - --environment prod"
    )]
    Graph(crate::commands::GraphArgs),

    /// Say what a deploy would add, delete, orphan, update or replace, and what that means for the data (exit 5 when it is destructive)
    #[command(
        after_help = "Examples:\n  stackwire diff deployed.yaml template.yaml\n  stackwire diff old/stack.yaml stack.yaml --environment prod\n  git show main:template.yaml | stackwire diff - template.yaml --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n  stackwire diff template.yaml stack.yaml --allow Orders   # the replacement of Orders is intended\n\nExit codes: 0 nothing destructive (or all of it allowed), 5 a stateful resource deleted or replaced or an event source mapping replaced or re-created, 1 a side is broken, 3 a file could not be read."
    )]
    Diff(crate::commands::DiffArgs),

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

    /// What to write: a SAM template, or plain CloudFormation with what SAM's transform would
    /// make of each Function
    #[arg(long, value_name = "TARGET", default_value = crate::target::DEFAULT.name(),
          value_parser = clap::builder::PossibleValuesParser::new(crate::target::names()))]
    pub target: String,

    /// The S3 bucket that holds each Function's code, as `<source>.zip`; without it the code
    /// is the local folder, for `sam package` or `aws cloudformation package` to upload
    #[arg(long, value_name = "NAME", value_parser = bucket_name)]
    pub code_bucket: Option<String>,
}

impl PipelineArgs {
    pub fn options(&self) -> Options<'_> {
        Options {
            environment: self.environment.as_deref(),
            // The parser accepts only the names of targets.
            target: crate::target::find(&self.target).unwrap_or(crate::target::DEFAULT),
            code_bucket: self.code_bucket.as_deref(),
            writes: true,
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

    /// Where to write the template (atomically); standard output when not given or `-`
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

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The SAM or CloudFormation template to read (YAML or JSON); `-` reads standard input
    pub template: PathBuf,

    /// Where to write the stack description (atomically); standard output when not given
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// An S3 bucket name as S3 names them today: 3 to 63 of `a-z0-9.-`, beginning and ending with
/// a letter or digit, no `..`, not an IP address.
fn bucket_name(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let ip = s.split('.').count() == 4 && s.split('.').all(|p| p.parse::<u8>().is_ok());
    let ok = (3..=63).contains(&s.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && edge(bytes.first())
        && edge(bytes.last())
        && !s.contains("..")
        && !ip;
    if ok {
        Ok(s.to_owned())
    } else {
        Err(
            "an S3 bucket name is 3 to 63 of a-z0-9.-, beginning and ending with a letter or digit"
                .to_owned(),
        )
    }
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
