//! The Spark adapter: Spark Connect (gRPC) through `rocky-spark-connect`, driven by a runtime of
//! its own (the `Warehouse` trait is synchronous). Every connection of a run shares one Spark
//! session (Spark Connect runs a session's operations concurrently): a session caches the file
//! listing of the tables it read, so a worker in another session could read a table another
//! worker just replaced from files that are gone. Each connection tags its operations, and Ctrl-C
//! interrupts by tag.
//!
//! What Spark's session catalog cannot do shapes the strategies: plain (parquet, v1) tables have
//! no `CREATE OR REPLACE TABLE … AS` and no `MERGE INTO`, and there are no transactions. A table
//! is therefore built under a temporary name, the old one dropped and the new one renamed into
//! place — readers briefly see no table between the drop and the rename, and a failure there is
//! reported with where the new rows are. A table that is not there yet is created in place (one
//! statement; which tables a schema holds is listed once per run and kept up to date by the
//! run's own statements — when the list was stale, the `CREATE` fails before doing any work and
//! the swap runs instead). With `table_format = "delta"` (or `iceberg`) the
//! atomic `CREATE OR REPLACE TABLE` and `MERGE INTO` are used instead; without, `merge` models are
//! refused before the run starts.

mod errors;
mod leftovers;
mod sql;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocky_analysis::config::{AdapterConfig, Strategy};
use rocky_spark_connect::{struct_columns, ConnectionString, SparkError, SparkSession, Table};

use super::{DescribedTable, Interrupter, QueryRows, TableName, Warehouse, WarehouseColumn, WarehouseError};

/// Where a URL-less project connects (Spark Connect's default port on this machine).
const DEFAULT_URL: &str = "sc://localhost:15002";

/// Table formats whose tables support `CREATE OR REPLACE TABLE … AS` and `MERGE INTO`.
const REPLACEABLE_FORMATS: [&str; 3] = ["delta", "iceberg", "hudi"];

/// Session settings every connection runs with: Rocky quotes identifiers with double quotes
/// (standard SQL, as the analysis reads them), which Spark accepts only with ANSI mode and this.
const SESSION_CONF: [(&str, &str); 2] =
    [("spark.sql.ansi.enabled", "true"), ("spark.sql.ansi.doubleQuotedIdentifiers", "true")];

/// Numbers the temporary tables of this process.
static BUILD_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Numbers the connections of this process (their operation tags).
static CONNECTION_COUNTER: AtomicU64 = AtomicU64::new(0);

/// What the connections of one adapter share.
struct Shared {
    /// Drives every session's gRPC calls; `None` only while being dropped.
    runtime: Option<tokio::runtime::Runtime>,
    /// The URL without its parameters, for messages.
    location: String,
    table_format: Option<String>,
    /// The tables and views of each schema (`catalog.schema`, lower case: Spark's names are),
    /// listed on first use and kept up to date by this process' statements. A guess: a build
    /// that finds it stale falls back to the swap.
    relations: Mutex<HashMap<String, HashSet<String>>>,
    /// The run's session, released on the server when the last connection is dropped.
    session: Mutex<Option<SparkSession>>,
}

impl Shared {
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.runtime {
            Some(runtime) => runtime.block_on(future),
            None => unreachable!("the runtime is only taken when the adapter is dropped"),
        }
    }

    fn replaces_atomically(&self) -> bool {
        self.table_format.as_deref().is_some_and(|f| REPLACEABLE_FORMATS.contains(&f.to_ascii_lowercase().as_str()))
    }
}

/// Releases the session on the server (else it lingers until Spark's idle timeout, an hour by
/// default), waiting at most 2 s, then shuts the runtime down — on a thread of its own: blocking
/// on or dropping a runtime panics on an async thread, and the scheduler drops its connections
/// there.
impl Drop for Shared {
    fn drop(&mut self) {
        let Some(runtime) = self.runtime.take() else { return };
        let session = self.session.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        let released = std::thread::spawn(move || {
            if let Some(session) = session {
                let _ = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(2), session.close()).await });
            }
            runtime.shutdown_background();
        });
        let _ = released.join();
    }
}

/// One connection: the run's session, with an operation tag of its own.
pub struct SparkWarehouse {
    shared: Arc<Shared>,
    session: SparkSession,
    /// Tags this connection's operations, so the interrupter cancels them and no others.
    tag: Vec<String>,
    /// Set by the interrupter: later statements on this connection fail at once.
    interrupted: Arc<AtomicBool>,
}

impl SparkWarehouse {
    /// Connects to `[adapter] url` (else `SPARK_REMOTE`, else sc://localhost:15002) with the
    /// token from the environment variable `token_env` names, and opens a session.
    pub fn open(adapter: &AdapterConfig) -> Result<Self, WarehouseError> {
        let url = adapter
            .url
            .clone()
            .or_else(|| std::env::var("SPARK_REMOTE").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| DEFAULT_URL.to_string());
        let location = url.split("/;").next().unwrap_or(&url).to_string();
        let open_error = |detail: String, hint: &str| WarehouseError::Open {
            adapter: "Spark",
            location: location.clone(),
            detail,
            hint: hint.to_string(),
        };
        if adapter.url.is_some() && ConnectionString::has_token(&url) {
            return Err(open_error(
                "the url in rocky.toml carries a token".into(),
                "remove `;token=…` and name an environment variable instead: token_env = \"DATABRICKS_TOKEN\"",
            ));
        }
        let token = match &adapter.token_env {
            Some(var) => match std::env::var(var) {
                Ok(token) if !token.is_empty() => Some(token),
                _ => {
                    return Err(open_error(
                        format!("token_env names {var}, which is not set"),
                        &format!("export {var}=… before running Rocky"),
                    ))
                }
            },
            None => None,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rocky-spark")
            .enable_all()
            .build()
            .map_err(|e| open_error(format!("cannot start the Spark client's runtime: {e}"), ""))?;
        let shared = Arc::new(Shared {
            runtime: Some(runtime),
            location,
            table_format: adapter.table_format.clone(),
            relations: Mutex::new(HashMap::new()),
            session: Mutex::new(None),
        });
        let session = shared
            .block_on(SparkSession::connect(&url, token))
            .map_err(|e| errors::connect_failed(&e, &shared.location))?;
        shared.block_on(session.set_conf(&SESSION_CONF)).map_err(|e| errors::connect_failed(&e, &shared.location))?;
        *shared.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session.clone());
        Ok(Self::tagged(shared, session))
    }

    /// A connection on `session` with a fresh operation tag.
    fn tagged(shared: Arc<Shared>, session: SparkSession) -> Self {
        let tag = format!("rocky-{}-{}", std::process::id(), CONNECTION_COUNTER.fetch_add(1, Ordering::Relaxed));
        SparkWarehouse { shared, session, tag: vec![tag], interrupted: Arc::new(AtomicBool::new(false)) }
    }

    /// Runs one statement.
    fn run(&self, sql: &str) -> Result<Table, WarehouseError> {
        self.call(sql, self.session.sql_tagged(sql, &self.tag))
    }

    /// Waits for one call about `sql`, unless Ctrl-C came first.
    fn call<T>(&self, sql: &str, call: impl Future<Output = Result<T, SparkError>>) -> Result<T, WarehouseError> {
        self.not_interrupted(sql)?;
        self.shared.block_on(call).map_err(|e| errors::statement_failed(&e, sql))
    }

    /// Fails once Ctrl-C interrupted this connection: no new statement starts.
    fn not_interrupted(&self, sql: &str) -> Result<(), WarehouseError> {
        match self.interrupted.load(Ordering::SeqCst) {
            true => Err(WarehouseError::Statement { sql: sql.to_string(), detail: "interrupted (Ctrl-C)".into() }),
            false => Ok(()),
        }
    }

    /// The columns of one table or view (`None` when it or its schema does not exist).
    fn columns_of(&self, table: &TableName) -> Result<Option<Vec<WarehouseColumn>>, WarehouseError> {
        let sql = format!("SELECT * FROM {}", super::quote_table(table));
        match self.shared.block_on(self.session.describe_query(&sql)) {
            Ok(columns) => Ok(Some(columns.into_iter().map(column).collect())),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(errors::statement_failed(&e, &sql)),
        }
    }

    /// Drops table or view `target` if it exists (Spark's `DROP TABLE` refuses views and the
    /// other way round; a table is the usual case, so it goes first).
    fn drop_relation(&self, target: &TableName) -> Result<(), WarehouseError> {
        let drop_table = format!("DROP TABLE IF EXISTS {}", super::quote_table(target));
        match self.shared.block_on(self.session.sql_tagged(&drop_table, &self.tag)) {
            Ok(_) => Ok(()),
            Err(e) if e.error_class.as_deref() == Some("WRONG_COMMAND_FOR_OBJECT_TYPE") => {
                self.run(&format!("DROP VIEW IF EXISTS {}", super::quote_table(target))).map(|_| ())
            }
            Err(e) => Err(errors::statement_failed(&e, &drop_table)),
        }
    }

    /// Whether `target` exists, from its schema's list (listed on first use).
    fn known(&self, target: &TableName) -> Result<bool, WarehouseError> {
        let schema = schema_key(&target.catalog, &target.schema);
        let listed = self.shared.relations.lock().unwrap_or_else(|p| p.into_inner()).contains_key(&schema);
        if !listed {
            let tables = self.list_tables(&target.catalog, &target.schema)?;
            let mut relations = self.shared.relations.lock().unwrap_or_else(|p| p.into_inner());
            relations.entry(schema.clone()).or_insert_with(|| tables.iter().map(|t| t.to_lowercase()).collect());
        }
        let relations = self.shared.relations.lock().unwrap_or_else(|p| p.into_inner());
        Ok(relations.get(&schema).is_some_and(|tables| tables.contains(&target.table.to_lowercase())))
    }

    /// Records that `target` exists now (or not), where its schema was listed.
    fn remember(&self, target: &TableName, exists: bool) {
        let mut relations = self.shared.relations.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tables) = relations.get_mut(&schema_key(&target.catalog, &target.schema)) {
            if exists {
                tables.insert(target.table.to_lowercase());
            } else {
                tables.remove(&target.table.to_lowercase());
            }
        }
    }

    /// Any other statement may create or drop relations: list the schemas again.
    fn forget_relations(&self) {
        self.shared.relations.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Creates table `target`, which the schema's list says is not there: one statement. When
    /// it is there after all, Spark refuses before running the query, and the swap runs.
    fn create_or_swap(&self, target: &TableName, query: &str) -> Result<(), WarehouseError> {
        match self.create_table(target, query) {
            Ok(()) => Ok(()),
            Err(e) if e.error_class.as_deref() == Some("TABLE_OR_VIEW_ALREADY_EXISTS") => self.swap(target, query),
            Err(e) => Err(errors::statement_failed(
                &e,
                &sql::create_table(target, self.shared.table_format.as_deref(), query),
            )),
        }
    }

    /// Builds `target` under a temporary name, then drops the old relation and renames the new
    /// table into place. Not atomic: between the drop and the rename readers find no table.
    fn swap(&self, target: &TableName, query: &str) -> Result<(), WarehouseError> {
        let temp = TableName {
            table: format!("rocky_build_{}_{}", std::process::id(), BUILD_COUNTER.fetch_add(1, Ordering::Relaxed)),
            ..target.clone()
        };
        self.not_interrupted(query)?;
        self.create_table(&temp, query).map_err(|e| {
            errors::statement_failed(&e, &sql::create_table(&temp, self.shared.table_format.as_deref(), query))
        })?;
        let replaced = self.drop_relation(target).and_then(|()| self.run(&sql::rename(&temp, target)));
        if let Err(e) = replaced {
            return Err(WarehouseError::Statement {
                sql: sql::rename(&temp, target),
                detail: format!(
                    "{}\n  HINT: the new rows are in {}; {} may be missing until the next run",
                    e.detail(),
                    temp.key(),
                    target.key()
                ),
            });
        }
        Ok(())
    }
}

fn schema_key(catalog: &str, schema: &str) -> String {
    format!("{catalog}.{schema}").to_lowercase()
}

/// Errors that mean "there is no such table".
fn not_found(e: &SparkError) -> bool {
    matches!(e.error_class.as_deref(), Some("TABLE_OR_VIEW_NOT_FOUND" | "SCHEMA_NOT_FOUND"))
}

fn column(c: rocky_spark_connect::Column) -> WarehouseColumn {
    WarehouseColumn { name: c.name, type_string: c.data_type, nullable: c.nullable }
}

impl Warehouse for SparkWarehouse {
    fn execute(&self, sql: &str) -> Result<u64, WarehouseError> {
        self.forget_relations();
        self.run(sql).map(|_| 0)
    }

    /// Spark Connect runs one statement per call: the script is split at its top-level `;`.
    fn execute_script(&self, script: &str) -> Result<(), WarehouseError> {
        self.forget_relations();
        for statement in rocky_analysis::syntax::split_statements(script) {
            self.run(statement)?;
        }
        Ok(())
    }

    fn query_scalar(&self, sql: &str) -> Result<Option<String>, WarehouseError> {
        Ok(self.run(sql)?.scalar().map(str::to_string))
    }

    fn query_rows(&self, sql: &str) -> Result<QueryRows, WarehouseError> {
        let table = self.run(sql)?;
        Ok(QueryRows { columns: table.columns.into_iter().map(|c| c.name).collect(), rows: table.rows })
    }

    /// Spark analyzes the query (`AnalyzePlan`) without running it.
    fn describe_query(&self, sql: &str) -> Result<Vec<WarehouseColumn>, WarehouseError> {
        Ok(self.call(sql, self.session.describe_query(sql))?.into_iter().map(column).collect())
    }

    fn describe_table(&self, table: &TableName) -> Result<Option<Vec<WarehouseColumn>>, WarehouseError> {
        self.columns_of(table)
    }

    /// Two round trips for a whole schema: `SHOW TABLES`, then one analyzed (never run) query
    /// holding every table's columns. A relation that cannot be analyzed (a view over a dropped
    /// table) makes that query fail; then each table is described alone and such ones skipped.
    fn describe_schema(&self, catalog: &str, schema: &str) -> Result<Vec<DescribedTable>, WarehouseError> {
        let names: Vec<TableName> = self
            .list_tables(catalog, schema)?
            .into_iter()
            .map(|table| TableName { catalog: catalog.to_string(), schema: schema.to_string(), table })
            .collect();
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let query = sql::describe_tables(&names);
        match self.shared.block_on(self.session.describe_query_schema(&query)) {
            Ok(described) => {
                let mut tables: BTreeMap<usize, Vec<WarehouseColumn>> = BTreeMap::new();
                if let Some(rocky_spark_connect::proto::data_type::Kind::Struct(per_table)) = &described.kind {
                    for (i, field) in per_table.fields.iter().enumerate() {
                        let columns = field.data_type.as_ref().map(struct_columns).unwrap_or_default();
                        tables.insert(i, columns.into_iter().map(column).collect());
                    }
                }
                Ok(names
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, name)| Some(DescribedTable { name, columns: tables.remove(&i)? }))
                    .collect())
            }
            Err(_) => {
                let mut out = Vec::new();
                for name in names {
                    if let Ok(Some(columns)) = self.columns_of(&name) {
                        out.push(DescribedTable { name, columns });
                    }
                }
                Ok(out)
            }
        }
    }

    fn list_schemas(&self) -> Result<Vec<(String, String)>, WarehouseError> {
        let catalog = self.run("SELECT current_catalog()")?.scalar().unwrap_or("spark_catalog").to_string();
        let rows = self.run(&format!("SHOW NAMESPACES IN {}", super::quote_ident(&catalog)))?.rows;
        Ok(rows.into_iter().filter_map(|r| Some((catalog.clone(), r.into_iter().next()??))).collect())
    }

    /// Tables and views, not the session's temporary views.
    fn list_tables(&self, catalog: &str, schema: &str) -> Result<Vec<String>, WarehouseError> {
        let sql = sql::show_tables(catalog, schema);
        let rows = match self.shared.block_on(self.session.sql_tagged(&sql, &self.tag)) {
            Ok(table) => table.rows,
            Err(e) if not_found(&e) => return Ok(Vec::new()),
            Err(e) => return Err(errors::statement_failed(&e, &sql)),
        };
        Ok(rows
            .into_iter()
            .filter(|r| r.get(2).and_then(|t| t.as_deref()) != Some("true"))
            .filter_map(|r| r.into_iter().nth(1).flatten())
            .collect())
    }

    fn create_schema_if_missing(&self, catalog: &str, schema: &str) -> Result<(), WarehouseError> {
        let name = format!("{}.{}", super::quote_ident(catalog), super::quote_ident(schema));
        self.run(&format!("CREATE DATABASE IF NOT EXISTS {name}")).map(|_| ())
    }

    fn drop_schema(&self, catalog: &str, schema: &str) -> Result<(), WarehouseError> {
        self.forget_relations();
        let name = format!("{}.{}", super::quote_ident(catalog), super::quote_ident(schema));
        self.run(&format!("DROP DATABASE IF EXISTS {name} CASCADE")).map(|_| ())
    }

    /// Spark reports no row counts for its writes: 0.
    fn replace_table(&self, target: &TableName, query: &str) -> Result<u64, WarehouseError> {
        if self.shared.replaces_atomically() {
            self.run(&sql::replace_table(target, self.shared.table_format.as_deref(), query))?;
        } else if self.known(target)? {
            self.swap(target, query)?;
        } else {
            self.create_or_swap(target, query)?;
        }
        self.remember(target, true);
        Ok(0)
    }

    /// `CREATE OR REPLACE VIEW`; a table in the way is dropped first.
    fn replace_view(&self, target: &TableName, query: &str) -> Result<(), WarehouseError> {
        let create = sql::replace_view(target, query);
        match self.shared.block_on(self.session.sql_tagged(&create, &self.tag)) {
            Ok(_) => {}
            Err(e) if e.error_class.as_deref().is_some_and(|c| c.starts_with("EXPECT_VIEW_NOT_TABLE")) => {
                self.drop_relation(target)?;
                self.run(&create)?;
            }
            Err(e) => return Err(errors::statement_failed(&e, &create)),
        }
        self.remember(target, true);
        Ok(())
    }

    fn insert_newer(
        &self,
        target: &TableName,
        query: &str,
        timestamp_column: &str,
        watermark: &str,
        columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError> {
        self.run(&crate::run::sql::insert_newer_by_columns(target, query, timestamp_column, watermark, columns))
            .map(|_| 0)
    }

    fn merge(
        &self,
        target: &TableName,
        query: &str,
        unique_key: &[String],
        update_columns: &[String],
        columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError> {
        let statement = sql::merge(target, query, unique_key, update_columns, columns);
        if let Some(reason) = self.refuses(&Strategy::Merge { unique_key: unique_key.to_vec(), update_columns: None }) {
            return Err(WarehouseError::Statement { sql: statement, detail: reason });
        }
        self.run(&statement).map(|_| 0)
    }

    fn max_value(&self, target: &TableName, column: &str) -> Result<Option<String>, WarehouseError> {
        self.query_scalar(&sql::max_value(target, column))
    }

    fn refuses(&self, strategy: &Strategy) -> Option<String> {
        match strategy {
            Strategy::Merge { .. } if !self.shared.replaces_atomically() => Some(format!(
                "strategy `merge` needs MERGE INTO, which Spark supports only for table formats such as Delta Lake or Iceberg, \
                 not for the plain {} tables of this project; use strategy = \"incremental\" (append rows newer than a \
                 timestamp) or \"full_refresh\", or set table_format = \"delta\" in [adapter] with Delta Lake on the server",
                self.shared.table_format.as_deref().unwrap_or("parquet")
            )),
            _ => None,
        }
    }

    /// The same session under another operation tag (no round trip).
    fn connect_another(&self) -> Result<Box<dyn Warehouse>, WarehouseError> {
        Ok(Box::new(Self::tagged(self.shared.clone(), self.session.clone())))
    }

    /// Sends `Interrupt` for this connection's operations (by its tag; from a thread of its own:
    /// the caller may be an async task) and fails later statements on this connection.
    fn interrupter(&self) -> Interrupter {
        let (shared, session, interrupted) = (self.shared.clone(), self.session.clone(), self.interrupted.clone());
        let tag = self.tag.concat();
        Arc::new(move || {
            interrupted.store(true, Ordering::SeqCst);
            let (shared, session, tag) = (shared.clone(), session.clone(), tag.clone());
            std::thread::spawn(move || {
                let _ = shared.block_on(session.interrupt_tag(&tag));
            });
        })
    }

    /// Spark's own dialect once the analysis has one (`Dialect::from_adapter` decides).
    fn dialect(&self) -> rocky_analysis::Dialect {
        rocky_analysis::Dialect::from_adapter("spark")
    }
}
