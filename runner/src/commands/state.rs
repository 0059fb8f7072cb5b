//! `rocky state` (what the state file holds) and `rocky state clear-schema-cache`.

use serde_json::json;

use super::history::{model_counts, shown_status};
use super::time_format::{ago, duration, timestamp, ttl};
use super::{print_json, say, CommandResult, Failure};
use crate::cli::{GlobalArgs, StateAction, StateArgs};
use crate::exit;
use crate::project::{self, now_ms, Project};

/// How many recent runs `rocky state` shows.
const RECENT_RUNS: usize = 5;

/// Runs `rocky state [clear-schema-cache]`.
pub fn run(global: &GlobalArgs, args: &StateArgs) -> CommandResult {
    let project = project::open(global, &project::start_dir(global, None))?;
    match &args.action {
        None => show(&project, args.json),
        Some(StateAction::ClearSchemaCache { dry_run, json }) => {
            clear_schema_cache(&project, *dry_run, *json || args.json)
        }
    }
}

fn show(project: &Project, as_json: bool) -> CommandResult {
    let path = project.state.path().display().to_string();
    if !project.state.exists() {
        if as_json {
            print_json(&json!({"version": 1, "path": path, "located_by": project.state_origin(), "exists": false}));
        } else {
            say!("no state file yet: it will be {path} (chosen by {})", project.state_origin());
            say!("`rocky run`, `rocky discover --with-schemas` and `rocky branch create` create it");
        }
        return Ok(exit::OK);
    }
    let state = &project.state;
    let mut cache = state.read_schema_cache()?;
    cache.sort_by(|a, b| a.key.cmp(&b.key));
    let runs = state.runs(RECENT_RUNS)?;
    let branches = state.branches()?;
    let watermarks = state.watermarks()?;
    let functions = state.read_warehouse_functions()?;
    let types = state.read_warehouse_types()?;
    let now = now_ms();
    let fresh = |written: u64| rocky_loader::is_fresh(written, now, project.ttl_seconds);
    if as_json {
        let cache: Vec<_> = cache
            .iter()
            .map(|t| {
                json!({"key": t.key, "columns": t.columns.len(), "written_at_ms": t.written_at_ms,
                       "stale": !fresh(t.written_at_ms)})
            })
            .collect();
        let watermarks: Vec<_> = watermarks
            .iter()
            .map(|(model, w)| json!({"model": model, "value": w.value, "updated_at_ms": w.updated_at_ms}))
            .collect();
        print_json(&json!({
            "version": 1, "path": path, "located_by": project.state_origin(), "exists": true,
            "ttl_seconds": project.ttl_seconds, "schema_cache": cache,
            "warehouse_functions": functions.iter().map(|f| &f.name).collect::<Vec<_>>(),
            "warehouse_types": types.iter().map(|t| &t.key).collect::<Vec<_>>(), "runs": runs,
            "branches": branches, "watermarks": watermarks,
        }));
        return Ok(exit::OK);
    }
    say!("state file: {path} (chosen by {})", project.state_origin());
    say!("\nschema cache: {} tables, TTL {}", cache.len(), ttl(project.ttl_seconds));
    let width = cache.iter().map(|t| t.key.len()).max().unwrap_or(0);
    for t in &cache {
        let stale = if fresh(t.written_at_ms) { "" } else { "  stale (older than the TTL; counts as missing)" };
        let age = ago(t.written_at_ms, now);
        say!("  {:<width$}  {:>3} columns  {age}{stale}", t.key, t.columns.len());
    }
    let listed = [
        ("warehouse functions", functions.iter().map(|f| f.name.as_str()).collect::<Vec<_>>()),
        ("warehouse types", types.iter().map(|t| t.key.as_str()).collect()),
    ];
    for (what, names) in listed.iter().filter(|(_, names)| !names.is_empty()) {
        say!("  and {} {what}: {}", names.len(), names.join(", "));
    }
    section("recent runs", runs.is_empty());
    for r in &runs {
        let (ok, failed, skipped) = model_counts(r);
        let took = r.finished_at_ms.map(|end| duration(end.saturating_sub(r.started_at_ms))).unwrap_or_default();
        let status = shown_status(r);
        let started = timestamp(r.started_at_ms);
        say!("  {}  {status:<14}  {started}  {took:>8}  {ok} ok, {failed} failed, {skipped} skipped", r.id);
    }
    section("branches", branches.is_empty());
    for b in &branches {
        say!(
            "  {}  (schemas {}__*)  created {} by {}",
            b.name,
            b.schema_prefix,
            ago(b.created_at_ms, now),
            b.created_by
        );
    }
    section("watermarks", watermarks.is_empty());
    for (model, w) in &watermarks {
        say!("  {model}  {}  (updated {})", w.value, ago(w.updated_at_ms, now));
    }
    Ok(exit::OK)
}

/// Prints a section heading (`none` when it has no entries).
fn section(title: &str, empty: bool) {
    say!("\n{title}:{}", if empty { " none" } else { "" });
}

fn clear_schema_cache(project: &Project, dry_run: bool, as_json: bool) -> CommandResult {
    let path = project.state.path().display().to_string();
    // A missing file is not created: there is nothing to clear.
    let removed = project.state.clear_schema_cache(dry_run).map_err(Failure::from)?;
    if as_json {
        print_json(&json!({"version": 1, "path": path, "dry_run": dry_run, "entries": removed}));
    } else if !project.state.exists() {
        say!("no state file at {path}: nothing to clear");
    } else if dry_run {
        say!("would remove {removed} schema-cache entries from {path} (dry run: nothing changed)");
    } else {
        say!("removed {removed} schema-cache entries from {path}");
        if removed > 0 {
            say!("sources are uncached until `rocky run` or `rocky discover --with-schemas` fills the cache again");
        }
    }
    Ok(exit::OK)
}
