//! A token-level pre-pass for DuckDB join forms sqlparser's grammar does not reach through its
//! dialect hooks: `ASOF [LEFT|RIGHT|…] JOIN … ON` (sqlparser only knows Snowflake's
//! `ASOF JOIN … MATCH_CONDITION`) and `POSITIONAL JOIN`. Each is rewritten to the ordinary join
//! with the same output columns and nullability, byte for byte the same length, so every span
//! sqlparser reports still points into the user's text. What only an ASOF join must satisfy (one
//! inequality in its condition) is checked on the parsed query by [`check_asof_joins`].

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, JoinConstraint, JoinOperator, Query, SetExpr, Spanned, TableWithJoins, Visit, Visitor,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::{RockyDialect, SpanMap};
use crate::diagnostics::{Code, Diagnostic, TextRange};

/// The text to parse instead of `sql`, when it has a join form to rewrite, and where each
/// rewritten `ASOF` keyword was.
pub fn rewrite_joins(sql: &str) -> Option<(String, Vec<TextRange>)> {
    let lower = sql.to_ascii_lowercase();
    if !lower.contains("asof") && !lower.contains("positional") {
        return None;
    }
    let tokens = Tokenizer::new(&RockyDialect, sql).tokenize_with_location().ok()?;
    let words: Vec<_> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let spans = SpanMap::new(sql);
    let mut out = sql.to_string();
    let mut changed = false;
    let mut asof = Vec::new();
    for pair in words.windows(2) {
        let (Token::Word(word), Token::Word(next)) = (&pair[0].token, &pair[1].token) else { continue };
        if word.quote_style.is_some() {
            continue;
        }
        let join_follows = matches!(
            next.keyword,
            Keyword::JOIN
                | Keyword::LEFT
                | Keyword::RIGHT
                | Keyword::INNER
                | Keyword::FULL
                | Keyword::SEMI
                | Keyword::ANTI
        );
        let replacement = if word.keyword == Keyword::ASOF && join_follows {
            "    "
        } else if word.value.eq_ignore_ascii_case("positional") && next.keyword == Keyword::JOIN {
            "CROSS     "
        } else {
            continue;
        };
        let Some(range) = spans.range(pair[0].span) else { continue };
        let (start, end) = (range.start as usize, range.end as usize);
        if out.get(start..end).map(str::len) == Some(replacement.len()) {
            out.replace_range(start..end, replacement);
            changed = true;
            if word.keyword == Keyword::ASOF {
                asof.push(range);
            }
        }
    }
    changed.then_some((out, asof))
}

/// DuckDB's rule for an ASOF join's `ON`: exactly one inequality (`>=`, `>`, `<=`, `<`) among
/// its AND-ed conditions. `asof` are the rewritten keywords; each belongs to the first join
/// whose table starts after it.
pub fn check_asof_joins(query: &Query, asof: &[TextRange], spans: &SpanMap, path: &str) -> Vec<Diagnostic> {
    struct Joins<'a> {
        spans: &'a SpanMap,
        /// Start of each joined table, and its inequality counts (`None`: not an ON join).
        found: Vec<(u32, Option<(usize, usize)>)>,
    }
    impl Visitor for Joins<'_> {
        type Break = ();
        fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
            self.set_expr(&q.body);
            ControlFlow::Continue(())
        }
    }
    impl Joins<'_> {
        fn set_expr(&mut self, body: &SetExpr) {
            match body {
                SetExpr::Select(s) => s.from.iter().for_each(|t| self.table(t)),
                SetExpr::SetOperation { left, right, .. } => {
                    self.set_expr(left);
                    self.set_expr(right);
                }
                _ => {}
            }
        }
        fn table(&mut self, t: &TableWithJoins) {
            for j in &t.joins {
                let Some(start) = self.spans.range(j.relation.span()).map(|r| r.start) else { continue };
                let inequalities = match &j.join_operator {
                    JoinOperator::Join(JoinConstraint::On(e))
                    | JoinOperator::Inner(JoinConstraint::On(e))
                    | JoinOperator::Left(JoinConstraint::On(e))
                    | JoinOperator::LeftOuter(JoinConstraint::On(e))
                    | JoinOperator::Right(JoinConstraint::On(e))
                    | JoinOperator::RightOuter(JoinConstraint::On(e))
                    | JoinOperator::FullOuter(JoinConstraint::On(e)) => Some(inequalities(e)),
                    _ => None,
                };
                self.found.push((start, inequalities));
            }
        }
    }
    /// The inequalities among the AND-ed conditions: all of them, and those comparing one
    /// table's qualified columns with another's (DuckDB pushes the others down as filters).
    fn inequalities(e: &Expr) -> (usize, usize) {
        match e {
            Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
                let (a, b) = (inequalities(left), inequalities(right));
                (a.0 + b.0, a.1 + b.1)
            }
            Expr::Nested(inner) => inequalities(inner),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Gt | BinaryOperator::GtEq | BinaryOperator::Lt | BinaryOperator::LtEq,
                right,
            } => {
                let (l, r) = (qualifiers(left), qualifiers(right));
                let across = !l.is_empty() && !r.is_empty() && l.iter().all(|q| !r.contains(q));
                (1, usize::from(across))
            }
            _ => (0, 0),
        }
    }
    /// The table qualifiers an expression's column references use, or empty when any column is
    /// unqualified (its table is not known here).
    fn qualifiers(e: &Expr) -> Vec<String> {
        struct Q(Vec<String>, bool);
        impl Visitor for Q {
            type Break = ();
            fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
                match e {
                    Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                        self.0.push(parts[parts.len() - 2].value.to_lowercase());
                    }
                    Expr::Identifier(_) => self.1 = true,
                    _ => {}
                }
                ControlFlow::Continue(())
            }
        }
        let mut q = Q(Vec::new(), false);
        let _ = e.visit(&mut q);
        if q.1 {
            Vec::new()
        } else {
            q.0
        }
    }
    let mut joins = Joins { spans, found: Vec::new() };
    let _ = query.visit(&mut joins);
    joins.found.sort_by_key(|(start, _)| *start);
    asof.iter()
        .filter_map(|keyword| {
            let (_, count) = joins.found.iter().find(|(start, _)| *start > keyword.start)?;
            let problem = match (*count)? {
                (0, _) => "an ASOF JOIN needs one inequality (>=, >, <=, <) in its ON condition",
                (_, across) if across > 1 => "an ASOF JOIN takes only one inequality between its tables",
                _ => return None,
            };
            Some(
                Diagnostic::new(Code::E001ParseError, path, *keyword, problem)
                    .with_hint("match the other columns with =; the inequality picks the nearest row"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_asof_and_positional_joins_in_place() {
        let text = |sql: &str| rewrite_joins(sql).map(|(text, _)| text);
        assert_eq!(
            text("SELECT * FROM a ASOF LEFT JOIN b ON a.t >= b.t").as_deref(),
            Some("SELECT * FROM a      LEFT JOIN b ON a.t >= b.t")
        );
        assert_eq!(text("FROM a asof join b using (k, t)").as_deref(), Some("FROM a      join b using (k, t)"));
        assert_eq!(text("FROM a POSITIONAL JOIN b").as_deref(), Some("FROM a CROSS      JOIN b"));
        // A column or string named asof is left alone.
        assert_eq!(text("SELECT asof, 'asof join' FROM t"), None);
    }
}
