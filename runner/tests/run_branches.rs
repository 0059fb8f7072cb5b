//! `rocky run --branch` and `--shadow`: where models are built, and what stays untouched.

mod run_support;

use run_support::*;

const DB: &str = "playground.duckdb";

fn create_branch(dir: &std::path::Path, name: &str) {
    state(dir)
        .create_branch(&rocky_state::Branch {
            name: name.into(),
            schema_prefix: rocky_state::branch_schema_prefix(name),
            created_at_ms: 1,
            created_by: "test".into(),
        })
        .unwrap();
}

#[test]
fn a_branch_run_builds_into_branch_schemas_and_leaves_main_untouched() {
    let dir = fixture_copy("playground");
    let p = dir.path();
    seed(p, DB);
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    // The branch sees a new customer; main must not.
    sql(p, DB, "insert into raw.customers values (5, 'Barbara', 'Liskov', null, DATE '2024-06-01', true);");
    create_branch(p, "fix-price");
    let (code, doc, out) = run_json(p, &["--branch", "fix-price"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["branch"], "fix-price");
    let targets: Vec<&str> = doc["models"].as_array().unwrap().iter().map(|m| m["target"].as_str().unwrap()).collect();
    assert!(targets.contains(&"playground.branch__fix-price__main.customer_orders"), "{targets:?}");
    assert!(targets.contains(&"playground.branch__fix-price__staging.stg_customers"), "{targets:?}");
    assert_eq!(int(p, DB, "select count(*) from \"branch__fix-price__main\".customer_orders"), 5);
    assert_eq!(int(p, DB, "select count(*) from main.customer_orders"), 4, "main is untouched");
    // Branch models read the branch's upstream, not main's.
    let view_sql = strings(p, DB, "select sql from duckdb_views() where view_name = 'stg_customers' and schema_name = 'branch__fix-price__staging'");
    assert!(view_sql[0].contains("raw.customers"), "sources are read where they are: {}", view_sql[0]);
    let history = state(p).runs(1).unwrap().remove(0);
    assert_eq!(history.branch.as_deref(), Some("fix-price"));
    // The branch's incremental watermark is its own.
    assert!(state(p).watermark("order_payments").unwrap().is_some());
    let keys: Vec<String> = state(p).watermarks().unwrap().into_iter().map(|(k, _)| k).collect();
    assert!(keys.contains(&"order_payments@playground.branch__fix-price__main.order_payments".to_string()), "{keys:?}");
    // The schema cache knows the branch tables where they really are.
    let cache: Vec<String> = state(p).read_schema_cache().unwrap().into_iter().map(|t| t.key).collect();
    assert!(cache.contains(&"playground.branch__fix-price__main.customer_orders".to_string()), "{cache:?}");
}

#[test]
fn an_unknown_branch_is_refused_with_a_hint() {
    let dir = fixture_copy("playground");
    seed(dir.path(), DB);
    let out = rocky(dir.path(), &["run", "--branch", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("branch `nope` does not exist"), "{stderr}");
    assert!(stderr.contains("create it with `rocky branch create nope`"), "{stderr}");
    let out = rocky(dir.path(), &["run", "--branch", "bad name!"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(int(dir.path(), DB, "select count(*) from duckdb_tables() where schema_name <> 'raw'"), 0);
}

#[test]
fn branch_and_shadow_flags_conflict() {
    let dir = fixture_copy("playground");
    for args in [
        &["run", "--branch", "x", "--shadow"][..],
        &["run", "--branch", "x", "--shadow", "--shadow-schema", "s"][..],
        &["run", "--shadow-schema", "s"][..],
    ] {
        let out = rocky(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot be used with") || stderr.contains("required arguments"), "{stderr}");
    }
}

#[test]
fn a_shadow_run_builds_everything_into_one_schema() {
    let dir = fixture_copy("playground");
    let p = dir.path();
    seed(p, DB);
    let (code, doc, out) = run_json(p, &["--shadow", "--shadow-schema", "ci_check"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["shadow_schema"], "ci_check");
    let tables = strings(
        p,
        DB,
        "select table_name from duckdb_tables() where schema_name = 'ci_check' union all \
         select view_name from duckdb_views() where schema_name = 'ci_check' order by 1",
    );
    assert_eq!(
        tables,
        vec![
            "main__customer_orders",
            "main__customer_ranking",
            "main__order_payments",
            "staging__stg_customers",
            "staging__stg_orders",
            "staging__stg_payments"
        ]
    );
    assert_eq!(int(p, DB, "select count(*) from duckdb_tables() where schema_name = 'main'"), 0);
    // Default schema name.
    let (code, _, _) = run_json(p, &["--shadow"]);
    assert_eq!(code, 0);
    assert_eq!(int(p, DB, "select count(*) from rocky_shadow.main__customer_ranking"), 4);
}
