//! Conversions between the analysis' data (project-relative paths, byte ranges) and LSP's
//! (URIs, line/character ranges), for one snapshot of one project.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rocky_analysis::diagnostics::Fix;
use rocky_analysis::ide::{ModelRename, TextEdit};
use rocky_analysis::{Analysis, Diagnostic, Severity, TextRange};
use rocky_loader::LoadProblem;
use serde_json::json;
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentChangeOperation, DocumentChanges, Location,
    NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range, RenameFile, RenameFileOptions,
    ResourceOp, TextDocumentEdit, Uri, WorkspaceEdit,
};

use crate::position::{Encoding, LineMap};

/// The code of load problems (files that could not be read, bad globs), as `rocky check` shows it.
pub const LOAD_PROBLEM_CODE: &str = "E000";

/// Converts for one snapshot; caches each file's line map.
pub struct Converter<'a> {
    analysis: &'a Analysis,
    root: &'a Path,
    encoding: Encoding,
    /// URIs of open documents by project-relative path (the client's spelling wins).
    open: &'a HashMap<String, Uri>,
    maps: RefCell<HashMap<String, Option<Rc<LineMap>>>>,
}

impl<'a> Converter<'a> {
    pub fn new(analysis: &'a Analysis, root: &'a Path, encoding: Encoding, open: &'a HashMap<String, Uri>) -> Self {
        Converter { analysis, root, encoding, open, maps: RefCell::new(HashMap::new()) }
    }

    pub fn analysis(&self) -> &Analysis {
        self.analysis
    }

    /// The line map of a file as this snapshot sees it (`None` when the analysis does not hold it).
    pub fn line_map(&self, rel: &str) -> Option<Rc<LineMap>> {
        self.maps
            .borrow_mut()
            .entry(rel.to_string())
            .or_insert_with(|| self.analysis.file_text(rel).map(|t| Rc::new(LineMap::new(t, self.encoding))))
            .clone()
    }

    pub fn range(&self, rel: &str, range: TextRange) -> Range {
        self.line_map(rel).map_or_else(Range::default, |m| m.range(range))
    }

    pub fn position(&self, rel: &str, offset: u32) -> Position {
        self.line_map(rel).map_or_else(Position::default, |m| m.position(offset))
    }

    /// The byte offset of a position (clamped), or `None` when the analysis does not hold the file.
    pub fn offset(&self, rel: &str, pos: Position) -> Option<u32> {
        self.line_map(rel).map(|m| m.offset(pos))
    }

    pub fn text_range(&self, rel: &str, range: Range) -> Option<TextRange> {
        self.line_map(rel).map(|m| m.text_range(range))
    }

    pub fn uri(&self, rel: &str) -> Uri {
        if let Some(uri) = self.open.get(rel) {
            return uri.clone();
        }
        file_uri(&self.root.join(rel))
    }

    pub fn location(&self, rel: &str, range: TextRange) -> Location {
        Location::new(self.uri(rel), self.range(rel, range))
    }

    /// Edits grouped per file.
    pub fn workspace_edit(&self, edits: &[TextEdit]) -> WorkspaceEdit {
        let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
        for e in edits {
            changes
                .entry(self.uri(&e.path))
                .or_default()
                .push(lsp::TextEdit::new(self.range(&e.path, e.range), e.new_text.clone()));
        }
        WorkspaceEdit { changes: Some(changes), ..Default::default() }
    }

    /// A model rename: its text edits, then its file moves (which need `documentChanges`: only
    /// sent to a client that said it can rename files). Without moves, plain `changes`.
    pub fn model_rename_edit(&self, rename: &ModelRename) -> WorkspaceEdit {
        if rename.files.is_empty() {
            return self.workspace_edit(&rename.edits);
        }
        let mut by_file: BTreeMap<&str, Vec<OneOf<lsp::TextEdit, lsp::AnnotatedTextEdit>>> = BTreeMap::new();
        for e in &rename.edits {
            let edit = lsp::TextEdit::new(self.range(&e.path, e.range), e.new_text.clone());
            by_file.entry(e.path.as_str()).or_default().push(OneOf::Left(edit));
        }
        let mut ops: Vec<DocumentChangeOperation> = by_file
            .into_iter()
            .map(|(path, edits)| {
                let text_document = OptionalVersionedTextDocumentIdentifier { uri: self.uri(path), version: None };
                DocumentChangeOperation::Edit(TextDocumentEdit { text_document, edits })
            })
            .collect();
        ops.extend(rename.files.iter().map(|f| {
            DocumentChangeOperation::Op(ResourceOp::Rename(RenameFile {
                old_uri: self.uri(&f.from),
                new_uri: file_uri(&self.root.join(&f.to)),
                options: Some(RenameFileOptions { overwrite: Some(false), ignore_if_exists: Some(false) }),
                annotation_id: None,
            }))
        }));
        WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(ops)), ..Default::default() }
    }

    /// An analysis diagnostic in LSP form: exact range, severity, stable code, message with the
    /// hint, related places, and its fixes in `data` (code actions read them back).
    pub fn diagnostic(&self, d: &Diagnostic) -> lsp::Diagnostic {
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: self.location(&r.file, r.range),
                message: r.message.clone(),
            })
            .collect();
        let fixes: Vec<serde_json::Value> = d.fixes.iter().map(|f| self.fix_json(&d.file, f)).collect();
        lsp::Diagnostic {
            range: self.range(&d.file, d.range),
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.code.as_str().to_string())),
            source: Some("rocky".into()),
            message: with_hint(&d.message, d.hint.as_deref()),
            related_information: (!related.is_empty()).then_some(related),
            data: (!fixes.is_empty()).then(|| json!({ "fixes": fixes })),
            ..Default::default()
        }
    }

    fn fix_json(&self, rel: &str, fix: &Fix) -> serde_json::Value {
        json!({
            "title": fix.label,
            "range": self.range(rel, fix.range),
            "newText": fix.replacement,
        })
    }

    /// A load problem (`E000`) in LSP form.
    pub fn load_problem(&self, p: &LoadProblem) -> lsp::Diagnostic {
        lsp::Diagnostic {
            range: p.range.map(|r| self.range(&p.path, r)).unwrap_or_default(),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(LOAD_PROBLEM_CODE.into())),
            source: Some("rocky".into()),
            message: with_hint(&p.message, Some(&p.hint)),
            ..Default::default()
        }
    }
}

/// `file://` URI of an absolute path.
pub fn file_uri(path: &Path) -> Uri {
    Uri::from_file_path(path).unwrap_or_else(|| {
        // Only relative paths fail; roots are absolute, so this is a fallback for odd inputs.
        let abs: PathBuf = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Uri::from_file_path(&abs).unwrap_or_else(|| "file:///".parse().expect("a valid constant URI"))
    })
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

fn with_hint(message: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) if !h.is_empty() => format!("{message}\nhint: {h}"),
        _ => message.to_string(),
    }
}
