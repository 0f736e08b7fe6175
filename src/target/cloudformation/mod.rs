//! The CloudFormation target: a template with no `Transform`, for teams that cannot use SAM's
//! (StackSets, organisations that forbid macros, tools that read a template untransformed).
//! It is the SAM lowering followed by [`expand`], which writes what AWS's SAM translator would
//! make of each Function, with the same Logical IDs, so a stack can switch targets without
//! replacing anything. What it generates and counts is therefore exactly the SAM target's.

pub mod expand;

use crate::plan::Plan;
use crate::target::sam::{self, Sam};
use crate::target::{GeneratedId, Lowered, Target};

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
    fn resource_count_is_exact(&self, plan: &Plan<'_>) -> bool {
        Sam.resource_count_is_exact(plan)
    }

    /// What stackwire itself writes always expands (the conformance tests compare every
    /// fixture's expansion with the translator's, resource by resource); what the expansion
    /// leaves to SAM's transform comes from pass-through content (`Globals`, an
    /// `AWS::Serverless::Api`, a Function's `Api` event, ...) and is reported, not written.
    fn lower(&self, plan: &Plan<'_>) -> Lowered {
        // The quotas are SAM's: the expansion writes the same roles and environments. The
        // policy templates the quotas expand are kept for the expansion to write.
        let template = sam::lower::lower(plan);
        let mut expansions = expand::Expansions::default();
        let quotas = sam::quotas::measure_keeping(plan, &template, Some(&mut expansions));
        let expanded = expand::template_with(template, &mut expansions);
        Lowered {
            template: expanded.template,
            unsupported: expanded.unexpanded,
            quotas,
        }
    }
}
