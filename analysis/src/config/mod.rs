//! rocky.toml, sidecar and `_defaults.toml` parsing: text in, typed config plus diagnostics out.
//!
//! Pure functions (no I/O) so the same parser serves `rocky check`, the runner and the editor, and
//! broken TOML becomes a diagnostic with a line and column instead of an error that stops analysis.
//! Unknown sections and keys are kept and ignored with one `I601` info each, so existing projects
//! (other pipeline types, governance, hooks, …) open unchanged.

mod data_tests;
mod model;
mod parse;
mod project;
#[cfg(test)]
mod tests;
mod types;

pub use data_tests::{Contract, ContractColumn, DataTest, DataTestKind, TestSeverity, TestValue, TEST_KINDS};
pub use model::{merge_layers, parse_model_config};
pub use project::parse_project_config;

pub use types::{
    AdapterConfig, ModelConfig, ModelConfigLayer, PipelineConfig, ProjectConfig, SchemaCacheConfig, Spanned, Strategy,
    StrategyLayer, TargetConfig,
};
