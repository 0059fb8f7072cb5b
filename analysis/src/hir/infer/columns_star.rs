//! DuckDB's `COLUMNS(…)` as a whole select item: `COLUMNS(*)`, `COLUMNS(* EXCLUDE / REPLACE /
//! RENAME …)`, `COLUMNS(t.*)` and `COLUMNS('regex')` expand like the star they wrap (the last
//! keeps the columns whose name the regex matches). Inside an expression (`max(COLUMNS(*))`)
//! the expansion repeats the expression per column, which the analysis leaves open.

use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Value, WildcardAdditionalOptions,
};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::walker::{Infer, QueryResult};
use crate::diagnostics::Code;

impl Infer<'_> {
    /// Expands `e` into `result` when it is a `COLUMNS(…)` call this module knows (`alias`
    /// names every column, or is the regex's rewrite); false when `e` is something else.
    pub(super) fn columns_star(
        &mut self,
        e: &Expr,
        alias: Option<&Ident>,
        result: &mut QueryResult,
        select: usize,
    ) -> bool {
        let Some(arg) = columns_arg(e) else { return false };
        let with_alias = |mut opts: WildcardAdditionalOptions| {
            if opts.opt_alias.is_none() {
                opts.opt_alias = alias.cloned();
            }
            opts
        };
        match arg {
            FunctionArgExpr::Wildcard => {
                self.star(None, &with_alias(WildcardAdditionalOptions::default()), result, select)
            }
            FunctionArgExpr::WildcardWithOptions(opts) => self.star(None, &with_alias(opts.clone()), result, select),
            FunctionArgExpr::QualifiedWildcard(name) => {
                self.star(Some(name), &with_alias(WildcardAdditionalOptions::default()), result, select)
            }
            FunctionArgExpr::Expr(Expr::Value(v)) => {
                let Value::SingleQuotedString(pattern) = &v.value else { return false };
                let rewrite = alias.map(|a| a.value.as_str());
                // The star the regex filters, marked where the regex is written.
                let token = TokenWithSpan { token: Token::Mul, span: v.span };
                let opts = WildcardAdditionalOptions { wildcard_token: AttachedToken(token), ..Default::default() };
                let mut all = QueryResult::default();
                self.star(None, &opts, &mut all, select);
                let names: Vec<String> = all.columns.iter().map(|c| c.name.clone()).collect();
                let Some(kept) = super::star_like::regex_filter(&names, pattern, rewrite) else {
                    // A regex the analysis cannot compile: DuckDB's RE2 may; leave it open.
                    result.open = true;
                    return true;
                };
                if kept.is_empty() && !all.open {
                    let range = self.spans.range(v.span).unwrap_or_default();
                    self.report(Code::E102UnknownColumn, range, format!("no column matches the regex '{pattern}'"))
                        .hint = Some("DuckDB refuses COLUMNS('…') when it selects no column; check the pattern".into());
                }
                let mut columns: Vec<Option<_>> = all.columns.into_iter().map(Some).collect();
                let kept: Vec<_> = kept
                    .into_iter()
                    .filter_map(|(i, name)| columns.get_mut(i)?.take().map(|c| super::walker::OutCol { name, ..c }))
                    .collect();
                if let Some(star) = self.res.stars.last_mut() {
                    star.columns = kept.iter().map(|c| c.name.clone()).collect();
                }
                result.open |= all.open;
                result.columns.extend(kept);
            }
            _ => return false,
        }
        true
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
