//! DuckDB's bind-time check of a percentile's fraction: `percentile_cont(f) WITHIN GROUP (…)`,
//! `percentile_disc(f) …` take fractions in [0, 1]; `quantile*(x, f)` in [-1, 1]. Only literal
//! fractions (a number, its negation, or a list of them) are known before run time.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value};

use super::walker::Infer;
use crate::diagnostics::Code;

impl Infer<'_> {
    /// Reports a literal fraction outside the range DuckDB's binder accepts for `name`.
    pub fn check_percentile_fraction(&mut self, name: &str, f: &Function) {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        let FunctionArguments::List(list) = &f.args else { return };
        let (position, low, what) = match name {
            "percentile_cont" | "percentile_disc" if !f.within_group.is_empty() => (0, 0.0, "PERCENTILEs"),
            "quantile" | "quantile_cont" | "quantile_disc" => (1, -1.0, "QUANTILE"),
            _ => return,
        };
        let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))) = list.args.get(position) else { return };
        let fractions: Vec<f64> = match arg {
            Expr::Array(a) => a.elem.iter().filter_map(literal_number).collect(),
            other => literal_number(other).into_iter().collect(),
        };
        if fractions.iter().any(|x| *x < low || *x > 1.0) {
            let range = self.expr_range(arg);
            self.report(
                Code::E205NoMatchingOverload,
                range,
                format!("{what} can only take parameters in the range [{low}, 1]"),
            );
        }
    }
}

/// A numeric literal, possibly negated or parenthesized.
fn literal_number(e: &Expr) -> Option<f64> {
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
