//! What a run builds: the selected models in dependency order, each with its compiled SQL, the
//! upstream models it waits for and the sources it reads (its inlined ephemerals' included).

use std::collections::{BTreeMap, BTreeSet};

use rocky_analysis::config::{Contract, Strategy};
use rocky_analysis::ide::{Analysis, CompileError, CompileOptions, CompiledTest, ModelInfo};
use rocky_analysis::ModelSchema;

use crate::warehouse::TableName;

/// One model to build.
#[derive(Clone, Debug)]
pub struct PlannedModel {
    pub name: String,
    pub strategy: Strategy,
    /// The compiled query (references point at where upstream models are built).
    pub sql: String,
    /// Where it is built.
    pub target: TableName,
    /// Selected models it reads (through ephemeral models too): it waits for them, and is
    /// skipped when one fails.
    pub upstream: Vec<String>,
    /// Models it reads that this run does not build, with where it expects their tables: a
    /// missing one fails the model up front with a hint instead of a warehouse error.
    pub unselected_upstream: Vec<(String, TableName)>,
    /// Source keys (`catalog.schema.table`) it reads.
    pub sources: Vec<String>,
    /// The analysis' inferred output schema (for the drift check).
    pub schema: ModelSchema,
    /// Data tests run right after the build (empty with `--no-tests`).
    pub tests: Vec<CompiledTest>,
    /// The contract the built table is checked against (`None` with `--no-tests`).
    pub contract: Option<Contract>,
}

/// The selected, buildable models in dependency order (ephemeral models are inlined, not built).
pub fn plan(
    analysis: &Analysis,
    models: &[ModelInfo],
    selected: &BTreeSet<String>,
    opts: &CompileOptions,
    with_tests: bool,
    gaps: &BTreeSet<String>,
) -> Result<Vec<PlannedModel>, CompileError> {
    let by_name: BTreeMap<&str, &ModelInfo> = models.iter().map(|m| (m.name.as_str(), m)).collect();
    let built: Vec<&ModelInfo> =
        models.iter().filter(|m| selected.contains(&m.name) && !matches!(m.strategy, Strategy::Ephemeral)).collect();
    // Compiled on all cores up front, except the gaps (compiled despite their errors below).
    let names: Vec<String> = built.iter().filter(|m| !gaps.contains(&m.name)).map(|m| m.name.clone()).collect();
    // A fresh analysis is never cancelled: nothing writes to it during the run.
    let mut compiled_all = analysis.compile_models(&names, opts).unwrap_or_default().into_iter();
    let mut out = Vec::new();
    for info in built {
        let gap = gaps.contains(&info.name);
        let compiled = match gap {
            true => super::warehouse_check::compile(analysis, info, opts)?,
            false => compiled_all.next().unwrap_or(Err(CompileError::UnknownModel(info.name.clone())))?,
        };
        let mut sources: BTreeSet<String> = info.sources.iter().cloned().collect();
        for e in &compiled.inlined {
            if let Some(m) = by_name.get(e.as_str()) {
                sources.extend(m.sources.iter().cloned());
            }
        }
        let (upstream, unselected): (Vec<String>, Vec<String>) =
            built_upstream(&info.name, &by_name).into_iter().partition(|u| selected.contains(u));
        let unselected_upstream = unselected
            .into_iter()
            .filter_map(|u| by_name.get(u.as_str()).map(|m| (u.clone(), opts.targets.apply(&m.target))))
            .collect();
        // A gap model's tests do not compile (the analysis reports errors in it).
        let (tests, contract) = if with_tests && !gap {
            let tests = analysis.data_tests(&info.name, opts).unwrap_or(Ok(Vec::new()))?;
            (tests, analysis.contract(&info.name).ok().flatten())
        } else {
            (Vec::new(), None)
        };
        out.push(PlannedModel {
            name: info.name.clone(),
            strategy: info.strategy.clone(),
            sql: compiled.sql,
            target: compiled.target,
            upstream,
            unselected_upstream,
            sources: sources.into_iter().collect(),
            schema: info.schema.clone(),
            tests,
            contract,
        });
    }
    wait_for_test_parents(&mut out);
    Ok(out)
}

/// A relationship test reads another model's table: its model also waits for that model when
/// it is in the plan — unless that model already waits for this one (directly or not), where
/// waiting would deadlock; the test then reads the table as the last run left it.
fn wait_for_test_parents(plan: &mut [PlannedModel]) {
    for i in 0..plan.len() {
        let parents: BTreeSet<String> = plan[i].tests.iter().flat_map(|t| t.reads.iter().cloned()).collect();
        for parent in parents {
            let name = plan[i].name.clone();
            let in_plan = plan.iter().any(|m| m.name == parent);
            if in_plan && parent != name && !plan[i].upstream.contains(&parent) && !waits_for(plan, &parent, &name) {
                plan[i].upstream.push(parent);
            }
        }
    }
}

/// Whether `model` waits, directly or through others, for `other`.
fn waits_for(plan: &[PlannedModel], model: &str, other: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![model.to_string()];
    while let Some(m) = stack.pop() {
        if m == other {
            return true;
        }
        if seen.insert(m.clone()) {
            if let Some(p) = plan.iter().find(|p| p.name == m) {
                stack.extend(p.upstream.iter().cloned());
            }
        }
    }
    false
}

/// The non-ephemeral models `name` reads, looking through ephemeral models.
fn built_upstream(name: &str, by_name: &BTreeMap<&str, &ModelInfo>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> =
        by_name.get(name).map(|m| m.depends_on.iter().map(String::as_str).collect()).unwrap_or_default();
    while let Some(up) = stack.pop() {
        if !seen.insert(up) {
            continue;
        }
        match by_name.get(up) {
            Some(m) if matches!(m.strategy, Strategy::Ephemeral) => {
                stack.extend(m.depends_on.iter().map(String::as_str))
            }
            Some(m) => {
                out.insert(m.name.clone());
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rocky_analysis::config::{Strategy, TestSeverity};
    use rocky_analysis::ide::CompiledTest;

    use super::{wait_for_test_parents, PlannedModel};
    use crate::warehouse::TableName;

    fn model(name: &str, upstream: &[&str], test_reads: &[&str]) -> PlannedModel {
        PlannedModel {
            name: name.into(),
            strategy: Strategy::FullRefresh,
            sql: String::new(),
            target: TableName { catalog: "c".into(), schema: "main".into(), table: name.into() },
            upstream: upstream.iter().map(|s| s.to_string()).collect(),
            unselected_upstream: Vec::new(),
            sources: Vec::new(),
            schema: Default::default(),
            tests: vec![CompiledTest {
                name: "relationships".into(),
                kind: "relationships",
                severity: TestSeverity::Error,
                sql: String::new(),
                reads: test_reads.iter().map(|s| s.to_string()).collect(),
            }],
            contract: None,
        }
    }

    #[test]
    fn a_relationship_parent_is_built_before_the_test_runs_unless_that_would_deadlock() {
        // orders' test reads customers: orders waits for it. customers' test reads totals,
        // which reads orders: waiting would be a cycle, so customers does not wait.
        let mut plan = vec![
            model("orders", &[], &["customers"]),
            model("customers", &[], &["totals"]),
            model("totals", &["orders"], &["not_in_plan"]),
        ];
        wait_for_test_parents(&mut plan);
        assert_eq!(plan[0].upstream, ["customers"]);
        assert!(plan[1].upstream.is_empty(), "{:?}", plan[1].upstream);
        assert_eq!(plan[2].upstream, ["orders"]);
    }
}
