//! `rocky/status`: which project a document belongs to and how fresh its schema cache is, for an
//! editor's status bar. Answered from what the server already holds (the schema-cache snapshot
//! the background poller read); it never opens the state file.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::TextDocumentIdentifier;

use crate::server::Shared;

/// `rocky/status` parameters: `{}` (the first project) or a document (its project).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusParams {
    #[serde(default)]
    pub text_document: Option<TextDocumentIdentifier>,
}

/// `rocky/status` result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// The project folder's name.
    pub project: String,
    /// The project folder.
    pub root: String,
    /// The state file the project reads, when it exists.
    pub state_file: Option<String>,
    /// Schema-cache entries (tables) the analysis sees.
    pub cache_entries: usize,
    /// Seconds since the newest schema-cache entry was written; `None` when there is none.
    pub cache_age_seconds: Option<u64>,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The status of the project holding the given document, else of the first project; `None`
/// when no project is loaded (or the document is in none).
pub fn status(shared: &Shared, params: StatusParams) -> Result<Option<Status>> {
    let ws = shared.lock();
    let root = match &params.text_document {
        Some(doc) => {
            let uri = doc.uri.as_str();
            ws.locate_document(uri).or_else(|| ws.locate(&doc.uri.to_file_path()?)).map(|(root, _)| root)
        }
        None => ws.projects.keys().next().cloned(),
    };
    let Some(project) = root.and_then(|r| ws.projects.get(&r)) else { return Ok(None) };
    let notes = project.notes();
    let tables = notes.sources.as_ref().map(|s| s.tables.len()).unwrap_or(0);
    let newest = notes.sources.as_ref().and_then(|s| s.tables.values().filter_map(|t| t.written_at).max());
    Ok(Some(Status {
        project: project.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        root: project.root.display().to_string(),
        state_file: project.schema.path.as_ref().filter(|p| p.is_file()).map(|p| p.display().to_string()),
        cache_entries: tables,
        cache_age_seconds: newest.map(|at| now_secs().saturating_sub(at)),
    }))
}
