//! Real PostgreSQL helpers: a scratch database per test, the sources as the schema cache would
//! hold them (`format_type` strings, `attnotnull`), and a query's result columns with typmods.
//! The server named by `ROCKY_TEST_PG_URL` is the ground truth (`scripts/pg-cluster.sh`).

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::error::ErrorPosition;
use postgres::{Client, Config, NoTls};
use rocky_analysis::{SourceColumn, SourceSchemaSnapshot, SourceTable};

/// The environment variable naming the test server.
pub const URL_VAR: &str = "ROCKY_TEST_PG_URL";

/// The test server's URL; panics with how to start one when it is not set.
pub fn server_url() -> String {
    std::env::var(URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{URL_VAR} is not set: these tests need a PostgreSQL server. Start a throw-away one with \
             `scripts/pg-cluster.sh start /tmp/pg-test && . /tmp/pg-test/env` (scripts/test.sh does this \
             for the whole suite)"
        )
    })
}

/// A server's rejection of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgError {
    /// The SQLSTATE, e.g. `42703`.
    pub code: String,
    pub message: String,
    /// The 1-based character offset into the query text the server points at, if any.
    pub position: Option<u32>,
}

impl PgError {
    fn from(e: &postgres::Error) -> PgError {
        match e.as_db_error() {
            Some(db) => PgError {
                code: db.code().code().to_string(),
                message: db.message().to_string(),
                position: match db.position() {
                    Some(ErrorPosition::Original(p)) => Some(*p),
                    _ => None,
                },
            },
            None => PgError { code: String::new(), message: e.to_string(), position: None },
        }
    }
}

/// A client error's text: the server's SQLSTATE and message where it sent one (the error's own
/// `Display` says only "db error").
pub fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

/// A database created for one test (so tests run side by side on one server) and dropped, with
/// its connections, when this value is.
pub struct ScratchDb {
    pub client: Client,
    admin: Config,
    name: String,
}

impl ScratchDb {
    /// Creates `<prefix>_<pid>_<n>` on the test server and connects to it.
    pub fn create(prefix: &str) -> Result<ScratchDb, String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let admin: Config = server_url().parse().map_err(|e| format!("{URL_VAR}: {e}"))?;
        let name = format!("{prefix}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let mut conn = admin.connect(NoTls).map_err(|e| format!("connecting to {URL_VAR}: {}", message(&e)))?;
        // Two statements: CREATE DATABASE cannot run in the implicit transaction of a batch.
        for sql in [
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote(&name)),
            format!("CREATE DATABASE {}", quote(&name)),
        ] {
            conn.batch_execute(&sql).map_err(|e| format!("{sql}: {}", message(&e)))?;
        }
        let client =
            admin.clone().dbname(&name).connect(NoTls).map_err(|e| format!("connecting to {name}: {}", message(&e)))?;
        Ok(ScratchDb { client, admin, name })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Ok(mut conn) = self.admin.connect(NoTls) {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote(&self.name)));
        }
    }
}

/// A double-quoted identifier.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every table and view outside the system schemas, keyed `catalog.schema.table`, with the
/// server's own type spelling (`format_type(atttypid, atttypmod)`) and `NOT NULL` as
/// non-nullable: what Rocky's schema cache holds for a PostgreSQL warehouse.
pub fn snapshot(client: &mut Client, catalog: &str) -> Result<SourceSchemaSnapshot, String> {
    let rows = client
        .query(
            "SELECT n.nspname::text, c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'p', 'f') \
               AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' \
             ORDER BY 1, 2, a.attnum",
            &[],
        )
        .map_err(|e| message(&e))?;
    let mut snapshot = SourceSchemaSnapshot::default();
    let mut current: Option<SourceTable> = None;
    for row in rows {
        let (schema, table): (String, String) = (row.get(0), row.get(1));
        let key = format!("{catalog}.{schema}.{table}").to_lowercase();
        if let Some(done) = current.take_if(|t| t.key != key) {
            snapshot.insert(done);
        }
        let not_null: bool = row.get(4);
        current
            .get_or_insert_with(|| SourceTable { key, columns: Vec::new(), written_at: None })
            .columns
            .push(SourceColumn { name: row.get(2), type_string: row.get(3), nullable: !not_null });
    }
    if let Some(t) = current {
        snapshot.insert(t);
    }
    Ok(snapshot)
}

/// The result columns of `sql` as the server types them, with typmods: the columns of
/// `CREATE TEMP VIEW … AS <sql>` (rolled back), else — a view cannot have two columns of one
/// name — the prepared statement's columns. `Err` is the server's rejection of the query.
pub fn describe(client: &mut Client, sql: &str) -> Result<Vec<(String, String)>, PgError> {
    if let Ok(columns) = view_columns(client, sql) {
        return Ok(columns);
    }
    let stmt = client.prepare(sql).map_err(|e| PgError::from(&e))?;
    let mut out = Vec::new();
    for c in stmt.columns() {
        let row = client
            .query_one("SELECT format_type($1, $2)", &[&c.type_().oid(), &c.type_modifier()])
            .map_err(|e| PgError::from(&e))?;
        out.push((c.name().to_string(), row.get(0)));
    }
    Ok(out)
}

fn view_columns(client: &mut Client, sql: &str) -> Result<Vec<(String, String)>, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.batch_execute(&format!("CREATE TEMP VIEW rocky_describe AS {sql}"))?;
    let rows = tx.query(
        "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute \
         WHERE attrelid = 'rocky_describe'::regclass AND attnum > 0 ORDER BY attnum",
        &[],
    )?;
    // Dropping the transaction rolls the view back.
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// A relation's columns as one catalog round-trip reads them (what a DESCRIBE per source
/// costs): name, `format_type` spelling, nullability.
pub fn describe_table(client: &mut Client, qualified: &str) -> Result<Vec<SourceColumn>, String> {
    let rows = client
        .query(
            "SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute \
             WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            &[&qualified],
        )
        .map_err(|e| message(&e))?;
    Ok(rows
        .iter()
        .map(|r| SourceColumn { name: r.get(0), type_string: r.get(1), nullable: !r.get::<_, bool>(2) })
        .collect())
}

/// One query of a corpus file, with the category it is listed under.
#[derive(Clone, Debug)]
pub struct CorpusQuery {
    pub category: String,
    /// 1-based line of the query's first line in the file.
    pub line: usize,
    /// The statement without its closing `;`.
    pub sql: String,
}

/// Splits a corpus file: `-- category: NAME` lines start a category; a statement ends at a line
/// ending with `;`; other comment lines between statements are skipped.
pub fn split_corpus(text: &str) -> Vec<CorpusQuery> {
    let mut out = Vec::new();
    let mut category = String::from("uncategorised");
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if current.is_none() {
            if let Some(name) = line.strip_prefix("-- category:") {
                category = name.trim().to_string();
                continue;
            }
            if line.trim().is_empty() || line.starts_with("--") {
                continue;
            }
        }
        let (_, sql) = current.get_or_insert_with(|| (i + 1, String::new()));
        if !sql.is_empty() {
            sql.push('\n');
        }
        sql.push_str(line);
        if line.trim_end().ends_with(';') {
            if let Some((line, sql)) = current.take() {
                let sql = sql.trim_end().trim_end_matches(';').to_string();
                out.push(CorpusQuery { category: category.clone(), line, sql });
            }
        }
    }
    out
}
