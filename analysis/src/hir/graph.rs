//! The model DAG: topological order and cycles.

use std::collections::{BTreeMap, BTreeSet};

use super::{model_dependencies, model_settings};
use crate::base::{Db, ModelFile};

/// The model dependency graph.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct Dag {
    /// Model names, every model after the models it reads (cycle members last, in name order).
    pub order: Vec<String>,
    /// `(upstream, downstream)` pairs.
    pub edges: Vec<(String, String)>,
    /// Each dependency cycle, as the model names around it.
    pub cycles: Vec<Vec<String>>,
}

#[salsa::tracked(returns(ref))]
pub fn dag(db: &dyn Db) -> Dag {
    let models = db.project().models(db);
    let name = |m: ModelFile| model_settings(db, m).name.clone();
    // Upstream → downstream adjacency over names; duplicates resolve to the first model anyway.
    let mut upstream: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut edges = Vec::new();
    for &m in models {
        let me = name(m);
        let ups = upstream.entry(me.clone()).or_default();
        for &u in &model_dependencies(db, m).models {
            let un = name(u);
            if ups.insert(un.clone()) {
                edges.push((un, me.clone()));
            }
        }
    }
    edges.sort();
    // Kahn's algorithm, alphabetical among ready models for a stable order.
    let mut indegree: BTreeMap<&str, usize> =
        upstream.iter().map(|(k, v)| (k.as_str(), v.iter().filter(|u| upstream.contains_key(*u)).count())).collect();
    let mut downstream: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (d, ups) in &upstream {
        for u in ups {
            if upstream.contains_key(u) {
                downstream.entry(u.as_str()).or_default().push(d.as_str());
            }
        }
    }
    let mut ready: BTreeSet<&str> = indegree.iter().filter(|(_, &n)| n == 0).map(|(k, _)| *k).collect();
    let mut order = Vec::new();
    while let Some(next) = ready.pop_first() {
        order.push(next.to_string());
        for d in downstream.get(next).into_iter().flatten() {
            if let Some(n) = indegree.get_mut(d) {
                *n -= 1;
                if *n == 0 {
                    ready.insert(d);
                }
            }
        }
    }
    let placed: BTreeSet<&str> = order.iter().map(String::as_str).collect();
    let rest: Vec<&str> = upstream.keys().map(String::as_str).filter(|n| !placed.contains(n)).collect();
    let cycles = find_cycles(&rest, &upstream);
    order.extend(rest.iter().map(|s| s.to_string()));
    Dag { order, edges, cycles }
}

/// Strongly connected components (size > 1, or a self-loop) among the unplaced models.
fn find_cycles(rest: &[&str], upstream: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let set: BTreeSet<&str> = rest.iter().copied().collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut cycles = Vec::new();
    for &start in rest {
        if seen.contains(start) {
            continue;
        }
        // Models reachable upstream from `start` that can also reach `start`: its component.
        let reach = |from: &str, forward: bool| -> BTreeSet<String> {
            let mut out = BTreeSet::new();
            let mut stack = vec![from.to_string()];
            while let Some(n) = stack.pop() {
                let nexts: Vec<String> = if forward {
                    upstream.get(&n).map(|u| u.iter().cloned().collect()).unwrap_or_default()
                } else {
                    upstream.iter().filter(|(_, u)| u.contains(&n)).map(|(k, _)| k.clone()).collect()
                };
                for x in nexts {
                    if set.contains(x.as_str()) && out.insert(x.clone()) {
                        stack.push(x);
                    }
                }
            }
            out
        };
        let up = reach(start, true);
        let down = reach(start, false);
        let comp: Vec<String> = up.intersection(&down).cloned().collect();
        for c in &comp {
            if let Some(s) = set.get(c.as_str()) {
                seen.insert(s);
            }
        }
        seen.insert(start);
        if !comp.is_empty() {
            cycles.push(comp);
        }
    }
    cycles
}

/// The cycle a model is part of, if any (names in order). Its own query so models outside cycles
/// are not invalidated when the DAG changes elsewhere.
#[salsa::tracked(returns(ref))]
pub fn model_cycle(db: &dyn Db, file: ModelFile) -> Option<Vec<String>> {
    let me = &model_settings(db, file).name;
    dag(db).cycles.iter().find(|c| c.iter().any(|n| n == me)).cloned()
}

/// E501 for cycles that exist only through `depends_on` (SQL references in a cycle are reported
/// by inference's cycle fallback). Reads the whole DAG: used by whole-project checks only.
#[salsa::tracked(returns(ref))]
pub fn depends_on_cycle_diagnostics(db: &dyn Db) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::{Code, Diagnostic, TextRange};
    let index = super::model_index(db);
    let mut out = Vec::new();
    for cycle in &dag(db).cycles {
        let members: Vec<ModelFile> = cycle.iter().filter_map(|n| index.by_name(n)).collect();
        let reported = members
            .iter()
            .any(|m| super::model_diagnostics(db, *m).iter().any(|d| d.code == Code::E501DependencyCycle));
        if reported {
            continue;
        }
        let mut shown = cycle.clone();
        if let Some(first) = cycle.first() {
            shown.push(first.clone());
        }
        for &m in &members {
            let settings = model_settings(db, m);
            let (file, range) = match (&settings.config.depends_on, &settings.config.depends_on_file) {
                (Some(list), Some(file)) => {
                    let r =
                        list.iter().find(|d| cycle.iter().any(|n| n.eq_ignore_ascii_case(&d.value))).map(|d| d.range);
                    (file.clone(), r.unwrap_or_default())
                }
                _ => (m.path(db).clone(), TextRange::default()),
            };
            out.push(
                Diagnostic::new(
                    Code::E501DependencyCycle,
                    file,
                    range,
                    format!("dependency cycle: {}", shown.join(" → ")),
                )
                .with_hint("models in a cycle can never be built; remove one of the `depends_on` entries"),
            );
        }
    }
    out
}
