//! The write tap on a real PostgreSQL server: the built tables are described and probed for
//! NULLs while the builds go on (on the run's first connection, in batches), and the drift
//! warnings, the schema cache and the history come out complete, for the first model built and
//! for the last.

mod pg_support;

use pg_support::*;

const INCREMENTAL: &str = "[strategy]\ntype = \"incremental\"\ntimestamp_column = \"id\"\n";
/// Models in the chain between the two incremental ones: enough builds that the describer
/// works in several batches.
const CHAIN: usize = 40;

fn files(first: &str, last: &str) -> Vec<(String, String)> {
    let mut files = vec![
        ("models/inc_first.sql".to_string(), first.to_string()),
        ("models/inc_first.toml".to_string(), INCREMENTAL.to_string()),
        ("models/inc_last.sql".to_string(), last.to_string()),
        ("models/inc_last.toml".to_string(), INCREMENTAL.to_string()),
        ("models/ids.sql".to_string(), "select id from c00".to_string()),
        ("models/ids.toml".to_string(), "[strategy]\ntype = \"view\"\n".to_string()),
    ];
    for k in 0..CHAIN {
        let from = if k == 0 { "raw.t".to_string() } else { format!("c{:02}", k - 1) };
        files.push((format!("models/c{k:02}.sql"), format!("select id, v from {from}")));
    }
    files
}

fn write(p: &std::path::Path, files: &[(String, String)]) {
    for (path, text) in files {
        std::fs::write(p.join(path), text).unwrap();
    }
}

fn drift(doc: &serde_json::Value, name: &str) -> serde_json::Value {
    doc["models"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap()["drift"].clone()
}

#[test]
fn built_tables_are_described_probed_and_cached_while_the_builds_go_on() {
    let db = TestDb::create();
    db.sql(
        "CREATE SCHEMA raw; CREATE TABLE raw.t (id integer NOT NULL, v integer); INSERT INTO raw.t VALUES (1, NULL);",
    );
    let last_reads = format!("c{:02}", CHAIN - 1);
    let first = files("select id, v from raw.t", &format!("select id, v from {last_reads}"));
    let refs: Vec<(&str, &str)> = first.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = db.project(&refs);
    let p = dir.path();

    let (code, doc, out) = run_json(p, &["--concurrency", "1"]);
    assert_eq!(code, 0, "{}", text(&out));
    for m in doc["models"].as_array().unwrap() {
        assert_eq!(m["drift"], serde_json::json!([]), "no drift after a first build: {m}");
    }
    // Every built target is in the schema cache, marked built, with the warehouse's columns.
    let cache = state(p).read_schema_cache().unwrap();
    let built: Vec<&rocky_state::CachedTable> = cache.iter().filter(|t| t.built.is_some()).collect();
    assert_eq!(built.len(), CHAIN + 3, "{:?}", cache.iter().map(|t| &t.key).collect::<Vec<_>>());
    for (model, table) in [("inc_last", "inc_last"), ("c00", "c00"), ("ids", "ids")] {
        let key = format!("{}.public.{table}", db.name);
        let t = built.iter().find(|t| t.key == key).unwrap_or_else(|| panic!("{key} not cached"));
        assert_eq!(t.built.as_ref().unwrap().model, model);
        let columns: Vec<(&str, &str)> = t.columns.iter().map(|c| (c.name.as_str(), c.type_string.as_str())).collect();
        let expected = if model == "ids" { vec![("id", "integer")] } else { vec![("id", "integer"), ("v", "integer")] };
        assert_eq!(columns, expected, "{key}");
    }

    // The incremental tables keep their NULL when their models now say v is never NULL: both
    // the first model built and the last report it, in the document, on stderr and in history.
    let second = files(
        "select id, coalesce(v, 0) as v from raw.t",
        &format!("select id, coalesce(v, 0) as v from {last_reads}"),
    );
    write(p, &second);
    db.sql("INSERT INTO raw.t VALUES (2, 5);");
    let (code, doc, out) = run_json(p, &["--concurrency", "1"]);
    assert_eq!(code, 0, "{}", text(&out));
    let holds = serde_json::json!(["column v inferred NOT NULL, but the built table holds NULLs in it"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["inc_first", "inc_last"] {
        assert_eq!(drift(&doc, name), holds, "{name}: {doc:#}");
        let warning = format!(
            "warning: {name}: analysis/warehouse drift: column v inferred NOT NULL, but the built table holds NULLs in it"
        );
        assert!(stderr.contains(&warning), "{stderr}");
    }
    for m in doc["models"].as_array().unwrap().iter().filter(|m| !m["name"].as_str().unwrap().starts_with("inc_")) {
        assert_eq!(m["drift"], serde_json::json!([]), "{m}");
    }
    let runs = state(p).runs(1).unwrap();
    assert_eq!(runs[0].models.len(), CHAIN + 3);
    assert_eq!(runs[0].status.as_str(), "succeeded");
}
