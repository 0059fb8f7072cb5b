//! The records stored in the state file. All are serde types because they are stored as JSON bytes
//! (so adding an optional field never needs a format bump) and the CLI prints them as JSON.

use serde::{Deserialize, Serialize};

/// One warehouse table's columns as last seen by Rocky (DESCRIBE or information_schema).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedTable {
    /// `catalog.schema.table`, lower-cased.
    pub key: String,
    pub columns: Vec<CachedColumn>,
    pub written_at_ms: u64,
    /// Set when a run wrote the entry for a table it built (a model's target, in production, a
    /// branch or a shadow schema): the editor then does not offer it as a source. Entries of
    /// older files have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub built: Option<BuiltTarget>,
}

/// A function the warehouse has beyond its built-ins (a macro, a UDF), as its catalog described
/// it when Rocky last looked: the editor then neither flags a call to it nor leaves it untyped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFunction {
    /// Lower-cased.
    pub name: String,
    pub overloads: Vec<CachedOverload>,
    pub written_at_ms: u64,
}

/// One overload of a [`CachedFunction`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedOverload {
    /// Parameter names (a macro's) or types (a UDF's): the call's arity.
    pub params: Vec<String>,
    /// The result type as the warehouse prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// A scalar macro's body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A type the warehouse's owner created (`CREATE TYPE mood AS ENUM (…)`), as the warehouse
/// prints it, so a model's cast to it is typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedType {
    /// `schema.name`, lower-cased.
    pub key: String,
    /// What the warehouse prints for the type (`ENUM('sad', 'ok')`, `INTEGER[]`).
    pub type_string: String,
    pub written_at_ms: u64,
}

/// Which model a run built into a cached table, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltTarget {
    pub model: String,
    /// Like [`RunRecord::branch`]: a branch name, `shadow:<schema>`, `None` for production.
    pub branch: Option<String>,
}

/// A column of a [`CachedTable`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedColumn {
    pub name: String,
    /// The warehouse's own type text (e.g. `DECIMAL(18,3)`); the analysis maps it to its types.
    pub type_string: String,
    pub nullable: bool,
}

/// One invocation of `rocky run` (or another command that builds models).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// From [`crate::new_run_id`]: sorts by start time.
    pub id: String,
    pub started_at_ms: u64,
    pub finished_at_ms: Option<u64>,
    pub status: RunStatus,
    /// What started the run, e.g. `cli`, `ci`, `lsp`.
    pub trigger: String,
    /// Where the run built: a branch name, `shadow:<schema>` for a `--shadow` run (a `:` is
    /// never in a branch name, see [`RunRecord::shadow_schema`]), `None` for production.
    pub branch: Option<String>,
    /// The models built so far, in the order they finished.
    pub models: Vec<ModelRun>,
}

/// A run's overall outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Still running — or, if the process died, a run that did not finish
    /// (see [`RunRecord::did_not_finish`]).
    Running,
    Succeeded,
    Failed,
    /// Some models failed or were skipped, others succeeded.
    Partial,
    /// Stopped by the user (Ctrl-C).
    Interrupted,
}

/// One model's build within a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRun {
    pub model: String,
    /// The table written, `catalog.schema.table`.
    pub target: String,
    /// `table`, `view`, `incremental`, `merge`, ...
    pub strategy: String,
    /// Hash of the SQL executed, so "what changed since the last run" can be answered.
    pub sql_hash: String,
    pub rows: Option<u64>,
    pub started_at_ms: u64,
    pub duration_ms: u64,
    pub status: ModelStatus,
    pub error: Option<String>,
    /// The data tests run right after the build (files from before tests existed have none).
    #[serde(default)]
    pub tests: Vec<TestResult>,
    /// What the run warned about this model, e.g. an analysis gap (the analysis reported an
    /// error the warehouse did not agree with). Files from before warnings have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One data test's result within a model run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    /// `not_null(id)`, or the test's own name.
    pub name: String,
    /// `not_null`, `unique`, …, `contract`.
    pub kind: String,
    /// `error` (a failure fails the model) or `warn`.
    pub severity: String,
    pub status: TestStatus,
    pub failing_rows: u64,
    /// Why it failed or could not run.
    pub message: Option<String>,
}

/// A data test's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Passed,
    /// The query found failing rows.
    Failed,
    /// The query itself failed (the warehouse's error is the message).
    Error,
}

impl TestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Passed => "passed",
            TestStatus::Failed => "failed",
            TestStatus::Error => "error",
        }
    }
}

/// A model's outcome within a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelStatus {
    Succeeded,
    Failed,
    /// Not built because an upstream model failed.
    Skipped,
}

/// A model's most recent build (into one target), with the run it belongs to (shown on hover
/// in the editor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastModelRun {
    pub run_id: String,
    pub run_started_at_ms: u64,
    /// The run's branch (`rocky run --branch`); `None` for production and shadow builds, and in
    /// entries written before this field existed.
    #[serde(default)]
    pub branch: Option<String>,
    pub model_run: ModelRun,
}

/// A named branch: models are built into schemas prefixed with `schema_prefix`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub name: String,
    /// `branch__<name>` (see [`crate::branch_schema_prefix`]).
    pub schema_prefix: String,
    pub created_at_ms: u64,
    pub created_by: String,
}

/// The high-water mark of an incremental model (the last value of its incremental column).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    pub value: String,
    pub updated_at_ms: u64,
}

/// How [`RunRecord::branch`] marks a shadow run: `shadow:<schema>`.
pub const SHADOW_RUN_PREFIX: &str = "shadow:";

impl RunRecord {
    /// True when the run is marked running but has no end: the process died (or is still going).
    /// Shown as "did not finish".
    pub fn did_not_finish(&self) -> bool {
        self.status == RunStatus::Running && self.finished_at_ms.is_none()
    }

    /// The [`RunRecord::branch`] value of a shadow run into `schema`.
    pub fn shadow_destination(schema: &str) -> String {
        format!("{SHADOW_RUN_PREFIX}{schema}")
    }

    /// The shadow schema of a `--shadow` run.
    pub fn shadow_schema(&self) -> Option<&str> {
        self.branch.as_deref()?.strip_prefix(SHADOW_RUN_PREFIX)
    }

    /// The branch of a `--branch` run (`None` for production and shadow runs).
    pub fn branch_name(&self) -> Option<&str> {
        self.branch.as_deref().filter(|_| self.shadow_schema().is_none())
    }
}

impl RunStatus {
    /// Lower-case name, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Partial => "partial",
            RunStatus::Interrupted => "interrupted",
        }
    }
}

impl ModelStatus {
    /// Lower-case name, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelStatus::Succeeded => "succeeded",
            ModelStatus::Failed => "failed",
            ModelStatus::Skipped => "skipped",
        }
    }
}
