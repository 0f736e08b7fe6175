//! `--format svg`: the picture, drawn by stackwire itself (no browser, no Graphviz).
//!
//! A layered layout, left to right: each node's column is its longest path from a node nothing
//! points at (a wire back into an earlier column, as in a Function that reads a stream and
//! writes to one it is fed from, is drawn right to left); an edge over more than one column
//! passes through a free slot in each column between, so no line crosses a box. Within a
//! column, nodes are sorted by the average place of their neighbours, a few times over, to
//! untangle the lines. Boxes are sized to their text (a monospace font, whose width is known);
//! each edge's label sits in the gap after its first column, on the line, and labels in one gap
//! are pushed apart until none overlap. Every coordinate is an integer: the same graph gives the
//! same bytes everywhere.
//!
//! The file is self-contained: no scripts, no external fonts, style sheets or images.

use std::fmt::Write as _;

use super::{Graph, Line, NodeKind, visible};

const MARGIN: i64 = 24;
/// Monospace text: the width of one character at each size (0.6 em, rounded up).
const FONT_SIZE: i64 = 13;
const CHAR_WIDTH: i64 = 8;
const LINE_HEIGHT: i64 = 18;
const LABEL_FONT_SIZE: i64 = 11;
const LABEL_CHAR_WIDTH: i64 = 7;
const LABEL_HEIGHT: i64 = 16;
const PAD_X: i64 = 14;
const PAD_Y: i64 = 8;
const MIN_BOX_WIDTH: i64 = 96;
/// Between boxes in a column.
const ROW_GAP: i64 = 28;
/// The height of a slot an edge passes through a column in.
const PASS_HEIGHT: i64 = 8;
/// Between columns: at least this, and room for the labels in the gap.
const MIN_COLUMN_GAP: i64 = 64;
/// Either side of a label, for the line to bend in.
const LABEL_ROOM: i64 = 28;
const LABEL_SPACING: i64 = 6;
const SWEEPS: usize = 4;

const FONT_FAMILY: &str = "DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace";
const INK: &str = "#4a5568";
const FAILURE: &str = "#b42318";

/// An entry in a column: a node's box, or a slot an edge passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Node(usize),
    /// Edge `.0` passing through the column.
    Pass(usize),
}

/// Where an item was placed.
#[derive(Debug, Clone, Copy, Default)]
struct Placed {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

/// An edge in layout direction (left to right), through the columns from `first` to `last`.
struct Route {
    /// Node indices, in layout direction.
    from: usize,
    to: usize,
    /// Drawn right to left: the arrowhead is at `from`.
    reversed: bool,
}

/// The number of characters a text takes, counting a non-ASCII one as two (wide characters
/// exist; too wide a box is better than text over its edge).
fn columns(s: &str) -> i64 {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

pub fn render(graph: &Graph) -> String {
    let n = graph.nodes.len();
    let lines: Vec<Vec<String>> = graph
        .nodes
        .iter()
        .map(|node| node.lines().iter().map(|l| visible(l)).collect())
        .collect();
    let sizes: Vec<(i64, i64)> = lines
        .iter()
        .map(|lines| {
            let widest = lines.iter().map(|l| columns(l)).max().unwrap_or(0);
            let w = (widest * CHAR_WIDTH + 2 * PAD_X).max(MIN_BOX_WIDTH);
            let h = lines.len() as i64 * LINE_HEIGHT + 2 * PAD_Y;
            (w, h)
        })
        .collect();
    let labels: Vec<String> = graph
        .edges
        .iter()
        .map(|e| visible(&e.kind.label()))
        .collect();

    // Columns: longest path, with the edges that close a cycle turned around.
    let reversed = back_edges(graph);
    let routes: Vec<Route> = graph
        .edges
        .iter()
        .zip(&reversed)
        .map(|(e, &r)| {
            if r {
                Route {
                    from: e.to,
                    to: e.from,
                    reversed: true,
                }
            } else {
                Route {
                    from: e.from,
                    to: e.to,
                    reversed: false,
                }
            }
        })
        .collect();
    let column = columns_of(n, &routes);
    let column_count = column.iter().copied().max().map_or(0, |c| c + 1);

    // Items per column: nodes in the stack's order, then the slots edges pass through.
    let mut order: Vec<Vec<Item>> = vec![Vec::new(); column_count];
    for (i, &c) in column.iter().enumerate() {
        order[c].push(Item::Node(i));
    }
    for (e, r) in routes.iter().enumerate() {
        let between = column[r.from] + 1..column[r.to];
        for items in order.get_mut(between).into_iter().flatten() {
            items.push(Item::Pass(e));
        }
    }
    untangle(&mut order, &routes, &column);

    // Sizes of the columns and of the gaps after them.
    let item_size = |item: Item| match item {
        Item::Node(i) => sizes[i],
        Item::Pass(_) => (0, PASS_HEIGHT),
    };
    let column_width: Vec<i64> = order
        .iter()
        .map(|items| {
            items
                .iter()
                .map(|&it| item_size(it).0)
                .max()
                .unwrap_or(0)
                .max(MIN_BOX_WIDTH / 2)
        })
        .collect();
    let label_width = |e: usize| columns(&labels[e]) * LABEL_CHAR_WIDTH + 8;
    let mut gap = vec![MIN_COLUMN_GAP; column_count];
    for (e, r) in routes.iter().enumerate() {
        let c = column[r.from];
        gap[c] = gap[c].max(label_width(e) + 2 * LABEL_ROOM);
    }
    let mut left = vec![MARGIN; column_count];
    for c in 1..column_count {
        left[c] = left[c - 1] + column_width[c - 1] + gap[c - 1];
    }
    let column_height: Vec<i64> = order
        .iter()
        .map(|items| {
            let h: i64 = items.iter().map(|&it| item_size(it).1).sum();
            h + ROW_GAP * (items.len() as i64 - 1).max(0)
        })
        .collect();
    let inner_height = column_height.iter().copied().max().unwrap_or(0);

    // Place the items: each column centred on the tallest.
    let mut node_at = vec![Placed::default(); n];
    let mut pass_at: Vec<Vec<(usize, Placed)>> = vec![Vec::new(); graph.edges.len()];
    for (c, items) in order.iter().enumerate() {
        let mut y = MARGIN + (inner_height - column_height[c]) / 2;
        for &item in items {
            let (w, h) = item_size(item);
            match item {
                Item::Node(i) => {
                    let x = left[c] + (column_width[c] - w) / 2;
                    node_at[i] = Placed { x, y, w, h };
                }
                Item::Pass(e) => {
                    let placed = Placed {
                        x: left[c],
                        y,
                        w: column_width[c],
                        h,
                    };
                    pass_at[e].push((c, placed));
                }
            }
            y += h + ROW_GAP;
        }
    }

    // The points each route passes through, left to right: out of its first box, through each
    // slot, into its last box. Ports on a box's side are spread out in the order of the
    // other ends, so lines leaving one box do not cross each other there.
    let mut out_ports: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut in_ports: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, r) in routes.iter().enumerate() {
        out_ports[r.from].push(e);
        in_ports[r.to].push(e);
    }
    let centre = |p: &Placed| p.y + p.h / 2;
    let next_y = |e: usize| {
        pass_at[e]
            .first()
            .map_or_else(|| centre(&node_at[routes[e].to]), |(_, p)| centre(p))
    };
    let previous_y = |e: usize| {
        pass_at[e]
            .last()
            .map_or_else(|| centre(&node_at[routes[e].from]), |(_, p)| centre(p))
    };
    let mut start = vec![(0, 0); routes.len()];
    let mut end = vec![(0, 0); routes.len()];
    for i in 0..n {
        let p = node_at[i];
        let mut outs = out_ports[i].clone();
        outs.sort_by_key(|&e| (next_y(e), e));
        for (k, &e) in outs.iter().enumerate() {
            start[e] = (
                p.x + p.w,
                p.y + p.h * (k as i64 + 1) / (outs.len() as i64 + 1),
            );
        }
        let mut ins = in_ports[i].clone();
        ins.sort_by_key(|&e| (previous_y(e), e));
        for (k, &e) in ins.iter().enumerate() {
            end[e] = (p.x, p.y + p.h * (k as i64 + 1) / (ins.len() as i64 + 1));
        }
    }

    // Labels: in the gap after each route's first column, pushed apart.
    let mut label_at = vec![(0, 0); routes.len()];
    let mut height = inner_height + 2 * MARGIN;
    // The routes by their first column, in route order.
    let mut leaving: Vec<Vec<usize>> = vec![Vec::new(); column_count];
    for (e, r) in routes.iter().enumerate() {
        if let Some(list) = column.get(r.from).and_then(|&c| leaving.get_mut(c)) {
            list.push(e);
        }
    }
    for c in 0..column_count {
        let mut here: Vec<(i64, usize)> = leaving[c]
            .iter()
            .map(|&e| {
                let to = pass_at[e].first().map_or(end[e].1, |(_, p)| centre(p));
                ((start[e].1 + to) / 2, e)
            })
            .collect();
        here.sort();
        let mid = left[c] + column_width[c] + gap[c] / 2;
        let mut free = MARGIN - LABEL_SPACING;
        for (want, e) in here {
            let top = (want - LABEL_HEIGHT / 2).max(free + LABEL_SPACING);
            label_at[e] = (mid, top + LABEL_HEIGHT / 2);
            free = top + LABEL_HEIGHT;
            height = height.max(free + MARGIN);
        }
    }
    let width = match column_count {
        0 => 2 * MARGIN,
        c => left[c - 1] + column_width[c - 1] + MARGIN,
    };

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{FONT_FAMILY}\" role=\"img\">"
    );
    let _ = writeln!(
        svg,
        "<title>{} resources, {} wires</title>",
        graph
            .nodes
            .iter()
            .filter(|n| {
                !matches!(
                    n.kind,
                    NodeKind::Destination(_) | NodeKind::EventSource { .. }
                )
            })
            .count(),
        graph
            .edges
            .iter()
            .filter(|e| e.kind.line() != Line::Thick)
            .count()
    );
    let _ = writeln!(
        svg,
        "<defs>\n<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{INK}\"/></marker>\n<marker id=\"arrow-failure\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"4\" markerHeight=\"4\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{FAILURE}\"/></marker>\n</defs>"
    );
    let _ = writeln!(
        svg,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );

    for (e, edge) in graph.edges.iter().enumerate() {
        let r = &routes[e];
        let (class, colour, attributes, marker) = match edge.kind.line() {
            Line::Solid => ("event", INK, "stroke-width=\"1.5\"", "arrow"),
            Line::Dashed => (
                "discovery",
                INK,
                "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"",
                "arrow",
            ),
            Line::Thick => ("failure", FAILURE, "stroke-width=\"3\"", "arrow-failure"),
        };
        let (lx, ly) = label_at[e];
        let half = label_width(e) / 2;
        put(
            &mut svg,
            &[
                T("<g class=\"edge "),
                T(class),
                T("\">\n<path d=\"M"),
                N(start[e].0),
                T(","),
                N(start[e].1),
            ],
        );
        let mut at = start[e];
        let curve_to = |svg: &mut String, at: &mut (i64, i64), to: (i64, i64)| {
            let mx = (at.0 + to.0) / 2;
            let c = [T(" C"), N(mx), T(","), N(at.1), T(" "), N(mx), T(",")];
            put(svg, &c);
            put(svg, &[N(to.1), T(" "), N(to.0), T(","), N(to.1)]);
            *at = to;
        };
        curve_to(&mut svg, &mut at, (lx - half, ly));
        put(&mut svg, &[T(" L"), N(lx + half), T(","), N(ly)]);
        at = (lx + half, ly);
        for (_, p) in &pass_at[e] {
            let y = centre(p);
            curve_to(&mut svg, &mut at, (p.x, y));
            put(&mut svg, &[T(" L"), N(p.x + p.w), T(","), N(y)]);
            at = (p.x + p.w, y);
        }
        curve_to(&mut svg, &mut at, end[e]);
        let marker_at = if r.reversed {
            "marker-start"
        } else {
            "marker-end"
        };
        put(
            &mut svg,
            &[
                T("\" fill=\"none\" stroke=\""),
                T(colour),
                T("\" "),
                T(attributes),
                T(" "),
                T(marker_at),
                T("=\"url(#"),
                T(marker),
                T(")\"/>\n<rect x=\""),
                N(lx - half),
                T("\" y=\""),
                N(ly - LABEL_HEIGHT / 2),
                T("\" width=\""),
                N(2 * half),
                T("\" height=\""),
                N(LABEL_HEIGHT),
                T("\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>\n<text x=\""),
                N(lx),
                T("\" y=\""),
                N(ly + 4),
                T("\" font-size=\""),
                N(LABEL_FONT_SIZE),
                T("\" text-anchor=\"middle\" fill=\""),
                T(colour),
                T("\">"),
            ],
        );
        push_xml(&mut svg, &labels[e]);
        svg.push_str("</text>\n</g>\n");
    }

    for (i, node) in graph.nodes.iter().enumerate() {
        let p = node_at[i];
        let (fill, stroke, dash, rx) = match node.kind {
            NodeKind::Stream => ("#e8f1fb", "#1f5fa8", "", 6),
            NodeKind::ExistingStream(_) => ("#f4f6f8", "#1f5fa8", " stroke-dasharray=\"5 3\"", 6),
            NodeKind::Function => ("#fdf2e3", "#b35c00", "", 6),
            NodeKind::Destination(_) => ("#fbeaea", FAILURE, "", 6),
            NodeKind::PassThrough(_) => ("#f4f4f5", "#52525b", "", 0),
            NodeKind::EventSource { .. } => ("#ecfdf3", "#067647", "", 14),
        };
        put(
            &mut svg,
            &[T("<g class=\"node "), T(node.class()), T("\">\n<title>")],
        );
        push_xml(&mut svg, &visible(&node.id));
        put(
            &mut svg,
            &[
                T("</title>\n<rect x=\""),
                N(p.x),
                T("\" y=\""),
                N(p.y),
                T("\" width=\""),
                N(p.w),
                T("\" height=\""),
                N(p.h),
                T("\" rx=\""),
                N(rx),
                T("\" fill=\""),
                T(fill),
                T("\" stroke=\""),
                T(stroke),
                T("\" stroke-width=\"1.5\""),
                T(dash),
                T("/>\n"),
            ],
        );
        let cx = p.x + p.w / 2;
        for (k, line) in lines[i].iter().enumerate() {
            let y = p.y + PAD_Y + (k as i64 + 1) * LINE_HEIGHT - 5;
            let style = if k == 0 {
                "font-weight=\"bold\" fill=\"#1a202c\""
            } else {
                "fill=\"#4a5568\""
            };
            put(
                &mut svg,
                &[
                    T("<text x=\""),
                    N(cx),
                    T("\" y=\""),
                    N(y),
                    T("\" font-size=\""),
                    N(FONT_SIZE),
                    T("\" text-anchor=\"middle\" "),
                    T(style),
                    T(">"),
                ],
            );
            push_xml(&mut svg, line);
            svg.push_str("</text>\n");
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</svg>\n");
    svg
}

/// The edges that close a cycle, found by a depth-first search from each node in order: drawn
/// right to left so that the rest can be laid out left to right.
fn back_edges(graph: &Graph) -> Vec<bool> {
    let n = graph.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in graph.edges.iter().enumerate() {
        if edge.from < n && edge.to < n {
            out[edge.from].push(e);
        }
    }
    // 0: not seen, 1: on the path, 2: done.
    let mut state = vec![0u8; n];
    let mut back = vec![false; graph.edges.len()];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if let Some(&e) = out[node].get(top.1) {
                top.1 += 1;
                let to = graph.edges[e].to;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    // Edges to a node outside the graph are never drawn; they are not turned either.
    back
}

/// Each node's column: the longest path to it over `routes` (which have no cycle).
fn columns_of(n: usize, routes: &[Route]) -> Vec<usize> {
    let mut incoming = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for r in routes.iter().filter(|r| r.from < n && r.to < n) {
        incoming[r.to] += 1;
        out[r.from].push(r.to);
    }
    let mut column = vec![0usize; n];
    // Kahn's algorithm, smallest index first.
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| incoming[i] == 0).collect();
    while let Some(i) = ready.pop_first() {
        for &t in &out[i] {
            column[t] = column[t].max(column[i] + 1);
            incoming[t] -= 1;
            if incoming[t] == 0 {
                ready.insert(t);
            }
        }
    }
    column
}

/// Sorts each column by the average place of each item's neighbours in the column before
/// (sweeping right), then after (sweeping left), a few times; ties keep their order.
fn untangle(order: &mut [Vec<Item>], routes: &[Route], column: &[usize]) {
    // The item of route `e` in column `c`: its end node, or its slot.
    let item_in = |e: usize, c: usize| -> Option<Item> {
        let r = &routes[e];
        if column.get(r.from) == Some(&c) {
            Some(Item::Node(r.from))
        } else if column.get(r.to) == Some(&c) {
            Some(Item::Node(r.to))
        } else if column.get(r.from).is_some_and(|&f| f < c)
            && column.get(r.to).is_some_and(|&t| t > c)
        {
            Some(Item::Pass(e))
        } else {
            None
        }
    };
    // The routes each node takes part in, in route order (each route once).
    let mut of_node: Vec<Vec<usize>> = vec![Vec::new(); column.len()];
    for (e, r) in routes.iter().enumerate() {
        if let Some(list) = of_node.get_mut(r.from) {
            list.push(e);
        }
        if r.to != r.from
            && let Some(list) = of_node.get_mut(r.to)
        {
            list.push(e);
        }
    }
    // Where each item is in the column being compared with: set for that column, then cleared,
    // so a sweep costs the size of its columns, not nodes times columns.
    let mut node_at: Vec<Option<usize>> = vec![None; column.len()];
    let mut pass_at: Vec<Option<usize>> = vec![None; routes.len()];
    let columns = order.len();
    for sweep in 0..SWEEPS {
        let rightwards = sweep % 2 == 0;
        let sequence: Vec<usize> = if rightwards {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for c in sequence {
            let neighbour = if rightwards { c - 1 } else { c + 1 };
            for (p, &item) in order[neighbour].iter().enumerate() {
                let slot = match item {
                    Item::Node(i) => node_at.get_mut(i),
                    Item::Pass(e) => pass_at.get_mut(e),
                };
                if let Some(slot) = slot
                    && slot.is_none()
                {
                    *slot = Some(p);
                }
            }
            let position = |item: Item| match item {
                Item::Node(i) => node_at.get(i).copied().flatten(),
                Item::Pass(e) => pass_at.get(e).copied().flatten(),
            };
            let keyed: Vec<(i64, usize, Item)> = order[c]
                .iter()
                .enumerate()
                .map(|(k, &item)| {
                    let (mut sum, mut count) = (0i64, 0i64);
                    let one;
                    let taken: &[usize] = match item {
                        Item::Pass(e) => {
                            one = [e];
                            &one
                        }
                        Item::Node(i) => of_node.get(i).map_or(&[], Vec::as_slice),
                    };
                    for &e in taken {
                        if let Some(p) = item_in(e, neighbour).and_then(position) {
                            sum += p as i64 * 1000;
                            count += 1;
                        }
                    }
                    let key = if count == 0 {
                        k as i64 * 1000
                    } else {
                        sum / count
                    };
                    (key, k, item)
                })
                .collect();
            for &item in &order[neighbour] {
                match item {
                    Item::Node(i) => node_at.get_mut(i).map(|s| *s = None),
                    Item::Pass(e) => pass_at.get_mut(e).map(|s| *s = None),
                };
            }
            let mut keyed = keyed;
            keyed.sort_by_key(|&(key, k, _)| (key, k));
            order[c] = keyed.into_iter().map(|(_, _, item)| item).collect();
        }
    }
}

/// A piece of the picture's text: written as it is, or a number in decimal. The picture is
/// thousands of short pieces, and writing them directly is several times cheaper than `write!`.
#[derive(Clone, Copy)]
enum Part<'a> {
    T(&'a str),
    N(i64),
}
use Part::{N, T};

fn put(out: &mut String, parts: &[Part<'_>]) {
    for part in parts {
        match *part {
            T(text) => out.push_str(text),
            N(n) => push_number(out, n),
        }
    }
}

/// `n` in decimal, as `{n}` writes it.
fn push_number(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut rest = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// `s` as text for XML content and attribute values, appended to `out`.
fn push_xml(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::model::{Access, StartingPosition};
    use crate::graph::{Edge, EdgeKind, Node};

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 7, -7, 10, 99, 100, -1234, 1_000_000, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            put(&mut out, &[N(n), T(",")]);
            assert_eq!(out, format!("x{n},"));
        }
    }

    fn event() -> EdgeKind {
        EdgeKind::Event {
            batch_size: 10,
            starting_position: StartingPosition::Latest,
            timestamp: None,
            fan_out: false,
        }
    }

    fn node(id: &str, kind: NodeKind) -> Node {
        Node {
            id: id.to_owned(),
            kind,
        }
    }

    /// The boxes of the nodes, read back from the SVG: (x, y, width, height).
    fn boxes(svg: &str) -> Vec<(i64, i64, i64, i64)> {
        svg.split("<g class=\"node ")
            .skip(1)
            .filter_map(|group| {
                let rect = group.split("<rect ").nth(1)?;
                let attribute = |name: &str| -> Option<i64> {
                    let from = rect
                        .find(&format!(" {name}=\""))
                        .or_else(|| rect.starts_with(&format!("{name}=\"")).then_some(0))?;
                    let rest = &rect[from..];
                    let value = rest.split('"').nth(1)?;
                    value.parse().ok()
                };
                Some((
                    attribute("x")?,
                    attribute("y")?,
                    attribute("width")?,
                    attribute("height")?,
                ))
            })
            .collect()
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let graph = Graph {
            nodes: vec![
                node(
                    "</text><script>alert(1)</script>&amp;\"'\u{1}",
                    NodeKind::Stream,
                ),
                node("F", NodeKind::Function),
            ],
            edges: vec![Edge {
                from: 0,
                to: 1,
                kind: event(),
            }],
        };
        let svg = render(&graph);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains(
            "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&quot;&#39;\u{2401}"
        ));
        // Nothing but the escapes' own `&`.
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        assert!(!svg.contains('\u{1}'));
    }

    #[test]
    fn cycles_and_long_edges_leave_boxes_apart() {
        // F reads S and writes to it; G reads S and writes T; a long edge A -> D.
        let graph = Graph {
            nodes: vec![
                node("S", NodeKind::Stream),
                node("F", NodeKind::Function),
                node("G", NodeKind::Function),
                node("T", NodeKind::Stream),
                node("H", NodeKind::Function),
                node("Lonely", NodeKind::Stream),
            ],
            edges: vec![
                Edge {
                    from: 0,
                    to: 1,
                    kind: event(),
                },
                Edge {
                    from: 1,
                    to: 0,
                    kind: EdgeKind::Discovery(Access::Write),
                },
                Edge {
                    from: 0,
                    to: 2,
                    kind: event(),
                },
                Edge {
                    from: 2,
                    to: 3,
                    kind: EdgeKind::Discovery(Access::ReadWrite),
                },
                Edge {
                    from: 3,
                    to: 4,
                    kind: event(),
                },
                Edge {
                    from: 0,
                    to: 4,
                    kind: event(),
                },
            ],
        };
        let svg = render(&graph);
        let boxes = boxes(&svg);
        assert_eq!(boxes.len(), 6);
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart =
                    a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}\n{svg}");
            }
        }
        assert_eq!(
            svg.matches("marker-start=").count(),
            1,
            "the cycle's back edge"
        );
        assert_eq!(svg.matches("stroke-dasharray=\"6 4\"").count(), 2);
        assert_eq!(render(&graph), svg, "deterministic");
    }

    #[test]
    fn boxes_fit_their_text() {
        let long = "A".repeat(200);
        let graph = Graph {
            nodes: vec![node(&long, NodeKind::Function)],
            edges: Vec::new(),
        };
        let svg = render(&graph);
        let b = boxes(&svg);
        assert_eq!(b.len(), 1);
        assert!(b[0].2 >= 200 * CHAR_WIDTH, "{b:?}");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""));
    }
}
