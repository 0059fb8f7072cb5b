use super::AnalysisHost;
use crate::base::SourceSchemaSnapshot;
use crate::diagnostics::Diagnostic;
use crate::hir::OutputColumn;

/// The result of checking one standalone query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryCheck {
    pub columns: Vec<OutputColumn>,
    /// More columns may exist than listed (`SELECT *` over a table whose columns are unknown).
    pub open: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks one query as if it were the only model of a project without rocky.toml (catalog
/// `memory`, schema `main`): the seam for differential tests against DuckDB's own DESCRIBE.
pub fn check_query(sql: &str, sources: &SourceSchemaSnapshot) -> QueryCheck {
    check_query_in(None, sql, sources)
}

/// [`check_query`] in a project with this rocky.toml (e.g. `[adapter] type = "postgres"`, so the
/// query is checked with PostgreSQL's rules against sources keyed `dbname.schema.table`): the
/// seam for differential tests against another warehouse.
pub fn check_query_in(config: Option<&str>, sql: &str, sources: &SourceSchemaSnapshot) -> QueryCheck {
    let mut host = AnalysisHost::new();
    host.set_project_config(config.map(str::to_string));
    host.set_source_schemas(sources.clone());
    host.set_model("models/query.sql", sql.to_string());
    let analysis = host.analysis();
    // A fresh host is never cancelled; fall back to empty results rather than panic.
    let columns = analysis.query_columns("models/query.sql").ok().flatten().unwrap_or_default();
    let diagnostics = analysis.file_diagnostics("models/query.sql").unwrap_or_default();
    let open = analysis.model("query").ok().flatten().is_some_and(|m| m.schema.open);
    QueryCheck { columns, open, diagnostics }
}
