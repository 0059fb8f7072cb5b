//! Constants as DuckDB's binder sees them: whether an expression folds to a constant at bind
//! time (a separator, a quantile fraction, a macro argument), and the value of a numeric or
//! string literal (LIMIT bounds, struct positions, names passed as strings).

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, UnaryOperator, Value, Visit};

/// Whether DuckDB can fold `e` to a constant at bind time: it reads no column and calls nothing
/// volatile.
pub(super) fn is_constant(e: &Expr) -> bool {
    let found = e.visit(&mut ConstantBreaker);
    found.is_continue()
}

struct ConstantBreaker;

impl sqlparser::ast::Visitor for ConstantBreaker {
    type Break = ();

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        match e {
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Subquery(_) => ControlFlow::Break(()),
            Expr::Function(f)
                if f.name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| {
                    matches!(
                        i.value.to_ascii_lowercase().as_str(),
                        "random" | "uuid" | "gen_random_uuid" | "uuidv4" | "uuidv7" | "nextval" | "currval" | "setseed"
                    )
                }) =>
            {
                ControlFlow::Break(())
            }
            _ => ControlFlow::Continue(()),
        }
    }
}

/// A numeric literal, possibly negated or parenthesized.
pub(super) fn literal_number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => literal_number(expr).map(|x| -x),
        Expr::Nested(inner) => literal_number(inner),
        _ => None,
    }
}

/// A string constant expression (`'a'`).
pub(super) fn expr_string(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}
