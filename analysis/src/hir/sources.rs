//! Per-table view of the schema cache. Every model reads sources through [`source_schema`], never
//! the snapshot input directly, so a cache reload re-checks only models whose tables changed.

use crate::base::Db;
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
    Some(SourceSchema {
        columns: table.columns.iter().map(|c| (c.name.clone(), Type::parse(&c.type_string), c.nullable)).collect(),
    })
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
