//! The state-file location rule, one test per branch.

use std::path::{Path, PathBuf};

use rocky_state::{locate_state_file, LocateRequest, StateOrigin, STATE_FILE_NAME};

struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
    models: PathBuf,
}

fn project(with_models_dir: bool) -> Project {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let models = root.join("models");
    if with_models_dir {
        std::fs::create_dir(&models).unwrap();
    }
    Project { _dir: dir, root, models }
}

/// Assert the chosen path and origin, and return the warnings.
fn expect(req: &LocateRequest, path: PathBuf, origin: StateOrigin, warnings: usize) -> Vec<String> {
    let got = locate_state_file(req);
    assert_eq!((got.path, got.origin), (path, origin));
    assert_eq!(got.warnings.len(), warnings, "{:?}", got.warnings);
    got.warnings
}

fn touch(dir: &Path) {
    std::fs::write(dir.join(STATE_FILE_NAME), b"").unwrap();
}

impl Project {
    fn request(&self) -> LocateRequest {
        LocateRequest { explicit: None, models_dir: Some(self.models.clone()), cwd: self.root.clone() }
    }
}

#[test]
fn explicit_path_wins_over_existing_files() {
    let p = project(true);
    touch(&p.models);
    touch(&p.root);
    let explicit = p.root.join("elsewhere/state.redb");
    expect(&LocateRequest { explicit: Some(explicit.clone()), ..p.request() }, explicit, StateOrigin::Explicit, 0);
}

#[test]
fn existing_file_in_models_dir() {
    let p = project(true);
    touch(&p.models);
    expect(&p.request(), p.models.join(STATE_FILE_NAME), StateOrigin::ModelsDir, 0);
}

#[test]
fn legacy_file_in_working_dir_is_used_with_a_warning() {
    let p = project(true);
    touch(&p.root);
    let warnings = expect(&p.request(), p.root.join(STATE_FILE_NAME), StateOrigin::LegacyWorkingDir, 1);
    assert!(warnings[0].contains("legacy") && warnings[0].contains("move it to"), "{warnings:?}");
    assert!(warnings[0].contains(&p.models.display().to_string()));
}

#[test]
fn both_existing_uses_working_dir_and_asks_to_reconcile() {
    let p = project(true);
    touch(&p.models);
    touch(&p.root);
    let warnings = expect(&p.request(), p.root.join(STATE_FILE_NAME), StateOrigin::BothExistUsingWorkingDir, 1);
    let w = &warnings[0];
    assert!(w.contains("two state files") && w.contains("Reconcile"), "{w}");
    assert!(w.contains(&p.models.join(STATE_FILE_NAME).display().to_string()));
}

#[test]
fn neither_existing_goes_to_the_models_dir() {
    let p = project(true);
    expect(&p.request(), p.models.join(STATE_FILE_NAME), StateOrigin::NewInModelsDir, 0);
}

#[test]
fn project_without_a_models_folder_uses_the_working_dir() {
    // (state file in the working dir?, models dir given as, expected origin, warnings)
    let cases = [
        (false, Some("models"), StateOrigin::NewInWorkingDir, 0),
        (false, None, StateOrigin::NewInWorkingDir, 0),
        (true, None, StateOrigin::LegacyWorkingDir, 1),
        (true, Some("models"), StateOrigin::LegacyWorkingDir, 1),
        // Models at the project root: the working-dir file is the models-dir file, not a conflict.
        (true, Some(""), StateOrigin::ModelsDir, 0),
    ];
    for (file_in_cwd, models_dir, origin, warnings) in cases {
        let p = project(false);
        if file_in_cwd {
            touch(&p.root);
        }
        let req = LocateRequest { models_dir: models_dir.map(|m| p.root.join(m)), ..p.request() };
        expect(&req, p.root.join(STATE_FILE_NAME), origin, warnings);
    }
}
