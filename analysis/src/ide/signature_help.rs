//! Signature help: the overloads of the function call the cursor is in, and which argument it is on.

use sqlparser::tokenizer::Token;

use super::cursor::{lex, Tok};
use super::{Analysis, Cancellable};
use crate::dialect::Dialect;

/// The signatures of the call around the cursor.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SignatureHelp {
    pub signatures: Vec<SignatureInfo>,
    pub active_signature: u32,
    /// Index of the argument the cursor is in (from the commas before it at the call's depth).
    pub active_parameter: Option<u32>,
}

/// One overload, e.g. `date_trunc(VARCHAR, TIMESTAMP) -> TIMESTAMP`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SignatureInfo {
    pub label: String,
    pub documentation: Option<String>,
    /// Each parameter's `[start, end)` in `label`, in chars.
    pub parameters: Vec<(u32, u32)>,
}

impl Analysis {
    /// Signature help at byte `offset`: the innermost enclosing call of a catalog function
    /// (plain parentheses are skipped), its overloads, and the argument the cursor is in.
    /// `None` outside calls, in comments and for unknown functions.
    pub fn signature_help(&self, path: &str, offset: u32) -> Cancellable<Option<SignatureHelp>> {
        self.with_model(path, move |db, file| signature_help(*crate::hir::project_dialect(db), file.sql(db), offset))
    }
}

/// Signature help on plain text.
fn signature_help(dialect: Dialect, text: &str, offset: u32) -> Option<SignatureHelp> {
    if offset as usize > text.len() {
        return None;
    }
    let toks = lex(text);
    if toks.iter().any(|t| t.is_comment() && t.range.start < offset && offset < t.range.end) {
        return None;
    }
    let (name, arg) = enclosing_call(dialect, &toks, offset)?;
    let catalog = dialect;
    let labels = signatures(dialect, &name);
    if labels.is_empty() {
        return None;
    }
    let documentation = catalog.description(&name).map(str::to_string);
    let signatures: Vec<SignatureInfo> = labels
        .into_iter()
        .map(|label| {
            let parameters = parameter_ranges(&label);
            SignatureInfo { label, documentation: documentation.clone(), parameters }
        })
        .collect();
    // The first overload with enough parameters (or varargs) for the argument the cursor is on.
    let fits = |s: &SignatureInfo| s.parameters.len() > arg as usize || s.label.contains("...]");
    let active_signature = signatures.iter().position(fits).unwrap_or(0) as u32;
    // Arguments past the last parameter belong to varargs (the last one); otherwise the index
    // is out of range and editors highlight nothing.
    let active_parameter = signatures.get(active_signature as usize).map(|s| {
        let n = s.parameters.len() as u32;
        if arg >= n && n > 0 && s.label.contains("...]") {
            n - 1
        } else {
            arg
        }
    });
    Some(SignatureHelp { signatures, active_signature, active_parameter })
}

/// The function name of the innermost call around `offset` and the index of the argument the
/// cursor is in (commas at the call's own depth before the cursor).
fn enclosing_call(dialect: Dialect, toks: &[Tok], offset: u32) -> Option<(String, u32)> {
    let before: Vec<&Tok> = toks.iter().filter(|t| t.range.start < offset && !t.is_trivia()).collect();
    let mut depth = 0u32;
    let mut commas = 0u32;
    for (k, t) in before.iter().enumerate().rev() {
        match t.token {
            Token::RParen | Token::RBracket => depth += 1,
            Token::LParen | Token::LBracket if depth > 0 => depth -= 1,
            Token::LParen => {
                // The cursor must be after the parenthesis, not on it.
                if t.range.end > offset {
                    commas = 0;
                    continue;
                }
                let name = k
                    .checked_sub(1)
                    .and_then(|p| before[p].word().filter(|_| before[p].is_quoted() || !is_not_call(before[p])));
                if let Some(name) = name {
                    if !signatures(dialect, name).is_empty() {
                        return Some((name.to_ascii_lowercase(), commas));
                    }
                }
                commas = 0;
            }
            Token::LBracket => commas = 0,
            Token::Comma if depth == 0 => commas += 1,
            _ => {}
        }
    }
    None
}

/// The catalog's overload labels; the functions DuckDB binds generically (and the catalog
/// lists without overloads) get the signature the type checker uses.
fn signatures(dialect: Dialect, name: &str) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    match (dialect, lower.as_str()) {
        (Dialect::DuckDb, "coalesce" | "ifnull") => vec![format!("{lower}(ANY, [ANY...]) -> ANY")],
        (Dialect::Postgres, "coalesce" | "greatest" | "least") => {
            vec![format!("{lower}(anycompatible, [anycompatible...])")]
        }
        _ => dialect.signatures(&lower),
    }
}

/// Words before `(` that do not make a function call.
fn is_not_call(t: &Tok) -> bool {
    use sqlparser::keywords::Keyword;
    matches!(
        t.keyword(),
        Keyword::IN
            | Keyword::EXISTS
            | Keyword::AS
            | Keyword::OVER
            | Keyword::FILTER
            | Keyword::VALUES
            | Keyword::USING
    )
}

/// Each parameter's `[start, end)` in chars within a signature label `name(A, B) -> R`: split at
/// the commas of the outermost parentheses (types like `DECIMAL(18, 3)` contain commas).
fn parameter_ranges(label: &str) -> Vec<(u32, u32)> {
    let chars: Vec<char> = label.chars().collect();
    let Some(open) = chars.iter().position(|&c| c == '(') else { return Vec::new() };
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = open + 1;
    for (i, &c) in chars.iter().enumerate().skip(open + 1) {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            ')' => {
                if i > start {
                    out.push((start as u32, i as u32));
                }
                return out;
            }
            ',' if depth == 0 => {
                out.push((start as u32, i as u32));
                start = i + 1;
                while chars.get(start) == Some(&' ') {
                    start += 1;
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_split_at_outer_commas() {
        let label = "f(DECIMAL(18,3), VARCHAR[], [ANY...]) -> X";
        let p = parameter_ranges(label);
        let parts: Vec<&str> = p.iter().map(|&(a, b)| &label[a as usize..b as usize]).collect();
        assert_eq!(parts, vec!["DECIMAL(18,3)", "VARCHAR[]", "[ANY...]"]);
        assert_eq!(parameter_ranges("now() -> TIMESTAMP"), Vec::<(u32, u32)>::new());
    }
}
