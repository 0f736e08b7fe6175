//! The stack description as `parse` reads it: typed, and every value with its span.
//!
//! A key that is absent, or whose value had the wrong shape, is `None` here; `parse` has already
//! reported why. `check` decides whether the whole is valid; only then does `lower` run.

use miette::SourceSpan;

use crate::format::node::Node;

/// The words a key of fixed choices takes, and the value each stands for: one list per enum,
/// read by `parse` (through `keys`), written back by `lower`, and listed by the JSON Schema.
macro_rules! choices {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }
    };
}

/// A value and the span of the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: SourceSpan,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: SourceSpan) -> Self {
        Sp { value, span }
    }
}

#[derive(Debug)]
pub struct Stack {
    pub name: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
    pub resources: Vec<Resource>,
    /// The `resources` key, where stack-wide problems (limits) point.
    pub resources_key: SourceSpan,
    pub wires: Vec<Wire>,
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            name: None,
            description: None,
            resources: Vec::new(),
            resources_key: SourceSpan::new(0.into(), 0),
            wires: Vec::new(),
        }
    }
}

#[derive(Debug)]
pub struct Resource {
    pub id: Sp<String>,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    Stream(Box<Stream>),
    Function(Box<Function>),
    /// The `type` was missing or unknown (already reported); wires to it are not checked.
    Unknown,
}

impl Resource {
    pub fn kind_name(&self) -> &'static str {
        match self.body {
            Body::Stream(_) => "Stream",
            Body::Function(_) => "Function",
            Body::Unknown => "resource",
        }
    }
}

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
    pub keys: Vec<Sp<String>>,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireKind {
    Event,
    Discovery,
}

choices!(WireKind {
    Event = "event",
    Discovery = "discovery",
});

impl WireKind {
    pub fn with_article(self) -> &'static str {
        match self {
            WireKind::Event => "an event subscription",
            WireKind::Discovery => "a service discovery",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            WireKind::Event => "event subscription",
            WireKind::Discovery => "service discovery",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartingPosition {
    TrimHorizon,
    Latest,
    AtTimestamp,
}

choices!(StartingPosition {
    TrimHorizon = "TRIM_HORIZON",
    Latest = "LATEST",
    AtTimestamp = "AT_TIMESTAMP",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    Read,
    Write,
}

choices!(Access {
    ReadWrite = "readWrite",
    Read = "read",
    Write = "write",
});

impl Access {
    pub fn reads(self) -> bool {
        matches!(self, Access::ReadWrite | Access::Read)
    }

    pub fn writes(self) -> bool {
        matches!(self, Access::ReadWrite | Access::Write)
    }
}

/// The keys of an event subscription wire (Stream -> Function).
#[derive(Debug, Default)]
pub struct EventOptions {
    pub batch_size: Option<Sp<i128>>,
    pub starting_position: Option<Sp<StartingPosition>>,
    pub starting_position_timestamp: Option<Sp<i128>>,
    pub batch_window: Option<Sp<i128>>,
    pub parallelization: Option<Sp<i128>>,
    pub retries: Option<Sp<i128>>,
    pub max_record_age: Option<Sp<i128>>,
    pub bisect_on_error: Option<Sp<bool>>,
    pub tumbling_window: Option<Sp<i128>>,
    pub report_batch_item_failures: Option<Sp<bool>>,
    pub on_failure: Option<Sp<String>>,
    pub filters: Option<Sp<Vec<Node>>>,
    pub enabled: Option<Sp<bool>>,
    pub fan_out: Option<Sp<bool>>,
}

/// The keys of a service discovery wire (Function -> Stream).
#[derive(Debug, Default)]
pub struct DiscoveryOptions {
    pub access: Option<Sp<Access>>,
    pub env_name: Option<Sp<String>>,
    pub env_arn: Option<Sp<String>>,
}

#[derive(Debug)]
pub struct Wire {
    /// The whole list item.
    pub span: SourceSpan,
    pub from: Option<Sp<String>>,
    pub to: Option<Sp<String>>,
    pub kind: Option<Sp<WireKind>>,
    pub event: EventOptions,
    pub discovery: DiscoveryOptions,
    /// Every key written, so `check` can reject keys of the other wire kind.
    pub keys: Vec<Sp<String>>,
}
