//! DuckDB's positional column reference `#n`: the n-th column of the SELECT's FROM clause (the
//! columns `*` would list, in order). The parser keeps it as the placeholder `#n`
//! (`syntax::dialect`). In a set operation's ORDER BY it numbers the output columns instead,
//! and in a lambda body the analysis does not follow it: Unknown there, never an error.

use sqlparser::ast::{Expr, Value};

use super::scope::Typed;
use super::walker::{Clause, Infer};
use crate::diagnostics::Code;

/// The column number of a `#n` reference, if `v` is one.
pub fn position(v: &Value) -> Option<usize> {
    match v {
        Value::Placeholder(p) => p.strip_prefix('#')?.parse().ok(),
        _ => None,
    }
}

impl Infer<'_> {
    /// Types `#n` as the n-th visible column of the innermost FROM clause.
    pub fn positional_ref(&mut self, e: &Expr, n: usize) -> Typed {
        if self.in_lambda || self.clause == Clause::OrderBy {
            return Typed::unknown();
        }
        let Some(scope) = self.scopes.last() else { return Typed::unknown() };
        let mut seen = 0;
        for rel in &scope.relations {
            if rel.open {
                return Typed::unknown();
            }
            for col in rel.columns.iter().filter(|c| !c.hidden) {
                seen += 1;
                if seen == n {
                    return col.value.clone();
                }
            }
        }
        let range = self.expr_range(e);
        self.report(
            Code::E102UnknownColumn,
            range,
            format!("there is no column #{n}: the FROM clause has {seen} column{}", if seen == 1 { "" } else { "s" }),
        );
        Typed::unknown()
    }

    /// The name DuckDB gives an unaliased `#n` select item: the column's own.
    pub fn positional_name(&self, n: usize) -> Option<String> {
        let scope = self.scopes.last()?;
        let mut visible = Vec::new();
        for rel in &scope.relations {
            if rel.open {
                return None;
            }
            visible.extend(rel.columns.iter().filter(|c| !c.hidden));
        }
        visible.get(n.checked_sub(1)?).map(|c| c.name.clone())
    }
}
