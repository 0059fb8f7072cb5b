//! Fair turns at the state file between processes.
//!
//! redb's file lock cannot be waited on, only polled, and a process that writes in a tight loop
//! (open, commit, close, open, ...) frees the file for microseconds at a time: a polling reader can
//! starve. So every open first takes a turn: an exclusive lock on a sidecar file
//! (`<state file>.lock`), held only while polling for the redb open. A waiter holds the turn, so
//! the looping writer cannot reopen the file before the waiter got it. Where the sidecar cannot be
//! created (read-only folder) or locked (unsupported file system), calls proceed without turns.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::retry::Backoff;

/// A held turn; released when dropped.
pub(crate) struct Turn {
    _file: Option<File>,
}

/// Wait (per `backoff`) for the turn at `state_path`; `None` when the policy's time ran out.
pub(crate) fn take_turn(state_path: &Path, backoff: &mut Backoff) -> Option<Turn> {
    let Ok(file) = OpenOptions::new().create(true).truncate(false).write(true).open(sidecar(state_path)) else {
        return Some(Turn { _file: None });
    };
    loop {
        match file.try_lock() {
            Ok(()) => return Some(Turn { _file: Some(file) }),
            Err(TryLockError::WouldBlock) => {
                if !backoff.wait() {
                    return None;
                }
            }
            Err(TryLockError::Error(_)) => return Some(Turn { _file: None }),
        }
    }
}

/// `.rocky-state.redb` -> `.rocky-state.redb.lock`.
pub fn sidecar(state_path: &Path) -> PathBuf {
    let mut name = state_path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    state_path.with_file_name(name)
}
