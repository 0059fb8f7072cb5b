//! Which models and sources a model reads. Names only (no spans), so these results stay equal
//! across edits that do not change what a model reads, and the DAG is not rebuilt.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{ObjectName, Query, TableAlias, TableFactor, Visit, Visitor};

use super::{default_catalog, model_index, model_settings};
use crate::base::{Db, ModelFile};
use crate::syntax::parse_model;

/// The table names a model's SQL reads, lower-cased parts, CTE references excluded.
#[salsa::tracked(returns(ref))]
pub fn model_references(db: &dyn Db, file: ModelFile) -> Vec<Vec<String>> {
    parse_model(db, file).references.clone()
}

/// Collects table names read by a query, skipping names bound by an enclosing WITH.
pub fn table_references(query: &Query) -> Vec<Vec<String>> {
    let mut found = BTreeSet::new();
    for_each_table_name(query, |name, _| {
        let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.to_lowercase()).collect();
        if !parts.is_empty() {
            found.insert(parts);
        }
    });
    found.into_iter().collect()
}

/// Calls `f` with every plain table name (not a table function) a query reads, and its alias,
/// skipping single-part names bound by an enclosing WITH (CTEs shadow models and sources).
pub fn for_each_table_name(query: &Query, f: impl FnMut(&ObjectName, Option<&TableAlias>)) {
    struct Walker<F> {
        ctes: Vec<Vec<String>>,
        f: F,
    }
    impl<F: FnMut(&ObjectName, Option<&TableAlias>)> Visitor for Walker<F> {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            let names = query
                .with
                .as_ref()
                .map(|w| w.cte_tables.iter().map(|c| c.alias.name.value.to_lowercase()).collect())
                .unwrap_or_default();
            self.ctes.push(names);
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.ctes.pop();
            ControlFlow::Continue(())
        }
        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
            if let TableFactor::Table { name, args: None, alias, .. } = factor {
                let single = match name.0.as_slice() {
                    [only] => only.as_ident().map(|i| i.value.to_lowercase()),
                    _ => None,
                };
                let is_cte = single.is_some_and(|n| self.ctes.iter().any(|s| s.contains(&n)));
                if !is_cte {
                    (self.f)(name, alias.as_ref());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut w = Walker { ctes: Vec::new(), f };
    let _ = query.visit(&mut w);
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
            format!("{catalog}.main.{name}")
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
