//! Name resolution and type inference of one model's query, with lineage as a by-product.

mod aggregate_state;
mod bound_types;
mod call_checks;
mod columns_star;
mod constants;
mod expr;
mod function;
mod lambda;
mod lateral;
mod literal_checks;
mod macro_call;
mod naming;
mod null_constant;
mod percentile;
mod pg_naming;
mod pivot;
mod pivot_columns;
mod positional;
mod predicate;
mod query;
mod ranges;
mod resolution;
mod scope;
mod select;
mod spark_naming;
mod star_like;
mod system_views;
mod unnamed_struct;
mod unnest;
mod walker;

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{
    model_dependencies, model_index, model_settings, ColumnLineage, ColumnRef, DerivationKind, ModelLineage,
    ModelSchema, OutputColumn,
};
use crate::base::{Db, ModelFile};
use crate::diagnostics::{Code, Diagnostic, Related, TextRange};
use crate::syntax::{model_syntax, parse_model};

pub use predicate::check_predicate;
pub use resolution::{
    BindingTarget, ColumnDef, ColumnUse, CteBinding, FunctionUse, ItemDef, Resolutions, StarDef, TableBinding,
};
pub(crate) use scope::did_you_mean;

/// What inference learns about one model that the rest of the project and the runner need.
/// Carries spans (in its diagnostics), so it changes on most edits; dependents read
/// [`model_schema`] instead, which backdates when the schema is unchanged. What only the IDE
/// needs (the resolution index) is [`model_resolutions`], kept for a few files at a time.
///
/// The schema and lineage are shared (`Arc`) with [`model_schema`] and [`model_lineage`], which
/// hold them for every model of the project: one copy, not two.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModelInference {
    /// The table's schema (duplicate names renamed as DuckDB does).
    pub schema: Arc<ModelSchema>,
    /// `(index, name in the query)` of each column the table renames (`x` → `x_1`).
    pub renamed: Vec<(usize, String)>,
    pub lineage: Arc<ModelLineage>,
    pub diagnostics: Vec<Diagnostic>,
    /// The resolution index, kept only while an editor shows the file (`ModelFile::in_editor`).
    pub resolutions: Option<Arc<Resolutions>>,
}

impl ModelInference {
    /// The query's own output columns, duplicates included (what `DESCRIBE <query>` shows).
    pub fn query_columns(&self) -> Vec<OutputColumn> {
        let mut columns = self.schema.columns.clone();
        for (i, name) in &self.renamed {
            if let Some(c) = columns.get_mut(*i) {
                c.name.clone_from(name);
            }
        }
        columns
    }
}

#[salsa::tracked(returns(ref), cycle_result = infer_in_cycle)]
pub fn infer_model(db: &dyn Db, file: ModelFile) -> ModelInference {
    let (mut inference, resolutions) = walk_model(db, file);
    if *file.in_editor(db) {
        inference.resolutions = Some(Arc::new(resolutions));
    }
    inference
}

/// What every identifier of a model's SQL resolved to, and the type of every select item: what
/// hover, inlay hints, navigation, rename and completion read. It is most of what a walk learns
/// (several times the size of the rest of [`infer_model`]'s result) and only the files a user
/// looks at need it: files an editor shows keep it in their inference (one walk per edit);
/// for any other file it comes from a second walk, kept by salsa for the most recently used
/// files only. Never read by another model's inference: dependents cannot re-check because of it.
#[salsa::tracked(returns(ref), lru = 256)]
pub fn model_resolutions(db: &dyn Db, file: ModelFile) -> Arc<Resolutions> {
    if *file.in_editor(db) {
        if let Some(resolutions) = &infer_model(db, file).resolutions {
            return resolutions.clone();
        }
    }
    Arc::new(walk_model(db, file).1)
}

/// One walk over a model's SQL: its inference and its resolution index. Inferring a model
/// infers its upstream models first (through their schemas), so a long chain of models nests
/// that many walks: the stack grows on demand, so any chain depth is safe in any order.
#[recursive::recursive]
fn walk_model(db: &dyn Db, file: ModelFile) -> (ModelInference, Resolutions) {
    // The recent tree, or a fresh parse dropped when inference is done (see `model_syntax`).
    let parsed = model_syntax(db, file);
    let settings = model_settings(db, file);
    let Some(query) = &parsed.query else {
        let open = Arc::new(ModelSchema { columns: Vec::new(), open: true });
        return (ModelInference { schema: open, ..Default::default() }, Resolutions::default());
    };
    let path = file.path(db);
    let mut infer = walker::Infer::new(db, file, path, &parsed.spans);
    let result = infer.query(query);

    let mut diagnostics = std::mem::take(&mut infer.diagnostics);
    let query_names: Vec<String> = result.columns.iter().map(|c| c.name.clone()).collect();
    // The model becomes a table: DuckDB renames duplicate names `x_1`, `x_2`, … — say so;
    // PostgreSQL refuses to create it.
    let dialect = infer.dialect;
    let mut result = result;
    let mut renamed = Vec::new();
    for (i, new_name) in query::dedup_names_in(dialect, &mut result.columns) {
        let old = &query_names[i];
        renamed.push((i, old.clone()));
        diagnostics.push(
            Diagnostic::new(
                Code::W401DuplicateOutputName,
                path.clone(),
                result.columns[i].range,
                match dialect {
                    crate::dialect::Dialect::DuckDb => format!(
                        "the output column `{old}` appears more than once; the table will name this one `{new_name}`"
                    ),
                    crate::dialect::Dialect::Postgres | crate::dialect::Dialect::Spark => format!(
                        "the output column `{old}` appears more than once; {} cannot create a table or view with it",
                        dialect.name()
                    ),
                },
            )
            .with_hint("give it a distinct alias with AS"),
        );
    }
    diagnostics.extend(depends_on_diagnostics(db, file));

    let schema = Arc::new(ModelSchema {
        columns: result
            .columns
            .iter()
            .map(|c| OutputColumn {
                name: c.name.clone(),
                ty: infer.dialect.materialize(&c.value.ty),
                nullable: c.value.nullable,
            })
            .collect(),
        open: result.open,
    });
    let mut used: BTreeSet<ColumnRef> = BTreeSet::new();
    let columns = result
        .columns
        .iter()
        .map(|c| {
            let mut inputs = c.value.lineage.clone();
            for i in &mut inputs {
                used.insert(i.column.clone());
                if i.kind == DerivationKind::Copy && !i.column.column.eq_ignore_ascii_case(&c.name) {
                    i.kind = DerivationKind::Rename;
                }
            }
            inputs.sort();
            ColumnLineage { column: c.name.clone(), inputs }
        })
        .collect();
    let key_columns = infer.key_columns.iter().filter(|k| !used.contains(*k)).cloned().collect();
    let lineage = Arc::new(ModelLineage { model: settings.name.clone(), columns, key_columns });
    let mut resolutions = std::mem::take(&mut infer.res);
    resolutions.outputs = result.columns.iter().map(|c| (c.name.clone(), c.def.clone())).collect();
    (ModelInference { schema, renamed, lineage, diagnostics, resolutions: None }, resolutions)
}

/// `depends_on` must name existing models and include every model the SQL reads.
fn depends_on_diagnostics(db: &dyn Db, file: ModelFile) -> Vec<Diagnostic> {
    let settings = model_settings(db, file);
    let Some(explicit) = &settings.config.depends_on else {
        return Vec::new();
    };
    let file_path = settings.config.depends_on_file.clone().unwrap_or_else(|| file.path(db).clone());
    let index = model_index(db);
    let mut out = Vec::new();
    for d in explicit {
        if index.by_name(&d.value).is_none() {
            let sugg = walker_suggest(&d.value, index.names());
            let mut diag = Diagnostic::new(
                Code::E504UnknownDependsOn,
                file_path.clone(),
                d.range,
                format!("`depends_on` names `{}`, which is not a model of this project", d.value),
            );
            diag.hint = Some(match sugg.first() {
                Some(s) => format!("did you mean `{s}`?"),
                None => "remove it, or add the model".to_string(),
            });
            out.push(diag);
        }
    }
    let listed: Vec<String> = explicit.iter().map(|d| d.value.to_lowercase()).collect();
    for m in &model_dependencies(db, file).models {
        let name = &model_settings(db, *m).name;
        if !listed.contains(&name.to_lowercase()) {
            let range = explicit.first().map(|d| d.range).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::W505DependsOnIncomplete,
                    file_path.clone(),
                    range,
                    format!("the SQL reads `{name}` but `depends_on` does not list it"),
                )
                .with_hint(format!(
                    "add \"{name}\" to depends_on (or remove depends_on: Rocky reads dependencies from the SQL)"
                ))
                .with_related(Related {
                    file: m.path(db).clone(),
                    range: TextRange::empty(0),
                    message: format!("`{name}` is defined here"),
                }),
            );
        }
    }
    out
}

fn walker_suggest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    scope::did_you_mean(name, names)
}

/// What a model in a dependency cycle infers: nothing can be known, so its schema is open, and
/// the cycle is reported at its reference to the next member. Models outside cycles never read the
/// DAG, which keeps the keystroke path independent of the project's size.
fn infer_in_cycle(db: &dyn Db, _id: salsa::Id, file: ModelFile) -> ModelInference {
    let cycle = super::model_cycle(db, file).clone().unwrap_or_default();
    let members: Vec<String> = cycle.iter().map(|n| n.to_lowercase()).collect();
    let range = cycle_reference(db, file, &members);
    let mut shown = cycle.clone();
    if let Some(first) = cycle.first() {
        shown.push(first.clone());
    }
    let diagnostic = Diagnostic::new(
        Code::E501DependencyCycle,
        file.path(db).clone(),
        range,
        format!("dependency cycle: {}", shown.join(" → ")),
    )
    .with_hint("models in a cycle can never be built; remove one of the references");
    ModelInference {
        schema: Arc::new(ModelSchema { columns: Vec::new(), open: true }),
        diagnostics: vec![diagnostic],
        ..Default::default()
    }
}

fn schema_in_cycle(_db: &dyn Db, _id: salsa::Id, _file: ModelFile) -> Arc<ModelSchema> {
    Arc::new(ModelSchema { columns: Vec::new(), open: true })
}

/// The range of the first table reference to one of `members` in a model's SQL.
fn cycle_reference(db: &dyn Db, file: ModelFile, members: &[String]) -> TextRange {
    use sqlparser::ast::{TableFactor, Visit, Visitor};
    struct Finder<'a> {
        members: &'a [String],
        found: Option<sqlparser::tokenizer::Span>,
    }
    impl Visitor for Finder<'_> {
        type Break = ();
        fn pre_visit_table_factor(&mut self, f: &TableFactor) -> std::ops::ControlFlow<()> {
            if let TableFactor::Table { name, .. } = f {
                let last = name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase());
                if last.is_some_and(|l| self.members.contains(&l)) {
                    self.found = Some(sqlparser::ast::Spanned::span(name));
                    return std::ops::ControlFlow::Break(());
                }
            }
            std::ops::ControlFlow::Continue(())
        }
    }
    let parsed = model_syntax(db, file);
    let Some(query) = &parsed.query else { return TextRange::default() };
    let mut finder = Finder { members, found: None };
    let _ = query.visit(&mut finder);
    finder.found.and_then(|s| parsed.spans.range(s)).unwrap_or_default()
}

/// A model's output schema. Equal across edits that keep names, types and nullability, which is
/// what stops re-checking at this model's dependents.
#[salsa::tracked(returns(ref), cycle_result = schema_in_cycle)]
pub fn model_schema(db: &dyn Db, file: ModelFile) -> Arc<ModelSchema> {
    infer_model(db, file).schema.clone()
}

#[salsa::tracked(returns(ref))]
pub fn model_lineage(db: &dyn Db, file: ModelFile) -> Arc<ModelLineage> {
    infer_model(db, file).lineage.clone()
}

/// All diagnostics of one model: parse, config, dependencies, cycles and inference.
#[salsa::tracked(returns(ref))]
pub fn model_diagnostics(db: &dyn Db, file: ModelFile) -> Vec<Diagnostic> {
    let mut out = parse_model(db, file).diagnostics.clone();
    out.extend(model_settings(db, file).diagnostics.iter().cloned());
    out.extend(infer_model(db, file).diagnostics.iter().cloned());
    out.extend(super::model_test_diagnostics(db, file).iter().cloned());
    out
}
