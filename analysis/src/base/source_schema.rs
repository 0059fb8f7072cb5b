use std::collections::{BTreeMap, BTreeSet};

/// Schemas a branch build writes to start with this (`branch__<name>__<schema>`).
pub const BRANCH_SCHEMA_PREFIX: &str = "branch__";
/// The schema a shadow build writes to unless told otherwise (`rocky run --shadow`).
pub const DEFAULT_SHADOW_SCHEMA: &str = "rocky_shadow";

/// One column of a warehouse table as the schema cache stores it: the warehouse's own type string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SourceColumn {
    pub name: String,
    /// The type exactly as the warehouse's DESCRIBE printed it, e.g. `DECIMAL(18,2)`.
    pub type_string: String,
    pub nullable: bool,
}

/// A cached warehouse table, keyed by lower-cased `catalog.schema.table`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SourceTable {
    pub key: String,
    pub columns: Vec<SourceColumn>,
    /// Unix seconds when the entry was written (for "age" displays); not used by type checking.
    pub written_at: Option<u64>,
}

/// A schema-cache entry left out because it is older than the TTL: its columns are not used,
/// but `W110` can say the entry exists and why it is ignored (the analysis has no clock, so the
/// loader decides what is stale).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct StaleSource {
    /// Unix seconds when the entry was written.
    pub written_at: u64,
    /// The TTL it is older than, in seconds.
    pub ttl_seconds: u64,
}

/// The schema cache's whole contents at one moment, as handed to the analysis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SourceSchemaSnapshot {
    /// The fresh entries: sources are typed from these.
    pub tables: BTreeMap<String, SourceTable>,
    /// Entries older than the TTL, by lower-cased key (never also in `tables`).
    pub stale: BTreeMap<String, StaleSource>,
    /// Keys of tables a run wrote as a model's target (in production, a branch or a shadow
    /// schema). They are still typed when a query reads them, but are not offered as sources.
    pub build_outputs: BTreeSet<String>,
    /// Functions the warehouse has that its built-in catalog does not (macros and UDFs the
    /// project's seeds or the warehouse's owner created), by lower-cased name: a call to one is
    /// never E104, and is typed from its definition where the warehouse gave one.
    pub functions: BTreeMap<String, WarehouseFunction>,
    /// Types the warehouse's owner created (`CREATE TYPE mood AS ENUM (…)`), by lower-cased
    /// name and `schema.name`: the type string the warehouse prints for it (`ENUM('sad',
    /// 'ok')`), so a cast to one is typed.
    pub types: BTreeMap<String, String>,
}

/// A function the warehouse has beyond its built-in catalog, as its catalog describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct WarehouseFunction {
    pub overloads: Vec<WarehouseOverload>,
}

/// One overload of a [`WarehouseFunction`]. A macro (DuckDB) has parameter names and a body,
/// which the analysis types with the arguments in place, as the warehouse expands it; a UDF
/// has its result type. Either may be missing: the call is then typed Unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct WarehouseOverload {
    /// The parameters (names for a macro; whatever the warehouse lists otherwise): the call's
    /// arity.
    pub params: Vec<String>,
    /// The result type as the warehouse prints it (`INTEGER`, `text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// A scalar macro's body (`a + b`), in the warehouse's SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl SourceSchemaSnapshot {
    /// Records a warehouse function known only by name (its calls are typed Unknown).
    pub fn add_function_name(&mut self, name: &str) {
        self.functions.entry(name.to_lowercase()).or_default();
    }

    /// Marks a cached table as written by a run for a model it built.
    pub fn mark_build_output(&mut self, key: &str) {
        self.build_outputs.insert(key.to_lowercase());
    }

    /// Whether a cached table is a run's output rather than a source: marked so, or in a branch
    /// schema or the default shadow schema (older cache files carry no marks). A model's
    /// production target is one too; the model index knows those.
    pub fn is_build_output(&self, key: &str) -> bool {
        let key = key.to_lowercase();
        let schema = key.split('.').nth(1).unwrap_or_default();
        self.build_outputs.contains(&key) || schema.starts_with(BRANCH_SCHEMA_PREFIX) || schema == DEFAULT_SHADOW_SCHEMA
    }

    /// Adds or replaces a table (fresh: it is no longer stale); the key is normalised to lower
    /// case.
    pub fn insert(&mut self, mut table: SourceTable) {
        table.key = table.key.to_lowercase();
        self.stale.remove(&table.key);
        self.tables.insert(table.key.clone(), table);
    }
}
