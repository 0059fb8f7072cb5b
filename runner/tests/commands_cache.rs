//! The schema cache never makes `rocky check` fail: a state file another process holds open (redb
//! locks the whole file) or a corrupt one degrades to "no cache" with one warning.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{project, rocky, state, CONFIG};
use rocky_state::{CachedColumn, CachedTable};

/// Set in the child process: the state file to hold open, and the marker to create once it is.
const HOLD_ENV: &str = "ROCKY_TEST_HOLD_STATE";

/// Not a test of its own: the child process of [`a_busy_state_file_does_not_fail_check`] (run with
/// `--ignored` and [`HOLD_ENV`] set) opens the redb file, signals, and keeps it open a few seconds.
#[test]
#[ignore = "helper process of a_busy_state_file_does_not_fail_check"]
fn hold_state_file_when_asked() {
    let Ok(path) = std::env::var(HOLD_ENV) else { return };
    let db = redb::Database::open(&path).expect("child opens the state file");
    std::fs::write(format!("{path}.held"), b"").unwrap();
    std::thread::sleep(Duration::from_secs(4));
    drop(db);
}

fn cached_project() -> tempfile::TempDir {
    let dir = project(&[("rocky.toml", CONFIG), ("models/people.sql", "select id, nmae from raw.people")]);
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    state(dir.path())
        .write_schemas(&[CachedTable {
            key: "db.raw.people".into(),
            columns: vec![
                CachedColumn { name: "id".into(), type_string: "INTEGER".into(), nullable: false },
                CachedColumn { name: "name".into(), type_string: "VARCHAR".into(), nullable: true },
            ],
            written_at_ms: now,
            built: None,
        }])
        .unwrap();
    dir
}

fn wait_for(marker: &Path) {
    for _ in 0..600 {
        if marker.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the child never opened the state file");
}

#[test]
fn a_busy_state_file_does_not_fail_check() {
    let dir = cached_project();
    let path = dir.path().join("models/.rocky-state.redb");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "hold_state_file_when_asked", "--nocapture", "--test-threads=1"])
        .env(HOLD_ENV, &path)
        .spawn()
        .expect("spawn the holder");
    wait_for(&path.with_extension("redb.held"));

    let out = rocky(&["check"], dir.path());
    child.wait().unwrap();
    assert_eq!(out.code, 0, "a busy cache is not an error: {}", out.all());
    let warnings: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{}", out.all());
    assert!(warnings[0].contains("schema cache") && warnings[0].contains("busy"), "{}", out.all());
    assert!(out.stdout.contains("W110"), "checked without the cache: {}", out.all());

    // Once the other process is gone, the cache types the source again.
    let out = rocky(&["check"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("E102"), "{}", out.all());
}

#[test]
fn a_corrupt_state_file_does_not_fail_check() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/people.sql", "select id from raw.people")]);
    let path = dir.path().join("models/.rocky-state.redb");
    std::fs::write(&path, b"this is not a redb file at all, just text").unwrap();
    let out = rocky(&["check"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stderr.contains("warning: cannot read the schema cache"), "{}", out.all());
    assert_eq!(std::fs::read(&path).unwrap(), b"this is not a redb file at all, just text", "left untouched");
    // Commands that need the state file say what to do.
    let out = rocky(&["state"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("move the file away"), "{}", out.all());
}

#[test]
fn check_says_a_source_older_than_the_ttl_is_stale_not_missing() {
    let dir = cached_project(); // written just now
    let out = rocky(&["--cache-ttl", "0", "check"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    let w110 = out.stdout.lines().find(|l| l.contains("W110")).unwrap_or_else(|| panic!("{}", out.all()));
    assert!(w110.contains("source `db.raw.people` was cached at "), "{}", out.all());
    assert!(w110.contains("longer ago than the schema-cache TTL (0 s)"), "{}", out.all());
    assert!(!out.stdout.contains("not in the schema cache"), "{}", out.all());
    assert!(out.stdout.contains("rocky discover --with-schemas"), "the hint says how to refresh: {}", out.all());
}
