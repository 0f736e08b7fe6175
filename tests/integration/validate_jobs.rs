//! `validate --jobs N`: files are checked on worker threads, and the output is the same, byte
//! for byte, as one at a time: every report in the order of the arguments.

use std::path::PathBuf;

use crate::support::{fixture_paths, run_cli};
use stackwire::generate::{Shape, generate};

fn validate(jobs: Option<&str>, files: &[String], stdin: &[u8]) -> (i32, String, String) {
    let mut args = vec!["stackwire".to_owned(), "validate".to_owned()];
    if let Some(jobs) = jobs {
        args.push(format!("--jobs={jobs}"));
    }
    args.extend(files.iter().cloned());
    let out = run_cli(args, &mut { stdin }, false);
    (out.code, out.stdout, out.stderr)
}

/// Every fixture, a file that cannot be read, standard input, and generated stacks (some over
/// the limit), interleaved.
fn mixed_files(dir: &std::path::Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = ["err", "ok", "warn"]
        .iter()
        .flat_map(|kind| fixture_paths(kind))
        .collect();
    for (i, resources) in [3, 40, 150, 400].into_iter().enumerate() {
        let path = dir.join(format!("generated-{resources}.yaml"));
        let text = generate(Shape::resources(resources), i as u64).text;
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        paths.insert(i * 17, path);
    }
    paths.insert(5, dir.join("missing.yaml"));
    let mut files: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.insert(30, "-".to_owned());
    files
}

#[test]
fn any_number_of_jobs_prints_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let files = mixed_files(dir.path());
    let stdin = b"resources:\n  S:\n    type: Stream\n    shardCount: 0\n";
    let one = validate(Some("1"), &files, stdin);
    assert_eq!(one.0, stackwire::exit::IO, "a file could not be read");
    assert_eq!(one.1, "");
    assert!(one.2.contains("<stdin>: 1 error"), "{}", one.2);
    assert!(one.2.contains("missing.yaml"), "{}", one.2);
    assert!(one.2.contains("too_many_resources"), "{}", one.2);
    for jobs in [Some("2"), Some("3"), Some("16"), None] {
        let many = validate(jobs, &files, stdin);
        assert!(
            many == one,
            "--jobs {jobs:?} printed otherwise than --jobs 1:\n{}",
            similar::TextDiff::from_lines(&one.2, &many.2).unified_diff()
        );
    }
}

#[test]
fn reports_follow_the_order_of_the_arguments() {
    // Every err fixture but those that fail only for another target (`# args: --target ...`).
    let mut files: Vec<String> = fixture_paths("err")
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.lines().next().unwrap_or_default().contains("--target")
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert!(files.len() > 10);
    for _ in 0..2 {
        let (code, _, stderr) = validate(Some("4"), &files, b"");
        assert_eq!(code, stackwire::exit::INVALID);
        // Each file's report starts with its summary line: `× <path>: N error(s)`.
        let mut at = 0;
        for file in &files {
            let summary = format!("× {file}: ");
            let found = stderr[at..]
                .find(&summary)
                .unwrap_or_else(|| panic!("{file} is not reported after position {at}:\n{stderr}"));
            at += found + summary.len();
        }
        files.reverse();
    }
}

#[test]
fn jobs_must_be_at_least_one() {
    let (code, _, stderr) = validate(Some("0"), &[String::from("stack.yaml")], b"");
    assert_eq!(code, stackwire::exit::USAGE, "{stderr}");
    assert!(stderr.contains("--jobs"), "{stderr}");
}
