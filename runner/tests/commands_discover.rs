//! `rocky discover` on a real DuckDB file, and the schema cache it fills as `rocky check` sees it
//! (including the TTL).

mod common;

use common::{duck, people_project, project, rocky, state, CONFIG};

#[test]
fn discover_lists_schemas_and_tables_without_writing() {
    let dir = people_project();
    duck(dir.path(), "CREATE SCHEMA empty_one; CREATE VIEW raw.people_view AS SELECT * FROM raw.people;");
    let out = rocky(&["discover"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("db.raw: people, people_view"), "{}", out.all());
    assert!(out.stdout.contains("db.empty_one: (no tables)"), "{}", out.all());
    assert!(out.stdout.contains("rocky discover --with-schemas"), "{}", out.all());
    assert!(!state(dir.path()).exists(), "plain discover writes nothing");

    let json = rocky(&["discover", "--json"], dir.path()).json();
    assert_eq!(json["tables"], 2);
    let raw = json["schemas"].as_array().unwrap().iter().find(|s| s["schema"] == "raw").unwrap().clone();
    assert_eq!(raw["tables"], serde_json::json!(["people", "people_view"]));
    assert_eq!(json["schema_cache"]["written"], false);
}

#[test]
fn with_schemas_fills_the_cache_and_check_types_sources_until_the_ttl() {
    let dir = project(&[("rocky.toml", common::CONFIG), ("models/people.sql", "select id, nmae from raw.people")]);
    duck(dir.path(), "CREATE SCHEMA raw; CREATE TABLE raw.people (id INTEGER NOT NULL, name VARCHAR);");

    // No cache: the source is open, so the typo is not an error yet.
    let out = rocky(&["check"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("W110"), "{}", out.all());

    let out = rocky(&["discover", "--with-schemas"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("cached 1 tables (2 columns) from 1 schemas"), "{}", out.all());
    let cache = state(dir.path()).read_schema_cache().unwrap();
    assert_eq!(cache.len(), 1);
    assert_eq!(cache[0].key, "db.raw.people");
    let cols: Vec<(&str, &str, bool)> =
        cache[0].columns.iter().map(|c| (c.name.as_str(), c.type_string.as_str(), c.nullable)).collect();
    assert_eq!(cols, [("id", "INTEGER", false), ("name", "VARCHAR", true)]);

    let out = rocky(&["check"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("error[E102]: unknown column `nmae`"), "{}", out.all());
    assert!(out.stdout.contains("did you mean `name`?"), "{}", out.all());
    assert!(!out.stdout.contains("W110"), "{}", out.all());

    // A TTL of 0 makes every entry stale: the source counts as uncached again.
    let out = rocky(&["--cache-ttl", "0", "check"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("W110") && !out.stdout.contains("E102"), "{}", out.all());
    // So does a TTL of 0 in rocky.toml; the flag wins over it.
    std::fs::write(dir.path().join("rocky.toml"), format!("{CONFIG}[cache.schemas]\nttl_seconds = 0\n")).unwrap();
    assert!(rocky(&["check"], dir.path()).stdout.contains("W110"));
    assert!(rocky(&["--cache-ttl", "3600", "check"], dir.path()).stdout.contains("E102"));

    let json = rocky(&["discover", "--with-schemas", "--json"], dir.path()).json();
    assert_eq!(json["schema_cache"]["written"], true);
    assert_eq!(json["schema_cache"]["tables"], 1);
    assert_eq!(json["schema_cache"]["columns"], 2);
}

#[test]
fn a_disabled_cache_is_not_written() {
    let dir = project(&[
        ("rocky.toml", &format!("{CONFIG}[cache.schemas]\nenabled = false\n")),
        ("models/a.sql", "select 1 as id"),
    ]);
    duck(dir.path(), "CREATE SCHEMA raw; CREATE TABLE raw.t (id INTEGER);");
    let out = rocky(&["discover", "--with-schemas"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("the schema cache is disabled"), "{}", out.all());
    assert!(!state(dir.path()).exists());
}

#[test]
fn an_unsupported_adapter_is_an_error_with_a_hint() {
    let dir = project(&[("rocky.toml", "[adapter]\ntype = \"snowflake\"\n"), ("models/a.sql", "select 1 as id")]);
    let out = rocky(&["discover"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("`snowflake`") && out.stderr.contains("type = \"duckdb\""), "{}", out.all());
}

#[test]
fn discover_without_a_warehouse_says_how_to_make_one_and_creates_nothing() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", "select 1 as id")]);
    let out = rocky(&["discover"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("db.duckdb does not exist yet") && out.stderr.contains("rocky seed"), "{}", out.all());
    assert!(!dir.path().join("db.duckdb").exists());
}

#[test]
fn with_schemas_caches_the_warehouses_macros_and_check_types_their_calls() {
    let model = "select twice(id) as t, add_to(id) as a, 'ok'::mood as m from raw.people";
    let dir = project(&[("rocky.toml", CONFIG), ("models/m.sql", model)]);
    duck(
        dir.path(),
        "CREATE SCHEMA raw; CREATE TABLE raw.people (id INTEGER); \
         CREATE MACRO twice(x) AS x * 2; CREATE MACRO add_to(x, y := 1.5) AS x + y; \
         CREATE TYPE mood AS ENUM ('sad', 'ok');",
    );
    // Before the warehouse's functions are cached, a call to one is an unknown function.
    let out = rocky(&["check"], dir.path());
    assert!(out.stdout.contains("error[E104]: unknown function `twice`"), "{}", out.all());

    let out = rocky(&["discover", "--with-schemas"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("2 warehouse functions and 1 types"), "{}", out.all());
    let functions = state(dir.path()).read_warehouse_functions().unwrap();
    let twice = functions.iter().find(|f| f.name == "twice").expect("twice cached");
    assert_eq!(twice.overloads[0].params, ["x"]);
    assert_eq!(twice.overloads[0].body.as_deref(), Some("(x * 2)"));
    let out = rocky(&["state"], dir.path());
    assert!(out.stdout.contains("and 2 warehouse functions: add_to, twice"), "{}", out.all());
    assert!(out.stdout.contains("and 1 warehouse types: main.mood"), "{}", out.all());

    // Now the macro is typed by its body; one called with a default left out is Unknown, not an error.
    let json = rocky(&["check", "--format", "json"], dir.path()).json();
    let columns = &json["models"][0]["columns"];
    assert_eq!(json["summary"]["errors"], 0, "{json}");
    assert_eq!(columns[0]["type"], "INTEGER", "{json}");
    assert_eq!(columns[1]["type"], "UNKNOWN", "{json}");
    assert_eq!(columns[2]["type"], "ENUM('sad', 'ok')", "{json}");

    // A macro dropped in the warehouse stops counting at the next scan.
    duck(dir.path(), "DROP MACRO twice;");
    rocky(&["discover", "--with-schemas"], dir.path());
    let out = rocky(&["check"], dir.path());
    assert!(out.stdout.contains("error[E104]: unknown function `twice`"), "{}", out.all());
}
