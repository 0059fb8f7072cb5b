//! `rocky history`: recorded runs, newest first.

use rocky_state::{ModelStatus, RunRecord};
use serde_json::json;

use super::time_format::{duration, timestamp};
use super::{print_json, say, CommandResult};
use crate::cli::{GlobalArgs, HistoryArgs};
use crate::exit;
use crate::project;

/// Models of a run by outcome: (succeeded, failed, skipped).
pub fn model_counts(run: &RunRecord) -> (usize, usize, usize) {
    let count = |s: ModelStatus| run.models.iter().filter(|m| m.status == s).count();
    (count(ModelStatus::Succeeded), count(ModelStatus::Failed), count(ModelStatus::Skipped))
}

/// The run's status as shown: a run with no end that is still marked running "did not finish".
pub fn shown_status(run: &RunRecord) -> &'static str {
    if run.did_not_finish() {
        "did not finish"
    } else {
        run.status.as_str()
    }
}

/// Where a run built, in words: `branch NAME`, `shadow schema S`, or `None` for production.
pub fn destination(run: &RunRecord) -> Option<String> {
    match (run.shadow_schema(), run.branch_name()) {
        (Some(schema), _) => Some(format!("shadow schema {schema}")),
        (None, Some(branch)) => Some(format!("branch {branch}")),
        (None, None) => None,
    }
}

/// Runs `rocky history`.
pub fn run(global: &GlobalArgs, args: &HistoryArgs) -> CommandResult {
    let project = project::open(global, &project::start_dir(global, None))?;
    let runs = if project.state.exists() {
        project.state.runs(usize::try_from(args.limit).unwrap_or(usize::MAX))?
    } else {
        Vec::new()
    };
    if args.json {
        let runs: Vec<_> = runs
            .iter()
            .map(|r| {
                let (ok, failed, skipped) = model_counts(r);
                json!({
                    "id": r.id, "started_at_ms": r.started_at_ms, "finished_at_ms": r.finished_at_ms,
                    "duration_ms": r.finished_at_ms.map(|f| f.saturating_sub(r.started_at_ms)),
                    "status": r.status.as_str(), "did_not_finish": r.did_not_finish(),
                    "trigger": r.trigger, "branch": r.branch_name(), "shadow_schema": r.shadow_schema(),
                    "models": {"succeeded": ok, "failed": failed, "skipped": skipped},
                })
            })
            .collect();
        print_json(&json!({"version": 1, "state_file": project.state.path(), "runs": runs}));
        return Ok(exit::OK);
    }
    if runs.is_empty() {
        say!("no runs recorded in {} yet; `rocky run` records one", project.state.path().display());
        return Ok(exit::OK);
    }
    say!(
        "{:<26}  {:<23}  {:>10}  {:<14}  {:<8}  {:<20}  models",
        "run",
        "started",
        "took",
        "status",
        "trigger",
        "branch"
    );
    for r in &runs {
        let (ok, failed, skipped) = model_counts(r);
        let took = r.finished_at_ms.map(|f| duration(f.saturating_sub(r.started_at_ms))).unwrap_or_else(|| "-".into());
        say!(
            "{:<26}  {:<23}  {took:>10}  {:<14}  {:<8}  {:<20}  {ok} ok, {failed} failed, {skipped} skipped",
            r.id,
            timestamp(r.started_at_ms),
            shown_status(r),
            r.trigger,
            // A shadow run shows as `shadow:<schema>`, a branch by its name, production as `-`.
            r.branch.as_deref().unwrap_or("-"),
        );
    }
    say!("\nshow one with `rocky replay RUN_ID` (or `rocky replay latest`)");
    Ok(exit::OK)
}
