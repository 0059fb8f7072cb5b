//! The schema cache: warehouse tables' columns, so the analysis can type-check without a
//! warehouse connection.

use redb::{ReadableTable, ReadableTableMetadata};

use crate::state_file::read_table;
use crate::store::SCHEMA_CACHE;
use crate::{CachedTable, StateError, StateFile};

impl StateFile {
    /// Every cached table, ordered by key. A missing file reads as empty and is not created.
    pub fn read_schema_cache(&self) -> Result<Vec<CachedTable>, StateError> {
        Ok(self.all_json(SCHEMA_CACHE, "schema cache entry")?.into_iter().map(|(_, t)| t).collect())
    }

    /// Insert or replace these tables (keys lower-cased) in one write transaction; other cached
    /// tables are kept. Creates the file and its folders if needed. An entry written without
    /// [`CachedTable::built`] (a source scan or `rocky discover` that saw a built table) keeps the
    /// mark the entry had.
    pub fn write_schemas(&self, tables: &[CachedTable]) -> Result<(), StateError> {
        self.write(|txn| {
            let mut table = txn.open_table(SCHEMA_CACHE)?;
            for t in tables {
                let mut stored = CachedTable { key: t.key.to_lowercase(), ..t.clone() };
                if stored.built.is_none() {
                    let old = table.get(stored.key.as_str())?;
                    if let Some(old) = old {
                        let old: CachedTable = self.decode("schema cache entry", old.value())?;
                        stored.built = old.built;
                    }
                }
                table.insert(stored.key.as_str(), self.encode(&stored)?.as_slice())?;
            }
            Ok(())
        })
    }

    /// Remove the cached tables of these schemas (`(catalog, schema)`, any case) in one write
    /// transaction and return how many there were. A missing file gives 0 and is not created.
    pub fn delete_cached_schemas(&self, schemas: &[(String, String)]) -> Result<usize, StateError> {
        let prefixes: Vec<String> =
            schemas.iter().map(|(c, s)| format!("{}.{}.", c.to_lowercase(), s.to_lowercase())).collect();
        let in_schemas = |key: &str| prefixes.iter().any(|p| key.starts_with(p.as_str()));
        if prefixes.is_empty() || !self.exists() {
            return Ok(0);
        }
        self.write(|txn| {
            let mut table = txn.open_table(SCHEMA_CACHE)?;
            let mut doomed = Vec::new();
            for entry in table.iter()? {
                let (key, _) = entry?;
                if in_schemas(key.value()) {
                    doomed.push(key.value().to_string());
                }
            }
            for key in &doomed {
                table.remove(key.as_str())?;
            }
            Ok(doomed.len())
        })
    }

    /// Remove every cached table (and the cached warehouse functions and types) and return how many tables
    /// there were; with `dry_run`, only count.
    /// A missing file gives 0 and is not created.
    pub fn clear_schema_cache(&self, dry_run: bool) -> Result<usize, StateError> {
        let count = self.read(|txn| Ok(read_table(txn, SCHEMA_CACHE)?.map(|t| t.len()).transpose()?.unwrap_or(0)))?;
        match count {
            None => Ok(0),
            Some(_) if dry_run => Ok(count.unwrap_or(0) as usize),
            Some(_) => self.write(|txn| {
                let n = txn.open_table(SCHEMA_CACHE)?.len()?;
                txn.delete_table(SCHEMA_CACHE)?;
                // The warehouse's functions were cached beside its tables; they go with them.
                txn.delete_table(crate::store::WAREHOUSE_FUNCTIONS)?;
                txn.delete_table(crate::store::WAREHOUSE_TYPES)?;
                Ok(n as usize)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::CachedTable;

    #[test]
    fn entries_of_older_files_load_without_the_mark_and_none_is_not_written() {
        let old = r#"{"key":"db.raw.t","columns":[],"written_at_ms":1}"#;
        let t: CachedTable = serde_json::from_str(old).expect("an old entry loads");
        assert_eq!(t.built, None);
        assert_eq!(serde_json::to_string(&t).expect("encodes"), old);
    }
}
