//! Hover notes from the state file: a model's last run, a source's schema-cache age. Both come
//! from the snapshot the background poller read; a hover never opens the state file.

use std::time::{SystemTime, UNIX_EPOCH};

use rocky_analysis::ide::HoverSubject;
use rocky_analysis::SourceSchemaSnapshot;

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
        HoverSubject::Model { name } => {
            let Some(last) = notes
                .runs
                .get(name)
                .or_else(|| notes.runs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
            else {
                return Some("**Last run:** never built".into());
            };
            let run = &last.model_run;
            let rows = run.rows.map_or_else(|| "? rows".to_string(), |r| format!("{r} rows"));
            let when = ago(now_secs().saturating_sub(run.started_at_ms / 1000));
            let mut note = format!(
                "**Last run:** {} — {rows}, {when}, {} ms (run `{}`)",
                run.status.as_str(),
                run.duration_ms,
                last.run_id
            );
            if let Some(e) = &run.error {
                note.push_str(&format!("\n\n{e}"));
            }
            Some(note)
        }
        HoverSubject::Source { key } => {
            let table = notes.sources.as_ref().and_then(|s| s.tables.get(&key.to_lowercase()));
            Some(match table.and_then(|t| t.written_at) {
                Some(at) => format!("**Schema cached** {}", ago(now_secs().saturating_sub(at))),
                None => {
                    "**Not in the schema cache**: run `rocky run` (or `rocky discover`) to cache its columns".into()
                }
            })
        }
        _ => None,
    }
}
