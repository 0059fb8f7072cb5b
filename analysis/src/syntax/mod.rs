//! Parsing model SQL with sqlparser and mapping its locations to byte offsets.

mod line_index;
mod parse;
mod span_map;

pub use line_index::{LineCol, LineIndex};
pub use parse::{parse_model, parse_sql, ParseSummary, ParsedModel};
pub use span_map::SpanMap;
