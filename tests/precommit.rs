//! `.pre-commit-hooks.yaml`, run by the real pre-commit framework (PyPI `pre-commit`, pinned in
//! `.ci/requirements.txt`, installed into the conformance venv).
//!
//! This working tree is copied into a git repository under `target/precommit/hook-repo` and
//! committed with fixed names and dates, so the same sources give the same commit. A temporary
//! repository then uses it as a hook repository, as another project would. pre-commit installs
//! a `language: rust` hook with `cargo install --path .` (with the system's cargo, and its
//! registry); its store (`PRE_COMMIT_HOME`) and cargo's build folder (`CARGO_TARGET_DIR`) are
//! kept under `target/precommit`, so an unchanged tree is not built again and a changed one
//! rebuilds only stackwire.

// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{root, tools};

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=stackwire tests",
            "-c",
            "user.email=tests@stackwire.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
        }
    }
}

/// A git repository holding this working tree's crate and hook definition; returns its path
/// and commit.
fn hook_repo(dir: &Path) -> String {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot remove {}: {e}", dir.display()));
    }
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    for file in ["Cargo.toml", "Cargo.lock", ".pre-commit-hooks.yaml"] {
        std::fs::copy(root().join(file), dir.join(file))
            .unwrap_or_else(|e| panic!("cannot copy {file}: {e}"));
    }
    copy_tree(&root().join("src"), &dir.join("src"));
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "stackwire under test"]);
    git_output(dir, &["rev-parse", "HEAD"])
}

/// `pre-commit run --all-files` in `repo`: whether it passed, and what it printed.
fn pre_commit_run(repo: &Path, cache: &Path) -> (bool, String) {
    crate::support::outcome(
        Command::new(tools().join("python"))
            .args(["-m", "pre_commit", "run", "--all-files", "--color", "never"])
            .current_dir(repo)
            .env("PRE_COMMIT_HOME", cache.join("home"))
            .env("CARGO_TARGET_DIR", cache.join("cargo-target")),
        "pre-commit",
    )
}

#[test]
fn the_pre_commit_hook_passes_good_stacks_and_fails_bad_ones() {
    let cache = root().join("target/precommit");
    let hooks = cache.join("hook-repo");
    let rev = hook_repo(&hooks);

    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let repo = work.path();
    git(repo, &["init", "-q"]);
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: stackwire\n",
        hooks.display()
    );
    let write = |name: &str, text: &str| {
        let path = repo.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_default();
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    };
    write(".pre-commit-config.yaml", &config);
    let good = std::fs::read_to_string(root().join("fixtures/ok/quickstart.yaml"))
        .unwrap_or_else(|e| panic!("cannot read the quickstart fixture: {e}"));
    write("stack.yaml", &good);
    // Not a stack description by name, so not checked (it would fail: no `resources`).
    write("settings.yaml", "retries: 3\n");
    git(repo, &["add", "."]);

    let (ok, output) = pre_commit_run(repo, &cache);
    assert!(ok, "pre-commit failed on a good stack:\n{output}");
    assert!(
        output.contains("stackwire validate") && output.contains("Passed"),
        "{output}"
    );

    write(
        "infra/stack.prod.yaml",
        "resources:\n  Orders:\n    type: Stream\n    shardCont: 2\n",
    );
    git(repo, &["add", "."]);
    let (ok, output) = pre_commit_run(repo, &cache);
    assert!(!ok, "pre-commit passed a bad stack:\n{output}");
    for expected in [
        "- hook id: stackwire",
        "Failed",
        "stackwire::unknown_key",
        "infra/stack.prod.yaml:4:5",
        "did you mean `shardCount`?",
    ] {
        assert!(
            output.contains(expected),
            "pre-commit's output lacks `{expected}`:\n{output}"
        );
    }
    assert!(
        !output.contains("settings.yaml"),
        "a file not named like a stack was checked:\n{output}"
    );

    // Drop the builds of earlier trees (their temporary configs are gone); this one stays.
    let gc = Command::new(tools().join("python"))
        .args(["-m", "pre_commit", "gc"])
        .env("PRE_COMMIT_HOME", cache.join("home"))
        .current_dir(repo)
        .output()
        .unwrap_or_else(|e| panic!("cannot run pre-commit gc: {e}"));
    assert!(
        gc.status.success(),
        "{}",
        String::from_utf8_lossy(&gc.stderr)
    );
}
