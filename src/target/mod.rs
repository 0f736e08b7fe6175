//! Stage 3: what a checked plan is lowered to. Each target is a folder of its own behind the
//! [`Target`] trait, listed once in [`TARGETS`]; `check` asks the chosen target which Logical IDs
//! it writes and how many resources CloudFormation will count, and the pipeline asks it for the
//! template.

use crate::format::model::Sp;
use crate::plan::Plan;
use crate::template::Value;

pub mod cloudformation;
pub mod passthru;
pub mod sam;

/// A Logical ID a target writes beside the stack's own.
pub struct GeneratedId<'a> {
    pub id: String,
    /// The Logical ID of the stack resource it belongs to, where a collision is reported.
    pub owner: &'a Sp<String>,
    /// What it is, for messages ("the role SAM generates for Function `Processor`").
    pub origin: Origin<'a>,
}

/// What generates an ID, put into words only when a message needs it (a stack generates
/// hundreds of IDs and nearly never one twice).
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// A Function's role.
    Role { function: &'a str },
    /// The event source mapping of a wire from `stream` to `function`.
    Wire { stream: &'a str, function: &'a str },
    /// What SAM generates for a Function's pass-through event.
    Event { event: &'a str, function: &'a str },
    /// The fan-out consumer of `stream` for `function`.
    Consumer { stream: &'a str, function: &'a str },
}

impl Origin<'_> {
    pub fn shown(self) -> String {
        match self {
            Origin::Role { function } => {
                format!("the role SAM generates for Function `{function}`")
            }
            Origin::Wire { stream, function } => {
                format!("the event source mapping SAM generates from `{stream}` to `{function}`")
            }
            Origin::Event { event, function } => {
                format!("what SAM generates for the event `{event}` of `{function}`")
            }
            Origin::Consumer { stream, function } => {
                format!("the fan-out consumer of `{stream}` for `{function}`")
            }
        }
    }
}

/// What IAM and Lambda will count for one Function once deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionQuotas {
    /// The Function's position in the stack.
    pub function: usize,
    /// Managed policies attached to its role.
    pub managed: usize,
    /// Characters of all its role's inline policies, whitespace not counted.
    pub inline_chars: usize,
    /// Bytes of its environment variables, names and values.
    pub environment_bytes: usize,
}

pub trait Target: Sync + std::panic::RefUnwindSafe {
    /// The name `--target` takes.
    fn name(&self) -> &'static str;

    /// Every Logical ID the target writes that the stack does not name itself.
    fn generated_ids<'a>(&self, plan: &Plan<'a>) -> Vec<GeneratedId<'a>>;

    /// How many resources CloudFormation counts for the template, after any transform.
    fn resource_count(&self, plan: &Plan<'_>) -> usize;

    /// False when [`Target::resource_count`] is a lower bound: the stack passes through a
    /// resource whose expansion the target does not know.
    fn resource_count_is_exact(&self, plan: &Plan<'_>) -> bool {
        let _ = plan;
        true
    }

    /// The template, as a value `emit` writes, what of the stack the target cannot write, and
    /// what each Function will weigh against IAM's and Lambda's quotas.
    fn lower(&self, plan: &Plan<'_>) -> Lowered;
}

/// What a target made of a plan.
#[derive(Debug)]
pub struct Lowered {
    pub template: Value,
    /// Content the target cannot write as it is (for the CloudFormation target: what only SAM's
    /// transform expands), each with where it is in the template. A stack with any is refused.
    pub unsupported: Vec<cloudformation::expand::Unexpanded>,
    /// What each Function's role and environment weigh, measured on the template written.
    pub quotas: Vec<FunctionQuotas>,
}

/// Every target, by name; the first is the default.
pub const TARGETS: &[&dyn Target] = &[&sam::Sam, &cloudformation::CloudFormation];

pub const DEFAULT: &dyn Target = &sam::Sam;

/// The target `--target` names.
pub fn find(name: &str) -> Option<&'static dyn Target> {
    TARGETS.iter().copied().find(|t| t.name() == name)
}

/// The names `--target` accepts.
pub fn names() -> impl Iterator<Item = &'static str> {
    TARGETS.iter().map(|t| t.name())
}
