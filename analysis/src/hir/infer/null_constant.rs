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

/// Whether DuckDB makes a call an untyped NULL (typed INTEGER in a result, as `SELECT NULL`
/// is): the overload it binds folds NULL ([`crate::functions::Catalog::folds_null`]) and an
/// argument is a constant NULL — it folds itself, or was typed NULL (a call folded before) —
/// or an untyped NULL stands where its bind step answers NULL for one.
pub(super) fn call_folds_to_null<'e>(
    name: &str,
    signature: &str,
    args: impl IntoIterator<Item = &'e Expr>,
    types: &[crate::types::Type],
) -> bool {
    use crate::types::Type;
    let untyped = types.contains(&Type::Null);
    if !untyped && !args.into_iter().any(folds_to_null) {
        return false;
    }
    let catalog = crate::functions::Catalog::duckdb();
    catalog.folds_null(name, signature)
        || (untyped && catalog.null_positions(name, signature).iter().any(|&i| types.get(i) == Some(&Type::Null)))
}

/// The argument expressions of a call, named or not (`*` and `t.*` are none).
pub(super) fn argument_exprs(f: &sqlparser::ast::Function) -> impl Iterator<Item = &Expr> {
    use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    let args: &[FunctionArg] = match &f.args {
        FunctionArguments::List(list) => &list.args,
        _ => &[],
    };
    args.iter().filter_map(|a| match a {
        FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } | FunctionArg::Unnamed(arg) => match arg {
            FunctionArgExpr::Expr(e) => Some(e),
            _ => None,
        },
    })
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
