//! IAM's and Lambda's quotas on each Function, checked before anything is written: a template
//! over them compiles and passes cfn-lint, and then fails at deploy time. The target says what
//! each Function will weigh, measured on the template it lowers to
//! ([`crate::target::Lowered::quotas`]); this compares.

use crate::diagnostics::{Problem, thousands};
use crate::limits::{
    DEFAULT_MANAGED_POLICIES_PER_ROLE, MAX_ENVIRONMENT_BYTES, MAX_INLINE_POLICY_CHARS,
    MAX_MANAGED_POLICIES_PER_ROLE,
};
use crate::plan::Plan;
use crate::target::FunctionQuotas;

/// The quota problems of every Function, at the Function's Logical ID.
pub fn check(plan: &Plan<'_>, quotas: &[FunctionQuotas]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for q in quotas {
        let Some(resource) = plan.stack.resources.get(q.function) else {
            continue;
        };
        let function = resource.id.value.clone();
        let span = resource.id.span;
        if q.managed > MAX_MANAGED_POLICIES_PER_ROLE {
            problems.push(Problem::ManagedPoliciesOverLimit {
                function: function.clone(),
                count: q.managed,
                span,
            });
        } else if q.managed > DEFAULT_MANAGED_POLICIES_PER_ROLE {
            problems.push(Problem::ManyManagedPolicies {
                function: function.clone(),
                count: q.managed,
                span,
            });
        }
        if q.inline_chars > MAX_INLINE_POLICY_CHARS {
            problems.push(Problem::InlinePoliciesTooLarge {
                function: function.clone(),
                chars: thousands(q.inline_chars),
                span,
            });
        }
        if q.environment_bytes > MAX_ENVIRONMENT_BYTES {
            problems.push(Problem::EnvironmentTooLarge {
                function,
                bytes: thousands(q.environment_bytes),
                span,
            });
        }
    }
    problems
}
