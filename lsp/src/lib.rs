//! The language server (next milestone): protocol ↔ analysis calls only, no SQL logic here.
