//! Every fixture project, checked by the analysis against what real DuckDB builds from it.
//!
//! The seed creates the sources; each model is built as a table in DAG order (from the analysis);
//! the analysis, given the sources' real schemas, must report no errors and infer exactly the
//! columns and types DuckDB's DESCRIBE reports for every model.

use std::path::Path;

use rocky_analysis::{Severity, Type};
use rocky_tests::duck::Duck;

fn check_fixture(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures").join(dir);
    let mut project = rocky_loader::load_project(&root).expect("fixture loads");
    assert!(project.problems.is_empty(), "{:?}", project.problems);
    let catalog = project.config.adapter.catalog();
    let duck = Duck::open(&catalog).expect("duckdb opens");
    let seed = std::fs::read_to_string(root.join("data/seed.sql")).expect("seed exists");
    duck.execute_batch(&seed).expect("seed runs");
    project.host.set_source_schemas(duck.snapshot().expect("snapshot"));

    let analysis = project.host.analysis();
    let diagnostics = analysis.all_diagnostics().expect("not cancelled");
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.severity != Severity::Info).collect();
    assert!(errors.is_empty(), "{dir}: unexpected diagnostics: {errors:#?}");

    let models = analysis.models().expect("not cancelled");
    let mut compared = 0;
    for m in &models {
        let sql = analysis.file_text(&m.path).expect("model text");
        // Build in the model's own name so downstream bare-name references resolve in DuckDB.
        duck.execute_batch(&format!("CREATE TABLE \"{}\" AS {}", m.name, sql.trim().trim_end_matches(';')))
            .unwrap_or_else(|e| panic!("{dir}/{}: DuckDB cannot build it: {e}", m.path));
        let truth = duck.describe(&format!("SELECT * FROM \"{}\"", m.name)).expect("describe");
        let ours: Vec<(String, String)> = m.schema.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())).collect();
        assert!(!m.schema.open, "{}: schema should be fully known", m.name);
        assert_eq!(ours.len(), truth.len(), "{}: column count\nours:   {ours:?}\nduckdb: {truth:?}", m.name);
        for (o, t) in m.schema.columns.iter().zip(&truth) {
            assert_eq!(o.name, t.0, "{}: column names\nours:   {ours:?}\nduckdb: {truth:?}", m.name);
            assert_ne!(o.ty, Type::Unknown, "{}.{}: type should be known", m.name, o.name);
            assert_eq!(o.ty.to_string(), t.1, "{}.{}: type", m.name, o.name);
            compared += 1;
        }
    }
    eprintln!("{dir}: {} models, {compared} columns agree with DuckDB", models.len());
}

#[test]
fn playground_matches_duckdb() {
    check_fixture("playground");
}

#[test]
fn realistic_project_matches_duckdb() {
    check_fixture("realistic");
}
