//! DuckDB binds a derived table in FROM laterally: it may read the FROM items before it, which
//! makes the join a LATERAL one. DuckDB refuses an aggregate over only such columns (it would
//! aggregate the outer rows) and a LATERAL reference on the right of a RIGHT or FULL join.

use sqlparser::ast::{Expr, JoinOperator, TableFactor};

use super::walker::Infer;
use crate::diagnostics::Code;

/// A FROM scope a derived table being typed can read, and whether it did.
#[derive(Clone, Copy, Debug)]
pub struct Lateral {
    scope: usize,
    referenced: bool,
}

impl Infer<'_> {
    /// Types a derived table (`f`) with the current FROM scope marked as readable; returns its
    /// result and whether it read that scope.
    pub fn lateral<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (T, bool) {
        let scope = self.scopes.len().saturating_sub(1);
        self.laterals.push(Lateral { scope, referenced: false });
        let result = f(self);
        let referenced = self.laterals.pop().is_some_and(|l| l.referenced);
        (result, referenced)
    }

    /// A column was found in `self.scopes[index]`, an enclosing scope.
    pub fn note_scope_reference(&mut self, index: usize) {
        if let Some(l) = self.laterals.iter_mut().rev().find(|l| l.scope == index) {
            l.referenced = true;
        }
    }

    /// `FROM t, (SELECT sum(t.x))`: an aggregate whose columns all come from the FROM items
    /// before the derived table it stands in.
    pub fn refuse_lateral_aggregate(&mut self, e: &Expr, scopes: &[usize]) {
        let lateral = scopes.iter().any(|s| self.laterals.iter().any(|l| l.scope == *s));
        if !lateral || self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        let range = self.expr_range(e);
        self.report(
            Code::E302MisplacedAggregate,
            range,
            "an aggregate in a derived table cannot read only the FROM items before it (a LATERAL join)",
        )
        .hint = Some("aggregate in the outer query, or join the table inside the subquery".into());
    }

    /// `a RIGHT JOIN (SELECT a.x …)`: DuckDB joins a LATERAL reference only as INNER or LEFT.
    pub fn refuse_lateral_join(&mut self, op: &JoinOperator, right: &TableFactor) {
        let outer = matches!(op, JoinOperator::Right(_) | JoinOperator::RightOuter(_) | JoinOperator::FullOuter(_));
        if !outer || self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        let range = match right {
            TableFactor::Derived { subquery, .. } => self.enclose(self.range(subquery.as_ref()), '('),
            other => self.range(other),
        };
        self.report(
            Code::E305LateralJoinType,
            range,
            "a subquery that reads the tables before it (a LATERAL join) can only be joined INNER or LEFT",
        )
        .hint = Some("use JOIN or LEFT JOIN, or move the reference into the ON condition".into());
    }
}
