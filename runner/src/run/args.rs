//! `rocky run`'s command-line arguments.

use std::path::PathBuf;

/// Build the project's models in the warehouse, in dependency order.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RunArgs {
    /// Project folder (default: the current folder or --project-dir).
    pub path: Option<PathBuf>,
    /// Only these models: comma-separated globs over model names; `+name` adds its upstream
    /// models, `name+` its downstream models.
    #[arg(long, value_name = "PATTERN")]
    pub models: Option<String>,
    /// Rebuild incremental and merge models from scratch.
    #[arg(long)]
    pub full_refresh: bool,
    /// Models built at once (default: `[pipeline.X.execution] concurrency`, else 4).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub concurrency: Option<u32>,
    #[command(flatten)]
    pub destination: DestinationArgs,
    /// Do not run the models' data tests and contract checks after building them.
    #[arg(long)]
    pub no_tests: bool,
    /// Print one JSON document (run id, status, every model) instead of progress and a table.
    #[arg(long)]
    pub json: bool,
}

/// Where the models' tables are: production, a branch, or the shadow schema (`rocky run` builds
/// there, `rocky test` tests there).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DestinationArgs {
    /// Use the branch's schemas (`branch__NAME__<schema>`) instead of production's; create it
    /// with `rocky branch create NAME`.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["shadow", "shadow_schema"])]
    pub branch: Option<String>,
    /// Use one shadow schema holding every model, as tables `<schema>__<table>`.
    #[arg(long)]
    pub shadow: bool,
    /// The shadow schema (default `rocky_shadow`).
    #[arg(long, value_name = "SCHEMA", requires = "shadow")]
    pub shadow_schema: Option<String>,
}

/// The default `--shadow-schema` (the analysis knows it too: its tables are not offered as sources).
pub use rocky_analysis::DEFAULT_SHADOW_SCHEMA;
