use sqlparser::ast::Spanned;
use sqlparser::tokenizer::{Location, Span};

use super::{LineCol, LineIndex};
use crate::diagnostics::TextRange;

/// Converts sqlparser's 1-based line/character locations to byte offsets of one text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SpanMap {
    index: LineIndex,
    text: std::sync::Arc<str>,
}

impl SpanMap {
    pub fn new(text: &str) -> Self {
        SpanMap { index: LineIndex::new(text), text: text.into() }
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.index
    }

    /// Byte offset of a sqlparser location (line and column count from 1, column in characters).
    pub fn offset(&self, loc: Location) -> Option<u32> {
        if loc.line == 0 {
            return None;
        }
        let line = (loc.line - 1) as u32;
        let (start, end) = self.index.line_range(line, &self.text)?;
        let line_text = self.text.get(start as usize..end as usize)?;
        let chars = loc.column.saturating_sub(1) as usize;
        let byte = line_text.char_indices().nth(chars).map(|(i, _)| i).unwrap_or(line_text.len());
        Some(start + byte as u32)
    }

    /// Byte range of a sqlparser span (`None` for the empty spans some nodes have).
    pub fn range(&self, span: Span) -> Option<TextRange> {
        if span == Span::empty() {
            return None;
        }
        let start = self.offset(span.start)?;
        let end = self.offset(span.end).unwrap_or(start);
        Some(TextRange::new(start, end))
    }

    /// Byte range of any AST node.
    pub fn range_of(&self, node: &impl Spanned) -> Option<TextRange> {
        self.range(node.span())
    }

    /// The text of a range.
    pub fn text(&self, range: TextRange) -> &str {
        self.text.get(range.start as usize..range.end as usize).unwrap_or("")
    }

    pub fn len(&self) -> u32 {
        self.text.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Turns sqlparser's error text into a clean message and the range of the offending token.
    /// sqlparser appends " at Line: L, Column: C" to messages; that becomes the range.
    pub fn parser_error(&self, raw: &str) -> (String, TextRange) {
        let msg = raw
            .trim_start_matches("sql parser error: ")
            .trim_start_matches("SQL parser error: ")
            .trim_start_matches("sql tokenizer error: ");
        let Some(at) = msg.rfind(" at Line: ") else {
            let end = self.len();
            return (msg.to_string(), TextRange::new(end, end));
        };
        let (message, loc) = msg.split_at(at);
        let nums: Vec<u64> =
            loc.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
        let range = match nums.as_slice() {
            [line, col, ..] => {
                let start = self.offset(Location { line: *line, column: *col }).unwrap_or(self.len());
                self.found_token(message, TextRange::new(start, self.token_end(start)))
            }
            _ => TextRange::empty(self.len()),
        };
        (message.to_string(), range)
    }

    /// Moves an error's range onto the token its message names (`… found: from`): sqlparser
    /// sometimes locates the token after it. A clause keyword that needs `BY` (`GROUP id`) is
    /// underlined with the token that follows it, where PostgreSQL reports the error.
    fn found_token(&self, message: &str, mut range: TextRange) -> TextRange {
        let Some(found) = message.rsplit_once("found: ").map(|(_, f)| f.trim()) else { return range };
        let at = |r: TextRange| self.text(r).eq_ignore_ascii_case(found);
        if !at(range) {
            if let Some((start, _)) = self.word_before(self.skip_ws_back(range.start)) {
                let prev = TextRange::new(start, self.token_end(start));
                if at(prev) {
                    range = prev;
                }
            }
        }
        if ["group", "order", "partition"].iter().any(|k| found.eq_ignore_ascii_case(k)) && at(range) {
            let next = self.skip_ws(range.end);
            match self.word_after(next) {
                Some((_, w)) if w.eq_ignore_ascii_case("by") => {}
                _ if next < self.len() => range = TextRange::new(range.start, self.token_end(next)),
                _ => {}
            }
        }
        range
    }

    /// End of the word or symbol starting at `start`, so an error underlines the whole token.
    fn token_end(&self, start: u32) -> u32 {
        let rest = self.text.get(start as usize..).unwrap_or("");
        let mut chars = rest.char_indices();
        let Some((_, first)) = chars.next() else {
            return start;
        };
        if first.is_alphanumeric() || first == '_' {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            start + len as u32
        } else {
            start + first.len_utf8() as u32
        }
    }

    /// Offset of the first non-whitespace character at or after `offset`.
    pub fn skip_ws(&self, offset: u32) -> u32 {
        let rest = self.text.get(offset as usize..).unwrap_or("");
        offset + (rest.len() - rest.trim_start().len()) as u32
    }

    /// Offset just after the last non-whitespace character before `offset`.
    pub fn skip_ws_back(&self, offset: u32) -> u32 {
        let before = self.text.get(..offset as usize).unwrap_or("");
        before.trim_end().len() as u32
    }

    /// The character at a byte offset.
    pub fn char_at(&self, offset: u32) -> Option<char> {
        self.text.get(offset as usize..)?.chars().next()
    }

    /// The word (letters, digits, `_`) ending at `end`, as `(start, word)`.
    pub fn word_before(&self, end: u32) -> Option<(u32, &str)> {
        let before = self.text.get(..end as usize)?;
        let start =
            before.char_indices().rev().take_while(|(_, c)| c.is_alphanumeric() || *c == '_').last().map(|(i, _)| i)?;
        Some((start as u32, &before[start..]))
    }

    /// The word starting at `start`, as `(end, word)`.
    pub fn word_after(&self, start: u32) -> Option<(u32, &str)> {
        let rest = self.text.get(start as usize..)?;
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        Some((start + len as u32, &rest[..len]))
    }

    /// Given the offset of an opening bracket, the offset just after its matching close bracket.
    /// Skips string literals, quoted identifiers and comments.
    pub fn match_bracket(&self, open: u32) -> Option<u32> {
        let bytes = self.text.as_bytes();
        let (o, c) = match bytes.get(open as usize)? {
            b'(' => (b'(', b')'),
            b'[' => (b'[', b']'),
            b'{' => (b'{', b'}'),
            _ => return None,
        };
        let mut depth = 0usize;
        let mut i = open as usize;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\'' || b == b'"' {
                i += 1;
                while i < bytes.len() && bytes[i] != b {
                    i += 1;
                }
            } else if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            } else if b == o {
                depth += 1;
            } else if b == c {
                depth -= 1;
                if depth == 0 {
                    return Some(i as u32 + 1);
                }
            }
            i += 1;
        }
        None
    }

    /// The 0-based line and byte column of an offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.index.line_col(offset)
    }
}
