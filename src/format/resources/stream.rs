//! `type: Stream`: an Amazon Kinesis Data Stream (`AWS::Kinesis::Stream`). Its model, its key
//! table (which `parse` reads by and `schema` describes), and the rules on its values.

use crate::arn;
use crate::diagnostics::Problem;
use crate::diagnostics::thousands;
use crate::format::keys::{Form, Key, Kind, TYPE_HELP, pick};
use crate::format::model::{Properties, Raw, Sp, choices};
use crate::format::passthru::Intrinsics;
use crate::format::rules::Rules;
use crate::ids;
use crate::limits::{MAX_LOGICAL_ID, MAX_STREAM_NAME, MAX_TAG_KEY, MAX_TAG_VALUE, MAX_TAGS};

/// The word `type:` takes.
pub const NAME: &str = "Stream";
pub const DESCRIPTION: &str = "An Amazon Kinesis Data Stream (`AWS::Kinesis::Stream`).";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamMode {
    Provisioned,
    OnDemand,
}

choices!(StreamMode {
    Provisioned = "provisioned",
    OnDemand = "onDemand",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encryption {
    /// The AWS managed key, `alias/aws/kinesis`.
    Aws,
    None,
    /// A customer managed key: key ARN, key ID, alias name or alias ARN, as written.
    Key(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Existing {
    /// A literal stream ARN.
    Arn(String),
    /// An environment parameter path, resolved from SSM Parameter Store.
    Env(Sp<String>),
    /// A template parameter that switches between creating a stream and using an ARN.
    Parameter(Sp<String>),
}

#[derive(Debug, Default)]
pub struct Stream {
    pub name: Option<Sp<String>>,
    pub shard_count: Option<Sp<i128>>,
    pub mode: Option<Sp<StreamMode>>,
    pub retention_hours: Option<Sp<i128>>,
    pub encryption: Option<Sp<Encryption>>,
    pub retain: Option<Sp<bool>>,
    pub tags: Vec<(Sp<String>, Sp<String>)>,
    pub existing: Option<Sp<Existing>>,
    /// Every key written (except `type`), for the rule that `existing: <ARN>` stands alone.
    pub keys: Vec<Sp<&'static str>>,
    /// `properties`: other properties of `AWS::Kinesis::Stream`, passed through.
    pub properties: Properties,
    /// Keys written as an intrinsic function (one of [`INTRINSIC_KEYS`]), in the file's order.
    pub intrinsics: Vec<(&'static str, Raw)>,
}

/// The keys whose value may be an intrinsic function (`shardCount: !Ref Shards`).
pub const INTRINSIC_KEYS: &[&str] = &["name", "shardCount", "retentionHours"];

/// The properties stackwire writes from a Stream's keys, with the key to use.
pub const OWNED: &[(&str, &str)] = &[
    ("Name", "name"),
    ("ShardCount", "shardCount"),
    ("StreamModeDetails", "mode"),
    ("RetentionPeriodHours", "retentionHours"),
    ("StreamEncryption", "encryption"),
    ("Tags", "tags"),
];

impl Intrinsics for Stream {
    fn intrinsic(&mut self, key: &'static str, raw: Raw) -> bool {
        let accepted = INTRINSIC_KEYS.contains(&key);
        if accepted {
            self.intrinsics.push((key, raw));
        }
        accepted
    }
}

impl Stream {
    /// The intrinsic function written for `key`, if any.
    pub fn intrinsic_for(&self, key: &str) -> Option<&Raw> {
        self.intrinsics
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, raw)| raw)
    }
}

/// Every key of a Stream.
pub const KEYS: &[Key<Stream>] = &[
    Key {
        name: "type",
        title: "Resource type",
        description: DESCRIPTION,
        required: Some(TYPE_HELP),
        kind: Kind::ResourceType(NAME),
    },
    Key {
        name: "name",
        title: "Stream name",
        description: "The stream's physical name: 1 to 128 of `A-Za-z0-9_.-`, may contain `${AWS::StackName}`. Default: CloudFormation names it.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |s, v| s.name = Some(v),
        },
    },
    Key {
        name: "shardCount",
        title: "Shard count",
        description: "The number of shards (`ShardCount`). Default 1. Not with `mode: onDemand`.",
        required: None,
        kind: Kind::Int {
            min: 1,
            max: 100_000,
            or: None,
            set: |s, v| s.shard_count = Some(v),
        },
    },
    Key {
        name: "mode",
        title: "Capacity mode",
        description: "`StreamModeDetails.StreamMode`. Default: not written (provisioned). `onDemand` forbids `shardCount`.",
        required: None,
        kind: Kind::Choice {
            names: StreamMode::NAMES,
            set: |s, v| s.mode = pick(v, StreamMode::from_name),
        },
    },
    Key {
        name: "retentionHours",
        title: "Retention (hours)",
        description: "How long records are kept (`RetentionPeriodHours`). Default: not written (24).",
        required: None,
        kind: Kind::Int {
            min: 24,
            max: 8760,
            or: None,
            set: |s, v| s.retention_hours = Some(v),
        },
    },
    Key {
        name: "encryption",
        title: "Encryption",
        description: "`aws` (the AWS managed key, the default), `none`, or a customer managed KMS key: key ARN, key ID, `alias/...` or alias ARN. Wired Functions get the KMS grants they need.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |s, v| {
                let value = match v.value.as_str() {
                    "aws" => Encryption::Aws,
                    "none" => Encryption::None,
                    _ => Encryption::Key(v.value.clone()),
                };
                s.encryption = Some(Sp::new(value, v.span));
            },
        },
    },
    Key {
        name: "retain",
        title: "Retain on delete",
        description: "Keep the stream (and its data) when it leaves the stack: `DeletionPolicy` and `UpdateReplacePolicy` `Retain`. Default true.",
        required: None,
        kind: Kind::Bool(|s, v| s.retain = Some(v)),
    },
    Key {
        name: "tags",
        title: "Tags",
        description: "A mapping of tag keys to string values (`Tags`, written sorted by key).",
        required: None,
        kind: Kind::StrMap(|s, v| s.tags = v),
    },
    Key {
        name: "existing",
        title: "Use an existing stream",
        description: "Use a stream created elsewhere: its ARN, `{env: <path>}` (the ARN from Parameter Store, per environment), or `{parameter: <Name>}` (a template parameter: empty creates the stream).",
        required: None,
        kind: Kind::Existing {
            arn: "A Kinesis stream ARN, `arn:<partition>:kinesis:<region>:<account>:stream/<name>`: no stream is created, and no other Stream key may stand beside it.",
            forms: &[
                Form {
                    name: "env",
                    title: "Parameter Store path",
                    description: "The stream ARN is read from Parameter Store at `/<environment>/<path>` (`--environment NAME`).",
                    make: Existing::Env,
                },
                Form {
                    name: "parameter",
                    title: "Template parameter",
                    description: "A template parameter of this name: empty (the default) creates the stream, a stream ARN uses that stream.",
                    make: Existing::Parameter,
                },
            ],
            set: |s, v| s.existing = Some(v),
        },
    },
    Key {
        name: "properties",
        title: "Other stream properties",
        description: "Any other property of `AWS::Kinesis::Stream` (`StreamModeDetails` aside, which `mode` writes), written as given. A property stackwire writes from its own keys is an error that names the key.",
        required: None,
        kind: Kind::Properties {
            owned: OWNED,
            set: |s, v| s.properties = v,
        },
    },
];

impl Stream {
    /// The rules on a Stream's own values.
    pub fn check(&self, rules: &mut Rules<'_>) {
        let s = self;
        if let Some(existing) = &s.existing {
            check_existing(rules, s, existing);
        }
        if let Some(name) = &s.name {
            rules.physical_name(name, "stream name", MAX_STREAM_NAME, b"_.-");
        }
        let count = s
            .shard_count
            .as_ref()
            .map(|c| c.span)
            .or_else(|| s.intrinsic_for("shardCount").map(|raw| raw.node.span));
        if let (Some(mode), Some(count)) = (&s.mode, count)
            && mode.value == StreamMode::OnDemand
        {
            rules.problems.push(Problem::OnDemandShardCount {
                span: count,
                mode: mode.span,
            });
        }
        if let Some(Sp {
            value: Encryption::Key(key),
            span,
        }) = &s.encryption
            && arn::kms_key(key).is_none()
        {
            rules.problems.push(Problem::InvalidKmsKey {
                value: key.clone(),
                span: *span,
            });
        }
        if s.tags.len() > MAX_TAGS {
            let key = s.keys.iter().find(|k| k.value == "tags");
            rules.problems.push(Problem::TooManyTags {
                count: thousands(s.tags.len()),
                span: key.map_or(s.tags[MAX_TAGS].0.span, |k| k.span),
            });
        }
        for (key, value) in &s.tags {
            rules.no_secure_reference(key, "a tag key");
            rules.no_secure_reference(value, "a tag value");
            let reason = if key.value.is_empty() || key.value.chars().count() > MAX_TAG_KEY {
                Some(format!("a tag key is 1 to {MAX_TAG_KEY} characters"))
            } else if key.value.to_ascii_lowercase().starts_with("aws:") {
                Some("the `aws:` prefix is reserved for AWS".to_owned())
            } else if key.value.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
                // CloudFormation's pattern for a Kinesis tag key, `^(?!aws:).+$`, is one line.
                Some("a tag key is one line of text; it contains a line break".to_owned())
            } else {
                None
            };
            if let Some(reason) = reason {
                rules.problems.push(Problem::InvalidTag {
                    reason,
                    span: key.span,
                });
            }
            if value.value.chars().count() > MAX_TAG_VALUE {
                rules.problems.push(Problem::InvalidTag {
                    reason: format!("a tag value is at most {MAX_TAG_VALUE} characters"),
                    span: value.span,
                });
            }
        }
    }
}

fn check_existing(rules: &mut Rules<'_>, s: &Stream, existing: &Sp<Existing>) {
    match &existing.value {
        Existing::Arn(text) => {
            if arn::kinesis_stream_name(text).is_none() {
                rules.problems.push(Problem::InvalidArn {
                    what: "a Kinesis stream ARN",
                    value: text.clone(),
                    span: existing.span,
                    help: Some("a stream ARN looks like `arn:aws:kinesis:us-east-1:123456789012:stream/orders`; for a parameter, write `existing: {env: path}` or `existing: {parameter: Name}`".to_owned()),
                });
            }
            for key in s.keys.iter().filter(|k| k.value != "existing") {
                rules.problems.push(Problem::ExistingStreamConflict {
                    key: key.value.to_owned(),
                    span: key.span,
                    existing: existing.span,
                });
            }
        }
        Existing::Env(path) => {
            // No stream is created: only `encryption` (for KMS grants) means anything here.
            let ignored = ["existing", "encryption"];
            for key in s.keys.iter().filter(|k| !ignored.contains(&k.value)) {
                rules.problems.push(Problem::ExistingStreamConflict {
                    key: key.value.to_owned(),
                    span: key.span,
                    existing: existing.span,
                });
            }
            let p = &path.value;
            let reason = env_path_problem(p);
            if let Some(reason) = reason {
                rules.problems.push(Problem::InvalidName {
                    what: "environment parameter path",
                    value: p.clone(),
                    reason: reason.to_owned(),
                    span: path.span,
                    help: Some("write a Parameter Store path below the environment, such as `streams/orders`; stackwire reads `/<environment>/streams/orders`".to_owned()),
                });
            } else if rules.environment.is_none() {
                rules.problems.push(Problem::MissingEnvironment {
                    path: p.clone(),
                    span: path.span,
                });
            }
        }
        Existing::Parameter(name) => {
            if !ids::is_logical_id(&name.value) {
                rules.problems.push(Problem::InvalidName {
                    what: "parameter name",
                    value: name.value.clone(),
                    reason: format!(
                        "a template parameter name is 1 to {MAX_LOGICAL_ID} letters and digits"
                    ),
                    span: name.span,
                    help: Some("for example `existing: {parameter: OrdersStreamArn}`".to_owned()),
                });
            }
        }
    }
}

/// What is wrong with an `existing: {env: <path>}` path, if anything.
fn env_path_problem(p: &str) -> Option<&'static str> {
    if p.is_empty() || !p.chars().any(|c| c.is_ascii_alphanumeric()) {
        Some("it needs at least one letter or digit")
    } else if p.starts_with('/') {
        Some("it is relative to the environment: remove the leading `/`")
    } else if !p
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'.' | b'-'))
    {
        Some("Parameter Store paths use only `A-Za-z0-9/_.-`")
    } else if p.ends_with('/') || p.contains("//") {
        Some("a path segment is empty")
    } else if !p.contains('/') && (p.starts_with('.') || p.ends_with('.') || p.contains("..")) {
        Some("a part of the dotted key is empty")
    } else {
        None
    }
}

/// Whether `p` is a valid `existing: {env: <path>}` path (slashed, or Stackery's dotted key).
pub fn env_path_ok(p: &str) -> bool {
    env_path_problem(p).is_none()
}

#[cfg(test)]
mod env_path_ok_tests {
    use super::env_path_ok;

    #[test]
    fn dotted_keys_and_slashed_paths() {
        for ok in [
            "streams/orders",
            "lambda.memory-size",
            "a.b.c",
            "orders",
            "x/y.z",
        ] {
            assert!(env_path_ok(ok), "{ok}");
        }
        for bad in ["", "/streams", "a..b", ".a", "a.", "a//b", "a/", "a b"] {
            assert!(!env_path_ok(bad), "{bad}");
        }
    }
}
