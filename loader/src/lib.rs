//! Reads a Rocky project from disk and hands it to the analysis as changes.
//!
//! Placeholder API; the real implementation lands with `rocky check`.

use std::path::{Path, PathBuf};

use rocky_analysis::AnalysisHost;

/// A project read from disk.
pub struct LoadedProject {
    /// The folder holding rocky.toml.
    pub root: PathBuf,
    pub host: AnalysisHost,
}

/// Why a project could not be loaded at all (individual bad files become diagnostics instead).
#[derive(Debug)]
pub struct LoadError {
    pub message: String,
}

/// Finds the project containing `start` (a folder or file; searches upward for rocky.toml) and
/// loads rocky.toml, every model file and sidecar, and every `_defaults.toml`.
pub fn load_project(start: &Path) -> Result<LoadedProject, LoadError> {
    Err(LoadError { message: format!("not implemented yet: {}", start.display()) })
}
