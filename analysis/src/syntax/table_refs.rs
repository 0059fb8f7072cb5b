//! The tables a query reads, found on the syntax tree alone (CTE names shadow models and
//! sources). Lives in `syntax` so the memoized parse can keep just these names instead of the tree.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{ObjectName, Query, TableAlias, TableFactor, Visit, Visitor};

/// Collects table names read by a query, skipping names bound by an enclosing WITH.
pub fn table_references(query: &Query) -> Vec<Vec<String>> {
    let mut found = BTreeSet::new();
    for_each_table_name(query, |name, _| {
        let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.to_lowercase()).collect();
        if !parts.is_empty() {
            found.insert(parts);
        }
    });
    found.into_iter().collect()
}

/// Calls `f` with every plain table name (not a table function) a query reads, and its alias,
/// skipping single-part names bound by an enclosing WITH (CTEs shadow models and sources).
pub fn for_each_table_name(query: &Query, f: impl FnMut(&ObjectName, Option<&TableAlias>)) {
    struct Walker<F> {
        ctes: Vec<Vec<String>>,
        f: F,
    }
    impl<F: FnMut(&ObjectName, Option<&TableAlias>)> Visitor for Walker<F> {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            let names = query
                .with
                .as_ref()
                .map(|w| w.cte_tables.iter().map(|c| c.alias.name.value.to_lowercase()).collect())
                .unwrap_or_default();
            self.ctes.push(names);
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.ctes.pop();
            ControlFlow::Continue(())
        }
        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
            if let TableFactor::Table { name, args: None, alias, .. } = factor {
                let single = match name.0.as_slice() {
                    [only] => only.as_ident().map(|i| i.value.to_lowercase()),
                    _ => None,
                };
                let is_cte = single.is_some_and(|n| self.ctes.iter().any(|s| s.contains(&n)));
                if !is_cte {
                    (self.f)(name, alias.as_ref());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut w = Walker { ctes: Vec::new(), f };
    let _ = query.visit(&mut w);
}
