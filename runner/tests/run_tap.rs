//! The write tap (what a run describes lands in the schema cache, and `rocky check` uses it),
//! analysis/warehouse drift warnings, and a run killed mid-way.

mod run_support;

use run_support::*;

const DB: &str = "w.duckdb";
const TOML: &str = "[adapter]\ntype = \"duckdb\"\npath = \"w.duckdb\"\n\n[pipeline.p]\nmodels = \"models/**\"\n";

#[test]
fn a_run_caches_sources_and_targets_and_check_types_from_them() {
    let dir = project(&[("rocky.toml", TOML), ("models/people.sql", "select id, name from raw.people")]);
    let p = dir.path();
    sql(
        p,
        DB,
        "create schema raw; create table raw.people (id int not null, name varchar);
                create table raw.unread (x date);",
    );
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let cache = state(p).read_schema_cache().unwrap();
    let keys: Vec<&str> = cache.iter().map(|t| t.key.as_str()).collect();
    // One query per source schema: every table of `raw` is cached, read or not.
    assert_eq!(keys, vec!["w.main.people", "w.raw.people", "w.raw.unread"]);
    let people = cache.iter().find(|t| t.key == "w.raw.people").unwrap();
    assert_eq!(people.columns[0].name, "id");
    assert_eq!(people.columns[0].type_string, "INTEGER");
    assert!(!people.columns[0].nullable);

    // A new model reading a source: `rocky check` (no warehouse access) types it from the cache.
    std::fs::write(p.join("models/typo.sql"), "select nmae from raw.people").unwrap();
    let out = rocky(p, &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stdout.contains("error[E102]"), "{stdout}");
    assert!(!stdout.contains("W110"), "{stdout}");
}

#[test]
fn the_cache_is_not_written_when_disabled() {
    let toml = format!("{TOML}\n[cache.schemas]\nenabled = false\n");
    let dir = project(&[("rocky.toml", &toml), ("models/people.sql", "select id from raw.people")]);
    sql(dir.path(), DB, "create schema raw; create table raw.people (id int);");
    let (code, _, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert!(state(dir.path()).read_schema_cache().unwrap().is_empty());
}

#[test]
fn drift_between_the_analysis_and_the_built_table_is_a_warning() {
    // An incremental table created with an INTEGER column keeps it when the model later says
    // BIGINT: appending does not change the table's type, so the two disagree.
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/inc.sql", "select id, cast(v as integer) as v from raw.t"),
        ("models/inc.toml", "[strategy]\ntype = \"incremental\"\ntimestamp_column = \"id\"\n"),
    ]);
    let p = dir.path();
    sql(p, DB, "create schema raw; create table raw.t (id int, v int); insert into raw.t values (1, 1);");
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert!(doc["models"][0]["drift"].as_array().unwrap().is_empty(), "{doc:#}");
    std::fs::write(p.join("models/inc.sql"), "select id, cast(v as bigint) as v from raw.t").unwrap();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["models"][0]["drift"][0], "column v inferred BIGINT, warehouse says INTEGER");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: inc: analysis/warehouse drift: column v inferred BIGINT, warehouse says INTEGER"),
        "{stderr}"
    );
    assert!(doc["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("drift")));
}

#[test]
fn nullability_drift_is_reported_only_where_the_warehouse_can_tell() {
    // A table model over a NOT NULL source column and a constant: DuckDB's CTAS reports every
    // column as nullable, which is not drift.
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/plain.sql", "select id, 1 as one, coalesce(v, 0) as v from raw.t"),
        ("models/inc.sql", "select id, v from raw.t"),
        ("models/inc.toml", "[strategy]\ntype = \"incremental\"\ntimestamp_column = \"id\"\n"),
    ]);
    let p = dir.path();
    sql(p, DB, "create schema raw; create table raw.t (id int not null, v int); insert into raw.t values (1, null);");
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    for m in doc["models"].as_array().unwrap() {
        assert!(m["drift"].as_array().unwrap().is_empty(), "no drift after a first build: {m}");
    }
    // The incremental table keeps its NULL when the model now says v is never NULL: the
    // inference no longer matches the built table.
    std::fs::write(p.join("models/inc.sql"), "select id, coalesce(v, 0) as v from raw.t").unwrap();
    sql(p, DB, "insert into raw.t values (2, 5);");
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let inc = doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "inc").unwrap();
    assert_eq!(inc["mode"], "append", "{inc}");
    assert_eq!(inc["drift"], serde_json::json!(["column v inferred NOT NULL, but the built table holds NULLs in it"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: inc: analysis/warehouse drift: column v inferred NOT NULL, but the built table holds NULLs in it"
        ),
        "{stderr}"
    );
}

#[test]
fn a_not_null_constraint_on_a_nullable_inferred_column_is_drift() {
    // The incremental target exists with constraints Rocky did not create: appending keeps them.
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/inc.sql", "select id, v from raw.t"),
        ("models/inc.toml", "[strategy]\ntype = \"incremental\"\ntimestamp_column = \"id\"\n"),
    ]);
    let p = dir.path();
    sql(
        p,
        DB,
        "create schema raw; create table raw.t (id int not null, v int); insert into raw.t values (1, 7); \
         create table main.inc (id int not null, v int not null); insert into main.inc values (0, 0);",
    );
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["models"][0]["mode"], "append", "{doc:#}");
    assert_eq!(doc["models"][0]["drift"], serde_json::json!(["column v inferred nullable, warehouse says NOT NULL"]));
}

/// Two fast models, then one that takes minutes (the tests stop it long before it ends).
fn slow_project() -> tempfile::TempDir {
    project(&[
        ("rocky.toml", TOML),
        ("models/a_fast.sql", "select 1 as x"),
        ("models/b_fast.sql", "select x from a_fast"),
        ("models/c_slow.sql", "select sum(a.range * b.range) as s from range(300000) a, range(300000) b, b_fast"),
        ("models/d_after.sql", "select s from c_slow"),
    ])
}

#[test]
fn a_run_killed_mid_way_leaves_a_readable_history() {
    let dir = slow_project();
    let p = dir.path();
    let mut child = spawn_run_until_recorded(p, &["--concurrency", "1"], 2);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let runs = state(p).runs(10).unwrap();
    assert_eq!(runs.len(), 1);
    assert!(runs[0].did_not_finish());
    let names: Vec<&str> = runs[0].models.iter().map(|m| m.model.as_str()).collect();
    assert_eq!(names, vec!["a_fast", "b_fast"]);
    assert!(runs[0].models.iter().all(|m| m.status == rocky_state::ModelStatus::Succeeded));
    // The warehouse file is intact too: a new run over it works.
    std::fs::write(p.join("models/c_slow.sql"), "select x as s from b_fast").unwrap();
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
}

#[test]
fn ctrl_c_cancels_the_run_and_records_it_as_interrupted() {
    let dir = slow_project();
    let p = dir.path();
    let child = spawn_run_until_recorded(p, &["--concurrency", "1", "--json"], 2);
    // Let the slow model start, then send SIGINT as a terminal's Ctrl-C would.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "interrupted");
    let status_of = |name: &str| {
        doc["models"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status_of("a_fast"), "succeeded");
    assert_eq!(status_of("c_slow"), "failed");
    assert_eq!(status_of("d_after"), "skipped");
    let run = state(p).runs(1).unwrap().remove(0);
    assert_eq!(run.status, rocky_state::RunStatus::Interrupted);
    assert!(run.finished_at_ms.is_some());
}
