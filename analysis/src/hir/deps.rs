//! Which models and sources a model reads. Names only (no spans), so these results stay equal
//! across edits that do not change what a model reads, and the DAG is not rebuilt.

use std::collections::BTreeSet;

use super::{default_catalog, model_index, model_settings};
use crate::base::{Db, ModelFile};
use crate::syntax::parse_model;
pub use crate::syntax::{for_each_table_name, table_references};

/// The table names a model's SQL reads, lower-cased parts, CTE references excluded.
#[salsa::tracked(returns(ref))]
pub fn model_references(db: &dyn Db, file: ModelFile) -> Vec<Vec<String>> {
    parse_model(db, file).references.clone()
}

/// What a table name resolves to, by the project format's rules.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TableTarget {
    Model(ModelFile),
    /// A warehouse table, by schema-cache key.
    Source(String),
    /// A bare name that is neither a model nor a cached `main` table.
    Unknown,
}

/// Resolves lower-cased name parts to a model or source.
pub fn resolve_table(db: &dyn Db, parts: &[String]) -> TableTarget {
    let index = model_index(db);
    let catalog = default_catalog(db);
    let key = match parts {
        [name] => {
            if let Some(m) = index.by_name(name) {
                return TableTarget::Model(m);
            }
            // A bare name is read from the current schema: `main` (DuckDB, and how PostgreSQL
            // projects have always been keyed), Spark's `default`.
            let schema = match super::project_dialect(db) {
                crate::dialect::Dialect::Spark => crate::dialect::Dialect::Spark.default_schema(),
                _ => "main",
            };
            format!("{catalog}.{schema}.{name}")
        }
        [schema, table] => format!("{catalog}.{schema}.{table}"),
        [c, s, t] => format!("{c}.{s}.{t}"),
        _ => return TableTarget::Unknown,
    };
    if let Some(m) = index.by_target(&key) {
        return TableTarget::Model(m);
    }
    if parts.len() == 1 && super::sources::lookup_source(db, &key).is_none() {
        return TableTarget::Unknown;
    }
    TableTarget::Source(key)
}

/// A model's resolved upstream models and sources.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModelDeps {
    /// Upstream models read by the SQL or listed in `depends_on`, sorted, without self.
    pub models: Vec<ModelFile>,
    /// Source keys (`catalog.schema.table`), sorted.
    pub sources: Vec<String>,
}

impl ModelDeps {
    /// Upstream model names, sorted.
    pub fn model_names(&self, db: &dyn Db) -> Vec<String> {
        let mut names: Vec<String> = self.models.iter().map(|m| model_settings(db, *m).name.clone()).collect();
        names.sort();
        names
    }
}

#[salsa::tracked(returns(ref))]
pub fn model_dependencies(db: &dyn Db, file: ModelFile) -> ModelDeps {
    let mut models: Vec<ModelFile> = Vec::new();
    let mut sources = BTreeSet::new();
    for parts in model_references(db, file) {
        match resolve_table(db, parts) {
            TableTarget::Model(m) if m != file && !models.contains(&m) => models.push(m),
            TableTarget::Source(key) => {
                sources.insert(key);
            }
            _ => {}
        }
    }
    if let Some(explicit) = &model_settings(db, file).config.depends_on {
        let index = model_index(db);
        for name in explicit {
            if let Some(m) = index.by_name(&name.value).filter(|m| *m != file && !models.contains(m)) {
                models.push(m);
            }
        }
    }
    models.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    ModelDeps { models, sources: sources.into_iter().collect() }
}
