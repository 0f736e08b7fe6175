//! `--format dot`: a Graphviz digraph, left to right (`dot -Tsvg`).
//!
//! Node IDs are `n0`, `n1`, ...; every label is a quoted string with `"` and `\` escaped (so
//! no `\N`-style escape of Graphviz's applies) and `&` written as `&amp;` (Graphviz reads
//! character entities in labels).

use super::{Graph, Line, escaped};

pub fn render(graph: &Graph) -> String {
    let mut out = String::from(
        "digraph stackwire {\n    rankdir=LR;\n    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n    edge [fontname=\"Helvetica\", fontsize=10, color=\"#4a5568\"];\n",
    );
    for (i, node) in graph.nodes.iter().enumerate() {
        let label: Vec<String> = node.lines().iter().map(|l| text(l)).collect();
        let label = label.join("\\n");
        let style = match node.class() {
            "stream" => "shape=cylinder, style=filled, fillcolor=\"#e8f1fb\", color=\"#1f5fa8\"",
            "existing" => {
                "shape=cylinder, style=\"filled,dashed\", fillcolor=\"#f4f6f8\", color=\"#1f5fa8\""
            }
            "destination" => {
                "shape=parallelogram, style=filled, fillcolor=\"#fbeaea\", color=\"#b42318\""
            }
            "passthrough" => "style=filled, fillcolor=\"#f4f4f5\", color=\"#52525b\"",
            "source" => "shape=ellipse, style=filled, fillcolor=\"#ecfdf3\", color=\"#067647\"",
            _ => "fillcolor=\"#fdf2e3\", color=\"#b35c00\"",
        };
        out.push_str(&format!("    n{i} [label=\"{label}\", {style}];\n"));
    }
    for edge in &graph.edges {
        let style = match edge.kind.line() {
            Line::Solid => "",
            Line::Dashed => ", style=dashed",
            Line::Thick => ", style=bold, color=\"#b42318\", fontcolor=\"#b42318\"",
        };
        out.push_str(&format!(
            "    n{} -> n{} [label=\"{}\"{style}];\n",
            edge.from,
            edge.to,
            text(&edge.kind.label())
        ));
    }
    out.push_str("}\n");
    out
}

/// User text inside a DOT quoted string.
pub fn text(s: &str) -> String {
    escaped(s, |c| match c {
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '&' => Some("&amp;"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::model::Access;
    use crate::graph::{Edge, EdgeKind, Node, NodeKind};

    #[test]
    fn hostile_labels_stay_inside_their_strings() {
        let graph = Graph {
            nodes: vec![
                Node {
                    id: "A\"]; evil [label=\"x\\N\\\" &lt; <b>\n}".to_owned(),
                    kind: NodeKind::Stream,
                },
                Node {
                    id: "node".to_owned(),
                    kind: NodeKind::Function,
                },
            ],
            edges: vec![Edge {
                from: 1,
                to: 0,
                kind: EdgeKind::Discovery(Access::Write),
            }],
        };
        let out = render(&graph);
        let line = out.lines().nth(4).unwrap_or_default();
        assert_eq!(
            line,
            "    n0 [label=\"A\\\"]; evil [label=\\\"x\\\\N\\\\\\\" &amp;lt; <b>\u{240A}}\\nStream\", shape=cylinder, style=filled, fillcolor=\"#e8f1fb\", color=\"#1f5fa8\"];"
        );
        assert!(out.contains("    n1 [label=\"node\\nFunction\""), "{out}");
        assert!(
            out.contains("    n1 -> n0 [label=\"write\", style=dashed];\n"),
            "{out}"
        );
        assert!(out.ends_with("}\n"));
        assert_eq!(out.lines().count(), 4 + 2 + 1 + 1);
    }
    #[test]
    fn pass_through_types_and_event_sources_are_escaped() {
        let graph = Graph {
            nodes: vec![
                Node {
                    id: "Q".to_owned(),
                    kind: NodeKind::PassThrough(Some("Custom::X\"]; \\N &lt;".to_owned())),
                },
                Node {
                    id: "F".to_owned(),
                    kind: NodeKind::Function,
                },
                Node {
                    id: "S".to_owned(),
                    kind: NodeKind::EventSource {
                        what: "SQS source".to_owned(),
                        detail: Some("arn:\"x\"".to_owned()),
                    },
                },
            ],
            edges: vec![Edge {
                from: 2,
                to: 1,
                kind: EdgeKind::SamEvent("Api GET /\"a\"".to_owned()),
            }],
        };
        let out = render(&graph);
        assert!(
            out.contains("    n0 [label=\"Q\\nCustom::X\\\"]; \\\\N &amp;lt;\", style=filled, fillcolor=\"#f4f4f5\", color=\"#52525b\"];\n"),
            "{out}"
        );
        assert!(
            out.contains("    n2 [label=\"S\\nSQS source\\narn:\\\"x\\\"\", shape=ellipse,"),
            "{out}"
        );
        assert!(
            out.contains("    n2 -> n1 [label=\"Api GET /\\\"a\\\"\"];\n"),
            "{out}"
        );
    }
}
