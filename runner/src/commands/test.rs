//! `rocky test`: run the selected models' data tests and contract checks against the tables they
//! were built into (production, a branch or the shadow schema), without building anything.

use std::io::Write;
use std::path::PathBuf;

use rocky_analysis::config::Strategy;
use rocky_analysis::ide::CompileOptions;
use rocky_state::TestStatus;

use super::{connect, CommandResult, Failure};
use crate::cli::GlobalArgs;
use crate::exit;
use crate::project;
use crate::run::data_tests::{self, TestOutcome};
use crate::run::{self, DestinationArgs};

/// Run the models' data tests against their built tables.
#[derive(Debug, Clone, clap::Args)]
pub struct TestArgs {
    /// Project folder (default: the current folder or -C).
    pub path: Option<PathBuf>,
    /// Only these models (same patterns as `rocky run --models`).
    #[arg(long, value_name = "PATTERN")]
    pub models: Option<String>,
    #[command(flatten)]
    pub destination: DestinationArgs,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One model's test results.
#[derive(serde::Serialize)]
struct ModelTests {
    name: String,
    target: String,
    tests: Vec<TestOutcome>,
}

pub fn run(global: &GlobalArgs, args: &TestArgs) -> CommandResult {
    let mut project = project::open(global, &project::start_dir(global, args.path.as_deref()))?;
    project.load_schema_cache();
    let mapping = run::destination_mapping(&project, &args.destination)?;
    let analysis = project.loaded.host.analysis();
    let selected = run::selected_models(&analysis, args.models.as_deref())?;
    let errors = run::project_errors(global, &project, &analysis, &selected);
    if !errors.is_empty() {
        return Err(Failure::error(
            format!("the project has {} error(s); no test was run", errors.len()),
            "fix them (`rocky check` shows them too), then run again",
        ));
    }
    let wh = connect::open(&project)?;
    let opts = CompileOptions { targets: mapping };
    let mut results = Vec::new();
    for info in analysis.models().unwrap_or_default() {
        if !selected.contains(&info.name) || matches!(info.strategy, Strategy::Ephemeral) {
            continue;
        }
        let tests = analysis.data_tests(&info.name, &opts).ok().and_then(Result::ok).unwrap_or_default();
        let contract = analysis.contract(&info.name).ok().flatten();
        if tests.is_empty() && contract.is_none() {
            continue;
        }
        let target = opts.targets.apply(&info.target);
        let outcomes = match wh.describe_table(&target) {
            Ok(Some(columns)) => data_tests::run_all(wh.as_ref(), &tests, contract.as_ref(), Some(&columns)),
            Ok(None) => vec![not_built(&info.name, &target.to_string())],
            Err(e) => return Err(connect::failure(e)),
        };
        results.push(ModelTests { name: info.name.clone(), target: target.to_string(), tests: outcomes });
    }
    let all: Vec<&TestOutcome> = results.iter().flat_map(|m| &m.tests).collect();
    let blocking = all.iter().filter(|t| t.is_blocking()).count();
    let passed = all.iter().filter(|t| t.status == TestStatus::Passed).count();
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let doc = serde_json::json!({
            "version": 1,
            "status": if blocking == 0 { "passed" } else { "failed" },
            "models": results,
            "summary": { "tests": all.len(), "passed": passed, "failed": blocking, "warned": all.len() - passed - blocking },
        });
        serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from).and_then(|_| writeln!(out))
    } else {
        write_text(&mut out, &results, all.len(), passed, blocking)
    };
    let _ = written.and_then(|_| out.flush());
    Ok(if blocking == 0 { exit::OK } else { exit::ERRORS })
}

fn not_built(model: &str, target: &str) -> TestOutcome {
    TestOutcome {
        name: "table exists".into(),
        kind: "built".into(),
        severity: rocky_analysis::config::TestSeverity::Error,
        status: TestStatus::Error,
        failing_rows: 0,
        columns: Vec::new(),
        sample: Vec::new(),
        message: Some(format!("`{target}` does not exist: build it with `rocky run --models {model}`")),
        duration_ms: 0,
    }
}

fn write_text(
    out: &mut impl Write,
    results: &[ModelTests],
    total: usize,
    passed: usize,
    blocking: usize,
) -> std::io::Result<()> {
    if results.is_empty() {
        return writeln!(
            out,
            "no data tests or contracts in the selected models (declare them in the sidecars: [[tests]])"
        );
    }
    for m in results {
        writeln!(out, "{} ({})", m.name, m.target)?;
        for t in &m.tests {
            let mark = match (t.status, t.is_blocking()) {
                (TestStatus::Passed, _) => "✓",
                (_, true) => "✗",
                _ => "!",
            };
            writeln!(out, "  {mark} {}", t.summary())?;
            let table = data_tests::sample_table(t, "      ");
            if !table.is_empty() {
                writeln!(out, "{table}")?;
            }
        }
    }
    let warned = total - passed - blocking;
    let mark = if blocking == 0 { "✓" } else { "✗" };
    writeln!(out, "\n{mark} {total} test(s): {passed} passed, {blocking} failed, {warned} warned")
}
