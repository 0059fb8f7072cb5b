//! The names DuckDB gives unaliased select items: a column keeps its name; any other expression
//! is named by DuckDB's own rendering of it (`(a + 1)`, `count_star()`, `CAST(x AS INTEGER)`).

use sqlparser::ast::{
    BinaryOperator, CastKind, DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, UnaryOperator, Value,
};

use crate::types::Type;

/// The output column name of an unaliased select item.
pub fn output_name(e: &Expr) -> String {
    match e {
        Expr::Identifier(id) => id.value.clone(),
        Expr::CompoundIdentifier(parts) => {
            parts.last().map(|p| p.value.clone()).unwrap_or_default()
        }
        Expr::Nested(inner) if is_column(inner) => output_name(inner),
        _ => render(e),
    }
}

fn is_column(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
}

/// DuckDB's `ParsedExpression::ToString` for the forms models commonly use.
pub fn render(e: &Expr) -> String {
    match e {
        Expr::Identifier(id) => ident(id),
        Expr::CompoundIdentifier(parts) => parts.iter().map(ident).collect::<Vec<_>>().join("."),
        Expr::Value(v) => value(&v.value),
        Expr::Nested(inner) => render(inner),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::And | BinaryOperator::Or => {
                format!("({} {} {})", render(left), op, render(right))
            }
            _ => format!("({} {} {})", render(left), binary_op(op), render(right)),
        },
        Expr::UnaryOp { op, expr } => match op {
            UnaryOperator::Not => format!("(NOT {})", render(expr)),
            UnaryOperator::Minus => format!("-({})", render(expr)),
            UnaryOperator::Plus => format!("+({})", render(expr)),
            other => format!("{other}({})", render(expr)),
        },
        Expr::Cast {
            kind,
            expr,
            data_type,
            ..
        } => {
            let kw = match kind {
                CastKind::TryCast | CastKind::SafeCast => "TRY_CAST",
                _ => "CAST",
            };
            format!("{kw}({} AS {})", render(expr), Type::from_sql(data_type))
        }
        Expr::IsNull(x) => format!("({} IS NULL)", render(x)),
        Expr::IsNotNull(x) => format!("({} IS NOT NULL)", render(x)),
        Expr::IsTrue(x) => format!("({} IS TRUE)", render(x)),
        Expr::IsNotTrue(x) => format!("({} IS NOT TRUE)", render(x)),
        Expr::IsFalse(x) => format!("({} IS FALSE)", render(x)),
        Expr::IsNotFalse(x) => format!("({} IS NOT FALSE)", render(x)),
        Expr::IsDistinctFrom(a, b) => format!("({} IS DISTINCT FROM {})", render(a), render(b)),
        Expr::IsNotDistinctFrom(a, b) => {
            format!("({} IS NOT DISTINCT FROM {})", render(a), render(b))
        }
        Expr::In {
            expr,
            target: sqlparser::ast::InTarget::List(list),
            negated,
            ..
        } => format!(
            "({} {}IN ({}))",
            render(expr),
            if *negated { "NOT " } else { "" },
            list.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => format!(
            "({} {}BETWEEN {} AND {})",
            render(expr),
            if *negated { "NOT " } else { "" },
            render(low),
            render(high)
        ),
        Expr::Like {
            negated,
            expr,
            pattern,
            ..
        } => {
            format!(
                "({} {} {})",
                render(expr),
                if *negated { "!~~" } else { "~~" },
                render(pattern)
            )
        }
        Expr::ILike {
            negated,
            expr,
            pattern,
            ..
        } => {
            format!(
                "({} {} {})",
                render(expr),
                if *negated { "!~~*" } else { "~~*" },
                render(pattern)
            )
        }
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            let mut s = String::from("CASE ");
            for c in conditions {
                let cond = match operand {
                    Some(op) => format!("({} = {})", render(op), render(&c.condition)),
                    None => render(&c.condition),
                };
                s.push_str(&format!(" WHEN ({cond}) THEN ({})", render(&c.result)));
            }
            s.push_str(&format!(
                " ELSE {} END",
                else_result
                    .as_deref()
                    .map(render)
                    .unwrap_or_else(|| "NULL".into())
            ));
            s
        }
        Expr::Function(f) => function(f),
        Expr::TypedString(ts) => format!(
            "CAST({} AS {})",
            value(&ts.value.value),
            Type::from_sql(&ts.data_type)
        ),
        Expr::Extract { field, expr, .. } => {
            format!(
                "date_part('{}', {})",
                field.to_string().to_lowercase(),
                render(expr)
            )
        }
        Expr::CompoundFieldAccess { root, access_chain } => {
            let mut s = render(root);
            for a in access_chain {
                s.push_str(&match a {
                    sqlparser::ast::AccessExpr::Dot(x) => format!(".{}", render(x)),
                    sqlparser::ast::AccessExpr::Subscript(sub) => format!("[{}]", subscript(sub)),
                });
            }
            s
        }
        Expr::Array(arr) => format!(
            "main.list_value({})",
            arr.elem.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        // Rare unaliased forms: sqlparser's rendering is a readable stand-in.
        other => other.to_string(),
    }
}

fn subscript(s: &sqlparser::ast::Subscript) -> String {
    match s {
        sqlparser::ast::Subscript::Index { index } => render(index),
        sqlparser::ast::Subscript::Slice {
            lower_bound,
            upper_bound,
            ..
        } => format!(
            "{}:{}",
            lower_bound.as_ref().map(render).unwrap_or_default(),
            upper_bound.as_ref().map(render).unwrap_or_default()
        ),
    }
}

fn function(f: &Function) -> String {
    let name = f
        .name
        .0
        .iter()
        .filter_map(|p| p.as_ident())
        .map(|i| i.value.clone())
        .collect::<Vec<_>>()
        .join(".");
    let lower = name.to_lowercase();
    let mut distinct = false;
    let mut args: Vec<String> = Vec::new();
    let mut star = false;
    match &f.args {
        FunctionArguments::List(list) => {
            distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
            for a in &list.args {
                match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => args.push(render(e)),
                    FunctionArg::Named {
                        name,
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } => args.push(format!("{} := {}", name.value, render(e))),
                    other => args.push(other.to_string()),
                }
            }
        }
        FunctionArguments::None => return name,
        FunctionArguments::Subquery(q) => args.push(format!("({q})")),
    }
    let call = if star && lower == "count" {
        "count_star()".to_string()
    } else {
        let shown = if lower == "coalesce" {
            "COALESCE".to_string()
        } else {
            name.clone()
        };
        format!(
            "{shown}({}{})",
            if distinct { "DISTINCT " } else { "" },
            args.join(", ")
        )
    };
    match &f.over {
        Some(w) => format!("{call} OVER ({})", window(w)),
        None => call,
    }
}

fn window(w: &sqlparser::ast::WindowType) -> String {
    match w {
        sqlparser::ast::WindowType::NamedWindow(n) => n.value.clone(),
        sqlparser::ast::WindowType::WindowSpec(spec) => {
            let mut parts = Vec::new();
            if !spec.partition_by.is_empty() {
                parts.push(format!(
                    "PARTITION BY {}",
                    spec.partition_by
                        .iter()
                        .map(render)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !spec.order_by.is_empty() {
                let items: Vec<String> = spec
                    .order_by
                    .iter()
                    .map(|o| {
                        let dir = match o.options.sort {
                            Some(sqlparser::ast::OrderBySort::Desc) => " DESC",
                            _ => " ASC",
                        };
                        format!("{}{dir}", render(&o.expr))
                    })
                    .collect();
                parts.push(format!("ORDER BY {}", items.join(", ")));
            }
            parts.join(" ")
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
        Value::Boolean(b) => b.to_string(),
        Value::Null => "NULL".into(),
        other => other.to_string(),
    }
}

/// DuckDB quotes an identifier in rendered expressions unless it is plain lower-case.
fn ident(id: &Ident) -> String {
    let v = &id.value;
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !v.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        v.clone()
    } else {
        format!("\"{}\"", v.replace('"', "\"\""))
    }
}
