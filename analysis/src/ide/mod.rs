//! The API the runner and the language server call. It speaks project-relative paths, byte
//! offsets and plain data; salsa handles stay inside.

mod code_actions;
mod compile;
mod completion;
mod cursor;
mod data_tests;
mod host;
mod hover;
mod inlay_hints;
mod lineage;
mod navigation;
mod query_check;
mod rename;
mod rename_local;
mod rename_model;
mod scope;
mod semantic_tokens;
mod sidecar;
mod signature_help;
mod snapshot;
mod symbols;

pub use crate::hir::{Dag, TableName};
pub use code_actions::{Assist, AssistKind};
pub use compile::{quote_ident, quote_table, CompileError, CompileOptions, CompiledModel, TargetMapping};
pub use completion::{CompletionItem, CompletionKind};
pub use data_tests::{contract_violations, CompiledTest, FAILING_COUNT_COLUMN, SAMPLE_ROWS};
pub use host::AnalysisHost;
pub use hover::{HoverResult, HoverSubject};
pub use inlay_hints::InlayHint;
pub use lineage::{LineageDirection, LineageEdge, LineageGraph, LineageLookupError, LineageStart, TableLineageGraph};
pub use navigation::{FileRange, NavigationTarget, TextEdit};
pub use query_check::{check_query, check_query_in, QueryCheck};
pub use rename_model::{FileRename, ModelNameAt, ModelRename};
pub use semantic_tokens::{SemanticToken, SemanticTokenKind, MODIFIER_DECLARATION, MODIFIER_DEFAULT_LIBRARY};
pub use signature_help::{SignatureHelp, SignatureInfo};
pub use snapshot::{Analysis, ModelInfo};
pub use symbols::{DocumentSymbol, SymbolKind, WorkspaceSymbol, WORKSPACE_SYMBOL_LIMIT};

/// A result that a concurrent edit may cancel; callers retry or drop the request.
pub type Cancellable<T> = Result<T, salsa::Cancelled>;
