//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
        after_help = "Examples:\n  stackwire compile stack.yaml -o template.yaml\n  stackwire compile stack.yaml -o template.yaml --check   # in CI: fail when template.yaml is stale\n  cat stack.yaml | stackwire compile - > template.yaml"
    )]
    Compile(CompileArgs),

    /// Check stack descriptions and report every problem in every file (for pre-commit)
    #[command(
        after_help = "Examples:\n  stackwire validate stack.yaml\n  stackwire validate stacks/*.yaml --environment prod"
    )]
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The stack descriptions to check; `-` reads standard input
    #[arg(required = true)]
    pub stacks: Vec<PathBuf>,

    /// The environment whose Parameter Store paths `existing: {env: ...}` reads
    #[arg(long, value_name = "NAME", value_parser = environment_name)]
    pub environment: Option<String>,

    /// How many files to check at once [default: the number of CPUs]; reports are printed in
    /// the order of the arguments whatever the number
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct CompileArgs {
    /// The stack description to read; `-` reads standard input
    #[arg(default_value = "stack.yaml")]
    pub stack: PathBuf,

    /// Where to write the template (atomically); standard output when not given
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The environment whose Parameter Store paths `existing: {env: ...}` reads
    #[arg(long, value_name = "NAME", value_parser = environment_name)]
    pub environment: Option<String>,

    /// Write nothing; exit 4 and print a diff when the file at -o is not what would be written
    #[arg(long, requires = "output")]
    pub check: bool,
}

fn environment_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err("an environment name is 1 to 128 of A-Za-z0-9_.-".to_owned())
    }
}
