//! Command-line definition (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Rocky: type-checks and runs SQL transformation projects.
#[derive(Debug, Parser)]
#[command(name = "rocky", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Project folder (or any folder or file inside it); default: the current folder.
    #[arg(short = 'C', long = "project-dir", global = true, value_name = "DIR")]
    pub project_dir: Option<PathBuf>,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The state file to use (relative to the working directory, or to -C DIR); default:
    /// `[state] path` in rocky.toml, else `.rocky-state.redb` in the models folder.
    #[arg(long, global = true, value_name = "PATH")]
    pub state_path: Option<PathBuf>,
    /// Cached schemas older than this count as missing; default: `[cache.schemas] ttl_seconds`
    /// in rocky.toml, else 86400 (one day).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub cache_ttl: Option<u64>,
    /// How long to wait for a warehouse file another process holds (DuckDB lets one process
    /// open it) before giving up with exit code 75; default 30.
    #[arg(long, global = true, value_name = "SECONDS")]
    pub lock_wait: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Type-check every model against the cached warehouse schemas (no warehouse needed).
    Check(CheckArgs),
    /// Build the models on the warehouse, in dependency order.
    Run(crate::run::RunArgs),
    /// List the warehouse's schemas and tables; with --with-schemas, cache their columns.
    Discover(DiscoverArgs),
    /// Show the state file: schema cache, recent runs, branches, watermarks.
    State(StateArgs),
    /// Create, list, show or delete branches (isolated copies of the models' schemas).
    Branch(BranchArgs),
    /// List recorded runs, newest first.
    History(HistoryArgs),
    /// Show what a recorded run did, model by model.
    Replay(ReplayArgs),
    /// Show column- or model-level lineage, upstream and/or downstream.
    Lineage(LineageArgs),
    /// Create a runnable example project in a new folder.
    Init(InitArgs),
    /// Load `data/seed.sql` into the local DuckDB when the models' source tables are missing.
    Seed(SeedArgs),
    /// Run the models' data tests and contract checks against their built tables.
    Test(crate::commands::test::TestArgs),
    /// Run the language server on stdin/stdout (the same server as `rocky-lsp`; for editors).
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over stdin/stdout: the only transport, and the default (accepted because editors'
    /// language clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Also DESCRIBE every table (one query per schema) and store the columns in the schema cache.
    #[arg(long)]
    pub with_schemas: bool,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StateArgs {
    #[command(subcommand)]
    pub action: Option<StateAction>,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum StateAction {
    /// Remove every schema-cache entry (runs, branches and watermarks are kept).
    ClearSchemaCache {
        /// Only report how many entries would be removed.
        #[arg(long)]
        dry_run: bool,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct BranchArgs {
    #[command(subcommand)]
    pub action: BranchAction,
}

#[derive(Debug, Subcommand)]
pub enum BranchAction {
    /// Record a new branch (its models build into schemas `branch__NAME__<schema>`).
    Create {
        /// 1-64 letters, digits, `.`, `_` or `-`.
        name: String,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Drop the branch's schemas in the warehouse, then forget the branch.
    Delete {
        /// The branch (see `rocky branch list`).
        name: String,
        /// Do not ask for confirmation (needed when not on a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// List every branch.
    List {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Show one branch.
    Show {
        /// The branch (see `rocky branch list`).
        name: String,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Show at most this many runs (at least 1).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A run id from `rocky history`, or `latest`.
    pub run_id: String,
    /// Show only this model.
    #[arg(long)]
    pub model: Option<String>,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LineageArgs {
    /// `MODEL` for model-level lineage, `MODEL.COLUMN` for column-level; a source read by the
    /// models (`schema.table[.column]`) works too.
    pub target: String,
    /// Only what the target derives from.
    #[arg(long, conflicts_with = "downstream")]
    pub upstream: bool,
    /// Only what derives from the target.
    #[arg(long)]
    pub downstream: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LineageFormat::Text)]
    pub format: LineageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LineageFormat {
    /// One line per edge.
    Text,
    /// A JSON document (version 1): nodes and edges.
    Json,
    /// Graphviz.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new project's folder name, created in the working directory (or -C DIR); it must not
    /// exist or must be empty.
    pub name: String,
    /// The warehouse the example runs on: the embedded DuckDB, or a PostgreSQL database named
    /// like the project (connection from libpq's environment: PGHOST, PGUSER, PGPASSWORD, …).
    #[arg(long, value_enum, default_value_t = InitAdapter::Duckdb)]
    pub adapter: InitAdapter,
}

/// `rocky init --adapter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitAdapter {
    Duckdb,
    Postgres,
    Spark,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Run `data/seed.sql` even when every source table exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (default: the current folder or --project-dir), or one file of the
    /// project: then only that file's diagnostics are shown (and decide the exit code).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style messages with source excerpts.
    Text,
    /// A stable JSON document (version 1): diagnostics, models, schemas, dependencies.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}
