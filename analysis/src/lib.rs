//! Rocky's analysis: an incremental (salsa) database over a project's SQL models.
//!
//! Layers, lowest first: `base` (inputs, database), `syntax` (parsing), `config` (TOML),
//! `types` and `functions` (DuckDB's type system and function catalog), `dialect` (which
//! warehouse's rules apply, and PostgreSQL's generated catalog and resolution), `hir` (name resolution,
//! type inference, lineage, DAG), `ide` (the API the runner and the language server call).
//! No I/O happens here: callers hand in text and cached schemas and ask questions.

pub mod base;
pub mod config;
pub mod diagnostics;
pub mod dialect;
pub mod functions;
pub mod hir;
pub mod ide;
pub mod syntax;
pub mod types;

pub use base::{
    SourceColumn, SourceSchemaSnapshot, SourceTable, StaleSource, WarehouseFunction, WarehouseOverload,
    BRANCH_SCHEMA_PREFIX, DEFAULT_SHADOW_SCHEMA,
};
pub use diagnostics::{Code, Diagnostic, Severity, TextRange};
pub use dialect::Dialect;
pub use hir::{ModelSchema, OutputColumn};
pub use ide::{check_query, check_query_in, Analysis, AnalysisHost, Cancellable, QueryCheck};
pub use syntax::{LineCol, LineIndex};
pub use types::Type;
