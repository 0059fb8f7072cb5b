//! What goes wrong against a real PostgreSQL server: Ctrl-C while the server runs a model (the
//! statement is cancelled on the server), a connection the server kills mid-run, a statement
//! timeout. Each is a clear error, the run is recorded, and nothing half-built is left behind.

mod pg_support;

use std::time::{Duration, Instant};

use pg_support::*;

/// Sources: `raw.fast` and `raw.slow`, a view whose every read sleeps `seconds` on the server.
fn sources(db: &TestDb, seconds: u32) {
    db.sql(&format!(
        "CREATE SCHEMA raw; CREATE TABLE raw.fast AS SELECT 1 AS id;
         CREATE VIEW raw.slow AS SELECT pg_sleep({seconds})::text AS s, 1 AS id;"
    ));
}

/// Rocky's statements reading `raw.slow` that the server is running now.
fn running_slow(db: &TestDb) -> i64 {
    db.int(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'rocky' AND state = 'active' \
         AND query LIKE '%raw.slow%' AND datname = current_database()",
    )
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_cancels_the_running_statement_on_the_server() {
    ctrl_c_cancels(&[]);
}

/// One connection: the plan is built on a thread of its own, the run's task only waits for
/// Ctrl-C and reports.
#[test]
fn ctrl_c_cancels_the_running_statement_of_a_serial_run() {
    ctrl_c_cancels(&["--concurrency", "1"]);
}

fn ctrl_c_cancels(args: &[&str]) {
    let db = TestDb::create();
    sources(&db, 120);
    let dir =
        db.project(&[("models/sleepy.sql", "select id from raw.slow"), ("models/after.sql", "select id from sleepy")]);
    let child = rocky_cmd(dir.path(), &[&["run", "--json"], args].concat())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the model's statement on the server", || running_slow(&db) == 1);
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(20), "the run did not stop promptly");
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    wait_for("the statement to leave pg_stat_activity", || running_slow(&db) == 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "interrupted", "{doc}");
    assert_eq!(model_status(&doc, "sleepy"), "failed");
    assert_eq!(model_status(&doc, "after"), "skipped");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("interrupted: no more models start; cancelling 1 running model(s)"), "{stderr}");
    assert_eq!(db.int("SELECT count(*) FROM pg_class WHERE relname LIKE 'rocky\\_build\\_%' OR relname = 'sleepy'"), 0);
    let runs = state(dir.path()).runs(1).unwrap();
    assert_eq!(runs[0].status, rocky_state::RunStatus::Interrupted);
}

#[test]
fn a_connection_killed_mid_run_fails_that_model_and_the_run_goes_on() {
    let db = TestDb::create();
    sources(&db, 120);
    let dir = db.project(&[
        ("models/a_victim.sql", "select id from raw.slow"),
        ("models/a_victim_after.sql", "select id from a_victim"),
        ("models/b_bystander.sql", "select id from raw.fast"),
    ]);
    // One connection: the bystander is built after the kill, on a new connection.
    let child = rocky_cmd(dir.path(), &["run", "--json", "--concurrency", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the victim's statement on the server", || running_slow(&db) == 1);
    let killed = db.int(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'rocky' \
         AND state = 'active' AND query LIKE '%raw.slow%' AND datname = current_database()",
    );
    assert_eq!(killed, 1);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "partial: {}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(model_status(&doc, "a_victim"), "failed");
    assert_eq!(model_status(&doc, "a_victim_after"), "skipped");
    assert_eq!(model_status(&doc, "b_bystander"), "succeeded", "built on a fresh connection");
    let error =
        doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "a_victim").unwrap()["error"].to_string();
    assert!(error.contains("server closed the connection") && error.contains("nothing of it was written"), "{error}");
    assert_eq!(
        db.int("SELECT count(*) FROM pg_class WHERE relname LIKE 'rocky\\_build\\_%' OR relname = 'a_victim'"),
        0
    );
    let runs = state(dir.path()).runs(1).unwrap();
    assert_eq!(runs[0].status, rocky_state::RunStatus::Partial);
    assert!(runs[0]
        .models
        .iter()
        .any(|m| m.model == "a_victim" && m.error.as_deref().is_some_and(|e| e.contains("closed"))));
}

#[test]
fn a_statement_timeout_fails_the_model_with_what_to_raise() {
    let db = TestDb::create();
    sources(&db, 5);
    let dir = db.project(&[("models/sleepy.sql", "select id from raw.slow")]);
    std::fs::write(dir.path().join("rocky.toml"), db.config("statement_timeout = 1")).unwrap();
    let started = Instant::now();
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert!(started.elapsed() < Duration::from_secs(5), "the timeout did not apply");
    assert_eq!(code, 1, "{}", text(&out));
    let error = doc["models"][0]["error"].to_string();
    assert!(error.contains("statement timeout") && error.contains("raise `statement_timeout`"), "{error}");
    assert_eq!(state(dir.path()).runs(1).unwrap()[0].status, rocky_state::RunStatus::Failed);
}
