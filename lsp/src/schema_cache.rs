//! The schema cache and run history a project's analysis and hovers see: read from the state
//! file at start and again whenever a runner rewrites it (its modification time is polled). The
//! file is held only for one read (the state crate opens, reads, closes); a busy, missing or
//! corrupt file keeps the last snapshot (or none) and is reported once, never fatally. Reads
//! happen on background tasks only, never on a request's path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rocky_analysis::config::ProjectConfig;
use rocky_analysis::SourceSchemaSnapshot;
use rocky_state::{LastModelRun, RetryPolicy, StateFile};

/// How long a read waits for a busy state file before keeping the last snapshot.
const BUSY_WAIT: Duration = Duration::from_millis(300);

/// What was last read from one project's state file.
#[derive(Clone, Debug, Default)]
pub struct SchemaCacheState {
    /// The state file this project reads (it may not exist yet).
    pub path: Option<PathBuf>,
    /// `[cache.schemas] enabled` and `ttl_seconds`.
    pub enabled: bool,
    pub ttl_seconds: u64,
    /// Modification time and length of the file when last read successfully.
    pub seen: Option<(SystemTime, u64)>,
    /// A problem was already reported for the current failure streak (report once).
    pub reported: bool,
}

/// The last run of every model, by name (for hovers).
pub type RunHistory = Arc<BTreeMap<String, LastModelRun>>;

/// Outcome of checking a state file for changes.
pub enum Reload {
    /// Unchanged since the last read (or still missing).
    Unchanged,
    /// New contents: the schema cache for the analysis, and the run history.
    Loaded(SourceSchemaSnapshot, RunHistory),
    /// Could not be read; keep the last snapshot. The message says why and what to do.
    Failed(String),
}

impl SchemaCacheState {
    /// The state of a project with this config (where its file is, whether the cache is on).
    pub fn new(root: &Path, config: &ProjectConfig) -> SchemaCacheState {
        let located = rocky_loader::locate_project_state(root, config, None, root);
        for w in &located.warnings {
            tracing::warn!("{w}");
        }
        SchemaCacheState {
            path: Some(located.path),
            enabled: config.schema_cache.enabled,
            ttl_seconds: config.schema_cache.ttl_seconds,
            seen: None,
            reported: false,
        }
    }
}

/// Where a project's state file is: an explicit path (`[state] path`) wins, else the models
/// folder, else the working directory (the project root for the language server).
fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Re-reads the state file when it changed since the last successful read. Blocking: call it
/// on the blocking pool.
pub fn check(state: &mut SchemaCacheState) -> Reload {
    let Some(path) = state.path.clone() else { return Reload::Unchanged };
    if !state.enabled {
        return Reload::Unchanged;
    }
    let seen = match std::fs::metadata(&path).and_then(|m| Ok((m.modified()?, m.len()))) {
        Ok(s) => s,
        Err(_) => return Reload::Unchanged, // no state file (yet): sources stay uncached
    };
    if state.seen == Some(seen) {
        return Reload::Unchanged;
    }
    let file = StateFile::new(&path).with_retry(RetryPolicy::with_total_wait(BUSY_WAIT));
    let load = rocky_loader::load_schema_cache(&file, state.ttl_seconds, now_ms());
    let runs = file.last_model_runs();
    let problem = match (load.warning, &runs) {
        (Some(w), _) => Some(w),
        (None, Err(e)) => Some(format!("cannot read the run history: {e}")),
        (None, Ok(_)) => None,
    };
    match problem {
        None => {
            state.seen = Some(seen);
            state.reported = false;
            Reload::Loaded(load.snapshot, Arc::new(runs.unwrap_or_default()))
        }
        // Marked seen: a busy file is re-read when its writer is done (the file changes then);
        // reported once per failure streak.
        Some(_) if std::mem::replace(&mut state.reported, true) => {
            state.seen = Some(seen);
            Reload::Unchanged
        }
        Some(w) => {
            state.seen = Some(seen);
            Reload::Failed(format!(
                "{} ({}); the editor keeps the last schema cache it read and retries when the file changes",
                w,
                path.display()
            ))
        }
    }
}
