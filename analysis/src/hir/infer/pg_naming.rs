//! The names PostgreSQL gives unaliased select items (`FigureColname` in its parser): a column
//! its name, a function call the function's name, a cast the inner expression's name or else
//! the type's name (`1::int` → `int4`), CASE the ELSE branch's name or else `case`, `exists`,
//! `array`, `row`, `coalesce`/`greatest`/`least`/`nullif`, anything else `?column?`. Unquoted
//! identifiers fold to lower case.

use sqlparser::ast::{AccessExpr, DataType, Expr, Ident, Query, SelectItem, SetExpr, TrimWhereField};

use crate::dialect::postgres::grammar_name;

/// The output column name of an unaliased select item.
pub fn output_name(e: &Expr) -> String {
    figure(e).map(|(name, _)| name).unwrap_or_else(|| "?column?".to_string())
}

/// An identifier as PostgreSQL's parser reads it: unquoted ones fold to lower case.
pub fn fold(id: &Ident) -> String {
    if id.quote_style.is_some() {
        id.value.clone()
    } else {
        id.value.to_lowercase()
    }
}

/// The name and its strength (2: a column, function or construct name; 1: a type or `case`).
#[recursive::recursive]
fn figure(e: &Expr) -> Option<(String, u8)> {
    let strong = |s: &str| Some((s.to_string(), 2));
    match e {
        Expr::Identifier(id) => Some((fold(id), 2)),
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| (fold(p), 2)),
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => figure(inner),
        Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).map(|id| (fold(id), 2)),
        Expr::Cast { expr, data_type, .. } => match figure(expr) {
            Some(s) if s.1 > 1 => Some(s),
            _ => Some((cast_type_name(data_type), 1)),
        },
        Expr::TypedString(ts) => Some((cast_type_name(&ts.data_type), 1)),
        Expr::Interval(_) => Some(("interval".into(), 1)),
        Expr::Case { else_result, .. } => match else_result.as_deref().and_then(figure) {
            Some(s) if s.1 > 1 => Some(s),
            _ => Some(("case".into(), 1)),
        },
        Expr::Exists { negated: false, .. } => strong("exists"),
        Expr::Array(_) => strong("array"),
        Expr::Tuple(_) => strong("row"),
        Expr::Subquery(q) => Some((subquery_name(q), 2)),
        Expr::Extract { .. } => strong("extract"),
        Expr::Substring { shorthand: true, .. } => strong("substr"),
        Expr::Substring { .. } => strong("substring"),
        Expr::Position { .. } => strong("position"),
        Expr::Overlay { .. } => strong("overlay"),
        Expr::AtTimeZone { .. } => strong("timezone"),
        Expr::Trim { trim_where, .. } => strong(match trim_where {
            Some(TrimWhereField::Leading) => "ltrim",
            Some(TrimWhereField::Trailing) => "rtrim",
            _ => "btrim",
        }),
        Expr::Ceil { .. } => strong("ceil"),
        Expr::Floor { .. } => strong("floor"),
        Expr::CompoundFieldAccess { root, access_chain } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(id))) => Some((fold(id), 2)),
            _ => figure(root),
        },
        _ => None,
    }
}

/// A scalar subquery is named after its single output column.
fn subquery_name(q: &Query) -> String {
    let SetExpr::Select(select) = q.body.as_ref() else { return "?column?".into() };
    match select.projection.first() {
        Some(SelectItem::ExprWithAlias { alias, .. }) => fold(alias),
        Some(SelectItem::UnnamedExpr(e)) => output_name(e),
        _ => "?column?".into(),
    }
}

/// The last name of a cast's type as PostgreSQL's grammar records it: SQL's keywords become
/// catalog names (`int` → `int4`, `double precision` → `float8`, `varchar(5)` → `varchar`),
/// other names stay as written (`text`, `date`, `timestamptz`).
fn cast_type_name(dt: &DataType) -> String {
    let written = dt.to_string();
    let mut text = written.trim().to_string();
    while let Some(stripped) = text.strip_suffix("[]") {
        text = stripped.trim_end().to_string();
    }
    if text.starts_with('"') {
        return text.trim_matches('"').replace("\"\"", "\"");
    }
    let lower = text.to_lowercase();
    let base = lower.rsplit('.').next().unwrap_or(&lower).to_string();
    let base = crate::dialect::postgres::strip_typmod_text(&base);
    grammar_name(&base).to_string()
}
