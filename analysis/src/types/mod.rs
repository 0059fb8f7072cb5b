//! DuckDB's logical type system, as the type checker sees it.
//!
//! DuckDB is the reference: names, display strings (what `DESCRIBE` prints), implicit casts,
//! common-type rules and decimal arithmetic all follow DuckDB so the checker's answers can be
//! compared with `DESCRIBE <query>` string for string.

pub(crate) mod cast;
pub(crate) mod ops;
mod ty;

pub use cast::{can_cast_explicitly, common_type, implicit_cast_cost, union_type};
pub use ops::{binary_op, comparison_type, literal_number, unary_op, TypeError};
/// Operator enums of [`binary_op`] / [`unary_op`], re-exported so callers need no sqlparser dep.
pub use sqlparser::ast::{BinaryOperator, UnaryOperator};
pub(crate) use ty::narrowest_integer;
pub use ty::{StructField, Type, DEFAULT_DECIMAL, MAX_DECIMAL_PRECISION};

/// Serialises a type as DuckDB's display string (for `--format json`).
pub fn serialize_type<S: serde::Serializer>(ty: &Type, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ty.to_string())
}
