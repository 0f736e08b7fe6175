//! The pipeline end to end: bytes -> [`parse`] -> [`check`] -> the target's lowering ->
//! [`emit`], with every problem collected on the way.

use std::sync::atomic::{AtomicBool, Ordering};

use miette::SourceSpan;

use crate::check;
use crate::diagnostics::{Problem, thousands};
use crate::emit;
use crate::format::model::Stack;
use crate::format::parse;
use crate::limits::{MAX_DIRECT_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES};
use crate::options::Options;
use crate::plan::Plan;
use crate::target::{Lowered, Target};

/// The outcome of compiling one stack description.
#[derive(Debug)]
pub struct Compiled {
    /// The source as text, for rendering diagnostics (lossy where the input was not UTF-8).
    pub text: String,
    /// The template, when there were no errors and the run wants its text
    /// ([`Options::writes`]).
    pub template: Option<String>,
    /// Every error and warning, in the order found.
    pub problems: Vec<Problem>,
}

impl Compiled {
    /// Whether the stack has no errors (warnings aside).
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }
}

/// The stack the pipeline runs on. Parsing recurses once per level of YAML nesting (bounded by
/// `limits::MAX_DEPTH`), and an unoptimized build spends tens of KiB per level: 64 levels take
/// more than 4 MiB there (under 512 KiB in a release build). Running on a thread of its own
/// makes the depth limit safe whatever the caller's stack (a 2 MiB test thread, `ulimit -s`);
/// only the pages used are ever committed.
const PIPELINE_STACK: usize = 64 * 1024 * 1024;

/// Compiles the bytes of a stack description with the run's `options`.
///
/// The pipeline runs on a helper thread with a [`PIPELINE_STACK`] stack, one per calling thread,
/// started on the first call and kept for the next ones (starting a thread, and warming its
/// memory, for every file cost as much as checking a large stack).
pub fn compile(bytes: &[u8], options: &Options<'_>) -> Compiled {
    compile_owned(bytes.to_vec(), options)
}

/// [`compile`] of bytes the caller is done with: they become the [`Compiled`]'s text, without
/// a copy (a copy of a file at the input cap is 4 MiB more at the peak).
pub fn compile_owned(bytes: Vec<u8>, options: &Options<'_>) -> Compiled {
    if main_stack_suffices() {
        return compile_here(Source::Owned(bytes), options);
    }
    PIPELINE.with(|pipeline| match pipeline.run(bytes, options) {
        Ok(compiled) => compiled,
        // No thread to be had (a process limit): the caller's stack, which the main thread's
        // 8 MiB covers.
        Err(bytes) => compile_here(Source::Owned(bytes), options),
    })
}

/// Whether the pipeline may run on the caller's stack: the binary's main thread, in a release
/// build (64 levels of nesting take under 512 KiB there), with a stack limit of at least 8 MiB
/// (the usual `ulimit -s`). A helper thread costs more than its start: its allocations come
/// from an arena of its own, which glibc grows a page at a time (a system call each: 250 for a
/// stack at the limit, a sixth of `validate`'s time), where the main thread's grows in steps
/// of 128 KiB.
fn main_stack_suffices() -> bool {
    !cfg!(debug_assertions)
        && EXITS_AFTER_RUN.load(Ordering::Relaxed)
        && std::thread::current().name() == Some("main")
        && stack_limit_suffices()
}

/// Whether the main thread's stack limit (`RLIMIT_STACK`) is at least 8 MiB.
#[cfg(unix)]
fn stack_limit_suffices() -> bool {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes one `rlimit` through the pointer, which points at one.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut limit) };
    read == 0 && (limit.rlim_cur == libc::RLIM_INFINITY || limit.rlim_cur >= 8 << 20)
}

#[cfg(not(unix))]
fn stack_limit_suffices() -> bool {
    false
}

/// The bytes of a stack description, as the caller has them.
enum Source<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Source<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Borrowed(bytes) => bytes,
            Source::Owned(bytes) => bytes,
        }
    }

    /// The text (UTF-8, checked before), owned: the bytes themselves when they are owned.
    fn into_text(self) -> String {
        match self {
            Source::Owned(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Source::Borrowed(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        }
    }
}

thread_local! {
    static PIPELINE: Pipeline = const { Pipeline { worker: std::cell::RefCell::new(None) } };
}

/// The bytes, `--environment`, the target, `--code-bucket` and whether the template is written:
/// what a job's [`Options`] are made of, owned.
type Job = (
    Vec<u8>,
    Option<String>,
    &'static dyn Target,
    Option<String>,
    bool,
);
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
    /// The bytes back when no pipeline thread can be had.
    fn run(&self, bytes: Vec<u8>, options: &Options<'_>) -> Result<Compiled, Vec<u8>> {
        let Ok(mut worker) = self.worker.try_borrow_mut() else {
            return Err(bytes);
        };
        if worker.is_none() {
            *worker = Worker::start();
        }
        let Some(w) = worker.as_ref() else {
            return Err(bytes);
        };
        let job = (
            bytes,
            options.environment.map(str::to_owned),
            options.target,
            options.code_bucket.map(str::to_owned),
            options.writes,
        );
        if let Err(std::sync::mpsc::SendError((bytes, ..))) = w.jobs.send(job) {
            *worker = None;
            return Err(bytes);
        }
        match w.outcomes.recv() {
            Ok(Ok(compiled)) => Ok(compiled),
            // A panic in the pipeline is the caller's panic, as if it had run here.
            Ok(Err(panic)) => {
                *worker = None;
                std::panic::resume_unwind(panic)
            }
            // The thread ended holding the job, which only a panic that escaped it can do: that
            // panic, the caller's.
            Err(_) => {
                *worker = None;
                std::panic::resume_unwind(Box::new("the pipeline thread ended mid-job"))
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
                for (bytes, environment, target, code_bucket, writes) in job_rx {
                    let options = Options {
                        environment: environment.as_deref(),
                        target,
                        code_bucket: code_bucket.as_deref(),
                        writes,
                    };
                    let outcome =
                        std::panic::catch_unwind(|| compile_here(Source::Owned(bytes), &options));
                    if outcome_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Worker { jobs, outcomes })
    }
}

/// Set by the binary (`main.rs`), never by the library: this process runs one command line and
/// exits. Only then may a command leave what it built to the exit ([`leave_to_exit`]); a program
/// that calls [`crate::run`] again and again (a test, the fuzzer) frees everything as it goes.
static EXITS_AFTER_RUN: AtomicBool = AtomicBool::new(false);

/// Set by a command that compiles one file, in a process that then exits: what the pipeline
/// built for it (the model, the plan, the lowered template) is left for the process's exit to
/// free, as a compiler leaves its trees, instead of being freed node by node (a tenth of the
/// instructions of `validate` on a stack at the limit). Never set by a run of many files, whose
/// memory must stay that of one file at a time.
static LEAVE_TO_EXIT: AtomicBool = AtomicBool::new(false);

/// Says that this process runs one command line and then exits (the binary's `main`).
pub fn exits_after_run() {
    EXITS_AFTER_RUN.store(true, Ordering::Relaxed);
}

/// Says that this run compiles one file: what it builds may be left to the process's exit, if
/// the process exits after the run ([`exits_after_run`]).
pub fn leave_to_exit() {
    if EXITS_AFTER_RUN.load(Ordering::Relaxed) {
        LEAVE_TO_EXIT.store(true, Ordering::Relaxed);
    }
}

/// Drops `value`, or, after [`leave_to_exit`], forgets it (its memory is the process's until it
/// exits).
fn release<T>(value: T) {
    if LEAVE_TO_EXIT.load(Ordering::Relaxed) {
        std::mem::forget(value);
    }
}

fn compile_here(source: Source<'_>, options: &Options<'_>) -> Compiled {
    compile_here_then(source, options, None::<fn(&Plan<'_>)>).0
}

/// Compiles like [`compile`] and, when the stack has no errors, hands its checked plan to
/// `then` (for `graph`, which draws the plan rather than writing the template). The pipeline
/// runs on a thread of its own with a [`PIPELINE_STACK`] stack, as [`compile`]'s does, or on
/// the caller's when no thread can be had.
pub fn compile_then<R: Send>(
    bytes: &[u8],
    options: &Options<'_>,
    then: impl FnOnce(&Plan<'_>) -> R + Send,
) -> (Compiled, Option<R>) {
    let mut then = Some(then);
    let run = |then: &mut Option<_>| match then.take() {
        Some(then) => compile_here_then(Source::Borrowed(bytes), options, Some(then)),
        None => (compile_here(Source::Borrowed(bytes), options), None),
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

fn compile_here_then<R: Send>(
    source: Source<'_>,
    options: &Options<'_>,
    then: Option<impl FnOnce(&Plan<'_>) -> R + Send>,
) -> (Compiled, Option<R>) {
    // Each file's suggestions get a budget of their own (`suggest`), spent in file order.
    crate::suggest::reset_budget();
    let mut drawn = None;
    let bytes = source.bytes();
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
        let (plan, found) = check::check(&stack, options);
        problems.extend(found);
        let mut lowered = None;
        let template = match then {
            Some(then) if !problems.iter().any(Problem::is_error) => {
                let (template, picture) = beside(
                    || lower_and_emit(&stack, &plan, options, &mut problems, &mut lowered),
                    || then(&plan),
                );
                drawn = template.as_ref().and(picture);
                template
            }
            _ => lower_and_emit(&stack, &plan, options, &mut problems, &mut lowered),
        };
        release(lowered);
        release(plan);
        release(stack);
        template
    });
    // In reading order; problems at one place keep the order they were found in.
    problems.sort_by_cached_key(first_offset);
    let compiled = Compiled {
        text: source.into_text(),
        template,
        problems,
    };
    (compiled, drawn)
}

/// Runs `first` here and `second` on a thread of its own at the same time (the machine's other
/// core draws the graph while this one lowers the stack), or after `first` when no thread can be
/// had. A panic in either is the caller's.
fn beside<A, B: Send>(
    first: impl FnOnce() -> A,
    second: impl FnOnce() -> B + Send,
) -> (A, Option<B>) {
    // Held here, so that it can still run here when no thread can be started.
    let second = std::sync::Mutex::new(Some(second));
    let run = || {
        let taken = second.lock().ok().and_then(|mut f| f.take());
        taken.map(|f| f())
    };
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("stackwire-graph".to_owned())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, run);
        let a = first();
        let b = match handle {
            Ok(handle) => match handle.join() {
                Ok(b) => b,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => run(),
        };
        (a, b)
    })
}

/// Lowers a checked stack and writes its template, unless a problem stops it; `lowered` keeps
/// what the target built, for [`release`].
fn lower_and_emit(
    stack: &Stack,
    plan: &Plan<'_>,
    options: &Options<'_>,
    problems: &mut Vec<Problem>,
    lowered: &mut Option<Lowered>,
) -> Option<String> {
    if problems.iter().any(Problem::is_error) {
        return None;
    }
    // The quotas weigh the lowered template, which only a stack without errors has.
    let lowered = lowered.insert(options.target.lower(plan));
    problems.extend(check::quotas(plan, &lowered.quotas));
    if !lowered.unsupported.is_empty() {
        let target = options.target.name();
        problems.extend(check::unsupported(stack, target, &lowered.unsupported));
        return None;
    }
    if problems.iter().any(Problem::is_error) {
        return None;
    }
    let (template, len) = if options.writes {
        let template = emit::emit(&lowered.template);
        let len = template.len();
        (Some(template), len)
    } else {
        (None, emit::size(&lowered.template))
    };
    let span = stack.resources_key;
    if len > MAX_TEMPLATE_BYTES {
        problems.push(Problem::TemplateTooLarge {
            bytes: thousands(len),
            span,
        });
        return None;
    }
    if len > MAX_DIRECT_TEMPLATE_BYTES {
        problems.push(Problem::TemplateNeedsS3 {
            bytes: thousands(len),
            span,
        });
    }
    template
}

fn first_offset(problem: &Problem) -> usize {
    use miette::Diagnostic;
    problem
        .labels()
        .and_then(|labels| labels.map(|l| l.offset()).min())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts its drops.
    struct Counted<'a>(&'a std::sync::atomic::AtomicUsize);

    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn a_library_caller_frees_what_every_compile_built() {
        // The tests are a library caller: no `exits_after_run`, so asking to leave what a run
        // built to the exit changes nothing and every value is dropped.
        leave_to_exit();
        let drops = std::sync::atomic::AtomicUsize::new(0);
        release(Counted(&drops));
        release(Counted(&drops));
        assert_eq!(drops.load(Ordering::Relaxed), 2);
    }
}
