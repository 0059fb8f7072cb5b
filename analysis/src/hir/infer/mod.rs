//! Name resolution and type inference of one model's query (being wired to the type system).

use super::{ModelLineage, ModelSchema};
use crate::base::{Db, ModelFile};
use crate::diagnostics::{Diagnostic, TextRange};
use crate::types::Type;

/// Everything inference learns about one model.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModelInference {
    pub schema: ModelSchema,
    pub lineage: ModelLineage,
    pub diagnostics: Vec<Diagnostic>,
    pub item_types: Vec<(TextRange, Type, bool)>,
}

#[salsa::tracked(returns(ref))]
pub fn infer_model(db: &dyn Db, file: ModelFile) -> ModelInference {
    let _ = (db, file);
    ModelInference::default()
}

#[salsa::tracked(returns(ref))]
pub fn model_schema(db: &dyn Db, file: ModelFile) -> ModelSchema {
    infer_model(db, file).schema.clone()
}

#[salsa::tracked(returns(ref))]
pub fn model_lineage(db: &dyn Db, file: ModelFile) -> ModelLineage {
    infer_model(db, file).lineage.clone()
}

#[salsa::tracked(returns(ref))]
pub fn model_diagnostics(db: &dyn Db, file: ModelFile) -> Vec<Diagnostic> {
    let mut out = crate::syntax::parse_model(db, file).diagnostics.clone();
    out.extend(super::model_settings(db, file).diagnostics.iter().cloned());
    out.extend(infer_model(db, file).diagnostics.iter().cloned());
    out
}
