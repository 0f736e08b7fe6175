//! Property tests of pass-through content (SPEC 4): random `template:` sections and
//! `properties:` (nested mappings, lists, scalars of every YAML kind, short-form intrinsics with
//! references to what the stack defines) are written back with the same meaning: the same tags,
//! values and order, read by the same reader. A reference to a name nothing defines is always
//! an `unknown_reference` error, at that name.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value as Json, json};

use stackwire::format::node::{Node, Value};

/// A pass-through value, as text to write into the stack.
#[derive(Debug, Clone)]
enum Pass {
    Scalar(String),
    Ref(usize),
    GetAtt(usize),
    Sub(usize),
    Seq(Vec<Pass>),
    Map(Vec<(String, Pass)>),
}

/// Scalars as a user writes them: plain numbers, words YAML reads otherwise, quoted text.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(
            &[
                "0777",
                "0x1F",
                "1e3",
                "-1",
                "+1",
                "1.5",
                "10",
                "true",
                "false",
                "~",
                "null",
                "''",
                "'yes'",
                "'on'",
                "'0777'",
                "'a: b'",
                "'# c'",
                "\"tab\\tx\"",
                "\"line\\nbreak\"",
                "'${literal}'",
                "'!Ref x'",
                "rate(1 day)",
                "word",
                "'-'",
                "'*a'",
                "'2026-01-01'",
            ][..]
        )
        .prop_map(str::to_owned),
        "[a-z][a-z0-9]{0,8}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9]{0,8}"
}

fn pass(names: usize) -> impl Strategy<Value = Pass> {
    let leaf = prop_oneof![
        4 => scalar().prop_map(Pass::Scalar),
        1 => (0..names).prop_map(Pass::Ref),
        1 => (0..names).prop_map(Pass::GetAtt),
        1 => (0..names).prop_map(Pass::Sub),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Pass::Seq),
            proptest::collection::vec((key(), inner), 0..5).prop_map(|entries| {
                // Keys once per mapping (a repeated key is an error of its own).
                let mut seen = std::collections::HashSet::new();
                Pass::Map(
                    entries
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
        ]
    })
}

/// The names references pick from: pass-through queues `Q0`, `Q1`, ...
fn queue(i: usize) -> String {
    format!("Q{i}")
}

/// Writes `p` in flow style, on one line.
fn write(p: &Pass, out: &mut String) {
    match p {
        Pass::Scalar(s) => out.push_str(s),
        Pass::Ref(i) => out.push_str(&format!("!Ref {}", queue(*i))),
        Pass::GetAtt(i) => out.push_str(&format!("!GetAtt {}.Arn", queue(*i))),
        Pass::Sub(i) => out.push_str(&format!("!Sub '${{{}}}-${{AWS::Region}}'", queue(*i))),
        Pass::Seq(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                write(item, out);
            }
            out.push(']');
        }
        Pass::Map(entries) => {
            out.push('{');
            for (n, (k, v)) in entries.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                write(v, out);
            }
            out.push('}');
        }
    }
}

/// A node as data: its tag, and its value with mapping order kept; spans left out.
fn shape(node: &Node) -> Json {
    let value = match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i.to_string()),
        Value::Float(f) => json!(format!("{f:?}")),
        Value::Str(s) => json!({ "str": s }),
        Value::Seq(items) => Json::Array(items.iter().map(shape).collect()),
        Value::Map(entries) => Json::Array(
            entries
                .iter()
                .map(|(k, v)| json!([shape(k), shape(v)]))
                .collect(),
        ),
    };
    match &node.tag {
        Some(tag) => json!({ "tag": tag, "value": value }),
        None => value,
    }
}

fn find<'n>(node: &'n Node, path: &[&str]) -> Option<&'n Node> {
    let mut node = node;
    for key in path {
        let Value::Map(entries) = &node.value else {
            return None;
        };
        node = entries
            .iter()
            .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
            .map(|(_, v)| v)?;
    }
    Some(node)
}

fn stack(queues: usize, output: &Pass, property: &Pass, dangling: Option<&str>) -> String {
    let (mut o, mut p) = (String::new(), String::new());
    write(output, &mut o);
    write(property, &mut p);
    let mut y = format!(
        "resources:\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\n    properties:\n      Metadata: {p}\n"
    );
    if let Some(name) = dangling {
        y.push_str(&format!("    environment:\n      X: !Ref {name}\n"));
    }
    y.push_str("template:\n  Resources:\n");
    for i in 0..queues {
        y.push_str(&format!("    {}: {{Type: AWS::SQS::Queue}}\n", queue(i)));
    }
    y.push_str(&format!("  Outputs:\n    O:\n      Value: {o}\n"));
    y
}

#[test]
fn pass_through_content_keeps_its_meaning_and_references_are_checked() {
    let mut config = Config::with_cases(200);
    if let Ok(n) = std::env::var("PROPTEST_CASES")
        && let Ok(n) = n.parse()
    {
        config.cases = n;
    }
    config.failure_persistence = None;
    let mut runner = TestRunner::new(config);
    let strategy = (1..4usize).prop_flat_map(|queues| {
        (
            Just(queues),
            pass(queues),
            pass(queues),
            proptest::option::of("[A-Z][a-z]{2,6}Missing"),
        )
    });
    let result = runner.run(&strategy, |(queues, output, property, dangling)| {
        let text = stack(queues, &output, &property, dangling.as_deref());
        let compiled = stackwire::compile(text.as_bytes(), &stackwire::Options::default());
        if let Some(name) = &dangling {
            let codes: Vec<String> = compiled
                .problems
                .iter()
                .map(|p| format!("{:?}", miette::Diagnostic::code(p).map(|c| c.to_string())))
                .collect();
            let found = compiled.problems.iter().any(|p| {
                matches!(p, stackwire::diagnostics::Problem::UnknownReference { name: n, .. } if n == name)
            });
            prop_assert!(found, "{name} not reported: {codes:?}\n{text}");
            prop_assert!(compiled.template.is_none(), "a template despite {name}");
            return Ok(());
        }
        let Some(template) = compiled.template else {
            return Err(TestCaseError::fail(format!(
                "did not compile: {:?}\n{text}",
                compiled.problems
            )));
        };
        let source = stackwire::format::yaml::read(&text)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let written = stackwire::format::yaml::read(&template)
            .map_err(|e| TestCaseError::fail(format!("template not YAML: {e:?}\n{template}")))?;
        for (from, to) in [
            (
                &["template", "Outputs", "O", "Value"][..],
                &["Outputs", "O", "Value"][..],
            ),
            (
                &["resources", "F", "properties", "Metadata"][..],
                &["Resources", "F", "Properties", "Metadata"][..],
            ),
        ] {
            let a = find(&source, from).map(shape);
            let b = find(&written, to).map(shape);
            prop_assert!(a.is_some(), "nothing at {from:?}");
            prop_assert_eq!(a, b, "{:?} changed:\n{}\n{}", from, text, template);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
