//! Files that are not ours (newer format, garbage bytes) are refused with a clear error and never
//! changed; a new file records the format version.

mod common;

use std::path::Path;

use common::{model_run, run, table};
use redb::{Database, ReadableDatabase, TableDefinition};
use rocky_state::{Branch, ModelStatus, RunStatus, StateError, StateFile, CORRUPT_HINT, FORMAT_VERSION};

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

fn stored_format_version(path: &Path) -> Option<u64> {
    let db = Database::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn.open_table(META).unwrap();
    let version = meta.get("format_version").unwrap().map(|v| v.value());
    version
}

/// Every call, reads and writes, against `s`; returns the errors.
fn every_call(s: &StateFile) -> Vec<StateError> {
    let branch = Branch {
        name: "b".to_string(),
        schema_prefix: "branch__b".to_string(),
        created_at_ms: 1,
        created_by: "t".to_string(),
    };
    vec![
        s.read_schema_cache().err(),
        s.write_schemas(&[table("a.b.c", &[], 1)]).err(),
        s.clear_schema_cache(true).err(),
        s.clear_schema_cache(false).err(),
        s.start_run(&run("r", 1)).err(),
        s.record_model_run("r", &model_run("m", 1, ModelStatus::Succeeded)).err(),
        s.finish_run("r", RunStatus::Succeeded, 2).err(),
        s.runs(5).err(),
        s.run("latest").err(),
        s.last_model_runs().err(),
        s.create_branch(&branch).err(),
        s.delete_branch("b").err(),
        s.branches().err(),
        s.branch("b").err(),
        s.watermark("m").err(),
        s.set_watermark("m", "1", 1).err(),
        s.watermarks().err(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn a_new_file_records_the_format_version() {
    let dir = tempfile::tempdir().unwrap();
    let s = StateFile::new(dir.path().join("s.redb"));
    s.set_watermark("m", "1", 1).unwrap();
    assert_eq!(stored_format_version(s.path()), Some(FORMAT_VERSION));
    assert_eq!(FORMAT_VERSION, 1);
}

#[test]
fn newer_format_is_refused_and_the_file_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.redb");
    {
        let db = Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(META).unwrap().insert("format_version", 2).unwrap();
        txn.commit().unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let s = StateFile::new(&path);
    let errors = every_call(&s);
    assert_eq!(errors.len(), 17, "every call is refused: {errors:?}");
    for e in &errors {
        assert!(matches!(e, StateError::NewerFormat { found: 2, supported: 1, .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains("upgrade Rocky") && msg.contains("s.redb"), "{msg}");
    }
    assert!(std::fs::read(&path).unwrap() == before, "file bytes unchanged");
}

#[test]
fn garbage_file_is_corrupt_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.redb");
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let s = StateFile::new(&path);
    let errors = every_call(&s);
    assert_eq!(errors.len(), 17, "every call is refused: {errors:?}");
    for e in &errors {
        assert!(matches!(e, StateError::Corrupt { hint, .. } if hint == CORRUPT_HINT), "{e:?}");
        assert!(e.to_string().contains("move the file away"), "{e}");
    }
    assert!(std::fs::read(&path).unwrap() == garbage, "file bytes unchanged");
}

#[test]
fn text_file_with_the_state_name_is_corrupt_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".rocky-state.redb");
    std::fs::write(&path, "[state]\npath = 'oops'\n").unwrap();
    let s = StateFile::new(&path);
    assert!(matches!(s.read_schema_cache(), Err(StateError::Corrupt { .. })));
    assert!(matches!(s.write_schemas(&[]), Err(StateError::Corrupt { .. })));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[state]\npath = 'oops'\n");
}

#[test]
fn empty_file_reads_as_empty_and_is_initialized_by_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.redb");
    std::fs::write(&path, b"").unwrap();
    let s = StateFile::new(&path);
    assert!(s.read_schema_cache().unwrap().is_empty());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "a read does not initialize it");
    s.write_schemas(&[table("a.b.c", &[("x", "INTEGER", true)], 1)]).unwrap();
    assert_eq!(s.read_schema_cache().unwrap().len(), 1);
}

#[test]
fn error_messages_say_what_to_do() {
    let busy = StateError::Busy { path: "/p/.rocky-state.redb".into(), hint: "try again".into() };
    assert!(busy.to_string().contains("/p/.rocky-state.redb") && busy.to_string().contains("try again"));
    let io = StateError::Io { path: "/p/s".into(), source: std::io::Error::other("disk full") };
    assert!(io.to_string().contains("disk full") && io.to_string().contains("writable"));
}
