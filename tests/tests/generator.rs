//! The synthetic project generator makes projects that real DuckDB builds and that the analysis
//! types exactly as DuckDB does — so benchmarks measure realistic, error-free work.

use rocky_analysis::Severity;
use rocky_tests::duck::Duck;
use rocky_tests::generator::{generate, GenConfig};

#[test]
fn generated_project_builds_on_duckdb_and_matches_the_analysis() {
    let project = generate(&GenConfig { models: 60, seed: 7 });
    let duck = Duck::open("bench").expect("duckdb");
    duck.execute_batch(&project.seed_sql).expect("seed");
    let mut host = project.load_into_host();
    let analysis = host.analysis();
    let diags = analysis.all_diagnostics().expect("not cancelled");
    let errors: Vec<_> = diags.iter().filter(|d| d.severity != Severity::Info).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for m in analysis.models().expect("models") {
        let sql = analysis.file_text(&m.path).expect("text");
        duck.execute_batch(&format!("CREATE TABLE {} AS {sql}", m.name))
            .unwrap_or_else(|e| panic!("{}: {e}\n{sql}", m.name));
        let truth = duck.describe(&format!("SELECT * FROM {}", m.name)).expect("describe");
        let ours: Vec<(String, String)> = m.schema.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())).collect();
        assert_eq!(ours, truth, "{}", m.name);
    }
}

#[test]
fn generation_is_deterministic() {
    let a = generate(&GenConfig { models: 200, seed: 1 });
    let b = generate(&GenConfig { models: 200, seed: 1 });
    assert_eq!(a.models, b.models);
}
