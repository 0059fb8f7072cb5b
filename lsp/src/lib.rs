//! The language server (filled by the language-server issue).
