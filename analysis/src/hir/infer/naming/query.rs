//! Subqueries as DuckDB prints them inside a column name (`QueryNode::ToString`): every
//! expression in DuckDB's own rendering, a table alias after `AS`, joins spelled out
//! (`INNER JOIN … ON (…)`), set operations with each side in parentheses, and a WITH clause
//! glued to its body (`WITH c AS (SELECT 1)SELECT …`). A form this module does not know keeps
//! sqlparser's text (`None` from the helpers).

use sqlparser::ast::{
    Distinct, GroupByExpr, JoinConstraint, JoinOperator, LimitClause, OrderByKind, Query, Select, SelectItem, SetExpr,
    SetOperator, SetQuantifier, TableAlias, TableFactor, TableWithJoins,
};

use super::{order_by, quote, render};

/// `q` as DuckDB prints it, falling back to sqlparser's text for forms not covered.
pub(super) fn query(q: &Query) -> String {
    render_query(q).unwrap_or_else(|| q.to_string())
}

fn render_query(q: &Query) -> Option<String> {
    if q.fetch.is_some() || !q.locks.is_empty() || !q.pipe_operators.is_empty() {
        return None;
    }
    let mut s = String::new();
    if let Some(with) = &q.with {
        if with.recursive {
            return None;
        }
        let ctes = with
            .cte_tables
            .iter()
            .map(|c| {
                let cols = if c.alias.columns.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({})",
                        c.alias.columns.iter().map(|c| quote(&c.name.value)).collect::<Vec<_>>().join(", ")
                    )
                };
                let mat = match c.materialized {
                    Some(sqlparser::ast::CteAsMaterialized::Materialized) => "MATERIALIZED ",
                    Some(sqlparser::ast::CteAsMaterialized::NotMaterialized) => "NOT MATERIALIZED ",
                    None => "",
                };
                Some(format!("{}{cols} AS {mat}({})", quote(&c.alias.name.value), render_query(&c.query)?))
            })
            .collect::<Option<Vec<_>>>()?;
        s.push_str(&format!("WITH {}", ctes.join(", ")));
    }
    s.push_str(&set_expr(&q.body)?);
    if let Some(ob) = &q.order_by {
        match &ob.kind {
            OrderByKind::Expressions(items) => s.push_str(&format!(" {}", order_by(items))),
            OrderByKind::All(_) => return None,
        }
    }
    match &q.limit_clause {
        None => {}
        Some(LimitClause::LimitOffset { limit, offset, limit_by, percent: false }) if limit_by.is_empty() => {
            if let Some(l) = limit {
                s.push_str(&format!(" LIMIT {}", render(l)));
            }
            if let Some(o) = offset {
                s.push_str(&format!(" OFFSET {}", render(&o.value)));
            }
        }
        Some(_) => return None,
    }
    Some(s)
}

fn set_expr(body: &SetExpr) -> Option<String> {
    match body {
        SetExpr::Select(sel) => select(sel),
        SetExpr::Query(q) => render_query(q),
        // DuckDB flattens a chain of UNIONs of one kind into one node, printed `(a) UNION (b)UNION (c)`.
        SetExpr::SetOperation { op: SetOperator::Union, set_quantifier, .. } => {
            let mut children = Vec::new();
            union_children(body, set_quantifier, &mut children);
            let quantifier = quantifier(set_quantifier);
            let rendered = children.iter().map(|c| set_expr(c)).collect::<Option<Vec<_>>>()?;
            let mut s = format!("({})", rendered.first()?);
            for (i, c) in rendered.iter().enumerate().skip(1) {
                s.push_str(&format!("{}UNION{quantifier} ({c})", if i == 1 { " " } else { "" }));
            }
            Some(s)
        }
        SetExpr::Values(v) => values(v),
        SetExpr::SetOperation { op, set_quantifier, left, right } => {
            let op = match op {
                SetOperator::Union => "UNION",
                SetOperator::Except => "EXCEPT",
                SetOperator::Intersect => "INTERSECT",
                SetOperator::Minus => return None,
            };
            let quantifier = quantifier(set_quantifier);
            Some(format!("({}) {op}{quantifier} ({})", set_expr(left)?, set_expr(right)?))
        }
        _ => None,
    }
}

fn quantifier(q: &SetQuantifier) -> &'static str {
    match q {
        SetQuantifier::All => " ALL",
        SetQuantifier::None | SetQuantifier::Distinct => "",
        SetQuantifier::ByName => " BY NAME",
        SetQuantifier::AllByName => " ALL BY NAME",
        SetQuantifier::DistinctByName => " BY NAME",
    }
}

/// The operands of a UNION chain of one quantifier, parenthesised sub-chains included.
fn union_children<'a>(e: &'a SetExpr, quant: &SetQuantifier, out: &mut Vec<&'a SetExpr>) {
    match e {
        SetExpr::SetOperation { op: SetOperator::Union, set_quantifier, left, right } if set_quantifier == quant => {
            union_children(left, quant, out);
            union_children(right, quant, out);
        }
        SetExpr::Query(q)
            if bare(q)
                && matches!(q.body.as_ref(), SetExpr::SetOperation { op: SetOperator::Union, set_quantifier, .. } if set_quantifier == quant) =>
        {
            union_children(&q.body, quant, out)
        }
        other => out.push(other),
    }
}

/// A parenthesised query with nothing but a body.
fn bare(q: &Query) -> bool {
    q.with.is_none() && q.order_by.is_none() && q.limit_clause.is_none() && q.fetch.is_none()
}

/// A VALUES list is DuckDB's `SELECT * FROM (VALUES …) AS valueslist`.
fn values(v: &sqlparser::ast::Values) -> Option<String> {
    let rows: Vec<String> =
        v.rows.iter().map(|r| format!("({})", r.content.iter().map(render).collect::<Vec<_>>().join(", "))).collect();
    Some(format!("SELECT * FROM (VALUES {}) AS valueslist", rows.join(", ")))
}

fn select(sel: &Select) -> Option<String> {
    if sel.top.is_some() || sel.into.is_some() || !sel.lateral_views.is_empty() || sel.prewhere.is_some() {
        return None;
    }
    let mut s = String::from("SELECT ");
    match &sel.distinct {
        None => {}
        Some(Distinct::Distinct) => s.push_str("DISTINCT "),
        Some(Distinct::On(exprs)) => {
            s.push_str(&format!("DISTINCT ON ({}) ", exprs.iter().map(render).collect::<Vec<_>>().join(", ")))
        }
        Some(_) => return None,
    }
    let items = sel
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) => Some(render(e)),
            SelectItem::ExprWithAlias { expr, alias } => Some(format!("{} AS {}", render(expr), quote(&alias.value))),
            SelectItem::Wildcard(opts) if opts.to_string().is_empty() => Some("*".to_string()),
            SelectItem::QualifiedWildcard(kind, opts) if opts.to_string().is_empty() => Some(format!("{kind}.*")),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    s.push_str(&items.join(", "));
    if !sel.from.is_empty() {
        let tables = sel.from.iter().map(table_with_joins).collect::<Option<Vec<_>>>()?;
        s.push_str(&format!(" FROM {}", tables.join(" , ")));
    }
    if let Some(w) = &sel.selection {
        s.push_str(&format!(" WHERE {}", render(w)));
    }
    match &sel.group_by {
        GroupByExpr::All(m) if m.is_empty() => s.push_str(" GROUP BY ALL"),
        GroupByExpr::Expressions(exprs, m) if m.is_empty() && !exprs.is_empty() => {
            if exprs.iter().any(|e| {
                matches!(
                    e,
                    sqlparser::ast::Expr::Rollup(_)
                        | sqlparser::ast::Expr::Cube(_)
                        | sqlparser::ast::Expr::GroupingSets(_)
                )
            }) {
                return None;
            }
            s.push_str(&format!(" GROUP BY {}", exprs.iter().map(render).collect::<Vec<_>>().join(", ")));
        }
        GroupByExpr::Expressions(exprs, m) if m.is_empty() && exprs.is_empty() => {}
        _ => return None,
    }
    if let Some(h) = &sel.having {
        s.push_str(&format!(" HAVING {}", render(h)));
    }
    if let Some(q) = &sel.qualify {
        s.push_str(&format!(" QUALIFY {}", render(q)));
    }
    if !sel.named_window.is_empty() {
        return None;
    }
    Some(s)
}

fn table_with_joins(t: &TableWithJoins) -> Option<String> {
    let mut s = table_factor(&t.relation)?;
    for j in &t.joins {
        let right = table_factor(&j.relation)?;
        let (kind, constraint) = match &j.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => ("INNER JOIN", Some(c)),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT JOIN", Some(c)),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT JOIN", Some(c)),
            JoinOperator::FullOuter(c) => ("FULL JOIN", Some(c)),
            JoinOperator::Semi(c) | JoinOperator::LeftSemi(c) => ("SEMI JOIN", Some(c)),
            JoinOperator::Anti(c) | JoinOperator::LeftAnti(c) => ("ANTI JOIN", Some(c)),
            JoinOperator::CrossJoin(_) => ("CROSS JOIN", None),
            _ => return None,
        };
        let (natural, cond) = match constraint {
            None | Some(JoinConstraint::None) => ("", String::new()),
            Some(JoinConstraint::On(e)) => ("", format!(" ON ({})", render(e))),
            Some(JoinConstraint::Using(cols)) => {
                ("", format!(" USING ({})", cols.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")))
            }
            Some(JoinConstraint::Natural) => ("NATURAL ", String::new()),
            Some(JoinConstraint::UsingAlias(..)) => return None,
        };
        s = format!("{s} {natural}{kind} {right}{cond}");
    }
    Some(s)
}

fn table_factor(t: &TableFactor) -> Option<String> {
    match t {
        TableFactor::Table { name, alias, args, .. } => {
            let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| quote(&i.value)).collect();
            let mut s = parts.join(".");
            if let Some(args) = args {
                let rendered = args
                    .args
                    .iter()
                    .map(|a| match a {
                        sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) => {
                            Some(render(e))
                        }
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?;
                s = format!("{s}({})", rendered.join(", "));
            }
            Some(format!("{s}{}", table_alias(alias.as_ref())))
        }
        TableFactor::Derived { lateral: _, subquery, alias, sample: None } => {
            Some(format!("({}){}", render_query(subquery)?, table_alias(alias.as_ref())))
        }
        _ => None,
    }
}

fn table_alias(alias: Option<&TableAlias>) -> String {
    match alias {
        None => String::new(),
        Some(a) if a.columns.is_empty() => format!(" AS {}", quote(&a.name.value)),
        Some(a) => format!(
            " AS {}({})",
            quote(&a.name.value),
            a.columns.iter().map(|c| quote(&c.name.value)).collect::<Vec<_>>().join(", ")
        ),
    }
}
