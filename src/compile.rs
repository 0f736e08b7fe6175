//! The pipeline end to end (`compile`), and the `compile` command over it.

use std::io;
use std::path::Path;

use miette::SourceSpan;

use crate::cli::{CompileArgs, ValidateArgs};
use crate::diagnostic::{FileReport, Problem, thousands};
use crate::{Io, check, emit, exit, lower, output, parse};

/// CloudFormation's limits on a template body.
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
pub const MAX_DIRECT_TEMPLATE_BYTES: usize = 51_200;

/// The outcome of compiling one stack description.
#[derive(Debug)]
pub struct Compiled {
    /// The source as text, for rendering diagnostics (lossy where the input was not UTF-8).
    pub text: String,
    /// The template, when there were no errors.
    pub template: Option<String>,
    /// Every error and warning, in the order found.
    pub problems: Vec<Problem>,
}

/// The stack the pipeline runs on. Parsing recurses once per level of YAML nesting (bounded by
/// `parse::MAX_DEPTH`), and an unoptimized build spends tens of KiB per level: 64 levels take
/// more than 4 MiB there (under 512 KiB in a release build). Running on a thread of its own
/// makes the depth limit safe whatever the caller's stack (a 2 MiB test thread, `ulimit -s`);
/// only the pages used are ever committed.
const PIPELINE_STACK: usize = 64 * 1024 * 1024;

/// Compiles the bytes of a stack description. `environment` is `--environment`.
pub fn compile(bytes: &[u8], environment: Option<&str>) -> Compiled {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("stackwire-compile".to_owned())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || compile_here(bytes, environment));
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had (a process limit): the caller's stack, which the main thread's
            // 8 MiB covers.
            Err(_) => compile_here(bytes, environment),
        }
    })
}

fn compile_here(bytes: &[u8], environment: Option<&str>) -> Compiled {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            // The lossy text has U+FFFD (3 bytes) where the bad byte was.
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let help = if utf16 {
                "the file is UTF-16 (it starts with a UTF-16 byte order mark): save the stack description as UTF-8"
            } else {
                "save the stack description as UTF-8 (without a byte order mark)"
            };
            let problem = Problem::InvalidUtf8 {
                span: SourceSpan::new(at.into(), '\u{FFFD}'.len_utf8()),
                help: help.to_owned(),
            };
            return Compiled {
                text,
                template: None,
                problems: vec![problem],
            };
        }
    };
    let (stack, mut problems) = parse::parse(text);
    let template = stack.and_then(|stack| {
        let (plan, found) = check::check(&stack, text, environment);
        problems.extend(found);
        if problems.iter().any(Problem::is_error) {
            return None;
        }
        let template = emit::emit(&lower::lower(&plan));
        let span = stack.resources_key;
        if template.len() > MAX_TEMPLATE_BYTES {
            problems.push(Problem::TemplateTooLarge {
                bytes: thousands(template.len()),
                span,
            });
            return None;
        }
        if template.len() > MAX_DIRECT_TEMPLATE_BYTES {
            problems.push(Problem::TemplateNeedsS3 {
                bytes: thousands(template.len()),
                span,
            });
        }
        Some(template)
    });
    // In reading order; problems at one place keep the order they were found in.
    problems.sort_by_key(first_offset);
    Compiled {
        text: text.to_owned(),
        template,
        problems,
    }
}

fn first_offset(problem: &Problem) -> usize {
    use miette::Diagnostic;
    problem
        .labels()
        .and_then(|labels| labels.map(|l| l.offset()).min())
        .unwrap_or(0)
}

/// The largest stack description stackwire reads: far above any real stack (a template is at
/// most 1,000,000 bytes), small enough that reading and parsing it stays well under a second.
pub const MAX_STACK_BYTES: usize = 4 * 1024 * 1024;

/// Reads a stack file, or standard input for `-`. Returns the name to show and the bytes.
/// Refuses (without reading on) input larger than [`MAX_STACK_BYTES`].
fn read_input(path: &Path, io: &mut Io<'_>) -> Result<(String, Vec<u8>), String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_STACK_BYTES).unwrap_or(u64::MAX);
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let read = if path.as_os_str() == "-" {
        io.stdin
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .and_then(|file| file.take(limit.saturating_add(1)).read_to_end(&mut bytes))
    };
    let what = if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        format!("`{name}`")
    };
    read.map_err(|e| format!("cannot read {what}: {e}"))?;
    if bytes.len() > MAX_STACK_BYTES {
        return Err(format!(
            "cannot read {what}: it is larger than {} bytes, the most stackwire reads (a stack description is far smaller)",
            thousands(MAX_STACK_BYTES)
        ));
    }
    Ok((name, bytes))
}

/// Compiles one file and prints its diagnostics, if any; the template when there were no errors.
fn compile_and_report(
    name: &str,
    bytes: &[u8],
    environment: Option<&str>,
    io: &mut Io<'_>,
) -> Option<String> {
    let compiled = compile(bytes, environment);
    if !compiled.problems.is_empty() {
        let report = FileReport::new(name, compiled.text, compiled.problems);
        let _ = io
            .stderr
            .write_all(report.render_human(io.color, 100).as_bytes());
    }
    compiled.template
}

/// Whether two paths name one existing file (through links and `..` alike).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn fail(io: &mut Io<'_>, message: &str) -> i32 {
    let _ = writeln!(io.stderr, "error: {message}");
    exit::IO
}

pub fn command(args: &CompileArgs, io: &mut Io<'_>) -> i32 {
    if let Some(output) = &args.output
        && args.stack.as_os_str() != "-"
        && same_file(&args.stack, output)
    {
        let _ = writeln!(
            io.stderr,
            "error: `-o {}` is the stack description itself; writing the template there would destroy it",
            output.display()
        );
        return exit::USAGE;
    }
    let (name, bytes) = match read_input(&args.stack, io) {
        Ok(input) => input,
        Err(message) => return fail(io, &message),
    };
    let Some(template) = compile_and_report(&name, &bytes, args.environment.as_deref(), io) else {
        return exit::INVALID;
    };
    let Some(path) = &args.output else {
        return match io
            .stdout
            .write_all(template.as_bytes())
            .and_then(|()| io.stdout.flush())
        {
            Ok(()) => exit::OK,
            Err(e) => fail(io, &format!("cannot write the template: {e}")),
        };
    };
    let shown = path.display().to_string();
    if args.check {
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
            Err(e) if e.kind() == io::ErrorKind::NotFound => bytes.clear(),
            Err(e) => return fail(io, &format!("cannot read `{shown}`: {e}")),
        }
        if bytes == template.as_bytes() {
            return exit::OK;
        }
        if bytes.len() >= limit {
            let _ = writeln!(
                io.stdout,
                "`{shown}` is larger than {} bytes, more than any template; no diff shown",
                thousands(limit - 1)
            );
        } else {
            let on_disk = String::from_utf8_lossy(&bytes);
            let diff = output::unified_diff(&on_disk, &template, &shown);
            let _ = io.stdout.write_all(diff.as_bytes());
        }
        let _ = writeln!(
            io.stderr,
            "error: `{shown}` is out of date; run `stackwire compile {} -o {shown}` and commit the result",
            args.stack.display()
        );
        return exit::STALE;
    }
    match output::write_atomic(path, template.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => fail(io, &format!("cannot write `{shown}`: {e}")),
    }
}

/// `validate`: compiles each file without writing, reports every problem in every file. Exits 3
/// when a file could not be read (the others are still checked), else 1 when any has errors.
pub fn validate(args: &ValidateArgs, io: &mut Io<'_>) -> i32 {
    let (mut unreadable, mut invalid) = (false, false);
    for path in &args.stacks {
        let (name, bytes) = match read_input(path, io) {
            Ok(input) => input,
            Err(message) => {
                let _ = writeln!(io.stderr, "error: {message}");
                unreadable = true;
                continue;
            }
        };
        let template = compile_and_report(&name, &bytes, args.environment.as_deref(), io);
        invalid |= template.is_none();
    }
    if unreadable {
        exit::IO
    } else if invalid {
        exit::INVALID
    } else {
        exit::OK
    }
}
