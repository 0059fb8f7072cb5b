//! What the user sees: a progress bar on a terminal, plain lines otherwise, a summary table at the
//! end — or, with `--json`, one document and nothing else on stdout. Warnings go to stderr (and
//! into the JSON document).

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::build::BuildMode;

/// A model's outcome in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Succeeded,
    Failed,
    /// An upstream model failed.
    Skipped,
    /// The run was interrupted before it started.
    NotStarted,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Succeeded => "built",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::NotStarted => "not started",
        }
    }
}

/// One model's line in the summary and the JSON document.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ModelOutcome {
    pub name: String,
    /// `catalog.schema.table` where it was built.
    pub target: String,
    pub strategy: &'static str,
    pub status: Status,
    pub mode: Option<BuildMode>,
    pub rows: Option<u64>,
    pub duration_ms: u64,
    pub sql_hash: String,
    pub error: Option<String>,
    /// Analysis/warehouse schema differences.
    pub drift: Vec<String>,
    /// The contract check and data tests run after the build.
    pub tests: Vec<super::data_tests::TestOutcome>,
}

struct Inner {
    bar: Option<ProgressBar>,
    json: bool,
    total: usize,
    done: usize,
    warnings: Vec<String>,
}

/// Progress and warnings; cheap to clone, usable from any thread.
#[derive(Clone)]
pub struct Reporter {
    inner: Arc<Mutex<Inner>>,
}

impl Reporter {
    /// A reporter for `total` models: a bar when stderr is a terminal (and not `--json`).
    pub fn new(total: usize, json: bool) -> Reporter {
        let bar = (!json && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}] {wide_msg} {elapsed}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Reporter { inner: Arc::new(Mutex::new(Inner { bar, json, total, done: 0, warnings: Vec::new() })) }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// A warning: on stderr now, and in the JSON document.
    pub fn warn(&self, message: String) {
        self.with(|i| {
            let line = format!("warning: {message}");
            match &i.bar {
                Some(bar) => bar.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
            i.warnings.push(message);
        });
    }

    /// A model started (shown on the bar).
    pub fn started(&self, name: &str) {
        self.with(|i| {
            if let Some(bar) = &i.bar {
                bar.set_message(format!("building {name}"));
            }
        });
    }

    /// A model finished, failed or was skipped.
    pub fn finished(&self, m: &ModelOutcome) {
        self.with(|i| {
            i.done += 1;
            if i.json {
                return;
            }
            let mut line = format!("[{}/{}] {} {} ({})", i.done, i.total, m.status.word(), m.name, details(m));
            for t in m.tests.iter().filter(|t| t.status != rocky_state::TestStatus::Passed) {
                let mark = if t.is_blocking() { "✗" } else { "!" };
                line.push_str(&format!("\n    {mark} test {} ({})", t.summary(), t.severity.as_str()));
                let table = super::data_tests::sample_table(t, "        ");
                if !table.is_empty() {
                    line.push('\n');
                    line.push_str(&table);
                }
            }
            match &i.bar {
                Some(bar) => {
                    bar.inc(1);
                    if m.status != Status::Succeeded || line.contains('\n') {
                        bar.suspend(|| eprintln!("{line}"));
                    }
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{line}").and_then(|_| out.flush());
                }
            }
        });
    }

    /// Clears the bar; returns the warnings so far.
    pub fn finish(&self) -> Vec<String> {
        self.with(|i| {
            if let Some(bar) = i.bar.take() {
                bar.finish_and_clear();
            }
            i.warnings.clone()
        })
    }
}

/// `full_refresh, 1,204 rows, 0.12 s` / the error / the failed upstream.
fn details(m: &ModelOutcome) -> String {
    match m.status {
        Status::Succeeded | Status::Failed if m.mode.is_some() => {
            let mut parts = vec![match m.mode {
                Some(BuildMode::Append) => format!("{}: appended", m.strategy),
                Some(BuildMode::Upsert) => format!("{}: upserted", m.strategy),
                Some(BuildMode::Full) if m.strategy == "incremental" || m.strategy == "merge" => {
                    format!("{}: full build", m.strategy)
                }
                _ => m.strategy.to_string(),
            }];
            if let Some(rows) = m.rows {
                parts.push(format!("{} rows", thousands(rows)));
            }
            parts.push(seconds(m.duration_ms));
            let passed = m.tests.iter().filter(|t| t.status == rocky_state::TestStatus::Passed).count();
            if !m.tests.is_empty() {
                parts.push(format!("tests {passed}/{} passed", m.tests.len()));
            }
            parts.join(", ")
        }
        _ => m.error.as_deref().and_then(|e| e.lines().next()).unwrap_or("").to_string(),
    }
}

/// `1204` → `1,204`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn seconds(ms: u64) -> String {
    format!("{:.2} s", ms as f64 / 1000.0)
}

/// The final table, one row per model, and a one-line verdict.
pub fn write_summary(
    out: &mut impl Write,
    models: &[ModelOutcome],
    status: &str,
    elapsed_ms: u64,
) -> std::io::Result<()> {
    let name_w = models.iter().map(|m| m.name.chars().count()).max().unwrap_or(5).max(5);
    writeln!(out)?;
    writeln!(out, "{:<name_w$}  {:<11}  {:<12}  {:>12}  {:>9}", "model", "status", "strategy", "rows", "time")?;
    for m in models {
        let rows = m.rows.map(thousands).unwrap_or_else(|| "-".into());
        let time = if m.status == Status::Succeeded || m.status == Status::Failed {
            seconds(m.duration_ms)
        } else {
            "-".into()
        };
        writeln!(out, "{:<name_w$}  {:<11}  {:<12}  {:>12}  {:>9}", m.name, m.status.word(), m.strategy, rows, time)?;
    }
    let count = |s: Status| models.iter().filter(|m| m.status == s).count();
    let mut parts = vec![format!("{} built", count(Status::Succeeded))];
    for (s, word) in [(Status::Failed, "failed"), (Status::Skipped, "skipped"), (Status::NotStarted, "not started")] {
        if count(s) > 0 {
            parts.push(format!("{} {word}", count(s)));
        }
    }
    let mark = if status == "succeeded" { "✓" } else { "✗" };
    writeln!(out, "\n{mark} run {status}: {} in {}", parts.join(", "), seconds(elapsed_ms))
}

/// The `--json` document (version 1; fields are only ever added).
#[derive(serde::Serialize)]
pub struct RunDocument<'a> {
    pub version: u32,
    pub run_id: &'a str,
    pub status: &'a str,
    pub branch: Option<&'a str>,
    pub shadow_schema: Option<&'a str>,
    pub duration_ms: u64,
    pub models: &'a [ModelOutcome],
    pub warnings: &'a [String],
    pub summary: Counts,
}

/// The `--json` document of a run that did not start (`status: "refused"`): the same fields as
/// [`RunDocument`] (no run id, no models) plus `error` and the project's errors as
/// `rocky check --format json` diagnostics.
pub fn write_refused(
    out: &mut impl Write,
    (branch, shadow_schema): (Option<&str>, Option<&str>),
    failure: &crate::commands::Failure,
    diagnostics: &[serde_json::Value],
    elapsed_ms: u64,
) -> std::io::Result<()> {
    let doc = serde_json::json!({
        "version": 1,
        "run_id": null,
        "status": "refused",
        "branch": branch,
        "shadow_schema": shadow_schema,
        "duration_ms": elapsed_ms,
        "models": [],
        "warnings": [],
        "summary": Counts::of(&[]),
        "error": { "message": failure.message, "hint": failure.hint, "exit_code": failure.code },
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    out.flush()
}

/// Models by status.
#[derive(serde::Serialize)]
pub struct Counts {
    pub succeeded: usize,
    pub failed: usize,
    pub skipped: usize,
    pub not_started: usize,
}

impl Counts {
    pub fn of(models: &[ModelOutcome]) -> Counts {
        let count = |s: Status| models.iter().filter(|m| m.status == s).count();
        Counts {
            succeeded: count(Status::Succeeded),
            failed: count(Status::Failed),
            skipped: count(Status::Skipped),
            not_started: count(Status::NotStarted),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1204), "1,204");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
