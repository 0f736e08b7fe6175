//! The registry of resource types: each is one module here that owns its model, its key table
//! and the rules on its values; [`Type::ALL`] lists them once, and [`Body`] holds a resource of
//! each. Every match over them is exhaustive (no wildcard arm), so the compiler names each place
//! a new type must be handled: reading, checking, lowering, counting.

pub mod function;
pub mod stream;

use crate::format::keys;
use crate::format::model::Sp;
use crate::format::rules::Rules;

pub use function::{Architecture, Function};
pub use stream::{Encryption, Existing, Stream, StreamMode};

/// A resource type: the word `type:` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Stream,
    Function,
}

impl Type {
    /// Every resource type, in the order help texts and the schema list them.
    pub const ALL: &[Type] = &[Type::Stream, Type::Function];

    pub fn name(self) -> &'static str {
        match self {
            Type::Stream => stream::NAME,
            Type::Function => function::NAME,
        }
    }

    /// One sentence, for the schema and help texts.
    pub fn description(self) -> &'static str {
        match self {
            Type::Stream => stream::DESCRIPTION,
            Type::Function => function::DESCRIPTION,
        }
    }

    /// The names of the type's keys, in table order.
    pub fn key_names(self) -> Vec<&'static str> {
        match self {
            Type::Stream => keys::names(stream::KEYS),
            Type::Function => keys::names(function::KEYS),
        }
    }

    /// The type `type:` names.
    pub fn find(name: &str) -> Option<Type> {
        Type::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// The names of all types.
    pub fn names() -> Vec<&'static str> {
        Type::ALL.iter().map(|t| t.name()).collect()
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

impl Body {
    pub fn resource_type(&self) -> Option<Type> {
        match self {
            Body::Stream(_) => Some(Type::Stream),
            Body::Function(_) => Some(Type::Function),
            Body::Unknown => None,
        }
    }

    /// The rules on the resource's own values.
    pub fn check(&self, rules: &mut Rules<'_>) {
        match self {
            Body::Stream(s) => s.check(rules),
            Body::Function(f) => f.check(rules),
            Body::Unknown => {}
        }
    }
}

impl Resource {
    pub fn kind_name(&self) -> &'static str {
        self.body.resource_type().map_or("resource", Type::name)
    }
}
