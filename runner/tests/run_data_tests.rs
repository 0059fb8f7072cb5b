//! Data tests and contracts on a real DuckDB: every kind passing and failing, with failing-row
//! samples; `rocky run` fails a model whose error-severity test fails and skips its dependents,
//! warns on `warn`, records the results (`rocky replay`), and `--no-tests`; `rocky test` on its
//! own; a contract broken in the warehouse.

mod run_support;

use run_support::*;

const DB: &str = "w.duckdb";
const TOML: &str = "[adapter]\ntype = \"duckdb\"\npath = \"w.duckdb\"\n\n[pipeline.p]\nmodels = \"models/**\"\n";
const SEED: &str = "create schema raw;
create table raw.customers (id int, name varchar);
insert into raw.customers values (1, 'Ada'), (2, 'Alan'), (3, NULL);
create table raw.orders (id int, customer_id int, status varchar, amount decimal(10,2));
insert into raw.orders values (10, 1, 'open', 5.00), (11, 2, 'shipped', 7.50), (12, 1, 'open', 1.00), (12, 9, 'lost', -3.00);";

/// Every kind of test on `orders`: the ones in `passing` hold on the seed data, the others fail.
const ORDERS_TESTS: &str = r#"
[[tests]]
type = "not_null"
column = "customer_id"

[[tests]]
type = "unique"
column = "id"

[[tests]]
type = "accepted_values"
column = "status"
values = ["open", "shipped"]

[[tests]]
type = "relationships"
column = "customer_id"
to = "customers.id"

[[tests]]
type = "expression"
expression = "amount > 0"
severity = "warn"

[[tests]]
type = "row_count"
min = 1
max = 3
"#;

fn project_with(orders_tests: &str) -> tempfile::TempDir {
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/customers.sql", "select id, name from raw.customers"),
        ("models/customers.toml", "[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n"),
        ("models/orders.sql", "select id, customer_id, status, amount from raw.orders"),
        ("models/orders.toml", orders_tests),
        ("models/order_totals.sql", "select customer_id, sum(amount) as total from orders group by all"),
    ]);
    sql(dir.path(), DB, SEED);
    dir
}

fn model<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["models"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap_or_else(|| panic!("{name} in {doc:#}"))
}

fn test_of<'a>(m: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    m["tests"].as_array().unwrap().iter().find(|t| t["kind"] == kind).unwrap_or_else(|| panic!("{kind} in {m:#}"))
}

#[test]
fn every_kind_fails_on_bad_rows_and_the_model_fails_with_its_dependents_skipped() {
    let dir = project_with(ORDERS_TESTS);
    let p = dir.path();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "partial: customers built, orders failed\n{}", text(&out));
    assert_eq!(model(&doc, "customers")["status"], "succeeded");
    let orders = model(&doc, "orders");
    assert_eq!(orders["status"], "failed", "{orders:#}");
    assert_eq!(model(&doc, "order_totals")["status"], "skipped");

    // not_null holds; the others fail with counts and samples.
    assert_eq!(test_of(orders, "not_null")["status"], "passed");
    let unique = test_of(orders, "unique");
    assert_eq!(unique["status"], "failed");
    assert_eq!(unique["failing_rows"], 1);
    assert_eq!(unique["columns"], serde_json::json!(["id", "duplicates"]));
    assert_eq!(unique["sample"], serde_json::json!([["12", "2"]]));
    let values = test_of(orders, "accepted_values");
    assert_eq!(values["failing_rows"], 1);
    assert!(values["sample"][0].as_array().unwrap().contains(&serde_json::json!("lost")), "{values:#}");
    let rel = test_of(orders, "relationships");
    assert_eq!(rel["failing_rows"], 1, "customer 9 does not exist: {rel:#}");
    let expr = test_of(orders, "expression");
    assert_eq!((expr["status"].as_str(), expr["severity"].as_str()), (Some("failed"), Some("warn")));
    let count = test_of(orders, "row_count");
    assert_eq!(count["failing_rows"], 1);
    assert_eq!(count["sample"], serde_json::json!([["4"]]), "4 rows, max 3");

    // The error names the blocking tests, not the warn one.
    let error = orders["error"].as_str().unwrap();
    assert!(error.starts_with("4 data tests failed"), "{error}");
    assert!(!error.contains("expression"), "{error}");

    // Recorded in history: replay shows each test.
    let replay = rocky(p, &["replay", "latest", "--model", "orders"]);
    let shown = String::from_utf8_lossy(&replay.stdout);
    assert!(shown.contains("test unique(id) [error] failed: unique(id): 1 failing row"), "{shown}");
    assert!(shown.contains("test expression(amount > 0) [warn] failed"), "{shown}");
    let runs = state(p).runs(1).unwrap();
    let recorded = runs[0].models.iter().find(|m| m.model == "orders").unwrap();
    assert_eq!(recorded.tests.len(), 6);

    // The text summary shows the failing rows.
    let out = rocky(p, &["run"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("✗ test accepted_values(status): 1 failing row (error)"), "{}", text(&out));
    assert!(shown.contains("lost"), "{}", text(&out));
}

#[test]
fn passing_and_warn_only_tests_build_the_model() {
    let passing = ORDERS_TESTS
        .replace("values = [\"open\", \"shipped\"]", "values = [\"open\", \"shipped\", \"lost\"]")
        .replace("type = \"unique\"\ncolumn = \"id\"", "type = \"unique\"\ncolumns = [\"id\", \"customer_id\"]")
        .replace("to = \"customers.id\"", "to = \"customers.id\"\nseverity = \"warn\"")
        .replace("max = 3", "max = 4");
    let dir = project_with(&passing);
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let orders = model(&doc, "orders");
    assert_eq!(orders["status"], "succeeded");
    assert_eq!(test_of(orders, "relationships")["status"], "failed", "warn: reported, not blocking");
    assert_eq!(test_of(orders, "unique")["status"], "passed");
    assert_eq!(test_of(orders, "row_count")["status"], "passed");
    assert_eq!(model(&doc, "order_totals")["status"], "succeeded");
}

#[test]
fn no_tests_skips_them_and_rocky_test_runs_them_alone() {
    let dir = project_with(ORDERS_TESTS);
    let p = dir.path();
    let (code, doc, out) = run_json(p, &["--no-tests"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert!(model(&doc, "orders")["tests"].as_array().unwrap().is_empty());

    let out = rocky(p, &["test", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "failed");
    assert_eq!(doc["summary"]["tests"], 7);
    assert_eq!(doc["summary"]["failed"], 4);
    assert_eq!(doc["summary"]["warned"], 1);

    let out = rocky(p, &["test", "--models", "customers"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("✓ not_null(id): passed"), "{}", text(&out));
}

#[test]
fn rocky_test_on_a_model_never_built_says_how_to_build_it() {
    let dir = project_with("[[tests]]\ntype = \"not_null\"\ncolumn = \"id\"\n");
    let out = rocky(dir.path(), &["test", "--models", "orders"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("`w.main.orders` does not exist: build it with `rocky run --models orders`"), "{shown}");
}

#[test]
fn a_contract_is_enforced_against_the_built_table() {
    let contract = "[contract]\ncolumns = [\n  { name = \"id\", type = \"INTEGER\", nullable = false },\n  { name = \"customer_id\", type = \"INTEGER\" },\n  { name = \"status\", type = \"VARCHAR\" },\n  { name = \"amount\", type = \"DECIMAL(10,2)\" },\n]\n";
    let dir = project_with(contract);
    let p = dir.path();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let orders = model(&doc, "orders");
    assert_eq!(test_of(orders, "contract")["status"], "passed");

    // The warehouse changes under the model: amount becomes DOUBLE and ids can be NULL. The
    // analysis sees the new source types only from the cache, so a run describes the sources
    // first, reports the contract break as an error and builds nothing.
    sql(p, DB, "alter table raw.orders alter amount type double; insert into raw.orders values (NULL, 1, 'open', 2);");
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 1, "{}", text(&out));
    assert_eq!(doc["status"], "refused");
    assert!(
        text(&out).contains("the contract says `amount` is DECIMAL(10,2), but the query gives DOUBLE"),
        "{}",
        text(&out)
    );

    // With the type fixed by a cast, the NOT NULL promise is what fails, at run time.
    std::fs::write(
        p.join("models/orders.sql"),
        "select id, customer_id, status, cast(amount as decimal(10,2)) as amount from raw.orders",
    )
    .unwrap();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "{}", text(&out));
    let orders = model(&doc, "orders");
    assert_eq!(orders["status"], "failed");
    assert_eq!(orders["error"], "data test failed: contract: id not null: 1 failing row");
}
