//! Splitting a `;`-separated script into statements, for warehouses that take one statement per
//! call (Spark Connect): lexing SQL belongs to the analysis, so the runner never tokenizes SQL.

/// The statements of a `;`-separated script, for warehouses that take one statement per call.
/// Split at the `;` tokens of sqlparser's tokenizer, so a `;` inside a string, quoted identifier
/// or comment does not split; empty statements are dropped.
pub fn split_statements(script: &str) -> Vec<&str> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let dialect = sqlparser::dialect::GenericDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, script).tokenize_with_location() else {
        return vec![script.trim()].into_iter().filter(|s| !s.is_empty()).collect();
    };
    let offsets = line_offsets(script);
    let to_byte = |line: u64, column: u64| -> Option<usize> {
        let start = *offsets.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(column).ok()?.checked_sub(1)?;
        Some(script[start..].char_indices().nth(column).map_or(script.len(), |(b, _)| start + b))
    };
    let mut out = Vec::new();
    let mut from = 0;
    for token in tokens.iter().filter(|t| t.token == Token::SemiColon) {
        let Some(at) = to_byte(token.span.start.line, token.span.start.column) else { continue };
        out.push(script[from..at].trim());
        from = at + 1;
    }
    out.push(script[from..].trim());
    out.retain(|s| !s.is_empty() && !is_only_comments(s));
    out
}

/// The byte offset of each line's start.
fn line_offsets(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// Whether a piece of script holds nothing but comments (e.g. after the last `;`).
fn is_only_comments(piece: &str) -> bool {
    use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
    let dialect = sqlparser::dialect::GenericDialect {};
    Tokenizer::new(&dialect, piece).tokenize().is_ok_and(|tokens| {
        tokens.iter().all(|t| {
            matches!(
                t,
                Token::Whitespace(
                    Whitespace::Space
                        | Whitespace::Newline
                        | Whitespace::Tab
                        | Whitespace::SingleLineComment { .. }
                        | Whitespace::MultiLineComment(_)
                )
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::split_statements;

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let script = "CREATE TABLE a (x STRING);\n-- a comment; with a semicolon\nINSERT INTO a VALUES ('x;y'), (\"z\");\n/* end; */\n";
        assert_eq!(
            split_statements(script),
            ["CREATE TABLE a (x STRING)", "-- a comment; with a semicolon\nINSERT INTO a VALUES ('x;y'), (\"z\")"]
        );
        assert_eq!(split_statements("SELECT 'é';SELECT 2"), ["SELECT 'é'", "SELECT 2"]);
        assert!(split_statements(" ; -- nothing\n").is_empty());
    }
}
