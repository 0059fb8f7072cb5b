//! `rocky check FILE`: which reports concern one file, and what is left elsewhere.
//!
//! The whole project is still checked (a model's types depend on its upstream), but only the
//! reports that concern the file are printed; the others are counted for a closing line.

use std::collections::BTreeSet;
use std::path::Path;

use rocky_analysis::{Analysis, Severity};
use rocky_loader::{is_under, parent, FileKind, LoadedProject};

use super::Report;
use crate::commands::Failure;

const DEFAULTS_FILE: &str = "_defaults.toml";
const PROJECT_FILE: &str = "rocky.toml";

/// The file `rocky check PATH` was asked about.
#[derive(Clone, Debug)]
pub struct Focus {
    /// The file as given, project-relative (for the summary line).
    pub file: String,
    /// The model the file belongs to (its SQL or its sidecar), if any.
    pub model: Option<String>,
    /// The files whose reports are shown: the model's SQL and sidecar, or the file itself.
    files: BTreeSet<String>,
    /// The model's folder, for the `_defaults.toml` files that apply to it.
    model_dir: Option<String>,
}

/// What the reports not shown add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Elsewhere {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files with at least one error or warning.
    pub files: usize,
}

impl Focus {
    /// The focus for `path` when it names a file (`None` for a folder). A file that is not a
    /// model, sidecar, `_defaults.toml` or rocky.toml of the project is a usage error.
    pub fn of_path(path: &Path, project: &LoadedProject, analysis: &Analysis) -> Result<Option<Focus>, Failure> {
        if !path.is_file() {
            return Ok(None);
        }
        let rel = std::path::absolute(path)
            .ok()
            .and_then(|abs| project.layout.relative(&abs))
            .or_else(|| {
                let abs = path.canonicalize().ok()?;
                rocky_loader::relative(&project.root.canonicalize().ok()?, &abs)
            })
            .ok_or_else(|| {
                Failure::usage(
                    format!("{} is not inside the project at {}", path.display(), project.root.display()),
                    "pass a model file of this project, or a folder",
                )
            })?;
        let model = analysis.model_of_file(&rel).unwrap_or_default();
        let unreadable = project.problems.iter().any(|p| p.path == rel);
        let known = model.is_some()
            || unreadable
            || matches!(project.layout.classify(&rel), FileKind::ProjectConfig | FileKind::Defaults);
        if !known {
            return Err(Failure::usage(
                format!("{rel} is not a model, sidecar, `_defaults.toml` or rocky.toml of this project"),
                "check the `models` globs in rocky.toml, or run `rocky check` for the whole project",
            ));
        }
        let mut files = BTreeSet::from([rel.clone()]);
        let mut model_dir = None;
        let mut model_name = None;
        if let Some(m) = model {
            model_dir = Some(parent(&m.path).to_string());
            files.insert(m.path);
            files.extend(m.sidecar_path);
            model_name = Some(m.name);
        } else if unreadable && rel.ends_with(".sql") {
            // A model that could not be loaded: its folder's defaults still concern it.
            model_dir = Some(parent(&rel).to_string());
        }
        Ok(Some(Focus { file: rel, model: model_name, files, model_dir }))
    }

    /// Whether a report concerns the file: it is in the model's SQL or sidecar (or the file
    /// itself), in a `_defaults.toml` that applies to the model, an error in rocky.toml (it
    /// changes how every model is read), or elsewhere but pointing at the file (the other half
    /// of a duplicate name).
    pub fn concerns(&self, r: &Report) -> bool {
        self.files.contains(&r.file)
            || (r.file == PROJECT_FILE && r.severity == Severity::Error)
            || self.defaults_apply(&r.file)
            || r.related.iter().any(|x| self.files.contains(&x.file))
    }

    fn defaults_apply(&self, file: &str) -> bool {
        let Some(dir) = &self.model_dir else { return false };
        file.rsplit('/').next() == Some(DEFAULTS_FILE) && is_under(dir, parent(file))
    }

    /// Splits the reports into the ones shown and a count of the rest.
    pub fn split(&self, reports: Vec<Report>) -> (Vec<Report>, Elsewhere) {
        let (shown, rest): (Vec<Report>, Vec<Report>) = reports.into_iter().partition(|r| self.concerns(r));
        let mut elsewhere = Elsewhere::default();
        let mut files = BTreeSet::new();
        for r in &rest {
            match r.severity {
                Severity::Error => elsewhere.errors += 1,
                Severity::Warning => elsewhere.warnings += 1,
                Severity::Info => elsewhere.infos += 1,
            }
            if r.severity != Severity::Info {
                files.insert(r.file.as_str());
            }
        }
        elsewhere.files = files.len();
        (shown, elsewhere)
    }
}

impl Elsewhere {
    /// The closing line, e.g. "3 errors, 1 warning in 2 other files (run `rocky check` for
    /// all)"; `None` when there are no errors or warnings elsewhere.
    pub fn line(&self) -> Option<String> {
        if self.errors + self.warnings == 0 {
            return None;
        }
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut counts = Vec::new();
        if self.errors > 0 {
            counts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 {
            counts.push(plural(self.warnings, "warning"));
        }
        Some(format!("{} in {} (run `rocky check` for all)", counts.join(", "), plural(self.files, "other file")))
    }
}
