//! Data tests as SQL the runner can execute: one query per test that returns how many rows fail
//! and a few of them, against the table the model was built into (after the branch or shadow
//! mapping). The runner only executes these; how a test reads is decided here, once, for every
//! adapter.

use super::compile::{quote_ident, quote_table, CompileError, CompileOptions};
use crate::base::Db;
use crate::config::{Contract, DataTestKind, Strategy, TestSeverity, TestValue};
use crate::hir::{self, TableName, TableTarget};

/// Failing rows the runner shows per test.
pub const SAMPLE_ROWS: usize = 5;

/// The name of the first column of every test query: the total number of failing rows.
pub const FAILING_COUNT_COLUMN: &str = "rocky_failing_rows";

/// One test, ready to run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CompiledTest {
    /// `not_null(customer_id)`, or the test's `name`.
    pub name: String,
    /// The test kind (`not_null`, …; `contract` for a contract's `nullable = false`).
    pub kind: &'static str,
    pub severity: TestSeverity,
    /// Returns [`FAILING_COUNT_COLUMN`] (total failing rows) followed by the failing rows' columns,
    /// at most [`SAMPLE_ROWS`] rows; no rows at all when the test passes.
    pub sql: String,
    /// Other models whose tables the test reads (a relationship's parent): the runner builds
    /// them first.
    pub reads: Vec<String>,
}

impl super::Analysis {
    /// The data tests of one model (and the not-null promises of its contract), compiled against
    /// its built table. Empty for ephemeral models (never built). Refuses models with errors,
    /// like [`super::Analysis::compile_model`].
    pub fn data_tests(
        &self,
        name: &str,
        opts: &CompileOptions,
    ) -> super::Cancellable<Result<Vec<CompiledTest>, CompileError>> {
        let name = name.to_string();
        let opts = opts.clone();
        self.with_db(move |db| {
            let file = hir::model_index(db).by_name(&name).ok_or_else(|| CompileError::UnknownModel(name.clone()))?;
            let settings = hir::model_settings(db, file);
            let errors = hir::model_diagnostics(db, file)
                .iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                .count();
            if errors > 0 {
                return Err(CompileError::HasErrors { model: settings.name.clone(), errors });
            }
            if matches!(settings.config.strategy, Strategy::Ephemeral) {
                return Ok(Vec::new());
            }
            let table = quote_table(&opts.targets.apply(&settings.target));
            let mut out: Vec<CompiledTest> = settings
                .config
                .tests
                .iter()
                .map(|t| CompiledTest {
                    name: t.name.clone(),
                    kind: kind_name(&t.kind),
                    severity: t.severity,
                    sql: with_count(&failing_rows(db, &opts, &table, &t.kind)),
                    reads: parent_model(db, &t.kind).into_iter().collect(),
                })
                .collect();
            if let Some(contract) = &settings.config.contract {
                for c in contract.columns.iter().filter(|c| c.nullable.as_ref().is_some_and(|n| !n.value)) {
                    let col = quote_ident(&c.name.value);
                    out.push(CompiledTest {
                        name: format!("contract: {} not null", c.name.value),
                        kind: "contract",
                        severity: TestSeverity::Error,
                        sql: with_count(&format!("SELECT * FROM {table} WHERE {col} IS NULL")),
                        reads: Vec::new(),
                    });
                }
            }
            Ok(out)
        })
    }

    /// A model's `[contract]`, if it declares one.
    pub fn contract(&self, name: &str) -> super::Cancellable<Option<Contract>> {
        let name = name.to_string();
        self.with_db(move |db| {
            let file = hir::model_index(db).by_name(&name)?;
            hir::model_settings(db, file).config.contract.clone()
        })
    }
}

/// How a built table breaks its contract, one sentence per problem: `described` is the
/// warehouse's DESCRIBE (name, type string). Types compare as the warehouse's dialect reads
/// them, so DuckDB's `INT` and `INTEGER` agree, as do PostgreSQL's `int` and `integer` (but not
/// `text` and `character varying(40)`).
pub fn contract_violations(
    dialect: crate::dialect::Dialect,
    contract: &Contract,
    described: &[(String, String)],
) -> Vec<String> {
    let mut out = Vec::new();
    for declared in &contract.columns {
        let name = &declared.name.value;
        match described.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            None => out.push(format!("the contract declares `{name}`, but the built table has no such column")),
            Some((_, ty)) => {
                if let Some(want) = &declared.data_type {
                    let want = dialect.type_name(&dialect.parse_type(&want.value));
                    let got = dialect.type_name(&dialect.parse_type(ty));
                    if want != got {
                        out.push(format!("`{name}` is {got} in the built table, the contract says {want}"));
                    }
                }
            }
        }
    }
    if !contract.columns.is_empty() {
        for (n, ty) in described {
            if !contract.columns.iter().any(|d| d.name.value.eq_ignore_ascii_case(n)) {
                out.push(format!("the built table has `{n}` ({ty}), which the contract does not declare"));
            }
        }
    }
    out
}

fn kind_name(kind: &DataTestKind) -> &'static str {
    match kind {
        DataTestKind::NotNull { .. } => "not_null",
        DataTestKind::Unique { .. } => "unique",
        DataTestKind::AcceptedValues { .. } => "accepted_values",
        DataTestKind::Relationships { .. } => "relationships",
        DataTestKind::Expression { .. } => "expression",
        DataTestKind::RowCount { .. } => "row_count",
    }
}

/// Wraps a failing-rows query so one statement returns the total count and a sample.
fn with_count(failing: &str) -> String {
    format!(
        "SELECT count(*) OVER () AS {}, * FROM (\n{failing}\n) AS rocky_failing LIMIT {SAMPLE_ROWS}",
        quote_ident(FAILING_COUNT_COLUMN)
    )
}

/// The rows that break the test (empty when it holds).
fn failing_rows(db: &dyn Db, opts: &CompileOptions, table: &str, kind: &DataTestKind) -> String {
    match kind {
        DataTestKind::NotNull { column } => {
            format!("SELECT * FROM {table} WHERE {} IS NULL", quote_ident(&column.value))
        }
        DataTestKind::Unique { columns } => {
            // SQL's UNIQUE: rows with a NULL in the key never collide.
            let cols: Vec<String> = columns.iter().map(|c| quote_ident(&c.value)).collect();
            let not_null: Vec<String> = cols.iter().map(|c| format!("{c} IS NOT NULL")).collect();
            format!(
                "SELECT {keys}, count(*) AS \"duplicates\" FROM {table} WHERE {} GROUP BY {keys} HAVING count(*) > 1",
                not_null.join(" AND "),
                keys = cols.join(", ")
            )
        }
        DataTestKind::AcceptedValues { column, values } => {
            let col = quote_ident(&column.value);
            let list: Vec<String> = values.iter().map(|v| literal(&v.value)).collect();
            format!("SELECT * FROM {table} WHERE {col} IS NOT NULL AND {col} NOT IN ({})", list.join(", "))
        }
        DataTestKind::Relationships { column, to, field } => {
            let parent = parent_table(db, opts, &to.value);
            let (col, pcol) = (quote_ident(&column.value), quote_ident(&field.value));
            format!(
                "SELECT child.* FROM {table} AS child WHERE child.{col} IS NOT NULL AND NOT EXISTS \
                 (SELECT 1 FROM {parent} AS parent WHERE parent.{pcol} = child.{col})"
            )
        }
        DataTestKind::Expression { expression, .. } => {
            format!("SELECT * FROM {table} WHERE ({}\n) IS NOT TRUE", expression.value)
        }
        DataTestKind::RowCount { min, max } => {
            let mut bounds = Vec::new();
            if let Some(m) = min {
                bounds.push(format!("\"row_count\" < {m}"));
            }
            if let Some(m) = max {
                bounds.push(format!("\"row_count\" > {m}"));
            }
            format!(
                "SELECT * FROM (SELECT count(*) AS \"row_count\" FROM {table}) AS counted WHERE {}",
                bounds.join(" OR ")
            )
        }
    }
}

/// The model a relationship test points at, if it points at a model.
fn parent_model(db: &dyn Db, kind: &DataTestKind) -> Option<String> {
    let DataTestKind::Relationships { to, .. } = kind else { return None };
    match hir::resolve_table(db, &hir::relationship_table(&to.value)) {
        TableTarget::Model(m) => Some(hir::model_settings(db, m).name.clone()),
        _ => None,
    }
}

/// The table a relationship points at: a model's built table (after the mapping), else the
/// source as written, each part quoted.
fn parent_table(db: &dyn Db, opts: &CompileOptions, to: &str) -> String {
    match hir::resolve_table(db, &hir::relationship_table(to)) {
        TableTarget::Model(m) => quote_table(&opts.targets.apply(&hir::model_settings(db, m).target)),
        TableTarget::Source(key) => {
            let p: Vec<&str> = key.splitn(3, '.').collect();
            match p.as_slice() {
                [c, s, t] => {
                    quote_table(&TableName { catalog: c.to_string(), schema: s.to_string(), table: t.to_string() })
                }
                _ => quote_ident(&key),
            }
        }
        // The analysis reports E702 for these, so a model with one never gets here.
        TableTarget::Unknown => quote_ident(to),
    }
}

/// A SQL literal for an accepted value.
fn literal(v: &TestValue) -> String {
    match v {
        TestValue::String(s) => format!("'{}'", s.replace('\'', "''")),
        TestValue::Number(n) => n.clone(),
        TestValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
    }
}
