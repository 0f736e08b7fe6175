//! `type: Function`: an AWS Lambda function (`AWS::Serverless::Function` under SAM). Its model,
//! its key table (which `parse` reads by and `schema` describes), and the rules on its values.

use crate::arn;
use crate::diagnostics::Problem;
use crate::format::keys::{Key, Kind, TYPE_HELP, pick};
use crate::format::model::{EnvValue, Policy, Properties, Raw, Sp, choices};
use crate::format::passthru::Intrinsics;
use crate::format::rules::Rules;
use crate::limits::MAX_FUNCTION_NAME;
use crate::runtime::{self, Status};
use crate::suggest;

/// The word `type:` takes.
pub const NAME: &str = "Function";
pub const DESCRIPTION: &str = "An AWS Lambda function (`AWS::Serverless::Function`).";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    X86_64,
    Arm64,
}

choices!(Architecture {
    X86_64 = "x86_64",
    Arm64 = "arm64",
});

#[derive(Debug, Default)]
pub struct Function {
    pub runtime: Option<Sp<String>>,
    pub handler: Option<Sp<String>>,
    pub source: Option<Sp<String>>,
    /// `source: {Bucket, Key, Version}`.
    pub source_location: Option<Raw>,
    pub name: Option<Sp<String>>,
    pub memory: Option<Sp<i128>>,
    pub timeout: Option<Sp<i128>>,
    pub architecture: Option<Sp<Architecture>>,
    pub tracing: Option<Sp<bool>>,
    pub description: Option<Sp<String>>,
    pub environment: Vec<(Sp<String>, EnvValue)>,
    pub policies: Vec<Policy>,
    pub policies_first: Option<Sp<bool>>,
    /// `properties`: other properties of `AWS::Serverless::Function`, passed through.
    pub properties: Properties,
    /// Keys written as an intrinsic function (one of [`INTRINSIC_KEYS`]), in the file's order.
    pub intrinsics: Vec<(&'static str, Raw)>,
}

/// The keys whose value may be an intrinsic function (`memory: !Ref MemoryParam`).
pub const INTRINSIC_KEYS: &[&str] = &["name", "memory", "timeout", "description"];

/// The properties stackwire writes from a Function's keys, with the key to use.
pub const OWNED: &[(&str, &str)] = &[
    ("FunctionName", "name"),
    ("Description", "description"),
    ("CodeUri", "source"),
    ("Handler", "handler"),
    ("Runtime", "runtime"),
    ("Architectures", "architecture"),
    ("MemorySize", "memory"),
    ("Timeout", "timeout"),
    ("Tracing", "tracing"),
    ("Environment", "environment"),
    ("Policies", "policies"),
];

impl Intrinsics for Function {
    fn intrinsic(&mut self, key: &'static str, raw: Raw) -> bool {
        let accepted = INTRINSIC_KEYS.contains(&key);
        if accepted {
            self.intrinsics.push((key, raw));
        }
        accepted
    }
}

impl Function {
    /// The intrinsic function written for `key`, if any.
    pub fn intrinsic_for(&self, key: &str) -> Option<&Raw> {
        self.intrinsics
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, raw)| raw)
    }
}

/// Every key of a Function.
pub const KEYS: &[Key<Function>] = &[
    Key {
        name: "type",
        title: "Resource type",
        description: DESCRIPTION,
        required: Some(TYPE_HELP),
        kind: Kind::ResourceType(NAME),
    },
    Key {
        name: "runtime",
        title: "Runtime",
        description: "A Lambda runtime identifier, such as `nodejs22.x` or `python3.13` (`Runtime`). An unknown or retired runtime is an error, a deprecated one a warning.",
        required: Some("add, for example, `runtime: nodejs22.x`"),
        kind: Kind::Str {
            max_len: None,
            set: |f, v| f.runtime = Some(v),
        },
    },
    Key {
        name: "handler",
        title: "Handler",
        description: "The entry point, such as `index.handler` (`Handler`): not empty, at most 128 bytes.",
        required: Some("add, for example, `handler: index.handler`"),
        kind: Kind::Str {
            max_len: Some(128),
            set: |f, v| f.handler = Some(v),
        },
    },
    Key {
        name: "source",
        title: "Source folder",
        description: "The code (`CodeUri`): a folder, a relative path; an `s3://bucket/key` URI; or an S3 location `{Bucket, Key, Version}`. Default `src/<LogicalId>`.",
        required: None,
        kind: Kind::Source {
            path: |f, v| f.source = Some(v),
            location: |f, v| f.source_location = Some(v),
        },
    },
    Key {
        name: "name",
        title: "Function name",
        description: "The function's physical name (`FunctionName`): 1 to 64 of `A-Za-z0-9_-`, may contain `${AWS::StackName}`. Default: not set.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |f, v| f.name = Some(v),
        },
    },
    Key {
        name: "memory",
        title: "Memory (MB)",
        description: "`MemorySize`, in MB. Default: not set.",
        required: None,
        kind: Kind::Int {
            min: 128,
            max: 10_240,
            or: None,
            set: |f, v| f.memory = Some(v),
        },
    },
    Key {
        name: "timeout",
        title: "Timeout (s)",
        description: "`Timeout`, in seconds. Default: not set.",
        required: None,
        kind: Kind::Int {
            min: 1,
            max: 900,
            or: None,
            set: |f, v| f.timeout = Some(v),
        },
    },
    Key {
        name: "architecture",
        title: "Architecture",
        description: "`Architectures`. Default: not set.",
        required: None,
        kind: Kind::Choice {
            names: Architecture::NAMES,
            set: |f, v| f.architecture = pick(v, Architecture::from_name),
        },
    },
    Key {
        name: "tracing",
        title: "X-Ray tracing",
        description: "`Tracing: Active` when true. Default: not set.",
        required: None,
        kind: Kind::Bool(|f, v| f.tracing = Some(v)),
    },
    Key {
        name: "description",
        title: "Function description",
        description: "`Description`, at most 256 bytes.",
        required: None,
        kind: Kind::Str {
            max_len: Some(256),
            set: |f, v| f.description = Some(v),
        },
    },
    Key {
        name: "environment",
        title: "Environment variables",
        description: "A mapping of variable names (`[a-zA-Z][a-zA-Z0-9_]+`, not reserved by Lambda) to string values or intrinsic functions (`Environment.Variables`). Quote numbers: `PORT: '8080'`.",
        required: None,
        kind: Kind::Env(|f, v| f.environment = v),
    },
    Key {
        name: "policies",
        title: "Policies",
        description: "Anything SAM's `Policies` takes: managed policy names or ARNs, policy templates (`SQSSendMessagePolicy: {QueueName: ...}`), inline policy documents. Appended, in order, to the policies wires give (`policiesFirst` puts them first).",
        required: None,
        kind: Kind::Policies(|f, v| f.policies = v),
    },
    Key {
        name: "policiesFirst",
        title: "Own policies first",
        description: "When true, the Function's own `policies` come before those its wires give, so a migrated role keeps SAM's inline policy names (`<Function>RolePolicy0`, ...). Default false.",
        required: None,
        kind: Kind::Bool(|f, v| f.policies_first = Some(v)),
    },
    Key {
        name: "properties",
        title: "Other function properties",
        description: "Any other property of `AWS::Serverless::Function` (`Events`, `VpcConfig`, `Layers`, ...), written as given. `Events` is merged with the events wires make. A property stackwire writes from its own keys is an error that names the key.",
        required: None,
        kind: Kind::Properties {
            owned: OWNED,
            set: |f, v| f.properties = v,
        },
    },
];

impl Function {
    /// The rules on a Function's own values.
    pub fn check(&self, rules: &mut Rules<'_>) {
        let f = self;
        if let Some(r) = &f.runtime {
            runtime(rules, r);
        }
        if let Some(h) = &f.handler {
            if h.value.trim().is_empty() {
                rules.problems.push(Problem::InvalidName {
                    what: "handler",
                    value: h.value.clone(),
                    reason: "it is empty".to_owned(),
                    span: h.span,
                    help: Some("name the entry point, such as `index.handler`".to_owned()),
                });
            } else if let Some(c) = h.value.chars().find(|c| c.is_whitespace()) {
                // Lambda's pattern for a handler is `[^\s]+`.
                rules.problems.push(Problem::InvalidName {
                        what: "handler",
                        value: h.value.clone(),
                        reason: format!("it contains whitespace (U+{:04X})", u32::from(c)),
                        span: h.span,
                        help: Some(
                            "Lambda takes a handler without spaces or line breaks, such as `index.handler`"
                                .to_owned(),
                        ),
                    });
            }
        }
        if let Some(src) = &f.source {
            let v = &src.value;
            let reason = if v.is_empty() {
                Some("it is empty")
            } else if v.starts_with('/') || v.starts_with('\\') || v.get(1..2) == Some(":") {
                Some("it is an absolute path")
            } else if let Some(rest) = v.strip_prefix("s3://") {
                match rest.split_once('/') {
                    Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => None,
                    _ => Some("an S3 URI is `s3://<bucket>/<key>`"),
                }
            } else if v.contains("://") {
                Some("it is a URL")
            } else if v.contains("${") {
                Some("a folder name cannot hold a `${...}` substitution")
            } else {
                None
            };
            if let Some(reason) = reason {
                rules.problems.push(Problem::InvalidSource {
                    value: v.clone(),
                    span: src.span,
                    reason,
                });
            }
        }
        if let Some(name) = &f.name {
            rules.physical_name(name, "function name", MAX_FUNCTION_NAME, b"_-");
        }
        for (name, value) in &f.environment {
            rules.env_var_name(name);
            match value {
                EnvValue::Text(text) => rules.no_secure_reference(text, "an environment variable"),
                EnvValue::Raw(raw) => {
                    rules.no_secure_reference_in(&raw.node, "an environment variable")
                }
            }
        }
        if let Some(d) = &f.description {
            rules.no_secure_reference(d, "a function's description");
        }
        if let Some(h) = &f.handler {
            rules.no_secure_reference(h, "a handler");
        }
        for policy in &f.policies {
            let policy = match policy {
                Policy::Name(name) => name,
                Policy::Raw(raw) => {
                    policy_template(rules, raw);
                    continue;
                }
            };
            if !arn::is_policy(&policy.value) {
                rules.problems.push(Problem::InvalidPolicy {
                    value: policy.value.clone(),
                    span: policy.span,
                });
            }
        }
    }
}

/// A one-key mapping in `policies` that is neither a policy document (`Version`, `Statement`)
/// nor an intrinsic function is a SAM policy template, which must exist.
fn policy_template(rules: &mut Rules<'_>, raw: &Raw) {
    use crate::format::node::Value;
    if raw.node.tag.is_some() {
        return;
    }
    let Value::Map(entries) = &raw.node.value else {
        return;
    };
    let [(key, _)] = entries.as_slice() else {
        return;
    };
    let Value::Str(name) = &key.value else {
        return;
    };
    let document = ["Version", "Statement", "Id", "Ref"].contains(&name.as_str());
    if document || name.starts_with("Fn::") || crate::aws::policy_templates::find(name).is_some() {
        return;
    }
    let names = crate::aws::policy_templates::TEMPLATES
        .iter()
        .map(|t| t.name);
    rules.problems.push(Problem::UnknownPolicyTemplate {
        name: name.clone(),
        span: key.span,
        help: suggest::did_you_mean(name, names),
    });
}

fn runtime(rules: &mut Rules<'_>, r: &Sp<String>) {
    let Some(known) = runtime::find(&r.value) else {
        let current: Vec<&str> = runtime::current_ids().collect();
        let help = suggest::did_you_mean(&r.value, current.iter().copied())
            .or_else(|| Some(format!("current runtimes: {}", current.join(", "))));
        rules.problems.push(Problem::UnknownRuntime {
            runtime: r.value.clone(),
            span: r.span,
            help,
        });
        return;
    };
    let help = known.successor.map(|s| format!("move to `{s}`"));
    match known.status {
        Status::Current => {}
        Status::Deprecated { since } => rules.problems.push(Problem::DeprecatedRuntime {
            runtime: r.value.clone(),
            span: r.span,
            help: help.map(|h| format!("deprecated by AWS since {since}; {h}")),
        }),
        Status::Retired { since } => rules.problems.push(Problem::RetiredRuntime {
            runtime: r.value.clone(),
            span: r.span,
            since,
            help,
        }),
    }
}
