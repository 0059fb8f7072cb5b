//! Incrementality, observed through salsa's own event log: which tracked functions re-execute
//! after an edit.

use rocky_analysis::base::ExecutionLog;
use rocky_analysis::{AnalysisHost, SourceColumn, SourceSchemaSnapshot, SourceTable};

/// A project: two sources, a staging layer, and two downstream chains.
fn host(log: &ExecutionLog) -> AnalysisHost {
    let mut host = AnalysisHost::with_event_sink(log.sink());
    host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"shop.duckdb\"\n".into()));
    let mut snapshot = SourceSchemaSnapshot::default();
    for (key, cols) in [
        ("shop.raw.orders", vec![("id", "INTEGER"), ("customer_id", "INTEGER"), ("amount", "DECIMAL(10,2)")]),
        ("shop.raw.customers", vec![("id", "INTEGER"), ("name", "VARCHAR")]),
    ] {
        snapshot.insert(SourceTable {
            key: key.into(),
            columns: cols
                .into_iter()
                .map(|(n, t)| SourceColumn { name: n.into(), type_string: t.into(), nullable: true })
                .collect(),
            written_at: None,
        });
    }
    host.set_source_schemas(snapshot);
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount from raw.orders".into());
    host.set_model("models/stg_customers.sql", "select id, name from raw.customers".into());
    host.set_model(
        "models/orders_enriched.sql",
        "select o.id, o.amount, c.name from stg_orders o join stg_customers c on o.customer_id = c.id".into(),
    );
    host.set_model(
        "models/revenue.sql",
        "select name, sum(amount) as revenue from orders_enriched group by name".into(),
    );
    host.set_model("models/customer_names.sql", "select upper(name) as name from stg_customers".into());
    host
}

/// Runs a full check and returns the models whose `function` re-executed, sorted.
fn executed(host: &mut AnalysisHost, log: &ExecutionLog, function: &str) -> Vec<String> {
    let analysis = host.analysis();
    let diags = analysis.all_diagnostics().expect("not cancelled");
    assert!(diags.iter().all(|d| d.severity != rocky_analysis::Severity::Error), "fixture must be clean: {diags:#?}");
    let ids = host.model_ids();
    let entries = log.take();
    if std::env::var("ROCKY_DEBUG_LOG").is_ok() {
        eprintln!("{ids:?}\n{entries:#?}");
    }
    let mut out: Vec<String> = entries
        .into_iter()
        .filter_map(|entry| {
            let (name, rest) = entry.split_once('(')?;
            if name != function {
                return None;
            }
            let id = rest.strip_suffix(')')?;
            ids.iter().find(|(_, i)| i == id).map(|(path, _)| path.clone())
        })
        .collect();
    out.sort();
    out
}

fn paths(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|n| format!("models/{n}.sql")).collect();
    v.sort();
    v
}

#[test]
fn editing_one_model_reparses_only_that_model() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    executed(&mut host, &log, "parse_model");
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount from raw.orders where id > 0".into());
    assert_eq!(executed(&mut host, &log, "parse_model"), paths(&["stg_orders"]));
}

#[test]
fn body_edit_that_keeps_the_schema_rechecks_no_dependent() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    executed(&mut host, &log, "infer_model");
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount from raw.orders where amount > 10".into());
    assert_eq!(executed(&mut host, &log, "infer_model"), paths(&["stg_orders"]));
}

#[test]
fn schema_changing_edit_rechecks_exactly_the_transitive_dependents() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    executed(&mut host, &log, "infer_model");
    // amount becomes DOUBLE: orders_enriched and revenue see a new type; customer models don't.
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount::double as amount from raw.orders".into());
    assert_eq!(executed(&mut host, &log, "infer_model"), paths(&["orders_enriched", "revenue", "stg_orders"]));
}

#[test]
fn changing_one_cached_source_rechecks_only_its_readers() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    executed(&mut host, &log, "infer_model");
    let mut snapshot = SourceSchemaSnapshot::default();
    snapshot.insert(SourceTable {
        key: "shop.raw.orders".into(),
        columns: vec![
            SourceColumn { name: "id".into(), type_string: "INTEGER".into(), nullable: true },
            SourceColumn { name: "customer_id".into(), type_string: "INTEGER".into(), nullable: true },
            SourceColumn { name: "amount".into(), type_string: "DECIMAL(10,2)".into(), nullable: true },
        ],
        written_at: None,
    });
    snapshot.insert(SourceTable {
        key: "shop.raw.customers".into(),
        columns: vec![
            SourceColumn { name: "id".into(), type_string: "BIGINT".into(), nullable: true },
            SourceColumn { name: "name".into(), type_string: "VARCHAR".into(), nullable: true },
        ],
        written_at: None,
    });
    host.set_source_schemas(snapshot);
    // customers.id changed type: stg_customers re-checks, and so do its readers (its schema
    // changed); stg_orders (other source) and revenue (orders_enriched's schema is unchanged) don't.
    let ran = executed(&mut host, &log, "infer_model");
    assert_eq!(ran, paths(&["customer_names", "orders_enriched", "stg_customers"]));
}

#[test]
fn diagnostics_follow_a_schema_change_downstream() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    executed(&mut host, &log, "infer_model");
    host.set_model("models/stg_customers.sql", "select id, name as full_name from raw.customers".into());
    let analysis = host.analysis();
    let diags = analysis.file_diagnostics("models/orders_enriched.sql").expect("not cancelled");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code.as_str(), "E102");
    let text = analysis.file_text("models/orders_enriched.sql").unwrap_or_default();
    assert_eq!(
        &text[diags[0].range.start as usize..diags[0].range.end as usize],
        "c.name",
        "the whole qualified reference"
    );
}

#[test]
fn a_whole_project_check_parses_each_model_and_an_edit_only_its_own() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    let mut every: Vec<String> = host.model_ids().into_iter().map(|(path, _)| path).collect();
    every.sort();
    assert_eq!(executed(&mut host, &log, "parse_model"), every);
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount from raw.orders where id > 0".into());
    assert_eq!(executed(&mut host, &log, "parse_model"), paths(&["stg_orders"]));
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount from raw.orders where id > 1".into());
    assert_eq!(executed(&mut host, &log, "infer_model"), paths(&["stg_orders"]));
}

/// Every model whose `function` executed since the log was last read, sorted.
fn ran_since(host: &AnalysisHost, log: &ExecutionLog, function: &str) -> Vec<String> {
    let ids = host.model_ids();
    let prefix = format!("{function}(");
    let mut out: Vec<String> = log
        .take()
        .into_iter()
        .filter_map(|entry| {
            let id = entry.strip_prefix(&prefix)?.strip_suffix(')')?.to_string();
            ids.iter().find(|(_, i)| *i == id).map(|(path, _)| path.clone())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_resolution_index_is_built_only_for_files_an_editor_feature_asks_about() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    // A whole-project check (what the language server runs at start) builds no resolution index:
    // it is most of what a walk learns, and holding it for every model was most of the memory.
    assert!(executed(&mut host, &log, "model_resolutions").is_empty());
    let analysis = host.analysis();
    let hints = analysis.inlay_hints("models/revenue.sql", None).expect("not cancelled");
    assert!(!hints.is_empty());
    let hover = analysis.hover("models/revenue.sql", 8).expect("not cancelled");
    assert!(hover.is_some(), "hover on `name`");
    // Both answers come from one index, built once, for that file only; the hover's downstream
    // walk reads lineages, not other files' indexes.
    assert_eq!(ran_since(&host, &log, "model_resolutions"), paths(&["revenue"]));
}

#[test]
fn a_body_edit_keeps_the_readers_index() {
    let log = ExecutionLog::default();
    let mut host = host(&log);
    let walk = |host: &mut AnalysisHost| {
        let a = host.analysis();
        let graph = a
            .downstream_lineage(rocky_analysis::hir::LineageTable::Source("shop.raw.orders".into()), "amount")
            .expect("not cancelled");
        graph.nodes.iter().map(|n| format!("{:?}.{}", n.table, n.column)).collect::<Vec<_>>()
    };
    let before = walk(&mut host);
    assert!(before.iter().any(|n| n.contains("revenue")), "{before:?}");
    assert!(log.take().iter().any(|e| e.starts_with("readers_index")), "the walk builds the readers index");
    host.set_model("models/stg_orders.sql", "select id, customer_id, amount from raw.orders where id > 0".into());
    assert_eq!(walk(&mut host), before);
    assert!(!log.take().iter().any(|e| e.starts_with("readers_index")), "a body edit rebuilt the readers index");
    // A new reader of the source shows up downstream at once.
    host.set_model("models/big_orders.sql", "select amount * 2 as double_amount from raw.orders".into());
    assert!(walk(&mut host).iter().any(|n| n.contains("big_orders")));
}
