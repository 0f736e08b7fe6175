//! `stackwire import` (SPEC 7): a SAM template, typically one Stackery's editor wrote, to the
//! stack description that compiles back to it.
//!
//! The engine: the template's text is read as compile reads a stack (`format::yaml`, the same
//! limits; JSON is YAML 1.2) -> its Stackery shapes are recognised (`shapes`) -> the stack
//! description is built as a value, keys in the order a person writes them, and written by
//! `emit` -> the report: a warning, with a place in the template, for each thing carried over
//! inexactly, and the [`Change`]s it makes to the deployed template (what the proof in
//! `tests/import.rs` allows to differ).

mod function;
mod read;
mod shapes;

use miette::SourceSpan;

use crate::diagnostics::Problem;

/// The outcome of importing one template.
#[derive(Debug)]
pub struct Imported {
    /// The template as text, for rendering diagnostics (lossy where it was not UTF-8).
    pub text: String,
    /// The stack description, when the template could be read.
    pub stack: Option<String>,
    /// Errors (nothing imported) or warnings (what was carried over inexactly), in template
    /// order.
    pub problems: Vec<Problem>,
    /// What deploying the imported stack over the template's stack changes, as the report
    /// says: resources and properties of the template as AWS's SAM translator expands it.
    pub changes: Vec<Change>,
    /// The environment the template's Parameter Store defaults name (`/prod/...`), if one.
    pub environment: Option<String>,
}

/// One resource, or one property of it, that the imported stack writes differently, in the
/// translated template (`Processor`, `ProcessorRole`, `ProcessorOrders`, ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub resource: String,
    /// `None`: the resource as a whole (removed, added, or all of it).
    pub property: Option<String>,
}

impl Change {
    pub fn resource(resource: &str) -> Change {
        Change {
            resource: resource.to_owned(),
            property: None,
        }
    }

    pub fn property(resource: &str, property: &str) -> Change {
        Change {
            resource: resource.to_owned(),
            property: Some(property.to_owned()),
        }
    }
}

/// Imports the bytes of a template.
pub fn import(bytes: &[u8]) -> Imported {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            return Imported {
                text: String::from_utf8_lossy(bytes).into_owned(),
                stack: None,
                problems: vec![Problem::InvalidUtf8 {
                    span: SourceSpan::new(at.into(), '\u{FFFD}'.len_utf8()),
                    help: "save the template as UTF-8 (CloudFormation reads UTF-8 only)".to_owned(),
                }],
                changes: Vec::new(),
                environment: None,
            };
        }
    };
    let mut out = shapes::import(text);
    out.problems.sort_by_key(|p| {
        use miette::Diagnostic;
        p.labels()
            .and_then(|mut l| l.next())
            .map_or(0, |l| l.offset())
    });
    out.changes.sort();
    out.changes.dedup();
    if out.problems.iter().any(Problem::is_error) {
        out.stack = None;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(template: &str) -> (String, Vec<Problem>, Vec<Change>) {
        let out = import(template.as_bytes());
        match out.stack {
            Some(stack) => (stack, out.problems, out.changes),
            None => panic!("not imported: {:?}", out.problems),
        }
    }

    const HEAD: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  S:\n    Type: AWS::Kinesis::Stream\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      ShardCount: 1\n      StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}\n";

    #[test]
    fn suffixes_that_are_not_the_defaults_are_kept_with_env() {
        // STREAM_NAME is the function's own: stackwire would give the wire `_2`, as here.
        let t = format!(
            "{HEAD}  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/F\n      Handler: h\n      Runtime: nodejs22.x\n      Policies:\n        - KinesisCrudPolicy: {{StreamName: !Ref S}}\n        - KinesisStreamReadPolicy: {{StreamName: !Ref S}}\n      Environment:\n        Variables:\n          STREAM_NAME: own\n          STREAM_NAME_2: !Ref S\n          STREAM_ARN_2: !GetAtt S.Arn\n"
        );
        let (s, problems, _) = stack(&t);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(s.contains("  - from: F\n    to: S\n"), "{s}");
        assert!(!s.contains("env:"), "{s}");
        // Names stackwire would not give are written out.
        let renamed = t
            .replace("STREAM_NAME_2", "ORDERS")
            .replace("STREAM_ARN_2", "ORDERS_ARN");
        let (s, _, _) = stack(&renamed);
        assert!(
            s.contains("    env:\n      name: ORDERS\n      arn: ORDERS_ARN\n"),
            "{s}"
        );
    }

    #[test]
    fn a_shape_read_only_in_part_passes_through_whole() {
        let t = format!(
            "{HEAD}    DependsOn: F\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/F\n      Handler: h\n      Runtime: nodejs22.x\n      Events:\n        S:\n          Type: Kinesis\n          Properties: {{Stream: !GetAtt S.Arn, StartingPosition: LATEST, BatchSize: !Ref Size}}\n"
        );
        let (s, problems, changes) = stack(&t);
        assert!(
            s.contains("template:\n  Resources:\n    S:\n      Type: AWS::Kinesis::Stream\n"),
            "{s}"
        );
        assert!(s.contains("BatchSize: !Ref Size"), "{s}");
        assert!(!s.contains("wires:"), "{s}");
        let codes: Vec<String> = problems
            .iter()
            .filter_map(|p| miette::Diagnostic::code(p).map(|c| c.to_string()))
            .collect();
        assert_eq!(
            codes,
            [
                "stackwire::import_could_model",
                "stackwire::import_could_model"
            ]
        );
        assert!(changes.is_empty());
    }

    #[test]
    fn a_retired_runtime_becomes_its_successor_and_is_named_as_a_change() {
        let t = format!(
            "{HEAD}  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/F\n      Handler: h\n      Runtime: nodejs10.x\n"
        );
        let (s, problems, changes) = stack(&t);
        assert!(s.contains("runtime: nodejs24.x"), "{s}");
        assert!(
            matches!(
                &problems[..],
                [Problem::ImportRetiredRuntime {
                    runtime: "nodejs10.x",
                    ..
                }]
            ),
            "{problems:?}"
        );
        assert_eq!(changes, [Change::property("F", "Runtime")]);
    }

    #[test]
    fn another_transform_and_no_resources_are_errors() {
        for (t, code) in [
            (
                "Transform: AWS::Include\nResources: {Q: {Type: AWS::SQS::Queue}}\n",
                "import_transform",
            ),
            ("Resources: {}\n", "import_not_template"),
            ("[1, 2]\n", "import_not_template"),
            (
                "Resources: {Q: {Type: AWS::SQS::Queue}}\n",
                "import_nothing_modelled",
            ),
        ] {
            let out = import(t.as_bytes());
            let codes: Vec<String> = out
                .problems
                .iter()
                .filter_map(|p| miette::Diagnostic::code(p).map(|c| c.to_string()))
                .collect();
            assert_eq!(codes, [format!("stackwire::{code}")], "{t}");
            assert!(out.problems.iter().all(Problem::is_error));
            assert!(out.stack.is_none(), "{t}");
        }
    }
}
