//! `stackwire completions SHELL`: a shell completion script on standard output.

use crate::cli::{self, CompletionsArgs};
use crate::io::Io;

pub fn run(args: &CompletionsArgs, io: &mut Io<'_>) -> i32 {
    super::print(io, &cli::completions(args.shell), "the completion script")
}
