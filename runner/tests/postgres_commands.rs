//! The other commands on a real PostgreSQL server: the write tap (the state file holds
//! PostgreSQL's own type strings), `rocky seed`, `rocky discover --with-schemas`, `rocky init
//! --adapter postgres`, and the `fixtures/postgres` project end to end.

mod pg_support;

use std::path::Path;

use pg_support::*;

/// The cached columns of `key` as `(name, type, nullable)`, read back from the redb file.
fn cached(dir: &Path, key: &str) -> Vec<(String, String, bool)> {
    let cache = state(dir).read_schema_cache().unwrap();
    let table = cache
        .iter()
        .find(|t| t.key == key)
        .unwrap_or_else(|| panic!("{key} not cached; cached: {:?}", cache.iter().map(|t| &t.key).collect::<Vec<_>>()));
    table.columns.iter().map(|c| (c.name.clone(), c.type_string.clone(), c.nullable)).collect()
}

fn col(name: &str, ty: &str, nullable: bool) -> (String, String, bool) {
    (name.to_string(), ty.to_string(), nullable)
}

#[test]
fn the_write_tap_caches_postgres_type_strings_for_sources_and_built_targets() {
    let db = TestDb::create();
    db.sql(
        "CREATE SCHEMA raw; CREATE TABLE raw.t (id integer NOT NULL, price numeric(12,2), label character varying(40), \
         at timestamptz, note text, flag boolean); CREATE TABLE raw.unread (d date);",
    );
    let dir = db.project(&[("models/m.sql", "select id, price, label, at, note, flag from raw.t")]);
    let (code, _, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let name = &db.name;
    let source = cached(dir.path(), &format!("{name}.raw.t"));
    assert_eq!(
        source,
        [
            col("id", "integer", false),
            col("price", "numeric(12,2)", true),
            col("label", "character varying(40)", true),
            col("at", "timestamp with time zone", true),
            col("note", "text", true),
            col("flag", "boolean", true),
        ]
    );
    // One query per source schema: the unread table is cached too; the built target after it.
    assert_eq!(cached(dir.path(), &format!("{name}.raw.unread")), [col("d", "date", true)]);
    let built = cached(dir.path(), &format!("{name}.public.m"));
    assert_eq!(built[1], col("price", "numeric(12,2)", true));
    let entry =
        state(dir.path()).read_schema_cache().unwrap().into_iter().find(|t| t.key == format!("{name}.public.m"));
    assert_eq!(entry.and_then(|t| t.built).map(|b| b.model).as_deref(), Some("m"));
}

#[test]
fn seed_then_discover_with_schemas() {
    let db = TestDb::create();
    let dir = db.project(&[
        ("models/m.sql", "select id, name from raw.people"),
        ("data/seed.sql", "CREATE SCHEMA raw; CREATE TABLE raw.people (id bigint NOT NULL, name varchar(20)); INSERT INTO raw.people VALUES (1, 'ada');"),
    ]);
    let p = dir.path();
    let out = rocky(p, &["seed"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("created 1 tables: {}.raw.people", db.name)), "{stdout}");
    assert_eq!(cached(p, &format!("{}.raw.people", db.name))[1], col("name", "character varying(20)", true));
    let out = rocky(p, &["seed"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"), "{}", text(&out));

    // A failing seed script says so, and its transaction leaves nothing behind.
    std::fs::write(p.join("data/seed.sql"), "CREATE TABLE raw.half (x int); SELECT 1/0;").unwrap();
    let out = rocky(p, &["seed", "--force"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("division by zero"), "{}", text(&out));
    assert_eq!(db.int("SELECT count(*) FROM pg_class WHERE relname = 'half'"), 0);

    db.sql("CREATE SCHEMA \"Other\"; CREATE VIEW \"Other\".v AS SELECT now() AS at, 1.5::real AS r;");
    let out = rocky(p, &["discover", "--with-schemas", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schemas: Vec<String> =
        doc["schemas"].as_array().unwrap().iter().map(|s| s["schema"].as_str().unwrap().to_string()).collect();
    assert_eq!(schemas, ["Other", "public", "raw"], "no system schemas");
    assert_eq!(doc["schema_cache"]["tables"], 2);
    assert_eq!(
        cached(p, &format!("{}.other.v", db.name)),
        [col("at", "timestamp with time zone", true), col("r", "real", true)]
    );
}

#[test]
fn discover_caches_the_databases_functions_and_check_types_their_calls() {
    let db = TestDb::create();
    db.sql(
        "CREATE SCHEMA raw; CREATE TABLE raw.t (id integer); \
         CREATE FUNCTION raw.cents(n integer) RETURNS bigint LANGUAGE sql AS $$ SELECT n::bigint * 100 $$; \
         CREATE FUNCTION public.label(n integer) RETURNS text LANGUAGE sql AS $$ SELECT n::text $$; \
         CREATE FUNCTION public.label(n text) RETURNS text LANGUAGE sql AS $$ SELECT n $$; \
         CREATE FUNCTION public.ids() RETURNS SETOF integer LANGUAGE sql AS $$ SELECT 1 $$;",
    );
    let model = "select raw.cents(id) as c, label(id) as l from raw.t";
    let dir = db.project(&[("models/m.sql", model)]);
    let p = dir.path();
    let out = rocky(p, &["discover", "--with-schemas", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema_cache"]["functions"], 3, "{doc}");
    let functions = state(p).read_warehouse_functions().unwrap();
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["cents", "ids", "label"]);
    let cents = &functions[0].overloads[0];
    assert_eq!((cents.params.clone(), cents.returns.as_deref()), (vec!["integer".to_string()], Some("bigint")));
    assert_eq!(functions[1].overloads[0].returns, None, "a set-returning function has no scalar result");

    // Both overloads of `label` return text: the call is text whichever PostgreSQL picks.
    let out = rocky(p, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0, "{json}");
    let types: Vec<&str> =
        json["models"][0]["columns"].as_array().unwrap().iter().map(|c| c["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["bigint", "text"]);
}

#[test]
fn init_postgres_writes_a_project_that_seeds_checks_and_runs() {
    let db = TestDb::create();
    let parent = tempfile::tempdir().unwrap();
    let out = rocky(parent.path(), &["init", &db.name, "--adapter", "postgres"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("createdb {}", db.name)), "{}", text(&out));
    let dir = parent.path().join(&db.name);
    let toml = std::fs::read_to_string(dir.join("rocky.toml")).unwrap();
    assert!(toml.contains("type = \"postgres\"") && toml.contains(&format!("dbname = \"{}\"", db.name)), "{toml}");
    let with_env = |args: &[&str]| rocky_with_pg_env(&dir, args, &db.server);
    for args in [&["seed"][..], &["check"], &["run"]] {
        let out = with_env(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    assert_eq!(db.int("SELECT orders FROM marts.customer_orders WHERE customer_id = 1"), 2);
}

#[test]
fn the_postgres_fixture_seeds_and_runs_twice() {
    let db = TestDb::create();
    let dir = fixture_copy("postgres");
    let toml = std::fs::read_to_string(dir.path().join("rocky.toml")).unwrap();
    assert!(toml.contains("dbname = \"rocky_fixture\""));
    std::fs::write(dir.path().join("rocky.toml"), toml.replace("rocky_fixture", &db.name)).unwrap();
    let with_env = |args: &[&str]| rocky_with_pg_env(dir.path(), args, &db.server);
    let out = with_env(&["seed"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = with_env(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    for (round, mode) in [(1, "full"), (2, "append")] {
        let out = with_env(&["run", "--json"]);
        assert_eq!(out.status.code(), Some(0), "run {round}: {}", text(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["summary"]["succeeded"], 6, "{doc}");
        let log = doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "orders_log").unwrap();
        assert_eq!(log["mode"], mode);
    }
    assert_eq!(db.strings("SELECT name FROM marts.vip_report ORDER BY customer_id"), ["Ada Lovelace", "Grace Hopper"]);
    assert_eq!(db.strings("SELECT total_spent::text FROM marts.customer_totals WHERE customer_id = 4"), ["250.00"]);
}
