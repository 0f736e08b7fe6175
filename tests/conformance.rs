//! The conformance gate, its own test target: every `fixtures/ok` template through cfn-lint
//! and AWS's SAM translator (see `support` for how the tools are installed).

// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

use std::path::Path;

use support::*;

/// The gate can fail: a template with an out-of-range `BatchSize` in an event that reads
/// `!GetAtt` (which cfn-lint 1.58 does not check on the SAM template) is caught once translated.
#[test]
fn the_gate_catches_a_bad_template() {
    let bin = tools();
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let bad = work.path().join("bad.yaml");
    let template = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  S:\n    Type: AWS::Kinesis::Stream\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      ShardCount: 1\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/F\n      Handler: index.handler\n      Runtime: nodejs22.x\n      Events:\n        S:\n          Type: Kinesis\n          Properties:\n            Stream: !GetAtt S.Arn\n            StartingPosition: TRIM_HORIZON\n            BatchSize: 100000\n";
    std::fs::write(&bad, template)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", bad.display()));
    let script = root().join(".ci/sam_translate.py");
    let (ok, output) = run(&bin.join("python"), &[&script, work.path(), &bad]);
    assert!(ok, "{output}");
    let (ok, output) = run(&bin.join("cfn-lint"), &[&work.path().join("bad.json")]);
    assert!(
        !ok && output.contains("100000"),
        "cfn-lint missed BatchSize 100000:\n{output}"
    );
}

#[test]
fn cfn_lint_and_sam_translator_accept_every_ok_template() {
    let mut templates = Vec::new();
    let mut expected = Vec::new();
    for path in fixture_paths("ok") {
        let out = compile_fixture(&path);
        assert_eq!(
            out.code,
            0,
            "{} did not compile:\n{}",
            path.display(),
            out.stderr
        );
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        expected.push((name.clone(), expanded_resource_count(&path)));
        templates.push((name, out.stdout));
    }
    assert!(!templates.is_empty(), "no fixtures/ok templates");
    let counts = gate(&templates);
    for (name, count) in expected {
        let line = format!("{name} {count}");
        assert!(
            counts.lines().any(|l| l == line),
            "{name}: stackwire counted {count} resources after SAM's expansion, the translator made otherwise:\n{counts}"
        );
    }
}

/// The stacks `stackwire import` writes from `fixtures/import` compile to templates that pass
/// the same gate (one run of each tool for them all).
#[test]
fn cfn_lint_and_sam_translator_accept_every_imported_stack() {
    let mut templates = Vec::new();
    let dir = root().join("fixtures/import");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_default();
        let imported = stackwire::import::import(&bytes);
        let Some(stack) = imported.stack else {
            panic!("{} did not import: {:?}", path.display(), imported.problems);
        };
        let environment = imported.environment.unwrap_or_else(|| "prod".to_owned());
        let compiled = stackwire::compile(
            stack.as_bytes(),
            &stackwire::Options::environment(Some(&environment)),
        );
        let Some(template) = compiled.template else {
            panic!(
                "{} imported to a stack that does not compile: {:?}",
                path.display(),
                compiled.problems
            );
        };
        let name = path
            .file_stem()
            .map(|s| format!("imported-{}", s.to_string_lossy()))
            .unwrap_or_default();
        templates.push((name, template));
    }
    assert!(
        templates.len() >= 14,
        "only {} imported stacks",
        templates.len()
    );
    gate(&templates);
}

/// What stackwire counts against CloudFormation's resource limit for a fixture.
fn expanded_resource_count(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (Some(stack), _) = stackwire::format::parse::parse(&text) else {
        panic!("{} does not parse", path.display());
    };
    let (plan, _) = stackwire::check::check(&stack, &stackwire::Options::environment(Some("prod")));
    stackwire::target::DEFAULT.resource_count(&plan)
}
