//! The proof of `stackwire import` (SPEC 7), its own slow target: for every import fixture `T`,
//! `T` and `compile(import(T))`, both translated by AWS's SAM translator (pinned in
//! `.ci/requirements.txt`, installed by `support::tools()`), hold the same resources with the
//! same Logical IDs, types and properties, apart from the changes the import report names.
//!
//! The other half, [`diff_reports_no_replacement`]: `stackwire diff T <imported stack>`
//! reports no delete, replace or may replace, apart from the resources the report names.

// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use stackwire::import::{Change, import};
use support::*;

/// The import fixtures, sorted.
fn fixtures() -> Vec<PathBuf> {
    let dir = root().join("fixtures/import");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    paths
}

struct Imported {
    name: String,
    original: String,
    compiled: String,
    changes: Vec<Change>,
}

fn import_and_compile(path: &Path) -> Imported {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let imported = import(&bytes);
    let stack = imported
        .stack
        .unwrap_or_else(|| panic!("{} did not import: {:?}", path.display(), imported.problems));
    let environment = imported.environment.unwrap_or_else(|| "prod".to_owned());
    let compiled = stackwire::compile(
        stack.as_bytes(),
        &stackwire::Options::environment(Some(&environment)),
    );
    let template = compiled.template.unwrap_or_else(|| {
        panic!(
            "the stack imported from {} does not compile: {:?}",
            path.display(),
            compiled.problems
        )
    });
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Imported {
        name,
        original: String::from_utf8_lossy(&bytes).into_owned(),
        compiled: template,
        changes: imported.changes,
    }
}

/// Translates `templates` (name, text) with the SAM translator into `dir`; the JSON of each.
fn translate(dir: &Path, templates: &[(String, String)]) -> Vec<Value> {
    let bin = tools();
    let (sam, cfn) = (dir.join("sam"), dir.join("cfn"));
    for d in [&sam, &cfn] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("cannot create {}: {e}", d.display()));
    }
    let files: Vec<PathBuf> = templates
        .iter()
        .map(|(name, text)| {
            let file = sam.join(format!("{name}.yaml"));
            std::fs::write(&file, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
            file
        })
        .collect();
    let script = root().join(".ci/sam_translate.py");
    let mut args: Vec<&Path> = vec![&script, &cfn];
    args.extend(files.iter().map(PathBuf::as_path));
    let (ok, output) = run(&bin.join("python"), &args);
    assert!(ok, "the SAM translator failed:\n{output}");
    templates
        .iter()
        .map(|(name, _)| {
            let file = cfn.join(format!("{name}.json"));
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        })
        .collect()
}

/// The differences between two translated templates that `changes` does not name.
fn unexplained(original: &Value, imported: &Value, changes: &[Change]) -> Vec<String> {
    let empty = serde_json::Map::new();
    let resources = |t: &Value| {
        t.get("Resources")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (a, b) = (resources(original), resources(imported));
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let whole = |id: &str| {
        changes
            .iter()
            .any(|c| c.resource == id && c.property.is_none())
    };
    let named = |id: &str, p: &str| {
        changes
            .iter()
            .any(|c| c.resource == id && c.property.as_deref() == Some(p))
    };
    let mut out = Vec::new();
    for id in ids {
        if whole(id) {
            continue;
        }
        let (Some(x), Some(y)) = (a.get(id), b.get(id)) else {
            out.push(format!(
                "`{id}` is only in the {}",
                if a.contains_key(id) {
                    "original"
                } else {
                    "import"
                }
            ));
            continue;
        };
        if x.get("Type") != y.get("Type") {
            out.push(format!(
                "`{id}`: type {:?} became {:?}",
                x.get("Type"),
                y.get("Type")
            ));
        }
        let props = |r: &Value| {
            r.get("Properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
                .clone()
        };
        let (px, py) = (props(x), props(y));
        let keys: BTreeSet<&String> = px.keys().chain(py.keys()).collect();
        for k in keys {
            if px.get(k) != py.get(k) && !named(id, k) {
                out.push(format!(
                    "`{id}.{k}`: {} became {}",
                    px.get(k).map_or("nothing".to_owned(), Value::to_string),
                    py.get(k).map_or("nothing".to_owned(), Value::to_string)
                ));
            }
        }
    }
    out
}

#[test]
fn imported_stacks_translate_to_the_same_resources() {
    let paths = fixtures();
    assert!(paths.len() >= 14, "only {} import fixtures", paths.len());
    let imported: Vec<Imported> = paths.iter().map(|p| import_and_compile(p)).collect();
    let mut templates = Vec::new();
    for i in &imported {
        // Stackery wrote the version unquoted, which CloudFormation reads as text and the
        // translator's YAML 1.1 reader (PyYAML) as a date it cannot write back as JSON.
        let original = i.original.replace(
            "AWSTemplateFormatVersion: 2010-09-09",
            "AWSTemplateFormatVersion: '2010-09-09'",
        );
        templates.push((format!("{}.original", i.name), original));
        templates.push((format!("{}.imported", i.name), i.compiled.clone()));
    }
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let translated = translate(work.path(), &templates);
    let mut failures = Vec::new();
    let mut compared = 0;
    for (i, pair) in imported.iter().zip(translated.chunks(2)) {
        let [original, ours] = pair else {
            panic!("translations come in pairs")
        };
        let count = original
            .get("Resources")
            .and_then(Value::as_object)
            .map_or(0, |r| r.len());
        assert!(count > 0, "{}: nothing translated", i.name);
        compared += count;
        for problem in unexplained(original, ours, &i.changes) {
            failures.push(format!("{}: {problem}", i.name));
        }
    }
    assert!(
        failures.is_empty(),
        "differences the import report does not name (templates kept in {}):\n{}",
        work.keep().display(),
        failures.join("\n")
    );
    eprintln!(
        "{} fixtures, {compared} translated resources compared",
        imported.len()
    );
}

/// The comparison can fail: a property changed behind the report's back is found.
#[test]
fn the_comparison_catches_an_unreported_change() {
    let original: Value = serde_json::json!({"Resources": {
        "F": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs8.10", "MemorySize": 128}},
        "S": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}}
    }});
    let imported: Value = serde_json::json!({"Resources": {
        "F": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs24.x", "MemorySize": 256}}
    }});
    let changes = vec![Change::property("F", "Runtime")];
    let found = unexplained(&original, &imported, &changes);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("F.MemorySize"), "{found:?}");
    assert!(
        found[1].contains("`S` is only in the original"),
        "{found:?}"
    );
    let all = vec![
        Change::property("F", "Runtime"),
        Change::property("F", "MemorySize"),
        Change::resource("S"),
    ];
    assert!(unexplained(&original, &imported, &all).is_empty());
}

/// The deploy guard's half of the proof (SPEC 7): for each fixture `T`, `stackwire diff T
/// <imported stack>` reports no `delete`, `replace` or `may replace` (exit 0), once the
/// resources the import report names as changed are passed with `--allow`; and a template with
/// no Stackery "Use Existing" machinery needs no `--allow` at all.
#[test]
fn diff_reports_no_replacement() {
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    for path in fixtures() {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let imported = import(&bytes);
        let stack = imported
            .stack
            .unwrap_or_else(|| panic!("{} did not import", path.display()));
        let file = work.path().join("stack.yaml");
        std::fs::write(&file, &stack).unwrap_or_else(|e| panic!("{e}"));
        let environment = imported.environment.unwrap_or_else(|| "prod".to_owned());
        let allowed: BTreeSet<String> = imported
            .changes
            .iter()
            .map(|c| c.resource.clone())
            .collect();
        let stackery_existing = imported.problems.iter().any(|p| {
            miette::Diagnostic::code(p)
                .is_some_and(|c| c.to_string() == "stackwire::import_use_existing")
        });
        let t = path.display().to_string();
        let s = file.display().to_string();
        let mut args = vec![
            "stackwire",
            "diff",
            t.as_str(),
            s.as_str(),
            "--environment",
            environment.as_str(),
        ];
        let bare = diff(&args);
        if !stackery_existing {
            assert_eq!(
                bare.0,
                0,
                "{}: diff found something unsafe:\n{}",
                path.display(),
                bare.1
            );
        } else {
            assert_eq!(
                bare.0,
                5,
                "{}: the Use Existing machinery should show:\n{}",
                path.display(),
                bare.1
            );
        }
        for id in &allowed {
            args.push("--allow");
            args.push(id.as_str());
        }
        let (code, out) = diff(&args);
        assert_eq!(
            code,
            0,
            "{}: diff with --allow {allowed:?}:\n{out}",
            path.display()
        );
    }
}

/// Runs the command line in-process: its exit code, and what it wrote.
fn diff(args: &[&str]) -> (i32, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = stackwire::Io {
        stdin: &mut &b""[..],
        stdout: &mut stdout,
        stderr: &mut stderr,
        color: false,
    };
    let code = stackwire::run(args.iter().copied(), &mut io);
    (
        code,
        format!(
            "{}{}",
            String::from_utf8_lossy(&stdout),
            String::from_utf8_lossy(&stderr)
        ),
    )
}
