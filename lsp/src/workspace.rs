//! The server's mutable state: open documents and the projects (one `AnalysisHost` per
//! rocky.toml). Open buffers are the truth for open files, disk for the rest.
//!
//! Every change writes analysis inputs and records which files to re-check first; the
//! diagnostics task (see `diagnostics.rs`) picks that up. Nothing here waits on the client.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rocky_analysis::base::SidecarText;
use rocky_analysis::config::parse_project_config;
use rocky_analysis::{AnalysisHost, SourceSchemaSnapshot};
use rocky_loader::{FileKind, LoadProblem, LoadedProject, ProjectLayout, PROJECT_FILE};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::document::{Document, MAX_DOCUMENT_BYTES};
use crate::history::StateNotes;
use crate::last_good::LastGood;
use crate::position::Encoding;
use crate::schema_cache::{self, RunHistory, SchemaCacheState};

/// One rocky.toml project and its analysis.
pub struct Project {
    pub root: PathBuf,
    pub layout: ProjectLayout,
    pub host: AnalysisHost,
    /// Files or settings that could not be loaded (published as `E000`).
    pub problems: Vec<LoadProblem>,
    /// The pipelines' `models` globs: when they change, which files are models changes.
    globs: Vec<String>,
    pub schema: SchemaCacheState,
    /// Every model's last run, from the state file (for hovers).
    pub runs: RunHistory,
    /// The schema cache last handed to the analysis (re-applied after a project reload).
    sources: Option<Arc<SourceSchemaSnapshot>>,
    /// Every model has been parsed once (`Analysis::index_project`): what reads a column can be
    /// answered without parsing the whole project during a request.
    pub indexed: Arc<AtomicBool>,
}

impl Project {
    /// A loaded project, with its schema cache read from the state file.
    pub fn new(loaded: LoadedProject) -> (Project, Option<String>) {
        let globs = loaded.config.pipelines.iter().map(|p| p.models.clone()).collect();
        let schema = SchemaCacheState::new(&loaded.root, &loaded.config);
        let mut project = Project {
            root: loaded.root,
            layout: loaded.layout,
            host: loaded.host,
            problems: loaded.problems,
            globs,
            schema,
            runs: RunHistory::default(),
            sources: None,
            indexed: Arc::default(),
        };
        let message = project.reload_schema_cache().err();
        (project, message)
    }

    /// Re-reads the state file if it changed. `Ok(true)` when new schemas were applied; `Err`
    /// with a message to show once when it could not be read.
    pub fn reload_schema_cache(&mut self) -> Result<bool, String> {
        match schema_cache::check(&mut self.schema, self.sources.as_deref()) {
            schema_cache::Reload::Unchanged => Ok(false),
            schema_cache::Reload::Loaded(snapshot, runs) => {
                self.apply_sources(snapshot, runs);
                Ok(true)
            }
            schema_cache::Reload::Expired(snapshot) => {
                self.apply_sources(snapshot, self.runs.clone());
                Ok(true)
            }
            schema_cache::Reload::Failed(message) => Err(message),
        }
    }

    /// Hands a schema cache snapshot to the analysis: salsa re-checks only models that read a
    /// table whose columns changed.
    pub fn apply_sources(&mut self, snapshot: SourceSchemaSnapshot, runs: RunHistory) {
        self.host.set_source_schemas(snapshot.clone());
        self.sources = Some(Arc::new(snapshot));
        self.runs = runs;
    }

    /// What the state file said, for hovers.
    pub fn notes(&self) -> StateNotes {
        StateNotes { runs: self.runs.clone(), sources: self.sources.clone() }
    }

    /// Load problems of one file.
    pub fn problems_of(&self, rel: &str) -> Vec<LoadProblem> {
        self.problems.iter().filter(|p| p.path == rel).cloned().collect()
    }

    fn set_problem(&mut self, rel: &str, problem: Option<LoadProblem>) {
        self.problems.retain(|p| p.path != rel);
        self.problems.extend(problem);
    }
}

/// Open documents, projects, and what changed since the diagnostics task last looked.
pub struct Workspace {
    pub encoding: Encoding,
    /// By URI as the client spelled it.
    pub documents: HashMap<String, Document>,
    /// By root folder.
    pub projects: BTreeMap<PathBuf, Project>,
    /// Roots being loaded in the background (not yet in `projects`).
    pub loading: BTreeSet<PathBuf>,
    /// Files whose diagnostics to compute first: `(root, project-relative path)`.
    pub pending: BTreeSet<(PathBuf, String)>,
    /// Projects whose every file needs checking (after a load, reload or schema-cache change).
    pub full_check: BTreeSet<PathBuf>,
    /// When a document was last edited: the whole-project check waits for a pause in typing.
    pub last_edit: Option<std::time::Instant>,
    /// Projects to load again in the background because their `models` globs changed, with the
    /// rocky.toml text to load them with (the latest wins: see `server::reload_projects`).
    pub reloads: BTreeMap<PathBuf, String>,
    /// Bumped on every change: long computations compare it to notice they are stale.
    pub generation: Arc<AtomicU64>,
    /// State-file location warnings already shown (each once per server run).
    shown_warnings: BTreeSet<String>,
    /// What open documents showed when they last parsed (its own lock: requests holding a
    /// snapshot read it, and they must never wait for the workspace).
    pub last_good: Arc<Mutex<LastGood>>,
}

impl Workspace {
    pub fn new(generation: Arc<AtomicU64>) -> Self {
        Workspace {
            encoding: Encoding::Utf16,
            documents: HashMap::new(),
            projects: BTreeMap::new(),
            loading: BTreeSet::new(),
            pending: BTreeSet::new(),
            full_check: BTreeSet::new(),
            last_edit: None,
            reloads: BTreeMap::new(),
            generation,
            shown_warnings: BTreeSet::new(),
            last_good: Arc::default(),
        }
    }

    /// The projects' state-file location warnings not shown yet; marks them shown. A project
    /// re-locates its state file on every rocky.toml edit, so the same warning comes back:
    /// the user sees it once per server run.
    pub fn unshown_warnings(&mut self) -> Vec<String> {
        let all: Vec<String> = self.projects.values().flat_map(|p| p.schema.warnings.iter().cloned()).collect();
        all.into_iter().filter(|w| self.shown_warnings.insert(w.clone())).collect()
    }

    /// The innermost project containing `path`, and the path relative to its root.
    pub fn locate(&self, path: &Path) -> Option<(PathBuf, String)> {
        self.projects
            .keys()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len())
            .and_then(|root| rocky_loader::relative(root, path).map(|rel| (root.clone(), rel)))
    }

    /// The project and relative path of an open document.
    pub fn locate_document(&self, uri: &str) -> Option<(PathBuf, String)> {
        self.documents.get(uri)?.path.as_deref().and_then(|p| self.locate(p))
    }

    /// Marks a file for re-checking.
    pub fn touch(&mut self, root: &Path, rel: &str) {
        self.pending.insert((root.to_path_buf(), rel.to_string()));
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn touch_all(&mut self, root: &Path) {
        self.full_check.insert(root.to_path_buf());
        for (r, rel) in self.open_files(root) {
            let _ = r;
            self.pending.insert((root.to_path_buf(), rel));
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The project's schema-cache state and the snapshot its analysis has (for the poller).
    pub fn schema_states(&self) -> Vec<(PathBuf, SchemaCacheState, Option<Arc<SourceSchemaSnapshot>>)> {
        self.projects.iter().map(|(r, p)| (r.clone(), p.schema.clone(), p.sources.clone())).collect()
    }

    /// The schema cache of a project changed: re-check it.
    pub fn schema_changed(&mut self, root: &Path) {
        self.touch_all(root);
    }

    /// `(uri, project-relative path)` of every open document in the project at `root`.
    pub fn open_files(&self, root: &Path) -> Vec<(Uri, String)> {
        self.documents
            .values()
            .filter_map(|d| {
                let (r, rel) = self.locate(d.path.as_deref()?)?;
                (r == root).then(|| (d.uri.clone(), rel))
            })
            .collect()
    }

    /// The open document showing `root/rel`, if any.
    pub fn document_at(&self, root: &Path, rel: &str) -> Option<&Document> {
        let path = root.join(rel);
        self.documents.values().find(|d| d.path.as_deref() == Some(path.as_path()))
    }

    /// A project finished loading: its open documents' buffers replace the disk versions.
    pub fn add_project(&mut self, mut project: Project) {
        let root = project.root.clone();
        self.loading.remove(&root);
        let overlays: Vec<(String, String)> = self
            .documents
            .values()
            .filter(|d| d.path.as_deref().is_some_and(|p| p.starts_with(&root)))
            .filter_map(|d| Some((rocky_loader::relative(&root, d.path.as_deref()?)?, d.text())))
            .collect();
        for (rel, text) in overlays {
            if rel != PROJECT_FILE {
                overlay(&mut project, &rel, text);
            }
        }
        self.projects.insert(root.clone(), project);
        self.touch_all(&root);
    }

    /// Forgets a project (its rocky.toml was deleted).
    pub fn remove_project(&mut self, root: &Path) {
        self.projects.remove(root);
        self.full_check.remove(root);
        self.reloads.remove(root);
        self.pending.retain(|(r, _)| r != root);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// `textDocument/didOpen`. Returns the file's path when no loaded project contains it (the
    /// caller looks for a rocky.toml above it).
    pub fn open(&mut self, uri: Uri, version: i32, text: &str) -> Option<PathBuf> {
        let doc = Document::new(uri.clone(), version, text);
        let path = doc.path.clone();
        self.documents.insert(uri.as_str().to_string(), doc);
        match self.locate_document(uri.as_str()) {
            Some((root, rel)) => {
                self.apply_buffer(&root, &rel, uri.as_str());
                None
            }
            None => path,
        }
    }

    /// `textDocument/didChange`.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        let encoding = self.encoding;
        let Some(doc) = self.documents.get_mut(uri.as_str()) else {
            tracing::warn!("didChange for {} which is not open; ignored", uri.as_str());
            return;
        };
        let edits = doc.apply(version, changes, encoding);
        // Recorded before the host sees the new text, so no answer for `version` can be read
        // through older edits.
        crate::last_good::lock(&self.last_good).edited(uri.as_str(), version, edits);
        self.last_edit = Some(std::time::Instant::now());
        if let Some((root, rel)) = self.locate_document(uri.as_str()) {
            // Being edited: its SQL becomes the LOW-durability input keystrokes write, and one
            // walk per edit serves its diagnostics and the editor's requests (see
            // `AnalysisHost::set_in_editor`). Set with the first edit, not on open: an input
            // write on open would cancel requests already running (a `rocky/lineage` asked
            // right after opening a file came back "content modified"). The price: the first
            // hover after the first keystroke re-validates the project once (≈ 15 ms at 10k).
            if let Some(project) = self.projects.get_mut(&root) {
                project.host.set_in_editor(&rel, true);
            }
            self.apply_buffer(&root, &rel, uri.as_str());
        }
    }

    /// `textDocument/didClose`: the disk version comes back.
    pub fn close(&mut self, uri: &Uri) {
        crate::last_good::lock(&self.last_good).forget(uri.as_str());
        let located = self.locate_document(uri.as_str());
        self.documents.remove(uri.as_str());
        if let Some((root, rel)) = located {
            if let Some(project) = self.projects.get_mut(&root) {
                project.host.set_in_editor(&rel, false);
            }
            self.reload_from_disk(&root, &rel);
        }
    }

    /// Hands an open buffer to its project's analysis.
    fn apply_buffer(&mut self, root: &Path, rel: &str, uri: &str) {
        let Some(doc) = self.documents.get(uri) else { return };
        let too_large = doc.too_large();
        let text = if too_large { String::new() } else { doc.text() };
        let Some(project) = self.projects.get_mut(root) else { return };
        if too_large {
            if project.layout.classify(rel) == FileKind::Model {
                project.host.remove_model(rel);
            }
        } else if rel == PROJECT_FILE {
            self.config_changed(root, text);
            return;
        } else {
            overlay(project, rel, text);
        }
        self.touch(root, rel);
    }

    /// rocky.toml changed (buffer or disk). The config input is written at once; when the
    /// `models` globs changed, which files are models changed too, and the project is loaded
    /// again in the background (reading every file of a large project takes a while, and typing
    /// a glob changes it on every keystroke: edits and requests must not wait for that).
    fn config_changed(&mut self, root: &Path, text: String) {
        let Some(project) = self.projects.get_mut(root) else { return };
        let (config, _) = parse_project_config(PROJECT_FILE, &text);
        let globs: Vec<String> = config.pipelines.iter().map(|p| p.models.clone()).collect();
        let schema = SchemaCacheState::new(root, &config);
        if (&schema.path, schema.enabled, schema.ttl_seconds)
            != (&project.schema.path, project.schema.enabled, project.schema.ttl_seconds)
        {
            project.schema = schema; // read again on the next poll
        }
        project.host.set_project_config(Some(text.clone()));
        if globs == project.globs {
            // Glob problems are located in rocky.toml: recompute them for the new text.
            let (_, problems) = ProjectLayout::new(root, &config);
            project.problems.retain(|p| p.path != PROJECT_FILE);
            project.problems.extend(problems);
            self.reloads.remove(root);
        } else {
            self.reloads.insert(root.to_path_buf(), text);
        }
        self.touch_all(root);
    }

    /// A background reload finished: the project loaded with `text` replaces the current one,
    /// keeping its schema cache and run history, unless rocky.toml changed again meanwhile
    /// (then a newer reload is queued and this one is dropped). Returns whether it was applied.
    pub fn finish_reload(&mut self, root: &Path, text: &str, loaded: LoadedProject) -> bool {
        if self.reloads.get(root).is_none_or(|wanted| wanted != text) {
            return false;
        }
        self.reloads.remove(root);
        let Some(project) = self.projects.get_mut(root) else { return false };
        let sources = project.sources.clone();
        let runs = project.runs.clone();
        let schema = std::mem::take(&mut project.schema);
        let (mut fresh, _) = Project::new(loaded);
        fresh.schema = schema;
        if let Some(s) = sources {
            fresh.apply_sources((*s).clone(), runs);
        }
        self.add_project(fresh);
        true
    }

    /// Reads one project file from disk again (after didClose, or when it changed on disk).
    fn reload_from_disk(&mut self, root: &Path, rel: &str) {
        let Some(project) = self.projects.get_mut(root) else { return };
        if rel == PROJECT_FILE {
            match rocky_loader::read_text(&root.join(PROJECT_FILE)) {
                Ok(text) => self.config_changed(root, text),
                Err(_) if !root.join(PROJECT_FILE).exists() => self.remove_project(root),
                Err(e) => tracing::warn!("cannot read {}: {e}", root.join(PROJECT_FILE).display()),
            }
            return;
        }
        let result = rocky_loader::load_file(&mut project.host, &project.layout, rel);
        let kind = project.layout.classify(rel);
        project.set_problem(rel, result.err());
        if kind == FileKind::Model {
            // The model's sidecar may be open: its buffer wins over the disk version just read.
            let sidecar = rocky_loader::model_sidecar(rel);
            if let Some(text) = self.document_at(root, &sidecar).map(Document::text) {
                if let Some(project) = self.projects.get_mut(root) {
                    overlay(project, &sidecar, text);
                }
            }
        }
        self.touch(root, rel);
    }

    /// Files created, changed or deleted on disk. Returns folders with a new rocky.toml (the
    /// caller loads them in the background).
    pub fn disk_changed(&mut self, paths: &[PathBuf]) -> Vec<PathBuf> {
        let mut new_roots = Vec::new();
        for path in paths {
            let is_config = path.file_name().is_some_and(|n| n == PROJECT_FILE);
            if is_config {
                let Some(dir) = path.parent() else { continue };
                if !self.projects.contains_key(dir) {
                    if path.is_file() && !self.loading.contains(dir) {
                        new_roots.push(dir.to_path_buf());
                    }
                    continue;
                }
            }
            let Some((root, rel)) = self.locate(path) else { continue };
            if self.document_at(&root, &rel).is_some() {
                continue; // the open buffer is the truth
            }
            self.reload_from_disk(&root, &rel);
        }
        new_roots
    }
}

/// Writes a buffer's text into the analysis input it belongs to (rocky.toml is handled by
/// [`Workspace::config_changed`]).
fn overlay(project: &mut Project, rel: &str, text: String) {
    match project.layout.classify(rel) {
        FileKind::Model => {
            project.host.set_model(rel, text);
            // A buffer is readable by definition: drop "cannot read" problems of the disk file.
            project.set_problem(rel, None);
        }
        FileKind::Sidecar => {
            project
                .host
                .set_sidecar(&rocky_loader::sidecar_model(rel), Some(SidecarText { path: rel.to_string(), text }));
            project.set_problem(rel, None);
        }
        FileKind::Defaults => {
            project.host.set_defaults(rel, Some(text));
            project.set_problem(rel, None);
        }
        FileKind::ProjectConfig | FileKind::Other => {}
    }
}

/// The problem reported for an open document too large to analyze.
pub fn too_large_problem(rel: &str, bytes: usize) -> LoadProblem {
    LoadProblem {
        path: rel.to_string(),
        range: None,
        message: format!("the document is {bytes} bytes, more than the {MAX_DOCUMENT_BYTES} bytes Rocky analyzes"),
        hint: "a model is one query: split the file; it is not analyzed while this large".into(),
    }
}
