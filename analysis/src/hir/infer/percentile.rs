//! DuckDB's bind-time checks of a quantile's fraction: `percentile_cont(f) WITHIN GROUP (…)`,
//! `percentile_disc(f) …` take fractions in [0, 1]; `quantile*(x, f)` in [-1, 1] with one sign
//! for a whole list; `approx_quantile` / `reservoir_quantile` in [0, 1]. A fraction must be a
//! constant (no column, nothing volatile) and not NULL; `quantile(x)` / `quantile_disc(x)` need
//! one. Only what the query spells out is checked (a literal, its negation, a list of them).

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::constants::{is_constant, literal_number};
use super::walker::Infer;
use crate::diagnostics::Code;

impl Infer<'_> {
    /// Reports a fraction DuckDB's binder refuses for `name`.
    pub fn check_percentile_fraction(&mut self, name: &str, f: &Function) {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        let FunctionArguments::List(list) = &f.args else { return };
        let (position, low, what) = match name {
            "percentile_cont" | "percentile_disc" if !f.within_group.is_empty() => (0, 0.0, "PERCENTILEs"),
            "quantile" | "quantile_cont" | "quantile_disc" => (1, -1.0, "QUANTILE"),
            "approx_quantile" => (1, 0.0, "APPROXIMATE QUANTILE"),
            "reservoir_quantile" => (1, 0.0, "RESERVOIR_QUANTILE"),
            _ => return,
        };
        let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))) = list.args.get(position) else {
            if list.args.len() == position && matches!(name, "quantile" | "quantile_disc") {
                let range = self.range(&f.name);
                self.report(Code::E205NoMatchingOverload, range, "QUANTILE requires a range argument between [0, 1]")
                    .hint = Some(format!("give the fraction: {name}(x, 0.5)"));
            }
            return;
        };
        let range = self.expr_range(arg);
        let problem = if super::null_constant::folds_to_null(arg) {
            Some(format!("{what} argument must not be NULL"))
        } else if self.macro_depth == 0 && !is_constant(arg) {
            Some(format!("{what} can only take constant parameters"))
        } else if matches!(arg, Expr::Tuple(_)) {
            Some(format!("{what} takes a fraction or a list of them, not a STRUCT"))
        } else {
            let items: Vec<&Expr> = match arg {
                Expr::Array(a) => a.elem.iter().collect(),
                other => vec![other],
            };
            let fractions: Vec<f64> = items.iter().filter_map(|e| literal_number(e)).collect();
            if items.iter().any(|e| super::null_constant::folds_to_null(e)) {
                Some(format!("{what} parameter cannot be NULL"))
            } else if fractions.iter().any(|x| *x < low || *x > 1.0) {
                Some(format!("{what} can only take parameters in the range [{low}, 1]"))
            } else if fractions.iter().any(|x| *x < 0.0) && fractions.iter().any(|x| *x > 0.0) {
                Some(format!("{what} parameters must have consistent signs"))
            } else {
                None
            }
        };
        if let Some(message) = problem {
            self.report(Code::E205NoMatchingOverload, range, message).hint =
                Some("write the fraction as a constant, e.g. 0.5 or [0.25, 0.75]".into());
        }
    }
}
