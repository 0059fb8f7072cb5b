//! Incremental and merge models across runs, failures that skip dependents, missing sources,
//! projects with errors, and identifiers that need quoting.

mod run_support;

use run_support::*;

const DB: &str = "w.duckdb";
const TOML: &str = "[adapter]\ntype = \"duckdb\"\npath = \"w.duckdb\"\n\n[pipeline.p]\nmodels = \"models/**\"\n";

fn seeded(files: &[(&str, &str)], seed_sql: &str) -> tempfile::TempDir {
    let mut all = vec![("rocky.toml", TOML)];
    all.extend_from_slice(files);
    let dir = project(&all);
    sql(dir.path(), DB, seed_sql);
    dir
}

fn model<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["models"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap_or_else(|| panic!("{name} in {doc:#}"))
}

#[test]
fn incremental_models_append_only_rows_newer_than_the_stored_watermark() {
    let dir = seeded(
        &[
            ("models/events.sql", "select id, kind, ts from raw.events\n"),
            ("models/events.toml", "[strategy]\ntype = \"incremental\"\ntimestamp_column = \"ts\"\n"),
        ],
        "create schema raw; create table raw.events (id int, kind varchar, ts timestamp);
         insert into raw.events values (1, 'a', '2024-01-01 10:00'), (2, 'b', '2024-01-02 10:00'), (3, 'c', '2024-01-03 10:00');",
    );
    let p = dir.path();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(model(&doc, "events")["mode"], "full");
    assert_eq!(model(&doc, "events")["rows"], 3);
    assert_eq!(state(p).watermark("events").unwrap().unwrap().value, "2024-01-03 10:00:00");

    // Two newer rows and one older than the watermark: only the newer ones arrive.
    sql(p, DB, "insert into raw.events values (4, 'd', '2024-01-04 10:00'), (5, 'e', '2024-01-05 10:00'), (6, 'late', '2023-12-31 10:00');");
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(model(&doc, "events")["mode"], "append");
    assert_eq!(model(&doc, "events")["rows"], 2);
    assert_eq!(int(p, DB, "select count(*) from main.events"), 5);
    assert_eq!(int(p, DB, "select count(*) from main.events where kind = 'late'"), 0);
    assert_eq!(state(p).watermark("events").unwrap().unwrap().value, "2024-01-05 10:00:00");

    // Nothing new: nothing appended.
    let (_, doc, _) = run_json(p, &[]);
    assert_eq!(model(&doc, "events")["rows"], 0);
    assert_eq!(int(p, DB, "select count(*) from main.events"), 5);

    // --full-refresh rebuilds from the whole source.
    let (code, doc, _) = run_json(p, &["--full-refresh"]);
    assert_eq!(code, 0);
    assert_eq!(model(&doc, "events")["mode"], "full");
    assert_eq!(int(p, DB, "select count(*) from main.events"), 6);
}

#[test]
fn merge_models_upsert_on_the_unique_key() {
    let dir = seeded(
        &[
            ("models/dim_people.sql", "select id, name, city from raw.people"),
            (
                "models/dim_people.toml",
                "[strategy]\ntype = \"merge\"\nunique_key = [\"id\"]\nupdate_columns = [\"name\"]\n\n[target]\nschema = \"marts\"\n",
            ),
        ],
        "create schema raw; create table raw.people (id int, name varchar, city varchar);
         insert into raw.people values (1, 'Ada', 'London'), (2, 'Alan', 'Wilmslow'), (3, 'Grace', 'Arlington');",
    );
    let p = dir.path();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(model(&doc, "dim_people")["mode"], "full");
    assert_eq!(model(&doc, "dim_people")["target"], "w.marts.dim_people");

    // Row 2 renamed and moved, row 1 gone from the source, row 4 new.
    sql(
        p,
        DB,
        "update raw.people set name = 'Alan M. Turing', city = 'Manchester' where id = 2;
                delete from raw.people where id = 1; insert into raw.people values (4, 'Edsger', 'Austin');",
    );
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(model(&doc, "dim_people")["mode"], "upsert");
    assert_eq!(int(p, DB, "select count(*) from marts.dim_people"), 4, "merge keeps rows gone from the source");
    let rows = strings(p, DB, "select id || ':' || name || ':' || city from marts.dim_people order by id");
    assert_eq!(
        rows,
        vec!["1:Ada:London", "2:Alan M. Turing:Wilmslow", "3:Grace:Arlington", "4:Edsger:Austin"],
        "only update_columns change on a match"
    );
}

#[test]
fn a_failing_model_skips_its_dependents_and_the_rest_is_built() {
    let dir = seeded(
        &[
            ("models/bad.sql", "select cast(code as integer) as n from raw.codes"),
            ("models/after_bad.sql", "select n + 1 as m from bad"),
            ("models/after_after.sql", "select m from after_bad"),
            ("models/good.sql", "select code from raw.codes"),
        ],
        "create schema raw; create table raw.codes (code varchar); insert into raw.codes values ('1'), ('x');",
    );
    let p = dir.path();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "partial run: {}", text(&out));
    assert_eq!(doc["status"], "partial");
    assert_eq!(model(&doc, "bad")["status"], "failed");
    let error = model(&doc, "bad")["error"].as_str().unwrap();
    assert!(error.contains("Could not convert string 'x'"), "{error}");
    assert!(error.contains("while running: CREATE OR REPLACE TABLE \"w\".\"main\".\"bad\""), "{error}");
    assert_eq!(model(&doc, "after_bad")["status"], "skipped");
    assert_eq!(model(&doc, "after_after")["status"], "skipped");
    assert!(model(&doc, "after_after")["error"].as_str().unwrap().contains("`bad` failed"));
    assert_eq!(model(&doc, "good")["status"], "succeeded");
    assert_eq!(int(p, DB, "select count(*) from main.good"), 2);
    let run = state(p).runs(1).unwrap().remove(0);
    assert_eq!(run.status, rocky_state::RunStatus::Partial);
    assert_eq!(run.models.len(), 4);

    // Only the failing part selected: nothing built, exit 1.
    let (code, doc, _) = run_json(p, &["--models", "bad+"]);
    assert_eq!(code, 1);
    assert_eq!(doc["status"], "failed");
}

#[test]
fn a_missing_source_is_named_with_a_seed_hint() {
    let dir = seeded(
        &[
            ("models/reads_missing.sql", "select id from raw.not_there"),
            ("models/fine.sql", "select 1 as id"),
            ("data/seed.sql", "select 1;"),
        ],
        "select 1;",
    );
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 2, "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "source `w.raw.not_there` does not exist in the warehouse; load the example data with `rocky seed`"
        ),
        "{stderr}"
    );
    assert_eq!(model(&doc, "reads_missing")["error"], "source `w.raw.not_there` does not exist in the warehouse");
}

#[test]
fn a_project_with_errors_is_not_run() {
    let dir = seeded(
        &[("models/typo.sql", "select nmae from raw.people"), ("models/ok.sql", "select 1 as x")],
        "create schema raw; create table raw.people (id int, name varchar);",
    );
    let out = rocky(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E102]"), "the check saw the real source schema: {stderr}");
    assert!(stderr.contains("did you mean `name`?"), "{stderr}");
    assert!(stderr.contains("nothing was built"), "{stderr}");
    assert_eq!(int(dir.path(), DB, "select count(*) from duckdb_tables() where table_name = 'ok'"), 0);

    // `--json` still prints a document: refused, with the errors as `rocky check` reports them.
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 1, "{}", text(&out));
    assert_eq!(doc["status"], "refused", "{doc:#}");
    assert_eq!(doc["run_id"], serde_json::Value::Null);
    assert_eq!(doc["models"], serde_json::json!([]));
    assert_eq!(doc["error"]["message"], "the project has 1 error(s); nothing was built");
    assert_eq!(doc["error"]["exit_code"], 1);
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{doc:#}");
    let d = &diagnostics[0];
    assert_eq!((d["code"].as_str(), d["file"].as_str()), (Some("E102"), Some("models/typo.sql")));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64(), d["end_column"].as_u64()), (Some(1), Some(8), Some(12)));
    assert_eq!(d["hint"], "did you mean `name`?");
}

#[test]
fn errors_in_models_a_selection_neither_builds_nor_reads_do_not_stop_it() {
    let dir = seeded(
        &[
            ("models/typo.sql", "select nmae from raw.people"),
            ("models/ok.sql", "select 1 as x"),
            ("models/reads_typo.sql", "select * from typo"),
        ],
        "create schema raw; create table raw.people (id int, name varchar);",
    );
    let p = dir.path();
    // The whole project is refused; that run also cached raw.people, so the typo is known below.
    assert_eq!(rocky(p, &["run"]).status.code(), Some(1));
    let out = rocky(p, &["run", "--models", "ok"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: 1 error(s) in models this run neither builds nor reads"), "{stderr}");
    assert_eq!(int(p, DB, "select count(*) from main.ok"), 1);
    // A selected model that reads the broken one is refused: the error is upstream of it.
    let (code, doc, out) = run_json(p, &["--models", "reads_typo"]);
    assert_eq!(code, 1, "{}", text(&out));
    assert_eq!(doc["status"], "refused", "{doc:#}");
    assert_eq!(doc["diagnostics"][0]["file"], "models/typo.sql");
}

#[test]
fn a_refused_selection_still_prints_a_json_document() {
    let dir = seeded(&[("models/ok.sql", "select 1 as x")], "select 1;");
    let (code, doc, out) = run_json(dir.path(), &["--models", "nope", "--shadow"]);
    assert_eq!(code, 2, "{}", text(&out));
    assert_eq!(doc["status"], "refused", "{doc:#}");
    assert_eq!(doc["shadow_schema"], "rocky_shadow");
    assert!(doc["error"]["message"].as_str().is_some_and(|m| m.contains("nope")), "{doc:#}");
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: "), "{}", text(&out));
}

#[test]
fn identifiers_with_spaces_and_quotes_are_quoted() {
    let dir = seeded(
        &[
            ("models/odd.sql", "select 1 as \"the id\", 'it''s' as \"say \"\"hi\"\"\""),
            ("models/odd.toml", "[target]\nschema = \"my schema\"\ntable = \"odd \\\"name\\\" table\"\n"),
            ("models/reader.sql", "select \"the id\" from odd"),
            ("models/reader.toml", "[strategy]\ntype = \"view\"\n[target]\nschema = \"it's\"\n"),
        ],
        "select 1;",
    );
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(model(&doc, "odd")["target"], "w.my schema.odd \"name\" table");
    assert_eq!(int(dir.path(), DB, "select count(*) from \"my schema\".\"odd \"\"name\"\" table\""), 1);
    assert_eq!(int(dir.path(), DB, "select \"the id\" from \"it's\".reader"), 1);
}

#[test]
fn models_selection_errors_exit_2() {
    let dir = seeded(&[("models/a.sql", "select 1 as x")], "select 1;");
    let out = rocky(dir.path(), &["run", "--models", "zzz*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no model matches `zzz*` in --models"), "{}", text(&out));
}

#[test]
fn a_model_whose_unselected_upstream_is_not_built_fails_with_a_hint() {
    let dir = seeded(
        &[("models/up.sql", "select id from raw.t"), ("models/down.sql", "select id * 2 as twice from up")],
        "create schema raw; create table raw.t (id int); insert into raw.t values (1), (2);",
    );
    let p = dir.path();
    let (code, doc, out) = run_json(p, &["--models", "down"]);
    assert_eq!(code, 1, "{}", text(&out));
    let error = model(&doc, "down")["error"].as_str().unwrap_or_default().to_string();
    assert!(
        error.contains("upstream model `up` is not built")
            && error.contains("w.main.up")
            && error.contains("rocky run --models +down"),
        "{error}"
    );
    // With its upstream selected it builds; afterwards it also builds on its own.
    let (code, _, out) = run_json(p, &["--models", "+down"]);
    assert_eq!(code, 0, "{}", text(&out));
    let (code, _, out) = run_json(p, &["--models", "down"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(int(p, DB, "select sum(twice) from main.down"), 6);
}
