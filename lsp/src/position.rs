//! Byte offsets (the analysis) ↔ LSP positions (line + UTF-16 or UTF-8 code units).
//!
//! LSP counts lines split at `\n`, `\r\n` and `\r`, and columns in the negotiated encoding:
//! UTF-16 code units unless the client offered UTF-8. Out-of-range positions are clamped, as
//! the specification asks for characters past the end of a line (a line past the end of the
//! document clamps to the end of the document).

use rocky_analysis::TextRange;
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The unit of `Position.character` agreed with the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion needed), else the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf8 => c.len_utf8() as u32,
        }
    }
}

/// Line starts of one text, for converting many offsets of the same file.
pub struct LineMap {
    text: String,
    /// Byte offset of each line's first byte.
    starts: Vec<u32>,
    encoding: Encoding,
}

impl LineMap {
    pub fn new(text: String, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i as u32 + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i as u32 + 1),
                _ => {}
            }
            i += 1;
        }
        LineMap { text, starts, encoding }
    }

    /// The position of a byte offset (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s as usize <= offset).saturating_sub(1);
        let start = self.starts[line] as usize;
        let character = self.text[start..offset].chars().map(|c| self.encoding.width(c)).sum();
        Position::new(line as u32, character)
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of a position; clamped to the line's end (before its line break) and to
    /// the end of the text. A position inside a surrogate pair moves to the character's start.
    pub fn offset(&self, pos: Position) -> u32 {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len() as u32;
        };
        let end = self.starts.get(pos.line as usize + 1).map_or(self.text.len(), |&e| e as usize);
        let line = self.text[start as usize..end].trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            let w = self.encoding.width(c);
            if units + w > pos.character {
                return start + i as u32;
            }
            units += w;
        }
        start + line.len() as u32
    }

    pub fn text_range(&self, range: Range) -> TextRange {
        TextRange::new(self.offset(range.start), self.offset(range.end))
    }
}

/// The char index in `rope` of an LSP position, clamped like [`LineMap::offset`]. Ropey is
/// built with `\r` line breaks only (no Unicode line breaks), matching LSP's line splitting.
pub fn rope_char(rope: &Rope, pos: Position, encoding: Encoding) -> usize {
    let line_idx = pos.line as usize;
    if line_idx >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line_idx);
    let mut units = 0;
    for (i, c) in rope.line(line_idx).chars().enumerate() {
        if c == '\n' || c == '\r' {
            return line_start + i;
        }
        let w = encoding.width(c);
        if units + w > pos.character {
            return line_start + i;
        }
        units += w;
    }
    line_start + rope.line(line_idx).len_chars()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_accents() {
        let text = "select 'é😀', x\nfrom t";
        let map = LineMap::new(text.to_string(), Encoding::Utf16);
        let x = text.find(", x").unwrap() as u32 + 2;
        // s e l e c t _ ' é 😀(2) ' ,  _ x → column 14
        assert_eq!(map.position(x), Position::new(0, 14));
        assert_eq!(map.offset(Position::new(0, 14)), x);
        let from = text.find("from").unwrap() as u32;
        assert_eq!(map.position(from), Position::new(1, 0));
        assert_eq!(map.offset(Position::new(1, 0)), from);
    }

    #[test]
    fn utf8_counts_bytes() {
        let text = "é😀x";
        let map = LineMap::new(text.to_string(), Encoding::Utf8);
        assert_eq!(map.position(6), Position::new(0, 6));
        assert_eq!(map.offset(Position::new(0, 6)), 6);
        // Inside a character: back to its start.
        assert_eq!(map.offset(Position::new(0, 3)), 2);
    }

    #[test]
    fn out_of_range_clamps() {
        let text = "ab\r\ncd";
        let map = LineMap::new(text.to_string(), Encoding::Utf16);
        assert_eq!(map.offset(Position::new(0, 99)), 2);
        assert_eq!(map.offset(Position::new(9, 0)), 6);
        assert_eq!(map.position(99), Position::new(1, 2));
        assert_eq!(map.offset(Position::new(1, 1)), 5);
    }

    #[test]
    fn rope_positions_match_line_map() {
        let text = "a😀b\rc\r\nd\n";
        let rope = Rope::from_str(text);
        let map = LineMap::new(text.to_string(), Encoding::Utf16);
        for line in 0..5 {
            for character in 0..6 {
                let pos = Position::new(line, character);
                let byte = rope.char_to_byte(rope_char(&rope, pos, Encoding::Utf16));
                assert_eq!(byte as u32, map.offset(pos), "{pos:?}");
            }
        }
    }
}
