//! The names Spark gives unaliased select items: the expression printed back as Spark's
//! analyzer prints it (`toPrettySQL`): a column its name as written, a literal its value
//! (`'a'` → `a`, `1e3` → `1000.0`), operators in parentheses (`(a + b)`, `(NOT (x = 1))` for
//! `x <> 1`), `CAST(x AS INT)`, calls by the catalog's name template (generated with the
//! catalog: `CEIL(x)`, `substring(s, 1, 2147483647)` with the default argument filled in),
//! `count(1)` for `count(*)`, and a nested field its field name.

use sqlparser::ast::{
    AccessExpr, BinaryOperator as B, CastKind, DataType, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, InTarget, OrderBySort, Subscript, UnaryOperator as U, Value, WindowType,
};

use crate::dialect::spark::{literal_number, SparkCatalog};

/// The output column name of an unaliased select item.
pub fn output_name(e: &Expr) -> String {
    match e {
        Expr::Nested(inner) => output_name(inner),
        // A top-level CAST of a column keeps the column's name (Spark's ResolveAliases).
        Expr::Cast { expr, .. } if matches!(strip(expr), Expr::Identifier(_) | Expr::CompoundIdentifier(_)) => {
            output_name(strip(expr))
        }
        // A nested field by dot is named after the field.
        Expr::CompoundFieldAccess { access_chain, .. } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(id))) => id.value.clone(),
            _ => pretty(e),
        },
        _ => pretty(e),
    }
}

/// The expression inside any parentheses.
fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip(inner),
        other => other,
    }
}

/// A call by the catalog's name template for its arity, else `name(args)`.
fn call(name: &str, args: &[String]) -> String {
    match SparkCatalog::get().name_template(name, args.len()) {
        Some(t) => fill(t, args),
        None => format!("{name}({})", args.join(", ")),
    }
}

/// An expression as Spark prints it inside a name.
#[recursive::recursive]
fn pretty(e: &Expr) -> String {
    match e {
        Expr::Identifier(id) => id.value.clone(),
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| p.value.clone()).unwrap_or_default(),
        Expr::Nested(inner) => pretty(inner),
        Expr::Value(v) => value(&v.value),
        Expr::TypedString(ts) => {
            let text = match &ts.value.value {
                Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{} '{text}'", ts.data_type.to_string().to_uppercase())
        }
        Expr::BinaryOp { left, op, right } => binary(op, &pretty(left), &pretty(right)),
        Expr::UnaryOp { op: U::Minus, expr } if matches!(expr.as_ref(), Expr::Value(_)) => format!("-{}", pretty(expr)),
        Expr::UnaryOp { op, expr } => match op {
            U::Not => format!("(NOT {})", pretty(expr)),
            U::Minus => format!("(- {})", pretty(expr)),
            U::Plus => format!("(+ {})", pretty(expr)),
            U::BitwiseNot => format!("~{}", pretty(expr)),
            other => format!("({other} {})", pretty(expr)),
        },
        Expr::IsNull(x) => format!("({} IS NULL)", pretty(x)),
        Expr::IsNotNull(x) => format!("({} IS NOT NULL)", pretty(x)),
        Expr::In { expr, target: InTarget::List(list), negated, .. } => {
            let inner = format!("({} IN ({}))", pretty(expr), list.iter().map(pretty).collect::<Vec<_>>().join(", "));
            negate(*negated, inner)
        }
        Expr::Between { expr, negated, low, high } => {
            negate(*negated, format!("between({}, {}, {})", pretty(expr), pretty(low), pretty(high)))
        }
        Expr::Like { negated, expr, pattern, .. } => {
            negate(*negated, format!("{} LIKE {}", pretty(expr), pretty(pattern)))
        }
        Expr::ILike { negated, expr, pattern, .. } => {
            negate(*negated, format!("ilike({}, {})", pretty(expr), pretty(pattern)))
        }
        Expr::Cast { kind, expr, data_type, .. } => {
            let f = match kind {
                CastKind::TryCast | CastKind::SafeCast => "TRY_CAST",
                _ => "CAST",
            };
            format!("{f}({} AS {})", pretty(expr), type_sql(data_type))
        }
        Expr::Case { operand, conditions, else_result, .. } => {
            let mut s = String::from("CASE");
            for c in conditions {
                let when = match operand {
                    Some(o) => format!("({} = {})", pretty(o), pretty(&c.condition)),
                    None => pretty(&c.condition),
                };
                s.push_str(&format!(" WHEN {when} THEN {}", pretty(&c.result)));
            }
            if let Some(e) = else_result {
                s.push_str(&format!(" ELSE {}", pretty(e)));
            }
            s.push_str(" END");
            s
        }
        Expr::Function(f) => function(f),
        Expr::CompoundFieldAccess { root, access_chain } => {
            let mut s = pretty(root);
            for a in access_chain {
                match a {
                    AccessExpr::Dot(Expr::Identifier(id)) => {
                        s = format!("{s}.{}", id.value);
                    }
                    AccessExpr::Subscript(Subscript::Index { index }) => match index {
                        // `x['a']` on a struct prints as `x.a`; a map or array key in brackets.
                        Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)) => {
                            s = format!("{s}[{}]", pretty(index));
                        }
                        _ => s = format!("{s}[{}]", pretty(index)),
                    },
                    other => s = format!("{s}{other}"),
                }
            }
            s
        }
        Expr::Subquery(_) => "scalarsubquery()".into(),
        Expr::Exists { negated, .. } => negate(*negated, "exists()".into()),
        Expr::Lambda(l) => {
            let vars = vec!["namedlambdavariable()"; l.params.len()].join(", ");
            format!("lambdafunction({}, {vars})", pretty_lambda_body(&l.body, &l.params))
        }
        Expr::Substring { expr, substring_from, substring_for, shorthand, .. } => {
            let mut args = vec![pretty(expr)];
            args.extend(substring_from.iter().map(|f| pretty(f)));
            args.extend(substring_for.iter().map(|f| pretty(f)));
            call(if *shorthand { "substr" } else { "substring" }, &args)
        }
        Expr::Trim { expr, trim_where: None, trim_what: None, .. } => call("trim", &[pretty(expr)]),
        Expr::Ceil {
            expr,
            field: sqlparser::ast::CeilFloorKind::DateTimeField(sqlparser::ast::DateTimeField::NoDateTime),
        } => call("ceil", &[pretty(expr)]),
        Expr::Floor {
            expr,
            field: sqlparser::ast::CeilFloorKind::DateTimeField(sqlparser::ast::DateTimeField::NoDateTime),
        } => call("floor", &[pretty(expr)]),
        Expr::Interval(_) => e.to_string(),
        other => other.to_string(),
    }
}

/// A lambda body with its parameters printed as Spark prints them.
fn pretty_lambda_body(
    body: &Expr,
    params: &sqlparser::ast::OneOrManyWithParens<sqlparser::ast::LambdaFunctionParameter>,
) -> String {
    let text = pretty(body);
    let mut out = text.clone();
    for p in params.iter() {
        let name = &p.name.value;
        out = replace_word(&out, name, "namedlambdavariable()");
    }
    out
}

/// Replaces whole-word occurrences of `word`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < text.len() {
        if text[i..].starts_with(word)
            && (i == 0 || !is_word(bytes[i - 1]))
            && bytes.get(i + word.len()).is_none_or(|c| !is_word(*c))
        {
            out.push_str(with);
            i += word.len();
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn negate(negated: bool, inner: String) -> String {
    if negated {
        format!("(NOT {inner})")
    } else {
        inner
    }
}

fn binary(op: &B, l: &str, r: &str) -> String {
    let sym = match op {
        B::NotEq => return format!("(NOT ({l} = {r}))"),
        B::StringConcat => return format!("concat({l}, {r})"),
        B::MyIntegerDivide | B::DuckIntegerDivide => "div",
        B::BitwiseXor | B::PGBitwiseXor => "^",
        other => return format!("({l} {other} {r})"),
    };
    format!("({l} {sym} {r})")
}

/// A literal as Spark prints it: strings without quotes, numbers normalized by their type.
fn value(v: &Value) -> String {
    match v {
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
        Value::Boolean(b) => b.to_string(),
        Value::Null => "NULL".into(),
        Value::Number(n, _) => {
            let upper = n.to_ascii_uppercase();
            match literal_number(n) {
                crate::types::Type::Double | crate::types::Type::Float => {
                    match upper.trim_end_matches(['D', 'F']).parse::<f64>() {
                        Ok(f) if f.fract() == 0.0 && f.abs() < 1e7 => format!("{f:.1}"),
                        Ok(f) => format!("{f}"),
                        Err(_) => n.clone(),
                    }
                }
                _ => upper.trim_end_matches("BD").trim_end_matches(['L', 'S', 'Y']).to_string(),
            }
        }
        Value::HexStringLiteral(h) => format!("X'{h}'"),
        other => other.to_string(),
    }
}

/// A data type as Spark's `DataType.sql` prints it (upper case: `INT`, `DECIMAL(10,2)`,
/// `ARRAY<INT>`, `MAP<STRING, INT>`, `STRUCT<a: INT>`).
fn type_sql(dt: &DataType) -> String {
    sql_of(&crate::dialect::spark::parse_type(&dt.to_string()))
}

fn sql_of(ty: &crate::types::Type) -> String {
    use crate::types::Type;
    match ty {
        Type::List(e) => format!("ARRAY<{}>", sql_of(e)),
        Type::Map(k, v) => format!("MAP<{}, {}>", sql_of(k), sql_of(v)),
        Type::Struct(fields) => {
            let fields: Vec<String> = fields.iter().map(|f| format!("{}: {}", f.name, sql_of(&f.ty))).collect();
            format!("STRUCT<{}>", fields.join(", "))
        }
        other => crate::dialect::spark::type_name(other).to_uppercase(),
    }
}

/// A call: the catalog's template for this arity with the arguments' names in it.
fn function(f: &sqlparser::ast::Function) -> String {
    let name = f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()).unwrap_or_default();
    let (args, distinct, star) = match &f.args {
        FunctionArguments::List(list) => {
            let mut star = false;
            let args: Vec<String> = list
                .args
                .iter()
                .map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named { arg: FunctionArgExpr::Expr(e), .. } => pretty(e),
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => {
                        star = true;
                        "1".into()
                    }
                    other => other.to_string(),
                })
                .collect();
            (args, list.duplicate_treatment == Some(DuplicateTreatment::Distinct), star)
        }
        _ => (Vec::new(), false, false),
    };
    let call = if name == "count" && (star || args.is_empty()) {
        "count(1)".to_string()
    } else if distinct {
        format!("{name}(DISTINCT {})", args.join(", "))
    } else {
        call(&name, &args)
    };
    match &f.over {
        Some(WindowType::WindowSpec(spec)) => format!("{call} OVER ({})", window_spec(&name, spec)),
        Some(WindowType::NamedWindow(_)) | None => call,
    }
}

/// `$1`, `$2`… of a template replaced by the arguments (highest first, so `$1` never eats `$10`).
fn fill(template: &str, args: &[String]) -> String {
    let mut out = template.to_string();
    for (i, a) in args.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), a);
    }
    out
}

/// A window specification with Spark's default frame spelled out.
fn window_spec(name: &str, spec: &sqlparser::ast::WindowSpec) -> String {
    let mut parts = Vec::new();
    if !spec.partition_by.is_empty() {
        parts.push(format!("PARTITION BY {}", spec.partition_by.iter().map(pretty).collect::<Vec<_>>().join(", ")));
    }
    if !spec.order_by.is_empty() {
        let keys: Vec<String> = spec
            .order_by
            .iter()
            .map(|o| {
                let asc = !matches!(o.options.sort, Some(OrderBySort::Desc));
                let nulls_first = o.options.nulls_first.unwrap_or(asc);
                format!(
                    "{} {} NULLS {}",
                    pretty(&o.expr),
                    if asc { "ASC" } else { "DESC" },
                    if nulls_first { "FIRST" } else { "LAST" }
                )
            })
            .collect();
        parts.push(format!("ORDER BY {}", keys.join(", ")));
    }
    let frame = match &spec.window_frame {
        Some(frame) => match &frame.end_bound {
            Some(end) => format!("{} BETWEEN {} AND {end}", frame.units, frame.start_bound),
            None => format!("{} BETWEEN {} AND CURRENT ROW", frame.units, frame.start_bound),
        },
        None if matches!(name, "lag" | "lead") => return parts.join(" "),
        None if spec.order_by.is_empty() => "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING".into(),
        None if SparkCatalog::get().kind(name) == Some(crate::functions::FunctionKind::Window) => {
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".into()
        }
        None => "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".into(),
    };
    parts.push(frame);
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(sql: &str) -> String {
        let dialect = crate::syntax::SparkDialect;
        let e = sqlparser::parser::Parser::new(&dialect).try_with_sql(sql).and_then(|mut p| p.parse_expr());
        match e {
            Ok(e) => output_name(&e),
            Err(err) => format!("parse error: {err}"),
        }
    }

    #[test]
    fn spark_names() {
        assert_eq!(name("a + b"), "(a + b)");
        assert_eq!(name("t.Id"), "Id");
        assert_eq!(name("'a'"), "a");
        assert_eq!(name("1.5"), "1.5");
        assert_eq!(name("1e3"), "1000.0");
        assert_eq!(name("count(*)"), "count(1)");
        assert_eq!(name("CAST(x AS int)"), "x");
        assert_eq!(name("CAST(1 AS int)"), "CAST(1 AS INT)");
        assert_eq!(name("substring(s, 2)"), "substring(s, 2, 2147483647)");
        assert_eq!(name("x <> 1"), "(NOT (x = 1))");
        assert_eq!(name("'a' || 'b'"), "concat(a, b)");
        assert_eq!(name("x IN (1, 2)"), "(x IN (1, 2))");
        assert_eq!(name("x BETWEEN 1 AND 2"), "between(x, 1, 2)");
        assert_eq!(name("-x"), "(- x)");
        assert_eq!(name("-1"), "-1");
        assert_eq!(name("s.a"), "a");
        assert_eq!(name("count(DISTINCT x)"), "count(DISTINCT x)");
        assert_eq!(name("CASE WHEN x > 1 THEN 'a' ELSE 'b' END"), "CASE WHEN (x > 1) THEN a ELSE b END");
    }
}
