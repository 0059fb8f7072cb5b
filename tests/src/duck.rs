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
    // Macros and UDFs the seed SQL created, with a scalar macro's body (as `rocky discover`
    // caches them).
    let mut stmt = conn
        .prepare(
            "SELECT lower(function_name), function_type = 'macro', to_json(parameters)::VARCHAR, \
             coalesce(macro_definition, '') FROM duckdb_functions() WHERE NOT internal ORDER BY ALL",
        )
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (name, scalar_macro, params, body) = row.map_err(|e| e.to_string())?;
        let overload = rocky_analysis::WarehouseOverload {
            params: serde_json::from_str(&params).map_err(|e| e.to_string())?,
            returns: None,
            body: (scalar_macro && !body.is_empty()).then_some(body),
        };
        snapshot.functions.entry(name).or_default().overloads.push(overload);
    }
    // Types the seed SQL created (`CREATE TYPE mood AS ENUM …`), as `typeof` prints them.
    let mut stmt = conn
        .prepare("SELECT schema_name, type_name FROM duckdb_types() WHERE NOT internal ORDER BY ALL")
        .map_err(|e| e.to_string())?;
    let names = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    for (schema, name) in names {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let sql = format!("SELECT typeof(NULL::{}.{})", quote(&schema), quote(&name));
        let Ok(text) = conn.query_row(&sql, [], |r| r.get::<_, String>(0)) else { continue };
        snapshot.types.insert(format!("{schema}.{name}").to_lowercase(), text.clone());
        snapshot.types.entry(name.to_lowercase()).or_insert(text);
    }
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
