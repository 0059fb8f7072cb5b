//! `rocky replay RUN_ID|latest`: what a recorded run did, model by model.

use serde_json::json;

use super::history::{destination, model_counts, shown_status};
use super::time_format::{duration, timestamp};
use super::{print_json, say, CommandResult, Failure};
use crate::cli::{GlobalArgs, ReplayArgs};
use crate::exit;
use crate::project;

/// Runs `rocky replay`.
pub fn run(global: &GlobalArgs, args: &ReplayArgs) -> CommandResult {
    let project = project::open(global, &project::start_dir(global, None))?;
    let found = if project.state.exists() { project.state.run(&args.run_id)? } else { None };
    let Some(run) = found else {
        let what = if args.run_id == "latest" {
            "no run recorded yet".to_string()
        } else {
            format!("no run `{}`", args.run_id)
        };
        return Err(Failure::usage(
            format!("{what} in {}", project.state.path().display()),
            "list recorded runs with `rocky history`",
        ));
    };
    let models: Vec<_> = match &args.model {
        None => run.models.iter().collect(),
        Some(m) => {
            let picked: Vec<_> = run.models.iter().filter(|r| r.model.eq_ignore_ascii_case(m)).collect();
            if picked.is_empty() {
                let names: Vec<&str> = run.models.iter().map(|r| r.model.as_str()).collect();
                return Err(Failure::usage(
                    format!("run {} did not build a model `{m}`", run.id),
                    if names.is_empty() {
                        "this run built no models".into()
                    } else {
                        format!("it built: {}", names.join(", "))
                    },
                ));
            }
            picked
        }
    };
    if args.json {
        print_json(&json!({
            "version": 1, "id": run.id, "started_at_ms": run.started_at_ms, "finished_at_ms": run.finished_at_ms,
            "status": run.status.as_str(), "did_not_finish": run.did_not_finish(), "trigger": run.trigger,
            "branch": run.branch_name(), "shadow_schema": run.shadow_schema(), "models": models,
        }));
        return Ok(exit::OK);
    }
    let (ok, failed, skipped) = model_counts(&run);
    let took = match run.finished_at_ms {
        Some(end) => format!("took {}", duration(end.saturating_sub(run.started_at_ms))),
        None => "no end recorded".into(),
    };
    say!("run {}: {} ({took})", run.id, shown_status(&run));
    say!(
        "  started {} (trigger: {}){}",
        timestamp(run.started_at_ms),
        run.trigger,
        destination(&run).map(|d| format!(" on {d}")).unwrap_or_default()
    );
    say!("  {ok} succeeded, {failed} failed, {skipped} skipped");
    for m in models {
        say!("\n{} → {}  [{}]  {}", m.model, m.target, m.strategy, m.status.as_str());
        let rows = m.rows.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
        say!("  started {}, took {}, rows {rows}", timestamp(m.started_at_ms), duration(m.duration_ms));
        say!("  sql hash {}", m.sql_hash);
        if let Some(e) = &m.error {
            say!("  error: {}", e.trim_end().replace('\n', "\n         "));
        }
        for w in &m.warnings {
            say!("  warning: {w}");
        }
        for t in &m.tests {
            let detail = match (&t.message, t.status) {
                (Some(msg), _) => format!(": {msg}"),
                (None, rocky_state::TestStatus::Failed) => format!(": {} failing rows", t.failing_rows),
                _ => String::new(),
            };
            say!("  test {} [{}] {}{detail}", t.name, t.severity, t.status.as_str());
        }
    }
    Ok(exit::OK)
}
