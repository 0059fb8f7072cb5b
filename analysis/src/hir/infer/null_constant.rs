//! DuckDB's constant folding of NULL, as far as it decides whether a cast binds.
//!
//! DuckDB's binder turns an operator with a constant NULL operand into a constant NULL of the
//! operator's result type, and a cast of a constant NULL into a constant NULL of the target type
//! without looking for a conversion. So `NULL::INT[]::ROW(i INT)` and `(NULL - rowid)::DATE` bind,
//! although INTEGER[] → STRUCT and BIGINT → DATE have no cast.

use sqlparser::ast::{BinaryOperator, Expr, Value};

/// Whether DuckDB folds `expr` to a constant NULL before binding a cast of it.
pub(super) fn folds_to_null(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, Value::Null),
        Expr::Nested(inner) | Expr::Cast { expr: inner, .. } => folds_to_null(inner),
        Expr::UnaryOp { expr: inner, .. } => folds_to_null(inner),
        // AND / OR and the NULL-aware comparisons do not propagate NULL.
        Expr::BinaryOp { left, op, right } => {
            !matches!(
                op,
                BinaryOperator::And | BinaryOperator::Or | BinaryOperator::Spaceship | BinaryOperator::StringConcat
            ) && (folds_to_null(left) || folds_to_null(right))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::folds_to_null;
    use sqlparser::dialect::DuckDbDialect;
    use sqlparser::parser::Parser;

    fn folds(sql: &str) -> bool {
        let expr = Parser::new(&DuckDbDialect {}).try_with_sql(sql).and_then(|mut p| p.parse_expr());
        expr.map(|e| folds_to_null(&e)).unwrap_or(false)
    }

    #[test]
    fn null_propagates_through_operators_and_casts_only() {
        assert!(folds("NULL"));
        assert!(folds("(NULL) - (t1.rowid)"));
        assert!(folds("NULL::BIGINT::VARCHAR::INT[]"));
        assert!(folds("-(NULL + 1)"));
        assert!(!folds("NULL OR x"));
        assert!(!folds("'a' || NULL"));
        assert!(!folds("coalesce(NULL, 1)"));
        assert!(!folds("x - 1"));
    }
}
