//! Spark's errors as Rocky reports them: error class, SQLSTATE and message, where in the
//! statement, and what to do when there is something to say.

use rocky_spark_connect::{ErrorKind, SparkError};

use crate::warehouse::WarehouseError;

/// A failed statement: Spark's message (class and SQLSTATE included), the fragment it points at,
/// and a hint for the errors a user can act on.
pub fn statement_failed(e: &SparkError, sql: &str) -> WarehouseError {
    let mut detail = match e.kind {
        ErrorKind::Interrupted => format!("interrupted (Ctrl-C): {e}"),
        _ => e.to_string(),
    };
    if let Some(context) = &e.context {
        let line = sql.get(..context.start).map_or(1, |before| before.matches('\n').count() + 1);
        detail.push_str(&format!("\n  AT: `{}` (line {line} of the statement)", context.fragment));
    }
    if let Some(hint) = hint(e) {
        detail.push_str(&format!("\n  HINT: {hint}"));
    }
    WarehouseError::Statement { sql: sql.to_string(), detail }
}

/// A session that could not be opened.
pub fn connect_failed(e: &SparkError, location: &str) -> WarehouseError {
    WarehouseError::Open {
        adapter: "Spark",
        location: location.to_string(),
        detail: e.to_string(),
        hint: hint(e).unwrap_or("check the adapter's `url` in rocky.toml").to_string(),
    }
}

fn hint(e: &SparkError) -> Option<&'static str> {
    if let Some(hint) = e.hint() {
        return Some(hint);
    }
    match e.error_class.as_deref()?.split('.').next()? {
        "TABLE_OR_VIEW_NOT_FOUND" => Some("does the table exist in this catalog and schema? (`rocky seed` loads data/seed.sql)"),
        "SCHEMA_NOT_FOUND" => Some("create the schema (database) first, or fix the schema in the model's config"),
        "UNSUPPORTED_FEATURE" => {
            Some("plain parquet tables of Spark's session catalog support less DDL than Delta Lake or Iceberg tables (`table_format` in [adapter])")
        }
        "INVALID_SCHEMA_OR_RELATION_NAME" => Some(
            "Spark's session catalog takes only letters, digits and _ in schema and table names (name branches so too, e.g. `rocky branch create fix_price`)",
        ),
        "LOCATION_ALREADY_EXISTS" => Some(
            "no table owns the files there (Rocky clears what an aborted write leaves, never data files): move or delete that directory, then run again",
        ),
        "PARSE_SYNTAX_ERROR" => Some("Spark parses this statement differently; see Spark's SQL reference"),
        _ => None,
    }
}
