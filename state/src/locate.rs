//! Where the state file lives. The CLI and the language server use this same rule, so both always
//! meet at one file.

use std::path::PathBuf;

/// The state file's name.
pub const STATE_FILE_NAME: &str = ".rocky-state.redb";

/// Inputs of [`locate_state_file`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocateRequest {
    /// `--state-path` or `[state] path`, already made absolute.
    pub explicit: Option<PathBuf>,
    /// The project's models folder (it may not exist).
    pub models_dir: Option<PathBuf>,
    /// The working directory (or project root).
    pub cwd: PathBuf,
}

/// Result of [`locate_state_file`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    pub origin: StateOrigin,
    /// Messages to show the user once (legacy location, two files).
    pub warnings: Vec<String>,
}

/// Which branch of the location rule picked the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateOrigin {
    /// `--state-path` / `[state] path`.
    Explicit,
    /// An existing `<models dir>/.rocky-state.redb`.
    ModelsDir,
    /// An existing `<cwd>/.rocky-state.redb` (legacy location) and none in the models dir.
    LegacyWorkingDir,
    /// Both exist; the working-directory one is used until the user reconciles them.
    BothExistUsingWorkingDir,
    /// Neither exists; it will be created in the models dir.
    NewInModelsDir,
    /// Neither exists and there is no models folder; it will be created in the working directory.
    NewInWorkingDir,
}

/// Decide which state file to use (`project-format.md`, "State file"): an explicit path wins; else
/// an existing file in the models dir; else an existing one in the working directory (legacy, with a
/// warning); if both exist the working-directory one, with a louder warning; if neither exists, a
/// new one in the models dir when that folder exists, else in the working directory.
pub fn locate_state_file(req: &LocateRequest) -> Located {
    if let Some(path) = &req.explicit {
        return located(path.clone(), StateOrigin::Explicit, vec![]);
    }
    let in_models = req.models_dir.as_ref().map(|dir| dir.join(STATE_FILE_NAME));
    let in_cwd = req.cwd.join(STATE_FILE_NAME);
    let models_exists = in_models.as_ref().is_some_and(|p| p.is_file());
    let cwd_exists = in_cwd.is_file() && in_models.as_ref() != Some(&in_cwd);
    match (in_models, models_exists, cwd_exists) {
        (Some(models), true, true) => {
            let warning = format!(
                "two state files exist: {} and {}. Using {} (legacy location). Reconcile them: keep one \
                 (e.g. move {} over {}) or pass --state-path; run history and branches are not merged",
                in_cwd.display(),
                models.display(),
                in_cwd.display(),
                in_cwd.display(),
                models.display()
            );
            located(in_cwd, StateOrigin::BothExistUsingWorkingDir, vec![warning])
        }
        (Some(models), true, false) => located(models, StateOrigin::ModelsDir, vec![]),
        (models, false, true) => {
            let target = models.map_or_else(|| "the models folder".to_string(), |m| m.display().to_string());
            let warning = format!(
                "using the state file in the working directory ({}), a legacy location; move it to {}",
                in_cwd.display(),
                target
            );
            located(in_cwd, StateOrigin::LegacyWorkingDir, vec![warning])
        }
        (Some(models), false, false) if req.models_dir.as_ref().is_some_and(|d| d.is_dir()) => {
            located(models, StateOrigin::NewInModelsDir, vec![])
        }
        _ => located(in_cwd, StateOrigin::NewInWorkingDir, vec![]),
    }
}

fn located(path: PathBuf, origin: StateOrigin, warnings: Vec<String>) -> Located {
    Located { path, origin, warnings }
}
