//! The salsa inputs and the database type. Everything else in `analysis` is derived from these.
//!
//! Inputs are plain text and data handed in by the runner or the language server; analysis never
//! reads files or the state file itself.

mod db;
mod inputs;
mod recent;
mod source_schema;

pub use db::{Db, EventSink, ExecutionLog, RootDatabase};
pub use inputs::{DefaultsFile, ModelFile, Project, SidecarText, SourceCatalog};
pub use recent::{RecentKey, RecentValues};
pub use source_schema::{
    SourceColumn, SourceSchemaSnapshot, SourceTable, StaleSource, WarehouseFunction, WarehouseOverload,
    BRANCH_SCHEMA_PREFIX, DEFAULT_SHADOW_SCHEMA,
};
