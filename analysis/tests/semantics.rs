//! Project-level semantics from strings alone: dependencies, DAG, cycles, duplicates,
//! depends_on, lineage, spans of diagnostics.

use rocky_analysis::hir::{DerivationKind, LineageTable};
use rocky_analysis::{AnalysisHost, Diagnostic, SourceColumn, SourceSchemaSnapshot, SourceTable, StaleSource};

fn snapshot(tables: &[(&str, &[(&str, &str)])]) -> SourceSchemaSnapshot {
    let mut s = SourceSchemaSnapshot::default();
    for (key, cols) in tables {
        s.insert(SourceTable {
            key: key.to_string(),
            columns: cols
                .iter()
                .map(|(n, t)| SourceColumn { name: n.to_string(), type_string: t.to_string(), nullable: true })
                .collect(),
            written_at: None,
        });
    }
    s
}

fn project(models: &[(&str, &str)]) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
    host.set_source_schemas(snapshot(&[(
        "db.raw.orders",
        &[("id", "INTEGER"), ("customer_id", "BIGINT"), ("amount", "DECIMAL(10,2)"), ("status", "VARCHAR")],
    )]));
    for (name, sql) in models {
        host.set_model(&format!("models/{name}.sql"), sql.to_string());
    }
    host
}

fn text_of(host: &mut AnalysisHost, d: &Diagnostic) -> String {
    let text = host.analysis().file_text(&d.file).unwrap_or_default();
    text.get(d.range.start as usize..d.range.end as usize).unwrap_or("").to_string()
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn dag_orders_models_after_their_upstreams() {
    let mut host = project(&[
        ("c", "select * from b"),
        ("b", "select * from a"),
        ("a", "select id from raw.orders"),
        ("d", "select 1 as x"),
    ]);
    let dag = host.analysis().dag().expect("dag");
    assert_eq!(dag.order, vec!["a", "b", "c", "d"]);
    assert_eq!(dag.edges, vec![("a".into(), "b".into()), ("b".into(), "c".into())]);
    assert!(dag.cycles.is_empty());
    let b = host.analysis().model("b").expect("ok").expect("b exists");
    assert_eq!(b.depends_on, vec!["a"]);
    let a = host.analysis().model("a").expect("ok").expect("a exists");
    assert_eq!(a.sources, vec!["db.raw.orders"]);
}

#[test]
fn cycles_are_named_and_do_not_hang() {
    let mut host = project(&[("a", "select * from c"), ("b", "select * from a"), ("c", "select * from b")]);
    let dag = host.analysis().dag().expect("dag");
    assert_eq!(dag.cycles, vec![vec!["a".to_string(), "b".into(), "c".into()]]);
    let diags = host.analysis().all_diagnostics().expect("diags");
    assert_eq!(codes(&diags), vec!["E501", "E501", "E501"]);
    assert!(diags[0].message.contains("a → b → c"), "{}", diags[0].message);
    assert_eq!(text_of(&mut host, &diags[0]), "c");
}

#[test]
fn unknown_column_has_exact_span_and_suggestion() {
    let mut host = project(&[("m", "select id, amout from raw.orders")]);
    let diags = host.analysis().file_diagnostics("models/m.sql").expect("diags");
    assert_eq!(codes(&diags), vec!["E102"]);
    assert_eq!(text_of(&mut host, &diags[0]), "amout");
    assert_eq!(diags[0].hint.as_deref(), Some("did you mean `amount`?"));
    assert_eq!(diags[0].fixes[0].replacement, "amount");
}

#[test]
fn downstream_model_sees_upstream_types() {
    let mut host = project(&[
        ("stg", "select id, amount * 2 as doubled, status from raw.orders"),
        ("mart", "select status, sum(doubled) as total, count(*) as n from stg group by status"),
    ]);
    let mart = host.analysis().model("mart").expect("ok").expect("mart");
    let cols: Vec<(String, String)> = mart.schema.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())).collect();
    assert_eq!(
        cols,
        vec![
            ("status".to_string(), "VARCHAR".to_string()),
            ("total".into(), "DECIMAL(38,2)".into()),
            ("n".into(), "BIGINT".into())
        ]
    );
    assert!(!mart.schema.columns[2].nullable, "count(*) is never NULL");
}

#[test]
fn uncached_source_is_a_warning_and_its_columns_are_unknown() {
    let mut host =
        project(&[("m", "select anything, other + 1 as y from crm.not_cached"), ("typo", "select id from raw.ordrs")]);
    // A schema with nothing cached: not cached yet, a warning.
    let diags = host.analysis().file_diagnostics("models/m.sql").expect("diags");
    assert_eq!(codes(&diags), vec!["W110"]);
    assert_eq!(text_of(&mut host, &diags[0]), "crm.not_cached");
    // A table missing from a cached schema: most likely a typo, an error with a suggestion.
    let typo = host.analysis().file_diagnostics("models/typo.sql").expect("diags");
    assert_eq!(codes(&typo), vec!["E101"]);
    assert_eq!(typo[0].hint.as_deref(), Some("did you mean `orders`?"));
    assert!(diags[0].hint.as_deref().unwrap_or("").contains("rocky discover --with-schemas"));
    let m = host.analysis().model("m").expect("ok").expect("m");
    assert_eq!(m.schema.columns[0].ty, rocky_analysis::Type::Unknown);
}

#[test]
fn a_source_older_than_the_ttl_is_a_w110_that_says_so() {
    let sql = "select amount from raw.payments";
    let mut host = project(&[("m", sql)]);
    let mut snap = snapshot(&[("db.raw.orders", &[("id", "INTEGER")])]);
    // 2023-11-14 22:13:20 UTC; the fresh sibling in `raw` would otherwise make it an E101 typo.
    snap.stale.insert("db.raw.payments".into(), StaleSource { written_at: 1_700_000_000, ttl_seconds: 3600 });
    host.set_source_schemas(snap.clone());
    let diags = host.analysis().file_diagnostics("models/m.sql").expect("diags");
    assert_eq!(codes(&diags), vec!["W110"]);
    assert_eq!(text_of(&mut host, &diags[0]), "raw.payments");
    assert_eq!(
        diags[0].message,
        "source `db.raw.payments` was cached at 2023-11-14 22:13 UTC, longer ago than the schema-cache TTL (3600 s), so its columns are not checked"
    );
    let hint = diags[0].hint.as_deref().unwrap_or("");
    assert!(hint.contains("rocky run") && hint.contains("rocky discover --with-schemas"), "{hint}");
    // Cached again: fresh, no warning.
    snap.insert(SourceTable {
        key: "db.raw.payments".into(),
        columns: vec![SourceColumn { name: "amount".into(), type_string: "DOUBLE".into(), nullable: true }],
        written_at: None,
    });
    host.set_source_schemas(snap);
    assert!(host.analysis().file_diagnostics("models/m.sql").expect("diags").is_empty());
}

#[test]
fn unknown_table_suggests_a_model() {
    let mut host = project(&[("stg_orders", "select id from raw.orders"), ("m", "select id from stg_ordrs")]);
    let diags = host.analysis().file_diagnostics("models/m.sql").expect("diags");
    assert_eq!(codes(&diags), vec!["E101"]);
    assert_eq!(text_of(&mut host, &diags[0]), "stg_ordrs");
    assert_eq!(diags[0].hint.as_deref(), Some("did you mean `stg_orders`?"));
}

#[test]
fn duplicate_names_and_outputs_are_reported() {
    let mut host = project(&[("a", "select 1 as x, 2 as x"), ("b", "select 1 as y")]);
    host.set_sidecar(
        "models/b.sql",
        Some(rocky_analysis::base::SidecarText { path: "models/b.toml".into(), text: "name = \"a\"\n".into() }),
    );
    let diags = host.analysis().all_diagnostics().expect("diags");
    let mut c = codes(&diags);
    c.sort();
    assert!(c.contains(&"W401"), "{diags:#?}");
    assert!(c.contains(&"E502"), "{diags:#?}");
    // The query keeps both `x` (DESCRIBE of the query); the table renames the second one.
    let analysis = host.analysis();
    let names = |cols: Vec<rocky_analysis::OutputColumn>| cols.into_iter().map(|c| c.name).collect::<Vec<_>>();
    let query = analysis.query_columns("models/a.sql").expect("not cancelled").expect("a model");
    assert_eq!(names(query), ["x", "x"]);
    let models = analysis.models().expect("not cancelled");
    let table = models.iter().find(|m| m.path == "models/a.sql").expect("model a").schema.columns.clone();
    assert_eq!(names(table), ["x", "x_1"]);
}

#[test]
fn lineage_follows_ctes_and_aggregates() {
    let mut host = project(&[(
        "m",
        "with o as (select id as order_id, amount, status from raw.orders where status <> 'x') \
         select order_id, sum(amount) as total, cast(order_id as bigint) as oid from o group by order_id",
    )]);
    let lineage = host.analysis().model_lineage("m").expect("ok").expect("m");
    let by_name = |n: &str| lineage.columns.iter().find(|c| c.column == n).expect("column").inputs.clone();
    let source = LineageTable::Source("db.raw.orders".into());
    assert_eq!(by_name("order_id")[0].column.table, source);
    assert_eq!(by_name("order_id")[0].column.column, "id");
    assert_eq!(by_name("order_id")[0].kind, DerivationKind::Rename);
    assert_eq!(by_name("total")[0].column.column, "amount");
    assert_eq!(by_name("total")[0].kind, DerivationKind::Aggregate);
    assert_eq!(by_name("oid")[0].kind, DerivationKind::Cast);
    assert!(lineage.key_columns.iter().any(|k| k.column == "status"), "{:?}", lineage.key_columns);
}

#[test]
fn depends_on_is_checked_against_the_sql() {
    let mut host = project(&[("a", "select id from raw.orders"), ("b", "select id from a")]);
    host.set_sidecar(
        "models/b.sql",
        Some(rocky_analysis::base::SidecarText {
            path: "models/b.toml".into(),
            text: "depends_on = [\"nope\"]\n".into(),
        }),
    );
    let diags = host.analysis().file_diagnostics("models/b.toml").expect("diags");
    let mut c = codes(&diags);
    c.sort();
    assert_eq!(c, vec!["E504", "W505"], "{diags:#?}");
}

#[test]
fn transitive_lineage_upstream_and_downstream() {
    let mut host = project(&[
        ("stg", "select id, amount from raw.orders where status = 'ok'"),
        ("mart", "select id, amount * 2 as double_amount from stg"),
        ("top", "select max(double_amount) as best from mart"),
    ]);
    let analysis = host.analysis();
    let up = analysis.upstream_lineage("top", "best").expect("ok");
    let names: Vec<String> = up.nodes.iter().map(|n| format!("{:?}.{}", n.table, n.column)).collect();
    assert_eq!(
        names,
        vec![
            "Model(\"mart\").double_amount",
            "Model(\"stg\").amount",
            "Model(\"top\").best",
            "Source(\"db.raw.orders\").amount",
        ]
    );
    let down = analysis.downstream_lineage(LineageTable::Source("db.raw.orders".into()), "amount").expect("ok");
    let mut reached: Vec<String> =
        down.edges.iter().map(|e| format!("{:?}.{} {:?}", e.to.table, e.to.column, e.kind)).collect();
    reached.sort();
    assert_eq!(
        reached,
        vec![
            "Model(\"mart\").double_amount Some(Expression)",
            "Model(\"stg\").amount Some(Copy)",
            "Model(\"top\").best Some(Aggregate)",
        ]
    );
    let status = analysis.downstream_lineage(LineageTable::Source("db.raw.orders".into()), "status").expect("ok");
    assert_eq!(status.edges.len(), 1);
    assert_eq!(status.edges[0].kind, None, "status is only a filter key in stg");
}

#[test]
fn cycles_through_depends_on_are_reported_on_the_entry() {
    let mut host = project(&[("a", "select 1 as x"), ("b", "select x from a")]);
    host.set_sidecar(
        "models/a.sql",
        Some(rocky_analysis::base::SidecarText { path: "models/a.toml".into(), text: "depends_on = [\"b\"]\n".into() }),
    );
    let diags = host.analysis().all_diagnostics().expect("diags");
    let e501: Vec<_> = diags.iter().filter(|d| d.code.as_str() == "E501").collect();
    assert_eq!(e501.len(), 2, "{diags:#?}");
    let on_sidecar = e501.iter().find(|d| d.file == "models/a.toml").expect("reported on the sidecar");
    assert_eq!(text_of(&mut host, on_sidecar), "\"b\"");
}

#[test]
fn an_unknown_table_does_not_hide_errors_on_known_aliases() {
    // `x` is unknown (E101) and `u` an uncached source (W110): both are open, yet typos on the
    // known alias `o` are still errors; names that could come from an open table are not.
    let mut host = project(&[(
        "m",
        "select o.nope, o.id, x.anything, u.whatever, maybe_x\nfrom raw.orders o\njoin not_a_table x on x.id = o.id\njoin staging.events u on u.id = o.id\nwhere o.stauts = 'a'",
    )]);
    let diags = host.analysis().all_diagnostics().expect("ok");
    let mut got: Vec<(String, String)> =
        diags.iter().map(|d| (d.code.as_str().to_string(), text_of(&mut host, d))).collect();
    got.sort();
    let want = [("E101", "not_a_table"), ("E102", "o.nope"), ("E102", "o.stauts"), ("W110", "staging.events")];
    assert_eq!(got, want.map(|(c, t)| (c.to_string(), t.to_string())));
    let stauts = diags.iter().find(|d| text_of(&mut host, d) == "o.stauts").expect("E102 on o.stauts");
    assert_eq!(stauts.hint.as_deref(), Some("did you mean `status`?"));
    // The fix replaces the column name only, keeping the qualifier.
    let fix = stauts.fixes.first().expect("a fix");
    assert_eq!((fix.range.end - fix.range.start, fix.replacement.as_str()), (6, "status"));
}

#[test]
fn a_file_read_as_a_table_is_open_not_an_unknown_table() {
    let check = rocky_analysis::check_query(
        "select s.amount, region from 'data/sales.parquet' s join 'exports/regions.csv' using (id)",
        &SourceSchemaSnapshot::default(),
    );
    let errors: Vec<_> = check.diagnostics.iter().filter(|d| d.severity == rocky_analysis::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(check.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["amount", "region"]);
}

#[test]
fn a_string_literal_cast_to_a_number_it_does_not_spell_is_a_run_time_failure_warning() {
    let mut host = project(&[(
        "m",
        "select amount + 'abc' as a, amount + '1.5' as b, id = ' 42 ' as c, id > '0x1F' as d, status = 'abc' as e\nfrom raw.orders",
    )]);
    let diags = host.analysis().all_diagnostics().expect("ok");
    let got: Vec<(String, String)> =
        diags.iter().map(|d| (d.code.as_str().to_string(), text_of(&mut host, d))).collect();
    assert_eq!(got, [("W207".to_string(), "'abc'".to_string())]);
    assert!(diags[0].message.contains("cast to DECIMAL(10,2)"), "{}", diags[0].message);
}
