//! DuckDB's bind-time checks of particular functions' arguments, beyond what overload
//! resolution sees: a `string_agg` separator must be a constant, the enum functions need an
//! ENUM, `date_part('julian', …)` a DATE or TIMESTAMP. Each is a binder error in DuckDB 1.5.5
//! (checked in `tests/corpus/broken.sql`).

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Value};

use super::scope::Typed;
use super::walker::Infer;
use crate::diagnostics::Code;
use crate::types::Type;

impl Infer<'_> {
    /// Reports the argument DuckDB's binder refuses for `name`, if any.
    pub fn check_call_arguments(&mut self, e: &Expr, name: &str, f: &Function, args: &[Typed]) {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        let FunctionArguments::List(list) = &f.args else { return };
        let arg = |i: usize| match list.args.get(i) {
            Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(x))) => Some(x),
            _ => None,
        };
        let ty = |i: usize| args.get(i).map(|a| &a.ty);
        match name {
            // Inside a macro body the separator is a parameter: whether the argument is a
            // constant is the call's business.
            "string_agg" | "group_concat" | "listagg" if self.macro_depth == 0 => {
                if let Some(sep) = arg(1).filter(|s| !super::percentile::is_constant(s)) {
                    let range = self.expr_range(sep);
                    self.report(
                        Code::E205NoMatchingOverload,
                        range,
                        "the separator of string_agg must be a constant",
                    )
                    .hint = Some("write the separator as a literal, e.g. ', '".into());
                }
            }
            "enum_code" | "enum_first" | "enum_last" | "enum_range" | "enum_range_boundary" => {
                let not_enum = |t: &Type| !t.is_unknown() && !matches!(t, Type::Enum(_));
                let refused = if name == "enum_range_boundary" {
                    let (a, b) = (ty(0), ty(1));
                    [a, b].into_iter().flatten().any(|t| not_enum(t) && *t != Type::Null)
                        || (a == Some(&Type::Null) && b == Some(&Type::Null))
                } else {
                    ty(0).is_some_and(not_enum)
                };
                if refused {
                    let range = self.expr_range(e);
                    self.report(
                        Code::E205NoMatchingOverload,
                        range,
                        format!("`{name}` needs an ENUM as its argument"),
                    )
                    .hint = Some("pass a value of an ENUM type (a column, or a cast such as 'x'::mood)".into());
                }
            }
            "date_part" | "datepart" => {
                let julian = matches!(arg(0), Some(Expr::Value(v))
                    if matches!(&v.value, Value::SingleQuotedString(p) if p.eq_ignore_ascii_case("julian")));
                let timeish = matches!(ty(1), Some(Type::Interval | Type::Time | Type::TimeTz))
                    || matches!(ty(1), Some(Type::Other(t)) if t == "TIME_NS");
                if julian && timeish {
                    let range = self.expr_range(e);
                    self.report(
                        Code::E205NoMatchingOverload,
                        range,
                        "julian can only take DATE or TIMESTAMP arguments",
                    )
                    .hint = Some("extract the julian day of a DATE or TIMESTAMP".into());
                }
            }
            _ => {}
        }
    }
}
