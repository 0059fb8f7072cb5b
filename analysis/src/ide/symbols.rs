//! Document and workspace symbols: models, their CTEs and output columns.

use super::cursor::scan;
use super::scope::Resolver;
use super::{Analysis, Cancellable, NavigationTarget};
use crate::base::{Db, ModelFile};
use crate::diagnostics::TextRange;
use crate::hir;

/// What a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SymbolKind {
    Model,
    Cte,
    Column,
    Source,
}

/// One entry of a file's outline.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The name (what the editor selects when the symbol is picked).
    pub selection_range: TextRange,
    pub children: Vec<DocumentSymbol>,
}

/// A project-wide symbol search hit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The model a column belongs to.
    pub container: Option<String>,
    pub target: NavigationTarget,
}

/// Most workspace symbols returned for one query.
pub const WORKSPACE_SYMBOL_LIMIT: usize = 100;

impl Analysis {
    /// The outline of a model file: the model (detail: strategy and target) with its CTEs (each
    /// with its output columns) and its output columns. Column names and types come from type
    /// inference when the SQL parses, from the select lists' tokens while it does not.
    pub fn document_symbols(&self, path: &str) -> Cancellable<Vec<DocumentSymbol>> {
        self.with_model(path, |db, file| vec![model_symbol(db, file)])
    }

    /// Models and their output columns whose names match `query` (case-insensitive: exact, then
    /// prefix, then substring, then subsequence), at most [`WORKSPACE_SYMBOL_LIMIT`].
    pub fn workspace_symbols(&self, query: &str) -> Cancellable<Vec<WorkspaceSymbol>> {
        let query = query.to_lowercase();
        self.with_db(move |db| {
            // (score, model file, column index or None for the model).
            let mut hits: Vec<(u8, String, ModelFile, Option<usize>)> = Vec::new();
            for &m in db.project().models(db) {
                let name = &hir::model_settings(db, m).name;
                if let Some(score) = fuzzy_score(&query, name) {
                    hits.push((score, name.to_lowercase(), m, None));
                }
                for (i, c) in hir::model_schema(db, m).columns.iter().enumerate() {
                    if let Some(score) = fuzzy_score(&query, &c.name) {
                        hits.push((score, c.name.to_lowercase(), m, Some(i)));
                    }
                }
            }
            hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.len().cmp(&b.1.len())).then_with(|| a.1.cmp(&b.1)));
            hits.truncate(WORKSPACE_SYMBOL_LIMIT);
            hits.into_iter().map(|(_, _, m, col)| workspace_symbol(db, m, col)).collect()
        })
    }
}

/// 0 exact, 1 prefix, 2 substring, 3 subsequence; `None` when `name` does not match.
fn fuzzy_score(query: &str, name: &str) -> Option<u8> {
    let name = name.to_lowercase();
    if name == query {
        return Some(0);
    }
    if name.starts_with(query) {
        return Some(1);
    }
    if name.contains(query) {
        return Some(2);
    }
    let mut chars = name.chars();
    query.chars().all(|q| chars.any(|c| c == q)).then_some(3)
}

fn workspace_symbol(db: &dyn Db, m: ModelFile, column: Option<usize>) -> WorkspaceSymbol {
    let model = model_symbol(db, m);
    let path = m.path(db).clone();
    let model_name = model.name.clone();
    match column {
        None => WorkspaceSymbol {
            name: model.name.clone(),
            kind: SymbolKind::Model,
            container: None,
            target: NavigationTarget {
                path,
                name: model.name,
                full_range: model.range,
                focus_range: model.selection_range,
            },
        },
        Some(i) => {
            let name = hir::model_schema(db, m).columns.get(i).map(|c| c.name.clone()).unwrap_or_default();
            let outline =
                model.children.iter().find(|c| c.kind == SymbolKind::Column && c.name.eq_ignore_ascii_case(&name));
            let (full_range, focus_range) =
                outline.map_or((model.range, model.selection_range), |c| (c.range, c.selection_range));
            WorkspaceSymbol {
                name: name.clone(),
                kind: SymbolKind::Column,
                container: Some(model_name),
                target: NavigationTarget { path, name, full_range, focus_range },
            }
        }
    }
}

fn model_symbol(db: &dyn Db, file: ModelFile) -> DocumentSymbol {
    let settings = hir::model_settings(db, file);
    let text = file.sql(db);
    let scan = scan(text);
    let resolver = Resolver::new(db, file, &scan);
    let main = scan.selects.iter().position(|s| scan.toks.get(s.token).is_some_and(|t| t.depth == 0));
    let selection_range =
        main.and_then(|s| scan.toks.get(scan.selects[s].token)).map_or(TextRange::empty(0), |t| t.range);
    let mut children: Vec<DocumentSymbol> = scan
        .ctes
        .iter()
        .enumerate()
        .map(|(i, cte)| DocumentSymbol {
            name: cte.name.clone(),
            detail: Some("CTE".to_string()),
            kind: SymbolKind::Cte,
            range: cte.range,
            selection_range: cte.name_range,
            children: cte_columns(&resolver, i),
        })
        .collect();
    let mut columns = main.map(|s| column_symbols(&resolver, s)).unwrap_or_default();
    // Inference knows the real names and types (e.g. of `count(*)`); positions come from tokens.
    let inferred = hir::infer_model(db, file).query_columns();
    let dialect = *hir::project_dialect(db);
    if !inferred.is_empty() {
        let fallback = columns.first().map_or(selection_range, |c| c.range);
        let same_shape = columns.len() == inferred.len();
        columns = inferred
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let at = if same_shape {
                    columns.get(i)
                } else {
                    columns.iter().find(|s| s.name.eq_ignore_ascii_case(&c.name))
                };
                let (range, selection_range) = at.map_or((fallback, fallback), |s| (s.range, s.selection_range));
                DocumentSymbol {
                    name: c.name.clone(),
                    detail: Some({
                        let ty = dialect.type_name(&c.ty);
                        if c.nullable {
                            ty
                        } else {
                            format!("{ty} NOT NULL")
                        }
                    }),
                    kind: SymbolKind::Column,
                    range,
                    selection_range,
                    children: Vec::new(),
                }
            })
            .collect();
    }
    children.extend(columns);
    DocumentSymbol {
        name: settings.name.clone(),
        detail: Some(format!("{} → {}", settings.config.strategy.name(), settings.target)),
        kind: SymbolKind::Model,
        range: TextRange::new(0, text.len() as u32),
        selection_range,
        children,
    }
}

/// A CTE's output columns (its column list renames them).
fn cte_columns(r: &Resolver, cte: usize) -> Vec<DocumentSymbol> {
    let Some(c) = r.scan.ctes.get(cte) else { return Vec::new() };
    let mut out = c.select.map(|s| column_symbols(r, s)).unwrap_or_default();
    for (i, (name, range)) in c.columns.iter().enumerate() {
        match out.get_mut(i) {
            Some(sym) => {
                sym.name = name.clone();
                sym.selection_range = *range;
            }
            None => out.push(column(name.clone(), None, *range, *range)),
        }
    }
    out
}

fn column(name: String, detail: Option<String>, range: TextRange, selection_range: TextRange) -> DocumentSymbol {
    DocumentSymbol { name, detail, kind: SymbolKind::Column, range, selection_range, children: Vec::new() }
}

/// A SELECT's output columns from its select list; `*` expands to the columns it stands for,
/// each located at the `*` item.
fn column_symbols(r: &Resolver, sel: usize) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for item in r.scan.select_items(sel) {
        if item.star {
            for c in r.select_columns_of_star(sel, item.range) {
                out.push(column(c.name, c.ty, item.range, item.range));
            }
            continue;
        }
        // Unnamed items (`count(*)`) keep their place so inference's names line up.
        let name = item.name.clone().unwrap_or_else(|| r.scan_text(item.range));
        out.push(column(name, r.item_column_type(sel, &item, 0), item.range, item.name_range));
    }
    out
}
