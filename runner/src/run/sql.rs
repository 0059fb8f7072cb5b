//! The statements each strategy runs. Pure text building: every identifier is quoted, every
//! value a quoted literal, and the model's query goes in parentheses on lines of its own.

use crate::warehouse::{quote_ident, quote_literal, quote_table, TableName, WarehouseColumn};

/// `CREATE OR REPLACE TABLE t AS <sql>`.
pub fn create_table(target: &TableName, sql: &str) -> String {
    format!("CREATE OR REPLACE TABLE {} AS\n{sql}\n", quote_table(target))
}

/// Which of the given columns hold a NULL, for several tables in one statement: one row per
/// table, `("i", "flags")` with `i` the caller's number for the table and `flags` one `0`/`1`
/// character per column, in order. One aggregate pass per table (`count(c) < count(*)`): a
/// `NOT NULL` answer needs the whole column read anyway, and one pass beats one `EXISTS`
/// subquery per column several times over.
pub fn null_probes(tables: &[(usize, &TableName, Vec<String>)]) -> String {
    let rows: Vec<String> = tables
        .iter()
        .map(|(i, target, columns)| {
            let probes: Vec<String> = columns
                .iter()
                .map(|c| format!("CASE WHEN count({}) < count(*) THEN '1' ELSE '0' END", quote_ident(c)))
                .collect();
            format!("SELECT {i} AS \"i\", concat({}) AS \"flags\" FROM {}", probes.join(", "), quote_table(target))
        })
        .collect();
    rows.join("\nUNION ALL ")
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

/// Appends the rows of `sql` newer than `watermark` into `target`'s `columns`, by name, for
/// warehouses without DuckDB's `BY NAME` (PostgreSQL, Spark); the server casts the literal to the
/// column's type.
pub fn insert_newer_by_columns(
    target: &TableName,
    sql: &str,
    timestamp_column: &str,
    watermark: &str,
    columns: &[WarehouseColumn],
) -> String {
    let cols = column_list(columns, "");
    format!(
        "INSERT INTO {} ({cols})\nSELECT {cols} FROM (\n{sql}\n) AS \"rocky_new\"\nWHERE {} > {}\n",
        quote_table(target),
        quote_ident(timestamp_column),
        quote_literal(watermark)
    )
}

/// `prefix"a", prefix"b", …`: the columns, quoted, for column lists.
pub fn column_list(columns: &[WarehouseColumn], prefix: &str) -> String {
    columns.iter().map(|c| format!("{prefix}{}", quote_ident(&c.name))).collect::<Vec<_>>().join(", ")
}

/// The new watermark: the column's maximum, as text.
pub fn max_value(target: &TableName, column: &str) -> String {
    format!("SELECT CAST(max({}) AS VARCHAR) FROM {}", quote_ident(column), quote_table(target))
}

/// The `ON …` condition and the `WHEN MATCHED …` clause of a merge on `unique_key` that updates
/// `update_columns` (none: matched rows are left as they are), between `"rocky_target"` and
/// `"rocky_source"`; DuckDB and PostgreSQL spell these alike.
pub fn merge_match(unique_key: &[String], update_columns: &[String]) -> (String, String) {
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
    (on.join(" AND "), matched)
}

/// Upserts the rows of `sql` on `unique_key`: matched rows get `update_columns` from the new
/// row, new keys are inserted.
pub fn merge(target: &TableName, sql: &str, unique_key: &[String], update_columns: &[String]) -> String {
    let (on, matched) = merge_match(unique_key, update_columns);
    format!(
        "MERGE INTO {} AS \"rocky_target\"\nUSING (\n{sql}\n) AS \"rocky_source\"\nON {on}\n{matched}\nWHEN NOT MATCHED THEN INSERT BY NAME\n",
        quote_table(target),
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
        assert_eq!(w.execute(&create_table(&target, src)).unwrap(), 3, "the CTAS gives the row count");
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
    fn null_probes_find_the_columns_holding_nulls_in_several_tables() {
        let w = DuckDbWarehouse::from_connection(duckdb::Connection::open_in_memory().unwrap());
        let (a, b) = (t("main", "odd 'table'"), t("main", "b"));
        let src = "select range as id, if(range = 1, null, 'x') as \"the \"\"val\", 'y' as full from range(3)";
        w.execute(&create_table(&a, src)).unwrap();
        w.execute(&create_table(&b, "select null::int as n")).unwrap();
        let columns = ["id", "the \"val", "full"].map(String::from).to_vec();
        let rows = w.query_rows(&null_probes(&[(4, &a, columns), (9, &b, vec!["n".into()])])).unwrap().rows;
        let flags = |i: &str| rows.iter().find(|r| r[0].as_deref() == Some(i)).and_then(|r| r[1].clone());
        assert_eq!((flags("4").as_deref(), flags("9").as_deref()), (Some("010"), Some("1")));
    }
}
