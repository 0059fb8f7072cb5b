//! DuckDB's `COLUMNS(…)` in a select item: `COLUMNS(*)`, `COLUMNS(* EXCLUDE / REPLACE / RENAME
//! …)`, `COLUMNS(t.*)` and `COLUMNS('regex')` select columns like the star they wrap (the last
//! keeps the columns whose name the regex matches). As the whole item, those columns are the
//! item's; inside an expression (`max(COLUMNS(*))`, `COLUMNS('x.*')::VARCHAR`) the expression
//! is repeated per column, named after it, as DuckDB expands it. Other forms (a lambda over the
//! names, two different selections in one item) leave the select list open.

use std::ops::ControlFlow;

use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Query, Value, Visit, Visitor,
    WildcardAdditionalOptions,
};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::scope::Typed;
use super::select::Item;
use super::walker::{Infer, OutCol, QueryResult};
use crate::diagnostics::Code;

impl Infer<'_> {
    /// Expands select item `e` into `result` when it holds `COLUMNS(…)` calls of one selection
    /// this module knows (`alias` names every column, or is the regex's rewrite); false when it
    /// holds none (or ones it cannot expand), and the item is typed as usual.
    pub(super) fn columns_star(
        &mut self,
        e: &Expr,
        alias: Option<&Ident>,
        result: &mut QueryResult,
        select: usize,
    ) -> bool {
        let calls = columns_calls(e);
        let Some(first) = calls.first() else { return false };
        // Not expanded here: typed as usual, but the select list may hold other columns.
        if calls.iter().any(|c| c.to_string() != first.to_string()) {
            result.open = true;
            return false;
        }
        let whole = columns_arg(e).is_some();
        let Some(selected) = self.columns_selection(first, alias.filter(|_| whole), select) else {
            result.open = true;
            return false;
        };
        result.open |= selected.open;
        if whole {
            result.columns.extend(selected.columns);
            return true;
        }
        let range = self.expr_range(e);
        let alias_range = alias.and_then(|a| self.spans.range(a.span));
        for (name, value) in self.type_per_column(e, selected.columns) {
            let name = alias.map_or(name, |a| self.ident_name(a));
            let item = Item { name, range, alias_range, passthrough: None };
            self.push_item(result, item, value, select);
        }
        true
    }

    /// `e`, which holds `COLUMNS(…)` of one selection (an UNPIVOT entry `COLUMNS('x.*')`), typed
    /// once per column it selects: each column's name and value, and whether more columns may
    /// exist. None when it holds no `COLUMNS(…)` this module expands.
    pub(super) fn per_selected_column(&mut self, e: &Expr) -> Option<(Vec<(String, Typed)>, bool)> {
        let calls = columns_calls(e);
        let first = calls.first()?;
        if calls.iter().any(|c| c.to_string() != first.to_string()) {
            return None;
        }
        let selected = self.columns_selection(first, None, self.selects)?;
        Some((self.type_per_column(e, selected.columns), selected.open))
    }

    /// Types `e` once per column, its `COLUMNS(…)` standing for that column.
    fn type_per_column(&mut self, e: &Expr, columns: Vec<OutCol>) -> Vec<(String, Typed)> {
        let diagnostics = self.diagnostics.len();
        let mut out = Vec::new();
        for (i, column) in columns.into_iter().enumerate() {
            // What the expression records is the same for every column: kept once.
            let mark = (i > 0).then(|| self.res.mark());
            self.columns_value = Some(column.value);
            let value = self.expr(e);
            self.columns_value = None;
            if let Some(mark) = mark {
                self.res.truncate(mark);
            }
            out.push((column.name, value));
        }
        // A mistake outside `COLUMNS(…)` is found once per column: reported once.
        let mut seen = Vec::new();
        let mut i = diagnostics;
        while i < self.diagnostics.len() {
            let d = &self.diagnostics[i];
            let key = (d.code, d.range, d.message.clone());
            if seen.contains(&key) {
                self.diagnostics.remove(i);
            } else {
                seen.push(key);
                i += 1;
            }
        }
        out
    }

    /// The columns `COLUMNS(arg)` selects, named (with `alias` for the whole-item form), or
    /// None for a form the analysis does not expand.
    fn columns_selection(
        &mut self,
        arg: &FunctionArgExpr,
        alias: Option<&Ident>,
        select: usize,
    ) -> Option<QueryResult> {
        let with_alias = |mut opts: WildcardAdditionalOptions| {
            if opts.opt_alias.is_none() {
                opts.opt_alias = alias.cloned();
            }
            opts
        };
        let mut all = QueryResult::default();
        match arg {
            FunctionArgExpr::Wildcard => {
                self.star(None, &with_alias(WildcardAdditionalOptions::default()), &mut all, select)
            }
            FunctionArgExpr::WildcardWithOptions(opts) => self.star(None, &with_alias(opts.clone()), &mut all, select),
            FunctionArgExpr::QualifiedWildcard(name) => {
                self.star(Some(name), &with_alias(WildcardAdditionalOptions::default()), &mut all, select)
            }
            FunctionArgExpr::Expr(Expr::Value(v)) => {
                let Value::SingleQuotedString(pattern) = &v.value else { return None };
                // The star the regex filters, marked where the regex is written.
                let token = TokenWithSpan { token: Token::Mul, span: v.span };
                let opts = WildcardAdditionalOptions { wildcard_token: AttachedToken(token), ..Default::default() };
                self.star(None, &opts, &mut all, select);
                let names: Vec<String> = all.columns.iter().map(|c| c.name.clone()).collect();
                let rewrite = alias.map(|a| a.value.as_str());
                let Some(kept) = super::star_like::regex_filter(&names, pattern, rewrite) else {
                    // A regex the analysis cannot compile: DuckDB's RE2 may; leave it open.
                    return Some(QueryResult { columns: Vec::new(), open: true });
                };
                if kept.is_empty() && !all.open {
                    let range = self.spans.range(v.span).unwrap_or_default();
                    self.report(Code::E102UnknownColumn, range, format!("no column matches the regex '{pattern}'"))
                        .hint = Some("DuckDB refuses COLUMNS('…') when it selects no column; check the pattern".into());
                }
                let mut columns: Vec<Option<OutCol>> = std::mem::take(&mut all.columns).into_iter().map(Some).collect();
                all.columns = kept
                    .into_iter()
                    .filter_map(|(i, name)| columns.get_mut(i)?.take().map(|c| OutCol { name, ..c }))
                    .collect();
                if let Some(star) = self.res.stars.last_mut() {
                    star.columns = all.columns.iter().map(|c| c.name.clone()).collect();
                }
            }
            _ => return None,
        }
        Some(all)
    }
}

/// The single argument of a `COLUMNS(…)` call.
fn columns_arg(e: &Expr) -> Option<&FunctionArgExpr> {
    let Expr::Function(Function { name, args: FunctionArguments::List(list), .. }) = e else { return None };
    let is_columns = name.0.last().and_then(|p| p.as_ident()).is_some_and(|n| n.value.eq_ignore_ascii_case("columns"));
    match list.args.as_slice() {
        [FunctionArg::Unnamed(arg)] if is_columns => Some(arg),
        _ => None,
    }
}

/// The arguments of the `COLUMNS(…)` calls in `e`, outside its subqueries.
fn columns_calls(e: &Expr) -> Vec<FunctionArgExpr> {
    #[derive(Default)]
    struct Calls {
        found: Vec<FunctionArgExpr>,
        depth: usize,
    }
    impl Visitor for Calls {
        type Break = ();
        fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.depth -= 1;
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if let (0, Some(arg)) = (self.depth, columns_arg(e)) {
                self.found.push(arg.clone());
            }
            ControlFlow::Continue(())
        }
    }
    let mut calls = Calls::default();
    let _ = e.visit(&mut calls);
    calls.found
}
