//! DuckDB's logical type system, as the type checker sees it.
//!
//! DuckDB is the reference: names, display strings (what `DESCRIBE` prints), implicit casts,
//! common-type rules and decimal arithmetic all follow DuckDB so the checker's answers can be
//! compared with `DESCRIBE <query>` string for string.

mod ty;

pub use ty::{StructField, Type};

/// Serialises a type as DuckDB's display string (for `--format json`).
pub fn serialize_type<S: serde::Serializer>(ty: &Type, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ty.to_string())
}
