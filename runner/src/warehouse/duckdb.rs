//! The embedded DuckDB adapter (the `duckdb` crate; a prebuilt libduckdb unless the runner's
//! `bundled` feature is on).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use duckdb::Connection;
use rocky_analysis::config::AdapterConfig;

use super::lock::open_waiting;
use super::{DescribedTable, Interrupter, QueryRows, TableName, Warehouse, WarehouseColumn, WarehouseError};
use crate::run::sql as statements;

/// One connection to a DuckDB database file (or an in-memory database).
pub struct DuckDbWarehouse {
    conn: Connection,
}

/// Columns of user tables and views; filtered by the caller's WHERE on lower-cased names
/// (DuckDB identifiers are case-insensitive).
const COLUMNS_QUERY: &str = "SELECT database_name, schema_name, table_name, column_name, data_type, is_nullable \
     FROM duckdb_columns() WHERE NOT internal";

impl DuckDbWarehouse {
    /// Opens (creating if needed) the database of `adapter`, relative to `root`. A file another
    /// process holds is waited for up to `lock_wait`, saying so once on stderr.
    pub fn open(adapter: &AdapterConfig, root: &Path, lock_wait: Duration) -> Result<Self, WarehouseError> {
        let (conn, location) = match adapter.path.as_deref() {
            None | Some("") | Some(":memory:") => (Connection::open_in_memory(), ":memory:".to_string()),
            Some(p) => {
                let path = root.join(p);
                let shown = path.display().to_string();
                (open_waiting(&shown, lock_wait, || Connection::open(&path), |line| eprintln!("{line}"))?, shown)
            }
        };
        let conn = conn.map_err(|e| WarehouseError::Open {
            adapter: "DuckDB",
            location,
            detail: e.to_string(),
            hint: "check `path` in [adapter] of rocky.toml, and close other programs that have the database open"
                .into(),
        })?;
        Ok(DuckDbWarehouse { conn })
    }

    /// Wraps an open connection (tests, benchmarks).
    pub fn from_connection(conn: Connection) -> Self {
        DuckDbWarehouse { conn }
    }

    fn columns(&self, filter: &str, params: &[&str]) -> Result<Vec<(TableName, WarehouseColumn)>, WarehouseError> {
        let sql = format!("{COLUMNS_QUERY} AND {filter} ORDER BY database_name, schema_name, table_name, column_index");
        let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.clone(), detail: e.to_string() };
        let mut stmt = self.conn.prepare(&sql).map_err(failed)?;
        let rows = stmt
            .query_map(duckdb::params_from_iter(params.iter()), |r| {
                Ok((
                    TableName { catalog: r.get(0)?, schema: r.get(1)?, table: r.get(2)? },
                    WarehouseColumn { name: r.get(3)?, type_string: r.get(4)?, nullable: r.get(5)? },
                ))
            })
            .map_err(failed)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(failed)
    }

    fn strings(&self, sql: &str, params: &[&str]) -> Result<Vec<Vec<String>>, WarehouseError> {
        strings(&self.conn, sql, params)
    }
}

impl Warehouse for DuckDbWarehouse {
    fn describe_query(&self, sql: &str) -> Result<Vec<WarehouseColumn>, WarehouseError> {
        let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.to_string(), detail: e.to_string() };
        let mut stmt = self.conn.prepare(&format!("DESCRIBE {sql}")).map_err(failed)?;
        // One row per column: name, type, `YES`/`NO` nullable, then key, default, extra.
        let rows = stmt
            .query_map([], |r| {
                let null: Option<String> = r.get(2)?;
                Ok(WarehouseColumn { name: r.get(0)?, type_string: r.get(1)?, nullable: null.as_deref() != Some("NO") })
            })
            .map_err(failed)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(failed)
    }

    fn execute(&self, sql: &str) -> Result<u64, WarehouseError> {
        let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.to_string(), detail: e.to_string() };
        let mut stmt = self.conn.prepare(sql).map_err(failed)?;
        let changed = stmt.execute([]).map_err(failed)?;
        // `CREATE TABLE … AS` answers with a one-row `Count` result, which DuckDB does not pass
        // on as changed rows: read it, so the runner needs no second query to count.
        let counted = stmt.column_count() == 1 && stmt.column_name(0).is_ok_and(|n| n == "Count");
        if changed == 0 && counted {
            if let Some(row) = stmt.raw_query().next().map_err(failed)? {
                return Ok(row.get::<_, Option<i64>>(0).map_err(failed)?.unwrap_or(0).max(0) as u64);
            }
        }
        Ok(changed as u64)
    }

    fn execute_script(&self, sql: &str) -> Result<(), WarehouseError> {
        self.conn
            .execute_batch(sql)
            .map_err(|e| WarehouseError::Statement { sql: sql.to_string(), detail: e.to_string() })
    }

    fn query_scalar(&self, sql: &str) -> Result<Option<String>, WarehouseError> {
        Ok(self.strings_opt(sql)?.into_iter().next().flatten())
    }

    fn query_rows(&self, sql: &str) -> Result<QueryRows, WarehouseError> {
        // DuckDB renders every value itself (`COLUMNS(*)` keeps the column names).
        let text_sql = format!("SELECT COLUMNS(*)::VARCHAR FROM (\n{sql}\n) AS rocky_rows");
        let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.to_string(), detail: e.to_string() };
        let mut stmt = self.conn.prepare(&text_sql).map_err(failed)?;
        let mut rows = stmt.query([]).map_err(failed)?;
        let mut out = QueryRows::default();
        while let Some(row) = rows.next().map_err(failed)? {
            let n = row.as_ref().column_count();
            out.rows.push((0..n).map(|i| row.get::<_, Option<String>>(i)).collect::<Result<_, _>>().map_err(failed)?);
        }
        drop(rows);
        out.columns = stmt.column_names();
        Ok(out)
    }

    fn describe_table(&self, table: &TableName) -> Result<Option<Vec<WarehouseColumn>>, WarehouseError> {
        // `DESCRIBE` looks up one table; `duckdb_columns()` would list every column of the
        // database on each call.
        let sql = format!("DESCRIBE {}", super::quote_table(table));
        let mut stmt = match self.conn.prepare(&sql) {
            Ok(stmt) => stmt,
            Err(e) if is_missing_table(&e) => return Ok(None),
            Err(e) => return Err(WarehouseError::Statement { sql, detail: e.to_string() }),
        };
        let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.clone(), detail: e.to_string() };
        let rows = stmt
            .query_map([], |r| {
                let null: String = r.get(2)?;
                Ok(WarehouseColumn { name: r.get(0)?, type_string: r.get(1)?, nullable: null == "YES" })
            })
            .map_err(failed)?;
        rows.collect::<Result<Vec<_>, _>>().map(Some).map_err(failed)
    }

    fn describe_schema(&self, catalog: &str, schema: &str) -> Result<Vec<DescribedTable>, WarehouseError> {
        let cols =
            self.columns("lower(database_name) = lower(?) AND lower(schema_name) = lower(?)", &[catalog, schema])?;
        let mut tables: BTreeMap<TableName, Vec<WarehouseColumn>> = BTreeMap::new();
        for (name, col) in cols {
            tables.entry(name).or_default().push(col);
        }
        Ok(tables.into_iter().map(|(name, columns)| DescribedTable { name, columns }).collect())
    }

    fn user_functions(&self, written_at_ms: u64) -> Result<Vec<rocky_state::CachedFunction>, WarehouseError> {
        user_functions(&self.conn, written_at_ms)
    }

    fn user_types(&self, written_at_ms: u64) -> Result<Vec<rocky_state::CachedType>, WarehouseError> {
        user_types(&self.conn, written_at_ms)
    }

    fn list_schemas(&self) -> Result<Vec<(String, String)>, WarehouseError> {
        let rows = self.strings(
            "SELECT database_name, schema_name FROM duckdb_schemas() \
             WHERE database_name NOT IN ('system', 'temp') AND schema_name NOT IN ('information_schema', 'pg_catalog') \
             ORDER BY 1, 2",
            &[],
        )?;
        Ok(rows.into_iter().filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone()))).collect())
    }

    fn list_tables(&self, catalog: &str, schema: &str) -> Result<Vec<String>, WarehouseError> {
        let rows = self.strings(
            "SELECT table_name FROM duckdb_tables() WHERE lower(database_name) = lower(?) AND lower(schema_name) = lower(?) \
             UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal \
             AND lower(database_name) = lower(?) AND lower(schema_name) = lower(?) ORDER BY 1",
            &[catalog, schema, catalog, schema],
        )?;
        Ok(rows.into_iter().filter_map(|r| r.into_iter().next()).collect())
    }

    fn create_schema_if_missing(&self, catalog: &str, schema: &str) -> Result<(), WarehouseError> {
        let sql = format!("CREATE SCHEMA IF NOT EXISTS {}.{}", super::quote_ident(catalog), super::quote_ident(schema));
        self.execute(&sql).map(|_| ())
    }

    fn drop_schema(&self, catalog: &str, schema: &str) -> Result<(), WarehouseError> {
        let sql =
            format!("DROP SCHEMA IF EXISTS {}.{} CASCADE", super::quote_ident(catalog), super::quote_ident(schema));
        self.execute(&sql).map(|_| ())
    }

    /// `CREATE OR REPLACE TABLE … AS` is atomic in DuckDB, and answers the rows written.
    fn replace_table(&self, target: &TableName, sql: &str) -> Result<u64, WarehouseError> {
        self.execute(&statements::create_table(target, sql))
    }

    fn replace_view(&self, target: &TableName, sql: &str) -> Result<(), WarehouseError> {
        self.execute(&statements::create_view(target, sql)).map(|_| ())
    }

    /// `INSERT … BY NAME`: DuckDB matches the columns itself.
    fn insert_newer(
        &self,
        target: &TableName,
        sql: &str,
        timestamp_column: &str,
        watermark: &str,
        _columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError> {
        self.execute(&statements::insert_newer(target, sql, timestamp_column, watermark))
    }

    fn merge(
        &self,
        target: &TableName,
        sql: &str,
        unique_key: &[String],
        update_columns: &[String],
        _columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError> {
        self.execute(&statements::merge(target, sql, unique_key, update_columns))
    }

    fn connect_another(&self) -> Result<Box<dyn Warehouse>, WarehouseError> {
        let conn = self.conn.try_clone().map_err(|e| WarehouseError::Open {
            adapter: "DuckDB",
            location: "a second connection".into(),
            detail: e.to_string(),
            hint: String::new(),
        })?;
        Ok(Box::new(DuckDbWarehouse { conn }))
    }

    fn dialect(&self) -> rocky_analysis::Dialect {
        rocky_analysis::Dialect::DuckDb
    }

    fn interrupter(&self) -> Interrupter {
        let handle = self.conn.interrupt_handle();
        std::sync::Arc::new(move || handle.interrupt())
    }
}

impl DuckDbWarehouse {
    /// The first column of every row, NULL as `None`.
    fn strings_opt(&self, sql: &str) -> Result<Vec<Option<String>>, WarehouseError> {
        let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.to_string(), detail: e.to_string() };
        let mut stmt = self.conn.prepare(sql).map_err(failed)?;
        let rows = stmt.query_map([], |r| r.get::<_, Option<String>>(0)).map_err(failed)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(failed)
    }
}

/// DuckDB's "Catalog Error: Table with name … does not exist!" (also for schemas and catalogs).
fn is_missing_table(e: &duckdb::Error) -> bool {
    let text = e.to_string();
    text.contains("Catalog Error") && text.contains("does not exist")
}

/// Every row of `sql` as strings.
fn strings(conn: &Connection, sql: &str, params: &[&str]) -> Result<Vec<Vec<String>>, WarehouseError> {
    let failed = |e: duckdb::Error| WarehouseError::Statement { sql: sql.to_string(), detail: e.to_string() };
    let mut stmt = conn.prepare(sql).map_err(failed)?;
    // duckdb-rs knows the column count only once the statement ran (it panics before).
    let rows = stmt
        .query_map(duckdb::params_from_iter(params.iter()), |r| {
            (0..r.as_ref().column_count()).map(|i| r.get(i)).collect()
        })
        .map_err(failed)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(failed)
}

/// `duckdb_functions()` beyond the built-ins: macros with their parameters and body (a table
/// macro's body is a query, not kept), UDFs with their result type. Public so the DuckDB
/// corpus test hands the analysis exactly what `rocky discover` caches.
pub fn user_functions(
    conn: &Connection,
    written_at_ms: u64,
) -> Result<Vec<rocky_state::CachedFunction>, WarehouseError> {
    let rows = strings(
        conn,
        "SELECT function_name, function_type, to_json(parameters)::VARCHAR, coalesce(return_type, ''), \
         coalesce(macro_definition, '') FROM duckdb_functions() WHERE NOT internal ORDER BY ALL",
        &[],
    )?;
    let overloads = rows.into_iter().filter_map(|r| {
        let [name, kind, params, returns, body]: [String; 5] = r.try_into().ok()?;
        let params: Vec<String> = serde_json::from_str(&params).unwrap_or_default();
        let overload = rocky_state::CachedOverload {
            params,
            returns: (!returns.is_empty()).then_some(returns),
            body: (kind == "macro" && !body.is_empty()).then_some(body),
        };
        Some((name, overload))
    });
    Ok(super::group_functions(overloads, written_at_ms))
}

/// `duckdb_types()` of the current database beyond the built-ins, each as DuckDB prints it
/// (`typeof(NULL::t)`).
pub fn user_types(conn: &Connection, written_at_ms: u64) -> Result<Vec<rocky_state::CachedType>, WarehouseError> {
    let names = strings(
        conn,
        "SELECT schema_name, type_name FROM duckdb_types() WHERE NOT internal AND database_name = current_database() \
         ORDER BY ALL",
        &[],
    )?;
    let mut types = Vec::new();
    for row in names {
        let [schema, name]: [String; 2] = match row.try_into() {
            Ok(pair) => pair,
            Err(_) => continue,
        };
        let sql = format!("SELECT typeof(NULL::{}.{})", super::quote_ident(&schema), super::quote_ident(&name));
        if let Some(type_string) = strings(conn, &sql, &[])?.into_iter().next().and_then(|r| r.into_iter().next()) {
            let key = format!("{schema}.{name}").to_lowercase();
            types.push(rocky_state::CachedType { key, type_string, written_at_ms });
        }
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(schema: &str, table: &str) -> TableName {
        TableName { catalog: "memory".into(), schema: schema.into(), table: table.into() }
    }

    #[test]
    fn describes_tables_schemas_and_missing_tables() {
        let w = DuckDbWarehouse::from_connection(Connection::open_in_memory().unwrap());
        w.create_schema_if_missing("memory", "Raw").unwrap();
        w.execute(
            "create table \"Raw\".t (id integer not null, price decimal(18,2)); create view \"Raw\".v as select 1 as x",
        )
        .unwrap();
        let cols = w.describe_table(&name("raw", "T")).unwrap().unwrap();
        let shown: Vec<(&str, &str, bool)> =
            cols.iter().map(|c| (c.name.as_str(), c.type_string.as_str(), c.nullable)).collect();
        assert_eq!(shown, vec![("id", "INTEGER", false), ("price", "DECIMAL(18,2)", true)]);
        assert_eq!(w.describe_table(&name("raw", "nope")).unwrap(), None);
        assert_eq!(w.describe_table(&name("no_schema", "t")).unwrap(), None);
        let schema = w.describe_schema("memory", "raw").unwrap();
        let tables: Vec<String> = schema.iter().map(|t| t.name.key()).collect();
        assert_eq!(tables, vec!["memory.raw.t", "memory.raw.v"]);
        assert_eq!(schema[0].columns, cols, "one query per schema agrees with DESCRIBE");
        assert_eq!(w.list_tables("memory", "raw").unwrap(), vec!["t", "v"]);
        assert_eq!(w.execute("create table \"Raw\".c as select range from range(7)").unwrap(), 7, "CTAS counts");
        assert_eq!(w.execute("insert into \"Raw\".c select range from range(3)").unwrap(), 3);
        assert_eq!(w.execute("create or replace view \"Raw\".cv as select 1 as x").unwrap(), 0);
        assert!(w.list_schemas().unwrap().contains(&("memory".into(), "Raw".into())));
        let err = w.execute("select * from nowhere").unwrap_err().to_string();
        assert!(err.contains("while running: select * from nowhere"), "{err}");
    }

    /// The drift rule for nullability rests on this: a table made by `CREATE TABLE … AS` (what
    /// every strategy creates) reports every column as nullable, whatever the query; a view
    /// reports NOT NULL only for columns DuckDB can prove (a NOT NULL column passed through, not
    /// a constant).
    #[test]
    fn ctas_columns_are_all_nullable_views_keep_what_duckdb_proves() {
        let w = DuckDbWarehouse::from_connection(Connection::open_in_memory().unwrap());
        w.execute_script(
            "create table src (id integer not null, name varchar); insert into src values (1, 'a'); \
             create table built as select id, coalesce(name, '') as name, 1 as one from src; \
             create view shown as select id, 1 as one from src",
        )
        .unwrap();
        let nullable = |table: &str| -> Vec<(String, bool)> {
            let cols = w.describe_table(&name("main", table)).unwrap().unwrap();
            cols.into_iter().map(|c| (c.name, c.nullable)).collect()
        };
        assert_eq!(nullable("built"), [("id".into(), true), ("name".into(), true), ("one".into(), true)]);
        assert_eq!(nullable("shown"), [("id".into(), false), ("one".into(), true)]);
    }
}
