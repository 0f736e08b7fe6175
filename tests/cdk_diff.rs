//! The deploy guard side by side with AWS's own diff: for every pair in `fixtures/diff`, each
//! side is SAM-translated with the pinned aws-sam-translator (`tests/support`'s venv), the two
//! translated templates are compared by `@aws-cdk/cloudformation-diff` (npm, pinned exactly by
//! `tests/cdk_diff/package-lock.json`, installed by this test with `npm ci` into
//! `target/cdk-diff-node`), and each resource's `changeImpact` is compared with the action
//! `stackwire diff --format json` gives it.
//!
//! Every disagreement is listed in [`KNOWN`] with the reason stackwire is right, and each listed
//! one is asserted to still disagree exactly so: when one stops disagreeing, the test says so.
//! Needs `node` and `npm` on the `PATH`; fails, saying so, without them.

#[path = "support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{root, run_args, tools};

/// `(pair, Logical ID, stackwire's action, AWS's changeImpact, why stackwire is right)`.
const KNOWN: &[(&str, &str, &str, &str, &str)] = &[
    (
        "created-to-parameter",
        "ProcessorOrders",
        "may replace",
        "WILL_REPLACE",
        DEPLOY_TIME,
    ),
    (
        "existing-to-parameter",
        "ProcessorOrders",
        "may replace",
        "WILL_REPLACE",
        DEPLOY_TIME,
    ),
    (
        "switched-to-existing",
        "ProcessorOrders",
        "may replace",
        "WILL_REPLACE",
        LITERAL_ARN,
    ),
    (
        "template-name-to-parameter",
        "Orders",
        "may replace",
        "WILL_REPLACE",
        DEFAULT_IS_OLD,
    ),
    (
        "template-name-to-parameter",
        "ProcessorOrders",
        "may replace",
        "WILL_REPLACE",
        DEFAULT_IS_OLD,
    ),
    (
        "template-parameter-default",
        "Orders",
        "may replace",
        "NO_CHANGE",
        NEW_DEFAULT,
    ),
    (
        "template-parameter-default",
        "ProcessorOrders",
        "may replace",
        "NO_CHANGE",
        NEW_DEFAULT,
    ),
    (
        "function-name-added",
        "ProcessorOrders",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "stream-name-added",
        "Producer",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "stream-name-added",
        "ProducerRole",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "stream-name-changed",
        "Producer",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "stream-name-changed",
        "ProducerRole",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "stream-name-stack-prefix",
        "Producer",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "stream-name-stack-prefix",
        "ProducerRole",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "template-queue-fifo",
        "Processor",
        "update",
        "NO_CHANGE",
        READS_REPLACED,
    ),
    (
        "template-table-key",
        "Table",
        "may replace",
        "WILL_REPLACE",
        CONDITIONAL,
    ),
];

/// The mapping's `EventSourceArn` becomes an `!If` on a parameter: which stream it reads is
/// known only at deploy time (SPEC 6's `may replace`). AWS's diff compares text, and any
/// changed text of a create-only property is a replacement to it.
const DEPLOY_TIME: &str = "the new EventSourceArn is chosen at deploy time by a condition on a parameter; with the parameter empty it is the same stream, and the mapping is kept";

/// `!GetAtt Orders.Arn` against a literal ARN: the same stream if the ARN is Orders'.
const LITERAL_ARN: &str = "the literal ARN may be the very stream the old !GetAtt named (a stream being adopted as existing), in which case nothing is replaced; only the deployed stack knows";

/// The name becomes `!Ref StreamName`, whose default is the old literal name.
const DEFAULT_IS_OLD: &str = "the parameter's default is `orders`, the old literal name: deployed with the default, the name does not change and nothing is replaced";

/// Only the parameter's default changed; the resources' text is the same.
const NEW_DEFAULT: &str = "the stream's Name is !Ref StreamName and the parameter's default changed: deployed with the default the create-only Name changes and the stream is replaced; AWS's diff compares the resources' text alone, which did not change";

/// The resource's text is the same, but it reads a replaced resource.
const READS_REPLACED: &str = "its text is unchanged but it reads (!Ref/!GetAtt) a resource that is replaced, so the new physical name or ARN flows into it and CloudFormation updates it in the same deploy";

/// The resource schema's own word.
const CONDITIONAL: &str = "the pinned resource schema lists KeySchema under conditionalCreateOnlyProperties, not createOnlyProperties: stackwire says may replace (and exits 5 all the same); AWS's diff reads its own property database";

/// What `@aws-cdk/cloudformation-diff` calls each of stackwire's actions.
fn impact(action: &str) -> &'static str {
    match action {
        "add" => "WILL_CREATE",
        "delete" => "WILL_DESTROY",
        "orphan" => "WILL_ORPHAN",
        "update" => "WILL_UPDATE",
        "replace" => "WILL_REPLACE",
        "may replace" => "MAY_REPLACE",
        "unchanged" => "NO_CHANGE",
        _ => "UNKNOWN",
    }
}

/// `@aws-cdk/cloudformation-diff` installed from the lock file (once; reused while it is the
/// same); its `node_modules`.
fn node_modules() -> PathBuf {
    let dir = root().join("target/cdk-diff-node");
    let lock = std::fs::read(root().join("tests/cdk_diff/package-lock.json"))
        .unwrap_or_else(|e| panic!("cannot read tests/cdk_diff/package-lock.json: {e}"));
    let installed = dir.join("installed.lock");
    if std::fs::read(&installed).ok().as_ref() != Some(&lock) {
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        for f in ["package.json", "package-lock.json"] {
            std::fs::copy(root().join("tests/cdk_diff").join(f), dir.join(f))
                .unwrap_or_else(|e| panic!("cannot copy {f}: {e}"));
        }
        let (ok, log) = support::outcome(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
                .current_dir(&dir),
            "npm ci (@aws-cdk/cloudformation-diff; needs npm and the npm registry)",
        );
        assert!(ok, "{log}");
        std::fs::write(&installed, &lock)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", installed.display()));
    }
    dir.join("node_modules")
}

/// The SAM template of one side: the file itself, or the stack description compiled.
fn sam_template(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match stackwire::diff::load::kind_of(&text).0 {
        stackwire::diff::load::Kind::Template => text,
        stackwire::diff::load::Kind::Stack => {
            let compiled =
                stackwire::pipeline::compile(&bytes, &stackwire::options::Options::default());
            compiled
                .template
                .unwrap_or_else(|| panic!("{} does not compile", path.display()))
        }
    }
}

#[test]
fn stackwire_agrees_with_aws_cloudformation_diff() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/diff"))
        .expect("fixtures/diff")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("old.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 30, "only {} pairs", dirs.len());
    let names: Vec<String> = dirs
        .iter()
        .map(|d| {
            d.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();

    // 1. Every side's SAM template, translated by AWS's SAM translator.
    let work = tempfile::tempdir().expect("a temporary folder");
    let (sam, cfn) = (work.path().join("sam"), work.path().join("cfn"));
    std::fs::create_dir(&sam).expect("sam/");
    std::fs::create_dir(&cfn).expect("cfn/");
    let mut files = Vec::new();
    for (dir, name) in dirs.iter().zip(&names) {
        for side in ["old", "new"] {
            let file = sam.join(format!("{name}__{side}.yaml"));
            std::fs::write(&file, sam_template(&dir.join(format!("{side}.yaml"))))
                .expect("write a SAM template");
            files.push(file);
        }
    }
    let bin = tools();
    let script = root().join(".ci/sam_translate.py");
    let mut args: Vec<&Path> = vec![&script, &cfn];
    args.extend(files.iter().map(PathBuf::as_path));
    let (ok, log) = support::run(&bin.join("python"), &args);
    assert!(ok, "the SAM translator failed:\n{log}");

    // 2. AWS's diff on each translated pair.
    let pairs: Vec<serde_json::Value> = names
        .iter()
        .map(|name| {
            serde_json::json!({
                "name": name,
                "old": cfn.join(format!("{name}__old.json")),
                "new": cfn.join(format!("{name}__new.json")),
            })
        })
        .collect();
    let list = work.path().join("pairs.json");
    std::fs::write(&list, serde_json::to_string(&pairs).expect("JSON")).expect("pairs.json");
    let (ok, out) = support::outcome(
        Command::new("node")
            .arg(root().join("tests/cdk_diff/verdicts.js"))
            .arg(&list)
            .env("NODE_PATH", node_modules()),
        "node (for @aws-cdk/cloudformation-diff; needs node on the PATH)",
    );
    assert!(ok, "verdicts.js failed:\n{out}");
    let theirs: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("verdicts.js: {e}\n{out}"));

    // 3. stackwire's verdicts, and every disagreement.
    let mut disagreements: Vec<(String, String, String, String)> = Vec::new();
    let mut compared = 0;
    for name in &names {
        let old = format!("fixtures/diff/{name}/old.yaml");
        let new = format!("fixtures/diff/{name}/new.yaml");
        let run = run_args(&["stackwire", "diff", &old, &new, "--format", "json"], b"");
        let doc: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}{}", run.stdout, run.stderr));
        let mut ours: BTreeMap<String, String> = BTreeMap::new();
        for r in doc["resources"].as_array().into_iter().flatten() {
            let id = r["id"].as_str().unwrap_or_default().to_owned();
            ours.insert(id, r["action"].as_str().unwrap_or_default().to_owned());
        }
        let aws = theirs.get(name).cloned().unwrap_or_default();
        let ids: std::collections::BTreeSet<&String> = ours.keys().chain(aws.keys()).collect();
        for id in ids {
            compared += 1;
            let action = ours.get(id).map_or("absent", String::as_str);
            let verdict = aws.get(id).map_or("absent", String::as_str);
            if impact(action) != verdict {
                disagreements.push((
                    name.clone(),
                    id.clone(),
                    action.to_owned(),
                    verdict.to_owned(),
                ));
            }
        }
    }
    let known: Vec<(String, String, String, String)> = KNOWN
        .iter()
        .map(|(p, id, a, b, _)| {
            (
                (*p).to_owned(),
                (*id).to_owned(),
                (*a).to_owned(),
                (*b).to_owned(),
            )
        })
        .collect();
    let unexplained: Vec<String> = disagreements
        .iter()
        .filter(|d| !known.contains(d))
        .map(|(p, id, a, b)| format!("(\"{p}\", \"{id}\", \"{a}\", \"{b}\", \"\"),"))
        .collect();
    let gone: Vec<String> = known
        .iter()
        .filter(|k| !disagreements.contains(k))
        .map(|(p, id, a, b)| format!("{p} {id}: stackwire {a}, AWS {b}"))
        .collect();
    assert!(
        unexplained.is_empty() && gone.is_empty(),
        "{compared} resources in {} pairs compared.\nDisagreements not listed in KNOWN:\n{}\nListed in KNOWN but no longer disagreeing:\n{}",
        names.len(),
        unexplained.join("\n"),
        gone.join("\n")
    );
    eprintln!(
        "{compared} resources in {} pairs: {} agree, {} known disagreements",
        names.len(),
        compared - disagreements.len(),
        disagreements.len()
    );
}
