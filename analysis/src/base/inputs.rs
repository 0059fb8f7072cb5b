use std::sync::Arc;

use super::SourceSchemaSnapshot;

/// The project: its rocky.toml text and the set of model and defaults files.
///
/// The file lists change only when files are created, deleted or renamed; edits to a file's text
/// go to that file's own input, so a keystroke never touches this struct.
#[salsa::input(debug)]
pub struct Project {
    /// rocky.toml's text; `None` when the project has no config (analysis uses defaults).
    #[returns(ref)]
    pub config_text: Option<String>,
    /// Model files, sorted by path.
    #[returns(ref)]
    pub models: Vec<ModelFile>,
    /// `_defaults.toml` files, sorted by path.
    #[returns(ref)]
    pub defaults: Vec<DefaultsFile>,
    pub sources: SourceCatalog,
}

/// A sidecar `<stem>.toml` next to a model file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SidecarText {
    /// Project-relative path of the sidecar.
    pub path: String,
    pub text: String,
}

/// One model: its SQL file and optional sidecar.
#[salsa::input(debug)]
pub struct ModelFile {
    /// Project-relative path with `/` separators, e.g. `models/staging/stg_orders.sql`.
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub sql: String,
    #[returns(ref)]
    pub sidecar: Option<SidecarText>,
    /// The file is being edited in an editor: its inference keeps the resolution index, so one
    /// walk per edit serves both its diagnostics and the editor's requests (see
    /// `hir::model_resolutions`).
    pub in_editor: bool,
}

/// A `_defaults.toml` that applies to every model in its folder and below.
#[salsa::input(debug)]
pub struct DefaultsFile {
    /// Project-relative path, e.g. `models/staging/_defaults.toml`.
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
}

/// The schema cache's contents. One input so a reload is one write; per-table tracked lookups
/// backdate, so only models reading a changed table are re-checked.
#[salsa::input(debug)]
pub struct SourceCatalog {
    #[returns(ref)]
    pub snapshot: Arc<SourceSchemaSnapshot>,
}
