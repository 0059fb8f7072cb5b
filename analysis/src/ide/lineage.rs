//! Transitive column lineage: walk model lineages upstream, or the downstream index downstream.

use std::collections::{BTreeSet, VecDeque};

use super::{Analysis, Cancellable};
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
            let index = hir::downstream_index(db);
            let key = ColumnRef { table: node.table.clone(), column: node.column.to_lowercase() };
            index
                .consumers
                .iter()
                .filter(|(k, _)| k.table == key.table && k.column.eq_ignore_ascii_case(&key.column))
                .flat_map(|(_, v)| v.iter())
                .map(|c| LineageEdge {
                    from: node.clone(),
                    to: ColumnRef {
                        table: LineageTable::Model(c.model.clone()),
                        column: c.column.clone().unwrap_or_default(),
                    },
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
