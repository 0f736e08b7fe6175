//! What the test targets share: the pinned Python tools and the conformance gate they run.
//!
//! The gate, for every template it is given:
//! 1. `cfn-lint` (PyPI) on the SAM template: no error, no warning.
//! 2. AWS's SAM translator (`aws-sam-translator`, PyPI) turns it into plain CloudFormation,
//!    as CloudFormation does at deploy time: it must accept it, and produce as many resources as
//!    stackwire counted against CloudFormation's 500-resource limit.
//! 3. `cfn-lint` on that translated template: no error, no warning.
//!
//! The tools are installed by this test into `target/conformance-venv`, pinned by
//! `.ci/requirements.txt`; when they cannot be installed, the test fails and says so.

mod run;

pub use run::{
    NEEDS_SAM_TRANSFORM, Outcome, compile_fixture, compile_fixture_with, fixture_paths, run_args,
    run_cli, run_fixture, settings,
};

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The conformance virtualenv's `bin` folder, with the tools `.ci/requirements.txt` pins
/// installed (once; reused while the requirements are unchanged).
pub fn tools() -> PathBuf {
    // Tests run in parallel: one installs, the others wait for it.
    static TOOLS: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    TOOLS
        .get_or_init(|| {
            venv(
                ".ci/requirements.txt",
                "target/conformance-venv",
                "conformance gate: cfn-lint and aws-sam-translator",
            )
        })
        .clone()
}

/// A virtualenv at `dir` with `requirements` installed (both relative to the repository), made
/// when the requirements differ from those it was made with; its `bin` folder. `what` names the
/// tools in the panic that says why they could not be installed.
pub fn venv(requirements: &str, dir: &str, what: &str) -> PathBuf {
    let requirements = root().join(requirements);
    let wanted = std::fs::read_to_string(&requirements)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", requirements.display()));
    let venv = root().join(dir);
    let bin = venv.join("bin");
    let stamp = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return bin;
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let steps: [(&str, Vec<&std::ffi::OsStr>); 2] = [
        (
            python.as_str(),
            vec!["-m".as_ref(), "venv".as_ref(), venv.as_os_str()],
        ),
        // `python -m pip`, not `bin/pip`: a copied `target/` keeps scripts whose first line
        // names the venv they were made in, and `bin/pip` would install there.
        (
            "pip",
            vec![
                "-m".as_ref(),
                "pip".as_ref(),
                "install".as_ref(),
                "--quiet".as_ref(),
                "--disable-pip-version-check".as_ref(),
                "-r".as_ref(),
                requirements.as_os_str(),
            ],
        ),
    ];
    for (program, args) in steps {
        let program = if program == "pip" {
            bin.join("python")
        } else {
            PathBuf::from(program)
        };
        let out = Command::new(&program)
            .args(&args)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "{what}: cannot run {} to install them: {e}",
                    program.display()
                )
            });
        assert!(
            out.status.success(),
            "{what}: installing them failed ({} {:?}):\n{}{}",
            program.display(),
            args,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::write(&stamp, wanted)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", stamp.display()));
    bin
}

pub fn run(program: &Path, args: &[&Path]) -> (bool, String) {
    outcome(
        Command::new(program).args(args),
        &program.display().to_string(),
    )
}

/// Runs `command` (`what` names it when it cannot start): whether it succeeded, and what it
/// printed on standard output and then standard error.
pub fn outcome(command: &mut Command, what: &str) -> (bool, String) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The gate on `templates` (name, SAM template text): cfn-lint on them all (one run), AWS's SAM
/// translator on them all (one run), and cfn-lint on what it translated (one run), each with no
/// error and no warning. Returns the translator's report, a line `<name> <resources>` for each
/// template. On a failure the files are kept, and the message says where.
pub fn gate(templates: &[(String, String)]) -> String {
    let bin = tools();
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let (sam_dir, cfn_dir) = (work.path().join("sam"), work.path().join("cfn"));
    for dir in [&sam_dir, &cfn_dir] {
        std::fs::create_dir(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    let files: Vec<PathBuf> = templates
        .iter()
        .map(|(name, text)| {
            let file = sam_dir.join(format!("{name}.yaml"));
            std::fs::write(&file, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
            file
        })
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let kept = |work: tempfile::TempDir| work.keep().display().to_string();

    let (ok, output) = run(&bin.join("cfn-lint"), &refs);
    if !(ok && output.trim().is_empty()) {
        panic!(
            "cfn-lint found problems in the SAM templates (kept in {}):\n{output}",
            kept(work)
        );
    }

    let script = root().join(".ci/sam_translate.py");
    let mut args: Vec<&Path> = vec![&script, &cfn_dir];
    args.extend(refs.iter().copied());
    let (ok, counts) = run(&bin.join("python"), &args);
    if !ok {
        panic!(
            "AWS's SAM translator rejected a template (kept in {}):\n{counts}",
            kept(work)
        );
    }

    let translated: Vec<PathBuf> = std::fs::read_dir(&cfn_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(translated.len(), templates.len());
    let refs: Vec<&Path> = translated.iter().map(PathBuf::as_path).collect();
    let (ok, output) = run(&bin.join("cfn-lint"), &refs);
    if !(ok && output.trim().is_empty()) {
        panic!(
            "cfn-lint found problems in the translated templates (kept in {}):\n{output}",
            kept(work)
        );
    }
    counts
}
