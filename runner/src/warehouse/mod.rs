//! Warehouse adapters: the few operations Rocky needs from a warehouse, behind one trait so
//! adapters plug into `rocky run`, `rocky discover` and `rocky seed` unchanged. DuckDB (embedded)
//! is the default; PostgreSQL speaks the wire protocol, Spark the Spark Connect protocol. Each adapter writes its own DDL for the
//! strategies (`replace_table`, `merge`, …): the warehouses differ most there.

mod duckdb;
mod lock;
mod postgres;
mod spark;

/// The warehouse's own functions and types of a DuckDB connection, as the schema cache keeps them.
pub use duckdb::{user_functions as duckdb_user_functions, user_types as duckdb_user_types};

use std::collections::BTreeMap;
use std::path::Path;

use rocky_analysis::config::{AdapterConfig, Strategy};
pub use rocky_analysis::ide::{quote_ident, quote_table, TableName};
use rocky_state::{CachedColumn, CachedTable};

pub use self::duckdb::DuckDbWarehouse;
pub use self::lock::DEFAULT_LOCK_WAIT;
pub use self::postgres::PostgresWarehouse;
pub use self::spark::SparkWarehouse;

/// One column as the warehouse describes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WarehouseColumn {
    pub name: String,
    /// The warehouse's own type text, e.g. `DECIMAL(18,2)`.
    pub type_string: String,
    pub nullable: bool,
}

/// A table (or view) and its columns, as found in the warehouse (names keep the warehouse's case).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DescribedTable {
    pub name: TableName,
    pub columns: Vec<WarehouseColumn>,
}

/// A query's result as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueryRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// A warehouse failure, with the statement that failed so the user can run it themselves.
#[derive(Debug, thiserror::Error)]
pub enum WarehouseError {
    #[error("cannot open the {adapter} warehouse at {location}: {detail}")]
    Open {
        adapter: &'static str,
        location: String,
        detail: String,
        /// What to do about it.
        hint: String,
    },
    #[error("{detail}\n  while running: {}", excerpt(sql))]
    Statement { sql: String, detail: String },
    #[error("adapter type `{0}` cannot run models yet; use type = \"duckdb\", \"postgres\" or \"spark\"")]
    Unsupported(String),
    /// Another process holds the database file (DuckDB allows one writer process).
    #[error("the warehouse {location} is in use by another process{}; gave up after waiting {} s", holder.map(|p| format!(" (PID {p})")).unwrap_or_default(), waited.as_secs())]
    Locked { location: String, holder: Option<u32>, waited: std::time::Duration },
}

impl WarehouseError {
    /// The warehouse's own message, without the statement.
    pub fn detail(&self) -> String {
        match self {
            WarehouseError::Open { detail, .. } | WarehouseError::Statement { detail, .. } => detail.clone(),
            other => other.to_string(),
        }
    }
}

/// The first lines of a statement, for error messages.
fn excerpt(sql: &str) -> String {
    const MAX_LINES: usize = 6;
    let lines: Vec<&str> = sql.trim().lines().collect();
    if lines.len() <= MAX_LINES {
        lines.join("\n    ")
    } else {
        format!("{}\n    … ({} more lines)", lines[..MAX_LINES].join("\n    "), lines.len() - MAX_LINES)
    }
}

/// What Rocky asks of a warehouse. One value is one connection; [`Warehouse::connect_another`]
/// gives each concurrent worker its own.
pub trait Warehouse: Send {
    /// Runs one statement; returns the rows it affected (inserted, updated, created) when the
    /// warehouse reports them, else 0.
    fn execute(&self, sql: &str) -> Result<u64, WarehouseError>;

    /// Runs a script of several `;`-separated statements (e.g. `data/seed.sql`), in order.
    fn execute_script(&self, sql: &str) -> Result<(), WarehouseError>;

    /// Runs a query and returns the first column of the first row as text (`None` for NULL or no
    /// row). Cast in SQL when the value is not text (`CAST(max(x) AS VARCHAR)`).
    fn query_scalar(&self, sql: &str) -> Result<Option<String>, WarehouseError>;

    /// Runs a query and returns its column names and rows, every value as the warehouse prints
    /// it (NULL as `None`): data-test results and their failing rows.
    fn query_rows(&self, sql: &str) -> Result<QueryRows, WarehouseError>;

    /// The columns `sql` would return, without running it (DuckDB's `DESCRIBE`, PostgreSQL's
    /// prepare): `rocky run` asks whether the warehouse binds a query the analysis rejects.
    fn describe_query(&self, sql: &str) -> Result<Vec<WarehouseColumn>, WarehouseError>;

    /// The columns of one table or view, `None` when it does not exist.
    fn describe_table(&self, table: &TableName) -> Result<Option<Vec<WarehouseColumn>>, WarehouseError>;

    /// The columns of each of `tables` that exists (named as requested). One query per table
    /// unless the adapter can describe several at once.
    fn describe_tables(&self, tables: &[TableName]) -> Result<Vec<DescribedTable>, WarehouseError> {
        let mut out = Vec::new();
        for name in tables {
            if let Some(columns) = self.describe_table(name)? {
                out.push(DescribedTable { name: name.clone(), columns });
            }
        }
        Ok(out)
    }

    /// Every table and view of one schema with its columns, in one query (cheap for many tables).
    fn describe_schema(&self, catalog: &str, schema: &str) -> Result<Vec<DescribedTable>, WarehouseError>;

    /// `(catalog, schema)` of every user schema.
    fn list_schemas(&self) -> Result<Vec<(String, String)>, WarehouseError>;

    /// The tables and views of one schema.
    fn list_tables(&self, catalog: &str, schema: &str) -> Result<Vec<String>, WarehouseError>;

    /// `CREATE SCHEMA IF NOT EXISTS`.
    fn create_schema_if_missing(&self, catalog: &str, schema: &str) -> Result<(), WarehouseError>;

    /// `DROP SCHEMA IF EXISTS … CASCADE` (a branch's schemas).
    fn drop_schema(&self, catalog: &str, schema: &str) -> Result<(), WarehouseError>;

    /// Creates or replaces table `target` with the rows of `sql`, so that readers see the old
    /// table or the new one, never a half-built one, and a failure leaves the old one in place.
    /// Returns the rows written.
    fn replace_table(&self, target: &TableName, sql: &str) -> Result<u64, WarehouseError>;

    /// Creates or replaces view `target` (its columns may change).
    fn replace_view(&self, target: &TableName, sql: &str) -> Result<(), WarehouseError>;

    /// Appends the rows of `sql` whose `timestamp_column` is newer than `watermark` (compared in
    /// the column's type) to the existing table `target`, whose columns are `columns`. Returns
    /// the rows appended.
    fn insert_newer(
        &self,
        target: &TableName,
        sql: &str,
        timestamp_column: &str,
        watermark: &str,
        columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError>;

    /// Upserts the rows of `sql` into the existing table `target` (columns `columns`) on
    /// `unique_key`: matched rows get `update_columns` (none: left as they are), new keys are
    /// inserted. Returns the rows written.
    fn merge(
        &self,
        target: &TableName,
        sql: &str,
        unique_key: &[String],
        update_columns: &[String],
        columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError>;

    /// The maximum of `column` in `target` as text (an incremental model's new watermark).
    fn max_value(&self, target: &TableName, column: &str) -> Result<Option<String>, WarehouseError> {
        self.query_scalar(&crate::run::sql::max_value(target, column))
    }

    /// Why this warehouse cannot build models with `strategy`, when it cannot: such models fail
    /// before the run starts (and their dependents are skipped), not at their second run.
    fn refuses(&self, _strategy: &Strategy) -> Option<String> {
        None
    }

    /// Another connection to the same database, for a concurrent worker.
    fn connect_another(&self) -> Result<Box<dyn Warehouse>, WarehouseError>;

    /// The functions the warehouse has beyond its built-ins (macros, UDFs), for the schema
    /// cache: the analysis then neither flags a call to one nor leaves a macro's call untyped.
    /// An adapter that cannot list them answers none.
    fn user_functions(&self, _written_at_ms: u64) -> Result<Vec<rocky_state::CachedFunction>, WarehouseError> {
        Ok(Vec::new())
    }

    /// The types the warehouse's owner created (`CREATE TYPE`), for the schema cache: a cast to
    /// one is then typed. An adapter that cannot list them answers none.
    fn user_types(&self, _written_at_ms: u64) -> Result<Vec<rocky_state::CachedType>, WarehouseError> {
        Ok(Vec::new())
    }

    /// Opens connections from another thread while this one is busy (`rocky run` opens its
    /// build connections while the project is checked); `None`: only [`Warehouse::connect_another`].
    fn connector(&self) -> Option<Connector> {
        None
    }

    /// A handle that cancels the statement running on this connection (from any thread); the
    /// statement then fails. Ctrl-C uses it to stop a run promptly.
    fn interrupter(&self) -> Interrupter;

    /// The warehouse's SQL dialect: how its type strings read and print (contracts, drift).
    fn dialect(&self) -> rocky_analysis::Dialect;
}

/// Cancels the running statement of one connection.
pub type Interrupter = std::sync::Arc<dyn Fn() + Send + Sync>;

/// Opens another connection like [`Warehouse::connect_another`], from any thread.
pub type Connector = Box<dyn Fn() -> Result<Box<dyn Warehouse>, WarehouseError> + Send>;

/// Opens the project's adapter. DuckDB's `path` is relative to the project root (`:memory:` or no
/// path: an in-memory database); PostgreSQL connects with the `[adapter]` keys and libpq's
/// environment (`PGHOST`, …, `~/.pgpass`; a relative `sslrootcert` is relative to the root);
/// Spark with `url` (else `SPARK_REMOTE`) and the token in the variable `token_env` names.
/// A file another process holds is waited for up to `lock_wait` (one line on stderr says so).
pub fn open(
    adapter: &AdapterConfig,
    root: &Path,
    lock_wait: std::time::Duration,
) -> Result<Box<dyn Warehouse>, WarehouseError> {
    match adapter.kind.as_str() {
        "duckdb" => Ok(Box::new(DuckDbWarehouse::open(adapter, root, lock_wait)?)),
        "postgres" => Ok(Box::new(PostgresWarehouse::open(adapter, root)?)),
        "spark" => Ok(Box::new(SparkWarehouse::open(adapter)?)),
        other => Err(WarehouseError::Unsupported(other.to_string())),
    }
}

/// The schema-cache entry of a described table (key: lower-cased `catalog.schema.table` of where
/// the table really is).
pub fn cached_table(name: &TableName, columns: &[WarehouseColumn], written_at_ms: u64) -> CachedTable {
    CachedTable {
        key: name.key(),
        columns: columns
            .iter()
            .map(|c| CachedColumn { name: c.name.clone(), type_string: c.type_string.clone(), nullable: c.nullable })
            .collect(),
        written_at_ms,
        built: None,
    }
}

/// A SQL string literal: single quotes, embedded `'` doubled.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Groups `(name, overload)` rows into one [`rocky_state::CachedFunction`] per lower-cased name,
/// in name order.
pub fn group_functions(
    rows: impl IntoIterator<Item = (String, rocky_state::CachedOverload)>,
    written_at_ms: u64,
) -> Vec<rocky_state::CachedFunction> {
    let mut by_name: BTreeMap<String, Vec<rocky_state::CachedOverload>> = BTreeMap::new();
    for (name, overload) in rows {
        by_name.entry(name.to_lowercase()).or_default().push(overload);
    }
    by_name
        .into_iter()
        .map(|(name, overloads)| rocky_state::CachedFunction { name, overloads, written_at_ms })
        .collect()
}
