//! Editor features inside a model's sidecar: the strings that name the model's columns (a test's
//! `column`/`columns`, a contract column's `name`, `unique_key`, `timestamp_column`, …) hover with
//! the column's type and complete to the model's output columns.
//!
//! Works on text, not on a parsed TOML tree, because a string being typed (`column = "cus`) is
//! not valid TOML yet: a small scanner finds the string around the cursor and the key it belongs
//! to (the last `key =` before it, outside strings, so multi-line arrays and inline tables work).

use super::completion::{CompletionItem, CompletionKind};
use super::hover::HoverResult;
use crate::base::{Db, ModelFile};
use crate::diagnostics::TextRange;
use crate::hir;

/// Keys whose string values are column names of the model itself.
const COLUMN_KEYS: [&str; 6] = ["column", "columns", "unique_key", "update_columns", "timestamp_column", "name"];

/// The model whose sidecar `path` is (not its SQL file).
pub(super) fn sidecar_model(db: &dyn Db, path: &str) -> Option<ModelFile> {
    let file = *hir::files_by_path(db).get(path)?;
    (file.path(db) != path).then_some(file)
}

/// Column names completed inside a column-naming string at `offset`.
pub(super) fn completions(db: &dyn Db, file: ModelFile, offset: u32) -> Vec<CompletionItem> {
    let Some(text) = file.sidecar(db).as_ref().map(|s| s.text.clone()) else { return Vec::new() };
    let Some(at) = string_at(&text, offset as usize) else { return Vec::new() };
    if !is_column_key(&text, &at) {
        return Vec::new();
    }
    hir::model_schema(db, file)
        .columns
        .iter()
        .map(|c| CompletionItem {
            label: c.name.clone(),
            kind: CompletionKind::Column,
            detail: (!c.ty.is_unknown()).then(|| hir::project_dialect(db).type_name(&c.ty)),
            documentation: None,
            insert_text: None,
            sort_text: None,
        })
        .collect()
}

/// The column named by the string at `offset`, with its type.
pub(super) fn hover(db: &dyn Db, file: ModelFile, offset: u32) -> Option<HoverResult> {
    let text = file.sidecar(db).as_ref()?.text.clone();
    let at = string_at(&text, offset as usize)?;
    if !is_column_key(&text, &at) {
        return None;
    }
    let name = text.get(at.start..at.end?)?;
    let schema = hir::model_schema(db, file);
    let column = schema.column(name)?;
    let model = &hir::model_settings(db, file).name;
    let null = if column.nullable { "nullable" } else { "not null" };
    let ty = hir::project_dialect(db).type_name(&column.ty);
    let markdown = format!("```sql\n{} {ty}\n```\ncolumn of model `{model}` ({null})", column.name);
    Some(HoverResult { range: TextRange::new(at.start as u32, at.end? as u32), markdown, subject: None })
}

/// A string literal around the cursor: its content's start, and end when closed.
struct StringAt {
    start: usize,
    end: Option<usize>,
    /// Where its opening quote is.
    quote: usize,
}

fn is_column_key(text: &str, at: &StringAt) -> bool {
    key_before(&text[..at.quote]).is_some_and(|k| COLUMN_KEYS.contains(&k))
}

/// The string (single-line, basic or literal) that contains `offset`, if any.
fn string_at(text: &str, offset: usize) -> Option<StringAt> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let mut open: Option<(usize, char)> = None;
    for (i, c) in line.char_indices() {
        let abs = line_start + i;
        match open {
            None if c == '#' => break,
            None if c == '"' || c == '\'' => open = Some((abs, c)),
            Some((_, '"')) if c == '\\' => {}
            Some((q, quote)) if c == quote && !escaped(text, abs, quote) => {
                if q < offset && offset <= abs {
                    return Some(StringAt { start: q + 1, end: Some(abs), quote: q });
                }
                open = None;
            }
            _ => {}
        }
    }
    match open {
        Some((q, _)) if q < offset => Some(StringAt { start: q + 1, end: None, quote: q }),
        _ => None,
    }
}

/// Whether the quote at `at` is escaped by a backslash (basic strings only).
fn escaped(text: &str, at: usize, quote: char) -> bool {
    quote == '"' && text[..at].chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// The last `key =` in `prefix`, outside strings and comments.
fn key_before(prefix: &str) -> Option<&str> {
    let mut last: Option<&str> = None;
    let mut in_string: Option<char> = None;
    let mut in_comment = false;
    for (i, c) in prefix.char_indices() {
        match (in_string, c) {
            (_, '\n') if in_comment => in_comment = false,
            _ if in_comment => {}
            (None, '#') => in_comment = true,
            (None, '"' | '\'') => in_string = Some(c),
            (Some(q), _) if c == q && !escaped(prefix, i, q) => in_string = None,
            (None, '=') => {
                let before = prefix[..i].trim_end();
                let start = before
                    .rfind(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'))
                    .map_or(0, |j| j + 1);
                last = Some(&before[start..]).filter(|k| !k.is_empty());
            }
            _ => {}
        }
    }
    last
}
