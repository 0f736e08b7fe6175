//! `account`: the account the stack deploys to, and the discovery wires it makes wrong. The SDK
//! looks a stream *name* up in the caller's account, so a Function that calls Kinesis with
//! `STREAM_NAME` reaches a stream of its own account of that name (or none), never one that an
//! `existing` ARN places in another account; every data-plane call takes `StreamARN` instead.

use crate::arn;
use crate::diagnostics::Problem;
use crate::format::model::{Body, Existing, Stack};
use crate::plan::Plan;

pub fn check(stack: &Stack, plan: &Plan<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(account) = &stack.account else {
        return problems;
    };
    if !arn::is_account(&account.value) {
        problems.push(Problem::InvalidAccount {
            value: account.value.clone(),
            span: account.span,
        });
        return problems;
    }
    let index = |id: &str| stack.resources.iter().position(|r| r.id.value == id);
    for wire in &stack.wires {
        let (Some(from), Some(to)) = (&wire.from, &wire.to) else {
            continue;
        };
        let (Some(f), Some(s)) = (index(&from.value), index(&to.value)) else {
            continue;
        };
        let Body::Stream(stream) = &stack.resources[s].body else {
            continue;
        };
        let Some(Existing::Arn(text)) = stream.existing.as_ref().map(|e| &e.value) else {
            continue;
        };
        let Some(theirs) = arn::parse(text).map(|a| a.account) else {
            continue;
        };
        if theirs == account.value || !arn::is_account(theirs) {
            continue;
        }
        let Some(d) = plan
            .discoveries
            .get(f)
            .and_then(|ds| ds.iter().find(|d| d.stream == s))
        else {
            continue;
        };
        problems.push(Problem::CrossAccountStreamName {
            name_var: d.name_var.clone(),
            stream: to.value.clone(),
            theirs: theirs.to_owned(),
            span: wire.span,
            help: format!(
                "`{}` runs in {} (`account`), where the SDK looks a stream name up: call Kinesis with `{}` instead (every data-plane call takes `StreamARN`)",
                from.value, account.value, d.arn_var
            ),
        });
    }
    problems
}
