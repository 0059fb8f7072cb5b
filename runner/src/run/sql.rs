//! The statements each strategy runs. Pure text building: every identifier is quoted, every
//! value a quoted literal, and the model's query goes in parentheses on lines of its own.

use crate::warehouse::{quote_ident, quote_literal, quote_table, TableName};

/// `CREATE OR REPLACE TABLE t AS <sql>`.
pub fn create_table(target: &TableName, sql: &str) -> String {
    format!("CREATE OR REPLACE TABLE {} AS\n{sql}\n", quote_table(target))
}

/// The number of rows, as text.
pub fn row_count(target: &TableName) -> String {
    format!("SELECT CAST(count(*) AS VARCHAR) FROM {}", quote_table(target))
}

/// Which of `columns` hold a NULL: one `0`/`1` character per column, in order. Each column is
/// an `EXISTS (… WHERE c IS NULL)`, which DuckDB answers from its per-row-group statistics
/// where they rule NULLs out, and stops at the first NULL otherwise.
pub fn null_probe(target: &TableName, columns: &[String]) -> String {
    let table = quote_table(target);
    let probes: Vec<String> = columns
        .iter()
        .map(|c| {
            format!("CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE {} IS NULL) THEN '1' ELSE '0' END", quote_ident(c))
        })
        .collect();
    format!("SELECT concat({})", probes.join(", "))
}

/// `CREATE OR REPLACE VIEW t AS <sql>`.
pub fn create_view(target: &TableName, sql: &str) -> String {
    format!("CREATE OR REPLACE VIEW {} AS\n{sql}\n", quote_table(target))
}

/// Appends the rows of `sql` newer than `watermark` (compared in the column's own type: DuckDB
/// casts the literal).
pub fn insert_newer(target: &TableName, sql: &str, timestamp_column: &str, watermark: &str) -> String {
    format!(
        "INSERT INTO {} BY NAME\nSELECT * FROM (\n{sql}\n) AS \"rocky_new\"\nWHERE {} > {}\n",
        quote_table(target),
        quote_ident(timestamp_column),
        quote_literal(watermark)
    )
}

/// The new watermark: the column's maximum, as text.
pub fn max_value(target: &TableName, column: &str) -> String {
    format!("SELECT CAST(max({}) AS VARCHAR) FROM {}", quote_ident(column), quote_table(target))
}

/// Upserts the rows of `sql` on `unique_key`: matched rows get `update_columns` from the new
/// row, new keys are inserted.
pub fn merge(target: &TableName, sql: &str, unique_key: &[String], update_columns: &[String]) -> String {
    let on: Vec<String> = unique_key
        .iter()
        .map(|k| format!("\"rocky_target\".{k} IS NOT DISTINCT FROM \"rocky_source\".{k}", k = quote_ident(k)))
        .collect();
    let matched = if update_columns.is_empty() {
        "WHEN MATCHED THEN DO NOTHING".to_string()
    } else {
        let set: Vec<String> =
            update_columns.iter().map(|c| format!("{c} = \"rocky_source\".{c}", c = quote_ident(c))).collect();
        format!("WHEN MATCHED THEN UPDATE SET {}", set.join(", "))
    };
    format!(
        "MERGE INTO {} AS \"rocky_target\"\nUSING (\n{sql}\n) AS \"rocky_source\"\nON {}\n{matched}\nWHEN NOT MATCHED THEN INSERT BY NAME\n",
        quote_table(target),
        on.join(" AND ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warehouse::{DuckDbWarehouse, Warehouse};

    fn t(schema: &str, table: &str) -> TableName {
        TableName { catalog: "memory".into(), schema: schema.into(), table: table.into() }
    }

    fn count(w: &DuckDbWarehouse, sql: &str) -> String {
        w.query_scalar(sql).unwrap().unwrap()
    }

    #[test]
    fn statements_run_on_duckdb_with_odd_names() {
        let w = DuckDbWarehouse::from_connection(duckdb::Connection::open_in_memory().unwrap());
        w.create_schema_if_missing("memory", "my \"schema\"").unwrap();
        let target = t("my \"schema\"", "odd 'table'");
        let src = "select range as id, 'v' || range as \"the val\", range * 10 as ts from range(3) -- c";
        w.execute(&create_table(&target, src)).unwrap();
        assert_eq!(count(&w, &row_count(&target)), "3");
        let wm = count(&w, &max_value(&target, "ts"));
        assert_eq!(wm, "20");
        let more = "select range as id, 'w' || range as \"the val\", range * 10 as ts from range(5)";
        assert_eq!(w.execute(&insert_newer(&target, more, "ts", &wm)).unwrap(), 2);
        let keys = vec!["id".to_string()];
        let changed = "select range as id, 'new' as \"the val\", 0 as ts from range(3, 7)";
        let n = w.execute(&merge(&target, changed, &keys, &["the val".to_string()])).unwrap();
        assert_eq!(n, 4);
        let q = format!("select count(*)::varchar from {} where \"the val\" = 'new'", quote_table(&target));
        assert_eq!(count(&w, &q), "4");
        let q = format!("select count(*)::varchar from {}", quote_table(&target));
        assert_eq!(count(&w, &q), "7");
        let keep = w.execute(&merge(&target, changed, &keys, &[])).unwrap();
        assert_eq!(keep, 0);
        let view = t("main", "v");
        w.execute(&create_view(&view, "select 1 as x")).unwrap();
        assert_eq!(w.describe_table(&view).unwrap().unwrap()[0].name, "x");
    }

    #[test]
    fn null_probe_finds_the_columns_holding_nulls() {
        let w = DuckDbWarehouse::from_connection(duckdb::Connection::open_in_memory().unwrap());
        let target = t("main", "odd 'table'");
        let src = "select range as id, if(range = 1, null, 'x') as \"the \"\"val\", 'y' as full from range(3)";
        w.execute(&create_table(&target, src)).unwrap();
        let columns = ["id", "the \"val", "full"].map(String::from);
        assert_eq!(count(&w, &null_probe(&target, &columns)), "010");
    }
}
