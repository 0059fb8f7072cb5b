//! [`StateFile`]: a path plus a retry policy. Every call opens the database, runs one transaction
//! and drops it, because redb locks the whole file for as long as a `Database` is open. The calls
//! for each table live in their own file (`schema_cache.rs`, `runs.rs`, `branches.rs`,
//! `watermarks.rs`).

use std::path::{Path, PathBuf};

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, TableDefinition, TableError, WriteTransaction};

use crate::store::{self, TxnResult};
use crate::{RetryPolicy, StateError};

/// Handle on the state file. Cheap to create and clone; does not touch disk until a call.
#[derive(Clone, Debug)]
pub struct StateFile {
    path: PathBuf,
    retry: RetryPolicy,
}

impl StateFile {
    /// Does not touch disk.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        StateFile { path: path.into(), retry: RetryPolicy::default() }
    }

    /// Replace the retry policy used while the file is open elsewhere.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Whether the file exists (the first write creates it).
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    /// One read transaction; `None` when the file does not exist.
    pub(crate) fn read<T>(&self, body: impl FnOnce(&ReadTransaction) -> TxnResult<T>) -> Result<Option<T>, StateError> {
        store::read(&self.path, &self.retry, body)
    }

    /// One committed write transaction; creates the file if needed.
    pub(crate) fn write<T>(&self, body: impl FnOnce(&WriteTransaction) -> TxnResult<T>) -> Result<T, StateError> {
        store::write(&self.path, &self.retry, body)
    }

    /// The JSON value stored under `key` in a `&str`-keyed table.
    pub(crate) fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        def: TableDefinition<&str, &[u8]>,
        what: &str,
        key: &str,
    ) -> Result<Option<T>, StateError> {
        let value = self.read(|txn| {
            let Some(table) = read_table(txn, def)? else { return Ok(None) };
            let value = table.get(key)?;
            value.map(|v| self.decode::<T>(what, v.value())).transpose()
        })?;
        Ok(value.flatten())
    }

    /// Every entry of a `&str`-keyed JSON table, in key order.
    pub(crate) fn all_json<T: serde::de::DeserializeOwned>(
        &self,
        def: TableDefinition<&str, &[u8]>,
        what: &str,
    ) -> Result<Vec<(String, T)>, StateError> {
        let entries = self.read(|txn| {
            let Some(table) = read_table(txn, def)? else { return Ok(vec![]) };
            let mut out = Vec::new();
            for entry in table.iter()? {
                let (k, v) = entry?;
                out.push((k.value().to_string(), self.decode::<T>(what, v.value())?));
            }
            Ok(out)
        })?;
        Ok(entries.unwrap_or_default())
    }

    /// Insert (or replace) one JSON value in its own write transaction.
    pub(crate) fn put_json<T: serde::Serialize>(
        &self,
        def: TableDefinition<&str, &[u8]>,
        key: &str,
        value: &T,
    ) -> Result<(), StateError> {
        self.write(|txn| {
            txn.open_table(def)?.insert(key, self.encode(value)?.as_slice())?;
            Ok(())
        })
    }

    pub(crate) fn decode<T: serde::de::DeserializeOwned>(&self, what: &str, bytes: &[u8]) -> TxnResult<T> {
        store::decode(&self.path, what, bytes)
    }

    pub(crate) fn encode<T: serde::Serialize>(&self, value: &T) -> TxnResult<Vec<u8>> {
        store::encode(&self.path, value)
    }
}

/// Open a table for reading; a table never written yet reads as `None` (empty).
pub(crate) fn read_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
) -> TxnResult<Option<ReadOnlyTable<K, V>>> {
    match txn.open_table(def) {
        Ok(t) => Ok(Some(t)),
        Err(TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
