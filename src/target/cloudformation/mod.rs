//! The CloudFormation target: a template with no `Transform`, for teams that cannot use SAM's
//! (StackSets, organisations that forbid macros, tools that read a template untransformed).
//! It is the SAM lowering followed by [`expand`], which writes what AWS's SAM translator would
//! make of each Function, with the same Logical IDs, so a stack can switch targets without
//! replacing anything. What it generates and counts is therefore exactly the SAM target's.

pub mod expand;

use crate::plan::Plan;
use crate::target::sam::Sam;
use crate::target::{FunctionQuotas, GeneratedId, Target};
use crate::template::Value;

pub struct CloudFormation;

impl Target for CloudFormation {
    fn name(&self) -> &'static str {
        "cloudformation"
    }

    fn generated_ids<'a>(&self, plan: &Plan<'a>) -> Vec<GeneratedId<'a>> {
        Sam.generated_ids(plan)
    }

    fn resource_count(&self, plan: &Plan<'_>) -> usize {
        Sam.resource_count(plan)
    }

    /// The same roles and functions as SAM's translation of the SAM target.
    fn quotas(&self, plan: &Plan<'_>) -> Vec<FunctionQuotas> {
        Sam.quotas(plan)
    }

    /// A stack's SAM template holds nothing the expansion leaves to SAM's transform (the
    /// conformance tests compare every fixture's expansion with the translator's, resource by
    /// resource), so what [`expand::template`] reports unexpanded is empty here.
    fn lower(&self, plan: &Plan<'_>) -> Value {
        expand::template(Sam.lower(plan)).template
    }
}
