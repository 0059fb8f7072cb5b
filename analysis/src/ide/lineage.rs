//! Transitive column lineage: walk model lineages upstream, or the downstream index downstream.

use std::collections::{BTreeSet, VecDeque};

use super::{Analysis, Cancellable};
use crate::base::Db;
use crate::hir::{self, ColumnRef, DerivationKind, LineageTable};

/// One edge of a lineage graph: `to` derives from `from` (`kind` is `None` for key-only uses,
/// where `to` names the reading model with an empty column).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineageEdge {
    pub from: ColumnRef,
    pub to: ColumnRef,
    pub kind: Option<DerivationKind>,
}

/// The columns reachable from a start column and the edges between them.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct LineageGraph {
    pub root: Option<ColumnRef>,
    pub nodes: Vec<ColumnRef>,
    pub edges: Vec<LineageEdge>,
}

impl Analysis {
    /// Every column `model.column` derives from, transitively, down to sources.
    pub fn upstream_lineage(&self, model: &str, column: &str) -> Cancellable<LineageGraph> {
        let root = ColumnRef { table: LineageTable::Model(model.to_string()), column: column.to_string() };
        self.walk(root, |db, node| {
            let LineageTable::Model(name) = &node.table else { return Vec::new() };
            let Some(file) = hir::model_index(db).by_name(name) else { return Vec::new() };
            let lineage = hir::model_lineage(db, file);
            lineage
                .columns
                .iter()
                .filter(|c| c.column.eq_ignore_ascii_case(&node.column))
                .flat_map(|c| c.inputs.iter())
                .map(|i| LineageEdge { from: i.column.clone(), to: node.clone(), kind: Some(i.kind) })
                .collect()
        })
    }

    /// Every model column derived from `table.column` (a model or source), transitively, plus
    /// models that use it only as a key.
    pub fn downstream_lineage(&self, table: LineageTable, column: &str) -> Cancellable<LineageGraph> {
        let root = ColumnRef { table, column: column.to_string() };
        self.walk(root, |db, node| {
            hir::column_consumers(db, &node.table, &node.column)
                .into_iter()
                .map(|c| LineageEdge {
                    from: node.clone(),
                    to: ColumnRef { table: LineageTable::Model(c.model), column: c.column.unwrap_or_default() },
                    kind: c.kind,
                })
                .collect()
        })
    }

    fn walk(
        &self,
        root: ColumnRef,
        step: impl Fn(&crate::base::RootDatabase, &ColumnRef) -> Vec<LineageEdge> + std::panic::UnwindSafe,
    ) -> Cancellable<LineageGraph> {
        self.with_db(move |db| {
            let mut seen: BTreeSet<ColumnRef> = BTreeSet::new();
            let mut edges: BTreeSet<LineageEdge> = BTreeSet::new();
            let mut queue = VecDeque::from([root.clone()]);
            seen.insert(root.clone());
            while let Some(node) = queue.pop_front() {
                // Key-only uses (empty column) end the walk.
                if node.column.is_empty() {
                    continue;
                }
                for edge in step(db, &node) {
                    for next in [&edge.from, &edge.to] {
                        if seen.insert(next.clone()) {
                            queue.push_back(next.clone());
                        }
                    }
                    edges.insert(edge);
                }
            }
            LineageGraph { root: Some(root), nodes: seen.into_iter().collect(), edges: edges.into_iter().collect() }
        })
    }
}

/// Which way a lineage walk goes from its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageDirection {
    /// What the start derives from.
    Upstream,
    /// What derives from the start.
    Downstream,
    /// Both.
    Both,
}

/// What a lineage request starts from, resolved against the project (canonical names).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "level", rename_all = "snake_case")]
pub enum LineageStart {
    /// A whole model or source: model-level lineage.
    Table { table: LineageTable },
    /// One column: column-level lineage.
    Column { column: ColumnRef },
}

/// Why a lineage start could not be resolved, with the closest names (best first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineageLookupError {
    /// No model (or source read by a model) has this name.
    UnknownTable { name: String, suggestions: Vec<String> },
    /// The model or source exists but has no such column.
    UnknownColumn { table: LineageTable, column: String, suggestions: Vec<String> },
}

/// Model-level lineage: tables (models and sources) and `(upstream, downstream)` edges.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct TableLineageGraph {
    pub root: Option<LineageTable>,
    pub nodes: Vec<LineageTable>,
    pub edges: Vec<(LineageTable, LineageTable)>,
}

impl Analysis {
    /// Resolves `MODEL`, `MODEL.COLUMN`, a source (`schema.table` or `catalog.schema.table`, as
    /// models read it) or `SOURCE.COLUMN`. Names match case-insensitively; a model wins over a
    /// source with the same spelling.
    pub fn resolve_lineage_start(&self, spec: &str) -> Cancellable<Result<LineageStart, LineageLookupError>> {
        let spec = spec.trim().to_string();
        self.with_db(move |db| {
            let tables = known_tables(db);
            if let Some(table) = find_table(db, &tables, &spec) {
                return Ok(LineageStart::Table { table });
            }
            let Some((prefix, column)) = spec.rsplit_once('.') else {
                return Err(unknown_table(&tables, &spec));
            };
            let Some(table) = find_table(db, &tables, prefix) else {
                return Err(unknown_table(&tables, prefix));
            };
            match table_columns(db, &table) {
                // Columns not fully known (open schema, uncached source): accept the name as written.
                None => Ok(LineageStart::Column { column: ColumnRef { table, column: column.to_string() } }),
                Some(columns) => match columns.iter().find(|c| c.eq_ignore_ascii_case(column)) {
                    Some(c) => Ok(LineageStart::Column { column: ColumnRef { table, column: c.clone() } }),
                    None => Err(LineageLookupError::UnknownColumn {
                        table,
                        column: column.to_string(),
                        suggestions: closest(column, columns.iter().map(String::as_str)),
                    }),
                },
            }
        })
    }

    /// Column-level lineage in one or both directions (the union of both walks for `Both`).
    pub fn column_lineage(&self, column: ColumnRef, direction: LineageDirection) -> Cancellable<LineageGraph> {
        let mut graph = LineageGraph { root: Some(column.clone()), nodes: vec![column.clone()], edges: Vec::new() };
        let mut walks = Vec::new();
        if direction != LineageDirection::Downstream {
            // A source column derives from nothing Rocky knows.
            if let LineageTable::Model(model) = &column.table {
                walks.push(self.upstream_lineage(model, &column.column)?);
            }
        }
        if direction != LineageDirection::Upstream {
            walks.push(self.downstream_lineage(column.table.clone(), &column.column)?);
        }
        for walk in walks {
            graph.nodes.extend(walk.nodes);
            graph.edges.extend(walk.edges);
        }
        graph.nodes.sort();
        graph.nodes.dedup();
        graph.edges.sort();
        graph.edges.dedup();
        Ok(graph)
    }

    /// Model-level lineage: the models and sources a table reads (upstream) and the models that
    /// read it (downstream), transitively.
    pub fn table_lineage(&self, table: LineageTable, direction: LineageDirection) -> Cancellable<TableLineageGraph> {
        self.with_db(move |db| {
            // One step: a table's direct inputs (upstream) or direct readers (downstream).
            let step = |node: &LineageTable, upstream: bool| -> Vec<LineageTable> {
                if !upstream {
                    let readers = hir::readers_index(db).of_table(db, node);
                    return readers
                        .iter()
                        .map(|m| LineageTable::Model(hir::model_settings(db, *m).name.clone()))
                        .collect();
                }
                let LineageTable::Model(name) = node else { return Vec::new() };
                let Some(file) = hir::model_index(db).by_name(name) else { return Vec::new() };
                let deps = hir::model_dependencies(db, file);
                let models = deps.model_names(db).into_iter().map(LineageTable::Model);
                models.chain(deps.sources.iter().cloned().map(LineageTable::Source)).collect()
            };
            let mut seen = BTreeSet::from([table.clone()]);
            let mut used = BTreeSet::new();
            for upstream in [true, false] {
                let wanted = if upstream { LineageDirection::Upstream } else { LineageDirection::Downstream };
                if direction != wanted && direction != LineageDirection::Both {
                    continue;
                }
                let mut queue = VecDeque::from([table.clone()]);
                let mut visited = BTreeSet::from([table.clone()]);
                while let Some(node) = queue.pop_front() {
                    for next in step(&node, upstream) {
                        used.insert(if upstream { (next.clone(), node.clone()) } else { (node.clone(), next.clone()) });
                        seen.insert(next.clone());
                        if visited.insert(next.clone()) {
                            queue.push_back(next);
                        }
                    }
                }
            }
            TableLineageGraph {
                root: Some(table),
                nodes: seen.into_iter().collect(),
                edges: used.into_iter().collect(),
            }
        })
    }
}

/// Every model name and every source key some model reads.
fn known_tables(db: &crate::base::RootDatabase) -> Vec<LineageTable> {
    let mut out: BTreeSet<LineageTable> = BTreeSet::new();
    for &file in db.project().models(db) {
        out.insert(LineageTable::Model(hir::model_settings(db, file).name.clone()));
        out.extend(hir::model_dependencies(db, file).sources.iter().cloned().map(LineageTable::Source));
    }
    out.into_iter().collect()
}

/// A model by name, or a source by its full key or a `.`-suffix of it (`raw.orders` for
/// `shop.raw.orders`) when that suffix names exactly one source.
fn find_table(db: &crate::base::RootDatabase, tables: &[LineageTable], name: &str) -> Option<LineageTable> {
    if let Some(file) = hir::model_index(db).by_name(name) {
        return Some(LineageTable::Model(hir::model_settings(db, file).name.clone()));
    }
    let lower = name.to_lowercase();
    let suffix = format!(".{lower}");
    let mut sources = tables.iter().filter(|t| match t {
        LineageTable::Source(key) => *key == lower || key.ends_with(&suffix),
        LineageTable::Model(_) => false,
    });
    match (sources.next(), sources.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

/// The column names of a model or cached source; `None` when they are not all known.
fn table_columns(db: &crate::base::RootDatabase, table: &LineageTable) -> Option<Vec<String>> {
    match table {
        LineageTable::Model(name) => {
            let schema = hir::model_schema(db, hir::model_index(db).by_name(name)?);
            (!schema.open).then(|| schema.columns.iter().map(|c| c.name.clone()).collect())
        }
        LineageTable::Source(key) => {
            Some(hir::lookup_source(db, key)?.columns.iter().map(|(name, _, _)| name.clone()).collect())
        }
    }
}

fn unknown_table(tables: &[LineageTable], name: &str) -> LineageLookupError {
    let names = tables.iter().map(|t| match t {
        LineageTable::Model(n) | LineageTable::Source(n) => n.as_str(),
    });
    LineageLookupError::UnknownTable { name: name.to_string(), suggestions: closest(name, names) }
}

/// Up to three names within a Jaro-Winkler similarity of 0.8, best first.
fn closest<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let word = word.to_lowercase();
    let mut ranked: Vec<(f64, String)> =
        names.map(|n| (strsim::jaro_winkler(&word, &n.to_lowercase()), n.to_string())).collect();
    ranked.retain(|(score, _)| *score >= 0.8);
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, n)| n).take(3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AnalysisHost;

    fn analysis() -> Analysis {
        let mut host = AnalysisHost::new();
        host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
        host.set_model("models/people.sql", "select id, name from raw.people".into());
        host.set_model("models/shout.sql", "select id, upper(name) as loud from people".into());
        host.set_model("models/last.sql", "select loud from shout".into());
        host.analysis()
    }

    fn model(name: &str) -> LineageTable {
        LineageTable::Model(name.into())
    }

    #[test]
    fn starts_resolve_models_columns_and_sources_or_suggest() {
        let a = analysis();
        assert_eq!(a.resolve_lineage_start("SHOUT").unwrap(), Ok(LineageStart::Table { table: model("shout") }));
        assert_eq!(
            a.resolve_lineage_start("shout.LOUD").unwrap(),
            Ok(LineageStart::Column { column: ColumnRef { table: model("shout"), column: "loud".into() } })
        );
        assert_eq!(
            a.resolve_lineage_start("raw.people").unwrap(),
            Ok(LineageStart::Table { table: LineageTable::Source("db.raw.people".into()) })
        );
        assert_eq!(
            a.resolve_lineage_start("shuot").unwrap(),
            Err(LineageLookupError::UnknownTable { name: "shuot".into(), suggestions: vec!["shout".into()] })
        );
        assert_eq!(
            a.resolve_lineage_start("shout.lod").unwrap(),
            Err(LineageLookupError::UnknownColumn {
                table: model("shout"),
                column: "lod".into(),
                suggestions: vec!["loud".into()]
            })
        );
    }

    #[test]
    fn table_lineage_walks_transitively_in_each_direction() {
        let a = analysis();
        let up = a.table_lineage(model("last"), LineageDirection::Upstream).unwrap();
        assert_eq!(
            up.edges,
            vec![
                (model("people"), model("shout")),
                (model("shout"), model("last")),
                (LineageTable::Source("db.raw.people".into()), model("people")),
            ]
        );
        let down = a.table_lineage(model("people"), LineageDirection::Downstream).unwrap();
        assert_eq!(down.edges, vec![(model("people"), model("shout")), (model("shout"), model("last"))]);
        let both = a.table_lineage(model("shout"), LineageDirection::Both).unwrap();
        assert_eq!(both.nodes.len(), 4);
    }

    #[test]
    fn column_lineage_joins_both_walks() {
        let a = analysis();
        let start = ColumnRef { table: model("shout"), column: "loud".into() };
        let g = a.column_lineage(start.clone(), LineageDirection::Both).unwrap();
        let pairs: Vec<(String, String)> =
            g.edges.iter().map(|e| (e.from.column.clone(), e.to.column.clone())).collect();
        assert!(pairs.contains(&("name".into(), "loud".into())), "{pairs:?}");
        assert_eq!(g.edges.iter().filter(|e| e.from == start).count(), 1, "one downstream edge: {pairs:?}");
        assert_eq!(g.root, Some(start));
    }
}
