//! End to end: every `fixtures/ok` stack compiled by the built binary, translated by AWS's SAM
//! translator and deployed in an AWS emulator (moto, server mode, on 127.0.0.1 at a free port),
//! then checked through the AWS APIs. `tests/emulator/deploy.py` does the work and says what is
//! real and what is simulated; this installs its pinned tools (`tests/emulator/requirements.txt`)
//! into `target/emulator-venv` and fails, saying why, when it cannot.
//!
//! `package.py`, on the same tools (the AWS CLI among them), takes the CloudFormation target's two
//! code locations through `aws cloudformation package`, cfn-lint and a deploy.
//!
//! Run alone: `cargo test --test emulator`.

// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

use std::path::PathBuf;

use std::process::{Command, Stdio};
use std::sync::OnceLock;
use support::root;

/// The venv's python, with the pinned tools installed (once; reused while the pins are the same).
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            support::venv(
                "tests/emulator/requirements.txt",
                "target/emulator-venv",
                "emulator test: moto, aws-sam-translator, cfn-lint and the AWS CLI",
            )
            .join("python")
        })
        .clone()
}

/// The Node handlers' SDK (`tests/emulator/node/package-lock.json`, pinned exactly) installed
/// with `npm ci` into `target/emulator-node` (once; reused while the lock file is the same); its
/// `node_modules`, for `NODE_PATH`.
fn node_modules() -> PathBuf {
    static MODULES: OnceLock<PathBuf> = OnceLock::new();
    MODULES
        .get_or_init(|| {
            let dir = root().join("target/emulator-node");
            let lock = std::fs::read(root().join("tests/emulator/node/package-lock.json"))
                .unwrap_or_else(|e| panic!("cannot read tests/emulator/node/package-lock.json: {e}"));
            let installed = dir.join("installed.lock");
            if std::fs::read(&installed).ok().as_ref() != Some(&lock) {
                std::fs::create_dir_all(&dir)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
                for f in ["package.json", "package-lock.json"] {
                    std::fs::copy(root().join("tests/emulator/node").join(f), dir.join(f))
                        .unwrap_or_else(|e| panic!("cannot copy {f}: {e}"));
                }
                let (ok, log) = support::outcome(
                    Command::new("npm")
                        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
                        .current_dir(&dir),
                    "npm ci (the AWS SDK for JavaScript v3 for the Node handlers; needs npm and the npm registry)",
                );
                assert!(ok, "{log}");
                std::fs::write(&installed, &lock)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", installed.display()));
            }
            dir.join("node_modules")
        })
        .clone()
}

/// Every part of the end-to-end run (`all`, `init`, `update`) in one harness run, so they share
/// one emulator and one start of it; run once, whichever test asks first.
fn deployed() -> &'static str {
    static OUT: OnceLock<String> = OnceLock::new();
    OUT.get_or_init(|| harness("all,init,update"))
}

/// Runs `deploy.py <what>`.
fn harness(what: &str) -> String {
    script("deploy.py", &[what])
}

/// Runs `tests/emulator/<name> STACKWIRE ROOT <args>`; its standard input is a pipe held open
/// while it runs, so it stops (and its emulator with it) if this test process goes away.
fn script(name: &str, args: &[&str]) -> String {
    let script = root().join("tests/emulator").join(name);
    let mut child = Command::new(python())
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_stackwire"))
        .arg(root())
        .args(args)
        .env("NODE_PATH", node_modules())
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
        "{name} {args:?} failed ({}):\n{stdout}\n--- standard error ---\n{}",
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
    let out = deployed();
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
    // Every stack, those with pass-through content (`template:`, `properties:`, intrinsic
    // functions) too: none is left out.
    assert!(!out.contains("not deployed"), "{out}");
    let fixtures = names.len();
    let line = format!("{fixtures}/{fixtures} stacks deployed");
    assert!(out.contains(&line), "expected `{line}`:\n{out}");
    // Each stack says it was deployed and verified, by name.
    for name in &names {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{name}: "))
                && l.ends_with(" s")
                && l.contains(" resources, ")),
            "no line for {name}:\n{out}"
        );
    }
    assert!(out.contains(", 0 failed"), "{out}");
}

#[test]
fn the_init_project_deploys_and_its_handlers_run() {
    let out = deployed();
    assert!(
        out.contains("init project deployed, ") && out.contains(", 0 failed"),
        "{out}"
    );
}

#[test]
fn an_update_keeps_the_stream_and_the_mapping() {
    let out = deployed();
    assert!(
        out.contains("records kept") && out.contains(", 0 failed"),
        "{out}"
    );
}

/// The CloudFormation target's two code locations, as the README's "Where the code is" gives
/// them, for `stackwire init`'s project and four `fixtures/ok` stacks (17 functions):
/// without `--code-bucket`, cfn-lint finds one W3002 per function and nothing else, the real
/// `aws cloudformation package` uploads each source to the emulator's S3 and rewrites `Code`
/// only, cfn-lint finds nothing in what it wrote, and it deploys with each function's code
/// from that object; with `--code-bucket`, the zips uploaded by `aws s3 cp` under the keys the
/// README states, cfn-lint finds nothing and it deploys the same way. `package.py` does it.
#[test]
fn both_code_forms_of_the_cloudformation_target_package_lint_and_deploy() {
    // The cfn-lint whose findings are asserted is the one the conformance gate pins.
    let pin = |file: &str| {
        std::fs::read_to_string(root().join(file))
            .unwrap_or_else(|e| panic!("cannot read {file}: {e}"))
            .lines()
            .find(|l| l.starts_with("cfn-lint=="))
            .map(str::to_owned)
    };
    let pinned = pin(".ci/requirements.txt");
    assert!(pinned.is_some(), "no cfn-lint pin in .ci/requirements.txt");
    assert_eq!(pin("tests/emulator/requirements.txt"), pinned);
    let out = script("package.py", &[]);
    let stacks = 5;
    let line = format!("{stacks}/{stacks} stacks packaged and deployed both ways; ");
    assert!(out.contains(&line), "expected `{line}`:\n{out}");
    assert!(out.contains(" checks, 0 failed, "), "{out}");
    for name in [
        "init",
        "kitchen-sink",
        "clickstream-analytics",
        "orders-pipeline",
        "log-aggregation",
    ] {
        let lint = format!("{name}: cfn-lint: template.yaml ");
        assert!(
            out.lines().any(|l| l.starts_with(&lint)
                && l.contains(" (W3002), packaged.yaml 0, template-s3.yaml 0")),
            "no cfn-lint line for {name}:\n{out}"
        );
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("{name}: ")) && l.contains("--code-bucket: ok, ")),
            "no deploy line for {name}:\n{out}"
        );
    }
}
