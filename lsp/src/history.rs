//! Hover notes from the state file: a model's last run, a source's schema-cache age. Both come
//! from the snapshot the background poller read; a hover never opens the state file.

use std::time::{SystemTime, UNIX_EPOCH};

use rocky_analysis::ide::HoverSubject;
use rocky_analysis::SourceSchemaSnapshot;
use rocky_state::LastModelRun;

use crate::schema_cache::RunHistory;

/// What the state file said, as of the last poll.
#[derive(Clone, Default)]
pub struct StateNotes {
    pub runs: RunHistory,
    pub sources: Option<std::sync::Arc<SourceSchemaSnapshot>>,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// "5 minutes ago"-style age.
fn ago(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s ago"),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86400 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86400),
    }
}

/// Markdown appended to a hover, when the state file knows something about the subject.
pub fn hover_note(notes: &StateNotes, subject: Option<&HoverSubject>) -> Option<String> {
    match subject? {
        HoverSubject::Model { name, target } => Some(model_note(notes, name, target)),
        HoverSubject::Source { key } => {
            let key = key.to_lowercase();
            let table = notes.sources.as_ref().and_then(|s| s.tables.get(&key));
            let stale = notes.sources.as_ref().and_then(|s| s.stale.get(&key));
            Some(match (table.and_then(|t| t.written_at), stale) {
                (Some(at), _) => format!("**Schema cached** {}", ago(now_secs().saturating_sub(at))),
                (None, Some(stale)) => format!(
                    "**Schema cached** {}, longer ago than the TTL ({} s), so not used: run `rocky run` (or `rocky discover --with-schemas`) to refresh it",
                    ago(now_secs().saturating_sub(stale.written_at)),
                    stale.ttl_seconds
                ),
                (None, None) => {
                    "**Not in the schema cache**: run `rocky run` (or `rocky discover`) to cache its columns".into()
                }
            })
        }
        _ => None,
    }
}

/// The last run that built the model's production `target`, and a line about a newer build
/// elsewhere (a branch, or a shadow schema) when there is one: a branch run must not pass for
/// the state of production.
fn model_note(notes: &StateNotes, name: &str, target: &str) -> String {
    let runs = notes
        .runs
        .get(name)
        .or_else(|| notes.runs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let is_production = |r: &&LastModelRun| r.model_run.target.eq_ignore_ascii_case(target);
    // Newest first: the production build, and anything before it is newer and elsewhere.
    let production = runs.iter().position(|r| is_production(&r));
    let mut note = match production.map(|i| &runs[i]) {
        Some(last) => {
            let run = &last.model_run;
            let rows = run.rows.map_or_else(|| "? rows".to_string(), |r| format!("{r} rows"));
            let mut note = format!(
                "**Last run:** {} — {rows}, {}, {} ms (run `{}`)",
                run.status.as_str(),
                ago(now_secs().saturating_sub(run.started_at_ms / 1000)),
                run.duration_ms,
                last.run_id
            );
            if let Some(e) = &run.error {
                note.push_str(&format!("\n\n{e}"));
            }
            note
        }
        None => format!("**Last run:** never built into `{target}`"),
    };
    if let Some(newer) = runs[..production.unwrap_or(runs.len())].first() {
        let place = match &newer.branch {
            Some(branch) => format!("branch `{branch}` (`{}`)", newer.model_run.target),
            None => format!("shadow target `{}`", newer.model_run.target),
        };
        note.push_str(&format!(
            "\n\n**Newer run elsewhere:** {place} — {}, {} (run `{}`)",
            newer.model_run.status.as_str(),
            ago(now_secs().saturating_sub(newer.model_run.started_at_ms / 1000)),
            newer.run_id
        ));
    }
    note
}
