//! `rocky run` on both fixture projects, end to end: real binary, real DuckDB file, real state file.

mod run_support;

use std::collections::BTreeMap;
use std::path::Path;

use run_support::*;

/// `(name, strategy, catalog.schema.table)` of every model, from `rocky check --format json`.
fn models(dir: &Path) -> Vec<(String, String, String)> {
    let out = rocky(dir, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let field = |k: &str| m[k].as_str().unwrap().to_string();
            (field("name"), field("strategy"), field("target"))
        })
        .collect()
}

fn quoted(target: &str) -> String {
    target.split('.').map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(".")
}

/// Row count of every built model.
fn counts(dir: &Path, db: &str) -> BTreeMap<String, i64> {
    models(dir)
        .into_iter()
        .filter(|(_, strategy, _)| strategy != "ephemeral")
        .map(|(name, _, target)| (name, int(dir, db, &format!("select count(*) from {}", quoted(&target)))))
        .collect()
}

fn full_run(fixture: &str, db: &str, expected_models: usize) -> tempfile::TempDir {
    let dir = fixture_copy(fixture);
    seed(dir.path(), db);
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["status"], "succeeded");
    assert_eq!(doc["version"], 1);
    let built = doc["models"].as_array().unwrap();
    assert_eq!(built.len(), expected_models, "{doc:#}");
    for m in built {
        assert_eq!(m["status"], "succeeded", "{m}");
        assert_eq!(m["sql_hash"].as_str().unwrap().len(), 64);
        assert!(m["drift"].as_array().unwrap().is_empty(), "no drift on the fixtures: {m}");
    }
    assert!(doc["summary"]["succeeded"].as_u64() == Some(expected_models as u64));
    dir
}

#[test]
fn playground_builds_every_model_with_the_expected_rows_and_reruns_identically() {
    let db = "playground.duckdb";
    let dir = full_run("playground", db, 6);
    let p = dir.path();
    let c = counts(p, db);
    let customers = int(p, db, "select count(*) from raw.customers");
    let orders = int(p, db, "select count(*) from raw.orders");
    assert!(customers > 0 && orders > 0);
    assert_eq!(c["stg_customers"], customers);
    assert_eq!(c["stg_orders"], orders);
    assert_eq!(c["stg_payments"], int(p, db, "select count(*) from raw.payments"));
    assert_eq!(c["customer_orders"], customers);
    assert_eq!(c["customer_ranking"], customers);
    assert_eq!(c["order_payments"], orders);
    // Staging models are views, marts tables.
    let views = strings(p, db, "select view_name from duckdb_views() where schema_name = 'staging' order by 1");
    assert_eq!(views, vec!["stg_customers", "stg_orders", "stg_payments"]);
    let completed_spend =
        int(p, db, "select cast(sum(amount) * 100 as bigint) from raw.orders where status = 'completed'");
    assert_eq!(int(p, db, "select cast(sum(total_spent) * 100 as bigint) from main.customer_orders"), completed_spend);

    // A second run changes nothing (the incremental model appends no row).
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(counts(p, db), c);
    let op = doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "order_payments").unwrap().clone();
    assert_eq!(op["mode"], "append");
    assert_eq!(op["rows"], 0);

    // History and the write tap.
    let runs = state(p).runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|r| r.status == rocky_state::RunStatus::Succeeded && r.models.len() == 6));
    let cache: Vec<String> = state(p).read_schema_cache().unwrap().into_iter().map(|t| t.key).collect();
    for key in [
        "playground.raw.customers",
        "playground.raw.orders",
        "playground.raw.payments",
        "playground.staging.stg_orders",
        "playground.main.customer_orders",
        "playground.main.order_payments",
    ] {
        assert!(cache.contains(&key.to_string()), "{key} missing from {cache:?}");
    }
    let orders_cached =
        state(p).read_schema_cache().unwrap().into_iter().find(|t| t.key == "playground.raw.orders").unwrap();
    let amount = orders_cached.columns.iter().find(|c| c.name == "amount").unwrap();
    assert_eq!((amount.type_string.as_str(), amount.nullable), ("DECIMAL(10,2)", false));
}

#[test]
fn realistic_builds_every_model_and_inlines_the_ephemeral_one() {
    let db = "analytics.duckdb";
    let dir = full_run("realistic", db, 37);
    let p = dir.path();
    let c = counts(p, db);
    assert_eq!(c.len(), 37);
    assert_eq!(c["stg_orders"], int(p, db, "select count(*) from raw_shop.orders"));
    assert_eq!(c["stg_customers"], int(p, db, "select count(*) from raw_shop.customers"));
    assert_eq!(c["dim_customers"], c["stg_customers"]);
    assert_eq!(c["fct_orders"], c["stg_orders"]);
    // The ephemeral model is not a table anywhere.
    assert_eq!(int(p, db, "select count(*) from duckdb_tables() where table_name = 'int_order_items_ranked'"), 0);
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(counts(p, db), c, "a re-run is idempotent");
}

#[test]
fn text_output_has_progress_lines_and_a_summary_table() {
    let dir = fixture_copy("playground");
    seed(dir.path(), "playground.duckdb");
    let out = rocky(dir.path(), &["run", "--models", "stg_*,customer_orders", "--concurrency", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[1/4] built stg_"), "{stdout}");
    assert!(stdout.contains("] built stg_customers (view, "), "{stdout}");
    assert!(stdout.contains("built customer_orders (full_refresh, 4 rows, "), "{stdout}");
    assert!(stdout.contains("✓ run succeeded: 4 built in "), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("model ") && l.contains("status") && l.contains("rows")), "{stdout}");
}
