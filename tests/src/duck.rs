//! Real DuckDB helpers: seed a database, read its tables into a schema snapshot, DESCRIBE queries.
//! DuckDB is the ground truth the analysis is compared with.

use duckdb::Connection;
use rocky_analysis::{SourceColumn, SourceSchemaSnapshot, SourceTable};

/// An in-memory DuckDB whose default catalog is named `catalog` (a database file of that stem in
/// a temporary folder), so Rocky's catalog and DuckDB's agree.
pub struct Duck {
    pub conn: Connection,
    _dir: tempfile::TempDir,
}

impl Duck {
    pub fn open(catalog: &str) -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join(format!("{catalog}.duckdb"));
        let conn = Connection::open(&path).map_err(|e| e.to_string())?;
        Ok(Duck { conn, _dir: dir })
    }

    pub fn execute_batch(&self, sql: &str) -> Result<(), String> {
        self.conn.execute_batch(sql).map_err(|e| e.to_string())
    }

    /// Every base table as the schema cache would store it (DESCRIBE's own type strings).
    pub fn snapshot(&self) -> Result<SourceSchemaSnapshot, String> {
        snapshot(&self.conn)
    }

    /// `DESCRIBE <query>`: the output column names and DuckDB's type strings.
    pub fn describe(&self, sql: &str) -> Result<Vec<(String, String)>, String> {
        describe(&self.conn, sql)
    }
}

/// Every table and view of `conn` as the schema cache would store it (DESCRIBE's own type
/// strings), keyed `database.schema.table`.
pub fn snapshot(conn: &Connection) -> Result<SourceSchemaSnapshot, String> {
    let mut stmt = conn
        .prepare(
            "SELECT database_name, schema_name, table_name, column_name, data_type, is_nullable \
             FROM duckdb_columns() WHERE NOT internal ORDER BY database_name, schema_name, table_name, column_index",
        )
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    let mut snapshot = SourceSchemaSnapshot::default();
    let mut current: Option<SourceTable> = None;
    for row in rows {
        let (db, schema, table, column, ty, nullable) = row.map_err(|e| e.to_string())?;
        let key = format!("{db}.{schema}.{table}").to_lowercase();
        if current.as_ref().is_some_and(|t| t.key != key) {
            snapshot.insert(current.take().expect("checked above"));
        }
        current
            .get_or_insert_with(|| SourceTable { key: key.clone(), columns: Vec::new(), written_at: None })
            .columns
            .push(SourceColumn { name: column, type_string: ty, nullable });
    }
    if let Some(t) = current {
        snapshot.insert(t);
    }
    // Macros, UDFs and types the seed SQL created, listed and handed in as `rocky discover`
    // caches them (never stale here).
    let functions = rocky_runner::warehouse::duckdb_user_functions(conn, 0).map_err(|e| e.to_string())?;
    let types = rocky_runner::warehouse::duckdb_user_types(conn, 0).map_err(|e| e.to_string())?;
    rocky_loader::add_functions(&mut snapshot, &functions, u64::MAX, 0);
    rocky_loader::add_types(&mut snapshot, &types);
    Ok(snapshot)
}

/// `DESCRIBE <query>` on `conn`: the output column names and DuckDB's type strings.
pub fn describe(conn: &Connection, sql: &str) -> Result<Vec<(String, String)>, String> {
    let sql = sql.trim().trim_end_matches(';');
    let mut stmt = conn.prepare(&format!("DESCRIBE {sql}")).map_err(|e| e.to_string())?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(|e| e.to_string())?;
    rows.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())
}

/// Splits a corpus file into queries (separated by lines `-- ---`), with their 1-based index.
pub fn split_corpus(text: &str) -> Vec<String> {
    text.split("\n-- ---\n").map(str::trim).filter(|q| !q.is_empty()).map(str::to_string).collect()
}
