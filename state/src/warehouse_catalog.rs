//! The warehouse's own functions (macros, UDFs) and types beside the schema cache: a scan of the
//! warehouse's catalog replaces them all, since one dropped there must stop counting.

use crate::store::{WAREHOUSE_FUNCTIONS, WAREHOUSE_TYPES};
use crate::{CachedFunction, CachedType, StateError, StateFile};

impl StateFile {
    /// Every cached warehouse function, ordered by name. A missing file reads as empty.
    pub fn read_warehouse_functions(&self) -> Result<Vec<CachedFunction>, StateError> {
        Ok(self.all_json(WAREHOUSE_FUNCTIONS, "warehouse function")?.into_iter().map(|(_, f)| f).collect())
    }

    /// Every cached warehouse type, ordered by key. A missing file reads as empty.
    pub fn read_warehouse_types(&self) -> Result<Vec<CachedType>, StateError> {
        Ok(self.all_json(WAREHOUSE_TYPES, "warehouse type")?.into_iter().map(|(_, t)| t).collect())
    }

    /// Replaces the cached warehouse functions and types (keys lower-cased) in one write
    /// transaction: what a complete scan of the warehouse's catalog found.
    pub fn replace_warehouse_catalog(
        &self,
        functions: &[CachedFunction],
        types: &[CachedType],
    ) -> Result<(), StateError> {
        self.write(|txn| {
            txn.delete_table(WAREHOUSE_FUNCTIONS)?;
            txn.delete_table(WAREHOUSE_TYPES)?;
            let mut table = txn.open_table(WAREHOUSE_FUNCTIONS)?;
            for f in functions {
                let stored = CachedFunction { name: f.name.to_lowercase(), ..f.clone() };
                table.insert(stored.name.as_str(), self.encode(&stored)?.as_slice())?;
            }
            let mut table = txn.open_table(WAREHOUSE_TYPES)?;
            for t in types {
                let stored = CachedType { key: t.key.to_lowercase(), ..t.clone() };
                table.insert(stored.key.as_str(), self.encode(&stored)?.as_slice())?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{CachedFunction, CachedOverload, CachedType, StateFile};

    fn function(name: &str, body: &str) -> CachedFunction {
        let overload = CachedOverload { params: vec!["a".into()], returns: None, body: Some(body.into()) };
        CachedFunction { name: name.into(), overloads: vec![overload], written_at_ms: 1 }
    }

    #[test]
    fn a_scan_replaces_every_function_and_the_tables_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = StateFile::new(dir.path().join(".rocky-state.redb"));
        assert_eq!(state.read_warehouse_functions().expect("read"), vec![]);
        let mood = CachedType { key: "Main.Mood".into(), type_string: "ENUM('a')".into(), written_at_ms: 1 };
        state.replace_warehouse_catalog(&[function("Twice", "a * 2"), function("gone", "a")], &[mood]).expect("write");
        assert_eq!(state.read_warehouse_types().expect("read")[0].key, "main.mood");
        state.replace_warehouse_catalog(&[function("twice", "a + a")], &[]).expect("write");
        let read = state.read_warehouse_functions().expect("read");
        assert_eq!(read, vec![function("twice", "a + a")]);
        assert_eq!(state.read_warehouse_types().expect("read"), vec![]);
        assert_eq!(state.read_schema_cache().expect("read"), vec![]);
    }
}
