//! The server's lifecycle and document handlers, and the shared state and snapshot helpers the
//! feature handlers (`features.rs`) use.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rocky_analysis::{Analysis, Cancellable};
use tokio::sync::watch;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use crate::convert::Converter;
use crate::diagnostics::{self, Published};
use crate::position::Encoding;
use crate::workspace::{Project, Workspace};
use crate::{files, schema_cache};

/// What the client said it supports (from `initialize`).
#[derive(Debug, Default, Clone)]
pub struct ClientCaps {
    pub watched_files_dynamic: bool,
    pub inlay_hint_refresh: bool,
    pub semantic_tokens_refresh: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and accepts
    /// `workspace/diagnostic/refresh`: the server then never pushes them (an editor that gets
    /// both shows every problem twice). A client that can pull but not be told to refresh
    /// (Neovim 0.11) gets pushed diagnostics instead, since only a push reaches a file whose
    /// diagnostics changed because another file was edited.
    pub pull_diagnostics: bool,
    /// The client shows server-initiated progress (`window/workDoneProgress/create`).
    pub work_done_progress: bool,
    /// The client applies workspace edits that rename files (`documentChanges` with the
    /// `rename` resource operation): renaming a model named after its file needs it.
    pub rename_files: bool,
    /// Workspace folders (or the root URI) to look for projects in.
    pub roots: Vec<PathBuf>,
}

/// State shared by the handlers and the background tasks.
pub struct Shared {
    ws: Mutex<Workspace>,
    published: Mutex<Published>,
    pub generation: Arc<AtomicU64>,
    changes: watch::Sender<u64>,
    pub caps: OnceLock<ClientCaps>,
    /// A `shutdown` request arrived (the exit code depends on it).
    pub shut_down: Arc<AtomicBool>,
}

impl Shared {
    fn new(shut_down: Arc<AtomicBool>) -> (Arc<Shared>, watch::Receiver<u64>) {
        let generation = Arc::new(AtomicU64::new(0));
        let (changes, rx) = watch::channel(0);
        let shared = Shared {
            ws: Mutex::new(Workspace::new(generation.clone())),
            published: Mutex::new(Published::default()),
            generation,
            changes,
            caps: OnceLock::new(),
            shut_down,
        };
        (Arc::new(shared), rx)
    }

    /// The workspace. A handler that panicked while holding it leaves consistent-enough state
    /// (each change is one input write), so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, Workspace> {
        self.ws.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn published(&self) -> MutexGuard<'_, Published> {
        self.published.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes the diagnostics task after a change.
    pub fn changed(&self) {
        self.changes.send_replace(self.generation.load(Ordering::SeqCst));
    }

    pub fn caps(&self) -> ClientCaps {
        self.caps.get().cloned().unwrap_or_default()
    }

    /// A snapshot of the project holding `uri`, or `None` when no project holds it (or it is
    /// too large to analyze). Taken under the lock, so text and analysis agree.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let mut ws = self.lock();
        let encoding = ws.encoding;
        let (root, rel) = match ws.locate_document(uri.as_str()) {
            Some(found) => found,
            None => ws.locate(&uri.to_file_path()?)?,
        };
        if ws.documents.get(uri.as_str()).is_some_and(|d| d.too_large()) {
            return None;
        }
        let open = ws.open_files(&root).into_iter().map(|(u, rel)| (rel, u)).collect();
        let project = ws.projects.get_mut(&root)?;
        let notes = project.notes();
        let indexed = project.indexed.load(Ordering::SeqCst);
        let analysis = project.host.analysis();
        let version = ws.documents.get(uri.as_str()).map(|d| d.version);
        let last_good = ws.last_good.clone();
        Some(Snapshot { analysis, root, rel, encoding, open, notes, version, last_good, indexed })
    }

    /// The roots of every loaded project (workspace-wide requests take one snapshot at a time,
    /// see [`Shared::project_snapshot`]).
    pub fn roots(&self) -> Vec<PathBuf> {
        self.lock().projects.keys().cloned().collect()
    }

    /// A snapshot of the project at `root`, and its load problems (read under the same lock:
    /// never lock the workspace while holding a snapshot, since an edit holding the lock waits
    /// for every snapshot to be dropped).
    pub fn project_snapshot(&self, root: &Path) -> Option<(Snapshot, Vec<rocky_loader::LoadProblem>)> {
        let mut ws = self.lock();
        let encoding = ws.encoding;
        let open = ws.open_files(root).into_iter().map(|(u, rel)| (rel, u)).collect();
        let project = ws.projects.get_mut(root)?;
        let notes = project.notes();
        let problems = project.problems.clone();
        let indexed = project.indexed.load(Ordering::SeqCst);
        let analysis = project.host.analysis();
        let last_good = ws.last_good.clone();
        let snap = Snapshot {
            analysis,
            root: root.to_path_buf(),
            rel: String::new(),
            encoding,
            open,
            notes,
            version: None,
            last_good,
            indexed,
        };
        Some((snap, problems))
    }
}

/// One project's analysis at one revision, and the file a request is about.
pub struct Snapshot {
    pub analysis: Analysis,
    pub root: PathBuf,
    /// Project-relative path of the request's document (empty for workspace requests).
    pub rel: String,
    pub encoding: Encoding,
    pub open: HashMap<String, Uri>,
    /// Run history and schema-cache ages (for hovers).
    pub notes: crate::history::StateNotes,
    /// The version of the request's document when it is open.
    pub version: Option<i32>,
    /// What open documents showed when they last parsed.
    pub last_good: Arc<Mutex<crate::last_good::LastGood>>,
    /// The project is indexed: a hover may list a column's readers (else it would parse the
    /// whole project while the user waits).
    pub indexed: bool,
}

/// Runs a request's analysis on the blocking pool. A concurrent edit cancels it
/// (`ContentModified`); a panic becomes an internal error response, never a dead server.
pub async fn query<T: Send + 'static>(
    snap: Snapshot,
    f: impl FnOnce(&Converter<'_>, &str) -> Cancellable<T> + Send + 'static,
) -> Result<T> {
    let run = move || {
        let conv = Converter::new(&snap.analysis, &snap.root, snap.encoding, &snap.open);
        f(&conv, &snap.rel)
    };
    match tokio::task::spawn_blocking(move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))).await {
        Ok(Ok(Ok(v))) => Ok(v),
        Ok(Ok(Err(_cancelled))) => Err(Error::content_modified()),
        Ok(Err(panic)) => Err(internal(format!("the analysis failed: {}", panic_message(&panic)))),
        Err(e) => Err(internal(format!("the analysis task failed: {e}"))),
    }
}

fn internal(message: String) -> Error {
    tracing::error!("{message}");
    Error { code: ErrorCode::InternalError, message: message.into(), data: None }
}

/// The text of a panic payload.
pub fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// The language server.
pub struct Backend {
    pub client: Client,
    pub shared: Arc<Shared>,
}

impl Backend {
    /// A server whose `shutdown` handler sets `shut_down`.
    pub fn new(client: Client, shut_down: Arc<AtomicBool>) -> Backend {
        let (shared, rx) = Shared::new(shut_down);
        tokio::spawn(reload_projects(shared.clone(), rx.clone()));
        tokio::spawn(diagnostics::run(shared.clone(), client.clone(), rx));
        Backend { client, shared }
    }

    pub fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let encoding = Encoding::negotiate(caps.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        self.shared.lock().encoding = encoding;
        let ws_caps = caps.workspace.as_ref();
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            roots.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().map(|p| p.into_owned())));
        }
        let client_caps = ClientCaps {
            watched_files_dynamic: ws_caps
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            inlay_hint_refresh: ws_caps
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                .unwrap_or(false),
            semantic_tokens_refresh: ws_caps
                .and_then(|w| w.semantic_tokens.as_ref())
                .and_then(|s| s.refresh_support)
                .unwrap_or(false),
            pull_diagnostics: caps.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some())
                && ws_caps.and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support).unwrap_or(false),
            work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            rename_files: ws_caps.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|e| {
                e.document_changes == Some(true)
                    && e.resource_operations.as_ref().is_some_and(|ops| ops.contains(&ResourceOperationKind::Rename))
            }),
            roots,
        };
        let pull = client_caps.pull_diagnostics;
        let _ = self.shared.caps.set(client_caps);
        Ok(InitializeResult {
            capabilities: crate::features::capabilities(encoding, pull),
            server_info: Some(ServerInfo { name: "rocky-lsp".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    pub async fn initialized(&self) {
        let caps = self.shared.caps();
        files::start_watching(self.shared.clone(), self.client.clone(), &caps).await;
        let mut candidates = Vec::new();
        for root in &caps.roots {
            candidates.extend(files::discover(root));
        }
        load_projects(self.shared.clone(), self.client.clone(), candidates).await;
        tokio::spawn(schema_cache_poller(self.shared.clone(), self.client.clone()));
    }

    pub async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let outside = self.shared.lock().open(d.uri, d.version, &d.text);
        self.shared.changed();
        if let Some(path) = outside {
            // Not in a loaded project: load the nearest rocky.toml above it, if any.
            if let Ok(root) = rocky_loader::find_root(&path) {
                load_projects(self.shared.clone(), self.client.clone(), vec![root]).await;
            }
        }
    }

    pub fn did_change(&self, params: DidChangeTextDocumentParams) {
        let d = params.text_document;
        self.shared.lock().change(&d.uri, d.version, params.content_changes);
        self.shared.changed();
    }

    pub async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let in_project = {
            let mut ws = self.shared.lock();
            let located = ws.locate_document(uri.as_str()).is_some();
            ws.close(&uri);
            located
        };
        self.shared.changed();
        if !in_project && !self.shared.caps().pull_diagnostics {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
}

/// Loads projects in the background (each once), then wakes the diagnostics task.
pub async fn load_projects(shared: Arc<Shared>, client: Client, roots: Vec<PathBuf>) {
    for root in roots {
        {
            let mut ws = shared.lock();
            if ws.projects.contains_key(&root) || !ws.loading.insert(root.clone()) {
                continue;
            }
        }
        let r = root.clone();
        let loaded = tokio::task::spawn_blocking(move || rocky_loader::load_project(&r).map(Project::new)).await;
        match loaded {
            Ok(Ok((project, message))) => {
                tracing::info!("loaded the project at {}", root.display());
                shared.lock().add_project(project);
                shared.changed();
                if let Some(m) = message {
                    report(&client, MessageType::WARNING, m).await;
                }
            }
            Ok(Err(e)) => {
                shared.lock().loading.remove(&root);
                report(
                    &client,
                    MessageType::ERROR,
                    format!("cannot load the project at {}: {e}; {}", root.display(), e.hint()),
                )
                .await;
            }
            Err(e) => {
                shared.lock().loading.remove(&root);
                report(&client, MessageType::ERROR, format!("loading {} failed: {e}", root.display())).await;
            }
        }
    }
}

/// Loads projects again whose `models` globs changed (see `Workspace::config_changed`), one at a
/// time on the blocking pool. Woken by every change; a glob typed character by character queues
/// only its latest text, and a load made stale by a newer edit is dropped, not applied.
async fn reload_projects(shared: Arc<Shared>, mut changes: watch::Receiver<u64>) {
    while changes.changed().await.is_ok() {
        loop {
            let Some((root, text)) = shared.lock().reloads.iter().next().map(|(r, t)| (r.clone(), t.clone())) else {
                break;
            };
            let (r, t) = (root.clone(), text.clone());
            let loaded = tokio::task::spawn_blocking(move || rocky_loader::load_project_with_config(&r, t)).await;
            let applied = match loaded {
                Ok(loaded) => shared.lock().finish_reload(&root, &text, loaded),
                Err(e) => {
                    tracing::error!("reloading {} failed: {e}", root.display());
                    // Not retried until rocky.toml changes again.
                    let mut ws = shared.lock();
                    if ws.reloads.get(&root) == Some(&text) {
                        ws.reloads.remove(&root);
                    }
                    false
                }
            };
            if applied {
                tracing::info!("reloaded {} (its models globs changed)", root.display());
                shared.changed();
            }
        }
    }
}

/// Shows a message once and logs it.
pub async fn report(client: &Client, typ: MessageType, message: String) {
    tracing::warn!("{message}");
    client.show_message(typ, message).await;
}

/// Polls each project's state file every 500 ms; on change, re-reads the schema cache (outside
/// the workspace lock), applies it, re-checks, and asks the client to refresh hints and tokens.
/// Also shows the state-file location warnings (legacy location) once.
async fn schema_cache_poller(shared: Arc<Shared>, client: Client) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let states = shared.lock().schema_states();
        let mut refreshed = false;
        for (root, mut state, current) in states {
            let check = move || (schema_cache::check(&mut state, current.as_deref()), state);
            let outcome = match tokio::task::spawn_blocking(check).await {
                Ok(o) => o,
                Err(e) => {
                    tracing::error!("reading the schema cache failed: {e}");
                    continue;
                }
            };
            match outcome {
                (schema_cache::Reload::Unchanged, state) => store_state(&shared, &root, state),
                (schema_cache::Reload::Loaded(snapshot, runs), state) => {
                    apply_snapshot(&shared, &root, state, snapshot, Some(runs));
                    refreshed = true;
                }
                (schema_cache::Reload::Expired(snapshot), state) => {
                    apply_snapshot(&shared, &root, state, snapshot, None);
                    refreshed = true;
                }
                (schema_cache::Reload::Failed(message), state) => {
                    store_state(&shared, &root, state);
                    report(&client, MessageType::WARNING, message).await;
                }
            }
        }
        // Before the refresh below, so a client that saw the refresh has seen the warning too.
        let warnings = shared.lock().unshown_warnings();
        for w in warnings {
            report(&client, MessageType::WARNING, w).await;
        }
        if refreshed {
            shared.changed();
            refresh_views(&shared, &client).await;
        }
    }
}

fn store_state(shared: &Shared, root: &Path, state: schema_cache::SchemaCacheState) {
    if let Some(p) = shared.lock().projects.get_mut(root) {
        p.schema = state;
    }
}

fn apply_snapshot(
    shared: &Shared,
    root: &Path,
    state: schema_cache::SchemaCacheState,
    snapshot: rocky_analysis::SourceSchemaSnapshot,
    runs: Option<schema_cache::RunHistory>,
) {
    let mut ws = shared.lock();
    if let Some(p) = ws.projects.get_mut(root) {
        p.schema = state;
        let runs = runs.unwrap_or_else(|| p.runs.clone());
        p.apply_sources(snapshot, runs);
        ws.schema_changed(root);
        tracing::info!("reloaded the schema cache of {}", root.display());
    }
}

/// Asks the client to re-request inlay hints and semantic tokens (types may have changed).
pub async fn refresh_views(shared: &Shared, client: &Client) {
    let caps = shared.caps();
    if caps.inlay_hint_refresh {
        let client = client.clone();
        tokio::spawn(async move { client.inlay_hint_refresh().await });
    }
    if caps.semantic_tokens_refresh {
        let client = client.clone();
        tokio::spawn(async move { client.semantic_tokens_refresh().await });
    }
}
