//! Compiled SQL: a model's query rewritten so a warehouse can run it as is.
//!
//! Every reference to another model becomes that model's fully quoted (possibly remapped) target,
//! ephemeral upstream models become CTEs of a leading `WITH`, sources stay as written. The rewrite
//! edits the model's own text at the byte ranges sqlparser gives the table names, so comments,
//! formatting and everything Rocky does not touch reach the warehouse unchanged.

use std::collections::HashSet;

use sqlparser::ast::Query;

use crate::base::{Db, ModelFile};
use crate::config::Strategy;
use crate::diagnostics::{Severity, TextRange};
use crate::hir::{self, TableName, TableTarget};
use crate::syntax::SpanMap;

/// Where models are built, relative to their configured targets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TargetMapping {
    /// The configured target.
    #[default]
    Configured,
    /// A branch: schema `<prefix>__<schema>` in the same catalog (e.g. `branch__fix-price__main`).
    SchemaPrefix(String),
    /// A shadow build: every model in one schema, as table `<schema>__<table>`.
    Shadow { schema: String },
}

impl TargetMapping {
    /// The location a model with configured target `target` is built at.
    pub fn apply(&self, target: &TableName) -> TableName {
        match self {
            TargetMapping::Configured => target.clone(),
            TargetMapping::SchemaPrefix(prefix) => TableName {
                catalog: target.catalog.clone(),
                schema: format!("{prefix}__{}", target.schema),
                table: target.table.clone(),
            },
            TargetMapping::Shadow { schema } => TableName {
                catalog: target.catalog.clone(),
                schema: schema.clone(),
                table: format!("{}__{}", target.schema, target.table),
            },
        }
    }
}

/// How to compile: where upstream models are read from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompileOptions {
    pub targets: TargetMapping,
}

/// A model's SQL, ready to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledModel {
    pub name: String,
    /// The query (no trailing `;`), ending in a newline when its last line holds a `--` comment,
    /// so callers can wrap it in parentheses.
    pub sql: String,
    /// Where the model is built (the configured target after [`CompileOptions::targets`]).
    pub target: TableName,
    pub strategy: Strategy,
    /// Ephemeral models inlined as CTEs, in the order they are defined.
    pub inlined: Vec<String>,
}

/// Why a model could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    UnknownModel(String),
    /// The model (or an ephemeral model it inlines) has error diagnostics or does not parse.
    HasErrors {
        model: String,
        errors: usize,
    },
    EphemeralCycle(String),
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompileError::UnknownModel(name) => write!(f, "no model named `{name}`"),
            CompileError::HasErrors { model, errors } => {
                write!(f, "model `{model}` has {errors} error(s); run `rocky check` and fix them first")
            }
            CompileError::EphemeralCycle(name) => write!(f, "ephemeral models form a cycle through `{name}`"),
        }
    }
}

impl std::error::Error for CompileError {}

/// `"name"` with embedded `"` doubled: safe for any identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"catalog"."schema"."table"`.
pub fn quote_table(name: &TableName) -> String {
    format!("{}.{}.{}", quote_ident(&name.catalog), quote_ident(&name.schema), quote_ident(&name.table))
}

impl super::Analysis {
    /// Compiles one model (by name, case-insensitive). Refuses models with error diagnostics.
    pub fn compile_model(
        &self,
        name: &str,
        opts: &CompileOptions,
    ) -> super::Cancellable<Result<CompiledModel, CompileError>> {
        self.compile_by_name(name, opts, Errors::Refuse)
    }

    /// Compiles one model that parses although the analysis reports errors in it (or in the
    /// ephemeral models it inlines): `rocky run` asks the warehouse whether such a query binds
    /// before refusing it, since the analysis can be wrong where the warehouse is the truth.
    pub fn compile_model_despite_errors(
        &self,
        name: &str,
        opts: &CompileOptions,
    ) -> super::Cancellable<Result<CompiledModel, CompileError>> {
        self.compile_by_name(name, opts, Errors::Allow)
    }

    /// Compiles several models (by name) on all cores, in the order given: [`Self::compile_model`]
    /// for each. A run compiles its whole plan before the first build, so this is on its
    /// critical path.
    pub fn compile_models(
        &self,
        names: &[String],
        opts: &CompileOptions,
    ) -> super::Cancellable<Vec<Result<CompiledModel, CompileError>>> {
        let names = names.to_vec();
        let files = self.with_db(move |db| {
            let index = hir::model_index(db);
            names.iter().map(|n| index.by_name(n).ok_or_else(|| n.clone())).collect::<Vec<_>>()
        })?;
        let known: Vec<ModelFile> = files.iter().filter_map(|f| f.as_ref().ok().copied()).collect();
        let mut compiled = self.on_all_cores(&known, |db, file| compile(db, file, opts, Errors::Refuse))?.into_iter();
        Ok(files
            .into_iter()
            .map(|f| match f {
                Ok(_) => compiled.next().unwrap_or_else(|| Err(CompileError::UnknownModel(String::new()))),
                Err(name) => Err(CompileError::UnknownModel(name)),
            })
            .collect())
    }

    fn compile_by_name(
        &self,
        name: &str,
        opts: &CompileOptions,
        errors: Errors,
    ) -> super::Cancellable<Result<CompiledModel, CompileError>> {
        let name = name.to_string();
        let opts = opts.clone();
        self.with_db(move |db| {
            let file = hir::model_index(db).by_name(&name).ok_or_else(|| CompileError::UnknownModel(name.clone()))?;
            compile(db, file, &opts, errors)
        })
    }
}

/// Whether error diagnostics stop a compile (a query that does not parse always does).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Errors {
    Refuse,
    Allow,
}

fn compile(db: &dyn Db, file: ModelFile, opts: &CompileOptions, errors: Errors) -> Result<CompiledModel, CompileError> {
    let settings = hir::model_settings(db, file);
    let body = rewrite(db, file, opts, errors)?;
    // Ephemeral upstream models, depth first, each after the ephemerals it reads.
    let mut order: Vec<(ModelFile, Rewritten)> = Vec::new();
    let mut visiting = HashSet::new();
    for &e in &body.ephemerals {
        collect_ephemeral(db, e, opts, errors, &mut order, &mut visiting)?;
    }
    let mut sql = body.sql;
    if !order.is_empty() {
        let ctes: Vec<String> = order
            .iter()
            .map(|(f, r)| format!("{} AS (\n{}\n)", quote_ident(&hir::model_settings(db, *f).name), r.sql))
            .collect();
        let ctes = ctes.join(",\n");
        sql = match body.with_insert_at {
            Some(at) => format!("{} {ctes},{}", &sql[..at], &sql[at..]),
            None => format!("WITH {ctes}\n{sql}"),
        };
    }
    Ok(CompiledModel {
        name: settings.name.clone(),
        sql,
        target: opts.targets.apply(&settings.target),
        strategy: settings.config.strategy.clone(),
        inlined: order.iter().map(|(f, _)| hir::model_settings(db, *f).name.clone()).collect(),
    })
}

fn collect_ephemeral(
    db: &dyn Db,
    file: ModelFile,
    opts: &CompileOptions,
    errors: Errors,
    order: &mut Vec<(ModelFile, Rewritten)>,
    visiting: &mut HashSet<ModelFile>,
) -> Result<(), CompileError> {
    if order.iter().any(|(f, _)| *f == file) {
        return Ok(());
    }
    if !visiting.insert(file) {
        return Err(CompileError::EphemeralCycle(hir::model_settings(db, file).name.clone()));
    }
    let r = rewrite(db, file, opts, errors)?;
    for &e in &r.ephemerals {
        collect_ephemeral(db, e, opts, errors, order, visiting)?;
    }
    visiting.remove(&file);
    order.push((file, r));
    Ok(())
}

/// One model's text with its references replaced (ephemerals not yet inlined).
struct Rewritten {
    sql: String,
    /// Ephemeral models it reads directly, in first-reference order.
    ephemerals: Vec<ModelFile>,
    /// Where extra CTEs go when the query already has a WITH (just after `WITH [RECURSIVE]`).
    with_insert_at: Option<usize>,
}

fn rewrite(db: &dyn Db, file: ModelFile, opts: &CompileOptions, allow: Errors) -> Result<Rewritten, CompileError> {
    let name = &hir::model_settings(db, file).name;
    let errors = match allow {
        Errors::Refuse => hir::model_diagnostics(db, file).iter().filter(|d| d.severity == Severity::Error).count(),
        Errors::Allow => 0,
    };
    let parsed = crate::syntax::model_syntax(db, file);
    let query = match (&parsed.query, errors) {
        (Some(q), 0) => q,
        (_, errors) => return Err(CompileError::HasErrors { model: name.clone(), errors: errors.max(1) }),
    };
    let spans = &parsed.spans;
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    let mut ephemerals = Vec::new();
    for r in table_references(query, spans) {
        let TableTarget::Model(m) = hir::resolve_table(db, &r.parts) else { continue };
        let up = hir::model_settings(db, m);
        let replacement = if matches!(up.config.strategy, Strategy::Ephemeral) {
            if !ephemerals.contains(&m) {
                ephemerals.push(m);
            }
            quote_ident(&up.name)
        } else {
            quote_table(&opts.targets.apply(&up.target))
        };
        // Without an alias, columns may be qualified by the name as written: keep it bound.
        let alias = if r.has_alias { String::new() } else { format!(" AS {}", quote_ident(&r.last_as_written)) };
        edits.push((r.range, format!("{replacement}{alias}")));
    }
    let text = file.sql(db);
    let with_insert_at = query.with.as_ref().and_then(|w| with_insert_offset(spans, w));
    let mut sql = text.clone();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, replacement) in edits {
        if sql.get(range.start as usize..range.end as usize).is_some() {
            sql.replace_range(range.start as usize..range.end as usize, &replacement);
        }
    }
    // Edits after the WITH keyword never move it; edits are all after it when it exists.
    Ok(Rewritten { sql: strip_terminator(&sql), ephemerals, with_insert_at })
}

/// The byte offset just after `WITH` (and `RECURSIVE`) of a query's leading WITH clause.
fn with_insert_offset(spans: &SpanMap, with: &sqlparser::ast::With) -> Option<usize> {
    let kw = spans.range(with.with_token.0.span)?;
    let mut at = kw.end;
    if with.recursive {
        let next = spans.skip_ws(at);
        if let Some((end, word)) = spans.word_after(next) {
            if word.eq_ignore_ascii_case("recursive") {
                at = end;
            }
        }
    }
    Some(at as usize)
}

/// Removes trailing whitespace and `;`, and ends the text with a newline when its last line has
/// a line comment (so `(<sql>)` still closes).
fn strip_terminator(sql: &str) -> String {
    let mut s = sql.trim_end();
    while let Some(rest) = s.strip_suffix(';') {
        s = rest.trim_end();
    }
    let mut out = s.to_string();
    if out.rsplit('\n').next().is_some_and(|last| last.contains("--")) {
        out.push('\n');
    }
    out
}

/// A table name read by the query, outside CTE scope.
struct TableRef {
    parts: Vec<String>,
    range: TextRange,
    has_alias: bool,
    /// The last name part as written (case kept, unquoted).
    last_as_written: String,
}

/// Table references with their ranges, skipping names bound by an enclosing WITH (the same
/// rule as [`hir::model_references`]).
fn table_references(query: &Query, spans: &SpanMap) -> Vec<TableRef> {
    let mut found = Vec::new();
    hir::for_each_table_name(query, |name, alias| {
        let idents: Vec<_> = name.0.iter().filter_map(|p| p.as_ident()).collect();
        let (Some(first), Some(last)) = (idents.first(), idents.last()) else { return };
        if idents.len() != name.0.len() {
            return;
        }
        let start = spans.range(first.span).map(|r| r.start);
        let end = spans.range(last.span).map(|r| r.end);
        if let (Some(start), Some(end)) = (start, end) {
            found.push(TableRef {
                parts: idents.iter().map(|i| i.value.to_lowercase()).collect(),
                range: TextRange::new(start, end),
                has_alias: alias.is_some(),
                last_as_written: last.value.clone(),
            });
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::SidecarText;
    use crate::ide::AnalysisHost;

    /// A project on catalog `db` with source `raw.orders` cached; models as `(path stem, sql,
    /// optional sidecar)`.
    fn host(models: &[(&str, &str, Option<&str>)]) -> AnalysisHost {
        let mut host = AnalysisHost::new();
        host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
        let mut snap = crate::SourceSchemaSnapshot::default();
        snap.insert(crate::SourceTable {
            key: "db.raw.orders".into(),
            columns: ["id", "amount", "status"]
                .iter()
                .map(|n| crate::SourceColumn { name: n.to_string(), type_string: "INTEGER".into(), nullable: true })
                .collect(),
            written_at: None,
        });
        host.set_source_schemas(snap);
        for (stem, sql, sidecar) in models {
            let path = format!("models/{stem}.sql");
            host.set_model(&path, sql.to_string());
            let sc = sidecar.map(|t| SidecarText { path: format!("models/{stem}.toml"), text: t.to_string() });
            host.set_sidecar(&path, sc);
        }
        host
    }

    fn compiled(host: &mut AnalysisHost, name: &str, opts: &CompileOptions) -> CompiledModel {
        host.analysis().compile_model(name, opts).expect("not cancelled").expect("compiles")
    }

    const EPHEMERAL: Option<&str> = Some("[strategy]\ntype = \"ephemeral\"\n");

    #[test]
    fn compiling_many_on_all_cores_gives_each_models_own_compile_in_the_order_asked() {
        // 100 models (enough for the work to be split over threads), each reading the one before;
        // the first nests an expression 190 levels deep (the parser reads 200), parsed under 99 models' walks.
        let deep = format!("{}amount{}", "(1 + ".repeat(95), ")".repeat(95));
        let sql: Vec<String> = (0..100)
            .map(|i| match i {
                0 => format!("select id, {deep} as amount from raw.orders"),
                _ => format!("select id, amount + {i} as amount from m{}", i - 1),
            })
            .collect();
        let models: Vec<(String, &str)> = sql.iter().enumerate().map(|(i, s)| (format!("m{i}"), s.as_str())).collect();
        let specs: Vec<(&str, &str, Option<&str>)> = models.iter().map(|(n, s)| (n.as_str(), *s, None)).collect();
        let mut h = host(&specs);
        let mut names: Vec<String> = (0..100).rev().map(|i| format!("m{i}")).collect();
        names.insert(50, "nope".into());
        let opts = CompileOptions { targets: TargetMapping::SchemaPrefix("dev".into()) };
        // The deepest model first, on the test's own (2 MB) thread.
        let _deepest = compiled(&mut h, "m99", &opts);
        let all = h.analysis().compile_models(&names, &opts).expect("not cancelled");
        assert_eq!(all.len(), names.len());
        for (name, got) in names.iter().zip(all) {
            match name.as_str() {
                "nope" => assert!(matches!(got, Err(CompileError::UnknownModel(n)) if n == "nope")),
                _ => assert_eq!(got.expect("compiles"), compiled(&mut h, name, &opts), "{name}"),
            }
        }
    }

    #[test]
    fn model_references_become_quoted_targets_and_sources_stay() {
        let mut h = host(&[
            ("a", "select id, amount from raw.orders;\n", None),
            ("b", "select a.id, o.status from a join raw.orders o on o.id = a.id ;  ", None),
        ]);
        let b = compiled(&mut h, "b", &CompileOptions::default());
        assert_eq!(b.sql, "select a.id, o.status from \"db\".\"main\".\"a\" AS \"a\" join raw.orders o on o.id = a.id");
        assert_eq!(b.target.to_string(), "db.main.b");
        let a = compiled(&mut h, "a", &CompileOptions::default());
        assert_eq!(a.sql, "select id, amount from raw.orders");
    }

    #[test]
    fn aliased_and_qualified_references_keep_their_alias() {
        let mut h = host(&[
            ("a", "select 1 as id", Some("[target]\nschema = \"stg\"\ntable = \"my \\\"odd\\\" table\"\n")),
            ("b", "select x.id from stg.\"my \"\"odd\"\" table\" as x", None),
        ]);
        let b = compiled(&mut h, "b", &CompileOptions::default());
        assert_eq!(b.sql, "select x.id from \"db\".\"stg\".\"my \"\"odd\"\" table\" as x");
    }

    #[test]
    fn a_cte_named_like_a_model_shadows_it() {
        let mut h = host(&[
            ("a", "select 1 as id", None),
            ("b", "with a as (select 2 as id) select id from a", None),
            ("c", "select id from (with a as (select 3 as id) select id from a) s union all select id from a", None),
        ]);
        assert_eq!(
            compiled(&mut h, "b", &CompileOptions::default()).sql,
            "with a as (select 2 as id) select id from a"
        );
        assert_eq!(
            compiled(&mut h, "c", &CompileOptions::default()).sql,
            "select id from (with a as (select 3 as id) select id from a) s union all select id from \"db\".\"main\".\"a\" AS \"a\""
        );
    }

    #[test]
    fn ephemeral_chains_are_inlined_once_in_dependency_order() {
        let mut h = host(&[
            ("e1", "select id, amount from raw.orders -- base\n", EPHEMERAL),
            ("e2", "with t as (select * from e1) select id from t", EPHEMERAL),
            ("m", "select 1 as id", None),
            ("top", "with x as (select id from e2) select x.id from x join e1 using (id) join m using (id);", None),
        ]);
        let top = compiled(&mut h, "top", &CompileOptions::default());
        assert_eq!(top.inlined, vec!["e1", "e2"]);
        assert_eq!(
            top.sql,
            "with \"e1\" AS (\nselect id, amount from raw.orders -- base\n\n),\n\"e2\" AS (\nwith t as (select * from \"e1\" AS \"e1\") select id from t\n), x as (select id from \"e2\" AS \"e2\") select x.id from x join \"e1\" AS \"e1\" using (id) join \"db\".\"main\".\"m\" AS \"m\" using (id)"
        );
        // A query without WITH gets a leading one.
        let mut h = host(&[("e", "select 1 as id", EPHEMERAL), ("t", "select id from e", None)]);
        assert_eq!(
            compiled(&mut h, "t", &CompileOptions::default()).sql,
            "WITH \"e\" AS (\nselect 1 as id\n)\nselect id from \"e\" AS \"e\""
        );
    }

    #[test]
    fn recursive_with_keeps_its_keyword_first() {
        let mut h = host(&[
            ("e", "select 1 as n", EPHEMERAL),
            (
                "r",
                "with recursive t(n) as (select n from e union all select n + 1 from t where n < 3) select n from t",
                None,
            ),
        ]);
        let sql = compiled(&mut h, "r", &CompileOptions::default()).sql;
        assert!(sql.starts_with("with recursive \"e\" AS (\nselect 1 as n\n), t(n) as"), "{sql}");
    }

    #[test]
    fn branch_and_shadow_mappings_move_models_but_not_sources() {
        let mut h = host(&[
            ("a", "select id from raw.orders", Some("[target]\nschema = \"stg\"\n")),
            ("b", "select id from a", None),
        ]);
        let branch = CompileOptions { targets: TargetMapping::SchemaPrefix("branch__fix".into()) };
        let b = compiled(&mut h, "b", &branch);
        assert_eq!(b.sql, "select id from \"db\".\"branch__fix__stg\".\"a\" AS \"a\"");
        assert_eq!(b.target.to_string(), "db.branch__fix__main.b");
        assert_eq!(compiled(&mut h, "a", &branch).sql, "select id from raw.orders");
        let shadow = CompileOptions { targets: TargetMapping::Shadow { schema: "rocky_shadow".into() } };
        let b = compiled(&mut h, "b", &shadow);
        assert_eq!(b.sql, "select id from \"db\".\"rocky_shadow\".\"stg__a\" AS \"a\"");
        assert_eq!(b.target.to_string(), "db.rocky_shadow.main__b");
    }

    #[test]
    fn models_with_errors_and_unknown_names_are_refused() {
        let mut h = host(&[("a", "select nope from raw.orders", None), ("b", "select from where", None)]);
        let err = h.analysis().compile_model("a", &CompileOptions::default()).expect("ok").unwrap_err();
        assert!(matches!(err, CompileError::HasErrors { ref model, errors: 1 } if model == "a"), "{err}");
        let err = h.analysis().compile_model("b", &CompileOptions::default()).expect("ok").unwrap_err();
        assert!(matches!(err, CompileError::HasErrors { .. }));
        let err = h.analysis().compile_model("zz", &CompileOptions::default()).expect("ok").unwrap_err();
        assert_eq!(err, CompileError::UnknownModel("zz".into()));
    }

    #[test]
    fn a_trailing_line_comment_keeps_the_query_wrappable() {
        let mut h = host(&[("a", "select 1 as id -- done;\n", None)]);
        assert_eq!(compiled(&mut h, "a", &CompileOptions::default()).sql, "select 1 as id -- done\n");
    }
}
