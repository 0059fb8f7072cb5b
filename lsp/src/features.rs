//! Requests: each converts LSP params to an analysis call on a snapshot and the answer back.
//! No SQL knowledge here.

use std::collections::HashMap;

use rocky_analysis::ide::{AssistKind, CompletionKind, HoverSubject, SemanticTokenKind, SymbolKind as RockySymbolKind};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::convert::Converter;
use crate::diagnostics::to_lsp;
use crate::position::Encoding;
use crate::server::{query, Shared};
use crate::workspace::too_large_problem;

/// Token types in legend order (index = the analysis kind's position here).
pub const TOKEN_KINDS: [(SemanticTokenKind, SemanticTokenType); 13] = [
    (SemanticTokenKind::Keyword, SemanticTokenType::KEYWORD),
    (SemanticTokenKind::Model, SemanticTokenType::CLASS),
    (SemanticTokenKind::Source, SemanticTokenType::STRUCT),
    (SemanticTokenKind::Cte, SemanticTokenType::INTERFACE),
    (SemanticTokenKind::Column, SemanticTokenType::PROPERTY),
    (SemanticTokenKind::Alias, SemanticTokenType::VARIABLE),
    (SemanticTokenKind::Function, SemanticTokenType::FUNCTION),
    (SemanticTokenKind::String, SemanticTokenType::STRING),
    (SemanticTokenKind::Number, SemanticTokenType::NUMBER),
    (SemanticTokenKind::Comment, SemanticTokenType::COMMENT),
    (SemanticTokenKind::Operator, SemanticTokenType::OPERATOR),
    (SemanticTokenKind::Type, SemanticTokenType::TYPE),
    (SemanticTokenKind::Parameter, SemanticTokenType::PARAMETER),
];

/// Token modifiers in bit order of the analysis' `modifiers` bit set.
pub const TOKEN_MODIFIERS: [SemanticTokenModifier; 3] =
    [SemanticTokenModifier::DECLARATION, SemanticTokenModifier::READONLY, SemanticTokenModifier::DEFAULT_LIBRARY];

/// What the server can do. `pull_diagnostics`: offer `textDocument/diagnostic` (see
/// `ClientCaps::pull_diagnostics`); otherwise diagnostics are only pushed.
pub fn capabilities(encoding: Encoding, pull_diagnostics: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..Default::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            retrigger_characters: None,
            work_done_progress_options: Default::default(),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR]),
            ..Default::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: TOKEN_KINDS.iter().map(|(_, t)| t.clone()).collect(),
                    token_modifiers: TOKEN_MODIFIERS.to_vec(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        diagnostic_provider: pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("rocky".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: Default::default(),
            })
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        experimental: Some(serde_json::json!({ "rockyLineage": true })),
        ..Default::default()
    }
}

fn offset_of(conv: &Converter<'_>, rel: &str, pos: Position) -> Option<u32> {
    conv.offset(rel, pos)
}

pub async fn hover(shared: &Shared, params: HoverParams) -> Result<Option<Hover>> {
    let p = params.text_document_position_params;
    let Some(snap) = shared.snapshot(&p.text_document.uri) else { return Ok(None) };
    let (notes, indexed) = (snap.notes.clone(), snap.indexed);
    query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, p.position) else { return Ok(None) };
        let Some(h) = conv.analysis().hover_with(rel, offset, indexed)? else { return Ok(None) };
        let mut markdown = h.markdown;
        if let Some(extra) = crate::history::hover_note(&notes, h.subject.as_ref()) {
            markdown.push_str("\n\n---\n\n");
            markdown.push_str(&extra);
        }
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
            range: Some(conv.range(rel, h.range)),
        }))
    })
    .await
}

pub async fn inlay_hints(shared: &Shared, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some(snap) = shared.snapshot(&params.text_document.uri) else { return Ok(None) };
    let (version, memory) = (snap.version, snap.last_good.clone());
    let uri = params.text_document.uri.as_str().to_string();
    query(snap, move |conv, rel| {
        let range = conv.text_range(rel, params.range);
        let doc = version.map(|v| (uri.as_str(), v));
        let hints = crate::last_good::inlay_hints(conv.analysis(), rel, range, doc, &memory)?;
        Ok(Some(
            hints
                .into_iter()
                .map(|h| InlayHint {
                    position: conv.position(rel, h.offset),
                    label: InlayHintLabel::String(h.label),
                    kind: Some(InlayHintKind::TYPE),
                    text_edits: None,
                    tooltip: h.tooltip.map(InlayHintTooltip::String),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect(),
        ))
    })
    .await
}

pub async fn definition(shared: &Shared, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let p = params.text_document_position_params;
    let Some(snap) = shared.snapshot(&p.text_document.uri) else { return Ok(None) };
    query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, p.position) else { return Ok(None) };
        let targets = conv.analysis().goto_definition(rel, offset)?;
        if targets.is_empty() {
            return Ok(None);
        }
        let links = targets
            .iter()
            .map(|t| LocationLink {
                origin_selection_range: None,
                target_uri: conv.uri(&t.path),
                target_range: conv.range(&t.path, t.full_range),
                target_selection_range: conv.range(&t.path, t.focus_range),
            })
            .collect();
        Ok(Some(GotoDefinitionResponse::Link(links)))
    })
    .await
}

pub async fn references(shared: &Shared, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let p = params.text_document_position;
    let include = params.context.include_declaration;
    let Some(snap) = shared.snapshot(&p.text_document.uri) else { return Ok(None) };
    query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, p.position) else { return Ok(None) };
        let refs = conv.analysis().references(rel, offset, include)?;
        Ok(Some(refs.iter().map(|r| conv.location(&r.path, r.range)).collect()))
    })
    .await
}

pub async fn prepare_rename(
    shared: &Shared,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(snap) = shared.snapshot(&params.text_document.uri) else { return Ok(None) };
    let answer = query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, params.position) else { return Ok(Ok(None)) };
        // A model: the editor's box shows its name (the range may be `select` in its own file).
        if let Some(at) = conv.analysis().model_name_at(rel, offset)? {
            let range = conv.range(rel, at.range);
            return Ok(Ok(Some(PrepareRenameResponse::RangeWithPlaceholder { range, placeholder: at.model })));
        }
        Ok(conv.analysis().prepare_rename(rel, offset)?.map(|r| Some(PrepareRenameResponse::Range(conv.range(rel, r)))))
    })
    .await?;
    answer.map_err(Error::invalid_params)
}

pub async fn rename(shared: &Shared, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let p = params.text_document_position;
    let Some(snap) = shared.snapshot(&p.text_document.uri) else { return Ok(None) };
    let can_rename_files = shared.caps().rename_files;
    let answer = query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, p.position) else { return Ok(Ok(None)) };
        if let Some(at) = conv.analysis().model_name_at(rel, offset)? {
            let renamed = conv.analysis().rename_model(&at.model, &params.new_name, can_rename_files)?;
            return Ok(renamed.map(|r| Some(conv.model_rename_edit(&r))));
        }
        Ok(conv.analysis().rename(rel, offset, &params.new_name)?.map(|edits| Some(conv.workspace_edit(&edits))))
    })
    .await?;
    answer.map_err(Error::invalid_params)
}

fn symbol_kind(kind: RockySymbolKind) -> SymbolKind {
    match kind {
        RockySymbolKind::Model => SymbolKind::CLASS,
        RockySymbolKind::Cte => SymbolKind::INTERFACE,
        RockySymbolKind::Column => SymbolKind::FIELD,
        RockySymbolKind::Source => SymbolKind::STRUCT,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be set
fn document_symbol(conv: &Converter<'_>, rel: &str, s: &rocky_analysis::ide::DocumentSymbol) -> DocumentSymbol {
    DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: conv.range(rel, s.range),
        selection_range: conv.range(rel, s.selection_range),
        children: Some(s.children.iter().map(|c| document_symbol(conv, rel, c)).collect()),
    }
}

pub async fn document_symbols(shared: &Shared, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    let Some(snap) = shared.snapshot(&params.text_document.uri) else { return Ok(None) };
    query(snap, move |conv, rel| {
        let symbols = conv.analysis().document_symbols(rel)?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols.iter().map(|s| document_symbol(conv, rel, s)).collect())))
    })
    .await
}

pub async fn workspace_symbols(
    shared: &Shared,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let mut out = Vec::new();
    for root in shared.roots() {
        let Some((snap, _)) = shared.project_snapshot(&root) else { continue };
        let q = params.query.clone();
        let found = query(snap, move |conv, _| {
            let symbols = conv.analysis().workspace_symbols(&q)?;
            Ok(symbols
                .iter()
                .map(|s| WorkspaceSymbol {
                    name: s.name.clone(),
                    kind: symbol_kind(s.kind),
                    tags: None,
                    container_name: s.container.clone(),
                    location: OneOf::Left(conv.location(&s.target.path, s.target.focus_range)),
                    data: None,
                })
                .collect::<Vec<_>>())
        })
        .await?;
        out.extend(found);
    }
    Ok(Some(WorkspaceSymbolResponse::Nested(out)))
}

fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Model => CompletionItemKind::CLASS,
        CompletionKind::Source => CompletionItemKind::STRUCT,
        CompletionKind::Cte => CompletionItemKind::INTERFACE,
        CompletionKind::Column => CompletionItemKind::FIELD,
        CompletionKind::Function => CompletionItemKind::FUNCTION,
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Alias => CompletionItemKind::VARIABLE,
    }
}

pub async fn completion(shared: &Shared, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let p = params.text_document_position;
    let Some(snap) = shared.snapshot(&p.text_document.uri) else { return Ok(None) };
    query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, p.position) else { return Ok(None) };
        let items = conv.analysis().completions(rel, offset)?;
        Ok(Some(CompletionResponse::Array(
            items
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label,
                    kind: Some(completion_kind(c.kind)),
                    detail: c.detail,
                    documentation: c
                        .documentation
                        .map(|d| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: d })),
                    insert_text: c.insert_text,
                    sort_text: c.sort_text,
                    ..Default::default()
                })
                .collect(),
        )))
    })
    .await
}

pub async fn signature_help(shared: &Shared, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
    let p = params.text_document_position_params;
    let Some(snap) = shared.snapshot(&p.text_document.uri) else { return Ok(None) };
    query(snap, move |conv, rel| {
        let Some(offset) = offset_of(conv, rel, p.position) else { return Ok(None) };
        let Some(help) = conv.analysis().signature_help(rel, offset)? else { return Ok(None) };
        Ok(Some(SignatureHelp {
            signatures: help
                .signatures
                .into_iter()
                .map(|s| SignatureInformation {
                    parameters: Some(
                        s.parameters
                            .iter()
                            .map(|&(a, b)| ParameterInformation {
                                label: ParameterLabel::LabelOffsets([a, b]),
                                documentation: None,
                            })
                            .collect(),
                    ),
                    label: s.label,
                    documentation: s.documentation.map(Documentation::String),
                    active_parameter: None,
                })
                .collect(),
            active_signature: Some(help.active_signature),
            active_parameter: help.active_parameter,
        }))
    })
    .await
}

pub async fn code_actions(shared: &Shared, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let Some(snap) = shared.snapshot(&params.text_document.uri) else { return Ok(None) };
    let context = params.context.diagnostics;
    let range = params.range;
    query(snap, move |conv, rel| {
        let Some(range) = conv.text_range(rel, range) else { return Ok(None) };
        let assists = conv.analysis().code_actions(rel, range)?;
        let mut out: Vec<CodeActionOrCommand> = Vec::new();
        for a in assists {
            let diagnostics: Vec<Diagnostic> = context
                .iter()
                .filter(|d| a.diagnostic_code.is_some() && code_of(d) == a.diagnostic_code.as_deref())
                .cloned()
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: a.title,
                kind: Some(match a.kind {
                    AssistKind::QuickFix => CodeActionKind::QUICKFIX,
                    AssistKind::Refactor => CodeActionKind::REFACTOR,
                }),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(conv.workspace_edit(&a.edits)),
                is_preferred: Some(a.preferred),
                ..Default::default()
            }));
        }
        // The fixes carried by the diagnostics themselves (when the analysis lists no assist
        // with the same title).
        for d in &context {
            for fix in d.data.as_ref().and_then(|v| v.get("fixes")).and_then(|f| f.as_array()).into_iter().flatten() {
                let (Some(title), Ok(fix_range), Some(new_text)) = (
                    fix.get("title").and_then(|t| t.as_str()),
                    serde_json::from_value::<Range>(fix.get("range").cloned().unwrap_or_default()),
                    fix.get("newText").and_then(|t| t.as_str()),
                ) else {
                    continue;
                };
                let exists = out.iter().any(|o| matches!(o, CodeActionOrCommand::CodeAction(c) if c.title == title));
                if exists {
                    continue;
                }
                let edit = TextEdit::new(fix_range, new_text.to_string());
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.to_string(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(conv.uri(rel), vec![edit])])),
                        ..Default::default()
                    }),
                    is_preferred: Some(false),
                    ..Default::default()
                }));
            }
        }
        Ok(Some(out))
    })
    .await
}

fn code_of(d: &Diagnostic) -> Option<&str> {
    match &d.code {
        Some(NumberOrString::String(s)) => Some(s),
        _ => None,
    }
}

pub async fn semantic_tokens(shared: &Shared, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
    let Some(snap) = shared.snapshot(&params.text_document.uri) else { return Ok(None) };
    query(snap, move |conv, rel| {
        let tokens = conv.analysis().semantic_tokens(rel)?;
        let mut data = Vec::with_capacity(tokens.len());
        let (mut prev_line, mut prev_start) = (0, 0);
        for t in tokens {
            let Some(kind) = TOKEN_KINDS.iter().position(|(k, _)| *k == t.kind) else { continue };
            let range = conv.range(rel, t.range);
            if range.start.line != range.end.line || range.end.character <= range.start.character {
                continue; // single-line, non-empty only
            }
            let (line, start) = (range.start.line, range.start.character);
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 { start - prev_start } else { start };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: range.end.character - start,
                token_type: kind as u32,
                token_modifiers_bitset: t.modifiers & ((1 << TOKEN_MODIFIERS.len()) - 1),
            });
            (prev_line, prev_start) = (line, start);
        }
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    })
    .await
}

/// A stable id for a diagnostics report, so an unchanged pull costs the client nothing.
fn result_id(items: &[Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(items).unwrap_or_default().hash(&mut h);
    format!("{:016x}", h.finish())
}

pub async fn pull_diagnostics(
    shared: &Shared,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let (too_large, problems) = {
        let ws = shared.lock();
        let located = ws.locate_document(uri.as_str());
        let doc = ws.documents.get(uri.as_str());
        let too_large = match (doc, &located) {
            (Some(d), Some((_, rel))) if d.too_large() => Some(too_large_problem(rel, d.rope.len_bytes())),
            _ => None,
        };
        let problems =
            located.and_then(|(root, rel)| ws.projects.get(&root).map(|p| p.problems_of(&rel))).unwrap_or_default();
        (too_large, problems)
    };
    let items = match (too_large, shared.snapshot(&uri)) {
        (Some(problem), _) => {
            let conv_free = vec![Diagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(crate::convert::LOAD_PROBLEM_CODE.into())),
                source: Some("rocky".into()),
                message: format!("{}\nhint: {}", problem.message, problem.hint),
                ..Default::default()
            }];
            conv_free
        }
        (None, Some(snap)) => {
            let (version, memory, key) = (snap.version, snap.last_good.clone(), uri.as_str().to_string());
            query(snap, move |conv, rel| {
                let doc = version.map(|v| (key.as_str(), v));
                let diagnostics = crate::last_good::file_diagnostics(conv.analysis(), rel, doc, &memory)?;
                Ok(to_lsp(conv, &(diagnostics, problems)))
            })
            .await?
        }
        (None, None) => Vec::new(),
    };
    let id = result_id(&items);
    let report = if params.previous_result_id.as_deref() == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: Some(id), items },
        })
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

pub async fn workspace_diagnostics(
    shared: &Shared,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<String, String> =
        params.previous_result_ids.into_iter().map(|p| (p.uri.as_str().to_string(), p.value)).collect();
    let mut reports = Vec::new();
    for root in shared.roots() {
        let Some((snap, problems)) = shared.project_snapshot(&root) else { continue };
        let files = query(snap, move |conv, _| {
            let mut by_file: HashMap<String, crate::diagnostics::Raw> = HashMap::new();
            for d in conv.analysis().all_diagnostics()? {
                by_file.entry(d.file.clone()).or_default().0.push(d);
            }
            for p in problems {
                by_file.entry(p.path.clone()).or_default().1.push(p);
            }
            Ok(by_file.into_iter().map(|(rel, raw)| (conv.uri(&rel), to_lsp(conv, &raw))).collect::<Vec<_>>())
        })
        .await?;
        for (uri, items) in files {
            let id = result_id(&items);
            let report = if previous.get(uri.as_str()) == Some(&id) {
                WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                    uri,
                    version: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id },
                })
            } else {
                WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: Some(id), items },
                })
            };
            reports.push(report);
        }
    }
    Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items: reports }))
}

/// `rocky/lineage` parameters: a position in a model, or a model (and column) by name.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineageParams {
    pub text_document: Option<TextDocumentIdentifier>,
    pub position: Option<Position>,
    pub model: Option<String>,
    pub column: Option<String>,
    #[serde(default)]
    pub direction: Direction,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Upstream,
    Downstream,
    #[default]
    Both,
}

/// `rocky/lineage`: the column-level lineage graph (nodes, edges with derivation kinds) around a
/// model column, or around every column of a model.
pub async fn lineage(shared: &Shared, params: LineageParams) -> Result<serde_json::Value> {
    use rocky_analysis::hir::LineageTable;
    let snap = match (&params.text_document, &params.model) {
        (Some(doc), _) => shared.snapshot(&doc.uri),
        (None, Some(_)) => shared.roots().first().and_then(|r| shared.project_snapshot(r)).map(|(s, _)| s),
        (None, None) => return Err(Error::invalid_params("give `textDocument` and `position`, or `model`")),
    };
    let Some(snap) = snap else { return Ok(serde_json::Value::Null) };
    let direction = params.direction;
    query(snap, move |conv, rel| {
        let a = conv.analysis();
        // Which model and column: by name, or from what the cursor is on.
        let (model, column) = match (params.model, params.position) {
            (Some(m), _) => (Some(m), params.column),
            (None, Some(pos)) => {
                let offset = conv.offset(rel, pos).unwrap_or(0);
                let file_model = a.models()?.into_iter().find(|m| m.path == rel).map(|m| m.name);
                match a.hover(rel, offset)?.and_then(|h| h.subject) {
                    Some(HoverSubject::Column { model, column }) => (model.or(file_model), Some(column)),
                    Some(HoverSubject::Model { name, .. }) => (Some(name), None),
                    _ => (file_model, None),
                }
            }
            (None, None) => (None, None),
        };
        let Some(model) = model else { return Ok(serde_json::Value::Null) };
        let columns: Vec<String> = match column {
            Some(c) => vec![c],
            None => a.model(&model)?.map(|m| m.schema.columns.iter().map(|c| c.name.clone()).collect()).unwrap_or_default(),
        };
        let mut nodes = std::collections::BTreeSet::new();
        let mut edges = std::collections::BTreeSet::new();
        for c in &columns {
            let mut graphs = Vec::new();
            if direction != Direction::Downstream {
                graphs.push(a.upstream_lineage(&model, c)?);
            }
            if direction != Direction::Upstream {
                graphs.push(a.downstream_lineage(LineageTable::Model(model.clone()), c)?);
            }
            for g in graphs {
                nodes.extend(g.nodes);
                edges.extend(g.edges);
            }
        }
        Ok(serde_json::json!({
            "model": model,
            "columns": columns,
            "direction": match direction { Direction::Upstream => "upstream", Direction::Downstream => "downstream", Direction::Both => "both" },
            "nodes": nodes,
            "edges": edges,
        }))
    })
    .await
}
