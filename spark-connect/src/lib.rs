//! A small Spark Connect client: runs SQL on a Spark Connect server (gRPC, the protocol of
//! Spark's `spark/connect/*.proto`, vendored in `proto/`) and returns its results as text, the
//! output schema of a query without running it in Spark's own type spelling, and Spark's errors
//! with their error class, SQLSTATE and position in the SQL.
//!
//! The API is async (tokio); callers with a synchronous interface keep a runtime and `block_on`.

mod error;
mod session;
mod table;
mod types;
mod url;

pub use error::{ErrorKind, QueryContext, SparkError};
pub use session::{struct_columns, SparkSession};
pub use table::{Column, Table};
pub use types::type_string;
pub use url::ConnectionString;

/// The generated protocol messages and the gRPC client (`SparkConnectServiceClient`).
pub mod proto {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("spark.connect");
}
