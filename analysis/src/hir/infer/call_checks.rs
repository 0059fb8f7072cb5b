//! DuckDB's bind-time checks of particular functions' arguments, beyond what overload
//! resolution sees: a `string_agg` separator must be a constant, the enum functions need an
//! ENUM, `date_part('julian', …)` a DATE or TIMESTAMP. Each is a binder error in DuckDB 1.5.5
//! (checked in `tests/corpus/broken.sql`).

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::constants::expr_string;
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
            // In a macro's body the separator may be a parameter: a constant unless the call's
            // argument for it is none.
            "string_agg" | "group_concat" | "listagg" => {
                if let Some(sep) = arg(1) {
                    self.check_constant_separator(sep);
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
            "date_part" | "datepart" if matches!(ty(0), Some(Type::List(_))) => {
                let problem = match arg(0) {
                    Some(Expr::Array(parts)) => {
                        let mut seen: Vec<String> = Vec::new();
                        let mut problem = None;
                        for p in &parts.elem {
                            match expr_string(p) {
                                Some(name) if seen.iter().any(|s| s.eq_ignore_ascii_case(&name)) => {
                                    problem = Some(format!("the part `{name}` is listed twice in date_part"));
                                }
                                Some(name) => seen.push(name),
                                None if super::null_constant::folds_to_null(p) => {
                                    problem = Some("a NULL part name in date_part".to_string());
                                }
                                None => problem = Some("date_part takes a constant list of part names".to_string()),
                            }
                        }
                        problem
                    }
                    _ => Some("date_part takes a constant list of part names".to_string()),
                };
                if let Some(message) = problem {
                    let range = arg(0).map(|a| self.expr_range(a)).unwrap_or_else(|| self.expr_range(e));
                    self.report(Code::E205NoMatchingOverload, range, message).hint =
                        Some("write the part names once each, e.g. ['year', 'month']".into());
                }
            }
            "date_part" | "datepart" => {
                let julian = arg(0).and_then(expr_string).is_some_and(|p| p.eq_ignore_ascii_case("julian"));
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
            "array_distance"
            | "array_cosine_distance"
            | "array_cosine_similarity"
            | "array_inner_product"
            | "array_negative_inner_product"
            | "array_dot_product"
            | "array_negative_dot_product" => {
                if let (Some(Type::Array(_, n)), Some(Type::Array(_, m))) = (ty(0), ty(1)) {
                    if n != m {
                        let range = self.expr_range(e);
                        self.report(
                            Code::E205NoMatchingOverload,
                            range,
                            format!("{name}: the arrays must have the same size, not {n} and {m}"),
                        )
                        .hint = Some("cast both to one size, e.g. ::FLOAT[3]".into());
                    }
                }
            }
            "finalize" | "combine" => {
                let not_state = |t: &Type| !t.is_unknown() && super::aggregate_state::finalized(t).is_none();
                if let Some(t) = ty(0).filter(|t| not_state(t)) {
                    let range = self.expr_range(e);
                    let shown = self.show(t);
                    self.report(
                        Code::E205NoMatchingOverload,
                        range,
                        format!("`{name}` takes an aggregate state, not {shown}"),
                    )
                    .hint = Some("export one with EXPORT_STATE: finalize(sum(x) EXPORT_STATE)".into());
                }
            }
            "list_zip" | "array_zip"
                if !args.is_empty()
                    && args.iter().all(|a| !a.ty.is_unknown())
                    && !args.iter().any(|a| matches!(a.ty, Type::List(_) | Type::Array(..) | Type::Null)) =>
            {
                let range = self.expr_range(e);
                self.report(Code::E205NoMatchingOverload, range, format!("`{name}` zips lists; no argument is one"))
                    .hint = Some(format!("e.g. {name}([1, 2], ['a', 'b'])"));
            }
            "struct_insert" => {
                if let Some(Type::Struct(fields)) = ty(0) {
                    for a in list.args.iter().skip(1) {
                        if let FunctionArg::Named { name: field, .. } = a {
                            if fields.iter().any(|f| f.name.eq_ignore_ascii_case(&field.value)) {
                                let range = self.spans.range(field.span).unwrap_or_default();
                                self.report(
                                    Code::E205NoMatchingOverload,
                                    range,
                                    format!("the struct already has a field `{}`", field.value),
                                )
                                .hint = Some("struct_insert adds new fields; struct_update replaces one".into());
                            }
                        }
                    }
                }
            }
            "struct_extract" => {
                if let (Some(Type::Struct(fields)), Some(key)) = (ty(0), arg(1)) {
                    let key_ty = ty(1).cloned().unwrap_or(Type::Unknown);
                    self.struct_key(key, fields, key, &key_ty);
                }
            }
            // They compare a value with each field in turn, so the fields must be unnamed.
            "struct_contains" | "struct_position" | "struct_has" | "struct_indexof" => {
                if let Some(Type::Struct(fields)) = ty(0) {
                    if !super::unnamed_struct::is_unnamed(fields) {
                        let range = self.expr_range(e);
                        self.report(
                            Code::E205NoMatchingOverload,
                            range,
                            format!("`{name}` searches an unnamed STRUCT (ROW(…)); this one has named fields"),
                        )
                        .hint = Some("build the value with ROW(…), or test the named field itself".into());
                    }
                }
            }
            // `fill(x ORDER BY k)` interpolates x over k: one key, and an x that subtracts.
            "fill" => {
                let keys = list.clauses.iter().find_map(|c| match c {
                    sqlparser::ast::FunctionArgumentClause::OrderBy(items) => Some(items.len()),
                    _ => None,
                });
                let subtracts = |t: &Type| t.is_unknown() || t.is_numeric() || t.is_temporal() || *t == Type::Null;
                let problem = if keys.is_some_and(|n| n > 1) {
                    Some("fill interpolates along one ORDER BY key".to_string())
                } else {
                    ty(0)
                        .filter(|t| !subtracts(t))
                        .map(|t| format!("fill cannot interpolate {}: it does not subtract", self.show(t)))
                };
                if let Some(message) = problem {
                    let range = self.expr_range(e);
                    self.report(Code::E205NoMatchingOverload, range, message).hint =
                        Some("fill a number or date/time value, ordered by one numeric or date/time key".into());
                }
            }
            "regexp_extract" | "regexp_extract_all" if matches!(arg(2), Some(Expr::Array(_))) => {
                self.check_regexp_group_names(e, name, arg(1), arg(2));
            }
            _ => {}
        }
    }

    /// A `string_agg` separator must be a constant; in a built-in macro's body, one that reads
    /// a parameter is a constant when the call's argument for it is.
    pub(super) fn check_constant_separator(&mut self, sep: &Expr) {
        let variable = if self.macro_depth == 0 {
            !super::constants::is_constant(sep)
        } else {
            let found = sqlparser::ast::visit_expressions(sep, |x: &Expr| match x {
                Expr::Identifier(id) if self.macro_variables.iter().any(|v| v.eq_ignore_ascii_case(&id.value)) => {
                    std::ops::ControlFlow::Break(())
                }
                _ => std::ops::ControlFlow::Continue(()),
            });
            found.is_break()
        };
        if variable {
            let range = self.expr_range(sep);
            self.report(Code::E205NoMatchingOverload, range, "the separator of string_agg must be a constant").hint =
                Some("write the separator as a literal, e.g. ', '".into());
        }
    }

    /// `regexp_extract(s, pattern, ['a', 'b'])`: a constant pattern with at least as many
    /// capturing groups as names, each name once.
    fn check_regexp_group_names(&mut self, e: &Expr, name: &str, pattern: Option<&Expr>, names: Option<&Expr>) {
        let Some(Expr::Array(list)) = names else { return };
        let names: Vec<String> = list.elem.iter().filter_map(expr_string).collect();
        let problem = match pattern.and_then(expr_string) {
            None => Some(format!("{name} with a list of group names needs a constant pattern")),
            Some(p) => {
                let duplicate = names
                    .iter()
                    .enumerate()
                    .find(|(i, n)| names[..*i].iter().any(|m| m.eq_ignore_ascii_case(n)))
                    .map(|(_, n)| n.clone());
                match (duplicate, regex::Regex::new(&p).map(|r| r.captures_len() - 1)) {
                    (Some(d), _) => Some(format!("the group name '{d}' is given twice to {name}")),
                    (None, Ok(groups)) if groups < names.len() => {
                        Some(format!("the pattern has {groups} capturing group(s) for {} names", names.len()))
                    }
                    _ => None,
                }
            }
        };
        if let Some(message) = problem {
            let range = self.expr_range(e);
            self.report(Code::E205NoMatchingOverload, range, message).hint =
                Some("give one distinct name per capturing group of a constant pattern".into());
        }
    }
}
