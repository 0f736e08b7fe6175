//! A SAM template -> the plain CloudFormation that AWS's SAM translator makes of it, as template
//! values: a template model in, a template model out, with no knowledge of text. The
//! CloudFormation target runs it on the SAM lowering; the deploy guard can run it on any SAM
//! template read from a file.
//!
//! Each `AWS::Serverless::Function` becomes what aws-sam-translator (the version
//! `.ci/requirements.txt` pins) writes for it, with the same Logical IDs:
//!
//! - `<Function>`: an `AWS::Lambda::Function`. `CodeUri` becomes `Code` (`s3://bucket/key` or a
//!   `{Bucket, Key, Version}` map becomes `{S3Bucket, S3Key[, S3ObjectVersion]}`; a local path
//!   stays a path, for `aws cloudformation package` to upload), `Tracing` becomes
//!   `TracingConfig.Mode`, `Role` is the generated role's ARN unless the function names one,
//!   and `Tags` start with SAM's `lambda:createdBy: SAM`.
//! - `<Function>Role`: its `AWS::IAM::Role` (unless the function names a `Role`), assumable by
//!   Lambda, with the managed policies SAM attaches (`AWSLambdaBasicExecutionRole`,
//!   `AWSXrayWriteOnlyAccess` with tracing, the function's own, then
//!   `AWSLambdaKinesisExecutionRole` once there is a Kinesis event) and one inline policy per
//!   policy template (expanded by [`crate::aws::policy::expand`]) or inline document, named
//!   `<Function>RolePolicy<N>` where `N` is the entry's position in `Policies`.
//! - `<Function><Event>`: an `AWS::Lambda::EventSourceMapping` per `Kinesis` event, with the
//!   grant SAM adds for its `OnFailure` destination.
//!
//! Everything else is copied as it is. What only SAM's transform can expand (`Globals`, any
//! other `AWS::Serverless::*` resource, an event or property this module does not know) is
//! left in place and listed in [`Expanded::unexpanded`], each with where it is.

use crate::aws::policy::{ExpandError, expand_template};
use crate::aws::{managed_policies, policy_templates};
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::template::{Map, Value};

/// The transform this module stands in for.
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// What [`template`] made, and what it could not expand.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    pub template: Value,
    pub unexpanded: Vec<Unexpanded>,
}

/// A part of the template only SAM's transform can expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexpanded {
    /// Where it is, as a path of keys: `["Resources", "Api"]`, `["Globals"]`.
    pub path: Vec<String>,
    /// Why, in words.
    pub reason: String,
}

impl Unexpanded {
    fn new(path: &[&str], reason: impl Into<String>) -> Unexpanded {
        Unexpanded {
            path: path.iter().map(|p| (*p).to_owned()).collect(),
            reason: reason.into(),
        }
    }
}

/// Policy templates already expanded, each by its function's Logical ID and its position in the
/// function's `Policies`, for [`template_with`] to write instead of expanding them again.
#[derive(Debug, Default)]
pub struct Expansions {
    by_function: HashMap<String, Vec<(usize, Vec<Value>)>>,
}

impl Expansions {
    /// The statements the policy template at `Policies[n]` of function `function` expands to.
    pub fn insert(&mut self, function: &str, n: usize, statements: Vec<Value>) {
        match self.by_function.get_mut(function) {
            Some(list) => list.push((n, statements)),
            None => {
                self.by_function
                    .insert(function.to_owned(), vec![(n, statements)]);
            }
        }
    }

    fn take(&mut self, function: &str, n: usize) -> Option<Vec<Value>> {
        let list = self.by_function.get_mut(function)?;
        let at = list.iter().position(|(i, _)| *i == n)?;
        Some(list.swap_remove(at).1)
    }
}

/// The plain CloudFormation for SAM template `sam` (taken by value: what is not expanded is
/// moved, not copied).
pub fn template(sam: Value) -> Expanded {
    template_with(sam, &mut Expansions::default())
}

/// [`template`], taking each policy template's statements from `expanded` where they are
/// (the same statements [`crate::aws::policy::expand`] gives for the same entry).
pub fn template_with(sam: Value, expanded: &mut Expansions) -> Expanded {
    let mut unexpanded = Vec::new();
    let Value::Map(top) = sam else {
        unexpanded.push(Unexpanded::new(&[], "the template is not a mapping"));
        return Expanded {
            template: sam,
            unexpanded,
        };
    };
    let mut out = Map::with_capacity(top.len());
    for (key, value) in top {
        match key.as_str() {
            "Transform" => {
                if let Some(rest) = without_sam_transform(value) {
                    out.insert(key, rest);
                }
            }
            "Globals" => {
                unexpanded.push(Unexpanded::new(
                    &["Globals"],
                    "`Globals` is read by SAM's transform only",
                ));
                out.insert(key, value);
            }
            "Resources" => {
                let resources = match value {
                    Value::Map(resources) => resources,
                    other => {
                        unexpanded.push(Unexpanded::new(&["Resources"], "not a mapping"));
                        out.insert(key, other);
                        continue;
                    }
                };
                let mut written = Map::with_capacity(resources.len() * 2);
                for (id, resource) in resources {
                    resource_into(id.into(), resource, &mut written, &mut unexpanded, expanded);
                }
                out.insert(key, Value::Map(written));
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    Expanded {
        template: Value::Map(out),
        unexpanded,
    }
}

/// `Transform` without SAM's: `None` when nothing is left.
fn without_sam_transform(value: Value) -> Option<Value> {
    match value {
        Value::Str(s) if s == SAM_TRANSFORM => None,
        Value::Seq(items) => {
            let rest: Vec<Value> = items
                .into_iter()
                .filter(|t| !matches!(t, Value::Str(s) if s == SAM_TRANSFORM))
                .collect();
            match rest.len() {
                0 => None,
                1 => rest.into_iter().next(),
                _ => Some(Value::Seq(rest)),
            }
        }
        other => Some(other),
    }
}

fn resource_into(
    id: String,
    resource: Value,
    out: &mut Map,
    unexpanded: &mut Vec<Unexpanded>,
    expanded: &mut Expansions,
) {
    let kind = match &resource {
        Value::Map(r) => match r.get("Type") {
            Some(Value::Str(t)) => Some(t.as_str()),
            _ => None,
        },
        _ => None,
    };
    match kind {
        Some("AWS::Serverless::Function") => {
            if let Value::Map(r) = resource {
                function_into(&id, r, out, unexpanded, expanded);
            }
        }
        Some(t) if t.starts_with("AWS::Serverless::") => {
            let reason = format!("`{t}` is expanded by SAM's transform only");
            unexpanded.push(Unexpanded::new(&["Resources", &id], reason));
            out.insert(id.into(), resource);
        }
        _ => {
            out.insert(id.into(), resource);
        }
    }
}

/// The Lambda properties a SAM function property is written as when it is the same.
const SAME: &[&str] = &[
    "Architectures",
    "CodeSigningConfigArn",
    "Description",
    "Environment",
    "EphemeralStorage",
    "FileSystemConfigs",
    "FunctionName",
    "Handler",
    "KmsKeyArn",
    "Layers",
    "LoggingConfig",
    "MemorySize",
    "RecursiveLoop",
    "ReservedConcurrentExecutions",
    "Runtime",
    "Timeout",
];

/// The resource attributes SAM keeps on the function.
const ATTRIBUTES: &[&str] = &[
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "Metadata",
    "UpdatePolicy",
    "UpdateReplacePolicy",
];

/// The attributes SAM copies from a function onto the role and mappings it generates.
const PASSED_ON: &[&str] = &["Condition", "DeletionPolicy", "UpdateReplacePolicy"];

fn function_into(
    id: &str,
    mut resource: Map,
    out: &mut Map,
    unexpanded: &mut Vec<Unexpanded>,
    expanded: &mut Expansions,
) {
    let props = match resource.swap_remove("Properties") {
        Some(Value::Map(p)) => p,
        _ => Map::new(),
    };
    for key in resource.keys() {
        if key != "Type" && !ATTRIBUTES.contains(&key.as_str()) {
            unexpanded.push(Unexpanded::new(
                &["Resources", id, key],
                "an attribute stackwire does not write as plain CloudFormation",
            ));
        }
    }
    let role_id = concat(&[id, "Role"]);
    let (mut own_role, mut own_tags, mut policies, mut events) = (None, None, None, None);
    // `Tracing: Disabled` is as if there were none.
    let mut traced = false;
    let mut in_vpc = false;

    let mut lambda = Map::with_capacity(props.len() + 2);
    for (key, value) in props {
        match key.as_str() {
            "CodeUri" => {
                lambda.insert("Code".into(), code(value));
            }
            "Tracing" => {
                if !matches!(&value, Value::Str(s) if s == "Disabled") {
                    traced = true;
                    let mode = Value::map([("Mode", value)]);
                    lambda.insert("TracingConfig".into(), mode);
                }
            }
            "VpcConfig" => {
                in_vpc = true;
                lambda.insert(key, value);
            }
            "Policies" => policies = Some(value),
            "Events" => events = Some(value),
            "Role" => own_role = Some(value),
            "Tags" => own_tags = Some(value),
            k if SAME.contains(&k) => {
                lambda.insert(key, value);
            }
            _ => {
                let reason = format!("stackwire does not write `{key}` as plain CloudFormation");
                unexpanded.push(Unexpanded::new(
                    &["Resources", id, "Properties", &key],
                    reason,
                ));
            }
        }
    }
    let generated_role = own_role.is_none();
    lambda.insert(
        "Role".into(),
        own_role.unwrap_or_else(|| Value::get_att(&role_id, "Arn")),
    );
    lambda.insert("Tags".into(), tags(own_tags));

    // The role's managed policies and inline policies, as SAM orders them.
    let mut managed = vec![aws_managed(SamManaged::BasicExecution)];
    if traced {
        managed.push(aws_managed(SamManaged::XrayWrite));
    }
    if in_vpc {
        managed.push(aws_managed(SamManaged::VpcAccess));
    }
    let mut inline = Vec::new();
    let policies: Vec<Value> = match policies {
        Some(Value::Seq(items)) => items,
        Some(one @ (Value::Str(_) | Value::Map(_))) => vec![one],
        None => Vec::new(),
        Some(_) => {
            unexpanded.push(Unexpanded::new(
                &["Resources", id, "Properties", "Policies"],
                "neither a list, a name nor a document",
            ));
            Vec::new()
        }
    };
    for (n, policy) in policies.into_iter().enumerate() {
        match policy_entry(policy, || expanded.take(id, n)) {
            // SAM lists a managed policy once, however often it is named.
            Ok(Policy::Managed(arn)) => {
                if !managed.contains(&arn) {
                    managed.push(arn);
                }
            }
            Ok(Policy::Inline(document)) => inline.push(Value::map([
                ("PolicyName", Value::str(numbered(&role_id, "Policy", n))),
                ("PolicyDocument", document),
            ])),
            Err(reason) => unexpanded.push(Unexpanded::new(
                &["Resources", id, "Properties", "Policies", &n.to_string()],
                reason,
            )),
        }
    }

    // One event source mapping per event; SAM attaches the Kinesis execution role once.
    let mut mappings = Vec::new();
    let events = match events {
        Some(Value::Map(e)) => e,
        _ => Map::new(),
    };
    for (name, event) in events {
        let mapping_id = concat(&[id, &name]);
        match kinesis_event(id, &mapping_id, event) {
            Ok((mapping, grant)) => {
                let arn = aws_managed(SamManaged::KinesisExecution);
                if !managed.contains(&arn) {
                    managed.push(arn);
                }
                // SAM adds the destination's policy unless the role has the same document.
                if let Some(Value::Map(policy)) = grant {
                    let document = policy.get("PolicyDocument");
                    let present = inline.iter().any(|p| match p {
                        Value::Map(p) => p.get("PolicyDocument") == document,
                        _ => false,
                    });
                    if !present {
                        inline.push(Value::Map(policy));
                    }
                }
                mappings.push((mapping_id, mapping));
            }
            Err(reason) => unexpanded.push(Unexpanded::new(
                &["Resources", id, "Properties", "Events", &name],
                reason,
            )),
        }
    }

    let with_attributes = |kind: &'static str, attributes: &[&'static str], properties: Map| {
        let mut r = Map::with_capacity(2);
        r.insert("Type".into(), Value::str(kind));
        // What is left of the SAM resource is its `Type` and its attributes, if any.
        for a in attributes.iter().take_while(|_| resource.len() > 1) {
            if let Some(v) = resource.get(a) {
                r.insert((*a).into(), v.clone());
            }
        }
        r.insert("Properties".into(), Value::Map(properties));
        Value::Map(r)
    };

    out.insert(
        id.to_owned().into(),
        with_attributes("AWS::Lambda::Function", ATTRIBUTES, lambda),
    );
    if generated_role {
        let mut role = Map::with_capacity(4);
        role.insert("AssumeRolePolicyDocument".into(), assume_role());
        role.insert("ManagedPolicyArns".into(), Value::Seq(managed));
        if !inline.is_empty() {
            role.insert("Policies".into(), Value::Seq(inline));
        }
        role.insert("Tags".into(), tags(None));
        out.insert(
            role_id.into(),
            with_attributes("AWS::IAM::Role", PASSED_ON, role),
        );
    }
    for (mapping_id, mapping) in mappings {
        out.insert(
            mapping_id.into(),
            with_attributes("AWS::Lambda::EventSourceMapping", PASSED_ON, mapping),
        );
    }
}

/// The AWS managed policies SAM attaches itself.
#[derive(Clone, Copy)]
enum SamManaged {
    BasicExecution,
    XrayWrite,
    VpcAccess,
    KinesisExecution,
}

/// The ARN of a managed policy SAM attaches, in the partition the translator is run in (it
/// reads it from the Region): each made once for the process, and borrowed.
fn aws_managed(policy: SamManaged) -> Value {
    static ARNS: LazyLock<[String; 4]> = LazyLock::new(|| {
        [
            "service-role/AWSLambdaBasicExecutionRole",
            "AWSXrayWriteOnlyAccess",
            "service-role/AWSLambdaVPCAccessExecutionRole",
            "service-role/AWSLambdaKinesisExecutionRole",
        ]
        .map(|name| {
            concat(&[
                "arn:",
                managed_policies::PARTITION,
                ":iam::aws:policy/",
                name,
            ])
        })
    });
    let arns: &'static [String; 4] = &ARNS;
    let [basic, xray, vpc, kinesis] = arns;
    Value::str(
        match policy {
            SamManaged::BasicExecution => basic,
            SamManaged::XrayWrite => xray,
            SamManaged::VpcAccess => vpc,
            SamManaged::KinesisExecution => kinesis,
        }
        .as_str(),
    )
}

/// The parts, joined (what `format!` would make of them, without its formatting machinery: this
/// runs for every function).
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `<prefix><word><n>`.
fn numbered(prefix: &str, word: &str, n: usize) -> String {
    let mut out = String::with_capacity(prefix.len() + word.len() + 4);
    out.push_str(prefix);
    out.push_str(word);
    push_number(&mut out, n);
    out
}

fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    // A decimal digit.
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `CodeUri` as Lambda's `Code`.
fn code(uri: Value) -> Value {
    match uri {
        Value::Str(s) => match s.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
            Some((bucket, key)) => Value::map([
                ("S3Bucket", Value::str(bucket.to_owned())),
                ("S3Key", Value::str(key.to_owned())),
            ]),
            None => Value::Str(s),
        },
        Value::Map(mut m) => {
            let mut code = Map::new();
            for (from, to) in [
                ("Bucket", "S3Bucket"),
                ("Key", "S3Key"),
                ("Version", "S3ObjectVersion"),
            ] {
                if let Some(v) = m.swap_remove(from) {
                    code.insert(to.into(), v);
                }
            }
            Value::Map(code)
        }
        other => other,
    }
}

/// SAM's tag first, then the function's (`Tags` is a mapping in SAM, a list in Lambda and IAM).
fn tags(own: Option<Value>) -> Value {
    let tag = |k: Value, v: Value| Value::map([("Key", k), ("Value", v)]);
    static SAM_TAG: LazyLock<Map> = LazyLock::new(|| {
        Map::from_iter([
            ("Key", Value::str("lambda:createdBy")),
            ("Value", Value::str("SAM")),
        ])
    });
    let mut list = vec![Value::Map(Map::shared(&SAM_TAG))];
    if let Some(Value::Map(own)) = own {
        for (k, v) in own {
            list.push(tag(Value::Str(k), v));
        }
    }
    Value::Seq(list)
}

/// The trust policy of every role SAM generates for a function: one mapping, shared.
fn assume_role() -> Value {
    static DOCUMENT: LazyLock<Map> = LazyLock::new(|| {
        Map::from_iter([
            ("Version", Value::str("2012-10-17")),
            (
                "Statement",
                Value::Seq(vec![Value::map([
                    ("Action", Value::Seq(vec![Value::str("sts:AssumeRole")])),
                    ("Effect", Value::str("Allow")),
                    (
                        "Principal",
                        Value::map([(
                            "Service",
                            Value::Seq(vec![Value::str("lambda.amazonaws.com")]),
                        )]),
                    ),
                ])]),
            ),
        ])
    });
    Value::Map(Map::shared(&DOCUMENT))
}

enum Policy {
    /// An entry of `ManagedPolicyArns`.
    Managed(Value),
    /// A `PolicyDocument`.
    Inline(Value),
}

/// One entry of a function's `Policies`, as SAM reads it: a managed policy (an ARN, or the name
/// of an AWS managed policy, which becomes its ARN as SAM's bundled list has it), a policy
/// template (a mapping of one known template name), or a policy document.
///
/// `known` gives the template's statements when they are already expanded.
fn policy_entry(
    policy: Value,
    known: impl FnOnce() -> Option<Vec<Value>>,
) -> Result<Policy, String> {
    match policy {
        Value::Str(name) => Ok(Policy::Managed(match managed_policies::arn(&name) {
            Some(arn) => Value::str(arn),
            None => Value::Str(name),
        })),
        Value::Map(m) if m.len() == 1 => {
            let template = m
                .first()
                .and_then(|(name, params)| Some((policy_templates::find(name)?, params)));
            let Some((template, params)) = template else {
                return Ok(Policy::Inline(Value::Map(m)));
            };
            let empty = Map::new();
            let params = match params {
                Value::Map(p) => p,
                // SAM takes an empty value for a template without parameters.
                Value::Str(s) if s.is_empty() => &empty,
                _ => {
                    let name = template.name;
                    return Err(format!("the parameters of `{name}` are not a mapping"));
                }
            };
            let statements = match known() {
                Some(statements) => statements,
                None => {
                    expand_template(template, params).map_err(|e: ExpandError| e.to_string())?
                }
            };
            Ok(Policy::Inline(Value::map([(
                "Statement",
                Value::Seq(statements),
            )])))
        }
        Value::Map(_) => Ok(Policy::Inline(policy)),
        Value::Ref(_)
        | Value::Sub(_)
        | Value::GetAtt(_)
        | Value::If(..)
        | Value::Join(..)
        | Value::Tagged(..) => Ok(Policy::Managed(policy)),
        _ => Err("neither a policy name, a template nor a document".to_owned()),
    }
}

/// The managed policy ARN a `Policies` entry attaches, as SAM writes it into the role's
/// `ManagedPolicyArns` (a name resolved to its ARN; an intrinsic function as it is); `None` for
/// a policy template or an inline document, which become inline policies.
pub fn managed_policy(policy: &Value) -> Option<Value> {
    match policy {
        Value::Map(_) => None,
        other => match policy_entry(other.clone(), || None) {
            Ok(Policy::Managed(arn)) => Some(arn),
            _ => None,
        },
    }
}

/// The Kinesis event properties an event source mapping takes under the same name.
const MAPPING_SAME: &[&str] = &[
    "BatchSize",
    "BisectBatchOnFunctionError",
    "Enabled",
    "FilterCriteria",
    "FunctionResponseTypes",
    "KmsKeyArn",
    "MaximumBatchingWindowInSeconds",
    "MaximumRecordAgeInSeconds",
    "MaximumRetryAttempts",
    "MetricsConfig",
    "ParallelizationFactor",
    "StartingPosition",
    "StartingPositionTimestamp",
    "TumblingWindowInSeconds",
];

/// A `Kinesis` event's event source mapping `id`, and the inline policy SAM grants for its
/// `OnFailure` destination when it names the destination's `Type`.
fn kinesis_event(function: &str, id: &str, event: Value) -> Result<(Map, Option<Value>), String> {
    let Value::Map(mut event) = event else {
        return Err("not a mapping".to_owned());
    };
    match event.get("Type") {
        Some(Value::Str(t)) if t == "Kinesis" => {}
        Some(Value::Str(t)) => {
            return Err(format!(
                "stackwire writes `Kinesis` events as plain CloudFormation, not `{t}` events"
            ));
        }
        _ => return Err("no `Type`".to_owned()),
    }
    let props = match event.swap_remove("Properties") {
        Some(Value::Map(p)) => p,
        _ => Map::new(),
    };
    let mut mapping = Map::with_capacity(props.len() + 1);
    let mut grant = None;
    for (key, value) in props {
        match key.as_str() {
            "Stream" => {
                mapping.insert("EventSourceArn".into(), value);
                mapping.insert("FunctionName".into(), Value::Ref(function.to_owned()));
            }
            "DestinationConfig" => {
                let (config, statement) = destination(id, value)?;
                mapping.insert(key, config);
                grant = statement;
            }
            k if MAPPING_SAME.contains(&k) => {
                mapping.insert(key, value);
            }
            _ => {
                return Err(format!(
                    "stackwire does not write `{key}` as plain CloudFormation"
                ));
            }
        }
    }
    if !mapping.contains_key("EventSourceArn") {
        return Err("no `Stream`".to_owned());
    }
    Ok((mapping, grant))
}

/// `DestinationConfig` without SAM's `OnFailure.Type`, and the policy that type grants.
fn destination(mapping: &str, config: Value) -> Result<(Value, Option<Value>), String> {
    let Value::Map(config) = config else {
        return Err("`DestinationConfig` is not a mapping".to_owned());
    };
    let mut out = Map::new();
    let mut grant = None;
    for (key, value) in config {
        let Value::Map(mut on_failure) = value else {
            out.insert(key, value);
            continue;
        };
        if let Some(kind) = on_failure.shift_remove("Type") {
            let target = on_failure
                .get("Destination")
                .cloned()
                .unwrap_or(Value::str(""));
            grant = destination_grant(mapping, &kind, target)?;
        }
        out.insert(key, Value::Map(on_failure));
    }
    Ok((Value::Map(out), grant))
}

/// The inline policy SAM grants for `OnFailure.Type` (`samtranslator/model/iam.py`), named after
/// the mapping; none for `Kafka`.
fn destination_grant(mapping: &str, kind: &Value, target: Value) -> Result<Option<Value>, String> {
    let statement = |action: &'static str, resource: Value| {
        Value::map([
            ("Action", Value::str(action)),
            ("Effect", Value::str("Allow")),
            ("Resource", resource),
        ])
    };
    let (suffix, statements) = match kind {
        Value::Str(k) if k == "SQS" => ("SQSPolicy", vec![statement("sqs:SendMessage", target)]),
        Value::Str(k) if k == "SNS" => ("SNSPolicy", vec![statement("sns:publish", target)]),
        Value::Str(k) if k == "S3" => {
            let objects = Value::join("/", vec![target.clone(), Value::str("*")]);
            (
                "S3Policy",
                vec![
                    statement("s3:PutObject", objects),
                    statement("s3:ListBucket", target),
                ],
            )
        }
        Value::Str(k) if k == "Kafka" => return Ok(None),
        _ => return Err("an `OnFailure.Type` other than SQS, SNS, S3 and Kafka".to_owned()),
    };
    Ok(Some(Value::map([
        ("PolicyName", Value::str(concat(&[mapping, suffix]))),
        (
            "PolicyDocument",
            Value::map([("Statement", Value::Seq(statements))]),
        ),
    ])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Key;

    fn sam(resources: Value) -> Value {
        Value::map([
            ("AWSTemplateFormatVersion", Value::str("2010-09-09")),
            ("Transform", Value::str(SAM_TRANSFORM)),
            ("Resources", resources),
        ])
    }

    fn function(properties: Vec<(&'static str, Value)>) -> Value {
        let mut p = vec![
            ("CodeUri", Value::str("src/F")),
            ("Handler", Value::str("index.handler")),
            ("Runtime", Value::str("nodejs22.x")),
        ];
        p.extend(properties);
        Value::map([
            ("Type", Value::str("AWS::Serverless::Function")),
            ("Properties", Value::map(p)),
        ])
    }

    fn resources(expanded: &Expanded) -> &Map {
        match &expanded.template {
            Value::Map(t) => match t.get("Resources") {
                Some(Value::Map(r)) => r,
                other => panic!("no resources: {other:?}"),
            },
            other => panic!("not a mapping: {other:?}"),
        }
    }

    /// The resource `id` of `resources`, which the test expects there.
    fn at<'a>(resources: &'a Map, id: &str) -> &'a Value {
        match resources.get(id) {
            Some(r) => r,
            None => panic!("no resource {id}"),
        }
    }

    fn property<'a>(resource: &'a Value, key: &str) -> Option<&'a Value> {
        match resource {
            Value::Map(r) => match r.get("Properties") {
                Some(Value::Map(p)) => p.get(key),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn a_function_becomes_its_function_role_and_mappings() {
        let event = Value::map([
            ("Type", Value::str("Kinesis")),
            (
                "Properties",
                Value::map([
                    ("Stream", Value::get_att("S", "Arn")),
                    ("StartingPosition", Value::str("LATEST")),
                ]),
            ),
        ]);
        let expanded = template(sam(Value::map([(
            "F",
            function(vec![
                ("Tracing", Value::str("Active")),
                (
                    "Policies",
                    Value::Seq(vec![
                        Value::str("AmazonS3ReadOnlyAccess"),
                        Value::map([(
                            "KinesisStreamReadPolicy",
                            Value::map([("StreamName", Value::Ref("S".into()))]),
                        )]),
                        Value::str("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"),
                    ]),
                ),
                ("Events", Value::map([("S", event)])),
            ]),
        )])));
        assert_eq!(expanded.unexpanded, []);
        let Value::Map(top) = &expanded.template else {
            panic!("not a mapping")
        };
        assert!(!top.contains_key("Transform"));
        let r = resources(&expanded);
        let ids: Vec<&str> = r.keys().map(Key::as_str).collect();
        assert_eq!(ids, ["F", "FRole", "FS"]);
        assert_eq!(
            property(at(r, "F"), "Code"),
            Some(&Value::str("src/F")),
            "a local CodeUri stays a path"
        );
        assert_eq!(
            property(at(r, "F"), "Role"),
            Some(&Value::get_att("FRole", "Arn"))
        );
        assert_eq!(
            property(at(r, "F"), "TracingConfig"),
            Some(&Value::map([("Mode", Value::str("Active"))]))
        );
        // Basic execution, X-Ray (named twice, listed once), the function's, then Kinesis.
        let managed = Value::Seq(
            [
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
            ]
            .map(Value::str)
            .to_vec(),
        );
        assert_eq!(
            property(at(r, "FRole"), "ManagedPolicyArns"),
            Some(&managed)
        );
        // The inline policy is numbered by its place in `Policies`.
        let Some(Value::Seq(inline)) = property(at(r, "FRole"), "Policies") else {
            panic!("no inline policies")
        };
        let Value::Map(first) = &inline[0] else {
            panic!("not a mapping")
        };
        assert_eq!(first.get("PolicyName"), Some(&Value::str("FRolePolicy1")));
        assert_eq!(
            property(at(r, "FS"), "FunctionName"),
            Some(&Value::Ref("F".into()))
        );
        assert_eq!(
            property(at(r, "FS"), "EventSourceArn"),
            Some(&Value::get_att("S", "Arn"))
        );
    }

    #[test]
    fn code_in_s3_and_a_role_of_its_own() {
        let expanded = template(sam(Value::map([
            (
                "F",
                function(vec![
                    ("CodeUri", Value::str("s3://bucket/path/f.zip")),
                    ("Role", Value::str("arn:aws:iam::123456789012:role/r")),
                    ("Tracing", Value::str("Disabled")),
                ]),
            ),
            (
                "G",
                function(vec![(
                    "CodeUri",
                    Value::map([
                        ("Bucket", Value::str("b")),
                        ("Key", Value::str("k")),
                        ("Version", Value::str("3")),
                    ]),
                )]),
            ),
        ])));
        assert_eq!(expanded.unexpanded, []);
        let r = resources(&expanded);
        let ids: Vec<&str> = r.keys().map(Key::as_str).collect();
        assert_eq!(ids, ["F", "G", "GRole"], "no role for a function with one");
        assert_eq!(
            property(at(r, "F"), "Code"),
            Some(&Value::map([
                ("S3Bucket", Value::str("bucket")),
                ("S3Key", Value::str("path/f.zip")),
            ]))
        );
        assert_eq!(property(at(r, "F"), "TracingConfig"), None);
        assert_eq!(
            property(at(r, "G"), "Code"),
            Some(&Value::map([
                ("S3Bucket", Value::str("b")),
                ("S3Key", Value::str("k")),
                ("S3ObjectVersion", Value::str("3")),
            ]))
        );
    }

    /// What only SAM's transform expands is named, each at its place; the rest is expanded.
    #[test]
    fn what_needs_sam_is_named() {
        let schedule = Value::map([
            ("Type", Value::str("Schedule")),
            (
                "Properties",
                Value::map([("Schedule", Value::str("rate(1 day)"))]),
            ),
        ]);
        let mut t = match sam(Value::map([
            (
                "Api",
                Value::map([("Type", Value::str("AWS::Serverless::Api"))]),
            ),
            (
                "F",
                function(vec![
                    ("Events", Value::map([("Nightly", schedule)])),
                    ("AutoPublishAlias", Value::str("live")),
                ]),
            ),
            ("Q", Value::map([("Type", Value::str("AWS::SQS::Queue"))])),
        ])) {
            Value::Map(t) => t,
            _ => unreachable!(),
        };
        t.insert(
            "Globals".into(),
            Value::map([("Function", Value::map([("Timeout", Value::Int(3))]))]),
        );
        t.insert(
            "Transform".into(),
            Value::Seq(vec![
                Value::str("AWS::LanguageExtensions"),
                Value::str(SAM_TRANSFORM),
            ]),
        );
        let expanded = template(Value::Map(t));
        let places: Vec<String> = expanded
            .unexpanded
            .iter()
            .map(|u| u.path.join("/"))
            .collect();
        assert_eq!(
            places,
            [
                "Resources/Api",
                "Resources/F/Properties/AutoPublishAlias",
                "Resources/F/Properties/Events/Nightly",
                "Globals",
            ]
        );
        let r = resources(&expanded);
        let ids: Vec<&str> = r.keys().map(Key::as_str).collect();
        assert_eq!(ids, ["Api", "F", "FRole", "Q"]);
        let Value::Map(top) = &expanded.template else {
            panic!("not a mapping")
        };
        assert_eq!(
            top.get("Transform"),
            Some(&Value::str("AWS::LanguageExtensions")),
            "other transforms stay"
        );
    }

    #[test]
    fn an_unknown_policy_template_parameter_is_named() {
        let expanded = template(sam(Value::map([(
            "F",
            function(vec![(
                "Policies",
                Value::Seq(vec![Value::map([(
                    "KinesisCrudPolicy",
                    Value::map([("Stream", Value::str("s"))]),
                )])]),
            )]),
        )])));
        assert_eq!(expanded.unexpanded.len(), 1, "{:?}", expanded.unexpanded);
        assert_eq!(
            expanded.unexpanded[0].path.join("/"),
            "Resources/F/Properties/Policies/0"
        );
        assert!(expanded.unexpanded[0].reason.contains("StreamName"));
    }
}
