//! What goes wrong against a real Spark Connect server: Ctrl-C while Spark runs a model (the
//! operation is interrupted on the server), a server that is not there, a token variable that
//! is not set, a token written into rocky.toml, files an aborted write left where a new table
//! goes.

mod spark_support;

use std::time::{Duration, Instant};

use spark_support::*;

/// Rows enough to keep two cores busy for minutes.
const ENDLESS: &str = "SELECT id FROM range(0, 100000000000, 1, 2)";

#[test]
fn ctrl_c_interrupts_the_running_operation_on_the_server() {
    let spark = Spark::create();
    let raw = spark.schema("raw");
    spark.sql(&format!("CREATE DATABASE {raw}"));
    spark.sql(&format!("CREATE VIEW {raw}.endless AS {ENDLESS}"));
    let dir = spark.project(&[
        ("models/sleepy.sql", "select sum(id % 7) as s from {p}_raw.endless"),
        ("models/sleepy.toml", "[target]\nschema = '{p}_marts'\n"),
        ("models/after.sql", "select s from sleepy"),
        ("models/after.toml", "[target]\nschema = '{p}_marts'\n"),
    ]);
    let p = dir.path();
    let child = rocky_cmd(p, &["run", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The run is recorded before its first model starts; give the statement time to reach Spark.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !state(p).exists() || state(p).runs(1).unwrap_or_default().is_empty() {
        assert!(Instant::now() < deadline, "the run never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(3));
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(20), "the run did not stop promptly");
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "interrupted", "{doc}");
    assert_eq!(model(&doc, "sleepy")["status"], "failed");
    let error = model(&doc, "sleepy")["error"].as_str().unwrap_or_default().to_string();
    assert!(error.contains("interrupted") && error.contains("OPERATION_CANCELED"), "cancelled on the server: {error}");
    assert_eq!(model(&doc, "after")["status"], "skipped");
    assert!(spark.tables("marts").is_empty(), "nothing half-built is left: {:?}", spark.tables("marts"));
    assert_eq!(state(p).runs(1).unwrap()[0].status, rocky_state::RunStatus::Interrupted);
}

#[test]
fn a_server_that_is_not_there_says_to_check_the_url() {
    let spark = Spark::create();
    let dir = spark.project(&[("models/one.sql", "select 1 as x")]);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = spark.config("").replace(&url(), &format!("sc://127.0.0.1:{port}"));
    std::fs::write(dir.path().join("rocky.toml"), config).unwrap();
    let out = rocky(dir.path(), &["run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr.contains(&format!("127.0.0.1:{port}")) && stderr.contains("refused"), "{stderr}");
    assert!(stderr.contains("check the adapter's `url`"), "{stderr}");
    let out = rocky(dir.path(), &["discover"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn tokens_come_from_the_environment_never_from_rocky_toml() {
    let spark = Spark::create();
    let dir = spark.project(&[("models/one.sql", "select 1 as x")]);
    let p = dir.path();
    std::fs::write(p.join("rocky.toml"), spark.config("token_env = \"ROCKY_TEST_SPARK_TOKEN\"")).unwrap();
    let out = rocky_cmd(p, &["run", "--json"]).env_remove("ROCKY_TEST_SPARK_TOKEN").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "refused");
    let hint = doc["error"]["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("export ROCKY_TEST_SPARK_TOKEN="), "{doc}");

    let config = spark.config("").replace(&url(), &format!("{}/;token=secret", url()));
    std::fs::write(p.join("rocky.toml"), config).unwrap();
    let out = rocky(p, &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("a token must not be written in rocky.toml"), "{}", text(&out));
    assert!(stdout.contains("token_env"), "{stdout}");
}

/// A failed `CREATE TABLE … AS` can leave its aborted write's hidden files in the new table's
/// directory (Spark's tasks outlive the abort), and Spark refuses to create the table there
/// again. Rocky clears such a directory and builds; one holding data files it never touches.
#[test]
fn an_aborted_writes_leftovers_are_cleared_and_data_files_never_touched() {
    let spark = Spark::create();
    let marts = spark.schema("marts");
    spark.sql(&format!("CREATE DATABASE {marts}"));
    let described = spark.sql(&format!("DESCRIBE DATABASE EXTENDED {marts}"));
    let location = described
        .rows
        .iter()
        .find(|r| r[0].as_deref() == Some("Location"))
        .and_then(|r| r[1].clone())
        .unwrap_or_else(|| panic!("no Location in {:?}", described.rows));
    let schema_dir = std::path::PathBuf::from(location.strip_prefix("file:").unwrap_or(&location));
    let aborted = schema_dir.join("fresh/_temporary/0/_temporary/attempt_202612070000_0001_m_000000_1");
    std::fs::create_dir_all(&aborted).unwrap();
    std::fs::write(aborted.join("part-00000.snappy.parquet"), "written after the abort").unwrap();
    let data = schema_dir.join("guarded/part-00000.snappy.parquet");
    std::fs::create_dir_all(data.parent().unwrap()).unwrap();
    std::fs::write(&data, "someone's data").unwrap();
    let dir = spark.project(&[
        ("models/fresh.sql", "select 1 as n"),
        ("models/fresh.toml", "[target]\nschema = '{p}_marts'\n"),
        ("models/guarded.sql", "select 2 as n"),
        ("models/guarded.toml", "[target]\nschema = '{p}_marts'\n"),
    ]);
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 2, "partial: {}", text(&out));
    assert_eq!(model(&doc, "fresh")["status"], "succeeded", "{}", text(&out));
    assert_eq!(spark.int(&format!("SELECT n FROM {marts}.fresh")), 1);
    assert!(!schema_dir.join("fresh/_temporary").exists(), "the aborted write's files are gone");
    let error = model(&doc, "guarded")["error"].as_str().unwrap_or_default().to_string();
    assert!(error.contains("LOCATION_ALREADY_EXISTS") && error.contains("move or delete that directory"), "{error}");
    assert_eq!(std::fs::read_to_string(&data).unwrap(), "someone's data", "data files are never touched");
    assert_eq!(spark.tables("marts"), ["fresh"], "no helper table is left");
    let mut left: Vec<String> = std::fs::read_dir(&schema_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["fresh", "guarded"], "no helper directory is left");
}
