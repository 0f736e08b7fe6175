//! The pipeline end to end (`compile`), and the `compile` command over it.

use std::io;
use std::path::Path;

use miette::SourceSpan;

use crate::cli::{CompileArgs, ReportArgs, ValidateArgs};
use crate::diagnostic::{Problem, thousands};
use crate::report::{self, Reporter, Sink};
use crate::{Io, check, emit, exit, lower, output, parse};

pub use crate::limits::{MAX_DIRECT_TEMPLATE_BYTES, MAX_STACK_BYTES, MAX_TEMPLATE_BYTES};

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
///
/// The pipeline runs on a helper thread with a [`PIPELINE_STACK`] stack, one per calling thread,
/// started on the first call and kept for the next ones (starting a thread, and warming its
/// memory, for every file cost as much as checking a large stack).
pub fn compile(bytes: &[u8], environment: Option<&str>) -> Compiled {
    PIPELINE.with(|pipeline| match pipeline.run(bytes, environment) {
        Some(compiled) => compiled,
        // No thread to be had (a process limit): the caller's stack, which the main thread's
        // 8 MiB covers.
        None => compile_here(bytes, environment),
    })
}

thread_local! {
    static PIPELINE: Pipeline = const { Pipeline { worker: std::cell::RefCell::new(None) } };
}

type Job = (Vec<u8>, Option<String>);
type Outcome = std::thread::Result<Compiled>;

/// A calling thread's pipeline thread: jobs in, outcomes out. It ends when its caller does (the
/// job sender is dropped with the thread-local).
struct Pipeline {
    worker: std::cell::RefCell<Option<Worker>>,
}

struct Worker {
    jobs: std::sync::mpsc::Sender<Job>,
    outcomes: std::sync::mpsc::Receiver<Outcome>,
}

impl Pipeline {
    /// `None` when no pipeline thread can be had.
    fn run(&self, bytes: &[u8], environment: Option<&str>) -> Option<Compiled> {
        let mut worker = self.worker.try_borrow_mut().ok()?;
        if worker.is_none() {
            *worker = Worker::start();
        }
        let w = worker.as_ref()?;
        let job = (bytes.to_vec(), environment.map(str::to_owned));
        let outcome = w.jobs.send(job).ok().and_then(|()| w.outcomes.recv().ok());
        match outcome {
            Some(Ok(compiled)) => Some(compiled),
            // A panic in the pipeline is the caller's panic, as if it had run here.
            Some(Err(panic)) => {
                *worker = None;
                std::panic::resume_unwind(panic)
            }
            None => {
                *worker = None;
                None
            }
        }
    }
}

impl Worker {
    fn start() -> Option<Worker> {
        let (jobs, job_rx) = std::sync::mpsc::channel::<Job>();
        let (outcome_tx, outcomes) = std::sync::mpsc::channel::<Outcome>();
        std::thread::Builder::new()
            .name("stackwire-compile".to_owned())
            .stack_size(PIPELINE_STACK)
            .spawn(move || {
                for (bytes, environment) in job_rx {
                    let outcome =
                        std::panic::catch_unwind(|| compile_here(&bytes, environment.as_deref()));
                    if outcome_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Worker { jobs, outcomes })
    }
}

fn compile_here(bytes: &[u8], environment: Option<&str>) -> Compiled {
    compile_here_then(bytes, environment, |_| ()).0
}

/// Compiles like [`compile`] and, when the stack has no errors, hands its checked plan to
/// `then` (for `graph`, which draws the plan rather than writing the template). The pipeline
/// runs on a thread of its own with a [`PIPELINE_STACK`] stack, as [`compile`]'s does, or on
/// the caller's when no thread can be had.
pub(crate) fn compile_then<R: Send>(
    bytes: &[u8],
    environment: Option<&str>,
    then: impl FnOnce(&check::Plan<'_>) -> R + Send,
) -> (Compiled, Option<R>) {
    let mut then = Some(then);
    let run = |then: &mut Option<_>| match then.take() {
        Some(then) => compile_here_then(bytes, environment, then),
        None => (compile_here(bytes, environment), None),
    };
    let joined = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("stackwire-compile".to_owned())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || run(&mut then))
            .ok()
            .map(std::thread::ScopedJoinHandle::join)
    });
    match joined {
        Some(Ok(outcome)) => outcome,
        // A panic in the pipeline is the caller's panic, as if it had run here.
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread to be had (a process limit): the caller's stack.
        None => run(&mut then),
    }
}

fn compile_here_then<R>(
    bytes: &[u8],
    environment: Option<&str>,
    then: impl FnOnce(&check::Plan<'_>) -> R,
) -> (Compiled, Option<R>) {
    let mut drawn = None;
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
            let compiled = Compiled {
                text,
                template: None,
                problems: vec![problem],
            };
            return (compiled, None);
        }
    };
    let (stack, mut problems) = parse::parse(text);
    let template = stack.and_then(|stack| {
        let (plan, found) = check::check(&stack, environment);
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
        drawn = Some(then(&plan));
        Some(template)
    });
    // In reading order; problems at one place keep the order they were found in.
    problems.sort_by_key(first_offset);
    let compiled = Compiled {
        text: text.to_owned(),
        template,
        problems,
    };
    (compiled, drawn)
}

fn first_offset(problem: &Problem) -> usize {
    use miette::Diagnostic;
    problem
        .labels()
        .and_then(|labels| labels.map(|l| l.offset()).min())
        .unwrap_or(0)
}

/// Reads a stack file, or standard input for `-`. Returns the name to show and the bytes, or
/// the name and why it could not be read. Refuses (without reading on) input larger than
/// [`MAX_STACK_BYTES`].
pub(crate) fn read_input(
    path: &Path,
    io: &mut Io<'_>,
) -> Result<(String, Vec<u8>), (String, String)> {
    if path.as_os_str() == "-" {
        let name = report::STDIN.to_owned();
        return match read_capped(&mut io.stdin, "standard input") {
            Ok(bytes) => Ok((name, bytes)),
            Err(message) => Err((name, message)),
        };
    }
    read_file(path)
}

/// Reads a stack file. Returns the name to show and the bytes.
fn read_file(path: &Path) -> Result<(String, Vec<u8>), (String, String)> {
    let name = path.display().to_string();
    let what = format!("`{name}`");
    let bytes = match std::fs::File::open(path) {
        Ok(mut file) => read_capped(&mut file, &what),
        Err(e) => Err(format!("cannot read {what}: {e}")),
    };
    match bytes {
        Ok(bytes) => Ok((name, bytes)),
        Err(message) => Err((name, message)),
    }
}

/// Reads at most [`MAX_STACK_BYTES`] (and one more byte, to tell that there is more).
fn read_capped(from: &mut dyn std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_STACK_BYTES).unwrap_or(u64::MAX);
    from.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    if bytes.len() > MAX_STACK_BYTES {
        return Err(format!(
            "cannot read {what}: it is larger than {} bytes, the most stackwire reads (a stack description is far smaller)",
            thousands(MAX_STACK_BYTES)
        ));
    }
    Ok(bytes)
}

/// The reporter for `--format`, `--color` and `--plain`, writing machine formats to `sink`.
fn reporter(args: &ReportArgs, io: &Io<'_>, sink: Sink) -> Reporter {
    Reporter::new(args.format, args.color.resolve(io.color), args.plain, sink)
}

/// Compiles one file and reports its diagnostics, if any; the template when there were no errors.
fn compile_and_report(
    name: &str,
    bytes: &[u8],
    environment: Option<&str>,
    reporter: &mut Reporter,
    io: &mut Io<'_>,
) -> Option<String> {
    report(name, compile(bytes, environment), reporter, io)
}

/// Reports a compiled file's diagnostics, if any; the template when there were no errors.
pub(crate) fn report(
    name: &str,
    compiled: Compiled,
    reporter: &mut Reporter,
    io: &mut Io<'_>,
) -> Option<String> {
    reporter.file(io, name, compiled.text, compiled.problems);
    compiled.template
}

/// Whether two paths name one existing file (through links and `..` alike).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `compile`. Diagnostics in every format go to standard error: standard output carries the
/// template (or, with `--check`, the diff).
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
    let mut reporter = reporter(&args.report, io, Sink::Stderr);
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
    let (name, bytes) = match read_input(&args.stack, io) {
        Ok(input) => input,
        Err((name, message)) => return fail(reporter, io, Some(&name), message),
    };
    let template = compile_and_report(&name, &bytes, args.environment.as_deref(), reporter, io);
    let Some(template) = template else {
        return exit::INVALID;
    };
    let Some(path) = &args.output else {
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
                "`{shown}` is larger than {} bytes, more than any template; no diff shown",
                thousands(limit - 1)
            );
        } else {
            let on_disk = String::from_utf8_lossy(&bytes);
            let diff = output::unified_diff(&on_disk, &template, &shown);
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
        return exit::STALE;
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

/// `validate`: compiles each file without writing, reports every problem in every file. Exits 3
/// when a file could not be read (the others are still checked), else 1 when any has errors.
/// Human diagnostics go to standard error, the other formats to standard output.
///
/// Files are read and compiled on `--jobs` worker threads; each report is printed as soon as
/// every file before it has been, so the output is the same, byte for byte, for any `--jobs`.
pub fn validate(args: &ValidateArgs, io: &mut Io<'_>) -> i32 {
    let mut reporter = reporter(&args.report, io, Sink::Stdout);
    let environment = args.environment.as_deref();
    // Standard input is read here, where `-` stands in the arguments, before any worker starts.
    let inputs: Vec<Input<'_>> = args
        .stacks
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                Input::Read(read_input(path, io))
            } else {
                Input::Path(path)
            }
        })
        .collect();
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, std::num::NonZeroUsize::get)
        .min(inputs.len());
    let (mut unreadable, mut invalid) = (false, false);
    check_in_order(&inputs, environment, jobs, |checked| match checked {
        Ok((name, compiled)) => invalid |= report(&name, compiled, &mut reporter, io).is_none(),
        Err((name, message)) => {
            reporter.failure(io, Some(&name), message, true);
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
    environment: Option<&str>,
    jobs: usize,
    mut then: impl FnMut(Result<(String, Compiled), (String, String)>),
) {
    if jobs <= 1 {
        for input in inputs {
            then(input.check(environment));
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
                    if done.send((i, input.check(environment))).is_err() {
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
    Read(Result<(String, Vec<u8>), (String, String)>),
}

impl Input<'_> {
    /// Reads (when not yet read) and compiles: the name to show and the outcome.
    fn check(&self, environment: Option<&str>) -> Result<(String, Compiled), (String, String)> {
        let read;
        let (name, bytes) = match self {
            Input::Path(path) => {
                read = read_file(path)?;
                (&read.0, &read.1)
            }
            Input::Read(Ok((name, bytes))) => (name, bytes),
            Input::Read(Err(message)) => return Err(message.clone()),
        };
        Ok((name.clone(), compile(bytes, environment)))
    }
}
