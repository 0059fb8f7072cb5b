//! The warehouse as the commands use it: open the project's adapter and turn warehouse errors
//! into failures that say what to do.

use super::Failure;
use crate::exit;
use crate::project::Project;
use crate::warehouse::{self, TableName, Warehouse, WarehouseError};

/// A warehouse error as a failure (exit 1) with a hint.
pub fn failure(e: WarehouseError) -> Failure {
    let hint = match &e {
        WarehouseError::Open { hint, .. } => hint.as_str(),
        WarehouseError::Statement { .. } => {
            "fix the statement shown, or run it yourself to see the warehouse's full error"
        }
        WarehouseError::Unsupported(_) => "set type = \"duckdb\", \"postgres\" or \"spark\" in [adapter] of rocky.toml",
        WarehouseError::Locked { .. } => {
            let hint = "run again once the other process is done, or wait longer with `--lock-wait SECONDS`";
            return Failure { code: exit::BUSY, message: e.to_string(), hint: hint.into() };
        }
    };
    Failure::error(e.to_string(), hint)
}

/// Opens the project's warehouse (DuckDB: the `[adapter] path`, relative to the project root;
/// the file is created when missing).
pub fn open(project: &Project) -> Result<Box<dyn Warehouse>, Failure> {
    warehouse::open(&project.config().adapter, project.root(), project.lock_wait).map_err(failure)
}

/// Opens the project's warehouse if it exists: `None` for a DuckDB file that is not there yet,
/// so commands that only read or drop do not leave an empty database behind.
pub fn open_existing(project: &Project) -> Result<Option<Box<dyn Warehouse>>, Failure> {
    let adapter = &project.config().adapter;
    match adapter.path.as_deref() {
        Some(p) if adapter.kind == "duckdb" && p != ":memory:" && !p.is_empty() && !project.root().join(p).exists() => {
            Ok(None)
        }
        _ => open(project).map(Some),
    }
}

/// Drops a schema and everything in it.
pub fn drop_schema(warehouse: &dyn Warehouse, catalog: &str, schema: &str) -> Result<(), Failure> {
    warehouse.drop_schema(catalog, schema).map_err(failure)
}

/// Every `(catalog, schema, table)` in the warehouse, sorted.
pub fn all_tables(warehouse: &dyn Warehouse) -> Result<Vec<TableName>, Failure> {
    let mut out = Vec::new();
    for (catalog, schema) in warehouse.list_schemas().map_err(failure)? {
        for table in warehouse.list_tables(&catalog, &schema).map_err(failure)? {
            out.push(TableName { catalog: catalog.clone(), schema: schema.clone(), table });
        }
    }
    out.sort();
    Ok(out)
}

/// The warehouse's own functions and types for the schema cache, or None (with a warning on
/// stderr) when it cannot list them: the tables are worth caching without them.
pub fn warehouse_catalog(warehouse: &dyn Warehouse, written_at_ms: u64) -> Option<WarehouseCatalog> {
    let listed = warehouse.user_functions(written_at_ms).and_then(|f| Ok((f, warehouse.user_types(written_at_ms)?)));
    match listed {
        Ok((functions, types)) => Some(WarehouseCatalog { functions, types }),
        Err(e) => {
            eprintln!(
                "warning: could not list the warehouse's functions and types (kept as they were): {}",
                e.detail()
            );
            None
        }
    }
}

/// What [`warehouse_catalog`] found.
pub struct WarehouseCatalog {
    pub functions: Vec<rocky_state::CachedFunction>,
    pub types: Vec<rocky_state::CachedType>,
}

impl WarehouseCatalog {
    /// Replaces the cached functions and types with these.
    pub fn write(&self, state: &rocky_state::StateFile) -> Result<(), rocky_state::StateError> {
        state.replace_warehouse_catalog(&self.functions, &self.types)
    }
}
