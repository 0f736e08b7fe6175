//! `type: Function`: an AWS Lambda function (`AWS::Serverless::Function` under SAM). Its model,
//! its key table (which `parse` reads by and `schema` describes), and the rules on its values.

use crate::arn;
use crate::diagnostics::Problem;
use crate::format::keys::{Key, Kind, TYPE_HELP, pick};
use crate::format::model::{Sp, choices};
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
    pub name: Option<Sp<String>>,
    pub memory: Option<Sp<i128>>,
    pub timeout: Option<Sp<i128>>,
    pub architecture: Option<Sp<Architecture>>,
    pub tracing: Option<Sp<bool>>,
    pub description: Option<Sp<String>>,
    pub environment: Vec<(Sp<String>, Sp<String>)>,
    pub policies: Vec<Sp<String>>,
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
        description: "The code's folder, a relative path (`CodeUri`). Default `src/<LogicalId>`.",
        required: None,
        kind: Kind::Str {
            max_len: None,
            set: |f, v| f.source = Some(v),
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
        description: "A mapping of variable names (`[a-zA-Z][a-zA-Z0-9_]+`, not reserved by Lambda) to string values (`Environment.Variables`). Quote numbers: `PORT: '8080'`.",
        required: None,
        kind: Kind::StrMap(|f, v| f.environment = v),
    },
    Key {
        name: "policies",
        title: "Policies",
        description: "Managed policy names or ARNs, appended to `Policies`.",
        required: None,
        kind: Kind::StrList(|f, v| f.policies = v),
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
            rules.no_secure_reference(value, "an environment variable");
        }
        if let Some(d) = &f.description {
            rules.no_secure_reference(d, "a function's description");
        }
        if let Some(h) = &f.handler {
            rules.no_secure_reference(h, "a handler");
        }
        for policy in &f.policies {
            if !arn::is_policy(&policy.value) {
                rules.problems.push(Problem::InvalidPolicy {
                    value: policy.value.clone(),
                    span: policy.span,
                });
            }
        }
    }
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
