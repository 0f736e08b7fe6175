//! The SAM target: a template with `Transform: AWS::Serverless-2016-10-31`, Functions as
//! `AWS::Serverless::Function` with SAM's policy templates. What SAM generates from them (each
//! Function's role, one event source mapping per event) is named and counted here.

mod count;
mod ids;
pub(super) mod lower;
pub(super) mod quotas;

use count::passthru_events;

use crate::format::model::{Body, Existing};
use crate::plan::Plan;
use crate::target::{GeneratedId, Lowered, Origin, Target};

pub struct Sam;

impl Target for Sam {
    fn name(&self) -> &'static str {
        "sam"
    }

    fn generated_ids<'a>(&self, plan: &Plan<'a>) -> Vec<GeneratedId<'a>> {
        let resources = &plan.stack.resources;
        // Counted first (a role per Function, a mapping per event wire, a consumer per fan-out
        // wire; pass-through events come on top): a list grown a push at a time holds up to
        // twice the room it needs, a megabyte at the input cap.
        let known: usize = resources
            .iter()
            .enumerate()
            .map(|(i, r)| match r.body {
                Body::Function(_) => 1 + plan.events[i].len(),
                Body::Stream(_) => plan.consumers[i].len(),
                Body::Unknown => 0,
            })
            .sum();
        let mut generated = Vec::with_capacity(known);
        for (i, r) in resources.iter().enumerate() {
            let id = &r.id;
            match &r.body {
                Body::Function(_) => {
                    let origin = Origin::Role {
                        function: &id.value,
                    };
                    generated.push(GeneratedId {
                        id: ids::role(&id.value),
                        owner: id,
                        origin,
                    });
                    for e in &plan.events[i] {
                        let stream = &resources[e.stream].id.value;
                        let origin = Origin::Wire {
                            stream,
                            function: &id.value,
                        };
                        let event = e.options.name.as_ref().map_or(stream, |n| &n.value);
                        generated.push(GeneratedId {
                            id: ids::event_source_mapping(&id.value, event),
                            owner: id,
                            origin,
                        });
                    }
                    let wired: Vec<&str> = plan.events[i]
                        .iter()
                        .map(|e| {
                            let stream = &resources[e.stream].id.value;
                            e.options
                                .name
                                .as_ref()
                                .map_or(stream.as_str(), |n| &n.value)
                        })
                        .collect();
                    // An event named like a wire's is already an error of its own.
                    for (event, _) in passthru_events(r).filter(|(e, _)| !wired.contains(e)) {
                        let origin = Origin::Event {
                            event,
                            function: &id.value,
                        };
                        generated.push(GeneratedId {
                            id: ids::event_source_mapping(&id.value, event),
                            owner: id,
                            origin,
                        });
                    }
                }
                Body::Stream(_) => {
                    for f in &plan.consumers[i] {
                        let function = &resources[*f].id.value;
                        let origin = Origin::Consumer {
                            stream: &id.value,
                            function,
                        };
                        generated.push(GeneratedId {
                            id: crate::ids::consumer(&id.value, function),
                            owner: id,
                            origin,
                        });
                    }
                }
                Body::Unknown => {}
            }
        }
        generated
    }

    /// What CloudFormation counts once SAM has expanded the template.
    fn resource_count(&self, plan: &Plan<'_>) -> usize {
        let mut count = 0;
        for (i, r) in plan.stack.resources.iter().enumerate() {
            match &r.body {
                Body::Stream(s) => {
                    if !matches!(
                        s.existing.as_ref().map(|e| &e.value),
                        Some(Existing::Arn(_) | Existing::Env(_))
                    ) {
                        count += 1;
                    }
                    count += plan.consumers[i].len();
                }
                // The function, its role, and one event source mapping per event.
                Body::Function(_) => {
                    count += 2 + plan.events[i].len();
                    for (_, event_type) in passthru_events(r) {
                        count += count::event(event_type).0;
                    }
                }
                Body::Unknown => {}
            }
        }
        count + count::passthru(plan.stack).0 + count::implicit_api(plan.stack)
    }

    fn resource_count_is_exact(&self, plan: &Plan<'_>) -> bool {
        let events_exact = plan
            .stack
            .resources
            .iter()
            .all(|r| passthru_events(r).all(|(_, t)| count::event(t).1));
        events_exact && count::passthru(plan.stack).1
    }

    fn lower(&self, plan: &Plan<'_>) -> Lowered {
        let template = lower::lower(plan);
        let quotas = quotas::measure(plan, &template);
        Lowered {
            template,
            unsupported: Vec::new(),
            quotas,
        }
    }
}
