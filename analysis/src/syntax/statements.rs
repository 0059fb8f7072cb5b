//! Splitting a `;`-separated script into statements, for warehouses that take one statement per
//! call (Spark Connect): lexing SQL belongs to the analysis, so the runner never tokenizes SQL.

/// The statements of a `;`-separated script, for warehouses that take one statement per call.
/// Split at the `;` tokens of sqlparser's tokenizer, so a `;` inside a string, quoted identifier
/// or comment does not split; pieces holding only whitespace and comments are dropped.
pub fn split_statements(script: &str) -> Vec<&str> {
    use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
    let dialect = sqlparser::dialect::GenericDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, script).tokenize_with_location() else {
        return vec![script.trim()].into_iter().filter(|s| !s.is_empty()).collect();
    };
    let spans = super::SpanMap::new(script);
    let mut out = Vec::new();
    let (mut from, mut has_content) = (0, false);
    for token in &tokens {
        match &token.token {
            Token::SemiColon => {
                let Some(at) = spans.offset(token.span.start).map(|at| at as usize) else { continue };
                if has_content {
                    out.push(script[from..at].trim());
                }
                (from, has_content) = (at + 1, false);
            }
            Token::Whitespace(
                Whitespace::Space
                | Whitespace::Newline
                | Whitespace::Tab
                | Whitespace::SingleLineComment { .. }
                | Whitespace::MultiLineComment(_),
            ) => {}
            _ => has_content = true,
        }
    }
    if has_content {
        out.push(script[from..].trim());
    }
    out
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
