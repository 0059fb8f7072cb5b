//! Running a model's data tests and checking its contract against the built table. The SQL comes
//! from the analysis (`Analysis::data_tests`); this only executes it, one query per test, and
//! turns the answers into outcomes. Shared by `rocky run` (right after each build) and `rocky test`.

use std::time::Instant;

use rocky_analysis::config::{Contract, TestSeverity};
use rocky_analysis::ide::{contract_violations, CompiledTest};
use rocky_state::{TestResult, TestStatus};

use crate::warehouse::{Warehouse, WarehouseColumn};

/// One test's outcome, with a sample of the rows that broke it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TestOutcome {
    pub name: String,
    pub kind: String,
    pub severity: TestSeverity,
    pub status: TestStatus,
    pub failing_rows: u64,
    /// Column names of `sample`.
    pub columns: Vec<String>,
    /// Up to five failing rows, values as the warehouse prints them.
    pub sample: Vec<Vec<Option<String>>>,
    /// Why it failed, when that is not just "these rows".
    pub message: Option<String>,
    pub duration_ms: u64,
}

impl TestOutcome {
    /// Failed or errored with severity `error`: the model fails.
    pub fn is_blocking(&self) -> bool {
        self.status != TestStatus::Passed && self.severity == TestSeverity::Error
    }

    /// `not_null(id): 3 failing rows` / `… could not run: …`.
    pub fn summary(&self) -> String {
        match self.status {
            TestStatus::Passed => format!("{}: passed", self.name),
            TestStatus::Failed => match &self.message {
                Some(m) => format!("{}: {m}", self.name),
                None => format!("{}: {} failing row{}", self.name, self.failing_rows, plural(self.failing_rows)),
            },
            TestStatus::Error => format!("{}: could not run: {}", self.name, self.message.as_deref().unwrap_or("")),
        }
    }

    /// The record kept in run history.
    pub fn record(&self) -> TestResult {
        TestResult {
            name: self.name.clone(),
            kind: self.kind.clone(),
            severity: self.severity.as_str().to_string(),
            status: self.status,
            failing_rows: self.failing_rows,
            message: self.message.clone().or_else(|| (self.status == TestStatus::Failed).then(|| self.summary())),
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Checks the contract against the built table's columns (`described`), then runs every test.
pub fn run_all(
    wh: &dyn Warehouse,
    tests: &[CompiledTest],
    contract: Option<&Contract>,
    described: Option<&[WarehouseColumn]>,
) -> Vec<TestOutcome> {
    let mut out = Vec::new();
    if let (Some(contract), Some(columns)) = (contract, described) {
        let described: Vec<(String, String)> =
            columns.iter().map(|c| (c.name.clone(), c.type_string.clone())).collect();
        let violations = contract_violations(wh.dialect(), contract, &described);
        out.push(TestOutcome {
            name: "contract: columns and types".into(),
            kind: "contract".into(),
            severity: TestSeverity::Error,
            status: if violations.is_empty() { TestStatus::Passed } else { TestStatus::Failed },
            failing_rows: 0,
            columns: Vec::new(),
            sample: Vec::new(),
            message: (!violations.is_empty()).then(|| violations.join("; ")),
            duration_ms: 0,
        });
    }
    out.extend(tests.iter().map(|t| run_one(wh, t)));
    out
}

fn run_one(wh: &dyn Warehouse, test: &CompiledTest) -> TestOutcome {
    let clock = Instant::now();
    let mut outcome = TestOutcome {
        name: test.name.clone(),
        kind: test.kind.to_string(),
        severity: test.severity,
        status: TestStatus::Passed,
        failing_rows: 0,
        columns: Vec::new(),
        sample: Vec::new(),
        message: None,
        duration_ms: 0,
    };
    match wh.query_rows(&test.sql) {
        Ok(result) if !result.rows.is_empty() => {
            outcome.status = TestStatus::Failed;
            // The first column is the total count of failing rows; the rest is the sample.
            outcome.failing_rows = result
                .rows
                .first()
                .and_then(|r| r.first().cloned().flatten())
                .and_then(|n| n.parse().ok())
                .unwrap_or(result.rows.len() as u64);
            outcome.columns = result.columns.into_iter().skip(1).collect();
            outcome.sample = result.rows.into_iter().map(|r| r.into_iter().skip(1).collect()).collect();
        }
        Ok(_) => {}
        Err(e) => {
            outcome.status = TestStatus::Error;
            outcome.message = Some(e.detail());
        }
    }
    outcome.duration_ms = clock.elapsed().as_millis() as u64;
    outcome
}

/// Why the model fails because of its tests, if it does.
pub fn failure(outcomes: &[TestOutcome]) -> Option<String> {
    let blocking: Vec<String> = outcomes.iter().filter(|t| t.is_blocking()).map(TestOutcome::summary).collect();
    match blocking.len() {
        0 => None,
        1 => Some(format!("data test failed: {}", blocking[0])),
        n => Some(format!("{n} data tests failed: {}", blocking.join("; "))),
    }
}

/// The sample of failing rows as an indented table, for terminals.
pub fn sample_table(t: &TestOutcome, indent: &str) -> String {
    if t.sample.is_empty() {
        return String::new();
    }
    let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "NULL".into());
    let widths: Vec<usize> = (0..t.columns.len())
        .map(|i| {
            t.sample
                .iter()
                .map(|r| r.get(i).map(|v| cell(v).chars().count()).unwrap_or(0))
                .chain([t.columns[i].chars().count()])
                .max()
                .unwrap_or(0)
                .min(40)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let c: String = c.chars().take(*w).collect();
                format!("{c:<w$}")
            })
            .collect();
        format!("{indent}{}", padded.join("  ").trim_end())
    };
    let mut out = vec![line(t.columns.clone())];
    for r in &t.sample {
        out.push(line(r.iter().map(cell).collect()));
    }
    if t.failing_rows > t.sample.len() as u64 {
        out.push(format!("{indent}… {} more", t.failing_rows - t.sample.len() as u64));
    }
    out.join("\n")
}
