//! Parsing model SQL with sqlparser and mapping its locations to byte offsets.

mod describe;
mod dialect;
mod line_index;
mod parse;
mod prepass;
mod span_map;
mod spark_dialect;
mod statements;
mod table_refs;

pub use dialect::RockyDialect;
pub use line_index::{LineCol, LineIndex};
pub use parse::{model_syntax, parse_model, parse_sql, parse_sql_with, ParseSummary, ParsedModel};
pub use span_map::SpanMap;
pub use spark_dialect::SparkDialect;
pub use statements::split_statements;
pub use table_refs::{for_each_table_name, table_references};
