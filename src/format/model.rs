//! The stack description as `parse` reads it: typed, and every value with its span.
//!
//! A key that is absent, or whose value had the wrong shape, is `None` here; `parse` has already
//! reported why. `check` decides whether the whole is valid; only then does `lower` run.

use miette::SourceSpan;

use crate::format::node::Node;
pub use crate::format::passthru::{EnvValue, Policy, Properties, Raw, Section};

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

pub(crate) use choices;

// The resources of the stack are defined by their types, in the registry.
pub use crate::format::resources::{
    Architecture, Body, Encryption, Existing, Function, Resource, Stream, StreamMode,
};

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
    /// `account`: the AWS account the stack deploys to.
    pub account: Option<Sp<String>>,
    pub resources: Vec<Resource>,
    /// The `resources` key, where stack-wide problems (limits) point.
    pub resources_key: SourceSpan,
    pub wires: Vec<Wire>,
    /// `template:`, the pass-through sections.
    pub template: Vec<Section>,
}

impl Stack {
    /// The pass-through section `name`, if written.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.template.iter().find(|s| s.name.value == name)
    }
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            name: None,
            description: None,
            account: None,
            resources: Vec::new(),
            resources_key: SourceSpan::new(0.into(), 0),
            wires: Vec::new(),
            template: Vec::new(),
        }
    }
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
    /// `event`: the event's name (default: the stream's Logical ID).
    pub name: Option<Sp<String>>,
    /// `properties`: other properties of the event, passed through.
    pub properties: Properties,
}

impl EventOptions {
    /// No option written.
    const NONE: EventOptions = EventOptions {
        batch_size: None,
        starting_position: None,
        starting_position_timestamp: None,
        batch_window: None,
        parallelization: None,
        retries: None,
        max_record_age: None,
        bisect_on_error: None,
        tumbling_window: None,
        report_batch_item_failures: None,
        on_failure: None,
        filters: None,
        enabled: None,
        fan_out: None,
        name: None,
        properties: Vec::new(),
    };
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
    /// The keys of an event subscription written, if any: the bulk of a wire's size, held
    /// apart so a wire that writes none (a discovery, an event with the defaults) is small.
    pub event: Option<Box<EventOptions>>,
    /// The keys of a service discovery written, if any.
    pub discovery: Option<Box<DiscoveryOptions>>,
    /// Every key written, so `check` can reject keys of the other wire kind.
    pub keys: Vec<Sp<&'static str>>,
}

/// The options of a wire that writes none.
static NO_EVENT_OPTIONS: EventOptions = EventOptions::NONE;
static NO_DISCOVERY_OPTIONS: DiscoveryOptions = DiscoveryOptions {
    access: None,
    env_name: None,
    env_arn: None,
};

impl Wire {
    /// The wire's event subscription options (all unset when it writes none).
    pub fn event(&self) -> &EventOptions {
        self.event.as_deref().unwrap_or(&NO_EVENT_OPTIONS)
    }

    /// The wire's service discovery options (all unset when it writes none).
    pub fn discovery(&self) -> &DiscoveryOptions {
        self.discovery.as_deref().unwrap_or(&NO_DISCOVERY_OPTIONS)
    }

    pub(crate) fn event_mut(&mut self) -> &mut EventOptions {
        self.event.get_or_insert_with(Box::default)
    }

    pub(crate) fn discovery_mut(&mut self) -> &mut DiscoveryOptions {
        self.discovery.get_or_insert_with(Box::default)
    }
}
