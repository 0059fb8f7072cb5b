//! Semantic layer: model index, dependencies, DAG, name resolution, type inference and lineage.

mod data_tests;
mod deps;
mod graph;
mod infer;
mod lineage;
mod project;
mod readers;
mod schema;
mod sources;

pub use data_tests::{model_test_diagnostics, relationship_table};
pub use deps::{
    for_each_table_name, model_dependencies, model_references, resolve_table, table_references, ModelDeps, TableTarget,
};
pub use graph::{dag, depends_on_cycle_diagnostics, model_cycle, Dag};
pub use infer::{
    infer_model, model_diagnostics, model_lineage, model_resolutions, model_schema, BindingTarget, ColumnDef,
    ColumnUse, CteBinding, FunctionUse, ItemDef, ModelInference, Resolutions, StarDef, TableBinding,
};
pub use lineage::{
    column_consumers, ColumnConsumer, ColumnLineage, ColumnRef, DerivationKind, LineageInput, LineageTable,
    ModelLineage,
};
pub use project::{
    default_catalog, defaults_layer, files_by_path, model_index, model_settings, project_config, project_diagnostics,
    project_dialect, ModelIndex, ModelSettings, ParsedProjectConfig, TableName,
};
pub use readers::{readers_index, Readers};
pub use schema::{ModelSchema, OutputColumn};
pub use sources::{
    lookup_source, lookup_stale_source, source_keys, source_schema, stale_source, stale_source_message, user_function,
    user_types, SourceKey, SourceSchema,
};
