//! Data tests and contracts from strings: sidecar parsing, the checks with their exact spans in
//! the sidecar, and the SQL the runner executes.

use rocky_analysis::base::SidecarText;
use rocky_analysis::ide::{CompileOptions, TargetMapping};
use rocky_analysis::{AnalysisHost, Diagnostic, SourceColumn, SourceSchemaSnapshot, SourceTable};

const ORDERS: &str = "select id, customer_id, amount, status, amount > 0 as paid\nfrom raw.orders";
const CUSTOMERS: &str = "select id, name from raw.customers";

fn host(sidecar: &str) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
    let mut s = SourceSchemaSnapshot::default();
    for (key, cols) in [
        (
            "db.raw.orders",
            &[("id", "INTEGER"), ("customer_id", "BIGINT"), ("amount", "DECIMAL(10,2)"), ("status", "VARCHAR")][..],
        ),
        ("db.raw.customers", &[("id", "BIGINT"), ("name", "VARCHAR")][..]),
    ] {
        s.insert(SourceTable {
            key: key.into(),
            columns: cols
                .iter()
                .map(|(n, t)| SourceColumn { name: n.to_string(), type_string: t.to_string(), nullable: true })
                .collect(),
            written_at: None,
        });
    }
    host.set_source_schemas(s);
    host.set_model("models/orders.sql", ORDERS.into());
    host.set_model("models/customers.sql", CUSTOMERS.into());
    host.set_sidecar(
        "models/orders.sql",
        Some(SidecarText { path: "models/orders.toml".into(), text: sidecar.into() }),
    );
    host
}

/// `(code, text at the span)` of every diagnostic in the sidecar.
fn sidecar_diags(sidecar: &str) -> Vec<(String, String)> {
    let mut host = host(sidecar);
    let diags: Vec<Diagnostic> = host.analysis().file_diagnostics("models/orders.toml").expect("not cancelled");
    diags
        .iter()
        .map(|d| (d.code.as_str().to_string(), sidecar[d.range.start as usize..d.range.end as usize].to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect()
}

#[test]
fn valid_tests_and_contract_have_no_diagnostics() {
    let sidecar = r#"
[[tests]]
type = "not_null"
column = "id"

[[tests]]
type = "unique"
columns = ["id", "customer_id"]

[[tests]]
type = "accepted_values"
column = "status"
values = ["open", "shipped"]
severity = "warn"

[[tests]]
type = "relationships"
column = "customer_id"
to = "customers.id"

[[tests]]
type = "expression"
expression = "amount >= 0 and status <> ''"

[[tests]]
type = "row_count"
min = 1

[contract]
columns = [
  { name = "id", type = "INTEGER", nullable = false },
  { name = "customer_id", type = "BIGINT" },
  { name = "amount", type = "DECIMAL(10,2)" },
  { name = "status", type = "VARCHAR" },
  { name = "paid", type = "BOOLEAN" },
]
"#;
    assert_eq!(sidecar_diags(sidecar), vec![]);
}

#[test]
fn unknown_columns_are_reported_at_their_name_with_did_you_mean() {
    let sidecar = "[[tests]]\ntype = \"not_null\"\ncolumn = \"custmer_id\"\n\n[[tests]]\ntype = \"unique\"\ncolumns = [\"id\", \"nope\"]\n";
    assert_eq!(sidecar_diags(sidecar), pairs(&[("E701", "custmer_id"), ("E701", "nope")]));
    let mut h = host(sidecar);
    let d = h.analysis().file_diagnostics("models/orders.toml").expect("ok");
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `customer_id`?"));
}

#[test]
fn relationships_check_the_target_and_the_types() {
    let unknown_model = "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"custmers.id\"\n";
    assert_eq!(sidecar_diags(unknown_model), pairs(&[("E702", "custmers")]));
    let unknown_column =
        "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"customers\"\nfield = \"idd\"\n";
    assert_eq!(sidecar_diags(unknown_column), pairs(&[("E702", "idd")]));
    let source = "[[tests]]\ntype = \"relationships\"\ncolumn = \"status\"\nto = \"raw.customers.id\"\n";
    assert_eq!(sidecar_diags(source), pairs(&[("E703", "id")]), "DuckDB needs an explicit cast for VARCHAR = BIGINT");
    let ok = "[[tests]]\ntype = \"relationships\"\ncolumn = \"customer_id\"\nto = \"raw.customers.id\"\n";
    assert_eq!(sidecar_diags(ok), vec![]);
    let mismatch = "[[tests]]\ntype = \"relationships\"\ncolumn = \"paid\"\nto = \"raw.orders.amount\"\n";
    assert_eq!(sidecar_diags(mismatch), pairs(&[("E703", "amount")]));
}

#[test]
fn accepted_values_must_compare_with_the_column() {
    let sidecar = "[[tests]]\ntype = \"accepted_values\"\ncolumn = \"id\"\nvalues = [1, \"2\", \"two\", true]\n";
    assert_eq!(sidecar_diags(sidecar), pairs(&[("E703", "\"two\"")]), "DuckDB compares INTEGER with BOOLEAN");
}

#[test]
fn expressions_are_typed_like_sql_with_spans_inside_the_string() {
    let not_bool = "[[tests]]\ntype = \"expression\"\nexpression = \"amount + 1\"\n";
    assert_eq!(sidecar_diags(not_bool), pairs(&[("E704", "amount + 1")]));
    let unknown = "[[tests]]\ntype = \"expression\"\nexpression = \"amout >= 0\"\n";
    assert_eq!(sidecar_diags(unknown), pairs(&[("E102", "amout")]));
    let mismatch = "[[tests]]\ntype = \"expression\"\nexpression = '''\nstatus > 1.5 or paid'''\n";
    assert_eq!(sidecar_diags(mismatch).first().map(|d| d.0.as_str()), Some("E201"));
    let broken = "[[tests]]\ntype = \"expression\"\nexpression = \"amount >= \"\n";
    assert_eq!(sidecar_diags(broken).first().map(|d| d.0.as_str()), Some("E001"));
    let aggregate = "[[tests]]\ntype = \"expression\"\nexpression = \"sum(amount) > 0\"\n";
    assert_eq!(sidecar_diags(aggregate).first().map(|d| d.0.as_str()), Some("E302"));
}

#[test]
fn contracts_are_compared_with_the_inferred_schema() {
    let sidecar = r#"[contract]
columns = [
  { name = "id", type = "BIGINT" },
  { name = "customer_id", type = "INT8" },
  { name = "amount" },
  { name = "status", type = "VARCHAR" },
  { name = "discount", type = "DOUBLE" },
]
"#;
    let got = sidecar_diags(sidecar);
    assert_eq!(
        got,
        pairs(&[("E705", "contract"), ("E705", "BIGINT"), ("E705", "discount")]),
        "paid is not declared, id is INTEGER, discount is missing; INT8 is BIGINT"
    );
}

#[test]
fn shape_errors_in_tests_are_e003_at_the_value() {
    let sidecar = "[[tests]]\ntype = \"not_nul\"\ncolumn = \"id\"\n\n[[tests]]\ntype = \"row_count\"\nmin = 5\nmax = 1\n\n[[tests]]\ntype = \"unique\"\nseverity = \"fatal\"\ncolumn = \"id\"\n";
    assert_eq!(
        sidecar_diags(sidecar),
        pairs(&[("E003", "\"not_nul\""), ("E003", "\"row_count\""), ("E003", "\"fatal\"")])
    );
    let mut h = host(sidecar);
    let d = h.analysis().file_diagnostics("models/orders.toml").expect("ok");
    assert!(d[0].hint.as_deref().unwrap_or("").contains("did you mean `not_null`?"), "{:?}", d[0].hint);
}

#[test]
fn rocky_1_71_assertions_are_read_as_tests() {
    let sidecar = "[[assertions]]\ntype = \"not_null\"\ncolumn = \"nope\"\n";
    assert_eq!(sidecar_diags(sidecar), pairs(&[("E701", "nope")]));
}

#[test]
fn compiled_tests_read_the_mapped_target_and_quote_identifiers() {
    let sidecar = r#"
[[tests]]
type = "accepted_values"
column = "status"
values = ["it's", "x"]

[[tests]]
type = "relationships"
column = "customer_id"
to = "customers.id"

[contract]
columns = [{ name = "id", nullable = false }, { name = "customer_id" }, { name = "amount" }, { name = "status" }, { name = "paid" }]
"#;
    let mut h = host(sidecar);
    let opts = CompileOptions { targets: TargetMapping::SchemaPrefix("branch__dev".into()) };
    let errors = h.analysis().file_diagnostics("models/orders.toml").expect("ok");
    assert!(errors.is_empty(), "{errors:?}");
    let tests = h.analysis().data_tests("orders", &opts).expect("ok").expect("compiles");
    assert_eq!(tests.len(), 3);
    assert!(tests[0].sql.contains(r#""db"."branch__dev__main"."orders""#), "{}", tests[0].sql);
    assert!(tests[0].sql.contains(r#""status" NOT IN ('it''s', 'x')"#), "{}", tests[0].sql);
    assert!(tests[1].sql.contains(r#"FROM "db"."branch__dev__main"."customers" AS parent"#), "{}", tests[1].sql);
    assert_eq!(tests[2].kind, "contract");
    assert!(tests[2].sql.contains(r#""id" IS NULL"#));
}

#[test]
fn sidecar_strings_naming_columns_complete_and_hover() {
    // Being typed: the string is not closed, so the TOML does not parse yet.
    let typing = "[[tests]]\ntype = \"not_null\"\ncolumn = \"cu";
    let mut h = host(typing);
    let labels: Vec<String> = h
        .analysis()
        .completions("models/orders.toml", typing.len() as u32)
        .expect("ok")
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(labels, ["id", "customer_id", "amount", "status", "paid"]);
    // Not after a key that names no column, nor outside strings.
    let other = "[[tests]]\ntype = \"no";
    assert!(host(other).analysis().completions("models/orders.toml", other.len() as u32).expect("ok").is_empty());
    // A multi-line contract: the key is `name` of the inline table on this line.
    let contract = "[contract]\ncolumns = [\n  { name = \"id\", type = \"INTEGER\" },\n  { name = \"";
    let n = host(contract).analysis().completions("models/orders.toml", contract.len() as u32).expect("ok").len();
    assert_eq!(n, 5);

    let sidecar = "[[tests]]\ntype = \"unique\"\ncolumns = [\"id\", \"customer_id\"] # keys\n";
    let mut h = host(sidecar);
    let at = sidecar.find("customer_id").unwrap() as u32 + 3;
    let hover = h.analysis().hover("models/orders.toml", at).expect("ok").expect("a hover");
    assert!(hover.markdown.contains("customer_id BIGINT"), "{}", hover.markdown);
    assert!(hover.markdown.contains("column of model `orders`"), "{}", hover.markdown);
    assert_eq!(&sidecar[hover.range.start as usize..hover.range.end as usize], "customer_id");
    let on_type = sidecar.find("unique").unwrap() as u32 + 1;
    assert!(h.analysis().hover("models/orders.toml", on_type).expect("ok").is_none());
}
