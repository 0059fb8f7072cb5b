//! Shared by the `rocky run` integration tests: fixture projects copied into temp dirs, seeded
//! DuckDB files, the real `rocky` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `fixtures/<name>` in a fresh temp dir (the project is the temp dir itself).
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join(name), dir.path());
    // A state file is never part of a fixture, but be sure.
    let _ = std::fs::remove_file(dir.path().join("models/.rocky-state.redb"));
    dir
}

#[path = "../common/mod.rs"]
mod common;

/// A project from `(relative path, text)` files.
#[allow(unused_imports)] // not every test file builds projects from strings
pub use common::project;

/// Runs a batch of SQL on the project's DuckDB file.
pub fn sql(dir: &Path, db: &str, batch: &str) {
    let conn = duckdb::Connection::open(dir.join(db)).unwrap();
    conn.execute_batch(batch).unwrap();
}

/// Loads the project's `data/seed.sql` into `db`.
pub fn seed(dir: &Path, db: &str) {
    let text = std::fs::read_to_string(dir.join("data/seed.sql")).unwrap();
    sql(dir, db, &text);
}

/// One integer from a query on the project's DuckDB file.
pub fn int(dir: &Path, db: &str, query: &str) -> i64 {
    let conn = duckdb::Connection::open(dir.join(db)).unwrap();
    conn.query_row(query, [], |r| r.get(0)).unwrap()
}

/// Strings of the first column.
pub fn strings(dir: &Path, db: &str, query: &str) -> Vec<String> {
    let conn = duckdb::Connection::open(dir.join(db)).unwrap();
    let mut stmt = conn.prepare(query).unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// Runs the real `rocky` binary in `dir`.
pub fn rocky(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rocky")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

/// stdout + stderr, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `rocky run --json ARGS` and parses the document.
pub fn run_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, Output) {
    let mut all = vec!["run", "--json"];
    all.extend_from_slice(args);
    let out = rocky(dir, &all);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", text(&out)));
    (out.status.code().unwrap_or(-1), doc, out)
}

/// The state file of a project whose models folder is `models/`.
pub fn state(dir: &Path) -> rocky_state::StateFile {
    rocky_state::StateFile::new(dir.join("models/.rocky-state.redb"))
}

/// Starts `rocky run ARGS` in `dir` and waits until the latest run in the state file has
/// `models` model records (the process must still be running then).
pub fn spawn_run_until_recorded(dir: &Path, args: &[&str], models: usize) -> std::process::Child {
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .current_dir(dir)
        .arg("run")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let file = state(dir).with_retry(rocky_state::RetryPolicy::with_total_wait(Duration::from_secs(5)));
    loop {
        assert!(Instant::now() < deadline, "the first {models} models were never recorded");
        let runs = if file.exists() { file.runs(1).unwrap_or_default() } else { Vec::new() };
        if runs.first().is_some_and(|r| r.models.len() == models) {
            return child;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended early: {}",
            text(&child.wait_with_output().unwrap())
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
