//! Shared by the `spark_*` tests: the real Spark Connect server named by `ROCKY_TEST_SPARK_URL`
//! (`scripts/spark-server.sh start DIR` starts one; `scripts/test.sh` does for the suite), schemas
//! (databases) of their own per test, projects pointing at the server, the real `rocky` binary.
#![allow(dead_code)] // each test file uses a different subset

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use rocky_spark_connect::{SparkSession, Table};

#[path = "../run_support/mod.rs"]
mod run_support;
#[allow(unused_imports)]
pub use run_support::{fixture_copy, run_json, state, text};

/// The test server's URL; fails with a hint when missing.
pub fn url() -> String {
    std::env::var("ROCKY_TEST_SPARK_URL").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!(
            "ROCKY_TEST_SPARK_URL is not set: these tests need a Spark Connect server. Start one with \
             `scripts/spark-server.sh start /tmp/spark-test && . /tmp/spark-test/env` (or run scripts/test.sh)"
        )
    })
}

/// A session on the test server for setting up and checking, with its own runtime.
pub struct Spark {
    runtime: tokio::runtime::Runtime,
    session: SparkSession,
    /// Every schema this test uses starts with it (Spark names: letters, digits, `_`).
    pub prefix: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl Spark {
    /// A session and a fresh schema prefix for one test.
    pub fn create() -> Spark {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let url = url();
        let session = runtime
            .block_on(SparkSession::connect(&url, None))
            .unwrap_or_else(|e| panic!("cannot connect to the test server {url}: {e}"));
        let prefix = format!("t{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        Spark { runtime, session, prefix }
    }

    /// This test's name for schema `name`.
    pub fn schema(&self, name: &str) -> String {
        format!("{}_{name}", self.prefix)
    }

    /// Runs one statement, in a session of its own: a session caches the files of the tables
    /// it read, which Rocky's swaps (in its own session) replace.
    pub fn sql(&self, sql: &str) -> Table {
        self.runtime.block_on(self.session.new_session().sql(sql)).unwrap_or_else(|e| panic!("{e}: {sql}"))
    }

    /// The first column of every row, as text.
    pub fn strings(&self, query: &str) -> Vec<String> {
        self.sql(query).rows.into_iter().map(|r| r[0].clone().unwrap_or_else(|| "NULL".into())).collect()
    }

    pub fn int(&self, query: &str) -> i64 {
        let first = self.strings(query).into_iter().next().unwrap_or_else(|| panic!("no row: {query}"));
        first.parse().unwrap_or_else(|_| panic!("not an integer: {first}"))
    }

    /// The tables and views of one of this test's schemas.
    pub fn tables(&self, schema: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .sql(&format!("SHOW TABLES IN {}", self.schema(schema)))
            .rows
            .into_iter()
            .filter_map(|r| r[1].clone())
            .collect();
        names.sort();
        names
    }

    /// rocky.toml on the test server, with `extra` lines in [adapter].
    pub fn config(&self, extra: &str) -> String {
        format!("[adapter]\ntype = \"spark\"\nurl = \"{}\"\n{extra}\n\n[pipeline.p]\nmodels = \"models/**\"\n", url())
    }

    /// A project on the server with these files besides rocky.toml; `{p}` in a file stands for
    /// this test's schema prefix.
    pub fn project(&self, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rocky.toml"), self.config("")).unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text.replace("{p}", &self.prefix)).unwrap();
        }
        dir
    }
}

/// Drops every schema of the test (its prefix), with what is in them.
impl Drop for Spark {
    fn drop(&mut self) {
        let Ok(list) = self.runtime.block_on(self.session.sql("SHOW NAMESPACES")) else { return };
        for row in list.rows {
            let Some(name) = row.into_iter().next().flatten() else { continue };
            let ours = name.starts_with(&format!("{}_", self.prefix))
                || name.starts_with("branch__") && name.contains(&format!("__{}_", self.prefix));
            if ours {
                let _ = self.runtime.block_on(self.session.sql(&format!("DROP DATABASE IF EXISTS `{name}` CASCADE")));
            }
        }
    }
}

/// `rocky ARGS` in `dir`, without a `SPARK_REMOTE` from the caller's environment.
pub fn rocky_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rocky"));
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1").env_remove("SPARK_REMOTE").stdin(Stdio::null());
    cmd
}

pub fn rocky(dir: &Path, args: &[&str]) -> Output {
    rocky_cmd(dir, args).output().unwrap()
}

/// A model's entry in `rocky run --json`'s document.
pub fn model<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["models"]
        .as_array()
        .and_then(|models| models.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no model {name} in {doc}"))
}
