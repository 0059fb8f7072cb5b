//! `rocky-lsp`: Rocky's language server. It converts LSP requests into calls on the analysis
//! (`rocky_analysis::Analysis`) and the answers back; it holds no SQL logic.
//!
//! Built on `tower-lsp-server` (the maintained fork of tower-lsp). Layout: `transport` guards
//! the byte stream, `server` holds the lifecycle and document handlers, `workspace` the open
//! documents and projects, `diagnostics` the diagnostics task (it pushes, or asks a pulling
//! client to pull again), `features` the requests, `files` disk discovery and watching,
//! `schema_cache` the state file, `status` the `rocky/status` request, `model_request` the `rocky/model` request.

mod convert;
mod diagnostics;
mod document;
mod features;
mod files;
mod history;
mod last_good;
mod model_request;
mod position;
mod schema_cache;
mod server;
mod status;
mod transport;
mod workspace;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{LanguageServer, LspService, Server};

pub use features::{Direction, LineageParams};
pub use model_request::{ModelParams, ModelReply};
use server::Backend;
pub use status::{Status, StatusParams};

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Backend::initialize(self, params)
    }
    async fn initialized(&self, _: InitializedParams) {
        Backend::initialized(self).await
    }
    async fn shutdown(&self) -> Result<()> {
        self.shared.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        Backend::did_open(self, params).await
    }
    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        Backend::did_change(self, params)
    }
    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        Backend::did_close(self, params).await
    }
    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        // The buffer already is the truth; the disk write reaches us through file watching.
    }
    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths = params.changes.iter().filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned())).collect();
        files::disk_changed(&self.shared, &self.client, paths).await
    }
    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let mut roots = Vec::new();
        for f in &params.event.added {
            if let Some(p) = f.uri.to_file_path() {
                roots.extend(files::discover(&p));
            }
        }
        server::load_projects(self.shared.clone(), self.client.clone(), roots).await;
    }
    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        features::hover(&self.shared, params).await
    }
    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        features::inlay_hints(&self.shared, params).await
    }
    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        features::definition(&self.shared, params).await
    }
    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        features::references(&self.shared, params).await
    }
    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        features::prepare_rename(&self.shared, params).await
    }
    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        features::rename(&self.shared, params).await
    }
    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        features::document_symbols(&self.shared, params).await
    }
    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        features::workspace_symbols(&self.shared, params).await
    }
    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        features::completion(&self.shared, params).await
    }
    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        features::signature_help(&self.shared, params).await
    }
    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        features::code_actions(&self.shared, params).await
    }
    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        features::semantic_tokens(&self.shared, params).await
    }
    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        features::pull_diagnostics(&self.shared, params).await
    }
    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        features::workspace_diagnostics(&self.shared, params).await
    }
}

impl Backend {
    async fn lineage(&self, params: LineageParams) -> Result<serde_json::Value> {
        features::lineage(&self.shared, params).await
    }
    async fn status(&self, params: StatusParams) -> Result<Option<Status>> {
        status::status(&self.shared, params)
    }
    async fn model(&self, params: ModelParams) -> Result<Option<ModelReply>> {
        model_request::model(&self.shared, params).await
    }
}

/// Serves one client over a byte stream pair until it exits or closes its input. Returns whether
/// the client asked for `shutdown` first (the process should then exit with 0, else 1).
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, from_server) = tokio::io::duplex(1 << 20);
    let (frames, frames_rx) = mpsc::unbounded_channel();
    let guard = tokio::spawn(transport::guard_input(input, to_server, frames.clone()));
    let pump = tokio::spawn(transport::pump_output(from_server, frames));
    let writer = tokio::spawn(transport::write_output(output, frames_rx));
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, flag))
        .custom_method("rocky/lineage", Backend::lineage)
        .custom_method("rocky/status", Backend::status)
        .custom_method("rocky/model", Backend::model)
        .finish();
    Server::new(server_in, server_out, socket).serve(service).await;
    guard.abort();
    let _ = guard.await;
    let _ = pump.await;
    let _ = writer.await;
    shut_down.load(Ordering::SeqCst)
}

/// Serves on stdin/stdout (what editors start), logging to stderr (`RUST_LOG`, default `warn`:
/// editors keep the server's stderr in a log that info lines would flood). Returns the process
/// exit code the protocol asks for: 0 after `shutdown`, 1 when the client exited (or went
/// away) without it.
pub fn run_stdio() -> anyhow::Result<u8> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let shut_down = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Reading stdin blocks a thread that cannot be interrupted: do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(if shut_down { 0 } else { 1 })
}
