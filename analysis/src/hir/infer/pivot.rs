//! `PIVOT` / `UNPIVOT` (the statements and the `FROM t PIVOT (…)` forms): their output columns
//! depend on the data, so the result is open, but their expressions are checked against the
//! pivoted table with DuckDB's rules.

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, ExprWithAlias, TableFactor, Visit, Visitor};

use super::scope::Scope;
use super::walker::{Clause, Infer};
use crate::diagnostics::Code;
use crate::dialect::Dialect;

impl Infer<'_> {
    /// `ON` expressions bind like a WHERE clause (no aggregates or windows); each `USING`
    /// expression holds exactly one aggregate and no window.
    pub fn pivot(&mut self, table: &TableFactor, aggregates: &[ExprWithAlias], on: &[Expr]) {
        let inner = self.table_factor(table);
        self.scopes.push(Scope { relations: vec![inner] });
        let clause = std::mem::replace(&mut self.clause, Clause::Where);
        for e in on {
            self.expr(e);
        }
        self.clause = Clause::Other;
        for a in aggregates {
            self.expr(&a.expr);
            let (aggs, windows) = calls(self.dialect, &a.expr);
            let problem = if windows > 0 {
                "a PIVOT expression cannot contain window functions".to_string()
            } else if aggs != 1 {
                format!("a PIVOT expression needs exactly one aggregate; this one has {aggs}")
            } else {
                continue;
            };
            let r = self.expr_range(&a.expr);
            self.report(Code::E302MisplacedAggregate, r, problem);
        }
        self.clause = clause;
        self.scopes.pop();
    }

    /// Each unpivoted entry reads a column and no subquery; every entry has as many values as
    /// the `VALUE` names (one unless a row of names is given).
    pub fn unpivot(&mut self, table: &TableFactor, value: &Expr, columns: &[ExprWithAlias]) {
        let inner = self.table_factor(table);
        self.scopes.push(Scope { relations: vec![inner] });
        let names = width(value);
        for c in columns {
            self.expr(&c.expr);
            let r = self.expr_range(&c.expr);
            let (has_column, has_subquery) = contents(&c.expr);
            if has_subquery {
                self.report(Code::E302MisplacedAggregate, r, "an UNPIVOT entry cannot contain a subquery".to_string());
            } else if !has_column {
                self.report(Code::E102UnknownColumn, r, "an UNPIVOT entry must read a column".to_string());
            } else if width(&c.expr) != names {
                self.report(
                    Code::E204SetOperationMismatch,
                    r,
                    format!("this UNPIVOT entry has {} values; the VALUE names are {names}", width(&c.expr)),
                );
            }
        }
        self.scopes.pop();
    }
}

/// How many values a row expression holds.
fn width(e: &Expr) -> usize {
    match e {
        Expr::Tuple(items) => items.len(),
        Expr::Nested(inner) => width(inner),
        _ => 1,
    }
}

/// Aggregate calls outside windows, and window calls, in an expression.
fn calls(dialect: Dialect, e: &Expr) -> (usize, usize) {
    struct Count(Dialect, usize, usize);
    impl Visitor for Count {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if let Expr::Function(f) = e {
                let name =
                    f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()).unwrap_or_default();
                if f.over.is_some() {
                    self.2 += 1;
                } else if self.0.is_aggregate(&name) || name == "count" {
                    self.1 += 1;
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut c = Count(dialect, 0, 0);
    let _ = e.visit(&mut c);
    (c.1, c.2)
}

/// Whether an expression reads a column (or expands columns), and whether it holds a subquery.
fn contents(e: &Expr) -> (bool, bool) {
    struct Seen(bool, bool);
    impl Visitor for Seen {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            match e {
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Function(_) if is_column_source(e) => {
                    self.0 = true
                }
                Expr::Subquery(_) | Expr::Exists { .. } => self.1 = true,
                _ => {}
            }
            ControlFlow::Continue(())
        }
    }
    fn is_column_source(e: &Expr) -> bool {
        match e {
            Expr::Function(f) => {
                f.name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| i.value.eq_ignore_ascii_case("columns"))
            }
            _ => true,
        }
    }
    let mut s = Seen(false, false);
    let _ = e.visit(&mut s);
    (s.0, s.1)
}
