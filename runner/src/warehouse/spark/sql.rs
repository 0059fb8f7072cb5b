//! The statements the Spark adapter runs. Identifiers are double-quoted like everywhere in Rocky
//! (the adapter's sessions set `spark.sql.ansi.doubleQuotedIdentifiers`), values are quoted
//! literals, and the model's query goes in parentheses on lines of its own.

use crate::run::sql::column_list;
use crate::warehouse::{quote_ident, quote_table, TableName, WarehouseColumn};

/// `USING <format>` when the project names a table format.
fn using(format: Option<&str>) -> String {
    format.map(|f| format!(" USING {}", quote_ident(f))).unwrap_or_default()
}

/// `CREATE TABLE t [USING f] AS <sql>`.
pub fn create_table(target: &TableName, format: Option<&str>, sql: &str) -> String {
    format!("CREATE TABLE {}{} AS\n{sql}\n", quote_table(target), using(format))
}

/// `CREATE OR REPLACE TABLE t USING f AS <sql>` (table formats with atomic replace).
pub fn replace_table(target: &TableName, format: Option<&str>, sql: &str) -> String {
    format!("CREATE OR REPLACE TABLE {}{} AS\n{sql}\n", quote_table(target), using(format))
}

pub fn replace_view(target: &TableName, sql: &str) -> String {
    format!("CREATE OR REPLACE VIEW {} AS\n{sql}\n", quote_table(target))
}

/// An empty table with one column: something to point at a directory and drop
/// (`leftovers.rs`).
pub fn create_placeholder(target: &TableName) -> String {
    format!("CREATE TABLE {} (\"rocky_placeholder\" INT)", quote_table(target))
}

/// `ALTER TABLE t SET LOCATION '<location>'` (a string literal: quotes and backslashes escaped).
pub fn set_location(target: &TableName, location: &str) -> String {
    let literal = location.replace('\\', "\\\\").replace('\'', "\\'");
    format!("ALTER TABLE {} SET LOCATION '{literal}'", quote_table(target))
}

/// How many files a directory holds that a table would read: Spark's file listing skips the
/// `_`- and `.`-prefixed ones (`_temporary`, `_SUCCESS`, checksums), which no committed write is.
pub fn count_data_files(location: &str) -> String {
    format!("SELECT count(*) FROM binaryFile.`{}`", location.replace('`', "``"))
}

/// `ALTER TABLE a RENAME TO b` (within one catalog: the new name has no catalog part).
pub fn rename(from: &TableName, to: &TableName) -> String {
    format!("ALTER TABLE {} RENAME TO {}.{}", quote_table(from), quote_ident(&to.schema), quote_ident(&to.table))
}

/// `SHOW TABLES IN catalog.schema`: one row per table and view (`namespace`, `tableName`,
/// `isTemporary`).
pub fn show_tables(catalog: &str, schema: &str) -> String {
    format!("SHOW TABLES IN {}.{}", quote_ident(catalog), quote_ident(schema))
}

/// One query whose output schema holds every given table's columns, one struct column per table
/// (in order): analyzed, never run, so a whole schema is described in one round trip.
pub fn describe_tables(tables: &[TableName]) -> String {
    let columns: Vec<String> = tables
        .iter()
        .enumerate()
        .map(|(i, _)| format!("struct({t}.*) AS {t}", t = quote_ident(&format!("t{i}"))))
        .collect();
    let from: Vec<String> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| format!("(SELECT * FROM {}) AS {}", quote_table(t), quote_ident(&format!("t{i}"))))
        .collect();
    format!("SELECT {}\nFROM {}", columns.join(", "), from.join("\nCROSS JOIN "))
}

/// `MERGE INTO` on `unique_key` (null-safe), updating `update_columns` of matched rows (none:
/// matched rows are left alone) and inserting the rest.
pub fn merge(
    target: &TableName,
    sql: &str,
    unique_key: &[String],
    update_columns: &[String],
    columns: &[WarehouseColumn],
) -> String {
    let on: Vec<String> = unique_key
        .iter()
        .map(|k| format!("\"rocky_target\".{k} <=> \"rocky_source\".{k}", k = quote_ident(k)))
        .collect();
    let mut out = format!(
        "MERGE INTO {} AS \"rocky_target\"\nUSING (\n{sql}\n) AS \"rocky_source\"\nON {}\n",
        quote_table(target),
        on.join(" AND ")
    );
    if !update_columns.is_empty() {
        let set: Vec<String> =
            update_columns.iter().map(|c| format!("{c} = \"rocky_source\".{c}", c = quote_ident(c))).collect();
        out.push_str(&format!("WHEN MATCHED THEN UPDATE SET {}\n", set.join(", ")));
    }
    out.push_str(&format!(
        "WHEN NOT MATCHED THEN INSERT ({}) VALUES ({})\n",
        column_list(columns, ""),
        column_list(columns, "\"rocky_source\".")
    ));
    out
}

/// The column's maximum as text (Spark's `VARCHAR` needs a length; `STRING` is its text type).
pub fn max_value(target: &TableName, column: &str) -> String {
    format!("SELECT CAST(max({}) AS STRING) FROM {}", quote_ident(column), quote_table(target))
}
