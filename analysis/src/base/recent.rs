//! A few recently computed values that are too big to memoize for every model (syntax trees),
//! shared by every handle of one database.
//!
//! Salsa's own LRU only evicts at the next revision, so within one whole-project check it would
//! keep every tree. This cache holds at most [`RECENT_CAPACITY`] values at any time. It is only a
//! cache of a pure function: a value is found only under its full key (the model, the exact text
//! and how it was read), and the caller reads those through tracked inputs first, so salsa's
//! dependency tracking stays exact.

use std::any::Any;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::ModelFile;

/// How many values are kept: enough for a model and the chain of upstream models being inferred
/// on every thread at once.
const RECENT_CAPACITY: usize = 64;

/// What a value was computed from: a model's path and text, read one way (e.g. a dialect).
pub struct RecentKey<'a> {
    pub file: ModelFile,
    pub reading: &'static str,
    pub path: &'a str,
    pub text: &'a str,
}

struct Stored {
    file: ModelFile,
    reading: &'static str,
    path: Box<str>,
    text: Box<str>,
    value: Arc<dyn Any + Send + Sync>,
}

impl Stored {
    fn is(&self, key: &RecentKey<'_>) -> bool {
        self.file == key.file && self.reading == key.reading && *self.path == *key.path && *self.text == *key.text
    }
}

/// Most recently used first.
#[derive(Default)]
pub struct RecentValues {
    entries: Mutex<VecDeque<Stored>>,
}

impl RecentValues {
    /// The value for `key`, computing (outside the lock) and keeping it when it is not here.
    pub fn get_or_insert<T: Any + Send + Sync>(&self, key: RecentKey<'_>, compute: impl FnOnce() -> Arc<T>) -> Arc<T> {
        {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = entries.iter().position(|s| s.is(&key)) {
                if let Some(entry) = entries.remove(i) {
                    let found = entry.value.clone().downcast::<T>().ok();
                    entries.push_front(entry);
                    if let Some(found) = found {
                        return found;
                    }
                }
            }
        }
        let value = compute();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (file, reading, path, text) = (key.file, key.reading, key.path.into(), key.text.into());
        entries.push_front(Stored { file, reading, path, text, value: value.clone() });
        entries.truncate(RECENT_CAPACITY);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::RootDatabase;

    #[test]
    fn values_are_found_under_their_full_key_and_the_oldest_go_first() {
        let db = RootDatabase::default();
        let file = ModelFile::new(&db, "models/a.sql".to_string(), String::new(), None, false);
        let recent = RecentValues::default();
        let computed = std::cell::Cell::new(0);
        let get = |path: &str, text: &str| {
            recent.get_or_insert(RecentKey { file, reading: "DuckDB", path, text }, || {
                computed.set(computed.get() + 1);
                Arc::new(text.len())
            })
        };
        let first = get("models/a.sql", "select 1");
        assert!(Arc::ptr_eq(&first, &get("models/a.sql", "select 1")), "found again");
        assert_eq!(computed.get(), 1);
        get("models/a.sql", "select 12");
        get("models/b.sql", "select 1");
        assert_eq!(computed.get(), 3, "another text or path is another value");
        for i in 0..RECENT_CAPACITY {
            get("models/c.sql", &"x".repeat(i));
        }
        get("models/a.sql", "select 1");
        assert_eq!(computed.get(), 4 + RECENT_CAPACITY, "evicted after {RECENT_CAPACITY} newer values");
    }
}
