//! `stackwire compile`: one stack description to a template, on standard output, into `-o`
//! (atomically), or compared with `-o` under `--check`. Diagnostics in every format go to
//! standard error: standard output carries the template (or, with `--check`, the diff).

use std::io as stdio;
use std::path::Path;

use crate::cli::CompileArgs;
use crate::diagnostics::{Reporter, Sink};
use crate::diagnostics::{escaped, thousands};
use crate::io::{Io, exit, read_input, same_file};
use crate::limits::MAX_TEMPLATE_BYTES;
use crate::output;
use crate::pipeline::compile_owned;

pub fn run(args: &CompileArgs, io: &mut Io<'_>) -> i32 {
    if args.check && args.output.as_ref().is_some_and(|o| o.as_os_str() == "-") {
        let _ = writeln!(
            io.stderr,
            "error: `--check` compares the template with a file; `-o -` is standard output"
        );
        return exit::USAGE;
    }
    if let Some(output) = &args.output
        && args.stack.as_os_str() != "-"
        && output.as_os_str() != "-"
        && same_file(&args.stack, output)
    {
        let _ = writeln!(
            io.stderr,
            "error: `-o {}` is the stack description itself; writing the template there would destroy it",
            escaped(&output.display().to_string())
        );
        return exit::USAGE;
    }
    let mut reporter = super::reporter(&args.report, io, Sink::Stderr);
    let code = compile_to(args, &mut reporter, io);
    reporter.finish(io);
    code
}

/// Reports that a file (standard input or output when `None`) could not be read or written.
fn fail(reporter: &mut Reporter, io: &mut Io<'_>, file: Option<&str>, message: String) -> i32 {
    reporter.failure(io, file, message, true);
    exit::IO
}

fn compile_to(args: &CompileArgs, reporter: &mut Reporter, io: &mut Io<'_>) -> i32 {
    let input = match read_input(&args.stack, io) {
        Ok(input) => input,
        Err(e) => return fail(reporter, io, Some(&e.name), e.to_string()),
    };
    // One file, then the process exits.
    crate::pipeline::leave_to_exit();
    let compiled = compile_owned(input.bytes, &args.pipeline.options());
    let Some(template) = super::report(&input.name, compiled, reporter, io) else {
        return exit::INVALID;
    };
    // `-o -` is standard output, as `-` is standard input.
    let Some(path) = args.output.as_ref().filter(|p| p.as_os_str() != "-") else {
        return match io
            .stdout
            .write_all(template.as_bytes())
            .and_then(|()| io.stdout.flush())
        {
            Ok(()) => exit::OK,
            Err(e) => fail(
                reporter,
                io,
                None,
                format!("cannot write the template: {e}"),
            ),
        };
    };
    let shown = path.display().to_string();
    if args.check {
        return check(args, path, &template, reporter, io);
    }
    match output::write_atomic(path, template.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => fail(
            reporter,
            io,
            Some(&shown),
            format!("cannot write `{shown}`: {e}"),
        ),
    }
}

/// `--check`: exit 4 with a diff when the file at `path` is not `template`.
fn check(
    args: &CompileArgs,
    path: &Path,
    template: &str,
    reporter: &mut Reporter,
    io: &mut Io<'_>,
) -> i32 {
    let shown = path.display().to_string();
    // Read no more than a template can be, plus one byte: a larger file (or `/dev/zero`)
    // is out of date whatever it holds, and is not worth a diff.
    let limit = MAX_TEMPLATE_BYTES.max(template.len()) + 1;
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| {
        use std::io::Read;
        file.take(u64::try_from(limit).unwrap_or(u64::MAX))
            .read_to_end(&mut bytes)
    });
    match read {
        Ok(_) => {}
        Err(e) if e.kind() == stdio::ErrorKind::NotFound => bytes.clear(),
        Err(e) => {
            return fail(
                reporter,
                io,
                Some(&shown),
                format!("cannot read `{shown}`: {e}"),
            );
        }
    }
    if bytes == template.as_bytes() {
        return exit::OK;
    }
    if bytes.len() >= limit {
        let _ = writeln!(
            io.stdout,
            "`{}` is larger than {} bytes, more than any template; no diff shown",
            escaped(&shown),
            thousands(limit - 1)
        );
    } else {
        let on_disk = String::from_utf8_lossy(&bytes);
        // What deploying the new template over the committed one would do, when the file is
        // a template at all.
        if let (Ok(old), Ok(new)) = (
            crate::diff::load::side_of_template(&on_disk),
            crate::diff::load::side_of_template(template),
        ) && !old.resources.is_empty()
        {
            let report = crate::diff::compare(&old, &new, &[]);
            let _ = io
                .stdout
                .write_all(crate::diff::render::human::brief(&report).as_bytes());
        }
        let diff = output::unified_diff(&on_disk, template, &escaped(&shown));
        let _ = io.stdout.write_all(diff.as_bytes());
    }
    reporter.failure(
        io,
        Some(&shown),
        format!(
            "`{shown}` is out of date; run `stackwire compile {} -o {shown}` and commit the result",
            args.stack.display()
        ),
        false,
    );
    exit::STALE
}
