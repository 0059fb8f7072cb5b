//! Rocky's state file, `.rocky-state.redb`: a [redb](https://www.redb.org) database shared by the
//! CLI (`rocky run` writes it) and the language server (reads the schema cache and run history).
//! This crate never depends on the analysis; the runner and the loader translate.
//!
//! # Tables
//! Values are JSON (serde) bytes, so an added optional field needs no format change.
//! - `meta`: `format_version` -> `u64`; written as [`FORMAT_VERSION`] when the file is created. A
//!   file with a newer version is refused ([`StateError::NewerFormat`]) and never written.
//! - `schema_cache`: lower-cased `catalog.schema.table` -> [`CachedTable`].
//! - `runs`: run id -> the run's header (a [`RunRecord`] without its models). Ids from
//!   [`new_run_id`] sort by start time, so the newest run is the last key.
//! - `run_models`: `(run id, sequence)` -> [`ModelRun`]; one small entry per model build, so
//!   [`StateFile::record_model_run`] costs the same for the 1st and the 10 000th model.
//! - `model_latest`: model name -> [`LastModelRun`], kept up to date by `record_model_run`.
//! - `model_target_latest`: (model name, target) -> [`LastModelRun`], likewise, per target (a
//!   file without it — written before it existed — degrades to `model_latest`).
//! - `branches`: branch name -> [`Branch`].
//! - `watermarks`: model name -> [`Watermark`].
//!
//! # Locking and retry
//! While one `redb::Database` is open, no other handle — in this process or another — can open the
//! file. So every [`StateFile`] call opens the file, runs exactly one transaction and drops it.
//! Reads use a read-only open (readers share the file with each other; a file left unclean by a
//! crash is repaired by a read-write open instead). When the open fails with "already open", the
//! call retries with exponential backoff and jitter ([`RetryPolicy`], ~10 s by default) and then
//! returns [`StateError::Busy`]; long-lived readers such as the language server should keep their
//! last snapshot on `Busy`. Each write is one durable redb commit, so a crash (even `kill -9`) loses
//! at most the transaction in flight. Errors never rewrite or delete the file.
//!
//! Polling alone lets a process that writes in a tight loop starve a reader, so each open first
//! takes a turn: an exclusive lock on the sidecar `.rocky-state.redb.lock` (see
//! [`lock_file_path`]), held only until the redb open succeeds. The sidecar is an empty file that
//! may be deleted whenever no Rocky process is running.
//!
//! Where the file lives is decided by [`locate_state_file`].

mod branch_name;
mod branches;
mod error;
mod locate;
mod records;
mod retry;
mod run_id;
mod runs;
mod schema_cache;
mod state_file;
mod store;
mod turnstile;
mod warehouse_catalog;
mod watermarks;

pub use branch_name::{branch_schema_prefix, validate_branch_name, MAX_BRANCH_NAME_LEN};
pub use error::{BranchNameError, StateError, CORRUPT_HINT};
pub use locate::{locate_state_file, LocateRequest, Located, StateOrigin, STATE_FILE_NAME};
pub use records::{
    Branch, BuiltTarget, CachedColumn, CachedFunction, CachedOverload, CachedTable, CachedType, LastModelRun, ModelRun,
    ModelStatus, RunRecord, RunStatus, TestResult, TestStatus, Watermark, SHADOW_RUN_PREFIX,
};
pub use retry::RetryPolicy;
pub use run_id::new_run_id;
pub use runs::LATEST_RUN;
pub use state_file::StateFile;
pub use store::FORMAT_VERSION;
pub use turnstile::sidecar as lock_file_path;
