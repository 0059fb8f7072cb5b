//! The names DuckDB gives unaliased select items: a column keeps its name; any other expression
//! is named by DuckDB's own rendering of it (`(a + 1)`, `count_star()`, `CAST(x AS INTEGER)`).
//! Checked against DuckDB's DESCRIBE by the differential tests.

use sqlparser::ast::{AccessExpr, BinaryOperator, CastKind, Expr, Ident, Subscript, UnaryOperator, Value, WindowType};

use crate::types::Type;
use call::{function, method_call, order_by};

mod call;
mod literal;
mod query;
mod types;

/// The output column name of an unaliased select item.
#[recursive::recursive]
pub fn output_name(e: &Expr) -> String {
    match e {
        Expr::Identifier(id) => id.value.clone(),
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| p.value.clone()).unwrap_or_default(),
        Expr::Nested(inner) => output_name(inner),
        _ => render(e),
    }
}

/// The name of an unaliased item in a SELECT with a WINDOW clause: DuckDB names a call over a
/// named window by the window's definition.
pub fn output_name_with_windows(e: &Expr, windows: &[sqlparser::ast::NamedWindowDefinition]) -> String {
    if windows.is_empty() {
        return output_name(e);
    }
    let mut inlined = e.clone();
    let _ = sqlparser::ast::visit_expressions_mut(&mut inlined, |x| {
        if let Expr::Function(f) = x {
            let find = |name: &Ident| {
                windows.iter().find(|w| w.0.value.eq_ignore_ascii_case(&name.value)).and_then(|w| match &w.1 {
                    sqlparser::ast::NamedWindowExpr::WindowSpec(spec) => Some(spec.clone()),
                    _ => None,
                })
            };
            match &f.over {
                Some(WindowType::NamedWindow(name)) => {
                    if let Some(spec) = find(name) {
                        f.over = Some(WindowType::WindowSpec(spec));
                    }
                }
                // `OVER (w ORDER BY x)` extends the named window: its parts fill what is not written.
                Some(WindowType::WindowSpec(spec)) => {
                    if let Some(base) = spec.window_name.as_ref().and_then(find) {
                        let mut merged = spec.clone();
                        merged.window_name = None;
                        if merged.partition_by.is_empty() {
                            merged.partition_by = base.partition_by;
                        }
                        if merged.order_by.is_empty() {
                            merged.order_by = base.order_by;
                        }
                        if merged.window_frame.is_none() {
                            merged.window_frame = base.window_frame;
                        }
                        f.over = Some(WindowType::WindowSpec(merged));
                    }
                }
                None => {}
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    output_name(&inlined)
}

/// DuckDB's `ParsedExpression::ToString` for the forms models commonly use.
#[recursive::recursive]
pub fn render(e: &Expr) -> String {
    match e {
        Expr::Identifier(id) => ident(id),
        Expr::CompoundIdentifier(parts) => parts.iter().map(ident).collect::<Vec<_>>().join("."),
        Expr::Value(v) => value(&v.value),
        Expr::Nested(inner) => render(inner),
        // `sum(x) EXPORT_STATE`, kept by the parser as a prefixed expression.
        Expr::Prefixed { prefix, value } if prefix.value == "*" => format!("*{}", render(value)),
        Expr::Prefixed { prefix, value } => format!("{} {}", render(value), prefix.value),
        // DuckDB binds the regex-match operators to `regexp_full_match`.
        Expr::BinaryOp { left, op: BinaryOperator::PGRegexMatch, right } => {
            format!("regexp_full_match({}, {})", render(left), render(right))
        }
        Expr::BinaryOp { left, op: BinaryOperator::PGRegexNotMatch, right } => {
            format!("(NOT regexp_full_match({}, {}))", render(left), render(right))
        }
        Expr::BinaryOp { left, op, right } => format!("({} {} {})", render(left), binary_op(op), render(right)),
        Expr::UnaryOp { op, expr } => match op {
            // DuckDB folds NOT into a comparison (`NOT a > 1` is named `(a <= 1)`).
            UnaryOperator::Not => match strip_nested(expr) {
                Expr::BinaryOp { left, op, right } if negated_comparison(op).is_some() => {
                    format!("({} {} {})", render(left), negated_comparison(op).unwrap_or("="), render(right))
                }
                Expr::In { expr, target: sqlparser::ast::InTarget::List(list), negated: false, .. } => {
                    format!("({} NOT IN ({}))", render(expr), list.iter().map(render).collect::<Vec<_>>().join(", "))
                }
                inner => format!("(NOT {})", render(inner)),
            },
            // A negative number literal is folded into the constant.
            UnaryOperator::Minus => match expr.as_ref() {
                Expr::Value(v) if matches!(v.value, Value::Number(..)) => match value(&v.value).as_str() {
                    "0" => "0".to_string(),
                    shown => format!("-{shown}"),
                },
                _ => format!("-({})", render(expr)),
            },
            UnaryOperator::Plus => format!("+({})", render(expr)),
            UnaryOperator::PGPostfixFactorial => format!("(({})!)", render(expr)),
            other => format!("{other}({})", render(expr)),
        },
        Expr::Cast { kind, expr, data_type, .. } => {
            let kw = match kind {
                CastKind::TryCast | CastKind::SafeCast => "TRY_CAST",
                _ => "CAST",
            };
            format!("{kw}({} AS {})", render(expr), types::cast_target(data_type))
        }
        Expr::IsNull(x) => format!("({} IS NULL)", render(x)),
        Expr::IsNotNull(x) => format!("({} IS NOT NULL)", render(x)),
        // DuckDB rewrites `x IS [NOT] TRUE/FALSE` to a distinctness test of `x` cast to BOOLEAN.
        Expr::IsTrue(x) => format!("(CAST({} AS BOOLEAN) IS NOT DISTINCT FROM true)", render(x)),
        Expr::IsNotTrue(x) => format!("(CAST({} AS BOOLEAN) IS DISTINCT FROM true)", render(x)),
        Expr::IsFalse(x) => format!("(CAST({} AS BOOLEAN) IS NOT DISTINCT FROM false)", render(x)),
        Expr::IsNotFalse(x) => format!("(CAST({} AS BOOLEAN) IS DISTINCT FROM false)", render(x)),
        Expr::IsUnknown(x) => format!("({} IS NULL)", render(x)),
        Expr::IsNotUnknown(x) => format!("({} IS NOT NULL)", render(x)),
        Expr::IsDistinctFrom(a, b) => format!("({} IS DISTINCT FROM {})", render(a), render(b)),
        Expr::IsNotDistinctFrom(a, b) => format!("({} IS NOT DISTINCT FROM {})", render(a), render(b)),
        // DuckDB binds `x IN list` (kept as `IN UNNEST(list)`) as `contains(list, x)`.
        Expr::In { expr, target: sqlparser::ast::InTarget::Unnest(list), negated, .. } => {
            let call = format!("contains({}, {})", render(list), render(expr));
            if *negated {
                format!("(NOT {call})")
            } else {
                call
            }
        }
        Expr::In { expr, target: sqlparser::ast::InTarget::List(list), negated, .. } => format!(
            "({} {}IN ({}))",
            render(expr),
            if *negated { "NOT " } else { "" },
            list.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Expr::Between { expr, negated, low, high } => {
            let between = format!("({} BETWEEN {} AND {})", render(expr), render(low), render(high));
            if *negated {
                format!("(NOT {between})")
            } else {
                between
            }
        }
        // With an ESCAPE clause DuckDB calls the `*like_escape` functions instead of an operator.
        Expr::Like { negated, expr, pattern, escape_char: Some(esc), .. } => {
            let name = if *negated { "not_like_escape" } else { "like_escape" };
            format!("main.{name}({}, {}, {})", render(expr), render(pattern), render(esc))
        }
        Expr::ILike { negated, expr, pattern, escape_char: Some(esc), .. } => {
            let name = if *negated { "not_ilike_escape" } else { "ilike_escape" };
            format!("main.{name}({}, {}, {})", render(expr), render(pattern), render(esc))
        }
        Expr::Like { negated, expr, pattern, .. } => {
            format!("({} {} {})", render(expr), if *negated { "!~~" } else { "~~" }, render(pattern))
        }
        Expr::ILike { negated, expr, pattern, .. } => {
            format!("({} {} {})", render(expr), if *negated { "!~~*" } else { "~~*" }, render(pattern))
        }
        Expr::AtTimeZone { timestamp, time_zone } => {
            format!("main.timezone({}, {})", render(time_zone), render(timestamp))
        }
        Expr::Case { operand, conditions, else_result, .. } => {
            let mut s = String::from("CASE ");
            for c in conditions {
                let cond = match operand {
                    Some(op) => format!("({} = {})", render(op), render(&c.condition)),
                    None => render(&c.condition),
                };
                s.push_str(&format!(" WHEN ({cond}) THEN ({})", render(&c.result)));
            }
            let otherwise = else_result.as_deref().map(render).unwrap_or_else(|| "NULL".into());
            s.push_str(&format!(" ELSE {otherwise} END"));
            s
        }
        Expr::Function(f) => function(f),
        Expr::TypedString(ts) => {
            let ty = Type::from_sql(&ts.data_type);
            // DuckDB's parser turns `DATE 'x'` into a cast to the type name "DATE".
            format!("CAST({} AS {})", value(&ts.value.value), types::type_name(&ty))
        }
        Expr::Extract { field, expr, .. } => format!("main.date_part('{}', {})", date_part(field), render(expr)),
        Expr::Position { expr, r#in } => format!("main.\"position\"({}, {})", render(r#in), render(expr)),
        Expr::Substring { expr, substring_from, substring_for, shorthand, .. } => {
            let mut args = vec![render(expr)];
            args.extend(substring_from.iter().map(|e| render(e)));
            args.extend(substring_for.iter().map(|e| render(e)));
            let name = if *shorthand { "substr" } else { "main.\"substring\"" };
            format!("{name}({})", args.join(", "))
        }
        Expr::Map(m) => format!(
            "main.\"map\"(main.list_value({}), main.list_value({}))",
            m.entries.iter().map(|e| render(&e.key)).collect::<Vec<_>>().join(", "),
            m.entries.iter().map(|e| render(&e.value)).collect::<Vec<_>>().join(", ")
        ),
        Expr::Trim { expr, trim_what: None, trim_where: None, trim_characters: Some(chars) } => {
            format!("main.\"trim\"({}, {})", render(expr), chars.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        Expr::Trim { expr, trim_what, trim_where, trim_characters: None } => {
            let name = match trim_where {
                Some(sqlparser::ast::TrimWhereField::Leading) => "main.ltrim",
                Some(sqlparser::ast::TrimWhereField::Trailing) => "main.rtrim",
                _ => "main.\"trim\"",
            };
            match trim_what {
                Some(what) => format!("{name}({}, {})", render(expr), render(what)),
                None => format!("{name}({})", render(expr)),
            }
        }
        Expr::Interval(iv) => match &iv.leading_field {
            Some(field) => {
                // DuckDB rewrites `INTERVAL n unit` to a `to_<unit>s(…)` call.
                let unit = field.to_string().to_lowercase();
                let unit = unit.trim_end_matches('s');
                let v = render(&iv.value);
                let unit = match unit {
                    "centurie" => "century",
                    "millennia" => "millennium",
                    other => other,
                };
                let plural = match unit {
                    "century" => "centuries".to_string(),
                    "millennium" => "millennia".to_string(),
                    other => format!("{other}s"),
                };
                match unit {
                    "second" | "millisecond" => format!("to_{plural}(CAST({v} AS DOUBLE))"),
                    "hour" | "minute" | "microsecond" => {
                        format!("to_{plural}(CAST(trunc(CAST({v} AS DOUBLE)) AS BIGINT))")
                    }
                    _ => format!("to_{plural}(CAST(trunc(CAST({v} AS DOUBLE)) AS INTEGER))"),
                }
            }
            None => format!("CAST({} AS INTERVAL)", render(&iv.value)),
        },
        Expr::SimilarTo { expr, pattern, negated, .. } => {
            let call = format!("regexp_full_match({}, {})", render(expr), render(pattern));
            if *negated {
                format!("(NOT {call})")
            } else {
                call
            }
        }
        // `ARRAY[…]` keeps its spelling (in parentheses); a bracket list is `list_value`.
        Expr::Array(arr) if arr.named => {
            format!("(ARRAY[{}])", arr.elem.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        Expr::Array(arr) => format!("main.list_value({})", arr.elem.iter().map(render).collect::<Vec<_>>().join(", ")),
        Expr::Dictionary(fields) => format!(
            "main.struct_pack({})",
            comma(fields.iter().map(|f| format!("{} := {}", quote(&f.key.value), render(&f.value))))
        ),
        Expr::Exists { subquery, negated } => {
            let inner = format!("EXISTS({})", query::query(subquery));
            if *negated {
                format!("(NOT {inner})")
            } else {
                inner
            }
        }
        Expr::Subquery(q) => format!("({})", query::query(q)),
        // `x IN (subquery)` is DuckDB's `x = ANY(subquery)`.
        Expr::In { expr, target: sqlparser::ast::InTarget::Subquery(subquery), negated, .. } => {
            let any = format!("({} = ANY({}))", render(expr), query::query(subquery));
            if *negated {
                format!("(NOT {any})")
            } else {
                any
            }
        }
        // `x op ALL(q)` is DuckDB's `NOT (x negated-op ANY(q))`.
        // A list operand is `ANY(SELECT unnest(list))`.
        Expr::AnyOp { left, compare_op, right, .. } | Expr::AllOp { left, compare_op, right } => {
            let sub = match strip_nested(right) {
                Expr::Subquery(q) => query::query(q),
                list => format!("SELECT unnest({})", render(list)),
            };
            let all = matches!(e, Expr::AllOp { .. });
            let op = if all { negated_comparison(compare_op).map(str::to_string) } else { Some(binary_op(compare_op)) };
            match op {
                Some(op) => {
                    let any = format!("({} {op} ANY({sub}))", render(left));
                    if all {
                        format!("(NOT {any})")
                    } else {
                        any
                    }
                }
                None => e.to_string(),
            }
        }
        Expr::CompoundFieldAccess { root, access_chain } => {
            // A dot after a column path extends the path; after any other expression it is a
            // field access DuckDB prints as `(base).field`; a method call `x.f(a)` is `f(x, a)`.
            let mut s = render(root);
            let mut path = matches!(strip_nested(root), Expr::Identifier(_) | Expr::CompoundIdentifier(_));
            for a in access_chain {
                match a {
                    AccessExpr::Dot(Expr::Function(f)) => {
                        s = method_call(&s, f);
                        path = false;
                    }
                    AccessExpr::Dot(x) if path => s = format!("{s}.{}", render(x)),
                    AccessExpr::Dot(x) => s = format!("({s}).{}", render(x)),
                    AccessExpr::Subscript(sub) => {
                        s = format!("{s}[{}]", subscript(sub));
                        path = false;
                    }
                }
            }
            s
        }
        Expr::Ceil { expr, .. } => format!("ceil({})", render(expr)),
        Expr::Floor { expr, .. } => format!("floor({})", render(expr)),
        Expr::Lambda(l) => {
            let params: Vec<String> = l.params.iter().map(|p| quote(&p.name.value)).collect();
            match l.syntax {
                // `lambda x, y: body` keeps its keyword form; an arrow's parameters become a row.
                sqlparser::ast::LambdaSyntax::LambdaKeyword => {
                    format!("(lambda {}: {})", params.join(", "), render(&l.body))
                }
                sqlparser::ast::LambdaSyntax::Arrow => {
                    let params = if params.len() == 1 {
                        params[0].clone()
                    } else {
                        format!("main.\"row\"({})", params.join(", "))
                    };
                    format!("({params} -> {})", render(&l.body))
                }
            }
        }
        // A parenthesised list is DuckDB's ROW constructor.
        Expr::Tuple(items) => format!("main.\"row\"({})", items.iter().map(render).collect::<Vec<_>>().join(", ")),
        // Rare unaliased forms: sqlparser's rendering is a readable stand-in.
        other => other.to_string(),
    }
}

/// The part name DuckDB passes to `date_part` for `EXTRACT(field FROM x)`: its grammar's unit
/// keywords become the singular lower-case unit, any other name stays as written.
fn date_part(field: &sqlparser::ast::DateTimeField) -> String {
    use sqlparser::ast::DateTimeField as F;
    match field {
        F::Year | F::Years => "year".into(),
        F::Month | F::Months => "month".into(),
        F::Week(_) | F::Weeks => "week".into(),
        F::Day | F::Days => "day".into(),
        F::Hour | F::Hours => "hour".into(),
        F::Minute | F::Minutes => "minute".into(),
        F::Second | F::Seconds => "second".into(),
        F::Millisecond | F::Milliseconds => "millisecond".into(),
        F::Microsecond | F::Microseconds => "microsecond".into(),
        F::Custom(id) => id.value.clone(),
        other => other.to_string().to_lowercase(),
    }
}

fn subscript(s: &Subscript) -> String {
    match s {
        Subscript::Index { index } => render(index),
        Subscript::Slice { lower_bound, upper_bound, stride } => {
            // With a step, DuckDB prints an omitted end as `-` (`l[1:-:2]`).
            let end = match (upper_bound, stride) {
                (Some(upper), _) => render(upper),
                (None, Some(_)) => "-".to_string(),
                (None, None) => String::new(),
            };
            let mut s = format!("{}:{end}", lower_bound.as_ref().map(render).unwrap_or_default());
            if let Some(step) = stride {
                s.push_str(&format!(":{}", render(step)));
            }
            s
        }
    }
}

fn binary_op(op: &BinaryOperator) -> String {
    match op {
        BinaryOperator::DuckIntegerDivide => "//".into(),
        BinaryOperator::NotEq => "!=".into(),
        other => other.to_string(),
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::SingleQuotedString(s) => format!("'{}'", s.replace('\'', "''")),
        // DuckDB reads a dollar-quoted string as a plain string constant.
        Value::DollarQuotedString(s) => format!("'{}'", s.value.replace('\'', "''")),
        Value::Boolean(b) => format!("CAST('{}' AS BOOLEAN)", if *b { 't' } else { 'f' }),
        Value::Null => "NULL".into(),
        Value::Number(n, _) => literal::number(n),
        other => other.to_string(),
    }
}

/// Items joined as DuckDB lists them: `a, b, c`.
fn comma(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

fn ident(id: &Ident) -> String {
    quote(&id.value)
}

/// DuckDB quotes an identifier in rendered expressions unless it is plain ASCII letters, digits
/// and underscores (capitals allowed), not starting with a digit, and not a keyword
/// (`KeywordHelper::WriteOptionallyQuoted`).
fn quote(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !v.starts_with(|c: char| c.is_ascii_digit())
        && !crate::functions::is_keyword(v);
    if plain {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('"', "\"\""))
    }
}

fn strip_nested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip_nested(inner),
        other => other,
    }
}

/// The comparison DuckDB writes for `NOT (a op b)`.
fn negated_comparison(op: &BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Eq => "!=",
        BinaryOperator::NotEq => "=",
        BinaryOperator::Lt => ">=",
        BinaryOperator::LtEq => ">",
        BinaryOperator::Gt => "<=",
        BinaryOperator::GtEq => "<",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
