//! Analysis gaps: a model whose only errors are in its SQL (a parse or type error, not its
//! config, a cycle or an unknown model) may be SQL the warehouse accepts and the analysis does
//! not know yet, so the warehouse judges it ([`Warehouse::describe_query`]: DuckDB's `DESCRIBE`,
//! PostgreSQL's prepare). A gap reading no model of this run is asked before the run starts: a
//! rejection refuses the run as any error does, with the warehouse's message as a note. One
//! waiting for an upstream model of this run is asked by the scheduler right before its build:
//! a rejection fails that model. Accepted, it is built with a warning naming the analysis' error.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use rocky_analysis::diagnostics::Related;
use rocky_analysis::ide::{Analysis, CompileError, CompileOptions, CompiledModel, ModelInfo, TargetMapping};
use rocky_analysis::{Code, Diagnostic, Severity};

use super::plan::PlannedModel;
use crate::check::Files;
use crate::warehouse::{Warehouse, WarehouseColumn};

/// A model built although the analysis reports errors in it, once the warehouse binds it.
#[derive(Debug)]
pub struct Gap {
    pub model: String,
    /// The analysis' first error: `E001 at models/a.sql:1:86: Expected: ), found: exclude`.
    pub error: String,
    /// The analysis cannot parse it: it is built from its text as written.
    pub unparsed: bool,
    /// The analysis' errors in it, reported as `rocky check` does when the warehouse rejects it
    /// before the run starts.
    pub diagnostics: Vec<Diagnostic>,
    /// The warehouse's columns once it accepted the query: the model's schema for this run.
    columns: Mutex<Option<Vec<WarehouseColumn>>>,
}

impl Gap {
    /// Asks `wh` whether the compiled query binds; `Err` (the model fails) when it does not.
    pub fn ask(&self, wh: &dyn Warehouse, sql: &str) -> Result<(), String> {
        if !self.pending() {
            return Ok(());
        }
        match wh.describe_query(sql) {
            Ok(columns) => {
                *self.columns.lock().unwrap_or_else(|p| p.into_inner()) = Some(columns);
                Ok(())
            }
            Err(e) => Err(format!("analysis error {}\n  the warehouse rejects it too: {}", self.error, e.detail())),
        }
    }

    /// The columns the warehouse described, when it accepted the query.
    pub fn accepted(&self) -> Option<Vec<WarehouseColumn>> {
        self.columns.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether the scheduler still has to ask (the warehouse was not asked before the run).
    pub fn pending(&self) -> bool {
        self.accepted().is_none()
    }

    /// The run's warning for an accepted gap.
    pub fn warning(&self) -> String {
        format!(
            "{}: analysis gap: the analysis reports error {}, but the warehouse binds the query, so it was built (its data tests were not compiled); please report it",
            self.model, self.error
        )
    }
}

/// Whether an error code is about a model's SQL alone (what the warehouse can judge).
fn in_sql(code: Code) -> bool {
    matches!(
        code,
        Code::E001ParseError
            | Code::E102UnknownColumn
            | Code::E103AmbiguousColumn
            | Code::E104UnknownFunction
            | Code::E105UnknownField
            | Code::E106TooManyColumnAliases
            | Code::E201ComparisonTypeMismatch
            | Code::E202OperatorTypeMismatch
            | Code::E203BranchTypeMismatch
            | Code::E204SetOperationMismatch
            | Code::E205NoMatchingOverload
            | Code::E206InvalidCast
            | Code::E301NotGrouped
            | Code::E302MisplacedAggregate
            | Code::E303OrdinalOutOfRange
            | Code::E304NegativeLimit
            | Code::E305LateralJoinType
    )
}

/// Splits the run's diagnostics: the models whose every error is in their SQL become gaps
/// (when no other error refuses the run); the rest is returned to be reported as today.
pub fn split(
    analysis: &Analysis,
    models: &[ModelInfo],
    relevant: &BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, BTreeMap<String, Gap>) {
    let by_path: BTreeMap<&str, &ModelInfo> =
        models.iter().filter(|m| relevant.contains(&m.name)).map(|m| (m.path.as_str(), m)).collect();
    let mut candidates: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    let mut refusing = false;
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        match by_path.get(d.file.as_str()) {
            Some(m) if in_sql(d.code) => candidates.entry(m.name.clone()).or_default().push(d),
            _ => refusing = true,
        }
    }
    if refusing || candidates.is_empty() {
        return (diagnostics, BTreeMap::new());
    }
    let mut files = Files::new(analysis);
    let gaps = candidates
        .into_iter()
        .filter_map(|(model, errors)| {
            let d = errors.first()?;
            let at = files.position(&d.file, d.range.start);
            let error = format!("{} at {}:{}:{}: {}", d.code.as_str(), d.file, at.line, at.column, d.message);
            let unparsed = errors.iter().any(|d| d.code == Code::E001ParseError);
            let diagnostics = errors.into_iter().cloned().collect();
            Some((model.clone(), Gap { model, error, unparsed, diagnostics, columns: Mutex::new(None) }))
        })
        .collect();
    let rest = diagnostics.into_iter().filter(|d| d.severity != Severity::Error).collect();
    (rest, gaps)
}

/// Asks the warehouse, before the run starts, about the gaps that read no model this run builds
/// (their upstream tables are as they will be): those it rejects refuse the run as any error
/// does, with the warehouse's message as a note under each analysis error. Gaps waiting for an
/// upstream model of this run are asked by the scheduler, right before their build.
/// Returns the refusing diagnostics and the warnings of accepted gaps this run does not build.
pub fn ask_up_front(
    wh: &dyn Warehouse,
    analysis: &Analysis,
    models: &[ModelInfo],
    plan: &[PlannedModel],
    gaps: &BTreeMap<String, Gap>,
    opts: &CompileOptions,
) -> (Vec<Diagnostic>, Vec<String>) {
    let (mut refusing, mut warnings) = (Vec::new(), Vec::new());
    let planned: BTreeSet<&str> = plan.iter().map(|m| m.name.as_str()).collect();
    for gap in gaps.values() {
        let Some(info) = models.iter().find(|m| m.name == gap.model) else { continue };
        let sql = match plan.iter().find(|m| m.name == gap.model) {
            Some(m) if m.upstream.is_empty() => m.sql.clone(),
            Some(_) => continue,
            // Not built by this run (an unselected upstream model, an ephemeral one).
            None if info.depends_on.iter().any(|d| planned.contains(d.as_str())) => continue,
            None => match compile(analysis, info, opts) {
                Ok(c) => c.sql,
                Err(_) => continue,
            },
        };
        match wh.describe_query(&sql) {
            Ok(columns) => {
                *gap.columns.lock().unwrap_or_else(|p| p.into_inner()) = Some(columns);
                if !planned.contains(gap.model.as_str()) {
                    warnings.push(format!(
                        "{}: analysis gap: the analysis reports error {}, but the warehouse binds the query; please report it",
                        gap.model, gap.error
                    ));
                }
            }
            Err(e) => {
                let first = e.detail().lines().next().unwrap_or_default().to_string();
                refusing.extend(gap.diagnostics.iter().cloned().map(|d| {
                    let note = Related {
                        file: d.file.clone(),
                        range: d.range,
                        message: format!("the warehouse rejects it too: {first}"),
                    };
                    d.with_related(note)
                }));
            }
        }
    }
    (refusing, warnings)
}

/// Compiles a gap model. One the analysis cannot parse is built from its text as written
/// (its references cannot be rewritten, so only where the run builds the configured targets).
pub fn compile(analysis: &Analysis, info: &ModelInfo, opts: &CompileOptions) -> Result<CompiledModel, CompileError> {
    let compiled = analysis
        .compile_model_despite_errors(&info.name, opts)
        .unwrap_or(Err(CompileError::UnknownModel(info.name.clone())));
    match compiled {
        Err(CompileError::HasErrors { .. }) if matches!(opts.targets, TargetMapping::Configured) => {
            let text = analysis.file_text(&info.path).ok_or_else(|| CompileError::UnknownModel(info.name.clone()))?;
            Ok(CompiledModel {
                name: info.name.clone(),
                sql: text.trim().trim_end_matches(';').to_string(),
                target: opts.targets.apply(&info.target),
                strategy: info.strategy.clone(),
                inlined: Vec::new(),
            })
        }
        other => other,
    }
}

/// Models built from their text as written: the analysis does not know what they read (and the
/// runner reads no SQL), so each waits for every other model of the plan except those that wait
/// for it (which the analysis knows: they name it). Whatever it reads is built first; it only
/// loses parallelism.
pub fn wait_for_all_but_downstream(plan: &mut [PlannedModel], unparsed: &BTreeSet<String>) {
    for name in unparsed {
        let Some(i) = plan.iter().position(|m| &m.name == name) else { continue };
        let downstream = downstream_of(plan, name);
        let others: Vec<String> = plan
            .iter()
            .map(|m| m.name.clone())
            .filter(|n| n != name && !downstream.contains(n) && !unparsed.contains(n))
            .filter(|n| !plan[i].upstream.contains(n))
            .collect();
        plan[i].upstream.extend(others);
    }
}

/// Every plan model that waits, directly or not, for `name`.
fn downstream_of(plan: &[PlannedModel], name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![name.to_string()];
    while let Some(n) = stack.pop() {
        for m in plan.iter().filter(|m| m.upstream.contains(&n)) {
            if out.insert(m.name.clone()) {
                stack.push(m.name.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rocky_analysis::config::Strategy;

    use super::wait_for_all_but_downstream;
    use crate::run::plan::PlannedModel;
    use crate::warehouse::TableName;

    fn model(name: &str, sql: &str, upstream: &[&str]) -> PlannedModel {
        PlannedModel {
            name: name.into(),
            strategy: Strategy::FullRefresh,
            sql: sql.into(),
            target: TableName { catalog: "c".into(), schema: "main".into(), table: name.into() },
            upstream: upstream.iter().map(|s| s.to_string()).collect(),
            unselected_upstream: Vec::new(),
            sources: Vec::new(),
            schema: Default::default(),
            tests: Vec::new(),
            contract: None,
        }
    }

    #[test]
    fn an_unparsed_model_waits_for_every_model_but_its_downstream() {
        // `after` reads `gap` (waiting for it would deadlock); `late` reads `after`.
        let mut plan = vec![
            model("gap", "select * from Orders join orders_xy using (id)", &[]),
            model("orders", "", &[]),
            model("orders_x", "", &[]),
            model("after", "", &["gap"]),
            model("late", "", &["after"]),
        ];
        wait_for_all_but_downstream(&mut plan, &BTreeSet::from(["gap".to_string()]));
        assert_eq!(plan[0].upstream, ["orders", "orders_x"]);
        assert_eq!(plan[3].upstream, ["gap"]);
    }
}
