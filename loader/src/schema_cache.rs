//! The schema cache (kept in the state file) as the analysis sees it: fresh entries become the
//! [`SourceSchemaSnapshot`] tables that type sources; stale ones are listed apart (no columns),
//! so they count as uncached but `W110` says they are older than the TTL. A state file that
//! cannot be read degrades to "no cache" with one warning: checking never fails because of it.

use rocky_analysis::{
    SourceColumn, SourceSchemaSnapshot, SourceTable, StaleSource, WarehouseFunction, WarehouseOverload,
};
use rocky_state::{CachedFunction, CachedTable, CachedType, StateFile};

/// What [`load_schema_cache`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaCacheLoad {
    /// The fresh entries, ready for `AnalysisHost::set_source_schemas`.
    pub snapshot: SourceSchemaSnapshot,
    /// Entries used.
    pub fresh: usize,
    /// Entries older than the TTL, left out.
    pub stale: usize,
    /// Why the cache could not be read (busy, corrupt, newer format), to print once.
    pub warning: Option<String>,
}

/// True when an entry written at `written_at_ms` is younger than `ttl_seconds` at `now_ms`
/// (a TTL of 0 makes every entry stale).
pub fn is_fresh(written_at_ms: u64, now_ms: u64, ttl_seconds: u64) -> bool {
    now_ms.saturating_sub(written_at_ms) < ttl_seconds.saturating_mul(1000)
}

/// The analysis' form of a cached table.
pub fn source_table(table: &CachedTable) -> SourceTable {
    SourceTable {
        key: table.key.clone(),
        columns: table
            .columns
            .iter()
            .map(|c| SourceColumn { name: c.name.clone(), type_string: c.type_string.clone(), nullable: c.nullable })
            .collect(),
        written_at: Some(table.written_at_ms / 1000),
    }
}

/// Builds the snapshot of the entries that are fresh at `now_ms`; the others are its `stale`
/// part.
pub fn fresh_snapshot(tables: &[CachedTable], ttl_seconds: u64, now_ms: u64) -> SchemaCacheLoad {
    let mut load = SchemaCacheLoad::default();
    for table in tables {
        if is_fresh(table.written_at_ms, now_ms, ttl_seconds) {
            load.snapshot.insert(source_table(table));
            if table.built.is_some() {
                load.snapshot.mark_build_output(&table.key);
            }
            load.fresh += 1;
        } else {
            let stale = StaleSource { written_at: table.written_at_ms / 1000, ttl_seconds };
            load.snapshot.stale.insert(table.key.to_lowercase(), stale);
            load.stale += 1;
        }
    }
    load
}

/// Moves the entries of `snapshot` that are no longer fresh at `now_ms` to its stale part, for
/// a long-running reader (the language server) whose state file did not change while time
/// passed. Ages are known to the second here. Returns whether anything moved.
pub fn expire(snapshot: &mut SourceSchemaSnapshot, ttl_seconds: u64, now_ms: u64) -> bool {
    let expired: Vec<(String, u64)> = snapshot
        .tables
        .values()
        .filter_map(|t| Some((t.key.clone(), t.written_at?)))
        .filter(|(_, at)| !is_fresh(at.saturating_mul(1000), now_ms, ttl_seconds))
        .collect();
    for (key, written_at) in &expired {
        snapshot.tables.remove(key);
        snapshot.stale.insert(key.clone(), StaleSource { written_at: *written_at, ttl_seconds });
    }
    !expired.is_empty()
}

/// When (unix ms) the next fresh entry of `snapshot` turns stale, if one ever does: a reader
/// calls [`expire`] only then, so the analysis is touched only when the fresh/stale split
/// changes.
pub fn next_expiry(snapshot: &SourceSchemaSnapshot, ttl_seconds: u64) -> Option<u64> {
    let ttl_ms = ttl_seconds.saturating_mul(1000);
    snapshot.tables.values().filter_map(|t| t.written_at).map(|at| at.saturating_mul(1000).saturating_add(ttl_ms)).min()
}

/// Reads the schema cache from `state` (a missing file is an empty cache and is not created).
/// Errors become [`SchemaCacheLoad::warning`] and an empty snapshot.
pub fn load_schema_cache(state: &StateFile, ttl_seconds: u64, now_ms: u64) -> SchemaCacheLoad {
    let mut load = match state.read_schema_cache() {
        Ok(tables) => fresh_snapshot(&tables, ttl_seconds, now_ms),
        Err(e) => {
            return SchemaCacheLoad {
                warning: Some(format!("cannot read the schema cache, checking without it: {e}")),
                ..SchemaCacheLoad::default()
            }
        }
    };
    match (state.read_warehouse_functions(), state.read_warehouse_types()) {
        (Ok(functions), Ok(types)) => {
            add_functions(&mut load.snapshot, &functions, ttl_seconds, now_ms);
            add_types(&mut load.snapshot, &types);
        }
        (Err(e), _) | (_, Err(e)) => {
            load.warning = Some(format!("cannot read the warehouse's functions and types, checking without them: {e}"))
        }
    }
    load
}

/// Adds the cached warehouse types to `snapshot`, by `schema.name` and by bare name (the
/// first schema's, in key order, when two schemas have one of the same name).
pub fn add_types(snapshot: &mut SourceSchemaSnapshot, types: &[CachedType]) {
    for t in types {
        let key = t.key.to_lowercase();
        let bare = key.rsplit('.').next().unwrap_or_default().to_string();
        snapshot.types.insert(key, t.type_string.clone());
        snapshot.types.entry(bare).or_insert_with(|| t.type_string.clone());
    }
}

/// Adds the cached warehouse functions to `snapshot`. One older than the TTL keeps its name
/// (a call to it is still no error) but not its definition (the call is typed Unknown).
pub fn add_functions(snapshot: &mut SourceSchemaSnapshot, functions: &[CachedFunction], ttl_seconds: u64, now_ms: u64) {
    for f in functions {
        let fresh = is_fresh(f.written_at_ms, now_ms, ttl_seconds);
        let overloads = f
            .overloads
            .iter()
            .filter(|_| fresh)
            .map(|o| WarehouseOverload { params: o.params.clone(), returns: o.returns.clone(), body: o.body.clone() })
            .collect();
        snapshot.functions.insert(f.name.to_lowercase(), WarehouseFunction { overloads });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocky_state::CachedColumn;

    fn table(key: &str, written_at_ms: u64) -> CachedTable {
        CachedTable {
            key: key.into(),
            columns: vec![CachedColumn { name: "id".into(), type_string: "INTEGER".into(), nullable: false }],
            written_at_ms,
            built: None,
        }
    }

    #[test]
    fn a_stale_warehouse_function_keeps_its_name_but_not_its_definition() {
        let now = 100_000_000;
        let overload =
            rocky_state::CachedOverload { params: vec!["x".into()], returns: None, body: Some("x + 1".into()) };
        let function = |name: &str, written_at_ms| CachedFunction {
            name: name.into(),
            overloads: vec![overload.clone()],
            written_at_ms,
        };
        let mut snapshot = SourceSchemaSnapshot::default();
        add_functions(&mut snapshot, &[function("Fresh", now - 5_000), function("old", now - 61_000)], 60, now);
        assert_eq!(snapshot.functions["fresh"].overloads[0].body.as_deref(), Some("x + 1"));
        assert!(snapshot.functions["old"].overloads.is_empty());
    }

    #[test]
    fn entries_older_than_the_ttl_are_left_out() {
        let now = 100_000_000;
        let tables = [table("db.raw.new", now - 5_000), table("db.raw.old", now - 61_000)];
        let load = fresh_snapshot(&tables, 60, now);
        assert_eq!((load.fresh, load.stale), (1, 1));
        assert!(load.snapshot.tables.contains_key("db.raw.new"));
        assert_eq!(load.snapshot.tables["db.raw.new"].columns[0].type_string, "INTEGER");
        assert_eq!(load.snapshot.tables["db.raw.new"].written_at, Some((now - 5_000) / 1000));
    }

    #[test]
    fn stale_entries_are_listed_apart_and_fresh_ones_expire_in_place() {
        let now = 100_000_000;
        let tables = [table("db.raw.New", now - 5_000), table("db.raw.old", now - 61_000)];
        let mut load = fresh_snapshot(&tables, 60, now);
        assert_eq!(
            load.snapshot.stale["db.raw.old"],
            StaleSource { written_at: (now - 61_000) / 1000, ttl_seconds: 60 }
        );
        assert!(!load.snapshot.stale.contains_key("db.raw.new"));
        // `db.raw.new` (written at second 99 995) turns stale at second 100 055.
        assert_eq!(next_expiry(&load.snapshot, 60), Some(100_055_000));
        assert!(!expire(&mut load.snapshot, 60, 100_054_999), "still fresh");
        assert!(expire(&mut load.snapshot, 60, 100_055_000));
        assert!(load.snapshot.tables.is_empty());
        assert_eq!(load.snapshot.stale["db.raw.new"].written_at, 99_995);
        assert_eq!(next_expiry(&load.snapshot, 60), None);
        // A table cached again is fresh again.
        load.snapshot.insert(source_table(&table("db.raw.new", now)));
        assert!(!load.snapshot.stale.contains_key("db.raw.new"));
    }

    #[test]
    fn a_ttl_of_zero_makes_everything_stale() {
        let load = fresh_snapshot(&[table("db.raw.t", 1_000)], 0, 1_000);
        assert_eq!((load.fresh, load.stale), (0, 1));
    }

    #[test]
    fn a_missing_state_file_is_an_empty_cache_and_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".rocky-state.redb");
        let load = load_schema_cache(&StateFile::new(&path), 60, 1_000);
        assert_eq!(load, SchemaCacheLoad::default());
        assert!(!path.exists());
    }
}
