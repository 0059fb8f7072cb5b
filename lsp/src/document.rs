//! Open documents: the editor's buffer (unsaved edits included) in a rope, updated by
//! incremental changes.

use std::path::PathBuf;

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::last_good::Edit;
use crate::position::{rope_char, Encoding};

/// Documents larger than this are not analyzed (the loader's limit for files on disk).
pub const MAX_DOCUMENT_BYTES: usize = rocky_loader::MAX_FILE_BYTES as usize;

/// One buffer the client has open.
pub struct Document {
    pub uri: Uri,
    /// The file it shows, for `file:` URIs.
    pub path: Option<PathBuf>,
    pub version: i32,
    pub rope: Rope,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: &str) -> Self {
        let path = uri.to_file_path().map(|p| p.into_owned());
        Document { uri, path, version, rope: Rope::from_str(text) }
    }

    /// Applies changes in order (ranges are relative to the text after the previous change) and
    /// returns them in byte offsets, for what is remembered of earlier versions.
    pub fn apply(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Vec<Edit> {
        let mut edits = Vec::with_capacity(changes.len());
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = rope_char(&self.rope, range.start, encoding);
                    let end = rope_char(&self.rope, range.end, encoding).max(start);
                    let (start_byte, end_byte) = (self.rope.char_to_byte(start), self.rope.char_to_byte(end));
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                    let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                    edits.push(Edit::Splice {
                        start: bytes(start_byte),
                        removed: bytes(end_byte - start_byte),
                        inserted: bytes(change.text.len()),
                    });
                }
                None => {
                    self.rope = Rope::from_str(&change.text);
                    edits.push(Edit::Reset);
                }
            }
        }
        self.version = version;
        edits
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Too large to analyze (see [`MAX_DOCUMENT_BYTES`]).
    pub fn too_large(&self) -> bool {
        self.rope.len_bytes() > MAX_DOCUMENT_BYTES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_edits_with_non_ascii() {
        let uri: Uri = "file:///p/models/a.sql".parse().unwrap();
        let mut doc = Document::new(uri, 1, "select '😀é' as x\nfrom t");
        // After the emoji (2 UTF-16 units) and é: column 11 is the closing quote.
        doc.apply(2, vec![change(0, 11, 0, 11, "!")], Encoding::Utf16);
        assert_eq!(doc.text(), "select '😀é!' as x\nfrom t");
        doc.apply(3, vec![change(1, 0, 1, 4, "FROM"), change(0, 0, 0, 6, "SELECT")], Encoding::Utf16);
        assert_eq!(doc.text(), "SELECT '😀é!' as x\nFROM t");
        // Past the end clamps.
        let edits = doc.apply(4, vec![change(9, 0, 9, 0, ";")], Encoding::Utf16);
        assert_eq!(edits, vec![Edit::Splice { start: 28, removed: 0, inserted: 1 }], "byte offsets");
        assert_eq!(doc.text(), "SELECT '😀é!' as x\nFROM t;");
        assert_eq!(doc.version, 4);
    }
}
