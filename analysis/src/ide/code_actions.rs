//! Code actions: quick fixes for the diagnostics under the cursor.

use sqlparser::keywords::Keyword;

use super::cursor::{lex, scan};
use super::scope::model_file;
use super::{Analysis, Cancellable, TextEdit};
use crate::diagnostics::{Code, Diagnostic, TextRange};

/// Quick fix (repairs a diagnostic) or refactoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum AssistKind {
    QuickFix,
    Refactor,
}

/// One code action with the exact edits it makes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assist {
    pub title: String,
    pub kind: AssistKind,
    /// The code of the diagnostic it fixes (e.g. `E102`).
    pub diagnostic_code: Option<String>,
    pub edits: Vec<TextEdit>,
    /// The one the editor applies on "fix" without asking.
    pub preferred: bool,
}

impl Analysis {
    /// Code actions for the diagnostics overlapping `range` in a file: every fix a diagnostic
    /// carries (did-you-mean replacements, qualifications, GROUP BY additions), plus for E301
    /// "add to GROUP BY" when the query has no GROUP BY yet and "wrap in any_value(…)". The first
    /// fix of a diagnostic with one clear best fix is `preferred`.
    pub fn code_actions(&self, path: &str, range: TextRange) -> Cancellable<Vec<Assist>> {
        let diagnostics = self.file_diagnostics(path)?;
        let path = path.to_string();
        self.with_db(move |db| {
            let text = model_file(db, &path).map(|f| f.sql(db).clone());
            let mut out = Vec::new();
            for d in diagnostics.iter().filter(|d| d.range.start <= range.end && range.start <= d.range.end) {
                out.extend(fixes_of(d));
                if let (Code::E101UnknownTable, true, Some(text)) = (d.code, d.fixes.is_empty(), &text) {
                    out.extend(source_table_fix(d, text));
                }
                if d.code == Code::E301NotGrouped {
                    if let Some(text) = &text {
                        out.extend(not_grouped_assists(d, text));
                    }
                }
            }
            out
        })
    }
}

fn assist(title: String, d: &Diagnostic, edits: Vec<TextEdit>, preferred: bool) -> Assist {
    Assist { title, kind: AssistKind::QuickFix, diagnostic_code: Some(d.code.as_str().to_string()), edits, preferred }
}

/// The fixes a diagnostic carries. Several qualifications of an ambiguous column are equally
/// good, so none of them is preferred.
fn fixes_of(d: &Diagnostic) -> Vec<Assist> {
    let clear_best = d.code != Code::E103AmbiguousColumn || d.fixes.len() == 1;
    d.fixes
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let edit = TextEdit { path: d.file.clone(), range: f.range, new_text: f.replacement.clone() };
            assist(f.label.clone(), d, vec![edit], i == 0 && clear_best)
        })
        .collect()
}

/// E101 for `schema.tabel` when the cached schema has other tables: the diagnostic names the
/// closest table in its hint (`did you mean `orders`?`) but carries no edit, because the
/// suggestion is the table part only. Replaces the last part of the written name with it.
fn source_table_fix(d: &Diagnostic, text: &str) -> Option<Assist> {
    let suggestion = d.hint.as_deref()?.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    let written = text.get(d.range.start as usize..d.range.end as usize)?;
    let toks = lex(written);
    let last = toks.iter().rev().find(|t| !t.is_trivia())?;
    if last.word().is_none() || !toks.iter().any(|t| matches!(t.token, sqlparser::tokenizer::Token::Period)) {
        return None;
    }
    let range = TextRange::new(d.range.start + last.range.start, d.range.start + last.range.end);
    let full = format!("{}{suggestion}", written.get(..last.range.start as usize)?);
    let edit = TextEdit { path: d.file.clone(), range, new_text: suggestion.to_string() };
    Some(assist(format!("Replace with `{full}`"), d, vec![edit], true))
}

/// E301 `x` not grouped: when the query has no GROUP BY (so the diagnostic carries no fix),
/// "Add `x` to GROUP BY" inserts a GROUP BY clause where SQL wants it (after FROM/WHERE, before
/// HAVING/QUALIFY/WINDOW/ORDER BY/LIMIT), in the query's keyword case. Always offers wrapping the
/// column in `any_value(…)`.
fn not_grouped_assists(d: &Diagnostic, text: &str) -> Vec<Assist> {
    let column = text.get(d.range.start as usize..d.range.end as usize).unwrap_or("").to_string();
    let mut out = Vec::new();
    if d.fixes.is_empty() && !column.is_empty() {
        if let Some(edit) = group_by_insertion(text, d.range.start, &column) {
            let edit = TextEdit { path: d.file.clone(), range: edit.0, new_text: edit.1 };
            out.push(assist(format!("Add `{column}` to GROUP BY"), d, vec![edit], true));
        }
    }
    if !column.is_empty() {
        let edit = TextEdit { path: d.file.clone(), range: d.range, new_text: format!("any_value({column})") };
        out.push(assist(format!("Wrap `{column}` in any_value(…)"), d, vec![edit], false));
    }
    out
}

/// Where and what to insert so the SELECT around `at` groups by `column`.
fn group_by_insertion(text: &str, at: u32, column: &str) -> Option<(TextRange, String)> {
    let scan = scan(text);
    let tok = scan.toks.iter().position(|t| t.range.start <= at && at < t.range.end.max(t.range.start + 1))?;
    let sel = scan.scopes.get(tok).copied().flatten()?;
    let info = scan.selects.get(sel)?;
    let select_tok = scan.toks.get(info.token)?;
    let depth = select_tok.depth;
    let lower =
        text.get(select_tok.range.start as usize..select_tok.range.end as usize)?.chars().all(|c| !c.is_uppercase());
    let keyword = if lower { "group by" } else { "GROUP BY" };
    let end = info.end.min(scan.toks.len());
    // The SELECT's own tokens (deeper ones sit inside parentheses at its depth).
    let own = (info.token..end).filter(|&i| scan.toks[i].depth == depth && !scan.toks[i].is_trivia());
    let mut last = None;
    let mut grouped = false;
    for i in own {
        let t = &scan.toks[i];
        if ends_group_by(t) {
            break;
        }
        grouped |= t.is_kw(Keyword::GROUP);
        last = Some(i);
    }
    let pos = scan.toks.get(last?)?.range.end;
    let new_text = if grouped { format!(", {column}") } else { format!(" {keyword} {column}") };
    Some((TextRange::empty(pos), new_text))
}

/// Keywords that come after GROUP BY in a SELECT.
fn ends_group_by(t: &crate::ide::cursor::Tok) -> bool {
    matches!(
        t.keyword(),
        Keyword::HAVING
            | Keyword::QUALIFY
            | Keyword::WINDOW
            | Keyword::ORDER
            | Keyword::LIMIT
            | Keyword::OFFSET
            | Keyword::UNION
            | Keyword::EXCEPT
            | Keyword::INTERSECT
    ) || matches!(t.token, sqlparser::tokenizer::Token::SemiColon)
}
