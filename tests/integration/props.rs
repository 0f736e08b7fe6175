//! Property tests: random valid stacks, written as text the way a user would, always compile.
//!
//! The generator covers every key of the format: streams created (with every option), existing by
//! ARN, by environment (Parameter Store) and by template parameter; functions with every option;
//! solid wires (Stream -> Function event source mappings, every option, fan-out) and dashed wires
//! (Function -> Stream access, with and without variable names). Logical IDs are random within
//! the rules. Stacks that break a rule spanning several resources are left out (`Spec::is_valid`):
//! IDs that collide with the IDs SAM and stackwire generate, names used twice, variable names
//! claimed twice, nothing to create; each of those is an error with its `fixtures/err` example.
//!
//! For every stack: it compiles with no error; compiling again gives the same bytes; the template
//! reads back as YAML (serde-saphyr), and every resource and every wire is in it with the values
//! the stack gave. A sample of the templates then goes through cfn-lint and AWS's SAM translator
//! in one batch (see `conformance.rs`): no error, no warning. Another sample, from a fixed seed,
//! is compiled with `--target cloudformation` and compared with what the translator writes.
//!
//! `PROPTEST_CASES=N` runs N stacks instead of the default.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value as Json, json};
use stackwire::limits::{MAX_TAG_VALUE, MAX_TAGS};

use crate::support as conformance;

/// Stacks per run (unless `PROPTEST_CASES` says otherwise), and how many of them go through
/// cfn-lint and the SAM translator.
const CASES: u32 = 200;
const LINTED: usize = 60;
/// How many stacks go through the CloudFormation target's comparison with the translator.
const CLOUDFORMATION_SAMPLE: usize = 40;

const REGIONS: &[&str] = &["us-east-1", "eu-west-2", "ap-southeast-1", "sa-east-1"];

// ---------------------------------------------------------------------------------------------
// The model of a valid stack, as the generator builds it.

#[derive(Debug, Clone)]
struct Spec {
    stack: Option<String>,
    description: Option<String>,
    streams: Vec<StreamSpec>,
    functions: Vec<FunctionSpec>,
    events: Vec<EventSpec>,
    discoveries: Vec<DiscoverySpec>,
    /// Resources in file order: `(is_function, index)`.
    order: Vec<(bool, usize)>,
    /// Wires in file order: `(is_discovery, index)`.
    wire_order: Vec<(bool, usize)>,
    /// `--environment`, needed by `existing: {env: ...}`.
    environment: Option<String>,
}

#[derive(Debug, Clone)]
struct StreamSpec {
    id: String,
    kind: StreamKind,
}

#[derive(Debug, Clone)]
enum StreamKind {
    New(NewStream),
    Arn(String),
    Env {
        path: String,
        encryption: Option<String>,
    },
    Parameter {
        name: String,
        new: NewStream,
    },
}

#[derive(Debug, Clone)]
struct NewStream {
    name: Option<String>,
    mode: Option<&'static str>,
    shard_count: Option<u32>,
    retention_hours: Option<u32>,
    encryption: Option<String>,
    retain: Option<bool>,
    tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
struct FunctionSpec {
    id: String,
    runtime: String,
    handler: String,
    source: Option<String>,
    name: Option<String>,
    memory: Option<u32>,
    timeout: Option<u32>,
    architecture: Option<&'static str>,
    tracing: Option<bool>,
    description: Option<String>,
    environment: Vec<(String, String)>,
    policies: Vec<String>,
}

#[derive(Debug, Clone)]
struct EventSpec {
    stream: usize,
    function: usize,
    kind: bool,
    batch_size: Option<u32>,
    starting: Option<(&'static str, Option<i64>)>,
    batch_window: Option<u32>,
    parallelization: Option<u32>,
    retries: Option<i32>,
    max_record_age: Option<i32>,
    bisect_on_error: Option<bool>,
    tumbling_window: Option<u32>,
    report_batch_item_failures: Option<bool>,
    on_failure: Option<(String, &'static str)>,
    filters: Option<Vec<Json>>,
    enabled: Option<bool>,
    fan_out: Option<bool>,
}

#[derive(Debug, Clone)]
struct DiscoverySpec {
    function: usize,
    stream: usize,
    kind: bool,
    access: Option<&'static str>,
    env_name: Option<String>,
    env_arn: Option<String>,
}

impl EventSpec {
    fn fans_out(&self) -> bool {
        self.fan_out == Some(true)
    }
}

impl Spec {
    fn env_parameter(path: &str) -> String {
        let alnum: String = path.chars().filter(char::is_ascii_alphanumeric).collect();
        format!("EnvConfig{alnum}AsString")
    }

    /// Whether a wire reads or writes the stream at `index`.
    fn is_wired(&self, index: usize) -> bool {
        self.events.iter().any(|e| e.stream == index)
            || self.discoveries.iter().any(|d| d.stream == index)
    }

    /// Whether the stack is valid by the rules the generator does not build in: no ID (of a
    /// resource, of what SAM or stackwire generate, of a parameter) used twice, and variable
    /// names that do not collide.
    fn is_valid(&self) -> bool {
        // Something to create (`stackwire::nothing_created`).
        let creates = !self.functions.is_empty()
            || self
                .streams
                .iter()
                .any(|s| matches!(s.kind, StreamKind::New(_) | StreamKind::Parameter { .. }));
        if !creates {
            return false;
        }
        let mut lower = BTreeSet::new();
        let mut taken = BTreeSet::new();
        let fresh = |id: String, taken: &mut BTreeSet<String>| id.len() <= 255 && taken.insert(id);
        for id in self
            .streams
            .iter()
            .map(|s| &s.id)
            .chain(self.functions.iter().map(|f| &f.id))
        {
            if !lower.insert(id.to_ascii_lowercase()) || !fresh(id.clone(), &mut taken) {
                return false;
            }
        }
        for f in &self.functions {
            if !fresh(format!("{}Role", f.id), &mut taken) {
                return false;
            }
        }
        for e in &self.events {
            let (s, f) = (&self.streams[e.stream].id, &self.functions[e.function].id);
            if !fresh(format!("{f}{s}"), &mut taken) {
                return false;
            }
            // The consumer is named `${AWS::StackName}-<Function>`, at most 128 characters.
            if e.fans_out() && (f.len() > 95 || !fresh(format!("{s}{f}Consumer"), &mut taken)) {
                return false;
            }
        }
        let mut env_paths = BTreeSet::new();
        for s in &self.streams {
            // Streams reading one environment path share its parameter.
            let parameter = match &s.kind {
                StreamKind::Env { path, .. } if env_paths.insert(path.clone()) => {
                    Self::env_parameter(path)
                }
                StreamKind::Parameter { name, .. } => name.clone(),
                _ => continue,
            };
            if !fresh(parameter, &mut taken) {
                return false;
            }
        }
        // Physical names: one stream, one function of a name (`stackwire::duplicate_name`).
        let mut stream_names = BTreeSet::new();
        for s in &self.streams {
            if let StreamKind::New(n) | StreamKind::Parameter { new: n, .. } = &s.kind
                && let Some(name) = &n.name
                && !stream_names.insert(name)
            {
                return false;
            }
        }
        let mut function_names = BTreeSet::new();
        for name in self.functions.iter().filter_map(|f| f.name.as_ref()) {
            if !function_names.insert(name) {
                return false;
            }
        }
        for (i, f) in self.functions.iter().enumerate() {
            let mut names: BTreeSet<&str> = f.environment.iter().map(|(k, _)| k.as_str()).collect();
            for d in self.discoveries.iter().filter(|d| d.function == i) {
                for v in [&d.env_name, &d.env_arn].into_iter().flatten() {
                    if !names.insert(v) {
                        return false;
                    }
                }
            }
        }
        true
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies.

fn logical_id() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[A-Z][A-Za-z0-9]{0,12}",
        2 => "[a-z0-9][A-Za-z0-9]{0,6}",
        1 => "[A-Za-z0-9]{100,120}",
    ]
}

/// Text a user might write anywhere a free string goes: the tricky ones for YAML readers first.
fn text(max: usize) -> impl Strategy<Value = String> {
    let tricky = [
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "n",
        "null",
        "~",
        "true",
        "False",
        "123",
        "-1",
        "0x1F",
        "0o17",
        "1e3",
        "1_000",
        ".5",
        ".inf",
        "1:30",
        "2001-01-01",
        "#x",
        "- a",
        "a: b",
        "a #b",
        "@x",
        "`x",
        "'q'",
        "\"dq\"",
        "a\nb",
        " lead",
        "trail ",
        "",
        "${AWS::Region}",
        "${x",
        "$ {x}",
        "!Ref X",
        "*alias",
        "&anchor",
        "%x",
        "|",
        ">",
        "[]",
        "{}",
        ",",
        "?",
        "é",
        "日本語",
        "tab\there",
        "a, b",
        "a:b",
        "=",
        "<<",
        "\u{2028}",
        "emoji \u{1F600}",
    ];
    let tricky: Vec<String> = tricky.iter().map(|s| (*s).to_owned()).collect();
    prop_oneof![
        2 => proptest::sample::select(tricky),
        2 => "[ -~]{0,24}",
        1 => "\\PC{0,12}",
    ]
    .prop_filter("too long", move |s| s.len() <= max)
}

fn region() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(REGIONS)
}

fn kms_key() -> impl Strategy<Value = String> {
    let uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    prop_oneof![
        Just("aws".to_owned()),
        Just("none".to_owned()),
        Just("alias/aws/kinesis".to_owned()),
        (region(), "[0-9]{12}", uuid)
            .prop_map(|(r, a, id)| format!("arn:aws:kms:{r}:{a}:key/{id}")),
        uuid.prop_map(|s| s.to_owned()),
        "mrk-[0-9a-f]{32}".prop_map(|s| s.to_owned()),
        "alias/[A-Za-z0-9_-][A-Za-z0-9/_-]{0,20}".prop_map(|s| s.to_owned()),
        (region(), "[0-9]{12}", "[A-Za-z0-9_-]{1,20}")
            .prop_map(|(r, a, n)| format!("arn:aws:kms:{r}:{a}:alias/{n}")),
    ]
}

fn new_stream() -> impl Strategy<Value = NewStream> {
    let name = prop_oneof![
        "[A-Za-z0-9_.-]{1,40}".prop_map(|s| s.to_owned()),
        // `${AWS::StackName}` counts as 32 characters (`check::STACK_NAME_ROOM`).
        "[A-Za-z0-9_.-]{1,95}".prop_map(|s| format!("${{AWS::StackName}}-{s}")),
        Just("${AWS::StackName}".to_owned()),
    ];
    let mode_and_shards = prop_oneof![
        proptest::option::of(1..=100_000u32).prop_map(|n| (None, n)),
        proptest::option::of(1..=100_000u32).prop_map(|n| (Some("provisioned"), n)),
        Just((Some("onDemand"), None)),
    ];
    let tag_key = "[A-Za-z0-9 _.:/=+@-]{1,30}".prop_filter("aws: is reserved", |k| {
        !k.to_ascii_lowercase().starts_with("aws:")
    });
    (
        proptest::option::of(name),
        mode_and_shards,
        proptest::option::of(24..=8760u32),
        proptest::option::of(kms_key()),
        proptest::option::of(any::<bool>()),
        // A few tags, or exactly as many as a stream may have; values up to the schema's
        // 255 characters (past each limit: `hardening::tag_limits_are_errors`).
        prop_oneof![
            4 => proptest::collection::btree_map(tag_key.clone(), text(MAX_TAG_VALUE), 0..4),
            1 => proptest::collection::btree_map(tag_key, text(MAX_TAG_VALUE), MAX_TAGS..=MAX_TAGS),
        ],
    )
        .prop_map(
            |(name, (mode, shard_count), retention_hours, encryption, retain, tags)| NewStream {
                name,
                mode,
                shard_count,
                retention_hours,
                encryption,
                retain,
                tags,
            },
        )
}

fn env_path() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,8}(/[A-Za-z0-9_.-]{1,8}){0,2}".prop_map(|s| s.to_owned())
}

fn stream_kind() -> impl Strategy<Value = StreamKind> {
    let arn = (
        region(),
        "[0-9]{12}",
        "[A-Za-z0-9_.-]{1,30}",
        proptest::sample::select(&["aws", "aws-cn", "aws-us-gov"][..]),
    )
        .prop_map(|(r, a, n, p)| format!("arn:{p}:kinesis:{r}:{a}:stream/{n}"));
    prop_oneof![
        5 => new_stream().prop_map(StreamKind::New),
        2 => arn.prop_map(StreamKind::Arn),
        2 => (env_path(), proptest::option::of(kms_key()))
            .prop_map(|(path, encryption)| StreamKind::Env { path, encryption }),
        2 => (logical_id(), new_stream())
            .prop_map(|(name, new)| StreamKind::Parameter { name, new }),
    ]
}

fn runtimes() -> Vec<String> {
    stackwire::runtime::current_ids()
        .map(str::to_owned)
        .collect()
}

use stackwire::format::rules::RESERVED_ENV_VARS as RESERVED;

fn env_var() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-zA-Z][a-zA-Z0-9_]{1,15}".prop_map(|s| s.to_owned()),
        1 => proptest::sample::select(&["STREAM_NAME", "STREAM_ARN", "STREAM_NAME_2"][..])
            .prop_map(str::to_owned),
    ]
    .prop_filter("reserved by Lambda", |n| {
        !RESERVED.contains(&n.as_str()) && !n.starts_with("AWS_LAMBDA_")
    })
}

/// A variable name for a dashed wire's `env`: never one of the defaults, which the wires
/// themselves claim.
fn wire_var() -> impl Strategy<Value = String> {
    "[A-Z][A-Z0-9_]{1,12}".prop_filter("reserved or a default", |n| {
        !RESERVED.contains(&n.as_str())
            && !n.starts_with("AWS_LAMBDA_")
            && !n.starts_with("STREAM_")
    })
}

fn policy() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(
            &[
                "AWSLambdaKinesisExecutionRole",
                "AmazonS3ReadOnlyAccess",
                "AmazonDynamoDBReadOnlyAccess",
                "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            ][..]
        )
        .prop_map(str::to_owned),
        ("[0-9]{12}", "[A-Za-z0-9_+=,.@-]{1,20}")
            .prop_map(|(a, n)| format!("arn:aws:iam::{a}:policy/{n}")),
    ]
}

fn function(id: String) -> impl Strategy<Value = FunctionSpec> {
    let name = prop_oneof![
        "[A-Za-z0-9_-]{1,40}".prop_map(|s| s.to_owned()),
        "[A-Za-z0-9_-]{1,31}".prop_map(|s| format!("${{AWS::StackName}}-{s}")),
    ];
    (
        (
            proptest::sample::select(runtimes()),
            "[A-Za-z0-9_.:/-]{1,60}",
            proptest::option::of("[a-z0-9_-]{1,10}(/[a-z0-9_.-]{1,10}){0,2}"),
            proptest::option::of(name),
            proptest::option::of(128..=10_240u32),
            proptest::option::of(1..=900u32),
        ),
        (
            proptest::option::of(proptest::sample::select(&["x86_64", "arm64"][..])),
            proptest::option::of(any::<bool>()),
            proptest::option::of(text(256)),
            proptest::collection::btree_map(env_var(), text(200), 0..4),
            proptest::collection::vec(policy(), 0..3),
        ),
    )
        .prop_map(
            move |(
                (runtime, handler, source, name, memory, timeout),
                (architecture, tracing, description, environment, policies),
            )| FunctionSpec {
                id: id.clone(),
                runtime,
                handler,
                source,
                name,
                memory,
                timeout,
                architecture,
                tracing,
                description,
                environment: environment.into_iter().collect(),
                policies,
            },
        )
}

/// An event pattern: fields matching a list of values, or a nested pattern.
fn filter_pattern() -> impl Strategy<Value = Json> {
    let value = prop_oneof![
        "[a-z0-9]{1,8}".prop_map(Json::from),
        (0..1000i64).prop_map(Json::from),
        "[a-z]{1,5}".prop_map(|p| json!({ "prefix": p })),
    ];
    let field = proptest::collection::vec(value, 1..3).prop_map(Json::Array);
    let fields = proptest::collection::btree_map("[a-z][a-zA-Z0-9_]{0,8}", field, 1..3)
        .prop_map(|m| Json::Object(m.into_iter().collect()));
    prop_oneof![
        fields.clone(),
        fields.prop_map(|inner| json!({ "data": inner })),
    ]
}

fn on_failure() -> impl Strategy<Value = (String, &'static str)> {
    prop_oneof![
        (region(), "[0-9]{12}", "[A-Za-z0-9_-]{1,20}", any::<bool>()).prop_map(
            |(r, a, n, fifo)| {
                let suffix = if fifo { ".fifo" } else { "" };
                (format!("arn:aws:sqs:{r}:{a}:{n}{suffix}"), "SQS")
            }
        ),
        (region(), "[0-9]{12}", "[A-Za-z0-9_-]{1,20}")
            .prop_map(|(r, a, n)| (format!("arn:aws:sns:{r}:{a}:{n}"), "SNS")),
        "[a-z0-9][a-z0-9-]{1,20}[a-z0-9]".prop_map(|b| (format!("arn:aws:s3:::{b}"), "S3")),
    ]
}

fn event(stream: usize, function: usize) -> impl Strategy<Value = EventSpec> {
    let starting = prop_oneof![
        Just(("TRIM_HORIZON", None)),
        Just(("LATEST", None)),
        (0..=253_402_300_799i64).prop_map(|t| ("AT_TIMESTAMP", Some(t))),
    ];
    let max_record_age = prop_oneof![Just(-1i32), 60..=604_800i32];
    (
        (
            any::<bool>(),
            proptest::option::of(1..=10_000u32),
            proptest::option::of(starting),
            proptest::option::of(0..=300u32),
            proptest::option::of(1..=10u32),
            proptest::option::of(-1..=10_000i32),
            proptest::option::of(max_record_age),
        ),
        (
            proptest::option::of(any::<bool>()),
            proptest::option::of(0..=900u32),
            proptest::option::of(any::<bool>()),
            proptest::option::of(on_failure()),
            proptest::option::of(proptest::collection::vec(filter_pattern(), 1..3)),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
        ),
    )
        .prop_map(
            move |(
                (
                    kind,
                    batch_size,
                    starting,
                    batch_window,
                    parallelization,
                    retries,
                    max_record_age,
                ),
                (bisect_on_error, tumbling_window, report, on_failure, filters, enabled, fan_out),
            )| EventSpec {
                stream,
                function,
                kind,
                batch_size,
                starting,
                batch_window,
                parallelization,
                retries,
                max_record_age,
                bisect_on_error,
                tumbling_window,
                report_batch_item_failures: report,
                on_failure,
                filters,
                enabled,
                fan_out,
            },
        )
}

fn discovery(function: usize, stream: usize) -> impl Strategy<Value = DiscoverySpec> {
    (
        any::<bool>(),
        proptest::option::of(proptest::sample::select(
            &["readWrite", "read", "write"][..],
        )),
        proptest::option::of(wire_var()),
        proptest::option::of(wire_var()),
    )
        .prop_map(move |(kind, access, env_name, env_arn)| DiscoverySpec {
            function,
            stream,
            kind,
            access,
            env_name,
            env_arn,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (1..=4usize, 0..=4usize)
        .prop_flat_map(|(n_streams, n_functions)| {
            // Unique (even ignoring case): `Spec::is_valid`.
            let ids = proptest::collection::vec(logical_id(), n_streams + n_functions);
            let pairs = n_streams * n_functions;
            (
                ids,
                proptest::collection::vec(stream_kind(), n_streams),
                proptest::collection::vec(0..4u8, pairs),
                proptest::collection::vec(0..3u8, pairs),
            )
        })
        .prop_flat_map(|(ids, kinds, event_pick, discovery_pick)| {
            let n_streams = kinds.len();
            let streams: Vec<StreamSpec> = ids[..n_streams]
                .iter()
                .zip(kinds)
                .map(|(id, kind)| StreamSpec {
                    id: id.clone(),
                    kind,
                })
                .collect();
            let function_ids: Vec<String> = ids[n_streams..].to_vec();
            let n_functions = function_ids.len();
            let functions: Vec<BoxedStrategy<FunctionSpec>> = function_ids
                .into_iter()
                .map(|id| function(id).boxed())
                .collect();
            let mut events = Vec::new();
            let mut discoveries = Vec::new();
            for s in 0..n_streams {
                for f in 0..n_functions {
                    if event_pick[s * n_functions + f] == 0 {
                        events.push(event(s, f).boxed());
                    }
                    if discovery_pick[s * n_functions + f] == 0 {
                        discoveries.push(discovery(f, s).boxed());
                    }
                }
            }
            let order: Vec<(bool, usize)> = (0..n_streams)
                .map(|i| (false, i))
                .chain((0..n_functions).map(|i| (true, i)))
                .collect();
            let wire_order: Vec<(bool, usize)> = (0..events.len())
                .map(|i| (false, i))
                .chain((0..discoveries.len()).map(|i| (true, i)))
                .collect();
            (
                Just(streams),
                functions,
                events,
                discoveries,
                Just(order).prop_shuffle(),
                Just(wire_order).prop_shuffle(),
                proptest::option::of("[a-z][a-z0-9 -]{0,20}"),
                proptest::option::of(text(1024)),
                proptest::option::of(proptest::sample::select(
                    &["prod", "dev-1", "eu.staging"][..],
                )),
            )
        })
        .prop_map(
            |(
                streams,
                functions,
                events,
                discoveries,
                order,
                wire_order,
                stack,
                description,
                env,
            )| {
                let needs_env = streams
                    .iter()
                    .any(|s| matches!(s.kind, StreamKind::Env { .. }));
                let environment = if needs_env {
                    Some(env.unwrap_or("prod").to_owned())
                } else {
                    env.map(str::to_owned)
                };
                Spec {
                    stack,
                    // A template's Description cannot hold `${` (checked, with a fixture).
                    description: description.filter(|d| !d.contains("${")),
                    streams,
                    functions,
                    events,
                    discoveries,
                    order,
                    wire_order,
                    environment,
                }
            },
        )
        .prop_filter("IDs or variable names collide", Spec::is_valid)
}

// ---------------------------------------------------------------------------------------------
// Writing a spec as a stack description.

/// A YAML scalar for `s`: plain when it is a simple word YAML 1.2 reads back as that string,
/// else double-quoted (JSON's escapes are YAML's).
fn q(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
        && ![
            "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        ]
        .contains(&s);
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn render(spec: &Spec) -> String {
    let mut y = String::new();
    if let Some(s) = &spec.stack {
        let _ = writeln!(y, "stack: {}", q(s));
    }
    if let Some(d) = &spec.description {
        let _ = writeln!(y, "description: {}", q(d));
    }
    y.push_str("resources:\n");
    for &(is_function, i) in &spec.order {
        if is_function {
            render_function(&mut y, &spec.functions[i]);
        } else {
            render_stream(&mut y, &spec.streams[i]);
        }
    }
    if !spec.wire_order.is_empty() {
        y.push_str("wires:\n");
    }
    for &(is_discovery, i) in &spec.wire_order {
        if is_discovery {
            render_discovery(&mut y, spec, &spec.discoveries[i]);
        } else {
            render_event(&mut y, spec, &spec.events[i]);
        }
    }
    y
}

fn render_new_stream(y: &mut String, s: &NewStream) {
    if let Some(v) = &s.name {
        let _ = writeln!(y, "    name: {}", q(v));
    }
    if let Some(v) = s.shard_count {
        let _ = writeln!(y, "    shardCount: {v}");
    }
    if let Some(v) = s.mode {
        let _ = writeln!(y, "    mode: {v}");
    }
    if let Some(v) = s.retention_hours {
        let _ = writeln!(y, "    retentionHours: {v}");
    }
    if let Some(v) = &s.encryption {
        let _ = writeln!(y, "    encryption: {}", q(v));
    }
    if let Some(v) = s.retain {
        let _ = writeln!(y, "    retain: {v}");
    }
    if !s.tags.is_empty() {
        y.push_str("    tags:\n");
        for (k, v) in &s.tags {
            let _ = writeln!(y, "      {}: {}", q(k), q(v));
        }
    }
}

fn render_stream(y: &mut String, s: &StreamSpec) {
    let _ = writeln!(y, "  {}:\n    type: Stream", q(&s.id));
    match &s.kind {
        StreamKind::New(new) => render_new_stream(y, new),
        StreamKind::Arn(arn) => {
            let _ = writeln!(y, "    existing: {}", q(arn));
        }
        StreamKind::Env { path, encryption } => {
            let _ = writeln!(y, "    existing: {{env: {}}}", q(path));
            if let Some(v) = encryption {
                let _ = writeln!(y, "    encryption: {}", q(v));
            }
        }
        StreamKind::Parameter { name, new } => {
            let _ = writeln!(y, "    existing:\n      parameter: {}", q(name));
            render_new_stream(y, new);
        }
    }
}

fn render_function(y: &mut String, f: &FunctionSpec) {
    let _ = writeln!(y, "  {}:\n    type: Function", q(&f.id));
    let _ = writeln!(y, "    runtime: {}", q(&f.runtime));
    let _ = writeln!(y, "    handler: {}", q(&f.handler));
    if let Some(v) = &f.source {
        let _ = writeln!(y, "    source: {}", q(v));
    }
    if let Some(v) = &f.name {
        let _ = writeln!(y, "    name: {}", q(v));
    }
    if let Some(v) = f.memory {
        let _ = writeln!(y, "    memory: {v}");
    }
    if let Some(v) = f.timeout {
        let _ = writeln!(y, "    timeout: {v}");
    }
    if let Some(v) = f.architecture {
        let _ = writeln!(y, "    architecture: {v}");
    }
    if let Some(v) = f.tracing {
        let _ = writeln!(y, "    tracing: {v}");
    }
    if let Some(v) = &f.description {
        let _ = writeln!(y, "    description: {}", q(v));
    }
    if !f.environment.is_empty() {
        y.push_str("    environment:\n");
        for (k, v) in &f.environment {
            let _ = writeln!(y, "      {k}: {}", q(v));
        }
    }
    if !f.policies.is_empty() {
        y.push_str("    policies:\n");
        for p in &f.policies {
            let _ = writeln!(y, "      - {}", q(p));
        }
    }
}

fn render_event(y: &mut String, spec: &Spec, e: &EventSpec) {
    let _ = writeln!(
        y,
        "  - from: {}\n    to: {}",
        q(&spec.streams[e.stream].id),
        q(&spec.functions[e.function].id)
    );
    if e.kind {
        y.push_str("    kind: event\n");
    }
    let mut line = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            let _ = writeln!(y, "    {key}: {v}");
        }
    };
    line("batchSize", e.batch_size.map(|v| v.to_string()));
    line("startingPosition", e.starting.map(|(p, _)| p.to_owned()));
    line(
        "startingPositionTimestamp",
        e.starting.and_then(|(_, t)| t).map(|t| t.to_string()),
    );
    line("batchWindow", e.batch_window.map(|v| v.to_string()));
    line("parallelization", e.parallelization.map(|v| v.to_string()));
    line("retries", e.retries.map(|v| v.to_string()));
    line("maxRecordAge", e.max_record_age.map(|v| v.to_string()));
    line("bisectOnError", e.bisect_on_error.map(|v| v.to_string()));
    line("tumblingWindow", e.tumbling_window.map(|v| v.to_string()));
    line(
        "reportBatchItemFailures",
        e.report_batch_item_failures.map(|v| v.to_string()),
    );
    line("onFailure", e.on_failure.as_ref().map(|(a, _)| q(a)));
    // Filters as flow mappings (JSON is YAML).
    line(
        "filters",
        e.filters
            .as_ref()
            .map(|f| serde_json::to_string(f).unwrap_or_default()),
    );
    line("enabled", e.enabled.map(|v| v.to_string()));
    line("fanOut", e.fan_out.map(|v| v.to_string()));
}

fn render_discovery(y: &mut String, spec: &Spec, d: &DiscoverySpec) {
    let _ = writeln!(
        y,
        "  - from: {}\n    to: {}",
        q(&spec.functions[d.function].id),
        q(&spec.streams[d.stream].id)
    );
    if d.kind {
        y.push_str("    kind: discovery\n");
    }
    if let Some(a) = d.access {
        let _ = writeln!(y, "    access: {a}");
    }
    if d.env_name.is_some() || d.env_arn.is_some() {
        y.push_str("    env:\n");
        if let Some(v) = &d.env_name {
            let _ = writeln!(y, "      name: {v}");
        }
        if let Some(v) = &d.env_arn {
            let _ = writeln!(y, "      arn: {v}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the template must hold.

/// Reads a template back, as a generic value. Short-form tags (`!Ref X`) are dropped by the
/// reader, leaving their argument: `!Ref X` reads as `X`, `!GetAtt S.Arn` as `S.Arn`.
fn read_back(template: &str) -> Result<Json, String> {
    serde_saphyr::from_str::<Json>(template).map_err(|e| e.to_string())
}

/// The text a string value stands for: a plain string, or the parts of `!Join ['', [...]]`
/// that `Value::literal` writes for text holding `${`.
fn text_of(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Array(items) if items.len() == 2 && items[0] == json!("") => {
            let parts = items[1].as_array()?;
            parts.iter().map(|p| p.as_str()).collect()
        }
        _ => None,
    }
}

/// How the template refers to a stream's ARN and name, read back with the tags dropped.
fn stream_refs(s: &StreamSpec) -> (Json, Json) {
    let id = &s.id;
    match &s.kind {
        StreamKind::New(_) => (json!(format!("{id}.Arn")), json!(id)),
        StreamKind::Arn(arn) => {
            let name = arn.rsplit_once("stream/").map_or("", |(_, n)| n);
            (json!(arn), json!(name))
        }
        StreamKind::Env { path, .. } => {
            let p = Spec::env_parameter(path);
            (json!(p), json!([1, ["/", p]]))
        }
        StreamKind::Parameter { name, .. } => {
            let c = format!("{id}CreateNewResource");
            (
                json!([c, format!("{id}.Arn"), name]),
                json!([c, id, [1, ["/", name]]]),
            )
        }
    }
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), TestCaseError> {
    if ok {
        Ok(())
    } else {
        Err(TestCaseError::fail(what()))
    }
}

fn at<'a>(v: &'a Json, path: &[&str]) -> &'a Json {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or(&Json::Null))
}

/// The variable names of each dashed wire, per the documented rule: names given are used as
/// written; the defaults take the first `_2`, `_3`, ... suffix free on both, in wire order.
fn expected_vars(spec: &Spec, function: usize) -> Vec<(usize, String, String)> {
    let f = &spec.functions[function];
    let mut taken: BTreeSet<String> = f.environment.iter().map(|(k, _)| k.clone()).collect();
    let mut out = Vec::new();
    for &(is_discovery, i) in &spec.wire_order {
        if !is_discovery || spec.discoveries[i].function != function {
            continue;
        }
        let d = &spec.discoveries[i];
        for v in [&d.env_name, &d.env_arn].into_iter().flatten() {
            taken.insert(v.clone());
        }
        let suffixed = |base: &str, n: usize| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}_{n}")
            }
        };
        let n = (1..)
            .find(|&n| {
                (d.env_name.is_some() || !taken.contains(&suffixed("STREAM_NAME", n)))
                    && (d.env_arn.is_some() || !taken.contains(&suffixed("STREAM_ARN", n)))
            })
            .unwrap_or(1);
        let name = d
            .env_name
            .clone()
            .unwrap_or_else(|| suffixed("STREAM_NAME", n));
        let arn = d
            .env_arn
            .clone()
            .unwrap_or_else(|| suffixed("STREAM_ARN", n));
        taken.insert(name.clone());
        taken.insert(arn.clone());
        out.push((i, name, arn));
    }
    out
}

fn check_template(spec: &Spec, t: &Json) -> Result<(), TestCaseError> {
    let resources = at(t, &["Resources"]);
    ensure(resources.is_object(), || "no Resources".to_owned())?;
    ensure(
        at(t, &["Description"]).as_str().map(str::to_owned) == spec.description,
        || "Description differs".to_owned(),
    )?;
    for s in spec.streams.iter() {
        let r = &resources[&s.id];
        let new = match &s.kind {
            StreamKind::New(new) => Some(new),
            StreamKind::Parameter { name, new } => {
                ensure(at(t, &["Parameters", name, "Type"]) == "String", || {
                    format!("no parameter {name}")
                })?;
                let c = format!("{}CreateNewResource", s.id);
                ensure(r["Condition"] == json!(c), || {
                    format!("{} has no condition", s.id)
                })?;
                ensure(at(t, &["Conditions", &c]) == &json!([name, ""]), || {
                    format!("no condition {c}")
                })?;
                Some(new)
            }
            StreamKind::Env { path, .. } => {
                let p = Spec::env_parameter(path);
                // Only a stream some wire uses needs its parameter.
                let used = spec.streams.iter().enumerate().any(|(i, other)| {
                    matches!(&other.kind, StreamKind::Env { path: q, .. } if q == path)
                        && spec.is_wired(i)
                });
                if !used {
                    ensure(at(t, &["Parameters", &p]).is_null(), || {
                        format!("parameter {p} of an unwired stream")
                    })?;
                    ensure(r.is_null(), || format!("{} is existing, yet created", s.id))?;
                    continue;
                }
                let env = spec.environment.as_deref().unwrap_or_default();
                ensure(
                    at(t, &["Parameters", &p, "Default"])
                        == &json!(format!("/{env}/{}", stackwire::ids::env_path(path))),
                    || format!("parameter {p} does not read /{env}/{path}"),
                )?;
                ensure(
                    at(t, &["Metadata", "EnvConfigParameters", &p]) == &json!(path),
                    || format!("no EnvConfigParameters entry for {p}"),
                )?;
                None
            }
            StreamKind::Arn(_) => None,
        };
        let Some(new) = new else {
            ensure(r.is_null(), || format!("{} is existing, yet created", s.id))?;
            continue;
        };
        ensure(r["Type"] == "AWS::Kinesis::Stream", || {
            format!("{} is not a stream", s.id)
        })?;
        let p = &r["Properties"];
        let retain = new.retain.unwrap_or(true);
        ensure((r["DeletionPolicy"] == "Retain") == retain, || {
            format!("{}: DeletionPolicy", s.id)
        })?;
        ensure(
            p.get("Name").and_then(Json::as_str) == new.name.as_deref(),
            || format!("{}: Name", s.id),
        )?;
        let shards = (new.mode != Some("onDemand")).then(|| new.shard_count.unwrap_or(1));
        ensure(
            p.get("ShardCount").and_then(Json::as_u64) == shards.map(u64::from),
            || format!("{}: ShardCount", s.id),
        )?;
        ensure(
            p.get("RetentionPeriodHours").and_then(Json::as_u64)
                == new.retention_hours.map(u64::from),
            || format!("{}: RetentionPeriodHours", s.id),
        )?;
        let key = match new.encryption.as_deref() {
            None | Some("aws") => Some("alias/aws/kinesis"),
            Some("none") => None,
            Some(k) => Some(k),
        };
        ensure(
            at(p, &["StreamEncryption", "KeyId"]).as_str() == key,
            || format!("{}: StreamEncryption", s.id),
        )?;
        let tags: Vec<(String, String)> = p
            .get("Tags")
            .and_then(Json::as_array)
            .map(|tags| {
                tags.iter()
                    .map(|t| {
                        (
                            text_of(&t["Key"]).unwrap_or_default(),
                            text_of(&t["Value"]).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let want: Vec<(String, String)> = new.tags.clone().into_iter().collect();
        ensure(tags == want, || {
            format!("{}: Tags {tags:?}, expected {want:?}", s.id)
        })?;
    }

    for (fi, f) in spec.functions.iter().enumerate() {
        let r = &resources[&f.id];
        ensure(r["Type"] == "AWS::Serverless::Function", || {
            format!("{} is not a function", f.id)
        })?;
        let p = &r["Properties"];
        ensure(text_of(&p["Handler"]) == Some(f.handler.clone()), || {
            format!("{}: Handler", f.id)
        })?;
        ensure(p["Runtime"] == json!(f.runtime), || {
            format!("{}: Runtime", f.id)
        })?;
        let code = f.source.clone().unwrap_or_else(|| format!("src/{}", f.id));
        ensure(p["CodeUri"] == json!(code), || format!("{}: CodeUri", f.id))?;
        ensure(
            p.get("FunctionName").and_then(Json::as_str) == f.name.as_deref(),
            || format!("{}: FunctionName", f.id),
        )?;
        ensure(
            p.get("MemorySize").and_then(Json::as_u64) == f.memory.map(u64::from),
            || format!("{}: MemorySize", f.id),
        )?;
        ensure(
            p.get("Timeout").and_then(Json::as_u64) == f.timeout.map(u64::from),
            || format!("{}: Timeout", f.id),
        )?;
        ensure(
            p.get("Architectures") == f.architecture.map(|a| json!([a])).as_ref(),
            || format!("{}: Architectures", f.id),
        )?;
        ensure(
            (p.get("Tracing") == Some(&json!("Active"))) == (f.tracing == Some(true)),
            || format!("{}: Tracing", f.id),
        )?;
        ensure(
            p.get("Description").and_then(text_of) == f.description,
            || format!("{}: Description {:?}", f.id, p.get("Description")),
        )?;
        let vars = at(p, &["Environment", "Variables"]);
        for (k, v) in &f.environment {
            ensure(text_of(&vars[k]) == Some(v.clone()), || {
                format!("{}: variable {k} is {:?}, expected {v:?}", f.id, vars[k])
            })?;
        }
        let policies = p
            .get("Policies")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let own: Vec<Json> = f.policies.iter().map(|p| json!(p)).collect();
        ensure(policies.ends_with(&own), || {
            format!("{}: own policies missing from {policies:?}", f.id)
        })?;

        // Dashed wires: the variables, and the access policies.
        let mut expected_policies = 0;
        for (i, name_var, arn_var) in expected_vars(spec, fi) {
            let d = &spec.discoveries[i];
            let s = &spec.streams[d.stream];
            let (arn, name) = stream_refs(s);
            ensure(vars[&name_var] == name && vars[&arn_var] == arn, || {
                format!(
                    "{}: {name_var}/{arn_var} for {} are {:?}/{:?}, expected {name}/{arn}",
                    f.id, s.id, vars[&name_var], vars[&arn_var]
                )
            })?;
            let access = d.access.unwrap_or("readWrite");
            // SAM's policy templates only for `readWrite` on a stream the stack creates; every
            // other grant is an inline statement on the stream's ARN.
            if access == "readWrite" && matches!(s.kind, StreamKind::New(_)) {
                for policy in ["KinesisCrudPolicy", "KinesisStreamReadPolicy"] {
                    expected_policies += 1;
                    let entry = json!({ policy: { "StreamName": name } });
                    ensure(policies.contains(&entry), || {
                        format!("{}: no {policy} on {}: {policies:?}", f.id, s.id)
                    })?;
                }
            } else {
                let granted = policies.iter().any(|p| {
                    p["Statement"].as_array().is_some_and(|st| {
                        st.iter().any(|st| {
                            st["Resource"] == arn
                                && st["Action"].as_array().is_some_and(|a| {
                                    let has = |x: &str| a.contains(&json!(x));
                                    let reads = has("kinesis:GetRecords");
                                    let writes = has("kinesis:PutRecords");
                                    reads == (access != "write")
                                        && writes == (access != "read")
                                        && has("kinesis:ListShards") == (access != "readWrite")
                                })
                        })
                    })
                });
                ensure(granted, || {
                    format!("{}: no {access} statement on {}: {policies:?}", f.id, s.id)
                })?;
            }
        }
        let sam_policies = policies
            .iter()
            .filter(|p| {
                p.get("KinesisCrudPolicy").is_some() || p.get("KinesisStreamReadPolicy").is_some()
            })
            .count();
        ensure(sam_policies == expected_policies, || {
            format!(
                "{}: {sam_policies} access policies, expected {expected_policies}",
                f.id
            )
        })?;

        // Solid wires: one Kinesis event per stream.
        let events = p.get("Events").cloned().unwrap_or(json!({}));
        let mine: Vec<&EventSpec> = spec.events.iter().filter(|e| e.function == fi).collect();
        ensure(
            events.as_object().map_or(0, serde_json::Map::len) == mine.len(),
            || format!("{}: {} events, expected {}", f.id, events, mine.len()),
        )?;
        for e in mine {
            let s = &spec.streams[e.stream];
            let ev = &events[&s.id];
            ensure(ev["Type"] == "Kinesis", || {
                format!("{}: no event {}", f.id, s.id)
            })?;
            check_event(s, f, e, &ev["Properties"], resources, &policies)?;
        }
    }
    Ok(())
}

fn check_event(
    s: &StreamSpec,
    f: &FunctionSpec,
    e: &EventSpec,
    p: &Json,
    resources: &Json,
    policies: &[Json],
) -> Result<(), TestCaseError> {
    let what = || format!("event {} -> {}", s.id, f.id);
    let source = if e.fans_out() {
        let consumer = format!("{}{}Consumer", s.id, f.id);
        let (arn, _) = stream_refs(s);
        let c = &resources[&consumer];
        ensure(
            c["Type"] == "AWS::Kinesis::StreamConsumer" && c["Properties"]["StreamARN"] == arn,
            || format!("{}: no consumer {consumer} on {arn}", what()),
        )?;
        json!(format!("{consumer}.ConsumerARN"))
    } else {
        stream_refs(s).0
    };
    ensure(p["Stream"] == source, || {
        format!("{}: Stream {}", what(), p["Stream"])
    })?;
    // Beside a stream ARN written out, the destination's grant is in the function's policy
    // rather than left to SAM through `OnFailure.Type`.
    let literal_stream = matches!(s.kind, StreamKind::Arn(_)) && !e.fans_out();
    if literal_stream && let Some((arn, kind)) = &e.on_failure {
        let (action, resource) = match *kind {
            "SQS" => ("sqs:SendMessage", arn.clone()),
            "SNS" => ("sns:Publish", arn.clone()),
            _ => ("s3:PutObject", format!("{arn}/*")),
        };
        let grant = json!({"Effect": "Allow", "Action": action, "Resource": resource});
        let granted = policies.iter().any(|p| {
            p["Statement"]
                .as_array()
                .is_some_and(|s| s.contains(&grant))
        });
        ensure(granted, || {
            format!("{}: no {grant} in {policies:?}", what())
        })?;
    }
    let (position, timestamp) = e.starting.unwrap_or(("TRIM_HORIZON", None));
    let num = |v: Option<i64>| v.map(Json::from);
    let flag = |v: Option<bool>| v.map(Json::from);
    let expected = [
        ("StartingPosition", Some(json!(position))),
        ("StartingPositionTimestamp", num(timestamp)),
        ("BatchSize", Some(json!(e.batch_size.unwrap_or(1)))),
        (
            "MaximumBatchingWindowInSeconds",
            num(e.batch_window.map(i64::from)),
        ),
        (
            "ParallelizationFactor",
            num(e.parallelization.map(i64::from)),
        ),
        ("MaximumRetryAttempts", num(e.retries.map(i64::from))),
        (
            "MaximumRecordAgeInSeconds",
            num(e.max_record_age.map(i64::from)),
        ),
        ("BisectBatchOnFunctionError", flag(e.bisect_on_error)),
        (
            "TumblingWindowInSeconds",
            num(e.tumbling_window.map(i64::from)),
        ),
        (
            "FunctionResponseTypes",
            (e.report_batch_item_failures == Some(true))
                .then(|| json!(["ReportBatchItemFailures"])),
        ),
        (
            "DestinationConfig",
            e.on_failure.as_ref().map(|(arn, kind)| {
                if literal_stream {
                    json!({"OnFailure": {"Destination": arn}})
                } else {
                    json!({"OnFailure": {"Type": kind, "Destination": arn}})
                }
            }),
        ),
        ("Enabled", flag(e.enabled)),
    ];
    for (key, want) in expected {
        ensure(p.get(key) == want.as_ref(), || {
            format!("{}: {key} is {:?}, expected {want:?}", what(), p.get(key))
        })?;
    }
    let filters: Option<Vec<Json>> = p.get("FilterCriteria").map(|c| {
        c["Filters"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        text_of(&f["Pattern"])
                            .and_then(|j| serde_json::from_str(&j).ok())
                            .unwrap_or(Json::Null)
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    ensure(filters == e.filters, || {
        format!("{}: filters {filters:?}, expected {:?}", what(), e.filters)
    })
}

// ---------------------------------------------------------------------------------------------
// The properties.

/// Compiles, compiles again, reads back, and checks; returns the template.
fn property(spec: &Spec) -> Result<String, TestCaseError> {
    let yaml = render(spec);
    let env = spec.environment.as_deref();
    let first = stackwire::compile(yaml.as_bytes(), &stackwire::Options::environment(env));
    let errors: Vec<String> = first
        .problems
        .iter()
        .map(|p| format!("{p} ({p:?})"))
        .collect();
    let Some(template) = first.template else {
        return Err(TestCaseError::fail(format!(
            "a valid stack did not compile:\n{yaml}\n{}",
            errors.join("\n")
        )));
    };
    ensure(first.problems.iter().all(|p| !p.is_error()), || {
        format!("errors but a template: {errors:?}")
    })?;
    let again = stackwire::compile(yaml.as_bytes(), &stackwire::Options::environment(env));
    ensure(again.template.as_deref() == Some(template.as_str()), || {
        format!("two compiles of one stack differ:\n{yaml}")
    })?;
    let read = read_back(&template)
        .map_err(|e| TestCaseError::fail(format!("the template is not YAML: {e}\n{template}")))?;
    check_template(spec, &read)
        .map_err(|e| TestCaseError::fail(format!("{e}\nstack:\n{yaml}\ntemplate:\n{template}")))?;
    Ok(template)
}

#[test]
fn reading_back_keeps_tags_arguments() {
    // The oracle above relies on how serde-saphyr reads short-form tags: check it.
    let t = "a: !Ref X\nb: !GetAtt S.Arn\nc: !If [C, !GetAtt S.Arn, !Select [1, !Split ['/', !Ref P]]]\nd: !Join ['', ['$', '{x}']]\ne: 'yes'\n";
    let v = read_back(t).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v,
        json!({"a": "X", "b": "S.Arn", "c": ["C", "S.Arn", [1, ["/", "P"]]], "d": ["", ["$", "{x}"]], "e": "yes"})
    );
    assert_eq!(text_of(&v["d"]).as_deref(), Some("${x}"));
    // ... and reads YAML 1.1 words written plain as booleans, so a missing quote is caught.
    assert_eq!(read_back("e: yes\n").ok(), Some(json!({"e": true})));
}

#[test]
fn valid_stacks_compile_and_hold_every_wire() {
    let mut config = Config::with_cases(CASES);
    // Reads PROPTEST_CASES when set.
    if let Ok(n) = std::env::var("PROPTEST_CASES")
        && let Ok(n) = n.parse()
    {
        config.cases = n;
    }
    config.failure_persistence = None;
    config.max_global_rejects = 10_000;
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let started = std::time::Instant::now();
    let templates: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let stats: RefCell<[usize; 4]> = RefCell::new([0; 4]);
    let result = runner.run(&spec(), |spec| {
        let template = property(&spec)?;
        let mut st = stats.borrow_mut();
        st[0] += spec.events.len();
        st[1] += spec.discoveries.len();
        st[2] += spec
            .streams
            .iter()
            .filter(|s| !matches!(s.kind, StreamKind::New(_)))
            .count();
        st[3] += spec.events.iter().filter(|e| e.fans_out()).count();
        templates.borrow_mut().push(template);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let [events, discoveries, existing, fan_outs] = *stats.borrow();
    // The generator reaches what it is meant to.
    assert!(
        events > 0 && discoveries > 0 && existing > 0 && fan_outs > 0,
        "events {events}, discoveries {discoveries}, existing {existing}, fan-outs {fan_outs}"
    );

    eprintln!(
        "{cases} stacks ({events} solid wires, {discoveries} dashed, {existing} existing streams, {fan_outs} fan-outs) compiled and checked in {:.1?}",
        started.elapsed()
    );

    // A sample through cfn-lint and the translator.
    let templates = templates.into_inner();
    let sample: Vec<String> = templates.iter().take(LINTED).cloned().collect();
    assert_eq!(sample.len(), LINTED.min(cases as usize));
    let started = std::time::Instant::now();
    lint_and_translate(&sample);
    eprintln!(
        "{} templates through cfn-lint and the SAM translator in {:.1?}",
        sample.len(),
        started.elapsed()
    );
}

/// The conformance gate on the sample: cfn-lint, AWS's SAM translator, and cfn-lint on what it
/// translated, each one run over every template: no error, no warning.
fn lint_and_translate(templates: &[String]) {
    let named: Vec<(String, String)> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("stack{i:03}"), t.clone()))
        .collect();
    conformance::gate(&named);
}

/// The CloudFormation target on a sample of random stacks (a fixed seed, so a failure
/// reproduces): equivalent to what AWS's SAM translator makes of the SAM target's template, and
/// through cfn-lint (`support/cloudformation.rs`).
#[test]
fn a_sample_expands_as_the_sam_translator_expands_it() {
    use proptest::strategy::ValueTree;
    let mut runner = TestRunner::deterministic();
    let strategy = spec();
    let stacks: Vec<crate::equivalence::Stack> = (0..CLOUDFORMATION_SAMPLE)
        .map(|i| {
            let spec = strategy
                .new_tree(&mut runner)
                .unwrap_or_else(|e| panic!("no stack generated: {e}"))
                .current();
            crate::equivalence::Stack {
                name: format!("stack{i:03}"),
                text: render(&spec),
                environment: spec.environment.clone(),
            }
        })
        .collect();
    let compared = crate::equivalence::equivalent(&stacks);
    eprintln!(
        "{CLOUDFORMATION_SAMPLE} random stacks, {compared} resources, as the translator writes them"
    );
}
