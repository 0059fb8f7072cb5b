//! The schema cache: warehouse tables' columns, so the analysis can type-check without a
//! warehouse connection.

use redb::ReadableTableMetadata;

use crate::state_file::read_table;
use crate::store::SCHEMA_CACHE;
use crate::{CachedTable, StateError, StateFile};

impl StateFile {
    /// Every cached table, ordered by key. A missing file reads as empty and is not created.
    pub fn read_schema_cache(&self) -> Result<Vec<CachedTable>, StateError> {
        Ok(self.all_json(SCHEMA_CACHE, "schema cache entry")?.into_iter().map(|(_, t)| t).collect())
    }

    /// Insert or replace these tables (keys lower-cased) in one write transaction; other cached
    /// tables are kept. Creates the file and its folders if needed.
    pub fn write_schemas(&self, tables: &[CachedTable]) -> Result<(), StateError> {
        self.write(|txn| {
            let mut table = txn.open_table(SCHEMA_CACHE)?;
            for t in tables {
                let stored = CachedTable { key: t.key.to_lowercase(), ..t.clone() };
                table.insert(stored.key.as_str(), self.encode(&stored)?.as_slice())?;
            }
            Ok(())
        })
    }

    /// Remove every cached table and return how many there were; with `dry_run`, only count.
    /// A missing file gives 0 and is not created.
    pub fn clear_schema_cache(&self, dry_run: bool) -> Result<usize, StateError> {
        let count = self.read(|txn| Ok(read_table(txn, SCHEMA_CACHE)?.map(|t| t.len()).transpose()?.unwrap_or(0)))?;
        match count {
            None => Ok(0),
            Some(_) if dry_run => Ok(count.unwrap_or(0) as usize),
            Some(_) => self.write(|txn| {
                let n = txn.open_table(SCHEMA_CACHE)?.len()?;
                txn.delete_table(SCHEMA_CACHE)?;
                Ok(n as usize)
            }),
        }
    }
}
