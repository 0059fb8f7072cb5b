//! Shared by the `postgres_*` tests: the real PostgreSQL server named by `ROCKY_TEST_PG_*`
//! (`scripts/pg-cluster.sh start DIR` starts one; `scripts/test.sh` does for the suite), a fresh
//! database per test (so tests run in parallel), projects pointing at it, the real `rocky` binary.
#![allow(dead_code)] // each test file uses a different subset

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

#[path = "../run_support/mod.rs"]
mod run_support;
/// stdout + stderr for assertion messages, and fixture copies: as the DuckDB run tests have them.
#[allow(unused_imports)] // not every test file copies fixtures
pub use run_support::{fixture_copy, text};

/// How to reach the test server.
#[derive(Clone, Debug)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
}

fn var(name: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!(
            "{name} is not set: these tests need a PostgreSQL server. Start one with \
             `scripts/pg-cluster.sh start /tmp/pg-test && . /tmp/pg-test/env` (or run scripts/test.sh)"
        )
    })
}

impl Server {
    /// From `ROCKY_TEST_PG_HOST`, `_PORT`, `_USER`, `_PASSWORD`; fails with a hint when missing.
    pub fn from_env() -> Server {
        let port = var("ROCKY_TEST_PG_PORT");
        Server {
            host: var("ROCKY_TEST_PG_HOST"),
            port: port.parse().unwrap_or_else(|_| panic!("ROCKY_TEST_PG_PORT={port} is not a port")),
            user: var("ROCKY_TEST_PG_USER"),
            password: var("ROCKY_TEST_PG_PASSWORD"),
        }
    }

    pub fn client(&self, dbname: &str) -> postgres::Client {
        self.config(dbname)
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to the test server {}:{}: {e}", self.host, self.port))
    }

    fn config(&self, dbname: &str) -> postgres::Config {
        let mut config = postgres::Config::new();
        config.host(&self.host).port(self.port).user(&self.user).password(&self.password).dbname(dbname);
        config
    }
}

/// A database created for one test and dropped (with its connections) afterwards.
pub struct TestDb {
    pub server: Server,
    pub name: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub fn create() -> TestDb {
        let server = Server::from_env();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let name = format!("rocky_t_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        server.client("postgres").batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        TestDb { server, name }
    }

    /// A connection to this database.
    pub fn client(&self) -> postgres::Client {
        self.server.client(&self.name)
    }

    /// Runs SQL in this database.
    pub fn sql(&self, batch: &str) {
        self.client().batch_execute(batch).unwrap_or_else(|e| panic!("{e}: {batch}"));
    }

    /// The first column of every row, as text.
    pub fn strings(&self, query: &str) -> Vec<String> {
        let rows = self.client().simple_query(query).unwrap_or_else(|e| panic!("{e}: {query}"));
        rows.iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).unwrap_or("NULL").to_string()),
                _ => None,
            })
            .collect()
    }

    /// One integer.
    pub fn int(&self, query: &str) -> i64 {
        let first = self.strings(query).into_iter().next().unwrap_or_else(|| panic!("no row: {query}"));
        first.parse().unwrap_or_else(|_| panic!("not an integer: {first}"))
    }

    /// rocky.toml connecting to this database with explicit keys (the password from the
    /// environment variable the tests set), plus `extra` lines in [adapter].
    pub fn config(&self, extra: &str) -> String {
        format!(
            "[adapter]\ntype = \"postgres\"\nhost = \"{}\"\nport = {}\ndbname = \"{}\"\nuser = \"{}\"\npassword_env = \"ROCKY_TEST_PG_PASSWORD\"\n{extra}\n\n[pipeline.p]\nmodels = \"models/**\"\n",
            self.server.host, self.server.port, self.name, self.server.user
        )
    }

    /// A project on this database with these files besides rocky.toml.
    pub fn project(&self, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rocky.toml"), self.config("")).unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = self.server.config("postgres").connect(postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// `rocky ARGS` in `dir`, with libpq's environment cleared so only the project's keys count.
pub fn rocky_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rocky"));
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1").stdin(Stdio::null());
    for v in ["PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGSSLMODE", "PGSSLROOTCERT", "PGPASSFILE"] {
        cmd.env_remove(v);
    }
    cmd
}

/// Runs `rocky ARGS` in `dir`.
pub fn rocky(dir: &Path, args: &[&str]) -> Output {
    rocky_cmd(dir, args).output().unwrap()
}

/// `rocky ARGS` in `dir` with libpq's environment pointing at `server` (no keys needed in
/// rocky.toml but the database).
pub fn rocky_with_pg_env(dir: &Path, args: &[&str], server: &Server) -> Output {
    rocky_cmd(dir, args)
        .env("PGHOST", &server.host)
        .env("PGPORT", server.port.to_string())
        .env("PGUSER", &server.user)
        .env("PGPASSWORD", &server.password)
        .output()
        .unwrap()
}

/// `rocky run --json ARGS`: exit code and document.
pub fn run_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, Output) {
    let mut all = vec!["run", "--json"];
    all.extend_from_slice(args);
    let out = rocky(dir, &all);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", text(&out)));
    (out.status.code().unwrap_or(-1), doc, out)
}

/// The `status` of model `name` in a run document.
pub fn model_status(doc: &serde_json::Value, name: &str) -> String {
    doc["models"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == name))
        .map(|m| m["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| panic!("no model {name} in {doc}"))
}

/// The state file of a project whose models are in `models/`.
pub fn state(dir: &Path) -> rocky_state::StateFile {
    rocky_state::StateFile::new(dir.join("models/.rocky-state.redb"))
}
