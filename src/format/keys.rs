//! The keys of the stack format: one description per key.
//!
//! Each table lists, for one kind of mapping, every key it takes: its name, what its value must
//! be (type, range, choices, length), whether it is required, a title and a description, and
//! where `parse` stores it in the model. `parse` reads a file by these tables (so a key it
//! accepts, and how it reads the value, is exactly what is written here), and `schema` walks the
//! same tables to write the JSON Schema: the two cannot drift apart.
//!
//! What a table cannot say (a rule across keys, such as `onDemand` forbidding `shardCount`, or a
//! check of a value's content, such as an ARN's shape) lives in `check`.

use miette::SourceSpan;

use crate::format::model::{
    Access, Existing, Resource, Sp, Stack, StartingPosition, Wire, WireKind,
};
use crate::format::node::Node;
use crate::format::passthru::{Environment, Intrinsics, Policy, Properties, Raw, Section};

/// One key of a mapping.
pub struct Key<M: 'static> {
    pub name: &'static str,
    /// A few words, for an editor's hover (the JSON Schema `title`).
    pub title: &'static str,
    /// One or two sentences: what the key is for, its default (the JSON Schema `description`).
    pub description: &'static str,
    /// `Some(help)` when the key must be written: the help a missing-key error gives.
    pub required: Option<&'static str>,
    pub kind: Kind<M>,
}

/// What a key's value must be, and where `parse` puts it in the model `M`.
pub enum Kind<M: 'static> {
    /// A resource's `type`: read first, it picks the resource's table.
    ResourceType(&'static str),
    /// A string, at most `max_len` bytes.
    Str {
        max_len: Option<usize>,
        set: fn(&mut M, Sp<String>),
    },
    /// A whole number in `min..=max`, or the one value `or.0` (which means `or.1`).
    Int {
        min: i128,
        max: i128,
        or: Option<(i128, &'static str)>,
        set: fn(&mut M, Sp<i128>),
    },
    Bool(fn(&mut M, Sp<bool>)),
    /// One of the words `names`; `set` gets the word written.
    Choice {
        names: &'static [&'static str],
        set: fn(&mut M, Sp<&'static str>),
    },
    /// A mapping of names to strings, in source order.
    StrMap(fn(&mut M, Vec<Pair>)),
    /// A list of strings.
    StrList(fn(&mut M, Vec<Sp<String>>)),
    /// A list of event patterns, each a mapping; `check` reads the patterns themselves.
    Patterns(fn(&mut M, Sp<Vec<Node>>)),
    /// A mapping with the keys of its own table, stored in the same model.
    Map(&'static [Key<M>]),
    /// A stream's `existing`: a stream ARN, or a mapping with exactly one of `forms`.
    Existing {
        arn: &'static str,
        forms: &'static [Form],
        set: fn(&mut M, Sp<Existing>),
    },
    /// The top level's `resources`: Logical IDs to Streams and Functions (`set` also gets the
    /// key's span).
    Resources(fn(&mut M, SourceSpan, Vec<Resource>)),
    /// The top level's `wires`: a list of wires.
    Wires(fn(&mut M, Vec<Wire>)),
    /// The top level's `template`: template sections passed through.
    Template(fn(&mut M, Vec<Section>)),
    /// `properties`: any other property of the resource (or event), passed through; each of
    /// `owned` is a property stackwire writes, with the key to use instead.
    Properties {
        owned: &'static [(&'static str, &'static str)],
        set: fn(&mut M, Properties),
    },
    /// A Function's `environment`: names to text or intrinsic functions.
    Env(fn(&mut M, Environment)),
    /// A Function's `policies`: whatever SAM's `Policies` takes, in order.
    Policies(fn(&mut M, Vec<Policy>)),
    /// A Function's `source`: a folder or `s3://` URI (`path`), or an S3 location mapping
    /// `{Bucket, Key, Version}` (`location`, its values text or intrinsic functions).
    Source {
        path: fn(&mut M, Sp<String>),
        location: fn(&mut M, Raw),
    },
}

/// One `NAME: value` entry of a mapping of strings.
pub type Pair = (Sp<String>, Sp<String>);

/// One mapping form of `existing`: `{<name>: <string>}`.
pub struct Form {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub make: fn(Sp<String>) -> Existing,
}

/// The key of `table` named `name`.
pub fn find<M>(table: &'static [Key<M>], name: &str) -> Option<&'static Key<M>> {
    table.iter().find(|k| k.name == name)
}

/// The names of a table's keys, in order.
pub fn names<M>(table: &[Key<M>]) -> Vec<&'static str> {
    table.iter().map(|k| k.name).collect()
}

/// A choice's model value from the word `parse` matched (always one of the choice's `names`).
pub(crate) fn pick<T>(value: Sp<&'static str>, from_name: fn(&str) -> Option<T>) -> Option<Sp<T>> {
    from_name(value.value).map(|v| Sp::new(v, value.span))
}

pub(crate) const TYPE_HELP: &str = "add `type: Stream` or `type: Function`";

pub const STACK: &[Key<Stack>] = &[
    Key {
        name: "stack",
        title: "Stack name",
        description: "The stack's human name, for people reading the file; it does not appear in the template.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |s, v| s.name = Some(v),
        },
    },
    Key {
        name: "description",
        title: "Template description",
        description: "The template's `Description`, at most 1024 bytes.",
        required: None,
        kind: Kind::Str {
            max_len: Some(1024),
            set: |s, v| s.description = Some(v),
        },
    },
    Key {
        name: "account",
        title: "Deploying account",
        description: "The 12-digit AWS account the stack deploys to (quoted: `'123456789012'`). Not written to the template; with it, a discovery wire to an `existing` stream in another account gets a warning, since `STREAM_NAME` addresses a stream in the caller's account.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |s, v| s.account = Some(v),
        },
    },
    Key {
        name: "resources",
        title: "Resources",
        description: "The stack's Streams and Functions, at least one. Each key is a Logical ID (1 to 255 of `A-Za-z0-9`, unique); the order is kept in the template.",
        required: Some(
            "list the stack's resources, for example:\nresources:\n  Stream:\n    type: Stream",
        ),
        kind: Kind::Resources(|s, key, resources| {
            s.resources_key = key;
            s.resources = resources;
        }),
    },
    Key {
        name: "wires",
        title: "Wires",
        description: "Connections between resources: Stream -> Function is an event subscription (solid line), Function -> Stream is service discovery (dashed line).",
        required: None,
        kind: Kind::Wires(|s, wires| s.wires = wires),
    },
    Key {
        name: "template",
        title: "Pass-through template sections",
        description: "Any of a template's sections (`Parameters`, `Mappings`, `Conditions`, `Rules`, `Globals`, `Metadata`, `Resources`, `Outputs`), merged into the template as written: stackwire's entries first, then these, in the file's order. Intrinsic functions may stand anywhere in them; their references are checked.",
        required: None,
        kind: Kind::Template(|s, sections| s.template = sections),
    },
];

impl Intrinsics for Stack {}
impl Intrinsics for Wire {}

/// The properties of SAM's `Kinesis` event that wire keys write, with the key to use.
pub const EVENT_OWNED: &[(&str, &str)] = &[
    ("Stream", "from"),
    ("StartingPosition", "startingPosition"),
    ("StartingPositionTimestamp", "startingPositionTimestamp"),
    ("BatchSize", "batchSize"),
    ("MaximumBatchingWindowInSeconds", "batchWindow"),
    ("ParallelizationFactor", "parallelization"),
    ("MaximumRetryAttempts", "retries"),
    ("MaximumRecordAgeInSeconds", "maxRecordAge"),
    ("BisectBatchOnFunctionError", "bisectOnError"),
    ("TumblingWindowInSeconds", "tumblingWindow"),
    ("FunctionResponseTypes", "reportBatchItemFailures"),
    ("DestinationConfig", "onFailure"),
    ("FilterCriteria", "filters"),
    ("Enabled", "enabled"),
];

pub const WIRE_END: &[Key<Wire>] = &[
    Key {
        name: "from",
        title: "From",
        description: "The Logical ID the wire starts at: a Stream (event subscription) or a Function (service discovery).",
        required: Some("a wire names both ends: `{from: Stream, to: Function}`"),
        kind: Kind::Str {
            max_len: None,
            set: |w, v| w.from = Some(v),
        },
    },
    Key {
        name: "to",
        title: "To",
        description: "The Logical ID the wire ends at: a Function (event subscription) or a Stream (service discovery).",
        required: Some("a wire names both ends: `{from: Stream, to: Function}`"),
        kind: Kind::Str {
            max_len: None,
            set: |w, v| w.to = Some(v),
        },
    },
    Key {
        name: "kind",
        title: "Wire kind",
        description: "Optional; when written it must agree with the ends: `event` (Stream -> Function) or `discovery` (Function -> Stream).",
        required: None,
        kind: Kind::Choice {
            names: WireKind::NAMES,
            set: |w, v| w.kind = pick(v, WireKind::from_name),
        },
    },
];

/// The keys of an event subscription (Stream -> Function): the Function's `Kinesis` event.
pub const EVENT: &[Key<Wire>] = &[
    Key {
        name: "batchSize",
        title: "Batch size",
        description: "Event subscription: `BatchSize`. Default 1 (one record at a time per shard).",
        required: None,
        kind: Kind::Int {
            min: 1,
            max: 10_000,
            or: None,
            set: |w, v| w.event_mut().batch_size = Some(v),
        },
    },
    Key {
        name: "startingPosition",
        title: "Starting position",
        description: "Event subscription: `StartingPosition`. Default `TRIM_HORIZON`.",
        required: None,
        kind: Kind::Choice {
            names: StartingPosition::NAMES,
            set: |w, v| w.event_mut().starting_position = pick(v, StartingPosition::from_name),
        },
    },
    Key {
        name: "startingPositionTimestamp",
        title: "Starting timestamp",
        description: "Event subscription: `StartingPositionTimestamp`, in Unix seconds; required with, and only with, `startingPosition: AT_TIMESTAMP`.",
        required: None,
        kind: Kind::Int {
            min: 0,
            max: 253_402_300_799,
            or: None,
            set: |w, v| w.event_mut().starting_position_timestamp = Some(v),
        },
    },
    Key {
        name: "batchWindow",
        title: "Batching window (s)",
        description: "Event subscription: `MaximumBatchingWindowInSeconds`.",
        required: None,
        kind: Kind::Int {
            min: 0,
            max: 300,
            or: None,
            set: |w, v| w.event_mut().batch_window = Some(v),
        },
    },
    Key {
        name: "parallelization",
        title: "Parallelization factor",
        description: "Event subscription: `ParallelizationFactor`, batches per shard processed at once.",
        required: None,
        kind: Kind::Int {
            min: 1,
            max: 10,
            or: None,
            set: |w, v| w.event_mut().parallelization = Some(v),
        },
    },
    Key {
        name: "retries",
        title: "Maximum retries",
        description: "Event subscription: `MaximumRetryAttempts`; -1 retries until the record expires.",
        required: None,
        kind: Kind::Int {
            min: -1,
            max: 10_000,
            or: None,
            set: |w, v| w.event_mut().retries = Some(v),
        },
    },
    Key {
        name: "maxRecordAge",
        title: "Maximum record age (s)",
        description: "Event subscription: `MaximumRecordAgeInSeconds`; -1 for no limit.",
        required: None,
        kind: Kind::Int {
            min: 60,
            max: 604_800,
            or: Some((-1, "no limit")),
            set: |w, v| w.event_mut().max_record_age = Some(v),
        },
    },
    Key {
        name: "bisectOnError",
        title: "Bisect on error",
        description: "Event subscription: `BisectBatchOnFunctionError`.",
        required: None,
        kind: Kind::Bool(|w, v| w.event_mut().bisect_on_error = Some(v)),
    },
    Key {
        name: "tumblingWindow",
        title: "Tumbling window (s)",
        description: "Event subscription: `TumblingWindowInSeconds`.",
        required: None,
        kind: Kind::Int {
            min: 0,
            max: 900,
            or: None,
            set: |w, v| w.event_mut().tumbling_window = Some(v),
        },
    },
    Key {
        name: "reportBatchItemFailures",
        title: "Report batch item failures",
        description: "Event subscription: `FunctionResponseTypes: [ReportBatchItemFailures]` when true.",
        required: None,
        kind: Kind::Bool(|w, v| w.event_mut().report_batch_item_failures = Some(v)),
    },
    Key {
        name: "onFailure",
        title: "On-failure destination",
        description: "Event subscription: an SQS queue, SNS topic or S3 bucket ARN for records that fail (`DestinationConfig.OnFailure`); SAM grants the send.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |w, v| w.event_mut().on_failure = Some(v),
        },
    },
    Key {
        name: "filters",
        title: "Event filters",
        description: "Event subscription: a list of event patterns (mappings), each written as JSON to `FilterCriteria.Filters[].Pattern`.",
        required: None,
        kind: Kind::Patterns(|w, v| w.event_mut().filters = Some(v)),
    },
    Key {
        name: "enabled",
        title: "Enabled",
        description: "Event subscription: `Enabled`.",
        required: None,
        kind: Kind::Bool(|w, v| w.event_mut().enabled = Some(v)),
    },
    Key {
        name: "fanOut",
        title: "Enhanced fan-out",
        description: "Event subscription: read through an `AWS::Kinesis::StreamConsumer` `<Stream><Function>Consumer`. Default false.",
        required: None,
        kind: Kind::Bool(|w, v| w.event_mut().fan_out = Some(v)),
    },
    Key {
        name: "event",
        title: "Event name",
        description: "Event subscription: the event's name under the Function's `Events` (1 to 255 of `A-Za-z0-9`). Default: the stream's Logical ID. SAM names the event source mapping `<Function><event>`, so a migrated mapping keeps its Logical ID.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |w, v| w.event_mut().name = Some(v),
        },
    },
    Key {
        name: "properties",
        title: "Other event properties",
        description: "Event subscription: any other property of SAM's `Kinesis` event (`MetricsConfig`, `KmsKeyArn`, ...), written as given; a property a wire key writes is an error that names the key.",
        required: None,
        kind: Kind::Properties {
            owned: EVENT_OWNED,
            set: |w, v| w.event_mut().properties = v,
        },
    },
];

/// The keys of service discovery (Function -> Stream): the Function's policies and variables.
pub const DISCOVERY: &[Key<Wire>] = &[
    Key {
        name: "access",
        title: "Access",
        description: "Service discovery: `readWrite` (the default) gives `KinesisCrudPolicy` and `KinesisStreamReadPolicy` (the same actions on the ARN of an existing stream); `read` only what a reader needs (`DescribeStream`, `DescribeStreamSummary`, `GetRecords`, `GetShardIterator`, `ListShards`), `write` only what a producer needs (`DescribeStream`, `DescribeStreamSummary`, `ListShards`, `PutRecord`, `PutRecords`), on the stream's ARN.",
        required: None,
        kind: Kind::Choice {
            names: Access::NAMES,
            set: |w, v| w.discovery_mut().access = pick(v, Access::from_name),
        },
    },
    Key {
        name: "env",
        title: "Variable names",
        description: "Service discovery: the names of the environment variables that hold the stream's name and ARN. Default `STREAM_NAME` and `STREAM_ARN` (with `_2`, `_3`, ... when taken).",
        required: None,
        kind: Kind::Map(WIRE_ENV),
    },
];

/// A service discovery wire's `env`.
pub const WIRE_ENV: &[Key<Wire>] = &[
    Key {
        name: "name",
        title: "Stream name variable",
        description: "The variable that holds the stream's name. Default `STREAM_NAME`.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |w, v| w.discovery_mut().env_name = Some(v),
        },
    },
    Key {
        name: "arn",
        title: "Stream ARN variable",
        description: "The variable that holds the stream's ARN. Default `STREAM_ARN`.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |w, v| w.discovery_mut().env_arn = Some(v),
        },
    },
];
