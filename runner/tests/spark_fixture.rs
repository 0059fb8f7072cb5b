//! The `fixtures/spark` project end to end on a real Spark Connect server (`rocky seed`, `check`,
//! `run` twice, `discover`), with the URL from `SPARK_REMOTE` as the fixture expects, its schemas
//! renamed to ones of this test's own.

mod spark_support;

use spark_support::*;

#[test]
fn the_spark_fixture_seeds_checks_and_runs_twice() {
    let spark = Spark::create();
    let dir = fixture_copy("spark");
    let p = dir.path();
    // Its own schemas: `raw.` → `<prefix>_raw.`, schema = "marts" → "<prefix>_marts".
    for file in ["data/seed.sql", "models/staging/stg_customers.sql", "models/staging/stg_orders.sql"] {
        let text = std::fs::read_to_string(p.join(file)).unwrap();
        let raw = spark.schema("raw");
        let renamed = text.replace("raw.", &format!("{raw}.")).replace("EXISTS raw;", &format!("EXISTS {raw};"));
        std::fs::write(p.join(file), renamed).unwrap();
    }
    for (file, schema) in [("models/staging/_defaults.toml", "staging"), ("models/marts/_defaults.toml", "marts")] {
        let text = std::fs::read_to_string(p.join(file)).unwrap();
        let renamed = text.replace(&format!("\"{schema}\""), &format!("\"{}\"", spark.schema(schema)));
        std::fs::write(p.join(file), renamed).unwrap();
    }
    let with_env = |args: &[&str]| rocky_cmd(p, args).env("SPARK_REMOTE", url()).output().unwrap();
    for args in [&["seed"][..], &["check"]] {
        let out = with_env(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    for (round, mode) in [(1, "full"), (2, "append")] {
        let out = with_env(&["run", "--json"]);
        assert_eq!(out.status.code(), Some(0), "run {round}: {}", text(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["summary"]["succeeded"], 5, "{doc}");
        assert_eq!(model(&doc, "orders_log")["mode"], mode);
        let tests = model(&doc, "customer_totals")["tests"].as_array().cloned().unwrap_or_default();
        assert_eq!(tests.len(), 2, "{doc}");
        assert!(tests.iter().all(|t| t["status"] == "passed"), "{tests:?}");
    }
    let marts = spark.schema("marts");
    assert_eq!(
        spark.strings(&format!("SELECT name FROM {marts}.vip_report ORDER BY customer_id")),
        ["Ada Lovelace", "Grace Hopper"]
    );
    assert_eq!(
        spark
            .strings(&format!("SELECT CAST(total_spent AS STRING) FROM {marts}.customer_totals WHERE customer_id = 4")),
        ["250.00"]
    );
    assert_eq!(spark.int(&format!("SELECT count(*) FROM {marts}.orders_log")), 5, "nothing newer to append");
    // The seed's `;` inside a string did not split its statement.
    assert_eq!(
        spark.strings(&format!("SELECT note FROM {}.orders WHERE id = 101", spark.schema("raw"))),
        ["gift; wrap it"]
    );
    let out = with_env(&["discover"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&spark.schema("raw")), "{}", text(&out));
}
