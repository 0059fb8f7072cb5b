//! Per-table view of the schema cache. Every model reads sources through [`source_schema`], never
//! the snapshot input directly, so a cache reload re-checks only models whose tables changed.

use crate::base::{Db, StaleSource};
use crate::types::Type;

/// A source table's key (lower-cased `catalog.schema.table`), interned so it can key a query.
#[salsa::interned(debug)]
pub struct SourceKey<'db> {
    #[returns(ref)]
    pub key: String,
}

/// A cached source table's columns with parsed types.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceSchema {
    pub columns: Vec<(String, Type, bool)>,
}

/// The cached schema of one source table, or `None` when the cache has no entry for it.
#[salsa::tracked(returns(ref))]
pub fn source_schema<'db>(db: &'db dyn Db, key: SourceKey<'db>) -> Option<SourceSchema> {
    let snapshot = db.project().sources(db).snapshot(db);
    let table = snapshot.tables.get(key.key(db))?;
    // Type strings are the warehouse's own spelling (DuckDB's DESCRIBE, PostgreSQL's format_type).
    let dialect = *super::project_dialect(db);
    Some(SourceSchema {
        columns: table
            .columns
            .iter()
            .map(|c| (c.name.clone(), dialect.parse_type(&c.type_string), c.nullable))
            .collect(),
    })
}

/// Why a source has no schema although the cache has an entry for it: the entry is older than
/// the TTL. Per table like [`source_schema`], so an entry expiring re-checks only its readers.
#[salsa::tracked]
pub fn stale_source<'db>(db: &'db dyn Db, key: SourceKey<'db>) -> Option<StaleSource> {
    db.project().sources(db).snapshot(db).stale.get(key.key(db)).copied()
}

/// Convenience: [`stale_source`] for a key string.
pub fn lookup_stale_source(db: &dyn Db, key: &str) -> Option<StaleSource> {
    *stale_source(db, SourceKey::new(db, key.to_string()))
}

/// `W110`'s message and hint for a source whose cache entry is older than the TTL. The time is
/// absolute (UTC), not an age: the analysis has no clock, and an age would go stale itself.
pub fn stale_source_message(key: &str, stale: StaleSource) -> (String, String) {
    let when = i64::try_from(stale.written_at)
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map_or_else(|| "long ago".to_string(), |t| t.format("at %Y-%m-%d %H:%M UTC").to_string());
    (
        format!(
            "source `{key}` was cached {when}, longer ago than the schema-cache TTL ({} s), so its columns are not checked",
            stale.ttl_seconds
        ),
        "run `rocky run` or `rocky discover --with-schemas` to refresh the cache (or raise `[cache.schemas] ttl_seconds`)"
            .into(),
    )
}

/// Convenience: the cached schema for a key string.
pub fn lookup_source<'db>(db: &'db dyn Db, key: &str) -> Option<&'db SourceSchema> {
    source_schema(db, SourceKey::new(db, key.to_string())).as_ref()
}

/// All cached source keys (for did-you-mean). Reads the whole snapshot: call only on error paths.
#[salsa::tracked(returns(ref))]
pub fn source_keys(db: &dyn Db) -> Vec<String> {
    db.project().sources(db).snapshot(db).tables.keys().cloned().collect()
}

/// The warehouse's user-defined function (macro, UDF) of this name, if it has one. Only for
/// names the built-in catalog does not know.
pub fn user_function<'db>(db: &'db dyn Db, name: &str) -> Option<&'db crate::base::WarehouseFunction> {
    user_functions(db).get(&name.to_lowercase())
}

/// The warehouse's functions apart from its tables: a query depends on them alone, so a schema
/// cache refresh that keeps them re-checks nothing through them.
#[salsa::tracked(returns(ref))]
fn user_functions(db: &dyn Db) -> std::collections::BTreeMap<String, crate::base::WarehouseFunction> {
    db.project().sources(db).snapshot(db).functions.clone()
}

/// The warehouse's own types (`SourceSchemaSnapshot::types`), apart from its tables.
#[salsa::tracked(returns(ref))]
pub fn user_types(db: &dyn Db) -> std::collections::BTreeMap<String, String> {
    db.project().sources(db).snapshot(db).types.clone()
}
