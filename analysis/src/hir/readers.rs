//! The reverse of the dependency graph: which models read each model and source.

use std::collections::HashMap;

use super::{model_dependencies, model_index, LineageTable};
use crate::base::{Db, ModelFile};

/// For every model and source, the models that read it directly (from their SQL or
/// `depends_on`). Built from the models' dependencies only — no inference — so a downstream walk
/// (hover, lineage, references) infers just the models it reaches, and the index is a few bytes
/// per edge where a column-level inverse of every lineage was tens of megabytes at 10k models.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Readers {
    of_model: HashMap<ModelFile, Vec<ModelFile>>,
    of_source: HashMap<String, Vec<ModelFile>>,
}

impl Readers {
    /// The models that read `model`, in project order.
    pub fn of_model(&self, model: ModelFile) -> &[ModelFile] {
        self.of_model.get(&model).map(Vec::as_slice).unwrap_or_default()
    }

    /// The models that read the source with schema-cache key `key`, in project order.
    pub fn of_source(&self, key: &str) -> &[ModelFile] {
        self.of_source.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The models that read `table` (a model by name, case-insensitively, or a source by key).
    pub fn of_table(&self, db: &dyn Db, table: &LineageTable) -> &[ModelFile] {
        match table {
            LineageTable::Model(name) => model_index(db).by_name(name).map(|m| self.of_model(m)).unwrap_or_default(),
            LineageTable::Source(key) => self.of_source(key),
        }
    }
}

/// Depends on every model's dependencies, which backdate on edits that keep a model's table
/// references: a keystroke in a model body does not rebuild it.
#[salsa::tracked(returns(ref))]
pub fn readers_index(db: &dyn Db) -> Readers {
    let mut readers = Readers::default();
    for &file in db.project().models(db) {
        let deps = model_dependencies(db, file);
        for &up in &deps.models {
            readers.of_model.entry(up).or_default().push(file);
        }
        for key in &deps.sources {
            readers.of_source.entry(key.clone()).or_default().push(file);
        }
    }
    readers
}
