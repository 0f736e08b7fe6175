//! The picture of a stack (`stackwire graph`, SPEC section 8): a renderer-neutral model of what
//! is drawn, built from the checked plan, and one module per format that writes it.
//!
//! Nodes are the stack's resources in the stack's order, then the failure destinations in the
//! order the wires first name them. Edges follow the wires in the stack's order; an event
//! wire's link to its failure destination comes right after it. With `--all` ([`whole`]), the
//! pass-through resources come after the stack's, the event sources after the destinations, and
//! the pass-through content's edges after the wires'. The same plan always gives the same
//! graph, and every format writes the same graph the same way every time.

pub mod dot;
pub mod mermaid;
pub mod svg;
pub mod whole;

use std::collections::{HashMap, HashSet};

use crate::arn;
use crate::format::model::{Access, Body, Existing, StartingPosition};
use crate::plan::Plan;

/// What is drawn: boxes and the arrows between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The Logical ID; for a failure destination, its ARN; for an event source, its title.
    pub id: String,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A stream the stack creates.
    Stream,
    /// A stream that exists already (or, for a parameter, may), and where it comes from.
    ExistingStream(Origin),
    Function,
    /// Where an event subscription sends the batches it gave up on (`onFailure`).
    Destination(arn::Destination),
    /// A resource of `template: Resources` (one a Function of the stack references; with
    /// `--all`, every one), and its `Type` when written as text.
    PassThrough(Option<String>),
    /// Where a SAM event of `properties: Events` comes from when no resource of the stack is
    /// (with `--all`): SAM's implicit API, a schedule, a source outside the stack. `what` is its
    /// second line (`Schedule`, `SQS source`), `detail` a third (the ARN, the expression).
    EventSource {
        what: String,
        detail: Option<String>,
    },
}

/// Where an existing stream comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `existing: <ARN>`.
    Arn(String),
    /// `existing: {env: <path>}`: the Parameter Store path, `/<environment>/<path>` when the
    /// environment is known.
    Env(String),
    /// `existing: {parameter: <Name>}`: created when the parameter is empty.
    Parameter(String),
}

/// An arrow, between two indices of [`Graph::nodes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeKind {
    /// An event subscription, Stream -> Function: a solid arrow.
    Event {
        batch_size: i128,
        starting_position: StartingPosition,
        /// `startingPositionTimestamp`, with `AT_TIMESTAMP`.
        timestamp: Option<i128>,
        fan_out: bool,
    },
    /// A service discovery, Function -> Stream: a dashed arrow.
    Discovery(Access),
    /// An event subscription's failure destination, Function -> destination.
    Failure,
    /// A SAM event of `properties: Events`, source -> Function (from a pass-through resource;
    /// with `--all`, from any source): a solid arrow,
    /// labelled with the event's type and what it says of its batches or requests.
    SamEvent(String),
    /// A Function's references to a pass-through resource in its `environment` and `policies`
    /// (always drawn): a dashed arrow, labelled with the variables and policies that name it.
    Reference(String),
}

/// How an edge is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Solid,
    Dashed,
    /// Thick: the link to a failure destination.
    Thick,
}

impl EdgeKind {
    pub fn line(&self) -> Line {
        match self {
            EdgeKind::Event { .. } | EdgeKind::SamEvent(_) => Line::Solid,
            EdgeKind::Discovery(_) | EdgeKind::Reference(_) => Line::Dashed,
            EdgeKind::Failure => Line::Thick,
        }
    }

    /// The edge's label: batch size and starting position (and `fan-out`) of an event wire,
    /// the access of a discovery wire.
    pub fn label(&self) -> String {
        match self {
            EdgeKind::Event {
                batch_size,
                starting_position,
                timestamp,
                fan_out,
            } => {
                let mut label = format!("batch {batch_size}, {}", starting_position.name());
                if let Some(t) = timestamp {
                    label.push_str(&format!(" {t}"));
                }
                if *fan_out {
                    label.push_str(", fan-out");
                }
                label
            }
            EdgeKind::Discovery(access) => access.name().to_owned(),
            EdgeKind::Failure => "on failure".to_owned(),
            EdgeKind::SamEvent(label) | EdgeKind::Reference(label) => label.clone(),
        }
    }
}

impl Node {
    /// The first line of the box: the Logical ID, or the destination's name.
    pub fn title(&self) -> String {
        match &self.kind {
            NodeKind::Destination(_) => destination_name(&self.id).to_owned(),
            _ => self.id.clone(),
        }
    }

    /// The box's text, line by line: the title, the type, and where an existing stream comes
    /// from (the ARN of a failure destination).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.title()];
        match &self.kind {
            NodeKind::Stream => lines.push("Stream".to_owned()),
            NodeKind::ExistingStream(Origin::Arn(arn)) => {
                lines.push("existing Stream".to_owned());
                lines.push(arn.clone());
            }
            NodeKind::ExistingStream(Origin::Env(path)) => {
                lines.push("existing Stream".to_owned());
                lines.push(format!("from Parameter Store {path}"));
            }
            NodeKind::ExistingStream(Origin::Parameter(name)) => {
                lines.push("Stream, or existing".to_owned());
                lines.push(format!("from parameter {name}"));
            }
            NodeKind::Function => lines.push("Function".to_owned()),
            NodeKind::Destination(kind) => {
                let what = match kind {
                    arn::Destination::Sqs => "SQS queue",
                    arn::Destination::Sns => "SNS topic",
                    arn::Destination::S3 => "S3 bucket",
                };
                lines.push(format!("{what}, on failure"));
                lines.push(self.id.clone());
            }
            NodeKind::PassThrough(rtype) => lines.push(
                rtype
                    .as_deref()
                    .map_or("(no Type)", whole::short_type)
                    .to_owned(),
            ),
            NodeKind::EventSource { what, detail } => {
                lines.push(what.clone());
                lines.extend(detail.iter().cloned());
            }
        }
        lines
    }

    /// The style class every format uses for the node.
    pub fn class(&self) -> &'static str {
        match self.kind {
            NodeKind::Stream => "stream",
            NodeKind::ExistingStream(_) => "existing",
            NodeKind::Function => "function",
            NodeKind::Destination(_) => "destination",
            NodeKind::PassThrough(_) => "passthrough",
            NodeKind::EventSource { .. } => "source",
        }
    }
}

/// The name in a destination's ARN: the queue, topic or bucket.
fn destination_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The graph of a checked stack (one without errors): its Streams, Functions and wires, and
/// with `all` its pass-through content too (see [`whole`]).
pub fn build(plan: &Plan<'_>, all: bool) -> Graph {
    let stack = plan.stack;
    let mut nodes: Vec<Node> = Vec::with_capacity(stack.resources.len());
    // Resource index -> node index (resources of an unknown type are not drawn).
    let mut node_of: Vec<Option<usize>> = Vec::with_capacity(stack.resources.len());
    for r in &stack.resources {
        let kind = match &r.body {
            Body::Stream(s) => match s.existing.as_ref().map(|e| &e.value) {
                None => Some(NodeKind::Stream),
                Some(Existing::Arn(arn)) => {
                    Some(NodeKind::ExistingStream(Origin::Arn(arn.clone())))
                }
                Some(Existing::Env(path)) => {
                    let path = match plan.environment {
                        Some(environment) => {
                            format!("/{environment}/{}", crate::ids::env_path(&path.value))
                        }
                        None => path.value.clone(),
                    };
                    Some(NodeKind::ExistingStream(Origin::Env(path)))
                }
                Some(Existing::Parameter(name)) => Some(NodeKind::ExistingStream(
                    Origin::Parameter(name.value.clone()),
                )),
            },
            Body::Function(_) => Some(NodeKind::Function),
            Body::Unknown => None,
        };
        node_of.push(kind.map(|kind| {
            nodes.push(Node {
                id: r.id.value.clone(),
                kind,
            });
            nodes.len() - 1
        }));
    }
    // The pass-through content is always read; without `all`, only the resources a Function
    // of the stack references (and those references) are kept, at the end.
    let passthrough = whole::resources(stack, &mut nodes);
    let index: HashMap<&str, usize> = stack
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.value.as_str(), i))
        .collect();
    let mut destinations: HashMap<String, usize> = HashMap::new();
    let mut failures: HashSet<(usize, usize)> = HashSet::new();
    let mut extra: Vec<Node> = Vec::new();
    let first_extra = nodes.len();
    let mut edges = Vec::with_capacity(stack.wires.len());
    for (w, wire) in stack.wires.iter().enumerate() {
        let (Some(from), Some(to)) = (&wire.from, &wire.to) else {
            continue;
        };
        let (Some(&f), Some(&t)) = (index.get(from.value.as_str()), index.get(to.value.as_str()))
        else {
            continue;
        };
        let (Some(from_node), Some(to_node)) = (node_of[f], node_of[t]) else {
            continue;
        };
        // The plan's resolution of this wire: an event of function `t` from stream `f`, or a
        // discovery of stream `t` by function `f`.
        let event = plan
            .events
            .get(t)
            .and_then(|events| events.iter().find(|e| e.wire == w));
        if let Some(event) = event {
            let o = event.options;
            let starting_position = o
                .starting_position
                .as_ref()
                .map_or(StartingPosition::TrimHorizon, |p| p.value);
            let timestamp = (starting_position == StartingPosition::AtTimestamp)
                .then(|| o.starting_position_timestamp.as_ref().map(|t| t.value))
                .flatten();
            edges.push(Edge {
                from: from_node,
                to: to_node,
                kind: EdgeKind::Event {
                    batch_size: o.batch_size.as_ref().map_or(1, |b| b.value),
                    starting_position,
                    timestamp,
                    fan_out: o.fan_out.as_ref().is_some_and(|b| b.value),
                },
            });
            let destination = o
                .on_failure
                .as_ref()
                .and_then(|d| arn::destination(&d.value).map(|kind| (&d.value, kind)));
            if let Some((arn, kind)) = destination {
                let node = *destinations.entry(arn.clone()).or_insert_with(|| {
                    extra.push(Node {
                        id: arn.clone(),
                        kind: NodeKind::Destination(kind),
                    });
                    first_extra + extra.len() - 1
                });
                if failures.insert((to_node, node)) {
                    edges.push(Edge {
                        from: to_node,
                        to: node,
                        kind: EdgeKind::Failure,
                    });
                }
            }
            continue;
        }
        let discovery = plan
            .discoveries
            .get(f)
            .and_then(|d| d.iter().find(|d| d.stream == t));
        if let Some(discovery) = discovery {
            edges.push(Edge {
                from: from_node,
                to: to_node,
                kind: EdgeKind::Discovery(discovery.access),
            });
        }
    }
    nodes.extend(extra);
    let drawn: whole::Drawn<'_> = stack
        .resources
        .iter()
        .zip(&node_of)
        .filter_map(|(r, n)| n.map(|n| (r.id.value.as_str(), n)))
        .collect();
    whole::edges(stack, &drawn, &passthrough, &mut nodes, &mut edges);
    let graph = Graph { nodes, edges };
    if all { graph } else { referenced_only(graph) }
}

/// The graph without `--all` (SPEC 8): the stack's own resources and wires, and of the
/// pass-through content only the resources a Function of the stack references (in its
/// `environment`, `policies` or `properties: Events`), with those arrows. Event sources outside
/// the stack, pass-through resources nothing of the stack names, and what pass-through
/// resources say of each other are left for `--all`.
fn referenced_only(graph: Graph) -> Graph {
    let Graph { nodes, edges } = graph;
    let own = |i: usize| {
        nodes.get(i).is_some_and(|n| {
            !matches!(
                n.kind,
                NodeKind::PassThrough(_) | NodeKind::EventSource { .. }
            )
        })
    };
    let function = |i: usize| nodes.get(i).is_some_and(|n| n.kind == NodeKind::Function);
    let pass_through = |i: usize| {
        nodes
            .get(i)
            .is_some_and(|n| matches!(n.kind, NodeKind::PassThrough(_)))
    };
    // An arrow kept: the stack's own, or between a Function of the stack and a pass-through
    // resource it names.
    let kept = |e: &Edge| match e.kind {
        EdgeKind::SamEvent(_) => pass_through(e.from) && function(e.to),
        EdgeKind::Reference(_) => function(e.from) && pass_through(e.to),
        _ => own(e.from) && own(e.to),
    };
    let mut keep: Vec<bool> = (0..nodes.len()).map(own).collect();
    for e in edges.iter().filter(|e| kept(e)) {
        for end in [e.from, e.to] {
            if let Some(k) = keep.get_mut(end) {
                *k = true;
            }
        }
    }
    let mut renumbered = Vec::with_capacity(nodes.len());
    let mut next = 0;
    for &k in &keep {
        renumbered.push(next);
        next += usize::from(k);
    }
    let edges = edges
        .into_iter()
        .filter(|e| kept(e))
        .map(|e| Edge {
            from: renumbered[e.from],
            to: renumbered[e.to],
            kind: e.kind,
        })
        .collect();
    let nodes = nodes
        .into_iter()
        .zip(keep)
        .filter_map(|(n, k)| k.then_some(n))
        .collect();
    Graph { nodes, edges }
}

/// User text made safe to show: control characters as their visible pictures (U+2400...),
/// and characters that change how text around them is read (bidirectional overrides,
/// zero-width characters, other controls) as `[U+XXXX]`. Each format escapes the result for
/// its own syntax.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let code = u32::from(c);
        match c {
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('\u{2421}'),
            c if c.is_control()
                || matches!(code, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF) =>
            {
                out.push_str(&format!("[U+{code:04X}]"));
            }
            c => out.push(c),
        }
    }
    out
}

/// User text in a format's label: made [`visible`], then each character `escape` gives a
/// replacement for written as that (the one loop Mermaid's and DOT's escaping share; each
/// format names its own characters).
pub fn escaped(text: &str, escape: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in visible(text).chars() {
        match escape(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_graph(yaml: &str, environment: Option<&str>) -> Graph {
        let options = crate::Options::environment(environment);
        let (compiled, graph) =
            crate::pipeline::compile_then(yaml.as_bytes(), &options, |plan| build(plan, false));
        assert!(compiled.template.is_some(), "{:?}", compiled.problems);
        graph.expect("a stack without errors is drawn")
    }

    #[test]
    fn nodes_follow_the_stack_and_edges_the_wires() {
        let graph = plan_graph(
            "resources:
  Orders: {type: Stream}
  Processor: {type: Function, runtime: nodejs22.x, handler: index.handler}
  Producer: {type: Function, runtime: python3.13, handler: h.handler}
wires:
  - {from: Producer, to: Orders, access: write}
  - {from: Orders, to: Processor, batchSize: 100, startingPosition: LATEST, fanOut: true,
     onFailure: 'arn:aws:sqs:us-east-1:123456789012:dlq'}
",
            None,
        );
        let ids: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "Orders",
                "Processor",
                "Producer",
                "arn:aws:sqs:us-east-1:123456789012:dlq"
            ]
        );
        let edges: Vec<(usize, usize, String, Line)> = graph
            .edges
            .iter()
            .map(|e| (e.from, e.to, e.kind.label(), e.kind.line()))
            .collect();
        assert_eq!(
            edges,
            [
                (2, 0, "write".to_owned(), Line::Dashed),
                (0, 1, "batch 100, LATEST, fan-out".to_owned(), Line::Solid),
                (1, 3, "on failure".to_owned(), Line::Thick),
            ]
        );
        assert_eq!(graph.nodes[3].title(), "dlq");
    }

    #[test]
    fn one_destination_node_and_link_however_many_wires_name_it() {
        let graph = plan_graph(
            "resources:
  A: {type: Stream}
  B: {type: Stream}
  F: {type: Function, runtime: nodejs22.x, handler: index.handler}
  G: {type: Function, runtime: nodejs22.x, handler: index.handler}
wires:
  - {from: A, to: F, onFailure: 'arn:aws:sns:us-east-1:123456789012:alerts'}
  - {from: B, to: F, onFailure: 'arn:aws:sns:us-east-1:123456789012:alerts'}
  - {from: B, to: G, onFailure: 'arn:aws:sns:us-east-1:123456789012:alerts', startingPosition: AT_TIMESTAMP, startingPositionTimestamp: 1700000000}
",
            None,
        );
        assert_eq!(graph.nodes.len(), 5);
        let failures = graph
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Failure)
            .count();
        assert_eq!(failures, 2, "F and G each link to the topic once");
        assert_eq!(
            graph.edges.last().map(|e| e.kind.label()),
            Some("on failure".to_owned())
        );
        assert_eq!(
            graph.edges[graph.edges.len() - 2].kind.label(),
            "batch 1, AT_TIMESTAMP 1700000000"
        );
    }

    #[test]
    fn existing_streams_say_where_they_come_from() {
        let graph = plan_graph(
            "resources:
  A: {type: Stream, existing: 'arn:aws:kinesis:us-east-1:123456789012:stream/a'}
  B: {type: Stream, existing: {env: streams/b}}
  C: {type: Stream, existing: {parameter: CStreamArn}}
  F: {type: Function, runtime: nodejs22.x, handler: index.handler}
wires:
  - {from: A, to: F}
  - {from: B, to: F}
  - {from: F, to: C}
",
            Some("prod"),
        );
        let lines: Vec<String> = graph.nodes[..3]
            .iter()
            .map(|n| n.lines().join(" | "))
            .collect();
        assert_eq!(
            lines,
            [
                "A | existing Stream | arn:aws:kinesis:us-east-1:123456789012:stream/a",
                "B | existing Stream | from Parameter Store /prod/streams/b",
                "C | Stream, or existing | from parameter CStreamArn",
            ]
        );
    }

    #[test]
    fn control_and_direction_characters_are_shown() {
        assert_eq!(visible("a\nb\u{7}c\u{7F}"), "a\u{240A}b\u{2407}c\u{2421}");
        assert_eq!(
            visible("x\u{202E}y\u{200B}z\u{85}"),
            "x[U+202E]y[U+200B]z[U+0085]"
        );
        assert_eq!(visible("Orders-é"), "Orders-é");
    }
}

/// What `graph` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// A `flowchart LR` that GitHub and GitLab render in Markdown
    Mermaid,
    /// Graphviz (`dot -Tsvg`)
    Dot,
    /// A finished, self-contained picture, drawn by stackwire
    Svg,
}

/// Renders the checked plan's graph in `format`; with `all`, the pass-through content too.
pub fn draw(plan: &crate::plan::Plan<'_>, format: GraphFormat, all: bool) -> String {
    let graph = build(plan, all);
    match format {
        GraphFormat::Mermaid => mermaid::render(&graph),
        GraphFormat::Dot => dot::render(&graph),
        GraphFormat::Svg => svg::render(&graph),
    }
}
