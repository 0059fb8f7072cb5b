//! The names DuckDB gives unaliased select items: a column keeps its name; any other expression
//! is named by DuckDB's own rendering of it (`(a + 1)`, `count_star()`, `CAST(x AS INTEGER)`).
//! Checked against DuckDB's DESCRIBE by the differential tests.

use sqlparser::ast::{
    AccessExpr, BinaryOperator, CastKind, DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArgumentClause, FunctionArguments, Ident, NullTreatment, OrderByExpr, OrderBySort, Subscript,
    UnaryOperator, Value, WindowFrameExclusion, WindowType,
};

use crate::types::Type;

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
            if let Some(WindowType::NamedWindow(name)) = &f.over {
                let def = windows.iter().find(|w| w.0.value.eq_ignore_ascii_case(&name.value));
                if let Some(sqlparser::ast::NamedWindowDefinition(
                    _,
                    sqlparser::ast::NamedWindowExpr::WindowSpec(spec),
                )) = def
                {
                    f.over = Some(WindowType::WindowSpec(spec.clone()));
                }
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
        Expr::BinaryOp { left, op, right } => format!("({} {} {})", render(left), binary_op(op), render(right)),
        Expr::UnaryOp { op, expr } => match op {
            // DuckDB folds NOT into a comparison (`NOT a > 1` is named `(a <= 1)`).
            UnaryOperator::Not => match strip_nested(expr) {
                Expr::BinaryOp { left, op, right } if negated_comparison(op).is_some() => {
                    format!("({} {} {})", render(left), negated_comparison(op).unwrap_or("="), render(right))
                }
                inner => format!("(NOT {})", render(inner)),
            },
            // A negative number literal is folded into the constant.
            UnaryOperator::Minus => match expr.as_ref() {
                Expr::Value(v) if matches!(v.value, Value::Number(..)) => format!("-{}", value(&v.value)),
                _ => format!("-({})", render(expr)),
            },
            UnaryOperator::Plus => format!("+({})", render(expr)),
            other => format!("{other}({})", render(expr)),
        },
        Expr::Cast { kind, expr, data_type, .. } => {
            let kw = match kind {
                CastKind::TryCast | CastKind::SafeCast => "TRY_CAST",
                _ => "CAST",
            };
            let written = Type::from_sql(data_type);
            let shown = match (&written, data_type) {
                // `::numeric` without arguments keeps its bare name; `VARCHAR(n)` its length.
                (Type::Decimal { .. }, dt) if !dt.to_string().contains('(') => "DECIMAL".to_string(),
                (Type::Varchar, dt) if dt.to_string().contains('(') => dt.to_string().to_uppercase(),
                _ => type_name(&written),
            };
            format!("{kw}({} AS {shown})", render(expr))
        }
        Expr::IsNull(x) => format!("({} IS NULL)", render(x)),
        Expr::IsNotNull(x) => format!("({} IS NOT NULL)", render(x)),
        Expr::IsTrue(x) => format!("({} IS TRUE)", render(x)),
        Expr::IsNotTrue(x) => format!("({} IS NOT TRUE)", render(x)),
        Expr::IsFalse(x) => format!("({} IS FALSE)", render(x)),
        Expr::IsNotFalse(x) => format!("({} IS NOT FALSE)", render(x)),
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
        Expr::Between { expr, negated, low, high } => format!(
            "({} {}BETWEEN {} AND {})",
            render(expr),
            if *negated { "NOT " } else { "" },
            render(low),
            render(high)
        ),
        Expr::Like { negated, expr, pattern, .. } => {
            format!("({} {} {})", render(expr), if *negated { "!~~" } else { "~~" }, render(pattern))
        }
        Expr::ILike { negated, expr, pattern, .. } => {
            format!("({} {} {})", render(expr), if *negated { "!~~*" } else { "~~*" }, render(pattern))
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
            format!("CAST({} AS {})", value(&ts.value.value), type_name(&ty))
        }
        Expr::Extract { field, expr, .. } => {
            format!("main.date_part('{}', {})", field.to_string().to_lowercase(), render(expr))
        }
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
        Expr::Trim { expr, trim_what: None, trim_where: None, .. } => format!("main.\"trim\"({})", render(expr)),
        Expr::Interval(iv) => match &iv.leading_field {
            Some(field) => {
                // DuckDB rewrites `INTERVAL n unit` to a `to_<unit>s(…)` call.
                let unit = field.to_string().to_lowercase();
                let unit = unit.trim_end_matches('s');
                let v = render(&iv.value);
                match unit {
                    "second" | "millisecond" => format!("to_{unit}s(CAST({v} AS DOUBLE))"),
                    "hour" | "minute" | "microsecond" => {
                        format!("to_{unit}s(CAST(trunc(CAST({v} AS DOUBLE)) AS BIGINT))")
                    }
                    _ => format!("to_{unit}s(CAST(trunc(CAST({v} AS DOUBLE)) AS INTEGER))"),
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
        Expr::Array(arr) => format!("main.list_value({})", arr.elem.iter().map(render).collect::<Vec<_>>().join(", ")),
        Expr::Dictionary(fields) => format!(
            "main.struct_pack({})",
            fields
                .iter()
                .map(|f| format!("{} := {}", quote(&f.key.value), render(&f.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Expr::Exists { subquery, negated } => {
            let inner = format!("EXISTS({subquery})");
            if *negated {
                format!("(NOT {inner})")
            } else {
                inner
            }
        }
        Expr::Subquery(q) => format!("({q})"),
        Expr::CompoundFieldAccess { root, access_chain } => {
            let mut s = render(root);
            for a in access_chain {
                s.push_str(&match a {
                    AccessExpr::Dot(x) => format!(".{}", render(x)),
                    AccessExpr::Subscript(sub) => format!("[{}]", subscript(sub)),
                });
            }
            s
        }
        Expr::Ceil { expr, .. } => format!("ceil({})", render(expr)),
        Expr::Floor { expr, .. } => format!("floor({})", render(expr)),
        Expr::Lambda(l) => {
            let params: Vec<String> = l.params.iter().map(|p| quote(&p.name.value)).collect();
            let params =
                if params.len() == 1 { params[0].clone() } else { format!("main.\"row\"({})", params.join(", ")) };
            format!("({params} -> {})", render(&l.body))
        }
        // Rare unaliased forms: sqlparser's rendering is a readable stand-in.
        other => other.to_string(),
    }
}

fn subscript(s: &Subscript) -> String {
    match s {
        Subscript::Index { index } => render(index),
        Subscript::Slice { lower_bound, upper_bound, .. } => format!(
            "{}:{}",
            lower_bound.as_ref().map(render).unwrap_or_default(),
            upper_bound.as_ref().map(render).unwrap_or_default()
        ),
    }
}

fn function(f: &Function) -> String {
    // DuckDB lower-cases function names and quotes those that are keywords.
    let lower: Vec<String> = f.name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.to_lowercase()).collect();
    let name = lower.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".");
    let is_count = lower.last().is_some_and(|n| n == "count");
    let mut distinct = false;
    let mut args: Vec<String> = Vec::new();
    let mut star = false;
    let mut order = String::new();
    match &f.args {
        FunctionArguments::List(list) => {
            distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
            for a in &list.args {
                match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => args.push(render(e)),
                    FunctionArg::Named { name, arg: FunctionArgExpr::Expr(e), .. } => {
                        args.push(format!("{} := {}", name.value, render(e)))
                    }
                    other => args.push(other.to_string()),
                }
            }
            for c in &list.clauses {
                if let FunctionArgumentClause::OrderBy(items) = c {
                    order = format!(" {}", order_by(items));
                }
            }
            // DuckDB prints IGNORE NULLS last (`first_value(x ORDER BY y IGNORE NULLS)`), and
            // RESPECT NULLS, the default, not at all.
            if list.clauses.contains(&FunctionArgumentClause::IgnoreOrRespectNulls(NullTreatment::IgnoreNulls)) {
                order.push_str(" IGNORE NULLS");
            }
        }
        FunctionArguments::None => return name,
        FunctionArguments::Subquery(q) => args.push(format!("({q})")),
    }
    let mut call = if star && is_count {
        // DuckDB names a windowed count(*) `count()`, a plain one `count_star()`.
        if f.over.is_some() {
            "count()".to_string()
        } else {
            "count_star()".to_string()
        }
    } else {
        let shown = match lower.last().map(String::as_str) {
            Some("coalesce" | "ifnull") => "COALESCE".to_string(),
            _ => name,
        };
        format!("{shown}({}{}{order})", if distinct { "DISTINCT " } else { "" }, args.join(", "))
    };
    if let Some(filter) = &f.filter {
        call = format!("{call} FILTER (WHERE {})", render(filter));
    }
    match &f.over {
        Some(w) => format!("{call} OVER ({})", window(w)),
        None => call,
    }
}

fn window(w: &WindowType) -> String {
    match w {
        WindowType::NamedWindow(n) => n.value.clone(),
        WindowType::WindowSpec(spec) => {
            let mut parts = Vec::new();
            if !spec.partition_by.is_empty() {
                parts.push(format!(
                    "PARTITION BY {}",
                    spec.partition_by.iter().map(render).collect::<Vec<_>>().join(", ")
                ));
            }
            if !spec.order_by.is_empty() {
                parts.push(order_by(&spec.order_by));
            }
            if let Some(frame) = &spec.window_frame {
                // DuckDB spells every frame out as BETWEEN … AND ….
                let bound = |b: &sqlparser::ast::WindowFrameBound| match b {
                    sqlparser::ast::WindowFrameBound::CurrentRow => "CURRENT ROW".to_string(),
                    sqlparser::ast::WindowFrameBound::Preceding(None) => "UNBOUNDED PRECEDING".to_string(),
                    sqlparser::ast::WindowFrameBound::Preceding(Some(e)) => format!("{} PRECEDING", render(e)),
                    sqlparser::ast::WindowFrameBound::Following(None) => "UNBOUNDED FOLLOWING".to_string(),
                    sqlparser::ast::WindowFrameBound::Following(Some(e)) => format!("{} FOLLOWING", render(e)),
                };
                let end = frame.end_bound.as_ref().map(bound).unwrap_or_else(|| "CURRENT ROW".to_string());
                parts.push(format!(
                    "{} BETWEEN {} AND {end}",
                    frame.units.to_string().to_uppercase(),
                    bound(&frame.start_bound)
                ));
                // EXCLUDE NO OTHERS is the default, which DuckDB does not print.
                if let Some(exclusion) = frame.exclusion.filter(|x| *x != WindowFrameExclusion::NoOthers) {
                    parts.push(exclusion.to_string());
                }
            }
            parts.join(" ")
        }
    }
}

fn order_by(items: &[OrderByExpr]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|o| {
            let dir = match o.options.sort {
                Some(OrderBySort::Desc) => " DESC",
                _ => "",
            };
            format!("{}{dir}", render(&o.expr))
        })
        .collect();
    format!("ORDER BY {}", items.join(", "))
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
        Value::Boolean(b) => format!("CAST('{}' AS BOOLEAN)", if *b { 't' } else { 'f' }),
        Value::Null => "NULL".into(),
        // DuckDB prints a scientific literal as the DOUBLE it is (`1e10` → `10000000000.0`).
        Value::Number(n, _) if n.contains(['e', 'E']) => match n.parse::<f64>() {
            Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            Ok(f) => f.to_string(),
            Err(_) => n.clone(),
        },
        other => other.to_string(),
    }
}

fn ident(id: &Ident) -> String {
    quote(&id.value)
}

/// DuckDB quotes an identifier in rendered expressions unless it is plain lower-case and not a
/// keyword (`KeywordHelper::WriteOptionallyQuoted`).
fn quote(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !v.starts_with(|c: char| c.is_ascii_digit())
        && !crate::functions::is_keyword(v);
    if plain {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('"', "\"\""))
    }
}

/// A type as DuckDB prints it inside a rendered CAST: the SQL grammar's own types plainly
/// (`INTEGER`, `DECIMAL(10, 2)`), every other type as a quoted name (`"DATE"`, `"DOUBLE"`).
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Decimal { precision, scale } => format!("DECIMAL({precision}, {scale})"),
        Type::Integer
        | Type::BigInt
        | Type::SmallInt
        | Type::Float
        | Type::Varchar
        | Type::Boolean
        | Type::Timestamp
        | Type::Time
        | Type::Interval => ty.to_string(),
        Type::List(inner) => format!("{}[]", type_name(inner)),
        Type::Array(inner, n) => format!("{}[{n}]", type_name(inner)),
        Type::Struct(fields) => format!(
            "STRUCT({})",
            fields.iter().map(|f| format!("{} {}", quote(&f.name), type_name(&f.ty))).collect::<Vec<_>>().join(", ")
        ),
        Type::Map(k, v) => format!("MAP({}, {})", type_name(k), type_name(v)),
        Type::Json => "\"json\"".to_string(),
        other => format!("\"{other}\""),
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
