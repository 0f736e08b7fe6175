//! `stackwire validate`: compiles each file without writing, reports every problem in every
//! file. Exits 3 when a file could not be read (the others are still checked), else 1 when any
//! has errors. Human diagnostics go to standard error, the other formats to standard output.
//!
//! Files are read and compiled on `--jobs` worker threads; each report is printed as soon as
//! every file before it has been, so the output is the same, byte for byte, for any `--jobs`.

use std::path::Path;

use crate::cli::ValidateArgs;
use crate::diagnostics::Sink;
use crate::io::{self, Io, ReadError, exit};
use crate::options::Options;
use crate::pipeline::{Compiled, compile, compile_owned};

pub fn run(args: &ValidateArgs, io: &mut Io<'_>) -> i32 {
    let mut reporter = super::reporter(&args.report, io, Sink::Stdout);
    // The template is weighed, never written.
    let options = Options {
        writes: false,
        ..args.pipeline.options()
    };
    // Standard input is read here, where `-` stands in the arguments, before any worker starts.
    let inputs: Vec<Input<'_>> = args
        .stacks
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                Input::Read(io::read_input(path, io))
            } else {
                Input::Path(path)
            }
        })
        .collect();
    // The cores are asked for only when there is more than one file to share among them
    // (the question reads the process's control-group files).
    let jobs = match args.jobs {
        _ if inputs.len() < 2 => 1,
        Some(jobs) => jobs.get(),
        None => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    }
    .min(inputs.len());
    if inputs.len() == 1 {
        // One file, then the process exits.
        crate::pipeline::leave_to_exit();
    }
    let (mut unreadable, mut invalid) = (false, false);
    check_in_order(&inputs, &options, jobs, |checked| match checked {
        Ok((name, compiled)) => {
            invalid |= !compiled.is_valid();
            super::report(&name, compiled, &mut reporter, io);
        }
        Err(e) => {
            reporter.failure(io, Some(&e.name), e.to_string(), true);
            unreadable = true;
        }
    });
    reporter.finish(io);
    if unreadable {
        exit::IO
    } else if invalid {
        exit::INVALID
    } else {
        exit::OK
    }
}

/// Reads and compiles `inputs` on `jobs` threads, and hands each outcome to `then`, on this
/// thread, in the order of `inputs`: as soon as every earlier one has been handed over.
fn check_in_order(
    inputs: &[Input<'_>],
    options: &Options<'_>,
    jobs: usize,
    mut then: impl FnMut(Result<(String, Compiled), ReadError>),
) {
    if jobs <= 1 {
        for input in inputs {
            then(input.check(options));
        }
        return;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (next, done) = (&next, done.clone());
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    if done.send((i, input.check(options))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        let mut waiting = std::collections::BTreeMap::new();
        let mut handed = 0;
        for (i, checked) in finished {
            waiting.insert(i, checked);
            while let Some(checked) = waiting.remove(&handed) {
                then(checked);
                handed += 1;
            }
        }
    });
}

/// A file to validate: a path, read on a worker thread, or standard input, already read.
enum Input<'a> {
    Path(&'a Path),
    Read(Result<io::Input, ReadError>),
}

impl Input<'_> {
    /// Reads (when not yet read) and compiles: the name to show and the outcome.
    fn check(&self, options: &Options<'_>) -> Result<(String, Compiled), ReadError> {
        match self {
            // Read here, and done with here: the bytes become the outcome's text.
            Input::Path(path) => {
                let input = io::read_file(path)?;
                Ok((input.name, compile_owned(input.bytes, options)))
            }
            Input::Read(Ok(input)) => Ok((input.name.clone(), compile(&input.bytes, options))),
            Input::Read(Err(e)) => Err(e.clone()),
        }
    }
}
