//! Reads a Rocky project from disk and hands it to the analysis as changes.
//!
//! The runner and the language server both load projects through here, so both see the same
//! files under the same project-relative, `/`-separated paths. Bad files are not fatal: an
//! unreadable, non-UTF-8 or oversized file, an invalid `models` glob or a missing models folder
//! becomes a [`LoadProblem`] (with a path, a location when there is one, and a hint) and the rest
//! of the project still loads. Only "there is no project here" is a [`LoadError`].
//!
//! For single-file reloads (the language server's file watcher) use [`ProjectLayout::classify`]
//! and [`load_file`]; when rocky.toml itself changes, load the project again, since its globs
//! decide which files are models.

mod schema_cache;
mod state_location;

pub use schema_cache::{
    add_functions, add_types, expire, fresh_snapshot, is_fresh, load_schema_cache, next_expiry, source_table,
    SchemaCacheLoad,
};
pub use state_location::locate_project_state;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rocky_analysis::base::SidecarText;
use rocky_analysis::config::{parse_project_config, ProjectConfig};
use rocky_analysis::{AnalysisHost, TextRange};

/// Files larger than this are not loaded: a model is one query, so this is a runaway or
/// generated file, and reading it would stall the editor.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// The project config's file name; its folder is the project root.
pub const PROJECT_FILE: &str = "rocky.toml";

/// Folders never searched for models: hidden ones (`.git`, caches) and build output.
const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// What a file in a project is to Rocky.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `rocky.toml` at the project root.
    ProjectConfig,
    /// A `.sql` file matched by a pipeline's `models` glob.
    Model,
    /// `<stem>.toml` beside a model.
    Sidecar,
    /// `_defaults.toml` in a models folder (applies to that folder and below).
    Defaults,
    /// Anything else: not read.
    Other,
}

/// A file or setting that kept part of the project from loading, with what to do about it.
/// `rocky check` prints these as errors (code `E000`); the rest of the project is still checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    /// Project-relative path of the file concerned (`rocky.toml` for glob and folder problems).
    pub path: String,
    /// Where in that file, when the problem is a setting (e.g. a `models` glob).
    pub range: Option<TextRange>,
    pub message: String,
    pub hint: String,
}

/// Why a project could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{} does not exist", .path.display())]
    NotFound { path: PathBuf },
    #[error("no rocky.toml found in {} or any parent folder", .searched.display())]
    NoProject { searched: PathBuf },
    #[error("cannot read {}: {source}", .path.display())]
    Read { path: PathBuf, source: ReadError },
    #[error("cannot read {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl LoadError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            LoadError::NotFound { .. } => "pass the path of a project folder (one with a rocky.toml)".into(),
            LoadError::NoProject { .. } => {
                "run Rocky inside a project (a folder with rocky.toml), pass its path, or create one with `rocky init NAME`"
                    .into()
            }
            LoadError::Read { source, .. } => source.hint().into(),
            LoadError::Io { .. } => "check the path and its permissions".into(),
        }
    }
}

/// Why one file's text could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge {
        bytes: u64,
    },
    /// Not UTF-8; `valid_up_to` is the byte offset of the first bad byte.
    NotUtf8 {
        valid_up_to: usize,
    },
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::TooLarge { bytes } => {
                write!(f, "the file is {bytes} bytes, more than the {MAX_FILE_BYTES} bytes Rocky reads")
            }
            ReadError::NotUtf8 { valid_up_to } => {
                write!(f, "the file is not valid UTF-8 (first bad byte at offset {valid_up_to})")
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl ReadError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } => "a model is one query: split the file, or move it out of the models folder",
            ReadError::NotUtf8 { .. } => "save the file as UTF-8",
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            ReadError::Io(_) => "check that the file exists and can be read",
        }
    }
}

/// Reads a text file: at most [`MAX_FILE_BYTES`], valid UTF-8. The size is checked before
/// reading, so a huge file costs nothing.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { bytes: meta.len() });
    }
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 { valid_up_to: e.utf8_error().valid_up_to() })
}

/// The nearest folder at or above `start` (a folder or a file in it) that holds a rocky.toml.
pub fn find_root(start: &Path) -> Result<PathBuf, LoadError> {
    if !start.exists() {
        return Err(LoadError::NotFound { path: start.to_path_buf() });
    }
    let abs = std::path::absolute(start).map_err(|e| LoadError::Io { path: start.to_path_buf(), source: e })?;
    let abs = if abs.is_file() { abs.parent().map(Path::to_path_buf).unwrap_or(abs) } else { abs };
    let mut dir = Some(abs.as_path());
    while let Some(d) = dir {
        if d.join(PROJECT_FILE).is_file() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(LoadError::NoProject { searched: abs })
}

/// The project-relative, `/`-separated form of `path`, or `None` when it is not under `root`.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// The model a sidecar belongs to: same folder, same stem (`models/a.toml` → `models/a.sql`).
pub fn sidecar_model(sidecar: &str) -> String {
    format!("{}.sql", sidecar.strip_suffix(".toml").unwrap_or(sidecar))
}

/// The sidecar path of a model (`models/a.sql` → `models/a.toml`).
pub fn model_sidecar(model: &str) -> String {
    format!("{}.toml", model.strip_suffix(".sql").unwrap_or(model))
}

/// Which files of a project are models, sidecars and defaults, from rocky.toml's `models` globs.
/// Built once per rocky.toml; classifying a path is pure (no disk access).
#[derive(Clone, Debug)]
pub struct ProjectLayout {
    root: PathBuf,
    models: GlobSet,
    /// Project-relative folders the globs can match in (`models` for `models/**`; `""` is the root).
    bases: Vec<String>,
}

impl ProjectLayout {
    /// The layout of the project at `root`, and the problems with its globs (invalid glob, glob
    /// outside the project, missing folder), located in rocky.toml.
    pub fn new(root: &Path, config: &ProjectConfig) -> (ProjectLayout, Vec<LoadProblem>) {
        let mut builder = GlobSetBuilder::new();
        let mut bases = Vec::new();
        let mut problems = Vec::new();
        for p in &config.pipelines {
            let range = (!p.models_range.is_empty()).then_some(p.models_range);
            let problem =
                |message: String, hint: String| LoadProblem { path: PROJECT_FILE.into(), range, message, hint };
            let Some(GlobParts { pattern, base_dir }) = glob_parts(&p.models) else {
                problems.push(problem(
                    format!("the models glob `{}` of pipeline `{}` is outside the project", p.models, p.name),
                    "write it relative to the folder of rocky.toml, e.g. models = \"models/**\"".into(),
                ));
                continue;
            };
            let glob = match Glob::new(&pattern) {
                Ok(g) => g,
                Err(e) => {
                    problems.push(problem(
                        format!("invalid models glob `{}` in pipeline `{}`: {}", p.models, p.name, e.kind()),
                        "use `*` for any name, `**` for any depth, e.g. models = \"models/**\"".into(),
                    ));
                    continue;
                }
            };
            if !root.join(&base_dir).is_dir() {
                let (message, hint) = if range.is_some() {
                    (
                        format!("the models folder `{base_dir}` of pipeline `{}` does not exist", p.name),
                        format!("create it, or fix `models` in [pipeline.{}] of rocky.toml", p.name),
                    )
                } else {
                    (
                        format!("the models folder `{base_dir}` does not exist"),
                        "create it with one .sql file per model, or set models = \"…\" in a [pipeline.NAME] of rocky.toml"
                            .into(),
                    )
                };
                problems.push(problem(message, hint));
            }
            builder.add(glob);
            bases.push(base_dir);
        }
        let models = builder.build().unwrap_or_else(|_| GlobSet::empty());
        // Walk each folder once: drop bases inside another base.
        bases.sort();
        bases.dedup();
        let all = bases.clone();
        bases.retain(|b| !all.iter().any(|o| o != b && is_under(b, o)));
        (ProjectLayout { root: root.to_path_buf(), models, bases }, problems)
    }

    /// The project root (the folder holding rocky.toml).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The project-relative path of an absolute (or root-relative) path, if inside the project.
    pub fn relative(&self, path: &Path) -> Option<String> {
        if path.is_absolute() {
            relative(&self.root, path)
        } else {
            relative(Path::new(""), path)
        }
    }

    /// What a project-relative path is. A `.toml` is a sidecar when its `.sql` sibling would be a
    /// model; `_defaults.toml` counts anywhere inside the models folders.
    pub fn classify(&self, rel: &str) -> FileKind {
        if rel == PROJECT_FILE {
            return FileKind::ProjectConfig;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if name.ends_with(".sql") {
            if self.models.is_match(rel) {
                return FileKind::Model;
            }
        } else if name == "_defaults.toml" {
            if self.bases.iter().any(|b| is_under(parent(rel), b)) {
                return FileKind::Defaults;
            }
        } else if name.ends_with(".toml") && self.models.is_match(sidecar_model(rel)) {
            return FileKind::Sidecar;
        }
        FileKind::Other
    }

    /// Every model, sidecar and `_defaults.toml` on disk, sorted by path, plus the folders that
    /// could not be listed. Hidden folders, `target` and `node_modules` are skipped; symbolic
    /// links are followed (loops are reported).
    pub fn scan(&self) -> (Vec<(String, FileKind)>, Vec<LoadProblem>) {
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        for base in &self.bases {
            let dir = self.root.join(base);
            if !dir.is_dir() {
                continue; // reported by `new`
            }
            let walk = walkdir::WalkDir::new(&dir).follow_links(true).into_iter().filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0 || !(name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()))
            });
            for entry in walk {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let path = e.path().and_then(|p| relative(&self.root, p)).unwrap_or_else(|| base.clone());
                        let hint = if e.loop_ancestor().is_some() {
                            "a symbolic link points back to a folder above it; remove the link"
                        } else {
                            "check the folder's permissions"
                        };
                        problems.push(LoadProblem { path, range: None, message: e.to_string(), hint: hint.into() });
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let Some(rel) = relative(&self.root, entry.path()) else { continue };
                let kind = self.classify(&rel);
                if !matches!(kind, FileKind::Other | FileKind::ProjectConfig) {
                    files.insert(rel, kind);
                }
            }
        }
        (files.into_iter().collect(), problems)
    }
}

/// A pipeline's `models` glob, normalised, and the folder it walks.
struct GlobParts {
    /// The glob to match project-relative paths with (`models` becomes `models/**`).
    pattern: String,
    /// The literal folder prefix (`models/**` → `models`, `models/a.sql` → `models`; `""` is the root).
    base_dir: String,
}

/// Splits a `models` glob; `None` when it points outside the project (absolute or `..`).
fn glob_parts(models: &str) -> Option<GlobParts> {
    let mut pattern = models.trim().trim_start_matches("./").trim_end_matches('/').to_string();
    let base = literal_base(&pattern);
    if pattern.starts_with('/') || base.split('/').any(|c| c == "..") {
        return None;
    }
    if base == pattern && !pattern.ends_with(".sql") {
        // `models = "models"`: a folder means every file below it.
        pattern = format!("{pattern}/**");
    }
    let base_dir = if base == pattern { parent(&base).to_string() } else { base };
    Some(GlobParts { pattern, base_dir })
}

/// The project-relative folder of a pipeline's `models` glob (its literal prefix, `""` for the
/// root), or `None` when the glob points outside the project. The state file lives in the first
/// pipeline's folder.
pub fn pipeline_models_dir(models_glob: &str) -> Option<String> {
    glob_parts(models_glob).map(|g| g.base_dir)
}

/// `path` equals `dir` or is inside it (project-relative, `""` is the root).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The folder part of a project-relative path (`""` for the root).
pub fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// The leading folders of a glob that contain no glob syntax (`models/**` → `models`).
fn literal_base(pattern: &str) -> String {
    let mut parts = Vec::new();
    for c in pattern.split('/') {
        if c.contains(['*', '?', '[', '{', '\\']) {
            return parts.join("/");
        }
        parts.push(c);
    }
    parts.join("/").trim_end_matches('/').to_string()
}

/// A problem for a file that could not be read.
fn read_problem(rel: &str, e: &ReadError) -> LoadProblem {
    LoadProblem {
        path: rel.to_string(),
        range: None,
        message: format!("cannot read {rel}: {e}"),
        hint: format!("{}; the rest of the project is still checked", e.hint()),
    }
}

/// Reads one project file from disk into `host` (or removes it from `host` when it no longer
/// exists), according to its kind: the language server calls this when a file changes on disk.
/// A model also (re)loads its sidecar. An unreadable file is removed from `host` and returned
/// as a problem. rocky.toml is not handled here: when it changes, load the whole project again.
pub fn load_file(host: &mut AnalysisHost, layout: &ProjectLayout, rel: &str) -> Result<FileKind, LoadProblem> {
    let kind = layout.classify(rel);
    let path = layout.root.join(rel);
    let text = if path.is_file() { Some(read_text(&path).map_err(|e| read_problem(rel, &e))) } else { None };
    match kind {
        FileKind::Model => match text {
            Some(Ok(sql)) => {
                host.set_model(rel, sql);
                let sidecar = model_sidecar(rel);
                if layout.root.join(&sidecar).is_file() {
                    load_file(host, layout, &sidecar)?;
                }
            }
            Some(Err(p)) => {
                host.remove_model(rel);
                return Err(p);
            }
            None => host.remove_model(rel),
        },
        FileKind::Sidecar => {
            // A .toml with no model beside it may be another tool's file: `set_sidecar` then
            // does nothing, which is fine.
            let model = sidecar_model(rel);
            match text {
                Some(Ok(text)) => {
                    host.set_sidecar(&model, Some(SidecarText { path: rel.to_string(), text }));
                }
                Some(Err(p)) => {
                    host.set_sidecar(&model, None);
                    return Err(p);
                }
                None => {
                    host.set_sidecar(&model, None);
                }
            }
        }
        FileKind::Defaults => match text {
            Some(Ok(text)) => host.set_defaults(rel, Some(text)),
            Some(Err(p)) => {
                host.set_defaults(rel, None);
                return Err(p);
            }
            None => host.set_defaults(rel, None),
        },
        FileKind::ProjectConfig | FileKind::Other => {}
    }
    Ok(kind)
}

/// A project read from disk.
pub struct LoadedProject {
    /// The folder holding rocky.toml.
    pub root: PathBuf,
    pub config: ProjectConfig,
    /// Which files are what; reuse it for single-file reloads with [`load_file`].
    pub layout: ProjectLayout,
    pub host: AnalysisHost,
    /// Project-relative paths of the model files loaded, sorted.
    pub models: Vec<String>,
    /// What could not be loaded; everything else was.
    pub problems: Vec<LoadProblem>,
}

/// Finds the project containing `start` (a folder or file; searches upward for rocky.toml) and
/// loads rocky.toml, every model file with its sidecar, and every `_defaults.toml`.
pub fn load_project(start: &Path) -> Result<LoadedProject, LoadError> {
    let root = find_root(start)?;
    let config_path = root.join(PROJECT_FILE);
    let mut problems = Vec::new();
    let config_text = match read_text(&config_path) {
        Ok(t) => t,
        Err(ReadError::NotUtf8 { valid_up_to }) => {
            // Still usable: the broken bytes are most likely in a comment or a string.
            problems.push(read_problem(PROJECT_FILE, &ReadError::NotUtf8 { valid_up_to }));
            let bytes =
                std::fs::read(&config_path).map_err(|e| LoadError::Io { path: config_path.clone(), source: e })?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Err(e) => return Err(LoadError::Read { path: config_path, source: e }),
    };
    let mut project = load_project_with_config(&root, config_text);
    problems.append(&mut project.problems);
    project.problems = problems;
    Ok(project)
}

/// Loads the project at `root` with `config_text` as its rocky.toml (the language server passes
/// the editor's unsaved buffer); models, sidecars and `_defaults.toml` come from disk.
pub fn load_project_with_config(root: &Path, config_text: String) -> LoadedProject {
    let root = root.to_path_buf();
    let mut problems = Vec::new();
    let (config, _) = parse_project_config(PROJECT_FILE, &config_text);
    let mut host = AnalysisHost::new();
    host.set_project_config(Some(config_text));
    let (layout, layout_problems) = ProjectLayout::new(&root, &config);
    problems.extend(layout_problems);
    let (files, scan_problems) = layout.scan();
    problems.extend(scan_problems);

    let mut models = Vec::new();
    // Models first: a sidecar attaches to a model that is already there.
    for (rel, _) in files.iter().filter(|(_, k)| *k == FileKind::Model) {
        let path = root.join(rel);
        match read_text(&path) {
            Ok(sql) => {
                host.set_model(rel, sql);
                models.push(rel.clone());
            }
            Err(e) => problems.push(read_problem(rel, &e)),
        }
    }
    for (rel, kind) in files.iter().filter(|(_, k)| *k != FileKind::Model) {
        let path = root.join(rel);
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(read_problem(rel, &e));
                continue;
            }
        };
        match kind {
            FileKind::Sidecar => {
                host.set_sidecar(&sidecar_model(rel), Some(SidecarText { path: rel.clone(), text }));
            }
            FileKind::Defaults => host.set_defaults(rel, Some(text)),
            _ => {}
        }
    }
    LoadedProject { root, config, layout, host, models, problems }
}
