//! `stackwire diff` on every pair in `fixtures/diff/<name>/{old,new}.yaml`, through the whole
//! command line in-process, against reviewed snapshots (`diff@<name>.snap`: the exit code, then
//! the report); JSON and Markdown snapshots for a few; and the command's edges (standard input,
//! `--allow`, a broken stack, `compile --check`'s summary).

use std::path::{Path, PathBuf};

use crate::support::{Outcome, run_args, settings};

fn pairs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/diff")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("old.yaml").is_file() && p.join("new.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn diff(dir: &Path, more: &[&str]) -> Outcome {
    let old = format!("fixtures/diff/{}/old.yaml", name(dir));
    let new = format!("fixtures/diff/{}/new.yaml", name(dir));
    let mut args = vec!["stackwire", "diff", old.as_str(), new.as_str()];
    args.extend(more);
    run_args(&args, b"")
}

#[test]
fn every_pair_against_its_snapshot() {
    let dirs = pairs();
    assert!(dirs.len() >= 30, "only {} pairs", dirs.len());
    settings().bind(|| {
        for dir in &dirs {
            let out = diff(dir, &[]);
            assert_eq!(out.stderr, "", "{}", dir.display());
            assert!(
                [0, 5].contains(&out.code),
                "{}: exit {}",
                dir.display(),
                out.code
            );
            assert_eq!(diff(dir, &[]).stdout, out.stdout, "{} twice", dir.display());
            insta::assert_snapshot!(
                format!("diff@{}", name(dir)),
                format!("exit: {}\n{}", out.code, out.stdout)
            );
        }
    });
}

#[test]
fn json_and_markdown_for_a_few() {
    settings().bind(|| {
        for pair in [
            "stream-renamed",
            "starting-position-latest",
            "template-queue-fifo",
        ] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/diff")
                .join(pair);
            for format in ["json", "markdown"] {
                let out = diff(&dir, &["--format", format]);
                assert_eq!(out.code, 5, "{pair} {format}");
                if format == "json" {
                    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
                    let entries = doc["resources"].as_array().map_or(0, Vec::len);
                    let text = diff(&dir, &[]).stdout;
                    // One entry per resource, as the human report has one line per resource.
                    assert_eq!(
                        entries,
                        text.lines()
                            .filter(|l| l.starts_with(['!', '~', ' ']) && !l.starts_with("      "))
                            .count(),
                        "{pair}"
                    );
                }
                insta::assert_snapshot!(format!("diff_{format}@{pair}"), out.stdout);
            }
        }
    });
}

/// Every verdict is reached by some pair, so each is under a snapshot.
#[test]
fn every_verdict_is_shown() {
    let mut seen = std::collections::BTreeSet::new();
    for dir in pairs() {
        let out = diff(&dir, &["--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        for r in doc["resources"].as_array().into_iter().flatten() {
            seen.insert(r["action"].as_str().unwrap_or("").to_owned());
        }
    }
    let all = [
        "add",
        "delete",
        "may replace",
        "orphan",
        "replace",
        "unchanged",
        "update",
    ];
    assert_eq!(seen.iter().map(String::as_str).collect::<Vec<_>>(), all);
}

#[test]
fn allow_accepts_named_resources_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/stream-name-added");
    assert_eq!(diff(&dir, &[]).code, 5);
    assert_eq!(diff(&dir, &["--allow", "Orders"]).code, 5);
    let out = diff(&dir, &["--allow", "Orders", "--allow", "ProcessorOrders"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("allowed with --allow"),
        "{}",
        out.stdout
    );
    // A rename is allowed by either of its IDs.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/template-queue-renamed");
    assert_eq!(diff(&dir, &["--allow", "Queue"]).code, 0);
}

#[test]
fn standard_input_is_one_side() {
    let old = std::fs::read("fixtures/diff/shard-count/old.yaml").expect("fixture");
    let out = run_args(
        &[
            "stackwire",
            "diff",
            "-",
            "fixtures/diff/shard-count/new.yaml",
        ],
        &old,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("update      Orders"), "{}", out.stdout);
    let both = run_args(&["stackwire", "diff", "-", "-"], b"");
    assert_eq!(both.code, stackwire::exit::USAGE);
}

#[test]
fn a_broken_stack_is_reported_on_stderr_in_human_form() {
    let out = run_args(
        &[
            "stackwire",
            "diff",
            "fixtures/diff/shard-count/old.yaml",
            "-",
            "--format",
            "json",
        ],
        b"resources:\n  Orders: {type: Stream, shardCont: 2}\n",
    );
    assert_eq!(out.code, stackwire::exit::INVALID);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("unknown key `shardCont`"),
        "{}",
        out.stderr
    );
    let out = run_args(
        &[
            "stackwire",
            "diff",
            "fixtures/diff/shard-count/old.yaml",
            "-",
        ],
        b"Resources:\n  A: !Nope x\n",
    );
    assert_eq!(out.code, stackwire::exit::INVALID);
    assert!(
        out.stderr.contains("not a CloudFormation function"),
        "{}",
        out.stderr
    );
    let out = run_args(
        &[
            "stackwire",
            "diff",
            "fixtures/diff/none/old.yaml",
            "fixtures/diff/shard-count/new.yaml",
        ],
        b"",
    );
    assert_eq!(out.code, stackwire::exit::IO);
}
