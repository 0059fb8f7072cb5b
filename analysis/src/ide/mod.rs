//! The API the runner and the language server call. It speaks project-relative paths, byte
//! offsets and plain data; salsa handles stay inside.

mod host;
mod lineage;
mod query_check;
mod snapshot;

pub use host::AnalysisHost;
pub use lineage::{LineageEdge, LineageGraph};
pub use query_check::{check_query, QueryCheck};
pub use snapshot::{Analysis, Dag, ModelInfo, TableName};

/// A result that a concurrent edit may cancel; callers retry or drop the request.
pub type Cancellable<T> = Result<T, salsa::Cancelled>;
