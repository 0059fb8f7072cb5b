//! Opening the redb file: one `Database` per call, retried with backoff while another handle holds
//! the file lock, and every redb failure turned into a [`StateError`] that names the file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Duration;

use redb::{
    CommitError, Database, DatabaseError, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
    StorageError, TableDefinition, TableError, TransactionError, WriteTransaction,
};

use crate::error::CORRUPT_HINT;
use crate::retry::Backoff;
use crate::turnstile::take_turn;
use crate::{RetryPolicy, StateError};

/// `meta`: `format_version` -> the file's format version.
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// `schema_cache`: lower-cased `catalog.schema.table` -> JSON `CachedTable`.
pub(crate) const SCHEMA_CACHE: TableDefinition<&str, &[u8]> = TableDefinition::new("schema_cache");
/// `warehouse_functions`: lower-cased function name -> JSON `CachedFunction`.
pub(crate) const WAREHOUSE_FUNCTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("warehouse_functions");
/// `warehouse_types`: lower-cased `schema.name` -> JSON `CachedType`.
pub(crate) const WAREHOUSE_TYPES: TableDefinition<&str, &[u8]> = TableDefinition::new("warehouse_types");
/// `runs`: run id -> JSON run header (a `RunRecord` without its models).
pub(crate) const RUNS: TableDefinition<&str, &[u8]> = TableDefinition::new("runs");
/// `run_models`: (run id, sequence number) -> JSON `ModelRun`.
pub(crate) const RUN_MODELS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("run_models");
/// `model_latest`: model name -> JSON `LastModelRun`.
pub(crate) const MODEL_LATEST: TableDefinition<&str, &[u8]> = TableDefinition::new("model_latest");
/// `branches`: branch name -> JSON `Branch`.
pub(crate) const BRANCHES: TableDefinition<&str, &[u8]> = TableDefinition::new("branches");
/// `watermarks`: model name -> JSON `Watermark`.
pub(crate) const WATERMARKS: TableDefinition<&str, &[u8]> = TableDefinition::new("watermarks");

/// The key of the format version in [`META`].
pub(crate) const FORMAT_VERSION_KEY: &str = "format_version";
/// The format this code reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// A failure inside a transaction body: redb's, or one of ours (e.g. `BranchExists`).
pub(crate) enum Failure {
    Redb(redb::Error),
    State(StateError),
}

macro_rules! redb_failure_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure::Redb(e.into())
            }
        }
    )*};
}
redb_failure_from!(redb::Error, TransactionError, TableError, StorageError, CommitError);

impl From<StateError> for Failure {
    fn from(e: StateError) -> Self {
        Failure::State(e)
    }
}

/// Body of a transaction.
pub(crate) type TxnResult<T> = Result<T, Failure>;

/// Run `body` in one read transaction. A missing file yields `Ok(None)` and is not created.
pub(crate) fn read<T>(
    path: &Path,
    retry: &RetryPolicy,
    body: impl FnOnce(&ReadTransaction) -> TxnResult<T>,
) -> Result<Option<T>, StateError> {
    if is_missing_or_empty(path) {
        return Ok(None);
    }
    guard_panics(path, || {
        let session = match with_retry(path, retry, || open_for_read(path).map_err(|e| db_error(path, e))) {
            Ok(session) => session,
            Err(StateError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let run = || -> TxnResult<T> {
            check_format_version_read(path, &session.txn)?;
            body(&session.txn)
        };
        run().map(Some).map_err(|f| into_state_error(path, f))
    })
}

/// Run `body` in one write transaction and commit it; creates the file (and its folders) if
/// needed and records the format version in a new file. Nothing is committed if `body` fails.
pub(crate) fn write<T>(
    path: &Path,
    retry: &RetryPolicy,
    body: impl FnOnce(&WriteTransaction) -> TxnResult<T>,
) -> Result<T, StateError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StateError::Io { path: path.to_path_buf(), source })?;
    }
    guard_panics(path, || {
        let db = with_retry(path, retry, || {
            if !is_missing_or_empty(path) {
                refuse_foreign_file(path)?;
            }
            Database::create(path).map_err(|e| db_error(path, e))
        })?;
        let run = || -> TxnResult<T> {
            let txn = db.begin_write()?;
            check_format_version_write(path, &txn)?;
            let value = body(&txn)?;
            txn.commit()?;
            Ok(value)
        };
        run().map_err(|f| into_state_error(path, f))
    })
}

/// A 0-byte file is what a crash during creation leaves; redb initializes it on the first write.
fn is_missing_or_empty(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) => meta.len() == 0,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// An open read transaction and the handle it reads through. The handle must outlive the
/// transaction: dropping it closes the file and releases the lock.
struct ReadSession {
    txn: ReadTransaction,
    _db: OpenHandle,
}

enum OpenHandle {
    ReadOnly(ReadOnlyDatabase),
    ReadWrite(Database),
}

/// Read-only open shares the file with other readers; a file left unclean by a crash must be
/// repaired, which only a read-write open does.
fn open_for_read(path: &Path) -> Result<ReadSession, DatabaseError> {
    let db = match ReadOnlyDatabase::open(path) {
        Ok(db) => OpenHandle::ReadOnly(db),
        Err(DatabaseError::RepairAborted) => OpenHandle::ReadWrite(Database::open(path)?),
        Err(e) => return Err(e),
    };
    let txn = match &db {
        OpenHandle::ReadOnly(db) => db.begin_read(),
        OpenHandle::ReadWrite(db) => db.begin_read(),
    };
    Ok(ReadSession { txn: txn.map_err(into_database_error)?, _db: db })
}

fn into_database_error(e: TransactionError) -> DatabaseError {
    match e {
        TransactionError::Storage(s) => DatabaseError::Storage(s),
        other => DatabaseError::Storage(StorageError::Corrupted(other.to_string())),
    }
}

/// A read-write open rewrites the header even when nothing is committed, so a file that is not
/// ours (garbage, newer format) is refused through a read-only open first.
fn refuse_foreign_file(path: &Path) -> Result<(), StateError> {
    let session = open_for_read(path).map_err(|e| db_error(path, e))?;
    check_format_version_read(path, &session.txn).map_err(|f| into_state_error(path, f))
}

fn db_error(path: &Path, e: DatabaseError) -> StateError {
    into_state_error(path, Failure::Redb(e.into()))
}

/// Open, retrying with exponential backoff and jitter while the file is locked elsewhere (`open`
/// reports that as `Busy`). The caller's turn (see `turnstile`) is held until the open succeeds.
fn with_retry<T>(
    path: &Path,
    policy: &RetryPolicy,
    mut open: impl FnMut() -> Result<T, StateError>,
) -> Result<T, StateError> {
    let mut backoff = Backoff::new(policy);
    let Some(_turn) = take_turn(path, &mut backoff) else { return Err(busy(path, backoff.elapsed())) };
    loop {
        match open() {
            Err(StateError::Busy { .. }) => {
                if !backoff.wait() {
                    return Err(busy(path, backoff.elapsed()));
                }
            }
            other => return other,
        }
    }
}

fn busy(path: &Path, waited: Duration) -> StateError {
    StateError::Busy {
        path: path.to_path_buf(),
        hint: format!(
            "Waited {:.1} s. Another process (e.g. `rocky run` or the language server) holds it; try again when \
             it finishes, or pass a different --state-path",
            waited.as_secs_f64()
        ),
    }
}

/// redb may panic (debug assertions) on a file damaged outside redb; report that as `Corrupt`.
fn guard_panics<T>(path: &Path, f: impl FnOnce() -> Result<T, StateError>) -> Result<T, StateError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the database library panicked while reading it".to_string());
        Err(corrupt(path, detail))
    })
}

fn corrupt(path: &Path, detail: String) -> StateError {
    StateError::Corrupt { path: path.to_path_buf(), detail, hint: CORRUPT_HINT.to_string() }
}

fn check_format_version_read(path: &Path, txn: &ReadTransaction) -> TxnResult<()> {
    let found = match txn.open_table(META) {
        Ok(meta) => meta.get(FORMAT_VERSION_KEY)?.map(|v| v.value()),
        Err(TableError::TableDoesNotExist(_)) => None,
        Err(e) => return Err(e.into()),
    };
    newer_format_check(path, found)
}

fn check_format_version_write(path: &Path, txn: &WriteTransaction) -> TxnResult<()> {
    let mut meta = txn.open_table(META)?;
    let found = meta.get(FORMAT_VERSION_KEY)?.map(|v| v.value());
    newer_format_check(path, found)?;
    if found.is_none() {
        meta.insert(FORMAT_VERSION_KEY, FORMAT_VERSION)?;
    }
    Ok(())
}

fn newer_format_check(path: &Path, found: Option<u64>) -> TxnResult<()> {
    match found {
        Some(found) if found > FORMAT_VERSION => {
            Err(StateError::NewerFormat { path: path.to_path_buf(), found, supported: FORMAT_VERSION }.into())
        }
        _ => Ok(()),
    }
}

fn into_state_error(path: &Path, failure: Failure) -> StateError {
    let e = match failure {
        Failure::State(e) => return e,
        Failure::Redb(e) => e,
    };
    match e {
        redb::Error::DatabaseAlreadyOpen | redb::Error::LockProtocolMismatch => busy(path, Duration::ZERO),
        redb::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            corrupt(path, format!("not a Rocky state file: {io}"))
        }
        redb::Error::Io(source) => StateError::Io { path: path.to_path_buf(), source },
        redb::Error::Corrupted(detail) => corrupt(path, detail),
        redb::Error::UpgradeRequired(v) => {
            corrupt(path, format!("written by an old version of the storage library (file format {v})"))
        }
        redb::Error::TableTypeMismatch { .. }
        | redb::Error::TableIsMultimap(_)
        | redb::Error::TypeDefinitionChanged { .. } => corrupt(path, format!("unexpected table layout: {e}")),
        other => StateError::Database { path: path.to_path_buf(), detail: other.to_string() },
    }
}

/// Decode a stored JSON value; a value that does not decode means the file is damaged.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(path: &Path, what: &str, bytes: &[u8]) -> TxnResult<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| Failure::State(corrupt(path, format!("stored {what} does not decode: {e}"))))
}

/// Encode a value for storage. Our record types always encode.
pub(crate) fn encode<T: serde::Serialize>(path: &Path, value: &T) -> TxnResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| {
        Failure::State(StateError::Database { path: path.to_path_buf(), detail: format!("cannot encode record: {e}") })
    })
}
