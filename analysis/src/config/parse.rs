//! Placeholder parsers; replaced by the full TOML parsers.
use super::{ModelConfig, ModelConfigLayer, ProjectConfig};
use crate::diagnostics::Diagnostic;

/// Parses rocky.toml. Never fails: problems become diagnostics on `path`, and defaults fill in.
pub fn parse_project_config(_path: &str, _text: &str) -> (ProjectConfig, Vec<Diagnostic>) {
    (ProjectConfig::default(), Vec::new())
}

/// Parses a sidecar or `_defaults.toml`. Never fails: problems become diagnostics on `path`.
pub fn parse_model_config(_path: &str, _text: &str) -> (ModelConfigLayer, Vec<Diagnostic>) {
    (ModelConfigLayer::default(), Vec::new())
}

/// Merges layers, nearest first (the sidecar, then `_defaults.toml` from the model's folder
/// upward), key by key: the first layer that sets a key wins. `files[i]` is the path of `layers[i]`.
pub fn merge_layers(layers: &[&ModelConfigLayer], files: &[&str]) -> ModelConfig {
    let mut out = ModelConfig::default();
    for (layer, file) in layers.iter().zip(files) {
        if out.name.is_none() {
            out.name = layer.name.clone();
        }
        if out.depends_on.is_none() && layer.depends_on.is_some() {
            out.depends_on = layer.depends_on.clone();
            out.depends_on_file = Some(file.to_string());
        }
    }
    out
}
