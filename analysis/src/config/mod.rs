//! rocky.toml, sidecar and `_defaults.toml` parsing: text in, typed config plus diagnostics out.
//!
//! Pure functions (no I/O) so the same parser serves `rocky check`, the runner and the editor, and
//! broken TOML becomes a diagnostic with a line and column instead of an error that stops analysis.

mod parse;
mod types;

pub use parse::{merge_layers, parse_model_config, parse_project_config};

pub use types::{
    AdapterConfig, ModelConfig, ModelConfigLayer, PipelineConfig, ProjectConfig, SchemaCacheConfig, Spanned, Strategy,
    StrategyLayer, TargetConfig,
};
