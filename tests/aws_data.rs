//! AWS data against the pinned tools (installed by `support::tools` from
//! `.ci/requirements.txt`): the generated tables in `src/aws` are what `src/aws/generate.py`
//! writes from the pinned packages, and SAM policy templates expand as the pinned translator
//! expands them.

// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

use std::path::Path;

use serde_json::Value as Json;

use stackwire::aws::policy::expand;
use stackwire::aws::policy_templates::TEMPLATES;
use stackwire::template::{Map, Value};
use support::{root, run, tools};

#[test]
fn generated_aws_data_matches_the_pinned_sources() {
    let bin = tools();
    let script = root().join("src/aws/generate.py");
    let (ok, output) = run(&bin.join("python"), &[&script, Path::new("--check")]);
    assert!(
        ok,
        "src/aws is out of date with the packages .ci/requirements.txt pins:\n{output}\n\
         regenerate it (from the repository root) with: \
         target/conformance-venv/bin/python src/aws/generate.py"
    );
}

/// The parameter values each case gives: the policies stackwire writes today (`lower.rs`), a
/// handful of common ones, and the translator's corner cases (a parameter the template does not
/// declare, a placeholder it leaves alone, intrinsics inside a value).
fn named_cases() -> Vec<(&'static str, Map)> {
    let stream = || Value::Ref("Stream".into());
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        ("KinesisCrudPolicy", vec![("StreamName", stream())]),
        ("KinesisStreamReadPolicy", vec![("StreamName", stream())]),
        (
            "SQSSendMessagePolicy",
            vec![("QueueName", Value::get_att("Queue", "QueueName"))],
        ),
        (
            "SNSPublishMessagePolicy",
            vec![("TopicName", Value::get_att("Topic", "TopicName"))],
        ),
        (
            "DynamoDBCrudPolicy",
            vec![("TableName", Value::Ref("Table".into()))],
        ),
        (
            "S3ReadPolicy",
            vec![("BucketName", Value::str("my-bucket"))],
        ),
        (
            "KinesisCrudPolicy",
            vec![
                ("StreamName", Value::Sub("${AWS::StackName}-events".into())),
                ("NotAParameter", Value::str("ignored")),
            ],
        ),
        (
            "S3ReadPolicy",
            vec![(
                "BucketName",
                Value::str("{{IntrinsicFunction:stack/Nested.Outputs.Bucket/Fn::GetAtt}}"),
            )],
        ),
        (
            "EFSWriteAccessPolicy",
            vec![
                (
                    "FileSystem",
                    Value::If(
                        "IsProd".into(),
                        Box::new(Value::Ref("Stream".into())),
                        Box::new(Value::join(
                            "-",
                            vec![
                                Value::str("fs"),
                                Value::Ref(format!(
                                    "{}AccessPoint",
                                    stackwire::aws::policy::PARAMETER_PREFIX
                                )),
                            ],
                        )),
                    ),
                ),
                ("AccessPoint", Value::str("fsap-1")),
            ],
        ),
    ];
    cases
        .into_iter()
        .map(|(name, params)| {
            let params = params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            (name, params)
        })
        .collect()
}

/// Every template, each parameter given a different kind of value in turn.
fn every_template() -> Vec<(&'static str, Map)> {
    TEMPLATES
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let params = t
                .parameters
                .iter()
                .enumerate()
                .map(|(j, (p, _))| {
                    let value = match (i + j) % 5 {
                        0 => Value::Ref("Stream".into()),
                        1 => Value::get_att("Topic", "TopicName"),
                        2 => Value::Sub(format!("${{AWS::StackName}}-{p}")),
                        3 => Value::str(format!("literal-{p}")),
                        _ => Value::Select(
                            0,
                            Box::new(Value::Split(
                                "/".into(),
                                Box::new(Value::Ref("Queue".into())),
                            )),
                        ),
                    };
                    ((*p).to_owned(), value)
                })
                .collect();
            (t.name, params)
        })
        .collect()
}

fn function(policies: Vec<Value>) -> Value {
    Value::map([
        ("Type", Value::str("AWS::Serverless::Function")),
        (
            "Properties",
            Value::map([
                ("CodeUri", Value::str("src/F")),
                ("Handler", Value::str("index.handler")),
                ("Runtime", Value::str("nodejs22.x")),
                ("Policies", Value::Seq(policies)),
            ]),
        ),
    ])
}

/// The inline policies the translator gave `role`: (name, document) in order.
fn role_policies(translated: &Json, role: &str) -> Vec<(String, Json)> {
    let policies = &translated["Resources"][role]["Properties"]["Policies"];
    let Some(policies) = policies.as_array() else {
        panic!("{role} has no Policies in the translated template: {policies}");
    };
    policies
        .iter()
        .map(|p| {
            let name = p["PolicyName"].as_str().unwrap_or_default().to_owned();
            (name, p["PolicyDocument"].clone())
        })
        .collect()
}

/// One template with two functions: `Templates` lists the policy templates, for the translator
/// to expand; `Expanded` lists, as inline policy documents, what `expand` made of the same ones.
/// Once translated, the two roles' inline policies must be the same documents, one for one.
#[test]
fn policy_templates_expand_as_the_sam_translator_expands_them() {
    let cases: Vec<(&str, Map)> = named_cases().into_iter().chain(every_template()).collect();
    let mut templates = Vec::new();
    let mut expanded = Vec::new();
    for (name, params) in &cases {
        templates.push(Value::map([(*name, Value::Map(params.clone()))]));
        let statements = expand(name, params).unwrap_or_else(|e| panic!("{name}: {e}"));
        expanded.push(Value::map([("Statement", Value::Seq(statements))]));
    }
    let resource = |t: &'static str| Value::map([("Type", Value::str(t))]);
    let template = Value::map([
        ("AWSTemplateFormatVersion", Value::str("2010-09-09")),
        ("Transform", Value::str("AWS::Serverless-2016-10-31")),
        (
            "Conditions",
            Value::map([(
                "IsProd",
                Value::Equals(
                    Box::new(Value::Ref("AWS::StackName".into())),
                    Box::new(Value::str("prod")),
                ),
            )]),
        ),
        (
            "Resources",
            Value::map([
                ("Stream", resource("AWS::Kinesis::Stream")),
                ("Queue", resource("AWS::SQS::Queue")),
                ("Topic", resource("AWS::SNS::Topic")),
                ("Table", resource("AWS::DynamoDB::Table")),
                ("Templates", function(templates)),
                ("Expanded", function(expanded)),
            ]),
        ),
    ]);
    let bin = tools();
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let sam = work.path().join("policies.yaml");
    std::fs::write(&sam, stackwire::emit::emit(&template))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", sam.display()));
    let script = root().join(".ci/sam_translate.py");
    let (ok, output) = run(&bin.join("python"), &[&script, work.path(), &sam]);
    assert!(ok, "the SAM translator rejected the template:\n{output}");
    let json = work.path().join("policies.json");
    let text = std::fs::read_to_string(&json)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", json.display()));
    let translated: Json =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()));

    let by_translator = role_policies(&translated, "TemplatesRole");
    let by_expand = role_policies(&translated, "ExpandedRole");
    assert_eq!(by_translator.len(), cases.len());
    assert_eq!(by_expand.len(), cases.len());
    let mut differ = Vec::new();
    for (i, (name, _)) in cases.iter().enumerate() {
        let (translator_name, translator_doc) = &by_translator[i];
        let (expand_name, expand_doc) = &by_expand[i];
        assert_eq!(translator_name, &format!("TemplatesRolePolicy{i}"));
        assert_eq!(expand_name, &format!("ExpandedRolePolicy{i}"));
        let statements = translator_doc["Statement"].as_array().map_or(0, Vec::len);
        assert!(
            translator_doc.as_object().map(serde_json::Map::len) == Some(1) && statements > 0,
            "{name}: the translator wrote an unexpected policy document: {translator_doc}"
        );
        if translator_doc != expand_doc {
            differ.push(format!(
                "case {i}, {name}:\n  translator: {translator_doc}\n  expand:     {expand_doc}"
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} policy templates expand differently:\n{}",
        differ.len(),
        cases.len(),
        differ.join("\n")
    );
}
