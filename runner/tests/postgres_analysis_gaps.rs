//! Analysis gaps on PostgreSQL (issue 12): the server prepares a model the analysis rejects
//! (a function the database defines) without running it; accepted, the model is built with a
//! warning; rejected, it fails with the server's message under the analysis' error (both read a
//! model of this run, so each is asked right before its build).

mod pg_support;

use pg_support::*;

#[test]
fn a_model_postgresql_prepares_is_built_and_one_it_rejects_fails_with_both_messages() {
    let db = TestDb::create();
    db.sql(
        "CREATE SCHEMA raw; CREATE TABLE raw.t (id int, v int); INSERT INTO raw.t VALUES (1, 10), (2, 20);
         CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';",
    );
    let dir = db.project(&[
        ("models/doubled.sql", "select id, twice(v) as w from up"),
        ("models/up.sql", "select id, v from raw.t"),
        ("models/broken.sql", "select id, thrice(v) as w from up"),
    ]);
    let p = dir.path();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "{}", text(&out));
    assert_eq!(model_status(&doc, "doubled"), "succeeded", "{doc:#}");
    assert_eq!(model_status(&doc, "up"), "succeeded", "{doc:#}");
    assert_eq!(model_status(&doc, "broken"), "failed", "{doc:#}");
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("doubled: analysis gap: the analysis reports error E104 at models/doubled.sql:1:12: unknown function `twice`"),
        "{doc:#}"
    );
    assert!(!warnings.contains("broken"), "{doc:#}");
    let broken = doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "broken").unwrap();
    let error = broken["error"].as_str().unwrap();
    assert!(error.starts_with("analysis error E104 at models/broken.sql:1:12: unknown function `thrice`"), "{error}");
    assert!(error.contains("the warehouse rejects it too:") && error.contains("thrice"), "{error}");
    assert_eq!(db.int("SELECT sum(w) FROM public.doubled"), 60);
}
