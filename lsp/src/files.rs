//! Files on disk: finding projects under the workspace folders, and noticing files created,
//! changed, deleted or renamed — through the client's `workspace/didChangeWatchedFiles` when it
//! can register it dynamically, otherwise through a `notify` watcher of our own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType, Registration,
};
use tower_lsp_server::Client;

use crate::diagnostics;
use crate::server::{load_projects, report, ClientCaps, Shared};

/// Folders never searched for projects.
const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];
/// How deep below a workspace folder rocky.toml files are looked for.
const MAX_DEPTH: usize = 6;

/// The project roots for a workspace folder: the nearest rocky.toml at or above it, and every
/// rocky.toml below it (hidden folders, `target` and `node_modules` skipped).
pub fn discover(folder: &Path) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Ok(root) = rocky_loader::find_root(folder) {
        roots.push(root);
    }
    let walk = walkdir::WalkDir::new(folder).max_depth(MAX_DEPTH).into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()))
    });
    for entry in walk.flatten() {
        if entry.file_type().is_file() && entry.file_name() == rocky_loader::PROJECT_FILE {
            if let Some(dir) = entry.path().parent() {
                let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
                if !roots.contains(&dir) {
                    roots.push(dir);
                }
            }
        }
    }
    roots
}

/// Files that matter to Rocky: SQL and TOML.
fn relevant(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "sql" || e == "toml")
}

/// Applies disk changes: reloads changed files (unless open), loads new projects, forgets
/// projects whose rocky.toml is gone.
pub async fn disk_changed(shared: &Arc<Shared>, client: &Client, paths: Vec<PathBuf>) {
    let paths: Vec<PathBuf> = paths.into_iter().filter(|p| relevant(p)).collect();
    if paths.is_empty() {
        return;
    }
    let (new_roots, gone) = {
        let mut ws = shared.lock();
        let before: Vec<PathBuf> = ws.projects.keys().cloned().collect();
        let new_roots = ws.disk_changed(&paths);
        let gone: Vec<PathBuf> = before.into_iter().filter(|r| !ws.projects.contains_key(r)).collect();
        (new_roots, gone)
    };
    shared.changed();
    for root in &gone {
        diagnostics::clear_project(shared, client, root).await;
    }
    if !new_roots.is_empty() {
        load_projects(shared.clone(), client.clone(), new_roots).await;
    }
}

/// Starts watching files: client-side registration when supported, else `notify`.
pub async fn start_watching(shared: Arc<Shared>, client: Client, caps: &ClientCaps) {
    if caps.watched_files_dynamic {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.{sql,toml}".into()),
                kind: None,
            }],
        };
        let registration = Registration {
            id: "rocky-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        // Sent from a task: the client answers only after our `initialized` handler returns.
        let (shared2, client2, roots) = (shared.clone(), client.clone(), caps.roots.clone());
        tokio::spawn(async move {
            if let Err(e) = client2.register_capability(vec![registration]).await {
                tracing::warn!("the client refused to watch files ({e}); watching them ourselves");
                watch_with_notify(shared2, client2, roots).await;
            }
        });
        return;
    }
    watch_with_notify(shared, client, caps.roots.clone()).await;
}

async fn watch_with_notify(shared: Arc<Shared>, client: Client, roots: Vec<PathBuf>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<PathBuf>>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
        Ok(e) => {
            let _ = tx.send(e.paths);
        }
        Err(e) => tracing::warn!("file watcher: {e}"),
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            report(&client, MessageType::WARNING, format!("cannot watch files ({e}); changes on disk need a restart"))
                .await;
            return;
        }
    };
    for root in &roots {
        if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
            tracing::warn!("cannot watch {}: {e}", root.display());
        }
    }
    tokio::spawn(async move {
        let _keep = watcher;
        while let Some(mut paths) = rx.recv().await {
            // Coalesce a burst (an editor's save, a git checkout).
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            disk_changed(&shared, &client, paths).await;
        }
    });
}
