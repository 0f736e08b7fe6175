//! The CloudFormation target against AWS's SAM translator, for any set of stacks.
//!
//! For every stack:
//! 1. it compiles three ways: `--target sam --code-bucket packaged-code`, `--target
//!    cloudformation --code-bucket packaged-code`, and `--target cloudformation` (the code left
//!    as the local folder, for `aws cloudformation package`);
//! 2. the pinned translator (`.ci/sam_translate.py`) translates the SAM template, and cfn-lint's
//!    own loader (`.ci/decode_templates.py`) reads both CloudFormation templates back, short
//!    intrinsics as their long form, so all three are compared as data;
//! 3. the CloudFormation template must be the translator's, section by section, resource by
//!    resource (same Logical IDs, same types), property by property. The differences allowed:
//!    - **key order**: every mapping is compared as a mapping (the translator sorts its keys);
//!    - **the numbering of SAM's inline policy names** (`<Function>RolePolicy<N>`) is allowed by
//!      the issue but not needed: the expansion numbers as the translator does, so the names
//!      are compared exactly like every other value.
//!
//!    Any other difference fails, listed with its path;
//! 4. the local-code template is the same data except each `AWS::Lambda::Function`'s `Code`,
//!    which is the function's folder (a string, what `aws cloudformation package` uploads)
//!    where the other has the S3 location;
//! 5. cfn-lint (one run over all of them): the `--code-bucket` templates with no error and no
//!    warning; the local-code templates with nothing but cfn-lint's `W3002` ("This code may
//!    only work with 'package' cli command"), once on each function's `Code` and nowhere else,
//!    as that form exists to be packaged first.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;
use stackwire::target;

use crate::support::{outcome, root, tools};

/// The bucket both the SAM and the CloudFormation templates name, so the translator's `Code` and
/// the expansion's compare equal.
pub const BUCKET: &str = "packaged-code";

/// A stack to compare: a name for files and messages, its text, and `--environment`.
pub struct Stack {
    pub name: String,
    pub text: String,
    pub environment: Option<String>,
}

fn compile(stack: &Stack, target: &str, code_bucket: Option<&str>) -> String {
    let options = stackwire::Options {
        environment: stack.environment.as_deref(),
        target: target::find(target).unwrap_or_else(|| panic!("no target {target}")),
        code_bucket,
        writes: true,
    };
    let compiled = stackwire::compile(stack.text.as_bytes(), &options);
    let errors: Vec<String> = compiled
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| format!("{p} ({p:?})"))
        .collect();
    assert!(
        errors.is_empty(),
        "{} does not compile for {target}: {errors:#?}\n{}",
        stack.name,
        stack.text
    );
    compiled
        .template
        .unwrap_or_else(|| panic!("{} wrote no template for {target}", stack.name))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    file
}

/// Every difference between `ours` and `theirs`, each as `path: what`.
pub fn differences(ours: &Json, theirs: &Json, path: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Json::Object(a), Json::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let here = format!("{path}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => differences(x, y, &here, out),
                    (Some(x), None) => out.push(format!("{here}: only in stackwire's: {x}")),
                    (None, Some(y)) => out.push(format!("{here}: only in the translator's: {y}")),
                    (None, None) => {}
                }
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, &format!("{path}/{i}"), out);
            }
        }
        _ if ours == theirs => {}
        _ => out.push(format!(
            "{path}: stackwire's {ours}\n    the translator's {theirs}"
        )),
    }
}

/// Runs the comparison (see the module's documentation) on `stacks`; returns how many resources
/// were compared.
pub fn equivalent(stacks: &[Stack]) -> usize {
    assert!(!stacks.is_empty(), "no stacks to compare");
    let bin = tools();
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let dirs = ["sam", "translated", "cfn", "local"].map(|d| work.path().join(d));
    for dir in &dirs {
        std::fs::create_dir(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    let [sam_dir, translated_dir, cfn_dir, local_dir] = &dirs;
    let (mut sam, mut cfn, mut local) = (Vec::new(), Vec::new(), Vec::new());
    for stack in stacks {
        let sam_text = compile(stack, "sam", Some(BUCKET));
        let cfn_text = compile(stack, "cloudformation", Some(BUCKET));
        let local_text = compile(stack, "cloudformation", None);
        for text in [&cfn_text, &local_text] {
            assert!(
                !text.contains("Transform:") && !text.contains("AWS::Serverless::"),
                "{}: the CloudFormation template still needs SAM:\n{text}",
                stack.name
            );
        }
        sam.push(write(sam_dir, &stack.name, &sam_text));
        cfn.push(write(cfn_dir, &stack.name, &cfn_text));
        local.push(write(local_dir, &stack.name, &local_text));
    }
    let kept = |work: tempfile::TempDir| work.keep().display().to_string();

    let script = root().join(".ci/sam_translate.py");
    let mut translate = Command::new(bin.join("python"));
    translate.arg(&script).arg(translated_dir).args(&sam);
    let (ok, report) = outcome(&mut translate, "the SAM translator");
    if !ok {
        panic!(
            "AWS's SAM translator rejected a template (kept in {}):\n{report}",
            kept(work)
        );
    }

    let script = root().join(".ci/decode_templates.py");
    let mut decode = Command::new(bin.join("python"));
    decode.arg(&script).args(&cfn).args(&local);
    let out = decode
        .output()
        .unwrap_or_else(|e| panic!("cannot run decode_templates.py: {e}"));
    assert!(
        out.status.success(),
        "cfn-lint's loader cannot read a CloudFormation template (kept in {}):\n{}",
        kept(work),
        String::from_utf8_lossy(&out.stderr)
    );
    let decoded: Json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("decode_templates.py printed no JSON: {e}"));
    let read = |file: &Path| -> Json {
        decoded
            .get(file.display().to_string())
            .cloned()
            .unwrap_or_else(|| panic!("{} was not read back", file.display()))
    };

    let mut differ = Vec::new();
    let mut compared = 0;
    for (i, stack) in stacks.iter().enumerate() {
        let json = translated_dir.join(format!("{}.json", stack.name));
        let text = std::fs::read_to_string(&json)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", json.display()));
        let translated: Json =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
        let ours = read(&cfn[i]);
        let resources = |t: &Json| t["Resources"].as_object().map_or(0, serde_json::Map::len);
        assert!(resources(&translated) > 0, "{}: no resources", stack.name);
        compared += resources(&translated);
        let mut found = Vec::new();
        differences(&ours, &translated, "", &mut found);
        if !found.is_empty() {
            differ.push(format!("{}:\n  {}", stack.name, found.join("\n  ")));
        }

        // The local-code template: the same but for each function's `Code`.
        let mut packaged = read(&local[i]);
        if let Some(resources) = packaged["Resources"].as_object_mut() {
            for (id, resource) in resources.iter_mut() {
                if resource["Type"] != "AWS::Lambda::Function" {
                    continue;
                }
                let path = resource["Properties"]["Code"].clone();
                let uploaded = ours["Resources"][id]["Properties"]["Code"].clone();
                // A `source` that is already in S3 is written as it is, with or without the flag.
                if path.is_object() && path == uploaded {
                    continue;
                }
                assert!(
                    path.is_string() && uploaded["S3Bucket"] == BUCKET,
                    "{}: {id}'s Code is {path} without --code-bucket, {uploaded} with it",
                    stack.name
                );
                resource["Properties"]["Code"] = uploaded;
            }
        }
        let mut found = Vec::new();
        differences(&packaged, &ours, "", &mut found);
        if !found.is_empty() {
            differ.push(format!(
                "{} without --code-bucket, beyond Code:\n  {}",
                stack.name,
                found.join("\n  ")
            ));
        }
    }
    if !differ.is_empty() {
        panic!(
            "{} of {} stacks differ from what AWS's SAM translator writes (kept in {}):\n{}",
            differ.len(),
            stacks.len(),
            kept(work),
            differ.join("\n")
        );
    }

    lint(&cfn, &local, &bin, work);
    compared
}

/// cfn-lint on both sets of templates, in one run.
fn lint(cfn: &[PathBuf], local: &[PathBuf], bin: &Path, work: tempfile::TempDir) {
    let mut lint = Command::new(bin.join("cfn-lint"));
    lint.args(["--format", "parseable"]).args(cfn).args(local);
    let (_, output) = outcome(&mut lint, "cfn-lint");
    let mut unexpected = Vec::new();
    let mut w3002 = 0;
    for line in output.lines().filter(|l| !l.trim().is_empty()) {
        // `file:line:column:end line:end column:rule:message`
        let local_file = local
            .iter()
            .find(|f| line.starts_with(&format!("{}:", f.display())));
        match local_file {
            Some(file) if line.contains(":W3002:") => {
                let at: Option<usize> = line
                    .get(file.display().to_string().len() + 1..)
                    .and_then(|rest| rest.split(':').next())
                    .and_then(|n| n.parse().ok());
                let text = std::fs::read_to_string(file).unwrap_or_default();
                let on_code = at
                    .and_then(|n| text.lines().nth(n.saturating_sub(1)))
                    .is_some_and(|l| l.trim_start().starts_with("Code: "));
                if on_code {
                    w3002 += 1;
                } else {
                    unexpected.push(line.to_owned());
                }
            }
            _ => unexpected.push(line.to_owned()),
        }
    }
    // Functions whose code is a local path (`Code: src/X` on one line); one whose `source` is
    // already in S3 has a `Code:` mapping, which cfn-lint does not warn on.
    let functions: usize = local
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            text.lines()
                .filter(|l| {
                    l.trim_start()
                        .strip_prefix("Code: ")
                        .is_some_and(|v| !v.is_empty())
                })
                .count()
        })
        .sum();
    if !unexpected.is_empty() || w3002 != functions {
        panic!(
            "cfn-lint on the CloudFormation templates (kept in {}): {w3002} W3002 on `Code` for {functions} functions without --code-bucket, and:\n{}",
            work.keep().display(),
            unexpected.join("\n")
        );
    }
}
