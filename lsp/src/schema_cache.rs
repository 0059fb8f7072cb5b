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
    /// When the next fresh entry of the schema cache last handed to the analysis turns stale
    /// (unix ms): the poller re-splits it then, without reading the file.
    pub expires_at_ms: Option<u64>,
    /// What the location rule warns about (a legacy location, two files): shown to the user
    /// once per server run (see `Workspace::unshown_warnings`).
    pub warnings: Vec<String>,
}

/// Every model's last build into each target, newest first, by model name (for hovers).
pub type RunHistory = Arc<BTreeMap<String, Vec<LastModelRun>>>;

/// Outcome of checking a state file for changes.
pub enum Reload {
    /// Unchanged since the last read (or still missing).
    Unchanged,
    /// New contents: the schema cache for the analysis, and the run history.
    Loaded(SourceSchemaSnapshot, RunHistory),
    /// The file did not change but time passed: entries turned stale (older than the TTL). The
    /// re-split schema cache for the analysis; the run history is unchanged.
    Expired(SourceSchemaSnapshot),
    /// Could not be read; keep the last snapshot. The message says why and what to do.
    Failed(String),
}

impl SchemaCacheState {
    /// The state of a project with this config (where its file is, whether the cache is on).
    pub fn new(root: &Path, config: &ProjectConfig) -> SchemaCacheState {
        let located = rocky_loader::locate_project_state(root, config, None, root);
        SchemaCacheState {
            path: Some(located.path),
            enabled: config.schema_cache.enabled,
            ttl_seconds: config.schema_cache.ttl_seconds,
            seen: None,
            reported: false,
            expires_at_ms: None,
            warnings: located.warnings,
        }
    }
}

/// Milliseconds since the epoch (0 if the clock is before it).
fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Re-reads the state file when it changed since the last successful read; otherwise expires
/// the entries of `current` (the snapshot the analysis has) that turned stale since. Blocking:
/// call it on the blocking pool.
pub fn check(state: &mut SchemaCacheState, current: Option<&SourceSchemaSnapshot>) -> Reload {
    let Some(path) = state.path.clone() else { return Reload::Unchanged };
    if !state.enabled {
        return Reload::Unchanged;
    }
    let seen = match std::fs::metadata(&path).and_then(|m| Ok((m.modified()?, m.len()))) {
        Ok(s) => s,
        Err(_) => return expire(state, current), // no state file (now): keep what was read
    };
    if state.seen == Some(seen) {
        return expire(state, current);
    }
    let file = StateFile::new(&path).with_retry(RetryPolicy::with_total_wait(BUSY_WAIT));
    let load = rocky_loader::load_schema_cache(&file, state.ttl_seconds, now_ms());
    let runs = file.model_runs_by_target();
    let problem = match (load.warning, &runs) {
        (Some(w), _) => Some(w),
        (None, Err(e)) => Some(format!("cannot read the run history: {e}")),
        (None, Ok(_)) => None,
    };
    match problem {
        None => {
            state.seen = Some(seen);
            state.reported = false;
            state.expires_at_ms = rocky_loader::next_expiry(&load.snapshot, state.ttl_seconds);
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

/// A running server's cache entries age without the file changing: once the next one is due,
/// re-split `current` at now. Cheap when nothing is due (one comparison per poll), and
/// `Expired` only when the fresh/stale split changed, so the analysis is not touched otherwise.
fn expire(state: &mut SchemaCacheState, current: Option<&SourceSchemaSnapshot>) -> Reload {
    let now = now_ms();
    match (state.expires_at_ms, current) {
        (Some(due), Some(current)) if due <= now => {
            let mut snapshot = current.clone();
            let changed = rocky_loader::expire(&mut snapshot, state.ttl_seconds, now);
            state.expires_at_ms = rocky_loader::next_expiry(&snapshot, state.ttl_seconds);
            if changed {
                Reload::Expired(snapshot)
            } else {
                Reload::Unchanged
            }
        }
        _ => Reload::Unchanged,
    }
}
