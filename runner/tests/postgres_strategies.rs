//! `rocky run` on a real PostgreSQL server: every strategy (first build and the runs after it),
//! tables swapped in with their dependent views kept, views whose columns change, odd
//! identifiers, a failing model skipping its dependents and leaving its old table, branches and
//! shadow runs, concurrency, run history.

mod pg_support;

use pg_support::*;

const SOURCES: &str = "CREATE SCHEMA raw;
    CREATE TABLE raw.orders (id integer NOT NULL, amount numeric(12,2), name varchar(40), ts timestamptz, ok boolean);
    INSERT INTO raw.orders VALUES
      (1, 2.50, 'a', '2024-01-01 10:00+00', true),
      (2, 3.10, 'b', '2024-01-02 10:00+00', false);";

fn sidecar(strategy: &str, schema: &str) -> String {
    format!("[strategy]\n{strategy}\n\n[target]\nschema = '{schema}'\n")
}

#[test]
fn every_strategy_builds_then_appends_upserts_and_replaces() {
    let db = TestDb::create();
    db.sql(SOURCES);
    let files = [
        ("models/stg.sql", "select id, amount, name, ts, ok from raw.orders".to_string()),
        ("models/stg.toml", sidecar("type = \"view\"", "staging")),
        ("models/narrow.sql", "select id, name from stg".to_string()),
        ("models/narrow.toml", sidecar("type = \"view\"", "staging")),
        ("models/full.sql", "select id, amount * 2 as twice, name from paid".to_string()),
        ("models/full.toml", sidecar("type = \"full_refresh\"", "My \"Marts\"")),
        ("models/paid.sql", "select * from stg where ok or amount > 3".to_string()),
        ("models/paid.toml", "[strategy]\ntype = \"ephemeral\"\n".to_string()),
        ("models/report.sql", "select count(*) as n from full".to_string()),
        ("models/report.toml", sidecar("type = \"view\"", "My \"Marts\"")),
        ("models/inc.sql", "select id, name, ts from stg".to_string()),
        ("models/inc.toml", sidecar("type = \"incremental\"\ntimestamp_column = \"ts\"", "marts")),
        ("models/mg.sql", "select id, name, amount from stg".to_string()),
        ("models/mg.toml", sidecar("type = \"merge\"\nunique_key = [\"id\"]\nupdate_columns = [\"name\"]", "marts")),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = db.project(&files);
    let p = dir.path();

    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let modes: Vec<(String, String)> = doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), m["mode"].as_str().unwrap_or("-").to_string()))
        .collect();
    for (name, mode) in [("stg", "view"), ("full", "full"), ("inc", "full"), ("mg", "full"), ("report", "view")] {
        assert!(modes.contains(&(name.to_string(), mode.to_string())), "{name}: {modes:?}");
    }
    assert_eq!(db.int("SELECT count(*) FROM \"My \"\"Marts\"\"\".full"), 2);
    assert_eq!(db.strings("SELECT n::text FROM \"My \"\"Marts\"\"\".report"), ["2"]);
    assert_eq!(db.strings("SELECT twice::text FROM \"My \"\"Marts\"\"\".full ORDER BY id"), ["5.00", "6.20"]);
    assert!(doc["models"].as_array().unwrap().iter().all(|m| m["drift"].as_array().is_some()));

    // New and changed rows: the incremental model appends only rows past its watermark, the
    // merge updates `name` of matched keys and inserts new ones, the table is replaced (its
    // dependent view `report` survives the swap and sees the new table).
    db.sql(
        "INSERT INTO raw.orders VALUES (3, 9.99, 'c', '2024-01-03 10:00+00', true);
         UPDATE raw.orders SET name = 'A', amount = 7 WHERE id = 1;",
    );
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let model = |name: &str| doc["models"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap().clone();
    assert_eq!((model("inc")["mode"].as_str(), model("inc")["rows"].as_u64()), (Some("append"), Some(1)));
    assert_eq!((model("mg")["mode"].as_str(), model("mg")["rows"].as_u64()), (Some("upsert"), Some(3)));
    assert_eq!(db.int("SELECT count(*) FROM marts.inc"), 3);
    assert_eq!(db.strings("SELECT name || ':' || amount FROM marts.mg ORDER BY id"), ["A:2.50", "b:3.10", "c:9.99"]);
    assert_eq!(db.strings("SELECT n::text FROM \"My \"\"Marts\"\"\".report"), ["3"], "the view follows the new table");
    let watermarks = state(p).watermarks().unwrap();
    let inc = watermarks.iter().find(|(k, _)| k == "inc").map(|(_, w)| w.value.clone());
    assert_eq!(inc.as_deref(), Some("2024-01-03 10:00:00+00"));

    // A view whose columns change (CREATE OR REPLACE VIEW would refuse to drop `ok`): dropped
    // and created again, with the view that reads it.
    std::fs::write(p.join("models/stg.sql"), "select id, amount, name, ts from raw.orders").unwrap();
    let (code, _, out) = run_json(p, &["--models", "stg"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(
        db.int("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'staging' AND table_name = 'stg'"),
        4
    );
    assert_eq!(db.int("SELECT count(*) FROM staging.narrow"), 3, "the dependent view was created again");

    // --full-refresh rebuilds incremental and merge models from scratch.
    let (code, doc, out) = run_json(p, &["--full-refresh", "--models", "inc,mg"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert!(doc["models"].as_array().unwrap().iter().all(|m| m["mode"] == "full"), "{doc}");

    // No temporary table is left behind, and every run is in the history.
    assert_eq!(db.int("SELECT count(*) FROM pg_class WHERE relname LIKE 'rocky\\_build\\_%'"), 0);
    let history = rocky(p, &["history", "--json"]);
    let runs: serde_json::Value = serde_json::from_slice(&history.stdout).unwrap();
    let statuses: Vec<&str> = runs["runs"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["succeeded"; 4]);
}

#[test]
fn a_failing_model_skips_its_dependents_and_leaves_its_old_table() {
    let db = TestDb::create();
    db.sql(SOURCES);
    let dir = db.project(&[
        ("models/fragile.sql", "select id, amount from raw.orders"),
        ("models/after.sql", "select id from fragile"),
        ("models/other.sql", "select name from raw.orders"),
    ]);
    let p = dir.path();
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));

    // Division by zero happens on the server, mid-build.
    std::fs::write(p.join("models/fragile.sql"), "select id, amount / (id - id) as amount from raw.orders").unwrap();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "partial: {}", text(&out));
    assert_eq!(model_status(&doc, "fragile"), "failed");
    assert_eq!(model_status(&doc, "after"), "skipped");
    assert_eq!(model_status(&doc, "other"), "succeeded");
    let error = doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "fragile").unwrap()["error"].to_string();
    assert!(error.contains("division by zero"), "{error}");
    // The old table is intact, and no half-built one is lying around.
    assert_eq!(db.strings("SELECT amount::text FROM public.fragile ORDER BY id"), ["2.50", "3.10"]);
    assert_eq!(db.int("SELECT count(*) FROM pg_class WHERE relname LIKE 'rocky\\_build\\_%'"), 0);
    let history = rocky(p, &["history", "--json"]);
    let runs: serde_json::Value = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(runs["runs"][0]["status"], "partial", "{runs}");
}

#[test]
fn branches_and_shadow_runs_build_beside_production() {
    let db = TestDb::create();
    db.sql(SOURCES);
    let dir = db.project(&[
        ("models/people.sql", "select id, name from raw.orders"),
        ("models/loud.sql", "select id, upper(name) as name from people"),
        ("models/loud.toml", "[strategy]\ntype = \"view\"\n"),
    ]);
    let p = dir.path();
    assert_eq!(rocky(p, &["run"]).status.code(), Some(0));
    let out = rocky(p, &["branch", "create", "feat-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    std::fs::write(p.join("models/people.sql"), "select id, name from raw.orders where id = 1").unwrap();
    let (code, doc, out) = run_json(p, &["--branch", "feat-1"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["branch"], "feat-1");
    assert_eq!(
        db.int("SELECT count(*) FROM \"branch__feat-1__public\".loud"),
        1,
        "the branch view reads the branch table"
    );
    assert_eq!(db.int("SELECT count(*) FROM public.loud"), 2, "production untouched");

    let (code, _, out) = run_json(p, &["--shadow"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(db.int("SELECT count(*) FROM rocky_shadow.public__loud"), 1);

    let out = rocky(p, &["branch", "delete", "feat-1", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(db.int("SELECT count(*) FROM pg_namespace WHERE nspname = 'branch__feat-1__public'"), 0);
}

#[test]
fn independent_models_build_concurrently_on_their_own_connections() {
    let db = TestDb::create();
    // A source view that sleeps: each model's statement takes 1 s on the server.
    db.sql("CREATE SCHEMA raw; CREATE VIEW raw.slow AS SELECT pg_sleep(1)::text AS s, 1 AS id;");
    let files: Vec<(String, String)> =
        (0..4).map(|i| (format!("models/m{i}.sql"), "select id from raw.slow".to_string())).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = db.project(&files);
    let started = std::time::Instant::now();
    let (code, _, out) = run_json(dir.path(), &["--concurrency", "4"]);
    assert_eq!(code, 0, "{}", text(&out));
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_millis(3500), "4 × 1 s at concurrency 4 took {took:?}");
}

/// A connection's swaps start from one listing of the target schema; when another session
/// changed the schema since, the swap fails on the stale listing, rolls back, probes and runs
/// again: a target someone created (42P07), one someone dropped (42P01), a view someone made
/// on it (2BP01: the view survives and sees the new table).
#[test]
fn swaps_recover_when_the_schema_listing_is_stale() {
    use rocky_runner::warehouse::{self, TableName};
    let db = TestDb::create();
    let (config, _) = rocky_analysis::config::parse_project_config("rocky.toml", &db.config(""));
    let wh = warehouse::open(&config.adapter, std::path::Path::new("."), std::time::Duration::ZERO).unwrap();
    let t = |table: &str| TableName { catalog: db.name.clone(), schema: "public".into(), table: table.into() };

    assert_eq!(wh.replace_table(&t("a"), "select 1 as n").unwrap(), 1);
    db.sql("CREATE VIEW public.on_a AS SELECT n FROM public.a; CREATE TABLE public.b (n int);");
    assert_eq!(wh.replace_table(&t("a"), "select 2 as n union all select 3").unwrap(), 2);
    assert_eq!(db.strings("SELECT n::text FROM public.on_a ORDER BY n"), ["2", "3"], "the view survived");
    assert_eq!(wh.replace_table(&t("b"), "select 4 as n").unwrap(), 1);
    assert_eq!(db.strings("SELECT n::text FROM public.b"), ["4"]);

    db.sql("DROP VIEW public.on_a; DROP TABLE public.a;");
    assert_eq!(wh.replace_table(&t("a"), "select 5 as n").unwrap(), 1);
    assert_eq!(db.strings("SELECT n::text FROM public.a"), ["5"]);
    // A real failure is still one: the old table stays.
    assert!(wh.replace_table(&t("a"), "select n from public.missing").is_err());
    assert_eq!(db.strings("SELECT n::text FROM public.a"), ["5"]);
    assert_eq!(db.int("SELECT count(*) FROM pg_class WHERE relname LIKE 'rocky\\_build\\_%'"), 0);
}
