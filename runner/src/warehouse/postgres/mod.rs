//! The PostgreSQL adapter (the synchronous `postgres` client; one connection per value).
//!
//! Statements go through the simple query protocol: one round trip each, every value as text
//! (what data tests and watermarks want), and the command tag carries the rows written.
//! PostgreSQL has no `CREATE OR REPLACE TABLE`, and binds views to their tables, so a table is
//! built under a temporary name and swapped in inside one transaction (DDL is transactional),
//! with the views that depend on it dropped and created again in the same transaction: readers
//! see the old table or the new one, and a failure leaves the old one untouched.

mod errors;
mod pgpass;
mod settings;
mod sql;
mod tls;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use postgres::error::SqlState;
use postgres::{CancelToken, Client, SimpleQueryMessage};
use rocky_analysis::config::AdapterConfig;

use self::settings::Settings;
use super::{
    quote_ident, quote_table, Connector, DescribedTable, Interrupter, QueryRows, TableName, Warehouse, WarehouseColumn,
    WarehouseError,
};

/// One connection to a PostgreSQL database. A connection the server closed is opened again
/// before the next statement, so one lost connection fails one model, not the rest of the run.
pub struct PostgresWarehouse {
    settings: Arc<Settings>,
    /// Always `Some` but while being dropped.
    client: Mutex<Option<Client>>,
    /// The current connection's cancel handle (replaced on reconnect).
    cancel: Arc<Mutex<CancelToken>>,
    /// Set by the interrupter: later statements on this connection fail at once, so a build
    /// that was between statements when Ctrl-C came does not start its next one.
    interrupted: Arc<AtomicBool>,
    /// What the swaps last saw of each target schema's relations (listed once per schema, then
    /// kept up to date by this connection's own swaps), so a build needs no probe of its own.
    /// Only a guess: a swap that finds it stale (someone else changed the schema) rolls back,
    /// probes, and runs once more (`swap`).
    relations: Mutex<HashMap<String, HashMap<String, Relation>>>,
}

/// What a swap needs to know of the relation it replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Relation {
    /// `pg_class.relkind`: `r`, `v`, `m`, `p`, `f`, …
    kind: char,
    /// Whether views depend on it (their definitions are read when the swap runs).
    has_views: bool,
}

/// The errors of a swap built on a stale [`Relation`]: the target exists after all (42P07), is
/// gone (42P01), is of another kind (42809), or has new dependent views (2BP01).
const STALE: [SqlState; 4] = [
    SqlState::DUPLICATE_TABLE,
    SqlState::UNDEFINED_TABLE,
    SqlState::WRONG_OBJECT_TYPE,
    SqlState::DEPENDENT_OBJECTS_STILL_EXIST,
];

/// Numbers the temporary tables of this process.
static BUILD_COUNTER: AtomicU64 = AtomicU64::new(0);

impl PostgresWarehouse {
    /// Connects with the adapter's settings and checks that the database is the catalog the
    /// models are built in (three-part names only work within the current database).
    pub fn open(adapter: &AdapterConfig, root: &std::path::Path) -> Result<Self, WarehouseError> {
        let settings = settings::resolve(adapter, root)?;
        for warning in &settings.warnings {
            eprintln!("warning: {warning}");
        }
        let wh = Self::connect(Arc::new(settings))?;
        let current = wh.query_scalar("SELECT current_database()")?.unwrap_or_default();
        if current != wh.settings.catalog {
            return Err(WarehouseError::Open {
                adapter: "PostgreSQL",
                location: wh.settings.location(),
                detail: format!(
                    "connected to database `{current}`, but rocky.toml's models are checked and built in catalog `{}`",
                    wh.settings.catalog
                ),
                hint: format!("set dbname = \"{current}\" in [adapter] (or unset PGDATABASE)"),
            });
        }
        Ok(wh)
    }

    fn connect(settings: Arc<Settings>) -> Result<Self, WarehouseError> {
        let client = open_client(&settings)?;
        let cancel = Arc::new(Mutex::new(client.cancel_token()));
        Ok(PostgresWarehouse {
            settings,
            client: Mutex::new(Some(client)),
            cancel,
            interrupted: Arc::new(AtomicBool::new(false)),
            relations: Mutex::new(HashMap::new()),
        })
    }

    /// Runs `f` on the connection (reconnecting first if the server closed it).
    fn with_client<T>(
        &self,
        sql: &str,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, WarehouseError> {
        if self.interrupted.load(Ordering::SeqCst) {
            return Err(WarehouseError::Statement { sql: sql.to_string(), detail: "interrupted (Ctrl-C)".into() });
        }
        let mut guard = self.client.lock().unwrap_or_else(|p| p.into_inner());
        let client = match guard.as_mut() {
            Some(c) if !c.is_closed() => c,
            _ => {
                let fresh = open_client(&self.settings)?;
                *self.cancel.lock().unwrap_or_else(|p| p.into_inner()) = fresh.cancel_token();
                guard.insert(fresh)
            }
        };
        let result = f(client);
        if result.as_ref().is_err_and(errors::connection_lost) {
            // The server ended the session (or the socket broke): the next statement reconnects.
            *guard = None;
        }
        result.map_err(|e| {
            if self.interrupted.load(Ordering::SeqCst) {
                WarehouseError::Statement {
                    sql: sql.to_string(),
                    detail: format!("interrupted (Ctrl-C): {}", errors::message(&e)),
                }
            } else {
                errors::statement_failed(&e, sql, self.settings.statement_timeout)
            }
        })
    }

    /// Every row of `sql` as text.
    fn text_rows(&self, sql: &str) -> Result<QueryRows, WarehouseError> {
        let messages = self.with_client(sql, |c| c.simple_query(sql))?;
        Ok(rows_of(&messages))
    }

    fn described(&self, sql: &str) -> Result<Vec<(TableName, WarehouseColumn)>, WarehouseError> {
        let rows = self.text_rows(sql)?.rows;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let mut r = r.into_iter();
                let (catalog, schema, table) = (r.next()??, r.next()??, r.next()??);
                let (name, type_string, nullable) = (r.next()??, r.next()??, r.next()??);
                Some((
                    TableName { catalog, schema, table },
                    WarehouseColumn { name, type_string, nullable: nullable == "t" },
                ))
            })
            .collect())
    }

    /// Whether `catalog` is this connection's database (PostgreSQL cannot look into others).
    fn is_current(&self, catalog: &str) -> bool {
        catalog.eq_ignore_ascii_case(&self.settings.catalog)
    }

    /// What `target` is, from the schema's list (listed on first use).
    fn known_relation(&self, target: &TableName) -> Result<Option<Relation>, WarehouseError> {
        let mut known = self.relations.lock().unwrap_or_else(|p| p.into_inner());
        if !known.contains_key(&target.schema) {
            let rows = self.text_rows(&sql::relations(&target.schema))?.rows;
            let listed = rows
                .into_iter()
                .filter_map(|r| match r.as_slice() {
                    [Some(name), Some(kind), Some(views)] => {
                        Some((name.clone(), Relation { kind: kind.chars().next()?, has_views: views == "t" }))
                    }
                    _ => None,
                })
                .collect();
            known.insert(target.schema.clone(), listed);
        }
        Ok(known.get(&target.schema).and_then(|s| s.get(&target.table)).copied())
    }

    /// What `target` is now, asked of the server alone.
    fn probe_relation(&self, target: &TableName) -> Result<Option<Relation>, WarehouseError> {
        let rows = self.text_rows(&sql::relation(target))?.rows;
        Ok(rows.into_iter().next().and_then(|r| match r.as_slice() {
            [Some(kind), Some(views)] => Some(Relation { kind: kind.chars().next()?, has_views: views == "t" }),
            _ => None,
        }))
    }

    /// Any statement may create or drop relations: the swaps list the schemas again.
    fn forget_relations(&self) {
        self.relations.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    fn remember(&self, target: &TableName, relation: Option<Relation>) {
        let mut known = self.relations.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(schema) = known.get_mut(&target.schema) {
            match relation {
                Some(r) => schema.insert(target.table.clone(), r),
                None => schema.remove(&target.table),
            };
        }
    }

    /// Replaces `target` in one transaction: a new one is created in place; an existing one is
    /// built under a temporary name, then dropped (with the views that depend on it) and the new
    /// one renamed into its place, the views created again. One message for the whole
    /// transaction (what is there comes from the schema's list, `known_relation`), one more when
    /// views depend on the old relation (their definitions, read now, `sql::dependent_views`). A
    /// failure rolls it all back, leaving the old relation and its views as they were; when the
    /// failure says the list was stale, the target is probed and the swap runs once more.
    /// Returns the rows the build wrote.
    fn swap(&self, target: &TableName, build: Build<'_>) -> Result<u64, WarehouseError> {
        let assumed = self.known_relation(target)?;
        let built = Relation { kind: if matches!(build, Build::View(_)) { 'v' } else { 'r' }, has_views: false };
        let result = match self.swap_over(target, build, assumed) {
            Err((e, Some(code))) if STALE.contains(&code) => {
                let found = self.probe_relation(target)?;
                self.remember(target, found);
                if found == assumed {
                    return Err(e);
                }
                self.swap_over(target, build, found).map(|rows| (rows, found))
            }
            other => other.map(|rows| (rows, assumed)),
        };
        match result {
            Ok((rows, replaced)) => {
                // The views were created again on the new relation.
                let has_views = replaced.is_some_and(|r| r.has_views);
                self.remember(target, Some(Relation { has_views, ..built }));
                Ok(rows)
            }
            Err((e, _)) => Err(e),
        }
    }

    /// One swap transaction, assuming `old` is what `target` is now. A failure comes with its
    /// SQLSTATE.
    fn swap_over(
        &self,
        target: &TableName,
        build: Build<'_>,
        old: Option<Relation>,
    ) -> Result<u64, (WarehouseError, Option<SqlState>)> {
        let has_views = old.is_some_and(|r| r.has_views);
        let views = if has_views {
            self.text_rows(&sql::dependent_views(target)).map_err(|e| (e, None))?.rows
        } else {
            Vec::new()
        };
        let temp = TableName {
            table: format!("rocky_build_{}_{}", std::process::id(), BUILD_COUNTER.fetch_add(1, Ordering::Relaxed)),
            ..target.clone()
        };
        // Nothing to replace: build in place (invisible to others until COMMIT).
        let built = if old.is_some() { &temp } else { target };
        let create = match build {
            Build::Table(query) => format!("CREATE TABLE {} AS\n{query}\n", quote_table(built)),
            Build::View(query) => format!("CREATE VIEW {} AS\n{query}\n", quote_table(built)),
        };
        let mut script = format!("BEGIN;\n{create};\n");
        if let Some(old) = old {
            let views: Vec<(&str, &str)> = views
                .iter()
                .filter_map(|r| match r.as_slice() {
                    [Some(name), Some(definition)] => Some((name.as_str(), definition.as_str())),
                    _ => None,
                })
                .collect();
            for (name, _) in views.iter().rev() {
                script.push_str(&format!("DROP VIEW IF EXISTS {name};\n"));
            }
            let drop = match old.kind {
                'v' => "DROP VIEW",
                'm' => "DROP MATERIALIZED VIEW",
                _ => "DROP TABLE",
            };
            script.push_str(&format!("{drop} {};\n", quote_table(target)));
            script.push_str(&format!("ALTER TABLE {} RENAME TO {};\n", quote_table(&temp), quote_ident(&target.table)));
            for (name, definition) in &views {
                script.push_str(&format!("CREATE VIEW {name} AS {definition};\n"));
            }
        }
        script.push_str("COMMIT;");
        let mut code = None;
        self.with_client(&create, |c| {
            let result = c.simple_query(&script);
            if let Err(e) = &result {
                code = e.code().cloned();
                if !c.is_closed() {
                    let _ = c.batch_execute("ROLLBACK");
                }
            }
            // BEGIN's tag comes first, then the build's (`SELECT n` for a table).
            let rows = result?
                .iter()
                .filter_map(|m| match m {
                    SimpleQueryMessage::CommandComplete(n) => Some(*n),
                    _ => None,
                })
                .nth(1)
                .unwrap_or(0);
            Ok(rows)
        })
        .map_err(|e| (e, code))
    }
}

/// The client's drop blocks on its own runtime, which panics on an async thread (the scheduler
/// drops its pool there): drop it on a thread of its own then.
impl Drop for PostgresWarehouse {
    fn drop(&mut self) {
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(client) = client {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(move || drop(client)).join();
            }
        }
    }
}

/// What [`PostgresWarehouse::swap`] puts in place.
#[derive(Clone, Copy)]
enum Build<'a> {
    Table(&'a str),
    View(&'a str),
}

fn open_client(settings: &Settings) -> Result<Client, WarehouseError> {
    settings.config.connect(settings.tls.clone()).map_err(|e| errors::connect_failed(&e, settings))
}

/// The rows of the last statement that returned rows, values as text.
fn rows_of(messages: &[SimpleQueryMessage]) -> QueryRows {
    let mut out = QueryRows::default();
    for m in messages {
        match m {
            SimpleQueryMessage::RowDescription(columns) => {
                out.columns = columns.iter().map(|c| c.name().to_string()).collect();
                out.rows.clear();
            }
            SimpleQueryMessage::Row(row) => {
                out.rows.push((0..row.len()).map(|i| row.get(i).map(str::to_string)).collect());
            }
            _ => {}
        }
    }
    out
}

/// The rows the last statement wrote (its command tag: `INSERT 0 5`, `SELECT 5`, `MERGE 5`).
fn command_rows(messages: &[SimpleQueryMessage]) -> u64 {
    messages
        .iter()
        .rev()
        .find_map(|m| match m {
            SimpleQueryMessage::CommandComplete(n) => Some(*n),
            _ => None,
        })
        .unwrap_or(0)
}

impl Warehouse for PostgresWarehouse {
    /// Prepares `sql` (parse, bind, plan; nothing runs): the statement's columns with their
    /// type names (`int4`, …); the protocol does not say which may hold NULL.
    fn describe_query(&self, sql: &str) -> Result<Vec<WarehouseColumn>, WarehouseError> {
        let statement = self.with_client(sql, |c| c.prepare(sql))?;
        Ok(statement
            .columns()
            .iter()
            .map(|c| WarehouseColumn {
                name: c.name().to_string(),
                type_string: c.type_().name().to_string(),
                nullable: true,
            })
            .collect())
    }

    fn execute(&self, sql: &str) -> Result<u64, WarehouseError> {
        self.forget_relations();
        self.with_client(sql, |c| c.simple_query(sql)).map(|m| command_rows(&m))
    }

    fn execute_script(&self, sql: &str) -> Result<(), WarehouseError> {
        self.forget_relations();
        self.with_client(sql, |c| c.batch_execute(sql))
    }

    fn query_scalar(&self, sql: &str) -> Result<Option<String>, WarehouseError> {
        Ok(self.text_rows(sql)?.rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()))
    }

    fn query_rows(&self, sql: &str) -> Result<QueryRows, WarehouseError> {
        self.text_rows(sql)
    }

    fn describe_table(&self, table: &TableName) -> Result<Option<Vec<WarehouseColumn>>, WarehouseError> {
        if !self.is_current(&table.catalog) {
            return Ok(None);
        }
        let cols = self.described(&sql::columns(&table.schema, Some(&table.table)))?;
        Ok((!cols.is_empty()).then(|| cols.into_iter().map(|(_, c)| c).collect()))
    }

    /// One query for all of them (tables of other databases do not exist here).
    fn describe_tables(&self, tables: &[TableName]) -> Result<Vec<DescribedTable>, WarehouseError> {
        let here: Vec<&TableName> = tables.iter().filter(|t| self.is_current(&t.catalog)).collect();
        if here.is_empty() {
            return Ok(Vec::new());
        }
        let mut found: BTreeMap<String, Vec<WarehouseColumn>> = BTreeMap::new();
        for (name, col) in self.described(&sql::columns_of(&here))? {
            found.entry(name.key()).or_default().push(col);
        }
        Ok(here
            .into_iter()
            .filter_map(|t| Some(DescribedTable { name: t.clone(), columns: found.remove(&t.key())? }))
            .collect())
    }

    fn describe_schema(&self, catalog: &str, schema: &str) -> Result<Vec<DescribedTable>, WarehouseError> {
        if !self.is_current(catalog) {
            return Ok(Vec::new());
        }
        let mut tables: BTreeMap<TableName, Vec<WarehouseColumn>> = BTreeMap::new();
        for (name, col) in self.described(&sql::columns(schema, None))? {
            tables.entry(name).or_default().push(col);
        }
        Ok(tables.into_iter().map(|(name, columns)| DescribedTable { name, columns }).collect())
    }

    /// `pg_proc` of the user schemas: each function's parameter types and result type.
    fn user_functions(&self, written_at_ms: u64) -> Result<Vec<rocky_state::CachedFunction>, WarehouseError> {
        let rows = self.text_rows(sql::USER_FUNCTIONS)?.rows;
        let overloads = rows.into_iter().filter_map(|r| {
            let mut r = r.into_iter();
            let (name, params, returns) = (r.next()??, r.next()??, r.next().flatten().unwrap_or_default());
            let params: Vec<String> = serde_json::from_str(&params).unwrap_or_default();
            let returns = (!returns.is_empty()).then_some(returns);
            Some((name, rocky_state::CachedOverload { params, returns, body: None }))
        });
        Ok(super::group_functions(overloads, written_at_ms))
    }

    fn list_schemas(&self) -> Result<Vec<(String, String)>, WarehouseError> {
        let rows = self.text_rows(sql::SCHEMAS)?.rows;
        Ok(rows.into_iter().filter_map(|r| Some((r.first()?.clone()?, r.get(1)?.clone()?))).collect())
    }

    fn list_tables(&self, catalog: &str, schema: &str) -> Result<Vec<String>, WarehouseError> {
        if !self.is_current(catalog) {
            return Ok(Vec::new());
        }
        let rows = self.text_rows(&sql::tables(schema))?.rows;
        Ok(rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
    }

    /// PostgreSQL's schema names take no catalog (it is the connection's database).
    fn create_schema_if_missing(&self, _catalog: &str, schema: &str) -> Result<(), WarehouseError> {
        self.execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema))).map(|_| ())
    }

    fn drop_schema(&self, _catalog: &str, schema: &str) -> Result<(), WarehouseError> {
        self.execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quote_ident(schema))).map(|_| ())
    }

    fn replace_table(&self, target: &TableName, sql: &str) -> Result<u64, WarehouseError> {
        self.swap(target, Build::Table(sql))
    }

    /// `CREATE OR REPLACE VIEW` fails when the columns change: drop and create instead.
    fn replace_view(&self, target: &TableName, sql: &str) -> Result<(), WarehouseError> {
        self.swap(target, Build::View(sql)).map(|_| ())
    }

    fn insert_newer(
        &self,
        target: &TableName,
        sql: &str,
        timestamp_column: &str,
        watermark: &str,
        columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError> {
        self.execute(&crate::run::sql::insert_newer_by_columns(target, sql, timestamp_column, watermark, columns))
    }

    fn merge(
        &self,
        target: &TableName,
        sql: &str,
        unique_key: &[String],
        update_columns: &[String],
        columns: &[WarehouseColumn],
    ) -> Result<u64, WarehouseError> {
        self.execute(&sql::merge(target, sql, unique_key, update_columns, columns))
    }

    fn connect_another(&self) -> Result<Box<dyn Warehouse>, WarehouseError> {
        Ok(Box::new(Self::connect(self.settings.clone())?))
    }

    /// A new session needs only the settings (TLS and the password exchange take a few round
    /// trips: worth overlapping with other work).
    fn connector(&self) -> Option<Connector> {
        let settings = self.settings.clone();
        Some(Box::new(move || Ok(Box::new(Self::connect(settings.clone())?) as Box<dyn Warehouse>)))
    }

    /// Sends the protocol's cancel request (on its own thread: the client's blocking call must
    /// not run on the scheduler's async thread) and fails later statements on this connection.
    fn dialect(&self) -> rocky_analysis::Dialect {
        rocky_analysis::Dialect::Postgres
    }

    fn interrupter(&self) -> Interrupter {
        let (cancel, interrupted) = (self.cancel.clone(), self.interrupted.clone());
        // The cancel request is a new connection: with the same sslmode (`require` needs TLS).
        let tls = self.settings.tls.clone();
        Arc::new(move || {
            interrupted.store(true, Ordering::SeqCst);
            let token = cancel.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let tls = tls.clone();
            std::thread::spawn(move || {
                let _ = token.cancel_query(tls);
            });
        })
    }
}
