//! The API the runner and the language server call. It speaks project-relative paths, byte
//! offsets and plain data; salsa handles stay inside.

mod compile;
mod host;
mod lineage;
mod query_check;
mod snapshot;

pub use crate::hir::{Dag, TableName};
pub use compile::{quote_ident, quote_table, CompileError, CompileOptions, CompiledModel, TargetMapping};
pub use host::AnalysisHost;
pub use lineage::{LineageDirection, LineageEdge, LineageGraph, LineageLookupError, LineageStart, TableLineageGraph};
pub use query_check::{check_query, QueryCheck};
pub use snapshot::{Analysis, ModelInfo};

/// A result that a concurrent edit may cancel; callers retry or drop the request.
pub type Cancellable<T> = Result<T, salsa::Cancelled>;
