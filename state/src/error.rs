//! Errors of the state file. Every message says what happened and what to do.

use std::path::PathBuf;

/// Why a state-file call failed. The file is never rewritten or deleted on error.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Another process (or handle) kept the file open for longer than the retry policy waits.
    #[error("state file {path} is busy: another Rocky process has it open. {hint}")]
    Busy { path: PathBuf, hint: String },
    /// The file was written by a newer Rocky; it is left untouched.
    #[error(
        "state file {path} has format version {found}, but this Rocky supports only up to {supported}; \
         upgrade Rocky, or point --state-path at another file (the file was not changed)"
    )]
    NewerFormat { path: PathBuf, found: u64, supported: u64 },
    /// The file is not a readable redb state file; it is left untouched.
    #[error("state file {path} is unreadable ({detail}); {hint}")]
    Corrupt { path: PathBuf, detail: String, hint: String },
    /// A file-system error (permissions, disk full, ...).
    #[error("state file {path}: {source}; check that the path is writable and the disk has space")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `create_branch` with a name that already exists.
    #[error("branch `{name}` already exists; pick another name or delete it first (`rocky branch delete {name}`)")]
    BranchExists { name: String },
    /// `record_model_run` / `finish_run` for a run id that `start_run` never recorded.
    #[error("run `{id}` is not in the state file; start it with start_run first (`rocky history` lists runs)")]
    UnknownRun { id: String },
    /// `start_run` with an id that is already recorded.
    #[error("run `{id}` is already recorded; use new_run_id() for a fresh id")]
    RunExists { id: String },
    /// A branch name that is not allowed.
    #[error(transparent)]
    InvalidBranchName(#[from] BranchNameError),
    /// Any other redb failure (storage, transaction, commit).
    #[error("state file {path}: {detail}; retry, and if it persists move the file away (Rocky rebuilds the schema cache on the next run)")]
    Database { path: PathBuf, detail: String },
}

/// The hint given with [`StateError::Corrupt`].
pub const CORRUPT_HINT: &str = "move the file away; Rocky rebuilds the schema cache on the next run";

/// Why a branch name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BranchNameError {
    #[error("branch name is empty; use 1-64 characters of letters, digits, `.`, `_` or `-`")]
    Empty,
    #[error("branch name is {len} characters long; the limit is {max}")]
    TooLong { len: usize, max: usize },
    #[error(
        "branch name `{name}` has {ch:?} at position {position}; use only letters, digits, `.`, `_` or `-` \
         (e.g. `fix-price`)"
    )]
    BadCharacter { name: String, ch: char, position: usize },
}
