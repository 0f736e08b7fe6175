//! Stage 3: the checked stack -> the template model, with CloudFormation intrinsics.
//!
//! Runs only on a stack `check` accepted. Resources come in the stack's order, each stream's
//! fan-out consumers right after it; keys within a resource in a fixed order.

use crate::arn::{self, KmsKey};
use crate::format::model::{
    Access, Architecture, Body, Encryption, EnvValue, EventOptions, Existing, Function, Sp, Stream,
    StreamMode,
};
use crate::format::node::Node;
use crate::ids;
use crate::plan::Plan;
use crate::target::passthru;
use crate::template::{Map, Value};

pub fn lower(plan: &Plan<'_>) -> Value {
    let stack = plan.stack;
    let refs: Vec<Option<StreamRefs>> = stack
        .resources
        .iter()
        .map(|r| match &r.body {
            Body::Stream(s) => Some(StreamRefs::new(&r.id.value, s)),
            Body::Function(_) | Body::Unknown => None,
        })
        .collect();

    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), Value::str("2010-09-09"));
    template.insert("Transform".into(), Value::str("AWS::Serverless-2016-10-31"));
    if let Some(d) = &stack.description {
        template.insert("Description".into(), Value::str(&d.value));
    }

    // Streams some wire reads or writes. An existing stream from Parameter Store that no wire
    // uses needs no parameter (cfn-lint warns of a parameter nothing references).
    let mut wired = vec![false; stack.resources.len()];
    for (i, consumers) in plan.consumers.iter().enumerate() {
        let events = plan.events[i].iter().map(|e| e.stream);
        let discoveries = plan.discoveries[i].iter().map(|d| d.stream);
        for s in events.chain(discoveries) {
            wired[s] = true;
        }
        wired[i] |= !consumers.is_empty();
    }

    let mut env_config = Map::new();
    let mut parameters = Map::new();
    let mut conditions = Map::new();
    let mut resources = Map::new();
    for (i, r) in stack.resources.iter().enumerate() {
        let id = &r.id.value;
        match &r.body {
            Body::Stream(s) => {
                match s.existing.as_ref().map(|e| &e.value) {
                    Some(Existing::Arn(_)) => {}
                    Some(Existing::Env(_)) if !wired[i] => {}
                    Some(Existing::Env(path)) => {
                        let name = ids::env_parameter(&path.value);
                        let environment = plan.environment.unwrap_or_default();
                        let default = format!("/{environment}/{}", ids::env_path(&path.value));
                        parameters.insert(
                            name.clone().into(),
                            Value::map([
                                ("Type", Value::str("AWS::SSM::Parameter::Value<String>")),
                                ("Default", Value::str(default)),
                                (
                                    "Description",
                                    Value::str(format!(
                                        "ARN of the Kinesis stream for {id}, from Parameter Store"
                                    )),
                                ),
                            ]),
                        );
                        env_config.insert(name.into(), Value::str(&path.value));
                    }
                    Some(Existing::Parameter(param)) => {
                        parameters.insert(param.value.clone().into(), stream_parameter(id));
                        let condition = ids::create_condition(id);
                        conditions.insert(
                            condition.clone().into(),
                            Value::Equals(
                                Box::new(Value::Ref(param.value.clone())),
                                Box::new(Value::str("")),
                            ),
                        );
                        resources.insert(id.clone().into(), stream(s, Some(condition)));
                    }
                    None => {
                        resources.insert(id.clone().into(), stream(s, None));
                    }
                }
                for f in &plan.consumers[i] {
                    let function = &stack.resources[*f].id.value;
                    let arn = refs[i]
                        .as_ref()
                        .map_or(Value::Ref(id.clone()), |r| r.arn.clone());
                    resources.insert(ids::consumer(id, function).into(), consumer(function, arn));
                }
            }
            Body::Function(f) => {
                let function = function(plan, i, f, &refs);
                resources.insert(id.clone().into(), function);
            }
            Body::Unknown => {}
        }
    }

    if !env_config.is_empty() {
        let metadata = Value::map([("EnvConfigParameters", Value::Map(env_config))]);
        template.insert("Metadata".into(), metadata);
    }
    if !parameters.is_empty() {
        template.insert("Parameters".into(), Value::Map(parameters));
    }
    if !conditions.is_empty() {
        template.insert("Conditions".into(), Value::Map(conditions));
    }
    template.insert("Resources".into(), Value::Map(resources));
    Value::Map(passthru::merge_sections(template, stack))
}

/// How the rest of the template names a stream: its ARN, its name, and its KMS key.
struct StreamRefs {
    arn: Value,
    name: Value,
    key: Option<String>,
}

impl StreamRefs {
    fn new(id: &str, s: &Stream) -> StreamRefs {
        let key = match s.encryption.as_ref().map(|e| &e.value) {
            Some(Encryption::Key(k)) if !arn::is_aws_managed_alias(k) => Some(k.clone()),
            _ => None,
        };
        let name_from =
            |arn: Value| Value::Select(1, Box::new(Value::Split("/".into(), Box::new(arn))));
        match s.existing.as_ref().map(|e| &e.value) {
            None => StreamRefs {
                arn: Value::get_att(id, "Arn"),
                name: Value::Ref(id.to_owned()),
                key,
            },
            Some(Existing::Arn(text)) => StreamRefs {
                arn: Value::str(text.to_owned()),
                name: Value::str(arn::kinesis_stream_name(text).unwrap_or(text).to_owned()),
                key: None,
            },
            Some(Existing::Env(path)) => {
                let param = Value::Ref(ids::env_parameter(&path.value));
                StreamRefs {
                    arn: param.clone(),
                    name: name_from(param),
                    key,
                }
            }
            Some(Existing::Parameter(name)) => {
                let condition = ids::create_condition(id);
                let param = Value::Ref(name.value.clone());
                StreamRefs {
                    arn: Value::If(
                        condition.clone(),
                        Box::new(Value::get_att(id, "Arn")),
                        Box::new(param.clone()),
                    ),
                    name: Value::If(
                        condition,
                        Box::new(Value::Ref(id.to_owned())),
                        Box::new(name_from(param)),
                    ),
                    key,
                }
            }
        }
    }
}

fn stream_parameter(id: &str) -> Value {
    Value::map([
        ("Type", Value::str("String")),
        ("Default", Value::str("")),
        (
            "AllowedPattern",
            Value::str("^(arn:[a-z-]+:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]+)?$"),
        ),
        (
            "Description",
            Value::str(format!(
                "ARN of an existing Kinesis stream to use for {id}; leave empty to create a new stream"
            )),
        ),
    ])
}

fn stream(s: &Stream, condition: Option<String>) -> Value {
    let mut r = Map::new();
    r.insert("Type".into(), Value::str("AWS::Kinesis::Stream"));
    if let Some(c) = condition {
        r.insert("Condition".into(), Value::str(c));
    }
    if s.retain.as_ref().is_none_or(|r| r.value) {
        r.insert("DeletionPolicy".into(), Value::str("Retain"));
        r.insert("UpdateReplacePolicy".into(), Value::str("Retain"));
    }
    let mut p = Map::new();
    if let Some(raw) = s.intrinsic_for("name") {
        p.insert("Name".into(), raw.value.clone());
    } else if let Some(name) = &s.name {
        p.insert("Name".into(), Value::maybe_sub(&name.value));
    }
    let on_demand = s
        .mode
        .as_ref()
        .is_some_and(|m| m.value == StreamMode::OnDemand);
    if let Some(raw) = s.intrinsic_for("shardCount") {
        p.insert("ShardCount".into(), raw.value.clone());
    } else if !on_demand {
        let shards = s.shard_count.as_ref().map_or(1, |c| c.value);
        p.insert("ShardCount".into(), Value::int(shards));
    }
    if let Some(mode) = &s.mode {
        let mode = match mode.value {
            StreamMode::Provisioned => "PROVISIONED",
            StreamMode::OnDemand => "ON_DEMAND",
        };
        p.insert(
            "StreamModeDetails".into(),
            Value::map([("StreamMode", Value::str(mode))]),
        );
    }
    if let Some(raw) = s.intrinsic_for("retentionHours") {
        p.insert("RetentionPeriodHours".into(), raw.value.clone());
    } else if let Some(hours) = &s.retention_hours {
        p.insert("RetentionPeriodHours".into(), Value::int(hours.value));
    }
    let key = match s.encryption.as_ref().map(|e| &e.value) {
        None | Some(Encryption::Aws) => Some("alias/aws/kinesis"),
        Some(Encryption::None) => None,
        Some(Encryption::Key(k)) => Some(k.as_str()),
    };
    if let Some(key) = key {
        p.insert(
            "StreamEncryption".into(),
            Value::map([
                ("EncryptionType", Value::str("KMS")),
                ("KeyId", Value::str(key.to_owned())),
            ]),
        );
    }
    if !s.tags.is_empty() {
        let mut tags: Vec<&(Sp<String>, Sp<String>)> = s.tags.iter().collect();
        tags.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        let tags = tags
            .into_iter()
            .map(|(k, v)| {
                Value::map([
                    ("Key", Value::literal(&k.value)),
                    ("Value", Value::literal(&v.value)),
                ])
            })
            .collect();
        p.insert("Tags".into(), Value::Seq(tags));
    }
    passthru::merge_properties(&mut p, &s.properties);
    r.insert("Properties".into(), Value::Map(p));
    Value::Map(r)
}

fn consumer(function: &str, stream_arn: Value) -> Value {
    Value::map([
        ("Type", Value::str("AWS::Kinesis::StreamConsumer")),
        (
            "Properties",
            Value::map([
                (
                    "ConsumerName",
                    Value::Sub(format!("${{AWS::StackName}}-{function}")),
                ),
                ("StreamARN", stream_arn),
            ]),
        ),
    ])
}

fn function(plan: &Plan<'_>, i: usize, f: &Function, refs: &[Option<StreamRefs>]) -> Value {
    let stack = plan.stack;
    let id = &stack.resources[i].id.value;
    let mut p = Map::new();
    if let Some(raw) = f.intrinsic_for("name") {
        p.insert("FunctionName".into(), raw.value.clone());
    } else if let Some(name) = &f.name {
        p.insert("FunctionName".into(), Value::maybe_sub(&name.value));
    }
    if let Some(raw) = f.intrinsic_for("description") {
        p.insert("Description".into(), raw.value.clone());
    } else if let Some(d) = &f.description {
        p.insert("Description".into(), Value::literal(&d.value));
    }
    // `--code-bucket`: code that is a local folder is already in S3, one zip per function named
    // after its folder; an `s3://` URI or an S3 location stays as the user wrote it.
    let source = match &f.source_location {
        Some(raw) => raw.value.clone(),
        None => {
            let path = f
                .source
                .as_ref()
                .map_or_else(|| format!("src/{id}"), |s| s.value.clone());
            match plan.code_bucket {
                Some(bucket) if !path.starts_with("s3://") => {
                    Value::str(format!("s3://{bucket}/{}", code_key(&path)))
                }
                _ => Value::str(path),
            }
        }
    };
    p.insert("CodeUri".into(), source);
    if let Some(h) = &f.handler {
        p.insert("Handler".into(), Value::literal(&h.value));
    }
    if let Some(r) = &f.runtime {
        p.insert("Runtime".into(), Value::str(&r.value));
    }
    if let Some(a) = &f.architecture {
        let arch = match a.value {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        };
        p.insert("Architectures".into(), Value::Seq(vec![Value::str(arch)]));
    }
    if let Some(raw) = f.intrinsic_for("memory") {
        p.insert("MemorySize".into(), raw.value.clone());
    } else if let Some(m) = &f.memory {
        p.insert("MemorySize".into(), Value::int(m.value));
    }
    if let Some(raw) = f.intrinsic_for("timeout") {
        p.insert("Timeout".into(), raw.value.clone());
    } else if let Some(t) = &f.timeout {
        p.insert("Timeout".into(), Value::int(t.value));
    }
    if f.tracing.as_ref().is_some_and(|t| t.value) {
        p.insert("Tracing".into(), Value::str("Active"));
    }

    let stream_refs = |s: usize| refs.get(s).and_then(Option::as_ref);
    let mut variables = Map::new();
    for (k, v) in &f.environment {
        let value = match v {
            EnvValue::Text(text) => Value::literal(&text.value),
            EnvValue::Raw(raw) => raw.value.clone(),
        };
        variables.insert(k.value.clone().into(), value);
    }
    let mut policies = Vec::new();
    let mut statements = Vec::new();
    let mut kms = KmsGrants::default();
    for d in &plan.discoveries[i] {
        let Some(r) = stream_refs(d.stream) else {
            continue;
        };
        variables.insert(d.name_var.clone().into(), r.name.clone());
        variables.insert(d.arn_var.clone().into(), r.arn.clone());
        let created =
            matches!(&stack.resources[d.stream].body, Body::Stream(s) if s.existing.is_none());
        if created && d.access == Access::ReadWrite {
            let name = Value::map([("StreamName", r.name.clone())]);
            policies.push(Value::map([("KinesisCrudPolicy", name.clone())]));
            policies.push(Value::map([("KinesisStreamReadPolicy", name)]));
        } else {
            statements.push(access_statement(d.access, r.arn.clone()));
        }
        if let Some(key) = &r.key {
            if d.access.reads() {
                kms.add(key, "kms:Decrypt");
            }
            if d.access.writes() {
                kms.add(key, "kms:GenerateDataKey");
            }
        }
    }
    let mut events = Map::new();
    for e in &plan.events[i] {
        let stream_id = &stack.resources[e.stream].id.value;
        let Some(r) = stream_refs(e.stream) else {
            continue;
        };
        let fan_out = e.options.fan_out.as_ref().is_some_and(|b| b.value);
        let source = if fan_out {
            let consumer_arn = Value::get_att(&ids::consumer(stream_id, id), "ConsumerARN");
            statements.push(Value::map([
                ("Effect", Value::str("Allow")),
                (
                    "Action",
                    Value::Seq(vec![
                        Value::str("kinesis:SubscribeToShard"),
                        Value::str("kinesis:DescribeStreamConsumer"),
                    ]),
                ),
                ("Resource", consumer_arn.clone()),
            ]));
            consumer_arn
        } else {
            r.arn.clone()
        };
        if let Some(key) = &r.key {
            kms.add(key, "kms:Decrypt");
        }
        // Beside a stream ARN written out, cfn-lint checks the event against the event source
        // mapping's schema, which has no `OnFailure.Type`: there the grant SAM would add for the
        // type is written here instead, and the type left out.
        let literal_stream = matches!(source, Value::Str(_));
        if literal_stream && let Some(dest) = &e.options.on_failure {
            statements.extend(destination_grants(&dest.value));
        }
        let name = e.options.name.as_ref().map_or(stream_id, |n| &n.value);
        let mut event = event(source, e.options, !literal_stream);
        passthru::merge_event_properties(&mut event, &e.options.properties);
        events.insert(name.clone().into(), event);
    }
    statements.extend(kms.statements());
    if !statements.is_empty() {
        policies.push(Value::map([
            ("Version", Value::str("2012-10-17")),
            ("Statement", Value::Seq(statements)),
        ]));
    }
    passthru::add_own_policies(&mut policies, f);

    if !variables.is_empty() {
        p.insert(
            "Environment".into(),
            Value::map([("Variables", Value::Map(variables))]),
        );
    }
    if !policies.is_empty() {
        p.insert("Policies".into(), Value::Seq(policies));
    }
    if !events.is_empty() {
        p.insert("Events".into(), Value::Map(events));
    }
    passthru::merge_properties(&mut p, &f.properties);
    Value::map([
        ("Type", Value::str("AWS::Serverless::Function")),
        ("Properties", Value::Map(p)),
    ])
}

/// The S3 key of a function's code under `--code-bucket`: its source without `.` steps or
/// trailing slashes, and `.zip` (`./src/Orders/` -> `src/Orders.zip`), unless the source is
/// already a `.zip` or `.jar` file, which is uploaded as it is.
fn code_key(source: &str) -> String {
    let parts: Vec<&str> = source
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let path = parts.join("/");
    if path.ends_with(".zip") || path.ends_with(".jar") {
        path
    } else {
        format!("{path}.zip")
    }
}

/// What a discovery wire grants on a stream, by the stream's ARN (so a stream in another account
/// or Region is granted too). `read`: what a reader needs, by `GetRecords` or as a consumer
/// library does (find the shards, take an iterator, read). `write`: `PutRecord`, `PutRecords`
/// and what a producer needs to find the shards. Neither creates, deletes, reshards, re-tags or
/// changes retention. `readWrite` (here: a stream the stack does not always create) grants the
/// stream's actions of SAM's `KinesisCrudPolicy` and `KinesisStreamReadPolicy`, as for a
/// stream the stack creates.
fn access_statement(access: Access, arn: Value) -> Value {
    let actions: &[&str] = match access {
        Access::Read => &[
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
        ],
        Access::Write => &[
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
        ],
        Access::ReadWrite => return stream_statement(read_write_actions(), arn),
    };
    stream_statement(actions.to_vec(), arn)
}

fn stream_statement(actions: Vec<&'static str>, arn: Value) -> Value {
    Value::map([
        ("Effect", Value::str("Allow")),
        (
            "Action",
            Value::Seq(actions.into_iter().map(Value::str).collect()),
        ),
        ("Resource", arn),
    ])
}

/// What `KinesisCrudPolicy` and `KinesisStreamReadPolicy` grant on the one stream they name
/// (not their account-wide `stream/*` statement), sorted: read from SAM's policy templates as
/// the pinned translator ships them.
fn read_write_actions() -> Vec<&'static str> {
    use crate::aws::{Json, policy_templates};
    let mut actions: Vec<&'static str> = ["KinesisCrudPolicy", "KinesisStreamReadPolicy"]
        .into_iter()
        .filter_map(policy_templates::find)
        .flat_map(|t| t.statement)
        .filter_map(|statement| {
            let Json::Map(entries) = statement else {
                return None;
            };
            let field = |name: &str| entries.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
            // The one stream: a `Fn::Sub` with the stream's name as a variable (a list), not
            // the plain `stream/*` text.
            let one_stream = matches!(
                field("Resource"),
                Some(Json::Map([("Fn::Sub", Json::Seq(_))]))
            );
            match field("Action") {
                Some(Json::Seq(list)) if one_stream => Some(list.iter()),
                _ => None,
            }
        })
        .flatten()
        .filter_map(|action| match action {
            Json::Str(a) => Some(*a),
            _ => None,
        })
        .collect();
    actions.sort_unstable();
    actions.dedup();
    actions
}

/// What SAM grants for `OnFailure.Type`: sending to the queue, publishing to the topic, or
/// writing into the bucket.
fn destination_grants(destination: &str) -> Vec<Value> {
    let allow = |action: &'static str, resource: Value| {
        Value::map([
            ("Effect", Value::str("Allow")),
            ("Action", Value::str(action)),
            ("Resource", resource),
        ])
    };
    match arn::destination(destination) {
        Some(arn::Destination::Sqs) => {
            vec![allow("sqs:SendMessage", Value::str(destination.to_owned()))]
        }
        Some(arn::Destination::Sns) => {
            vec![allow("sns:Publish", Value::str(destination.to_owned()))]
        }
        Some(arn::Destination::S3) => vec![
            allow("s3:PutObject", Value::str(format!("{destination}/*"))),
            allow("s3:ListBucket", Value::str(destination.to_owned())),
        ],
        None => Vec::new(),
    }
}

/// The Kinesis event; `destination_type` writes SAM's `OnFailure.Type`.
fn event(stream: Value, e: &EventOptions, destination_type: bool) -> Value {
    let position = e
        .starting_position
        .as_ref()
        .map_or("TRIM_HORIZON", |s| s.value.name());
    let int = |v: &Option<Sp<i128>>| v.as_ref().map(|v| Value::int(v.value));
    let bool = |v: &Option<Sp<bool>>| v.as_ref().map(|v| Value::Bool(v.value));
    let optional = [
        (
            "StartingPositionTimestamp",
            int(&e.starting_position_timestamp),
        ),
        (
            "BatchSize",
            Some(Value::int(e.batch_size.as_ref().map_or(1, |b| b.value))),
        ),
        ("MaximumBatchingWindowInSeconds", int(&e.batch_window)),
        ("ParallelizationFactor", int(&e.parallelization)),
        ("MaximumRetryAttempts", int(&e.retries)),
        ("MaximumRecordAgeInSeconds", int(&e.max_record_age)),
        ("BisectBatchOnFunctionError", bool(&e.bisect_on_error)),
        ("TumblingWindowInSeconds", int(&e.tumbling_window)),
    ];
    let report_failures = e
        .report_batch_item_failures
        .as_ref()
        .is_some_and(|b| b.value);
    // The properties written, counted first: a stack has an event per wire, and a mapping
    // grown a push at a time holds twice the room it needs.
    let written = [
        report_failures,
        e.on_failure.is_some(),
        e.filters.is_some(),
        e.enabled.is_some(),
    ];
    let len = 2
        + optional.iter().filter(|(_, v)| v.is_some()).count()
        + written.iter().filter(|w| **w).count();
    let mut p = Map::with_capacity(len);
    p.insert("Stream".into(), stream);
    p.insert("StartingPosition".into(), Value::str(position));
    for (key, value) in optional {
        if let Some(value) = value {
            p.insert(key.into(), value);
        }
    }
    if report_failures {
        let types = Value::Seq(vec![Value::str("ReportBatchItemFailures")]);
        p.insert("FunctionResponseTypes".into(), types);
    }
    if let Some(dest) = &e.on_failure {
        let mut on_failure = Map::new();
        if destination_type {
            let kind = arn::destination(&dest.value).map_or("SQS", |d| d.sam_type());
            on_failure.insert("Type".into(), Value::str(kind));
        }
        on_failure.insert("Destination".into(), Value::str(&dest.value));
        let on_failure = Value::Map(on_failure);
        p.insert(
            "DestinationConfig".into(),
            Value::map([("OnFailure", on_failure)]),
        );
    }
    if let Some(filters) = &e.filters {
        let patterns = filters
            .value
            .iter()
            .filter_map(|f| Node::json_text(f).ok())
            .map(|json| Value::map([("Pattern", Value::literal(&json))]))
            .collect();
        p.insert(
            "FilterCriteria".into(),
            Value::map([("Filters", Value::Seq(patterns))]),
        );
    }
    if let Some(enabled) = bool(&e.enabled) {
        p.insert("Enabled".into(), enabled);
    }
    Value::map([
        ("Type", Value::str("Kinesis")),
        ("Properties", Value::Map(p)),
    ])
}

/// The KMS actions a function needs, per key, in the order the wires ask for them.
#[derive(Default)]
struct KmsGrants {
    keys: Vec<(String, Vec<&'static str>)>,
}

impl KmsGrants {
    fn add(&mut self, key: &str, action: &'static str) {
        match self.keys.iter_mut().find(|(k, _)| k == key) {
            Some((_, actions)) if actions.contains(&action) => {}
            Some((_, actions)) => actions.push(action),
            None => self.keys.push((key.to_owned(), vec![action])),
        }
    }

    fn statements(self) -> impl Iterator<Item = Value> {
        self.keys.into_iter().filter_map(|(key, mut actions)| {
            actions.sort_unstable();
            let actions = Value::Seq(actions.into_iter().map(Value::str).collect());
            let account_keys = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key";
            let (resource, alias) = match arn::kms_key(&key)? {
                KmsKey::KeyArn(a) => (Value::str(a.to_owned()), None),
                KmsKey::KeyId(id) => (Value::Sub(format!("{account_keys}/{id}")), None),
                KmsKey::Alias { name, arn: None } => {
                    (Value::Sub(format!("{account_keys}/*")), Some(name))
                }
                KmsKey::Alias { name, arn: Some(a) } => (
                    Value::str(format!(
                        "arn:{}:kms:{}:{}:key/*",
                        a.partition, a.region, a.account
                    )),
                    Some(name),
                ),
            };
            let mut s = Map::new();
            s.insert("Effect".into(), Value::str("Allow"));
            s.insert("Action".into(), actions);
            s.insert("Resource".into(), resource);
            if let Some(alias) = alias {
                let aliases = Value::map([("kms:ResourceAliases", Value::str(alias.to_owned()))]);
                s.insert(
                    "Condition".into(),
                    Value::map([("ForAnyValue:StringEquals", aliases)]),
                );
            }
            Some(Value::Map(s))
        })
    }
}
