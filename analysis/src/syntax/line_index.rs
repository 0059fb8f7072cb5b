/// Maps byte offsets to line/column and back, for one file's text.
///
/// Lines and columns are 0-based here; `rocky check` adds 1 when printing, the LSP converts
/// columns to UTF-16 when the client wants that.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LineIndex {
    /// Byte offset at which each line starts; always starts with 0.
    line_starts: Vec<u32>,
    len: u32,
}

/// A 0-based line and a 0-based column counted in bytes (UTF-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex { line_starts, len: text.len() as u32 }
    }

    /// The line/column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        LineCol { line: line as u32, col: offset - self.line_starts[line] }
    }

    /// The byte offset of a line/column, or `None` when the line does not exist.
    /// A column past the end of its line is clamped to the line's end.
    pub fn offset(&self, lc: LineCol) -> Option<u32> {
        let start = *self.line_starts.get(lc.line as usize)?;
        let end = self.line_starts.get(lc.line as usize + 1).copied().unwrap_or(self.len);
        Some((start + lc.col).min(end))
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, line: u32, text: &str) -> Option<(u32, u32)> {
        let start = *self.line_starts.get(line as usize)?;
        let mut end = self.line_starts.get(line as usize + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end as usize - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Some((start, end))
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_offsets() {
        let text = "select a\nfrom t\r\nwhere x";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(0), LineCol { line: 0, col: 0 });
        assert_eq!(idx.line_col(9), LineCol { line: 1, col: 0 });
        assert_eq!(idx.line_col(18), LineCol { line: 2, col: 1 });
        assert_eq!(idx.offset(LineCol { line: 2, col: 1 }), Some(18));
        assert_eq!(idx.offset(LineCol { line: 9, col: 0 }), None);
        assert_eq!(idx.line_range(1, text), Some((9, 15)));
    }
}
