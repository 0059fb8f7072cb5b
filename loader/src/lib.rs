//! Reads a Rocky project from disk and hands it to the analysis as changes.
//!
//! The runner and the language server both load projects through here, so both see the same
//! files under the same project-relative paths. Unreadable files are not fatal: they are
//! collected as [`LoadProblem`]s and the rest of the project still loads.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rocky_analysis::base::SidecarText;
use rocky_analysis::config::{parse_project_config, ProjectConfig};
use rocky_analysis::AnalysisHost;

/// Files larger than this are not loaded (a model is one query; this is a runaway file).
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// What a file in a project is to Rocky.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `rocky.toml` at the project root.
    ProjectConfig,
    /// A `.sql` file matched by a pipeline's `models` glob.
    Model,
    /// `<stem>.toml` beside a model.
    Sidecar,
    /// `_defaults.toml` in a models folder.
    Defaults,
    Other,
}

/// A file that could not be loaded, with what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    /// Project-relative path.
    pub path: String,
    pub message: String,
    pub hint: String,
}

/// Why a project could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no rocky.toml found in {searched} or any parent folder")]
    NoProject { searched: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl LoadError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            LoadError::NoProject { .. } => {
                "run Rocky inside a project (a folder with rocky.toml), pass its path, or create one with `rocky init NAME`"
            }
            LoadError::Io { .. } => "check the path and its permissions",
        }
    }
}

/// A project read from disk.
pub struct LoadedProject {
    /// The folder holding rocky.toml.
    pub root: PathBuf,
    pub config: ProjectConfig,
    pub host: AnalysisHost,
    /// Project-relative paths of the model files loaded.
    pub models: Vec<String>,
    pub problems: Vec<LoadProblem>,
}

/// The nearest folder at or above `start` that holds a rocky.toml.
pub fn find_root(start: &Path) -> Result<PathBuf, LoadError> {
    let start = if start.is_file() { start.parent().unwrap_or(start) } else { start };
    let abs = std::path::absolute(start).map_err(|e| LoadError::Io { path: start.to_path_buf(), source: e })?;
    let mut dir = Some(abs.as_path());
    while let Some(d) = dir {
        if d.join("rocky.toml").is_file() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(LoadError::NoProject { searched: abs })
}

/// Reads a text file: not too big, valid UTF-8.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("the file is {} bytes; Rocky reads files up to {MAX_FILE_BYTES} bytes", meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("the file is not valid UTF-8 (first bad byte at offset {at})")
    })
}

/// The project-relative, `/`-separated form of `path` (which must be under `root`).
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Some(parts.join("/"))
}

/// Matches project-relative paths against the pipelines' model globs.
pub struct ModelMatcher {
    set: GlobSet,
}

impl ModelMatcher {
    pub fn new(config: &ProjectConfig) -> Self {
        let mut b = GlobSetBuilder::new();
        for p in &config.pipelines {
            // `models/**` means every file below models/, at any depth.
            let pattern = p.models.trim_start_matches("./");
            if let Ok(g) = Glob::new(pattern) {
                b.add(g);
            }
            if let Some(prefix) = pattern.strip_suffix("/**") {
                if let Ok(g) = Glob::new(&format!("{prefix}/**/*")) {
                    b.add(g);
                }
            }
        }
        ModelMatcher { set: b.build().unwrap_or_else(|_| GlobSet::empty()) }
    }

    /// Classifies a project-relative path.
    pub fn classify(&self, rel: &str) -> FileKind {
        if rel == "rocky.toml" {
            return FileKind::ProjectConfig;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if !self.set.is_match(rel) {
            return FileKind::Other;
        }
        if name == "_defaults.toml" {
            FileKind::Defaults
        } else if name.ends_with(".sql") {
            FileKind::Model
        } else if name.ends_with(".toml") {
            FileKind::Sidecar
        } else {
            FileKind::Other
        }
    }
}

/// The model a sidecar belongs to: same folder, same stem.
pub fn sidecar_model(sidecar: &str) -> String {
    format!("{}.sql", sidecar.strip_suffix(".toml").unwrap_or(sidecar))
}

/// Finds the project containing `start` (a folder or file; searches upward for rocky.toml) and
/// loads rocky.toml, every model file and sidecar, and every `_defaults.toml`.
pub fn load_project(start: &Path) -> Result<LoadedProject, LoadError> {
    let root = find_root(start)?;
    let config_path = root.join("rocky.toml");
    let config_text =
        std::fs::read(&config_path).map_err(|e| LoadError::Io { path: config_path.clone(), source: e })?;
    let mut problems = Vec::new();
    let config_text = match String::from_utf8(config_text) {
        Ok(t) => t,
        Err(e) => {
            problems.push(LoadProblem {
                path: "rocky.toml".into(),
                message: "rocky.toml is not valid UTF-8".into(),
                hint: "save it as UTF-8".into(),
            });
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let (config, _) = parse_project_config("rocky.toml", &config_text);
    let mut host = AnalysisHost::new();
    host.set_project_config(Some(config_text));
    let matcher = ModelMatcher::new(&config);

    let mut models = Vec::new();
    let mut sidecars = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().filter_entry(|e| {
        // Skip hidden folders (.git, .rocky…) and build output.
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || name == "target" || name == "node_modules")
    }) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().and_then(|p| relative(&root, p)).unwrap_or_default();
                problems.push(LoadProblem {
                    path,
                    message: e.to_string(),
                    hint: "check the folder's permissions".into(),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = relative(&root, entry.path()) else { continue };
        let kind = matcher.classify(&rel);
        if matches!(kind, FileKind::Other | FileKind::ProjectConfig) {
            continue;
        }
        let text = match read_text(entry.path()) {
            Ok(t) => t,
            Err(message) => {
                problems.push(LoadProblem {
                    path: rel,
                    message,
                    hint: "fix or remove the file; the rest of the project is checked".into(),
                });
                continue;
            }
        };
        match kind {
            FileKind::Model => {
                host.set_model(&rel, text);
                models.push(rel);
            }
            FileKind::Sidecar => sidecars.push((rel, text)),
            FileKind::Defaults => host.set_defaults(&rel, Some(text)),
            _ => {}
        }
    }
    // A .toml without a model beside it is not an error (it may be another tool's file), so the
    // result of `set_sidecar` is not checked.
    for (rel, text) in sidecars {
        let model = sidecar_model(&rel);
        host.set_sidecar(&model, Some(SidecarText { path: rel.clone(), text }));
    }
    Ok(LoadedProject { root, config, host, models, problems })
}
