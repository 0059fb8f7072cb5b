//! The output columns of a `PIVOT` whose values are spelled out (`FOR m IN ('JAN', 'FEB')`), as
//! DuckDB names them: the grouping columns, then one column per combination of pivot values and
//! aggregate. Without explicit values (`PIVOT t ON m`) the columns depend on the data.

use sqlparser::ast::{Expr, ExprWithAlias, Ident, PivotValueSource, UnaryOperator, Value};

use super::scope::{Column, Typed};

/// One `USING` / aggregate entry: its alias (if any), its printed name and its value.
pub(super) struct PivotAggregate {
    pub alias: Option<String>,
    pub name: String,
    pub value: Typed,
}

/// What a PIVOT's output is made of.
pub(super) struct PivotShape<'a> {
    /// The pivoted table's columns.
    pub input: &'a [Column],
    /// The names each pivot column's values print as, per pivot column.
    pub values: Vec<Vec<String>>,
    pub aggregates: Vec<PivotAggregate>,
    /// Explicit `GROUP BY` names; empty: every column no pivot column or aggregate reads.
    pub group_by: Vec<String>,
    /// The columns the pivot columns and aggregates read (not grouped by implicitly).
    pub read: Vec<String>,
}

/// The names a pivot column's values print as, when every value is a constant DuckDB prints
/// plainly: a string's text, an integer's digits, `NULL`, or the value's alias.
pub(super) fn value_names(source: &PivotValueSource) -> Option<Vec<String>> {
    let PivotValueSource::List(items) = source else { return None };
    if items.is_empty() {
        return None;
    }
    items.iter().map(|i| value_name(&i.expr, i.alias.as_ref())).collect()
}

/// The values of a statement-form entry `col IN (…)`, read as a pivot column and its values.
pub(super) fn in_list_names(list: &[Expr]) -> Option<Vec<String>> {
    if list.is_empty() {
        return None;
    }
    list.iter().map(|expr| value_name(expr, None)).collect()
}

/// The names of `FOR (a, b) IN ((1, 'x') AS one, (2, 'y'))` entries: the alias, else the
/// values joined with `_` (`2_y`).
pub(super) fn tuple_names(items: &[ExprWithAlias]) -> Option<Vec<String>> {
    items
        .iter()
        .map(|i| match (&i.alias, &i.expr) {
            (Some(alias), _) => Some(alias.value.clone()),
            (None, Expr::Tuple(values)) => {
                values.iter().map(|v| value_name(v, None)).collect::<Option<Vec<_>>>().map(|v| v.join("_"))
            }
            _ => None,
        })
        .collect()
}

fn value_name(expr: &Expr, alias: Option<&Ident>) -> Option<String> {
    if let Some(alias) = alias {
        return Some(alias.value.clone());
    }
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            Value::Number(n, _) if n.parse::<i64>().is_ok() => Some(n.clone()),
            Value::Null => Some("NULL".into()),
            Value::Boolean(b) => Some(b.to_string()),
            _ => None,
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match expr.as_ref() {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) if n.parse::<i64>().is_ok() => Some(format!("-{n}")),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The result columns, or None when a grouping name is not a column of the input.
pub(super) fn columns(shape: PivotShape<'_>) -> Option<Vec<Column>> {
    let mut out: Vec<Column> = if shape.group_by.is_empty() {
        shape
            .input
            .iter()
            .filter(|c| !c.hidden && !shape.read.iter().any(|r| r.eq_ignore_ascii_case(&c.name)))
            .cloned()
            .collect()
    } else {
        named_groups(shape.input, &shape.group_by)?
    };
    // Every combination of values, the first pivot column's varying slowest.
    let mut combinations: Vec<Vec<&str>> = vec![Vec::new()];
    for values in &shape.values {
        combinations = combinations
            .iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| prefix.iter().copied().chain([v.as_str()]).collect::<Vec<&str>>())
            })
            .collect();
    }
    let names: Vec<String> = combinations.iter().map(|c| c.join("_")).collect();
    // DuckDB suffixes the aggregate's name when there are several or it has an alias.
    let suffixed = shape.aggregates.len() > 1 || shape.aggregates.iter().any(|a| a.alias.is_some());
    for name in &names {
        for a in &shape.aggregates {
            let name = if suffixed { format!("{name}_{}", a.alias.as_ref().unwrap_or(&a.name)) } else { name.clone() };
            // A name taken already (in any case) gets `_1`, `_2`, … as DuckDB's binder does.
            let taken = |n: &str| out.iter().any(|c| c.name.eq_ignore_ascii_case(n));
            let name = match taken(&name) {
                false => name,
                true => (1..).map(|i| format!("{name}_{i}")).find(|n| !taken(n)).unwrap_or(name),
            };
            let value = Typed { nullable: true, ..a.value.clone() };
            out.push(Column::derived(name, value));
        }
    }
    Some(out)
}

/// A PIVOT without ON: the named groups, then one column per aggregate (its alias or printed
/// name); nothing is grouped implicitly. None when a group is not a column of the input.
pub(super) fn unpivoted_columns(
    input: &[Column],
    group_by: &[String],
    aggregates: Vec<PivotAggregate>,
) -> Option<Vec<Column>> {
    let mut out = named_groups(input, group_by)?;
    for a in aggregates {
        let name = a.alias.unwrap_or(a.name);
        out.push(Column::derived(name, a.value));
    }
    Some(out)
}

/// The input columns `GROUP BY` names, in its order (None when one is not a column).
fn named_groups(input: &[Column], group_by: &[String]) -> Option<Vec<Column>> {
    let find = |name: &String| input.iter().find(|c| !c.hidden && c.name.eq_ignore_ascii_case(name)).cloned();
    group_by.iter().map(find).collect()
}
