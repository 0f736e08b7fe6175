//! stackwire's benchmark: `cargo bench --bench stackwire` (`-- --write BENCHMARKS.md` puts the
//! measured table into BENCHMARKS.md, between its markers).
//!
//! Whole-process numbers spawn the release binary (`CARGO_BIN_EXE_stackwire`) and take the
//! median wall time of repeated runs; peak memory is the child's maximum resident set size from
//! `wait4`'s rusage. In-process numbers call the library and take the median of many iterations.
//! Every workload is checked first (exit code, diagnostics), so a number is never the time of
//! a run that did something else.
//!
//! Options: `--write FILE`; `--quick` (fewer runs, for trying the bench out); `--stack N|limit [SEED]`
//! prints the generated stack of N resources (or the one at the limit) instead; `--profile
//! compile|parse-only FILE [TIMES]` runs one step in process (once, or TIMES times and prints
//! the median), to profile by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stackwire::generate::{Shape, at_limit, generate};

const BEGIN: &str = "<!-- bench:begin (written by `cargo bench --bench stackwire -- --write BENCHMARKS.md`; do not edit) -->";
const END: &str = "<!-- bench:end -->";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    if let Some(i) = args.iter().position(|a| a == "--stack") {
        // `--stack N|limit [SEED]`: print a generated stack (for profiling).
        let number = |i: usize| args.get(i).and_then(|a| a.parse::<usize>().ok());
        let seed = number(i + 2).unwrap_or(1) as u64;
        let stack = match (args.get(i + 1).map(String::as_str), number(i + 1)) {
            (Some("limit"), _) => at_limit(seed),
            (_, Some(resources)) => generate(Shape::resources(resources), seed),
            _ => fail("--stack needs a number of resources, or `limit`"),
        };
        print!("{}", stack.text);
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--profile") {
        // `--profile compile|parse-only FILE [TIMES]`: in-process runs of a step, for
        // `valgrind --tool=callgrind` (instruction counts do not depend on the machine's load).
        let (Some(step), Some(file)) = (args.get(i + 1), args.get(i + 2)) else {
            fail(
                "--profile needs a step (compile, compile-cloudformation or parse-only) and a file",
            )
        };
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| fail(&format!("cannot read {file}: {e}")));
        let times = args
            .get(i + 3)
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(1);
        let mut elapsed = Vec::with_capacity(times);
        for _ in 0..times {
            let start = Instant::now();
            match step.as_str() {
                "compile" => {
                    let compiled =
                        stackwire::compile(text.as_bytes(), &stackwire::Options::default());
                    assert!(compiled.template.is_some(), "{file} does not compile");
                }
                "compile-cloudformation" => {
                    let compiled = stackwire::compile(text.as_bytes(), &cloudformation());
                    assert!(compiled.template.is_some(), "{file} does not compile");
                }
                "parse-only" => {
                    let value: serde_json::Value =
                        serde_saphyr::from_str(&text).unwrap_or_default();
                    assert!(value.is_object(), "{file} is not a mapping");
                }
                "events" => {
                    assert!(events(&text) > 0, "{file} has no YAML events");
                }
                "read" => {
                    assert!(
                        stackwire::format::yaml::read(&text).is_ok(),
                        "{file} is not YAML"
                    );
                }
                "read-serde" => {
                    let read = stackwire::format::yaml::read_with_serde(&text);
                    assert!(read.is_ok(), "{file} is not YAML");
                }
                _ => fail(
                    "--profile: the step is compile, compile-cloudformation, parse-only, events, read or read-serde",
                ),
            }
            elapsed.push(start.elapsed());
        }
        elapsed.sort();
        println!("{step}: median of {times}: {}", us(elapsed[times / 2]));
        return;
    }
    if args.first().is_some_and(|a| a == "--rusage") {
        // `--rusage CODE PROGRAM ARGS...`: runs PROGRAM once and prints its wall time, CPU
        // time (ns) and peak memory (KB). A process of its own, started fresh, so the peak
        // memory is the program's: a child's peak counts the pages of the process it was
        // started from, and the bench itself holds megabytes of generated stacks.
        let (Some(code), Some(program)) =
            (args.get(1).and_then(|c| c.parse::<i32>().ok()), args.get(2))
        else {
            fail("--rusage needs an exit code and a program")
        };
        let m = spawn_measured(Command::new(program).args(&args[3..]), code);
        println!(
            "{} {} {}",
            m.wall.as_nanos(),
            m.cpu.as_nanos(),
            m.max_rss_kb
        );
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--events") {
        // `--events FILE`: the events-only reader, as a process of its own (the floor the
        // "against the YAML events" section measures stackwire against).
        let Some(file) = args.get(i + 1) else {
            fail("--events needs a file")
        };
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| fail(&format!("cannot read {file}: {e}")));
        println!("{} events", events(&text));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--steps") {
        // `--steps FILE`: the in-process table of compile's stages on a file, alone.
        let Some(file) = args.get(i + 1) else {
            fail("--steps needs a file")
        };
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| fail(&format!("cannot read {file}: {e}")));
        let mut bench = Bench::new(true);
        bench.iterations = 41;
        for (name, m) in bench.steps(&text) {
            println!("{name}: {} CPU, {} wall", us(m.cpu), us(m.wall));
        }
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    // `cargo bench` passes `--bench`; `cargo test --benches` (or `--all-targets`) does not, and
    // then the bench (minutes) is not run: it is not part of the test suite.
    if !args.iter().any(|a| a == "--bench") && !quick && write.is_none() {
        println!("stackwire bench: not run (run it with `cargo bench --bench stackwire`)");
        return;
    }
    let bench = Bench::new(quick);
    let report = bench.run();
    println!("{report}");
    if let Some(path) = write {
        if quick {
            fail("--write needs a full run, not --quick");
        }
        let old = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        let (Some(begin), Some(end)) = (old.find(BEGIN), old.find(END)) else {
            fail(&format!("{} has no bench markers", path.display()));
        };
        let new = format!("{}{BEGIN}\n{report}{}", &old[..begin], &old[end..]);
        std::fs::write(&path, new)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
        eprintln!("wrote the measured section of {}", path.display());
    }
}

/// Every YAML event of `text`, pulled from the parser under stackwire's reader (the same
/// granit-parser version) with nothing built: the floor any reader of the file stands on.
fn events(text: &str) -> usize {
    let options = granit_parser::options! { emit_comments: false };
    let mut count = 0;
    for event in granit_parser::Parser::new_from_str_with_options(text, options) {
        match event {
            Ok(_) => count += 1,
            Err(e) => fail(&format!("not YAML: {e}")),
        }
    }
    count
}

/// The generated stack with the most resources whose file the 4 MiB input cap still admits.
fn largest_under_cap() -> stackwire::generate::Generated {
    let cap = stackwire::limits::MAX_STACK_BYTES;
    let (mut low, mut high) = (1usize, 40_000);
    // The file grows with the resources: the last count whose file fits.
    while low < high {
        let mid = (low + high).div_ceil(2);
        if generate(Shape::resources(mid), 1).text.len() <= cap {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    generate(Shape::resources(low), 1)
}

/// The options of `compile --target cloudformation`.
fn cloudformation() -> stackwire::Options<'static> {
    stackwire::Options {
        target: stackwire::target::find("cloudformation")
            .unwrap_or_else(|| fail("no cloudformation target")),
        ..stackwire::Options::default()
    }
}

fn fail(message: &str) -> ! {
    eprintln!("bench: {message}");
    std::process::exit(2);
}

struct Bench {
    root: PathBuf,
    binary: PathBuf,
    cfn_lint: Option<PathBuf>,
    work: tempfile::TempDir,
    /// Runs of a fast command (a few milliseconds).
    fast_runs: usize,
    /// Runs of a slow command (cfn-lint, the 100k-resource stack).
    slow_runs: usize,
    /// Iterations of an in-process measurement.
    iterations: usize,
}

impl Bench {
    fn new(quick: bool) -> Bench {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let cfn_lint = root.join("target/conformance-venv/bin/cfn-lint");
        Bench {
            binary: PathBuf::from(env!("CARGO_BIN_EXE_stackwire")),
            cfn_lint: cfn_lint.exists().then_some(cfn_lint),
            root,
            work: tempfile::tempdir()
                .unwrap_or_else(|e| fail(&format!("cannot make a temporary folder: {e}"))),
            fast_runs: if quick { 5 } else { 41 },
            slow_runs: if quick { 1 } else { 7 },
            iterations: if quick { 10 } else { 201 },
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.work.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
        path
    }

    fn run(&self) -> String {
        let mut out = String::new();
        out.push_str(&machine());
        let quickstart = self.root.join("fixtures/ok/quickstart.yaml");
        let limit = at_limit(1);
        let limit_path = self.write("at-limit.yaml", &limit.text);
        let mut targets: Vec<(String, String, bool)> = Vec::new();
        // The machine's load as each section starts: the other work it shared the cores with.
        let mut loads: Vec<(&str, String)> = Vec::new();

        // 1 and 2: validate, compile and cfn-lint, whole process.
        eprintln!("bench: validate, compile and cfn-lint");
        loads.push(("validate, compile and cfn-lint", load()));
        let _ = writeln!(
            out,
            "\n### Whole process: stackwire against cfn-lint\n\nMedian wall time of {} runs ({} for cfn-lint), each a new process; CPU time (user + system) in brackets. `compile -o` writes the template atomically, syncing it to disk before the rename: most of its wall time is that wait.\n\n| stack | `stackwire validate` | `stackwire compile -o` | `cfn-lint` on the template | cfn-lint / validate |\n|---|---:|---:|---:|---:|",
            self.fast_runs, self.slow_runs
        );
        let stacks = [
            (
                "`fixtures/ok/quickstart.yaml`: 3 resources".to_owned(),
                quickstart.clone(),
            ),
            (
                format!(
                    "generated, at the limit: {} Functions, {} Streams, {} wires, {} resources after SAM's expansion ({:.0} KB)",
                    limit.shape.functions,
                    limit.shape.streams,
                    limit.shape.wires,
                    limit.expanded_resources,
                    limit.text.len() as f64 / 1e3
                ),
                limit_path.clone(),
            ),
        ];
        let mut validate_quickstart = Duration::ZERO;
        for (i, (what, path)) in stacks.iter().enumerate() {
            let validate =
                self.median_process(&["validate".as_ref(), path.as_os_str()], 0, self.fast_runs);
            let template = self.path(&format!("template-{i}.yaml"));
            let compile_args = [
                "compile".as_ref(),
                path.as_os_str(),
                "-o".as_ref(),
                template.as_os_str(),
            ];
            let compile = self.median_process(&compile_args, 0, self.fast_runs);
            let (lint, ratio) = match &self.cfn_lint {
                Some(cfn_lint) => {
                    let lint = self.median_cfn_lint(cfn_lint, &template);
                    let ratio = lint.wall.as_secs_f64() / validate.wall.as_secs_f64();
                    (timed(&lint), Some(ratio))
                }
                None => (
                    "not measured: no cfn-lint (`cargo test conformance` installs it)".to_owned(),
                    None,
                ),
            };
            let _ = writeln!(
                out,
                "| {what} | {} | {} | {lint} | {} |",
                timed(&validate),
                timed(&compile),
                ratio.map_or("-".to_owned(), |r| format!("**{r:.0}x**"))
            );
            if i == 0 {
                validate_quickstart = validate.wall;
                targets.push((
                    "a typical stack (quickstart) validates >= 300x faster than cfn-lint checks its template".to_owned(),
                    ratio.map_or("not measured".to_owned(), |r| format!("{r:.0}x")),
                    ratio.is_some_and(|r| r >= 300.0),
                ));
            }
        }

        // Issue 3: what a pre-commit hook runs.
        eprintln!("bench: all fixtures");
        loads.push(("all fixtures", load()));
        let mut all: Vec<PathBuf> = Vec::new();
        for kind in ["ok", "warn", "err"] {
            let mut files: Vec<PathBuf> = std::fs::read_dir(self.root.join("fixtures").join(kind))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect();
            files.sort();
            all.extend(files);
        }
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "validate".as_ref(),
            "--environment".as_ref(),
            "prod".as_ref(),
        ];
        args.extend(all.iter().map(|p| p.as_os_str()));
        let fixtures = self.median_process(&args, 1, self.fast_runs);
        let quickstart_ok = validate_quickstart < Duration::from_millis(5);
        let _ = writeln!(
            out,
            "\n### Pre-commit (issue 3)\n\nMedian of {} runs.\n\n| run | wall time (CPU) |\n|---|---:|\n| `stackwire validate fixtures/ok/quickstart.yaml` | {} |\n| `stackwire validate --environment prod` on all {} fixtures at once (ok, warn and err: exits 1) | {} |",
            self.fast_runs,
            ms(validate_quickstart),
            all.len(),
            timed(&fixtures),
        );
        targets.push((
            "a typical stack (quickstart) validates in < 5 ms of wall time".to_owned(),
            ms(validate_quickstart),
            quickstart_ok,
        ));

        // SPEC 8: `graph` of the stack at the limit, whole process, in each format.
        eprintln!("bench: graph");
        loads.push(("graph", load()));
        let _ = writeln!(
            out,
            "\n### `stackwire graph` (whole process, the stack at the limit)\n\nThe generated stack at the limit (above), drawn in each format to standard output: the whole `compile` pipeline (the same diagnostics; its one warning, that the template needs S3, goes to standard error), then the graph. Median of {} runs; `validate` of the same stack beside it.\n\n| run | wall time (CPU) |\n|---|---:|",
            self.fast_runs
        );
        let mut slowest_graph = Duration::ZERO;
        for (format, starts) in [
            ("mermaid", "flowchart LR\n"),
            ("dot", "digraph stackwire {\n"),
            ("svg", "<svg xmlns=\"http://www.w3.org/2000/svg\""),
        ] {
            let args = [
                "graph".as_ref(),
                limit_path.as_os_str(),
                "--format".as_ref(),
                format.as_ref(),
            ];
            let (code, stdout, stderr) = self.output(&args);
            let nodes = stdout.matches(match format {
                "mermaid" => "<br/>Function",
                "dot" => "\\nFunction",
                _ => "<g class=\"node function\">",
            });
            if code != 0 || !stdout.starts_with(starts) || nodes.count() != limit.shape.functions {
                fail(&format!(
                    "graph --format {format} of the stack at the limit: exit {code}, not the {} Functions expected:\n{stderr}",
                    limit.shape.functions
                ));
            }
            let m = self.median_process(&args, 0, self.fast_runs);
            slowest_graph = slowest_graph.max(m.wall);
            let _ = writeln!(
                out,
                "| `stackwire graph --format {format}` ({:.0} KB out) | {} |",
                stdout.len() as f64 / 1e3,
                timed(&m)
            );
        }
        let validate = self.median_process(
            &["validate".as_ref(), limit_path.as_os_str()],
            0,
            self.fast_runs,
        );
        let _ = writeln!(
            out,
            "| `stackwire validate` (no picture) | {} |",
            timed(&validate)
        );
        targets.push((
            "graph of the stack at the limit in < 10 ms of wall time (every format)".to_owned(),
            ms(slowest_graph),
            slowest_graph < Duration::from_millis(10),
        ));

        // SPEC 6: `diff` of two stacks at the limit, whole process.
        eprintln!("bench: diff");
        loads.push(("diff", load()));
        let edited_text = limit
            .text
            .replace("shardCount: 2\n", "shardCount: 3\n")
            .replace("memory: 128\n", "memory: 192\n")
            .replace(
                "startingPosition: LATEST\n",
                "startingPosition: TRIM_HORIZON\n",
            );
        let edited_path = self.write("at-limit-edited.yaml", &edited_text);
        let other = at_limit(2);
        let other_path = self.write("at-limit-2.yaml", &other.text);
        let mut templates = Vec::new();
        for (name, stack) in [
            ("diff-old.yaml", &limit_path),
            ("diff-new.yaml", &edited_path),
            ("diff-other.yaml", &other_path),
        ] {
            let template = self.path(name);
            let (code, _, stderr) = self.output(&[
                "compile".as_ref(),
                stack.as_os_str(),
                "-o".as_ref(),
                template.as_os_str(),
            ]);
            if code != 0 {
                fail(&format!(
                    "compile for the diff bench: exit {code}\n{stderr}"
                ));
            }
            templates.push(template);
        }
        let _ = writeln!(
            out,
            "\n### `stackwire diff` (whole process, two stacks at the limit)\n\nThe stack at the limit against itself edited (every `shardCount: 2` made 3: updates; every `memory: 128` made 192: updates; every `startingPosition: LATEST` made `TRIM_HORIZON`: replaced mappings), {} resources a side after SAM's expansion; and against another stack at the limit (seed 2: nearly every Logical ID removed or added, the rename search at its largest). The two sides are read (and compiled, and expanded by SAM's rules) on two threads at once, one a side, so on this machine's two cores the wall time is about one side's load plus the comparison, and the CPU time, all threads', is more than the wall time. Median of {} runs, `--format json` to standard output.\n\n| run | resources | changed | exit | wall time (CPU) |\n|---|---:|---:|---:|---:|",
            limit.expanded_resources, self.fast_runs
        );
        let mut diff_templates = Duration::ZERO;
        for (what, old, new) in [
            (
                "two templates (the committed one against the new one)",
                &templates[0],
                &templates[1],
            ),
            (
                "two stack descriptions (each compiled first)",
                &limit_path,
                &edited_path,
            ),
            (
                "two different stacks' templates",
                &templates[0],
                &templates[2],
            ),
        ] {
            let args = [
                "diff".as_ref(),
                old.as_os_str(),
                new.as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
            ];
            let (code, stdout, stderr) = self.output(&args);
            let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
                fail(&format!("diff for the bench: exit {code}, {e}\n{stderr}"))
            });
            let entries = doc["resources"].as_array().map_or(0, Vec::len);
            let unchanged = doc["counts"]["unchanged"].as_u64().unwrap_or(0) as usize;
            if ![0, 5].contains(&code) || entries < limit.expanded_resources {
                fail(&format!(
                    "diff for the bench: exit {code}, {entries} resources\n{stderr}"
                ));
            }
            let m = self.median_process(&args, code, self.fast_runs);
            if diff_templates == Duration::ZERO {
                diff_templates = m.wall;
            }
            let _ = writeln!(
                out,
                "| {what} | {entries} | {} | {code} | {} |",
                entries - unchanged,
                timed(&m)
            );
        }
        targets.push((
            "diff of two 500-resource stacks (templates) in < 20 ms of wall time".to_owned(),
            ms(diff_templates),
            diff_templates < Duration::from_millis(20),
        ));

        // 3: compile against parse-only, in process.
        eprintln!("bench: compile against parse-only");
        loads.push(("compile against parse-only", load()));
        let steps = self.steps(&limit.text);
        let (parse_only, compile) = (steps[0].1, steps[1].1);
        let _ = writeln!(
            out,
            "\n### Compile against parse-only (in process, the stack at the limit)\n\nParse-only is serde-saphyr reading the file into a generic value (`serde_json::Value`), the least any YAML tool does. The steps take turns, {} rounds, so each sees the same machine; medians of the process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`: all threads, as `compile` runs the pipeline on a thread of its own; not disturbed by waiting for a core) and of wall time.\n\n| step | CPU time | / parse-only | wall time | / parse-only |\n|---|---:|---:|---:|---:|",
            self.iterations,
        );
        for (name, m) in &steps {
            let _ = writeln!(
                out,
                "| {name} | {} | {:.2} | {} | {:.2} |",
                us(m.cpu),
                m.cpu.as_secs_f64() / parse_only.cpu.as_secs_f64(),
                us(m.wall),
                m.wall.as_secs_f64() / parse_only.wall.as_secs_f64()
            );
        }
        let compile_ratio = compile.cpu.as_secs_f64() / parse_only.cpu.as_secs_f64();
        let cfn_compile = steps[6].1;
        let cfn_ratio = cfn_compile.cpu.as_secs_f64() / compile.cpu.as_secs_f64();
        let cfn_wall_ratio = cfn_compile.wall.as_secs_f64() / compile.wall.as_secs_f64();
        let _ = writeln!(
            out,
            "\n`--target cloudformation` against the SAM target on the same stack: {cfn_ratio:.2}x the CPU time ({cfn_wall_ratio:.2}x wall); its template holds every resource CloudFormation counts (the SAM target's leaves the role and event source mappings to the transform)."
        );
        targets.push((
            "compile --target cloudformation <= 1.2x the SAM target (the stack at the limit, in process, CPU time)".to_owned(),
            format!("{cfn_ratio:.2}x ({cfn_wall_ratio:.2}x wall)"),
            cfn_ratio <= 1.2,
        ));
        let wall_ratio = compile.wall.as_secs_f64() / parse_only.wall.as_secs_f64();
        targets.push((
            "compile <= 2x parse-only (the stack at the limit, in process, CPU time)".to_owned(),
            format!("{compile_ratio:.2}x ({wall_ratio:.2}x wall)"),
            compile_ratio <= 2.0,
        ));

        // Issue 17: whole process against the YAML parser's own event stream.
        eprintln!("bench: against the YAML events");
        loads.push(("against the YAML events", load()));
        let cap = largest_under_cap();
        let cap_path = self.write("at-cap.yaml", &cap.text);
        let _ = writeln!(
            out,
            "\n### Against the YAML events (whole process)\n\nThe events-only reader is this bench's own `--events FILE`: it reads the file and pulls every event from the parser under stackwire's reader (granit-parser, the same version) and builds nothing. `validate` and `compile -o` read, check and lower the same file (`compile` also writes it; at the cap, both stop at `too_many_resources` after checking all of it). The three take turns, a run each per round, so each sees the same machine; median of {} rounds; CPU time is user + system; peak memory is the peak resident set size, per byte of input.\n\n| stack | run | wall time (CPU) | CPU / events | peak memory | bytes per input byte |\n|---|---|---:|---:|---:|---:|",
            self.fast_runs
        );
        let exe =
            std::env::current_exe().unwrap_or_else(|e| fail(&format!("no bench binary: {e}")));
        let stacks = [
            (
                format!("at the limit ({:.0} KB)", limit.text.len() as f64 / 1e3),
                &limit_path,
                limit.text.len(),
                0,
                2.0,
            ),
            (
                format!(
                    "the largest the 4 MiB cap admits: {} resources ({:.2} MB)",
                    cap.shape.functions + cap.shape.streams,
                    cap.text.len() as f64 / 1e6
                ),
                &cap_path,
                cap.text.len(),
                1,
                2.5,
            ),
        ];
        for (what, path, bytes, code, target) in stacks {
            let template = self.path("events-template.yaml");
            let validate = ["validate".as_ref(), path.as_os_str()];
            let compile = [
                "compile".as_ref(),
                path.as_os_str(),
                "-o".as_ref(),
                template.as_os_str(),
            ];
            for args in [&validate[..], &compile[..]] {
                self.expect_code(args, code);
            }
            // The three take turns, a run each per round, so that each sees the same machine
            // (a shared machine's speed drifts over a block of runs).
            let mut measured_runs = [Vec::new(), Vec::new(), Vec::new()];
            for _ in 0..self.fast_runs {
                measured_runs[0].push(measured(Command::new(&exe).arg("--events").arg(path), 0));
                measured_runs[1].push(measured(Command::new(&self.binary).args(validate), code));
                measured_runs[2].push(measured(Command::new(&self.binary).args(compile), code));
            }
            let [events, validate, compile] = measured_runs.map(median);
            let runs = [
                ("events only", events),
                ("`stackwire validate`", validate),
                ("`stackwire compile -o`", compile),
            ];
            for (run, m) in &runs {
                let ratio = m.cpu.as_secs_f64() / events.cpu.as_secs_f64();
                let per_byte = m.max_rss_kb as f64 * 1024.0 / bytes as f64;
                let _ = writeln!(
                    out,
                    "| {what} | {run} | {} | {ratio:.2} | {:.1} MB | {per_byte:.1} |",
                    timed(m),
                    m.max_rss_kb as f64 / 1024.0
                );
                if *run != "events only" {
                    targets.push((
                        format!("{run} <= {target}x the events-only reader, {what} (CPU time)"),
                        format!("{ratio:.2}x"),
                        ratio <= target,
                    ));
                }
                // Per byte of input only where the input is what the memory is made of: a
                // 57 KB stack's few MB are the process itself (the events-only reader's are 3 MB).
                if *run == "`stackwire compile -o`" && bytes > 1_000_000 {
                    targets.push((
                        format!("`compile` peak memory <= 6 bytes per input byte, {what}"),
                        format!("{per_byte:.1}"),
                        per_byte <= 6.0,
                    ));
                }
            }
        }

        // 4: growth.
        eprintln!("bench: growth");
        loads.push(("growth", load()));
        let _ = writeln!(
            out,
            "\n### Growth (whole process, `stackwire validate`, far beyond CloudFormation's limit)\n\nGenerated stacks, seed 1: two Streams for three Functions, three wires for two resources. Each is over the 500-resource limit: `validate` reads, parses and checks all of it and reports one error, `too_many_resources` (the bench checks this). The 100,000-resource file (31 MB) is over the 4 MiB input limit (`compile::MAX_STACK_BYTES`, see the README's Guarantees): it is refused before it is parsed, with exit 3, and its row is the time of that refusal, not of the pipeline; the growth ratios are from the stacks the pipeline reads. Median of {} runs; memory is the peak resident set size.\n\n| resources | file | wall time | CPU time | x per 10x (CPU) | peak memory | x per 10x |\n|---:|---:|---:|---:|---:|---:|---:|",
            self.slow_runs
        );
        let mut previous: Option<Measured> = None;
        for n in [1_000, 10_000, 100_000] {
            let g = generate(Shape::resources(n), 1);
            let path = self.write(&format!("n{n}.yaml"), &g.text);
            let (code, _, stderr) = self.output(&["validate".as_ref(), path.as_os_str()]);
            let refused = g.text.len() > stackwire::limits::MAX_STACK_BYTES;
            if refused {
                if code != 3 || !stderr.contains("the most stackwire reads") {
                    fail(&format!(
                        "{n} resources: expected the input-size refusal, got exit {code}:\n{stderr}"
                    ));
                }
            } else if code != 1
                || !stderr.contains("stackwire::too_many_resources")
                || !stderr.contains(": 1 error\n")
            {
                fail(&format!(
                    "{n} resources: expected only the too_many_resources error, got exit {code}:\n{stderr}"
                ));
            }
            let m = self.median_process(
                &["validate".as_ref(), path.as_os_str()],
                code,
                self.slow_runs,
            );
            if refused {
                let _ = writeln!(
                    out,
                    "| {n} | {:.1} MB | {} | {} | refused (exit 3) | {:.1} MB | |",
                    g.text.len() as f64 / 1e6,
                    ms(m.wall),
                    ms(m.cpu),
                    m.max_rss_kb as f64 / 1024.0
                );
                continue;
            }
            let (t, r) = match &previous {
                Some(p) => {
                    let t = m.cpu.as_secs_f64() / p.cpu.as_secs_f64();
                    let w = m.wall.as_secs_f64() / p.wall.as_secs_f64();
                    let r = m.max_rss_kb as f64 / p.max_rss_kb as f64;
                    targets.push((
                        format!(
                            "growth {}k -> {}k resources: <= 12x time, about 10x memory",
                            n / 10_000,
                            n / 1000
                        ),
                        format!("{t:.1}x CPU time ({w:.1}x wall), {r:.1}x memory"),
                        t <= 12.0 && r <= 12.0,
                    ));
                    (format!("{t:.1}x"), format!("{r:.1}x"))
                }
                None => (String::new(), String::new()),
            };
            let _ = writeln!(
                out,
                "| {n} | {:.1} MB | {} | {} | {t} | {:.1} MB | {r} |",
                g.text.len() as f64 / 1e6,
                ms(m.wall),
                ms(m.cpu),
                m.max_rss_kb as f64 / 1024.0
            );
            previous = Some(m);
        }

        // 5: many files, with and without parallelism.
        eprintln!("bench: 1,000 files");
        loads.push(("1,000 files", load()));
        let dir = self.path("many");
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", dir.display())));
        let mut files = Vec::new();
        let mut bytes = 0;
        for i in 0..1000u64 {
            // Typical stacks: 3 to 40 resources.
            let resources = 3 + (i as usize * 37) % 38;
            let g = generate(Shape::resources(resources), i);
            bytes += g.text.len();
            let path = dir.join(format!("stack-{i:04}.yaml"));
            std::fs::write(&path, &g.text)
                .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
            files.push(path);
        }
        let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut runs = Vec::new();
        for flag in ["--jobs=1".to_owned(), format!("--jobs={jobs}")] {
            let mut args: Vec<&std::ffi::OsStr> = vec!["validate".as_ref(), flag.as_ref()];
            args.extend(files.iter().map(|p| p.as_os_str()));
            runs.push((flag.clone(), self.median_process(&args, 0, self.slow_runs)));
        }
        let _ = writeln!(
            out,
            "\n### 1,000 stack files in one `validate` (whole process)\n\nGenerated, 3 to 40 resources each ({:.1} MB in all), all valid. Median of {} runs. {jobs} is this machine's available parallelism, the default for `--jobs`.\n\n| run | wall time (CPU) | speed-up |\n|---|---:|---:|",
            bytes as f64 / 1e6,
            self.slow_runs,
        );
        for (flag, m) in &runs {
            let _ = writeln!(
                out,
                "| `validate {flag}` | {} | {:.2} |",
                timed(m),
                runs[0].1.wall.as_secs_f64() / m.wall.as_secs_f64()
            );
        }
        let many = runs[1].1.wall;
        targets.push((
            "1,000 files in < 1 s of wall time (default --jobs)".to_owned(),
            ms(many),
            many < Duration::from_secs(1),
        ));

        let _ = writeln!(
            out,
            "\n### Load\n\nAs each section started: the load average (1 minute; 2 means both cores busy, and this bench counts in it), and the share of the last 10 s in which some task waited for a core (`/proc/pressure/cpu`).\n\n| section | load average | waiting for a core |\n|---|---:|---:|"
        );
        for (section, load) in &loads {
            let _ = writeln!(out, "| {section} | {load} |");
        }
        let _ = writeln!(
            out,
            "\n### Targets\n\n| target | measured | met |\n|---|---:|---|"
        );
        for (what, measured, met) in &targets {
            let _ = writeln!(
                out,
                "| {what} | {measured} | {} |",
                if *met { "yes" } else { "**no**" }
            );
        }
        out
    }

    /// Parse-only, `compile`, and each stage of `compile` on `text`: medians of their CPU and wall
    /// times over `iterations` rounds, in which each step runs once, in turn.
    fn steps(&self, text: &str) -> Vec<(&'static str, Measured)> {
        let (stack, _) = stackwire::format::parse::parse(text);
        let Some(stack) = stack else {
            fail("the stack at the limit does not parse")
        };
        let (plan, _) = stackwire::check::check(&stack, &stackwire::Options::default());
        let template = stackwire::target::DEFAULT.lower(&plan).template;
        let cfn = cloudformation();
        let (cfn_plan, _) = stackwire::check::check(&stack, &cfn);
        let cfn_template = cfn.target.lower(&cfn_plan).template;
        type Step<'a> = (&'static str, Box<dyn FnMut() + 'a>);
        let mut steps: Vec<Step<'_>> = vec![
            (
                "parse-only",
                Box::new(|| {
                    let value: serde_json::Value = serde_saphyr::from_str(text).unwrap_or_default();
                    assert!(value.is_object());
                }),
            ),
            (
                "**`stackwire::compile`, the whole pipeline**",
                Box::new(|| {
                    let compiled =
                        stackwire::compile(text.as_bytes(), &stackwire::Options::default());
                    assert!(compiled.template.is_some());
                }),
            ),
            (
                "of which `parse`: YAML -> spanned nodes -> model",
                Box::new(|| {
                    let (stack, problems) = stackwire::format::parse::parse(text);
                    assert!(stack.is_some() && problems.is_empty());
                }),
            ),
            (
                "of which `check`: every rule",
                Box::new(|| {
                    let (_, problems) =
                        stackwire::check::check(&stack, &stackwire::Options::default());
                    assert!(problems.is_empty());
                }),
            ),
            (
                "of which `lower`: model -> template",
                Box::new(|| {
                    std::hint::black_box(stackwire::target::DEFAULT.lower(&plan).template);
                }),
            ),
            (
                "of which `emit`: template -> text",
                Box::new(|| {
                    std::hint::black_box(stackwire::emit::emit(&template));
                }),
            ),
            (
                "**`stackwire::compile --target cloudformation`, the whole pipeline**",
                Box::new(|| {
                    let compiled = stackwire::compile(text.as_bytes(), &cfn);
                    assert!(compiled.template.is_some());
                }),
            ),
            (
                "of which `lower`: model -> SAM template -> CloudFormation (the expansion)",
                Box::new(|| {
                    std::hint::black_box(cfn.target.lower(&cfn_plan).template);
                }),
            ),
            (
                "of which `emit`: CloudFormation template -> text",
                Box::new(|| {
                    std::hint::black_box(stackwire::emit::emit(&cfn_template));
                }),
            ),
        ];
        let mut runs: Vec<Vec<Measured>> = vec![Vec::new(); steps.len()];
        for round in 0..=self.iterations {
            for (i, (_, step)) in steps.iter_mut().enumerate() {
                let (wall, cpu) = (Instant::now(), process_cpu());
                step();
                // Round 0 warms up.
                if round > 0 {
                    runs[i].push(Measured {
                        wall: wall.elapsed(),
                        cpu: process_cpu().saturating_sub(cpu),
                        max_rss_kb: 0,
                    });
                }
            }
        }
        steps
            .iter()
            .zip(runs)
            .map(|((name, _), runs)| (*name, median(runs)))
            .collect()
    }

    /// Runs stackwire once, capturing its exit code, stdout and stderr.
    fn output(&self, args: &[&std::ffi::OsStr]) -> (i32, String, String) {
        let out = Command::new(&self.binary)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap_or_else(|e| fail(&format!("cannot run {}: {e}", self.binary.display())));
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Fails unless stackwire with `args` exits with `code`.
    fn expect_code(&self, args: &[&std::ffi::OsStr], code: i32) {
        let (got, _, stderr) = self.output(args);
        if got != code {
            fail(&format!(
                "stackwire {args:?} exited {got}, expected {code}:\n{stderr}"
            ));
        }
    }

    /// The median of `runs` runs of stackwire with `args`, which must exit with `code`.
    fn median_process(&self, args: &[&std::ffi::OsStr], code: i32, runs: usize) -> Measured {
        self.expect_code(args, code);
        median(
            (0..runs)
                .map(|_| measured(Command::new(&self.binary).args(args), code))
                .collect(),
        )
    }

    fn median_cfn_lint(&self, cfn_lint: &Path, template: &Path) -> Measured {
        let out = Command::new(cfn_lint)
            .arg(template)
            .output()
            .unwrap_or_else(|e| fail(&format!("cannot run cfn-lint: {e}")));
        if !out.status.success() || !out.stdout.is_empty() {
            fail(&format!(
                "cfn-lint found problems in {}:\n{}",
                template.display(),
                String::from_utf8_lossy(&out.stdout)
            ));
        }
        median(
            (0..self.slow_runs)
                .map(|_| measured(Command::new(cfn_lint).arg(template), 0))
                .collect(),
        )
    }
}

#[derive(Debug, Clone, Copy)]
struct Measured {
    wall: Duration,
    /// User and system CPU time: less disturbed than wall time by other work on the machine.
    cpu: Duration,
    max_rss_kb: i64,
}

fn median(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by_key(|m| m.wall);
    let wall = runs[runs.len() / 2].wall;
    let mut cpu: Vec<Duration> = runs.iter().map(|m| m.cpu).collect();
    cpu.sort();
    let mut rss: Vec<i64> = runs.iter().map(|m| m.max_rss_kb).collect();
    rss.sort();
    Measured {
        wall,
        cpu: cpu[cpu.len() / 2],
        max_rss_kb: rss[rss.len() / 2],
    }
}

/// Runs `command` with no output and returns its wall time and peak memory (rusage, from
/// `wait4`: `Child::wait` does not give it).
fn spawn_measured(command: &mut Command, code: i32) -> Measured {
    let start = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| fail(&format!("cannot run {command:?}: {e}")));
    let pid = libc::pid_t::try_from(child.id()).unwrap_or_else(|_| fail("pid out of range"));
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are to live locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if reaped != pid {
        fail(&format!("wait4 failed for {command:?}"));
    }
    // The child is reaped: dropping `child` does not wait for it again.
    drop(child);
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != code {
        fail(&format!(
            "{command:?} did not exit {code} (status {status})"
        ));
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Measured {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss,
    }
}

/// Runs `command` through a fresh `--rusage` process of this bench (see `main`), for a peak
/// memory that is the command's own.
fn measured(command: &Command, code: i32) -> Measured {
    let exe = std::env::current_exe().unwrap_or_else(|e| fail(&format!("no bench binary: {e}")));
    let out = Command::new(exe)
        .arg("--rusage")
        .arg(code.to_string())
        .arg(command.get_program())
        .args(command.get_args())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot run {command:?}: {e}")));
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<u128> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [wall, cpu, rss] = numbers[..] else {
        fail(&format!("{command:?}: no measurement ({text})"))
    };
    let nanos = |n: u128| Duration::from_nanos(u64::try_from(n).unwrap_or(u64::MAX));
    Measured {
        wall: nanos(wall),
        cpu: nanos(cpu),
        max_rss_kb: i64::try_from(rss).unwrap_or(i64::MAX),
    }
}

/// The 1-minute load average, and the share of the last 10 s in which some task was waiting
/// for a CPU (the kernel's pressure stall information).
fn load() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = text
        .split_whitespace()
        .next()
        .unwrap_or("unknown")
        .to_owned();
    let pressure = std::fs::read_to_string("/proc/pressure/cpu").unwrap_or_default();
    let waiting = pressure
        .lines()
        .find_map(|l| l.strip_prefix("some avg10="))
        .and_then(|l| l.split_whitespace().next())
        .map_or("unknown".to_owned(), |p| format!("{p}%"));
    format!("{load} | {waiting}")
}

/// The CPU time this process has used, in all its threads.
fn process_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a live local that clock_gettime fills in.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    if !ok {
        fail("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    }
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or("unknown".to_owned(), |kb| {
            format!("{:.1} GiB", kb / 1024.0 / 1024.0)
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!(
        "Measured on: {cores} cores (`nproc`), CPU `{model}`, {memory} memory; load average {} at the start (the machine is shared: the load section below shows how busy it was as each section began).\n",
        load.join(" ")
    )
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

/// Wall time, with CPU time in brackets.
fn timed(m: &Measured) -> String {
    format!("{} ({})", ms(m.wall), ms(m.cpu))
}
