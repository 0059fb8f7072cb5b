//! Helpers shared by the `commands_*` tests: run the real `rocky` binary, write project folders,
//! fill real DuckDB files and real state files.
#![allow(dead_code)] // each test file uses a different subset

use std::path::Path;
use std::process::{Command, Stdio};

use rocky_state::{RunRecord, RunStatus, StateFile};

/// What one `rocky` invocation did.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// stdout and stderr together, for assertion messages.
    pub fn all(&self) -> String {
        format!("exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }

    /// Asserts that stdout contains every needle.
    pub fn assert_stdout_has(&self, needles: &[&str]) {
        for needle in needles {
            assert!(self.stdout.contains(needle), "missing {needle:?}: {}", self.all());
        }
    }

    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.all()))
    }
}

/// Runs `rocky ARGS` in `cwd` with no terminal on stdin.
pub fn rocky(args: &[&str], cwd: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .stdin(Stdio::null())
        .output()
        .expect("rocky runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary project folder with these text files.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    project_bytes(files.iter().map(|(path, text)| (*path, text.as_bytes())))
}

/// A temporary project folder with these files, as bytes (tests of invalid UTF-8).
pub fn project_bytes<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    dir
}

/// rocky.toml of a project whose warehouse is `db.duckdb` (catalog `db`).
pub const CONFIG: &str = "[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n";

/// Runs SQL on the project's DuckDB file (`db.duckdb`), then closes it.
pub fn duck(dir: &Path, sql: &str) {
    let conn = duckdb::Connection::open(dir.join("db.duckdb")).expect("open duckdb");
    conn.execute_batch(sql).expect("sql runs");
}

/// The state file of a project whose models are in `models/`.
pub fn state(dir: &Path) -> StateFile {
    StateFile::new(dir.join("models").join(".rocky-state.redb"))
}

/// A project over one source `raw.people` (id, name) and a model `people` reading it.
pub fn people_project() -> tempfile::TempDir {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/people.sql", "select id, name from raw.people"),
        ("models/shout.sql", "select id, upper(name) as loud from people where id > 0"),
    ]);
    duck(
        dir.path(),
        "CREATE SCHEMA raw; CREATE TABLE raw.people (id INTEGER NOT NULL, name VARCHAR); \
         INSERT INTO raw.people VALUES (1, 'ada'), (2, 'alan');",
    );
    dir
}

/// A run that has just started (no models, no end).
pub fn started_run(started_at_ms: u64, trigger: &str, branch: Option<&str>) -> RunRecord {
    RunRecord {
        id: rocky_state::new_run_id(started_at_ms),
        started_at_ms,
        finished_at_ms: None,
        status: RunStatus::Running,
        trigger: trigger.into(),
        branch: branch.map(str::to_string),
        models: Vec::new(),
    }
}
