//! `rocky lineage MODEL[.COLUMN]`: asks the analysis for the lineage graph and renders it.
//! All lineage logic lives in the analysis (`Analysis::column_lineage`, `table_lineage`).

use rocky_analysis::hir::{ColumnRef, LineageTable};
use rocky_analysis::ide::{LineageDirection, LineageGraph, LineageLookupError, LineageStart, TableLineageGraph};

use super::lineage_render::{render, Edge, Graph, Node};
use super::{say, CommandResult, Failure};
use crate::cli::{GlobalArgs, LineageArgs};
use crate::exit;
use crate::project;

/// Runs `rocky lineage`.
pub fn run(global: &GlobalArgs, args: &LineageArgs) -> CommandResult {
    let mut project = project::open(global, &project::start_dir(global, None))?;
    project.load_schema_cache();
    let analysis = project.loaded.host.analysis();
    let cancelled = || Failure::error("the analysis was interrupted", "run the command again");
    let direction = match (args.upstream, args.downstream) {
        (true, false) => LineageDirection::Upstream,
        (false, true) => LineageDirection::Downstream,
        _ => LineageDirection::Both,
    };
    let start = analysis.resolve_lineage_start(&args.target).map_err(|_| cancelled())?.map_err(lookup_failure)?;
    let graph = match start {
        LineageStart::Table { table } => {
            from_tables(analysis.table_lineage(table, direction).map_err(|_| cancelled())?, direction)
        }
        LineageStart::Column { column } => {
            from_columns(analysis.column_lineage(column, direction).map_err(|_| cancelled())?, direction)
        }
    };
    let text = render(&graph, args.format);
    say!("{}", text.trim_end_matches('\n'));
    Ok(exit::OK)
}

fn lookup_failure(e: LineageLookupError) -> Failure {
    let did_you_mean = |s: &[String]| match s {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of: {}?",
            many.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        )),
    };
    match e {
        LineageLookupError::UnknownTable { name, suggestions } => Failure::usage(
            format!("no model or source `{name}` in this project"),
            did_you_mean(&suggestions).unwrap_or_else(|| "`rocky check --format json` lists the models".into()),
        ),
        LineageLookupError::UnknownColumn { table, column, suggestions } => Failure::usage(
            format!("{} has no column `{column}`", table_label(&table)),
            did_you_mean(&suggestions).unwrap_or_else(|| {
                format!("give the model alone (`rocky lineage {}`) for model-level lineage", table_name(&table))
            }),
        ),
    }
}

fn table_name(t: &LineageTable) -> &str {
    match t {
        LineageTable::Model(n) | LineageTable::Source(n) => n,
    }
}

fn table_label(t: &LineageTable) -> String {
    match t {
        LineageTable::Model(n) => format!("model `{n}`"),
        LineageTable::Source(n) => format!("source `{n}`"),
    }
}

fn table_node(t: &LineageTable) -> Node {
    Node {
        id: table_name(t).to_string(),
        source: matches!(t, LineageTable::Source(_)),
        table: table_name(t).to_string(),
        column: None,
    }
}

fn column_node(c: &ColumnRef) -> Node {
    let table = table_name(&c.table).to_string();
    // An empty column is a key-only use: the model reads the column only to filter, join or group.
    let id = if c.column.is_empty() { format!("{table} (key use)") } else { format!("{table}.{}", c.column) };
    Node { id, source: matches!(c.table, LineageTable::Source(_)), table, column: Some(c.column.clone()) }
}

fn from_tables(g: TableLineageGraph, direction: LineageDirection) -> Graph {
    let edges = g.edges.iter().map(|(f, t)| Edge { from: table_node(f).id, to: table_node(t).id, kind: None });
    graph("model", direction, g.root.as_ref().map(table_node), g.nodes.iter().map(table_node), edges)
}

fn from_columns(g: LineageGraph, direction: LineageDirection) -> Graph {
    let edges = g.edges.iter().map(|e| Edge {
        from: column_node(&e.from).id,
        to: column_node(&e.to).id,
        kind: Some(e.kind.map(kind_name).unwrap_or_else(|| "key".into())),
    });
    graph("column", direction, g.root.as_ref().map(column_node), g.nodes.iter().map(column_node), edges)
}

fn graph(
    level: &'static str,
    direction: LineageDirection,
    root: Option<Node>,
    nodes: impl Iterator<Item = Node>,
    edges: impl Iterator<Item = Edge>,
) -> Graph {
    Graph { level, direction, root, nodes: nodes.collect(), edges: edges.collect() }
}

/// A derivation kind's JSON name (`copy`, `rename`, `cast`, …).
fn kind_name(kind: rocky_analysis::hir::DerivationKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
