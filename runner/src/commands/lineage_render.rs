//! The four output formats of `rocky lineage`: text, JSON, Graphviz dot and Mermaid. Node ids
//! are always quoted, so any model or column name gives a valid graph.

use std::fmt::Write;

use rocky_analysis::ide::LineageDirection;
use serde_json::json;

use crate::cli::LineageFormat;

/// A lineage graph ready to print (model- or column-level).
pub struct Graph {
    /// `model` or `column`.
    pub level: &'static str,
    pub direction: LineageDirection,
    pub root: Option<Node>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A model, a source, or one of their columns.
pub struct Node {
    /// `table` or `table.column`; unique within a graph.
    pub id: String,
    pub source: bool,
    pub table: String,
    pub column: Option<String>,
}

/// `to` derives from (or reads) `from`.
pub struct Edge {
    pub from: String,
    pub to: String,
    /// Derivation kind for column edges (`copy`, `aggregate`, …, `key`).
    pub kind: Option<String>,
}

/// Renders `graph` in `format` (ends with a newline).
pub fn render(graph: &Graph, format: LineageFormat) -> String {
    match format {
        LineageFormat::Text => text(graph),
        LineageFormat::Json => {
            let doc = json(graph);
            format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_else(|_| doc.to_string()))
        }
        LineageFormat::Dot => dot(graph),
        LineageFormat::Mermaid => mermaid(graph),
    }
}

fn direction_name(d: LineageDirection) -> &'static str {
    match d {
        LineageDirection::Upstream => "upstream",
        LineageDirection::Downstream => "downstream",
        LineageDirection::Both => "both",
    }
}

fn text(g: &Graph) -> String {
    let mut out = String::new();
    let root = g.root.as_ref().map(|r| r.id.as_str()).unwrap_or("?");
    let dir = match g.direction {
        LineageDirection::Both => "upstream and downstream",
        d => direction_name(d),
    };
    let _ = writeln!(out, "{} lineage of {root} ({dir}): {} nodes, {} edges", g.level, g.nodes.len(), g.edges.len());
    for e in &g.edges {
        let kind = e.kind.as_deref().map(|k| format!("  ({k})")).unwrap_or_default();
        let _ = writeln!(out, "  {} → {}{kind}", e.from, e.to);
    }
    if g.edges.is_empty() {
        let _ = writeln!(out, "  (no {dir} lineage)");
    }
    out
}

fn json(g: &Graph) -> serde_json::Value {
    let node = |n: &Node| json!({"id": n.id, "kind": if n.source { "source" } else { "model" }, "table": n.table, "column": n.column});
    json!({
        "version": 1,
        "level": g.level,
        "direction": direction_name(g.direction),
        "root": g.root.as_ref().map(node),
        "nodes": g.nodes.iter().map(node).collect::<Vec<_>>(),
        "edges": g.edges.iter().map(|e| json!({"from": e.from, "to": e.to, "kind": e.kind})).collect::<Vec<_>>(),
    })
}

/// A dot string literal: `"` and `\` escaped, line breaks as `\n`.
fn dot_quote(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "");
    format!("\"{escaped}\"")
}

fn dot(g: &Graph) -> String {
    let mut out = String::from("digraph lineage {\n  rankdir=LR;\n  node [shape=box];\n");
    for n in &g.nodes {
        let mut attrs = Vec::new();
        if n.source {
            attrs.push("shape=cylinder".to_string());
        }
        if g.root.as_ref().is_some_and(|r| r.id == n.id) {
            attrs.push("style=bold".to_string());
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(out, "  {}{attrs};", dot_quote(&n.id));
    }
    for e in &g.edges {
        let label = e.kind.as_deref().map(|k| format!(" [label={}]", dot_quote(k))).unwrap_or_default();
        let _ = writeln!(out, "  {} -> {}{label};", dot_quote(&e.from), dot_quote(&e.to));
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label: quoted, with `"` and characters Mermaid treats specially as entities.
fn mermaid_label(s: &str) -> String {
    let escaped = s.replace('#', "#35;").replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;");
    format!("\"{escaped}\"")
}

fn mermaid(g: &Graph) -> String {
    // Mermaid ids must be plain words, so nodes get `n0`, `n1`, … and carry their name as a label.
    let id = |name: &str| {
        g.nodes.iter().position(|n| n.id == name).map(|i| format!("n{i}")).unwrap_or_else(|| "unknown".into())
    };
    let mut out = String::from("flowchart LR\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let label = mermaid_label(&n.id);
        let shape = if n.source { format!("[({label})]") } else { format!("[{label}]") };
        let _ = writeln!(out, "  n{i}{shape}");
    }
    for e in &g.edges {
        let label = e.kind.as_deref().map(|k| format!("|{}|", mermaid_label(k))).unwrap_or_default();
        let _ = writeln!(out, "  {} -->{label} {}", id(&e.from), id(&e.to));
    }
    out
}
