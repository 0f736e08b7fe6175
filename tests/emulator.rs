//! End to end: every `fixtures/ok` stack compiled by the built binary, translated by AWS's SAM
//! translator and deployed in an AWS emulator (moto, server mode, on 127.0.0.1 at a free port),
//! then checked through the AWS APIs. `tests/emulator/deploy.py` does the work and says what is
//! real and what is simulated; this installs its pinned tools (`tests/emulator/requirements.txt`)
//! into `target/emulator-venv` and fails, saying why, when it cannot.
//!
//! Run alone: `cargo test --test emulator`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's python, with the pinned tools installed (once; reused while the pins are the same).
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(install).clone()
}

fn install() -> PathBuf {
    let requirements = root().join("tests/emulator/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", requirements.display()));
    let venv = root().join("target/emulator-venv");
    let python = venv.join("bin/python");
    let stamp = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return python;
    }
    let system = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let venv_arg = venv.display().to_string();
    let req_arg = requirements.display().to_string();
    let steps: [(&str, Vec<&str>); 2] = [
        (system.as_str(), vec!["-m", "venv", &venv_arg]),
        (
            "pip",
            vec![
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                &req_arg,
            ],
        ),
    ];
    for (program, args) in steps {
        let program = if program == "pip" {
            python.clone()
        } else {
            PathBuf::from(program)
        };
        let out = Command::new(&program)
            .args(&args)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "emulator test: cannot run {} to install moto and aws-sam-translator: {e}",
                    program.display()
                )
            });
        assert!(
            out.status.success(),
            "emulator test: installing its tools failed ({} {args:?}):\n{}{}",
            program.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::write(&stamp, wanted)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", stamp.display()));
    python
}

/// Runs `deploy.py <what>`; its standard input is a pipe held open while it runs, so it stops
/// (and its emulator with it) if this test process goes away.
fn harness(what: &str) -> String {
    let script = root().join("tests/emulator/deploy.py");
    let mut child = Command::new(python())
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_stackwire"))
        .arg(root())
        .arg(what)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdin = child.stdin.take();
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{} did not finish: {e}", script.display()));
    drop(stdin);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "deploy.py {what} failed ({}):\n{stdout}\n--- standard error ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{stdout}");
    stdout
}

#[test]
fn the_policy_evaluator_is_right() {
    let out = harness("selftest");
    assert!(out.contains("policy evaluator: "), "{out}");
}

#[test]
fn every_ok_stack_deploys_and_works() {
    let out = harness("all");
    let names: Vec<String> = std::fs::read_dir(root().join("fixtures/ok"))
        .unwrap_or_else(|e| panic!("cannot list fixtures/ok: {e}"))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    // Stacks with pass-through content are not modelled by the harness yet: it names them.
    let mut passthru: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("passthru-"))
        .collect();
    passthru.sort();
    let skipped = format!(
        "not deployed (pass-through content, not modelled): {}",
        passthru
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(out.contains(&skipped), "expected `{skipped}`:\n{out}");
    let fixtures = names.len() - passthru.len();
    let line = format!("{fixtures}/{fixtures} stacks deployed");
    assert!(out.contains(&line), "expected `{line}`:\n{out}");
    assert!(out.contains(", 0 failed"), "{out}");
}

#[test]
fn an_update_keeps_the_stream_and_the_mapping() {
    let out = harness("update");
    assert!(
        out.contains("records kept") && out.contains(", 0 failed"),
        "{out}"
    );
}
