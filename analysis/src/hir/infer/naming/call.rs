//! Function calls as DuckDB prints them: names lower-cased and quoted where they are keywords
//! (not over a window), the grammar's own call forms under their grammar names (`GROUPING`,
//! `TRY`, `count_star()`, `quantile_cont(p ORDER BY x)`), aggregate modifiers, OVER clauses and
//! list comprehensions.

use sqlparser::ast::{
    DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, Ident,
    OrderByExpr, OrderBySort, WindowFrameExclusion, WindowType,
};

use super::{query, quote, render};

/// `base.f(args)`: DuckDB's method-call syntax is the call `f(base, args)`.
pub(super) fn method_call(base: &str, f: &Function) -> String {
    let mut call = f.clone();
    if let FunctionArguments::List(list) = &mut call.args {
        // A placeholder stands for the already-rendered base, swapped in after rendering.
        list.args
            .insert(0, FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(Ident::new("\u{1}base\u{1}")))));
    } else {
        return format!("{base}.{}", function(f));
    }
    function(&call).replacen("\"\u{1}base\u{1}\"", base, 1)
}

/// A list comprehension `[body FOR x IN list IF cond]`, which the syntax pre-pass builds as
/// `list_transform(list_filter(list, x -> cond), x -> body)` named at the `[` token (a one-character
/// span no written call has). DuckDB prints it as `list_apply` over a filtered struct list.
pub(super) fn comprehension(f: &Function) -> Option<String> {
    let [part] = f.name.0.as_slice() else { return None };
    let id = part.as_ident()?;
    let span = id.span;
    if id.value != "list_transform" || span.start.line != span.end.line || span.end.column != span.start.column + 1 {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else { return None };
    let args: Vec<&Expr> = list
        .args
        .iter()
        .filter_map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect();
    let [source, Expr::Lambda(body)] = args.as_slice() else { return None };
    let var = quote(&body.params.first()?.name.value);
    let body = render(&body.body);
    let filtered = match source {
        Expr::Function(inner) if inner.name.to_string() == "list_filter" => match &inner.args {
            FunctionArguments::List(l) => match l.args.as_slice() {
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(list)), FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Lambda(cond)))] => {
                    Some((render(list), render(&cond.body)))
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    Some(match filtered {
        None => format!("main.list_apply({}, (lambda {var}: {body}))", render(source)),
        Some((list, cond)) => format!(
            "main.list_apply(main.list_filter(main.list_apply({list}, (lambda {var}: main.struct_pack(\"filter\" := {cond}, result := {body}))), \
             (lambda elem: main.struct_extract(elem, 'filter'))), (lambda elem: main.struct_extract(elem, 'result')))"
        ),
    })
}

pub(super) fn function(f: &Function) -> String {
    if let Some(shown) = comprehension(f) {
        return shown;
    }
    // DuckDB lower-cases function names and quotes those that are keywords.
    let lower: Vec<String> = f.name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.to_lowercase()).collect();
    // A window function's name is printed as is (DuckDB's WindowExpression does not quote it).
    let name =
        if f.over.is_some() { lower.join(".") } else { lower.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".") };
    let is_count = lower.last().is_some_and(|n| n == "count");
    let mut distinct = false;
    let mut args: Vec<String> = Vec::new();
    let mut star = false;
    let mut order = String::new();
    // `f(x IGNORE NULLS)` keeps the clause inside the call.
    let mut ignore_nulls = false;
    match &f.args {
        FunctionArguments::List(list) => {
            distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
            for a in &list.args {
                match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => args.push(render(e)),
                    // `f(a = 1)` is the comparison (see `infer/function.rs`), printed as DuckDB
                    // prints one.
                    FunctionArg::Named {
                        name,
                        arg: FunctionArgExpr::Expr(e),
                        operator: sqlparser::ast::FunctionArgOperator::Equals,
                    } => args.push(render(&sqlparser::ast::Expr::BinaryOp {
                        left: Box::new(sqlparser::ast::Expr::Identifier(name.clone())),
                        op: sqlparser::ast::BinaryOperator::Eq,
                        right: Box::new(e.clone()),
                    })),
                    FunctionArg::Named { name, arg: FunctionArgExpr::Expr(e), .. } => {
                        args.push(format!("{} := {}", quote(&name.value), render(e)))
                    }
                    other => args.push(other.to_string()),
                }
            }
            for c in &list.clauses {
                match c {
                    FunctionArgumentClause::OrderBy(items) => order = format!(" {}", order_by(items)),
                    FunctionArgumentClause::IgnoreOrRespectNulls(sqlparser::ast::NullTreatment::IgnoreNulls) => {
                        ignore_nulls = true
                    }
                    _ => {}
                }
            }
        }
        // `CURRENT_DATE` and the like keep the spelling the query used.
        FunctionArguments::None => return f.name.to_string(),
        FunctionArguments::Subquery(q) => args.push(format!("({})", query::query(q))),
    }
    let last = if lower.len() == 1 { lower.last().map(String::as_str) } else { None };
    let within = if f.within_group.is_empty() { String::new() } else { order_by(&f.within_group) };
    let mut call = if (star || args.is_empty()) && is_count {
        // DuckDB names a windowed count(*) `count()`, a plain one `count_star()`.
        if f.over.is_some() {
            "count()".to_string()
        } else {
            "count_star()".to_string()
        }
    } else {
        let shown = match lower.last().map(String::as_str) {
            Some("coalesce" | "ifnull") => "COALESCE".to_string(),
            _ => match last {
                // The grammar's own forms, which DuckDB prints under their grammar name.
                Some("grouping" | "grouping_id") => "GROUPING".to_string(),
                Some("try") => "TRY".to_string(),
                Some("row") => "main.\"row\"".to_string(),
                _ => name,
            },
        };
        match (last, args.as_slice()) {
            (Some("if"), [c, t, e]) if f.over.is_none() && f.filter.is_none() => {
                return format!("CASE  WHEN ({c}) THEN ({t}) ELSE {e} END");
            }
            // `percentile_cont(p) WITHIN GROUP (ORDER BY x)` is DuckDB's `quantile_cont(p ORDER BY x)`.
            (Some(q @ ("percentile_cont" | "percentile_disc")), _) if !within.is_empty() => {
                format!("quantile_{}({} {within})", &q["percentile_".len()..], args.join(", "))
            }
            _ if !within.is_empty() => format!("{shown}({}) WITHIN GROUP ( {within})", args.join(", ")),
            // DuckDB prints IGNORE NULLS after the ORDER BY (`first_value(x ORDER BY y IGNORE NULLS)`).
            _ => format!(
                "{shown}({}{}{order}{})",
                if distinct { "DISTINCT " } else { "" },
                args.join(", "),
                if ignore_nulls { " IGNORE NULLS" } else { "" }
            ),
        }
    };
    if let Some(filter) = &f.filter {
        call = format!("{call} FILTER (WHERE {})", render(filter));
    }
    match &f.over {
        Some(w) => format!("{call} OVER ({})", window(w)),
        None => call,
    }
}

pub(super) fn window(w: &WindowType) -> String {
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
            // `RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW` is the default DuckDB leaves out.
            let default_frame = spec.window_frame.as_ref().is_some_and(|f| {
                matches!(f.units, sqlparser::ast::WindowFrameUnits::Range)
                    && matches!(f.start_bound, sqlparser::ast::WindowFrameBound::Preceding(None))
                    && matches!(f.end_bound, None | Some(sqlparser::ast::WindowFrameBound::CurrentRow))
            });
            if let Some(frame) = spec.window_frame.as_ref().filter(|_| !default_frame) {
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

pub(super) fn order_by(items: &[OrderByExpr]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|o| {
            // DuckDB prints the direction and the NULLS order only where the query wrote them.
            let dir = match o.options.sort {
                Some(OrderBySort::Desc) => " DESC",
                Some(OrderBySort::Asc) => " ASC",
                _ => "",
            };
            let nulls = match o.options.nulls_first {
                Some(true) => " NULLS FIRST",
                Some(false) => " NULLS LAST",
                None => "",
            };
            format!("{}{dir}{nulls}", render(&o.expr))
        })
        .collect();
    format!("ORDER BY {}", items.join(", "))
}
