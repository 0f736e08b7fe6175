//! `--format mermaid`: a `flowchart LR` that GitHub and GitLab render in Markdown.
//!
//! Node IDs are `n0`, `n1`, ... (never user text, so no Logical ID can collide with Mermaid's
//! keywords); every label is a `"..."` string whose special characters are Mermaid entities.

use super::{Graph, Line, escaped};

const CLASSES: &[(&str, &str)] = &[
    ("stream", "fill:#e8f1fb,stroke:#1f5fa8,color:#0b2540"),
    (
        "existing",
        "fill:#f4f6f8,stroke:#1f5fa8,stroke-dasharray:5 3,color:#0b2540",
    ),
    ("function", "fill:#fdf2e3,stroke:#b35c00,color:#3d2000"),
    ("destination", "fill:#fbeaea,stroke:#b42318,color:#4a0d08"),
    ("passthrough", "fill:#f4f4f5,stroke:#52525b,color:#18181b"),
    ("source", "fill:#ecfdf3,stroke:#067647,color:#053321"),
];

pub fn render(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in graph.nodes.iter().enumerate() {
        let label: Vec<String> = node.lines().iter().map(|l| text(l)).collect();
        let label = label.join("<br/>");
        let (open, close) = match node.class() {
            "stream" | "existing" => ("[(", ")]"),
            "destination" => ("[/", "/]"),
            "passthrough" => ("[", "]"),
            "source" => ("([", "])"),
            _ => ("(", ")"),
        };
        out.push_str(&format!("    n{i}{open}\"{label}\"{close}\n"));
    }
    for edge in &graph.edges {
        let arrow = match edge.kind.line() {
            Line::Solid => "-->",
            Line::Dashed => "-.->",
            Line::Thick => "==>",
        };
        out.push_str(&format!(
            "    n{} {arrow}|\"{}\"| n{}\n",
            edge.from,
            text(&edge.kind.label()),
            edge.to
        ));
    }
    for (class, style) in CLASSES {
        let members: Vec<String> = graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.class() == *class)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            out.push_str(&format!("    classDef {class} {style}\n"));
            out.push_str(&format!("    class {} {class}\n", members.join(",")));
        }
    }
    let failures: Vec<String> = graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind.line() == Line::Thick)
        .map(|(i, _)| i.to_string())
        .collect();
    if !failures.is_empty() {
        out.push_str(&format!(
            "    linkStyle {} stroke:#b42318,color:#b42318\n",
            failures.join(",")
        ));
    }
    out
}

/// User text inside a Mermaid `"..."` label: quotes, `#` (which starts an entity), markup
/// characters, backquotes (Markdown strings), `|` (edge label ends) and `%` (comments) as
/// entities; control characters visible.
pub fn text(s: &str) -> String {
    escaped(s, |c| match c {
        '"' => Some("#quot;"),
        '#' => Some("#35;"),
        '<' => Some("#lt;"),
        '>' => Some("#gt;"),
        '&' => Some("#amp;"),
        '`' => Some("#96;"),
        '|' => Some("#124;"),
        '%' => Some("#37;"),
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
        let hostile = "A\"] --> evil[\"x<script>alert(1)</script>#quot;`md`|%%{init}%%\nend";
        let graph = Graph {
            nodes: vec![
                Node {
                    id: hostile.to_owned(),
                    kind: NodeKind::Stream,
                },
                Node {
                    id: "end".to_owned(),
                    kind: NodeKind::Function,
                },
            ],
            edges: vec![Edge {
                from: 1,
                to: 0,
                kind: EdgeKind::Discovery(Access::Read),
            }],
        };
        let out = render(&graph);
        let first = out.lines().nth(1).unwrap_or_default();
        assert_eq!(
            first,
            "    n0[(\"A#quot;] --#gt; evil[#quot;x#lt;script#gt;alert(1)#lt;/script#gt;#35;quot;#96;md#96;#124;#37;#37;{init}#37;#37;\u{240A}end<br/>Stream\")]"
        );
        // One statement per node and edge: nothing the label held started a new one.
        assert_eq!(out.lines().count(), 1 + 2 + 1 + 4);
        for line in out.lines().skip(1).take(3) {
            assert_eq!(line.matches('"').count(), 2, "{line}");
            assert!(!line.contains('<') || line.contains("<br/>"), "{line}");
        }
        assert!(out.contains("    n1 -.->|\"read\"| n0\n"));
    }

    #[test]
    fn edges_are_solid_dashed_and_thick() {
        let node = |id: &str, kind| Node {
            id: id.to_owned(),
            kind,
        };
        let graph = Graph {
            nodes: vec![
                node("S", NodeKind::Stream),
                node("F", NodeKind::Function),
                node(
                    "arn:aws:sqs:us-east-1:123456789012:q",
                    NodeKind::Destination(crate::arn::Destination::Sqs),
                ),
            ],
            edges: vec![
                Edge {
                    from: 0,
                    to: 1,
                    kind: EdgeKind::Event {
                        batch_size: 1,
                        starting_position: crate::format::model::StartingPosition::TrimHorizon,
                        timestamp: None,
                        fan_out: false,
                    },
                },
                Edge {
                    from: 1,
                    to: 2,
                    kind: EdgeKind::Failure,
                },
            ],
        };
        let out = render(&graph);
        assert!(
            out.contains("    n0 -->|\"batch 1, TRIM_HORIZON\"| n1\n"),
            "{out}"
        );
        assert!(out.contains("    n1 ==>|\"on failure\"| n2\n"), "{out}");
        assert!(
            out.contains("    linkStyle 1 stroke:#b42318,color:#b42318\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "n2[/\"q<br/>SQS queue, on failure<br/>arn:aws:sqs:us-east-1:123456789012:q\"/]"
            ),
            "{out}"
        );
    }
    #[test]
    fn pass_through_types_and_event_sources_are_escaped() {
        let graph = Graph {
            nodes: vec![
                Node {
                    id: "Q".to_owned(),
                    kind: NodeKind::PassThrough(Some("Custom::X\"] --> y[\"|%%".to_owned())),
                },
                Node {
                    id: "F".to_owned(),
                    kind: NodeKind::Function,
                },
                Node {
                    id: "S".to_owned(),
                    kind: NodeKind::EventSource {
                        what: "Schedule".to_owned(),
                        detail: Some("cron(<b>#)".to_owned()),
                    },
                },
            ],
            edges: vec![
                Edge {
                    from: 2,
                    to: 1,
                    kind: EdgeKind::SamEvent("Api POST /a\"|b".to_owned()),
                },
                Edge {
                    from: 1,
                    to: 0,
                    kind: EdgeKind::Reference("Q_URL".to_owned()),
                },
            ],
        };
        let out = render(&graph);
        assert_eq!(
            out.lines().nth(1),
            Some("    n0[\"Q<br/>Custom::X#quot;] --#gt; y[#quot;#124;#37;#37;\"]")
        );
        assert!(
            out.contains("    n2([\"S<br/>Schedule<br/>cron(#lt;b#gt;#35;)\"])\n"),
            "{out}"
        );
        assert!(
            out.contains("    n2 -->|\"Api POST /a#quot;#124;b\"| n1\n"),
            "{out}"
        );
        assert!(out.contains("    n1 -.->|\"Q_URL\"| n0\n"), "{out}");
        assert!(out.contains("    class n0 passthrough\n"), "{out}");
        assert!(out.contains("    class n2 source\n"), "{out}");
    }
}
