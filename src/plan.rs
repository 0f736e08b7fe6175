//! The checked plan: what stage 2 (`check`) works out and stage 3 (a target's lowering)
//! follows. A plan exists only for a stack `check` accepted; its vectors are indexed by the
//! resource's position in the stack.

use crate::format::model::{Access, EventOptions, Stack};

/// An event subscription wire, resolved.
#[derive(Debug)]
pub struct EventWire<'a> {
    pub stream: usize,
    pub options: &'a EventOptions,
    /// The wire's position in the stack.
    pub wire: usize,
}

/// A service discovery wire, resolved, with its variable names.
#[derive(Debug)]
pub struct DiscoveryWire {
    pub stream: usize,
    pub access: Access,
    pub name_var: String,
    pub arn_var: String,
}

/// What `lower` writes, worked out. Vectors are indexed by resource position.
#[derive(Debug)]
pub struct Plan<'a> {
    pub stack: &'a Stack,
    pub environment: Option<&'a str>,
    /// `--code-bucket`, for a target that writes where the code is.
    pub code_bucket: Option<&'a str>,
    pub events: Vec<Vec<EventWire<'a>>>,
    pub discoveries: Vec<Vec<DiscoveryWire>>,
    /// Functions with an enhanced fan-out consumer on each stream, in wire order.
    pub consumers: Vec<Vec<usize>>,
}
