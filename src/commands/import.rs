//! `stackwire import`: a SAM template (typically one Stackery wrote) to a stack description, on
//! standard output or into `-o` (atomically). What is carried over inexactly is reported as
//! warnings on standard error, in the `--format` asked for.

use std::path::Path;

use crate::cli::ImportArgs;
use crate::diagnostics::Sink;
use crate::import::{Imported, import};
use crate::io::{Io, exit, read_input};
use crate::output;

/// The stack the import runs on: reading the template recurses once per level of nesting, as
/// compile's pipeline does (see `pipeline::PIPELINE_STACK`).
const IMPORT_STACK: usize = 64 * 1024 * 1024;

pub fn run(args: &ImportArgs, io: &mut Io<'_>) -> i32 {
    if let Some(output) = &args.output
        && args.template.as_os_str() != "-"
        && same_file(&args.template, output)
    {
        let _ = writeln!(
            io.stderr,
            "error: `-o {}` is the template itself; writing the stack description there would destroy it",
            output.display()
        );
        return exit::USAGE;
    }
    let mut reporter = super::reporter(&args.report, io, Sink::Stderr);
    let input = match read_input(&args.template, io) {
        Ok(input) => input,
        Err(e) => {
            reporter.failure(io, Some(&e.name), e.to_string(), true);
            reporter.finish(io);
            return exit::IO;
        }
    };
    let imported = on_large_stack(&input.bytes);
    let Imported {
        text,
        stack,
        problems,
        ..
    } = imported;
    let failed = problems.iter().any(crate::diagnostics::Problem::is_error);
    reporter.file(io, &input.name, text, problems);
    let code = match stack {
        Some(stack) if !failed => write(args.output.as_deref(), &stack, &mut reporter, io),
        _ => exit::INVALID,
    };
    reporter.finish(io);
    code
}

/// Imports on a thread with a large stack, or here when no thread can be had.
fn on_large_stack(bytes: &[u8]) -> Imported {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("stackwire-import".into())
            .stack_size(IMPORT_STACK)
            .spawn_scoped(scope, || import(bytes));
        match spawned.map(std::thread::ScopedJoinHandle::join) {
            Ok(Ok(imported)) => imported,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => import(bytes),
        }
    })
}

fn write(
    path: Option<&Path>,
    stack: &str,
    reporter: &mut crate::diagnostics::Reporter,
    io: &mut Io<'_>,
) -> i32 {
    let result = match path {
        None => io
            .stdout
            .write_all(stack.as_bytes())
            .and_then(|()| io.stdout.flush())
            .map_err(|e| (None, format!("cannot write the stack description: {e}"))),
        Some(path) => {
            let shown = path.display().to_string();
            output::write_atomic(path, stack.as_bytes())
                .map_err(|e| (Some(shown.clone()), format!("cannot write `{shown}`: {e}")))
        }
    };
    match result {
        Ok(()) => exit::OK,
        Err((file, message)) => {
            reporter.failure(io, file.as_deref(), message, true);
            exit::IO
        }
    }
}

/// Whether two paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
