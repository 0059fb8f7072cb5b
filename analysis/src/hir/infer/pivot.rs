//! `PIVOT` / `UNPIVOT` (the statements and the `FROM t PIVOT (…)` forms): their expressions are
//! checked against the pivoted table with DuckDB's rules; their output columns are known when the
//! table's are and the values are spelled out, else the result is open.

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, ExprWithAlias, Ident, InTarget, PivotValueSource, TableFactor, Visit, Visitor};

use super::pivot_columns::{self, PivotAggregate, PivotShape};
use super::scope::{Column, Scope, Typed};
use super::walker::{Clause, Infer};
use crate::diagnostics::{Code, TextRange};
use crate::dialect::Dialect;
use crate::hir::DerivationKind;
use crate::types::Type;

impl Infer<'_> {
    /// `ON` expressions bind like a WHERE clause (no aggregates or windows); each `USING`
    /// expression holds exactly one aggregate and no window. The result's columns when the
    /// table's are known and every pivot column lists its values (`pivot_columns.rs`).
    pub fn pivot(&mut self, factor: &TableFactor) -> Option<Vec<Column>> {
        let TableFactor::Pivot {
            table,
            aggregate_functions,
            value_column,
            value_source,
            more_value_columns,
            group_by,
            ..
        } = factor
        else {
            return None;
        };
        let inner = self.table_factor(table);
        let known = (!inner.open).then(|| inner.columns.clone());
        self.scopes.push(Scope { relations: vec![inner] });
        let clause = std::mem::replace(&mut self.clause, Clause::Where);
        let on = value_column.iter().chain(more_value_columns.iter().flat_map(|m| &m.value_column)).chain(group_by);
        for e in on {
            match e {
                // `ON col IN (SELECT …)`: the subquery lists the values to pivot on; nothing is
                // compared.
                Expr::In { expr, target: InTarget::Subquery(q), .. } => {
                    self.expr(expr);
                    self.subquery(q);
                }
                _ => {
                    self.expr(e);
                }
            }
        }
        self.clause = Clause::Other;
        let mut aggregates = Vec::new();
        for a in aggregate_functions {
            let value = self.expr(&a.expr);
            let name = super::naming::output_name(&a.expr);
            aggregates.push(PivotAggregate { alias: a.alias.as_ref().map(|i| i.value.clone()), name, value });
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

        // No ON at all: the aggregates per group (no groups but the named ones).
        if value_column.is_empty() && more_value_columns.is_empty() {
            let group_by = identifiers(group_by)?;
            return pivot_columns::unpivoted_columns(&known?, &group_by, aggregates);
        }
        // Each pivot column with its values: `FOR c IN (…)` (clause), `ON c IN (…)` (statement).
        let mut pivots: Vec<(&Expr, Vec<String>)> = Vec::new();
        // `FOR (a, b) IN ((1, 'x'), …)`: one pivot over the tuples, read from every column.
        let mut also_read: &[Expr] = &[];
        match (value_column.as_slice(), value_source) {
            ([column], source) if !matches!(source, PivotValueSource::List(l) if l.is_empty()) => {
                pivots.push((column, self.pivot_values(source)?));
            }
            ([first, rest @ ..], PivotValueSource::List(items)) if !rest.is_empty() && !items.is_empty() => {
                let width = value_column.len();
                if let Some(bad) = items.iter().find(|i| !matches!(&i.expr, Expr::Tuple(t) if t.len() == width)) {
                    let r = self.expr_range(&bad.expr);
                    let got = match &bad.expr {
                        Expr::Tuple(t) => t.len(),
                        _ => 1,
                    };
                    self.report(
                        Code::E204SetOperationMismatch,
                        r,
                        format!("this PIVOT IN entry has {got} values for {width} pivot columns"),
                    )
                    .hint = Some(format!("give each entry {width} values, one per column after FOR"));
                    return None;
                }
                pivots.push((first, pivot_columns::tuple_names(items)?));
                also_read = rest;
            }
            (entries, _) => {
                for e in entries {
                    let Expr::In { expr, target: InTarget::List(list), negated: false, .. } = e else { return None };
                    pivots.push((expr, pivot_columns::in_list_names(list)?));
                }
            }
        }
        for more in more_value_columns {
            let [column] = more.value_column.as_slice() else { return None };
            pivots.push((column, self.pivot_values(&more.value_source)?));
        }
        if pivots.is_empty() {
            return None;
        }
        if aggregates.is_empty() {
            // The statement without USING counts rows.
            let value = Typed::new(Type::BigInt, false);
            aggregates.push(PivotAggregate { alias: None, name: "count_star()".into(), value });
        }
        let mut read = Vec::new();
        for e in pivots.iter().map(|(e, _)| *e).chain(also_read).chain(aggregate_functions.iter().map(|a| &a.expr)) {
            let reads = Reads::of(e);
            if reads.expands {
                return None;
            }
            read.extend(reads.names);
        }
        let group_by = identifiers(group_by)?;
        let input = known?;
        pivot_columns::columns(PivotShape {
            input: &input,
            values: pivots.into_iter().map(|(_, v)| v).collect(),
            aggregates,
            group_by,
            read,
        })
    }

    /// The names a pivot column's values print as: spelled out, or the labels of the ENUM type
    /// `IN mood` names (a type the warehouse's owner created).
    fn pivot_values(&self, source: &PivotValueSource) -> Option<Vec<String>> {
        match source {
            PivotValueSource::Enum(name) => match self.with_user_types(Type::Other(name.to_string().to_uppercase())) {
                Type::Enum(labels) => Some(labels),
                _ => None,
            },
            _ => pivot_columns::value_names(source),
        }
    }

    /// Each unpivoted entry reads a column and no subquery; every entry has as many values as
    /// the `VALUE` names (one unless a row of names is given). When the table's columns are
    /// known, so are the result's: the columns no entry reads, the `NAME` column (VARCHAR),
    /// then each `VALUE` column, of the common type of the entries' values at its position.
    pub fn unpivot(
        &mut self,
        table: &TableFactor,
        name: &Ident,
        value: &Expr,
        columns: &[ExprWithAlias],
    ) -> Option<(Vec<Column>, bool)> {
        let inner = self.table_factor(table);
        let known = (!inner.open).then(|| inner.columns.clone());
        self.scopes.push(Scope { relations: vec![inner] });
        let names = width(value);
        // The values of every entry, by position; None once one is not known.
        let mut values: Option<Vec<(TextRange, Vec<Typed>)>> = Some(Vec::new());
        let mut read: Vec<String> = Vec::new();
        for c in columns {
            let entry = self.unpivot_entry(&c.expr, known.as_deref(), &mut read);
            let r = self.expr_range(&c.expr);
            match (&mut values, entry) {
                (Some(all), Some(entry)) => all.extend(entry.into_iter().map(|v| (r, v))),
                (all, _) => *all = None,
            }
            let reads = Reads::of(&c.expr);
            if reads.subquery {
                self.report(Code::E302MisplacedAggregate, r, "an UNPIVOT entry cannot contain a subquery".to_string());
            } else if !reads.reads_a_column() {
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
        // Without the table's columns or the entries' (`COLUMNS('x.*')`), only the NAME and
        // VALUE columns are known, the latter untyped: the relation stays open.
        let (mut out, values, open) = match (known, values) {
            (Some(known), Some(values)) => {
                let kept =
                    known.into_iter().filter(|c| !c.hidden && !read.iter().any(|r| r.eq_ignore_ascii_case(&c.name)));
                (kept.collect::<Vec<Column>>(), values, false)
            }
            _ => (Vec::new(), Vec::new(), true),
        };
        let column = |name: String, value: Typed| Column::derived(name, value);
        out.push(column(self.ident_name(name), Typed::new(Type::Varchar, false)));
        let value_names: Vec<&Ident> = match value {
            Expr::Tuple(items) => items
                .iter()
                .filter_map(|e| match e {
                    Expr::Identifier(id) => Some(id),
                    _ => None,
                })
                .collect(),
            Expr::Identifier(id) => vec![id],
            _ => return None,
        };
        for (i, id) in value_names.into_iter().enumerate() {
            let mut at = values.iter().filter_map(|(r, entry)| Some((*r, entry.get(i)?)));
            let mut merged = match at.next() {
                Some((_, first)) => first.clone(),
                None if open => Typed::unknown(),
                None => return None,
            };
            for (r, v) in at {
                let Some(ty) = self.dialect.common_type(&merged.ty, &v.ty) else {
                    let (a, b) = (self.show(&merged.ty), self.show(&v.ty));
                    self.report(
                        Code::E203BranchTypeMismatch,
                        r,
                        format!("cannot unpivot columns of types {a} and {b}"),
                    )
                    .hint = Some("cast the entries to one type, e.g. `col::VARCHAR`".into());
                    return None;
                };
                let mut next = Typed::new(ty, true);
                next.absorb(&merged);
                next.absorb(v);
                merged = next;
            }
            out.push(column(self.ident_name(id), merged.derive(DerivationKind::Expression)));
        }
        Some((out, open))
    }

    /// One UNPIVOT entry's values (one per VALUE name), noting the columns it reads.
    fn unpivot_entry(&mut self, e: &Expr, known: Option<&[Column]>, read: &mut Vec<String>) -> Option<Vec<Vec<Typed>>> {
        // `* EXCLUDE (…)` (read as `COLUMNS(* EXCLUDE (…))`), `COLUMNS('col*')`,
        // `COLUMNS(*)::VARCHAR`: one entry per column it selects, when the table's columns are
        // known.
        let reads = Reads::of(e);
        if reads.expands {
            return match (known, self.per_selected_column(e)) {
                (Some(_), Some((columns, false))) => {
                    read.extend(columns.iter().map(|(name, _)| name.clone()));
                    Some(columns.into_iter().map(|(_, v)| vec![v]).collect())
                }
                _ => {
                    self.expr(e);
                    None
                }
            };
        }
        read.extend(reads.names);
        let items: Vec<&Expr> = match e {
            Expr::Tuple(items) => items.iter().collect(),
            Expr::Nested(inner) => return self.unpivot_entry(inner, known, read),
            one => vec![one],
        };
        let entry: Vec<Typed> = items.into_iter().map(|item| self.expr(item)).collect();
        Some(vec![entry])
    }
}

/// The names of `GROUP BY` entries that are plain column names (None if any is not).
fn identifiers(group_by: &[Expr]) -> Option<Vec<String>> {
    group_by
        .iter()
        .map(|e| match e {
            Expr::Identifier(id) => Some(id.value.clone()),
            _ => None,
        })
        .collect()
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

/// What an expression reads: the columns it names (the last part of each name), whether it
/// expands columns (`COLUMNS(…)`), and whether it holds a subquery.
struct Reads {
    names: Vec<String>,
    expands: bool,
    subquery: bool,
}

impl Reads {
    fn of(e: &Expr) -> Reads {
        let mut r = Reads { names: Vec::new(), expands: false, subquery: false };
        let _ = e.visit(&mut r);
        r
    }

    fn reads_a_column(&self) -> bool {
        self.expands || !self.names.is_empty()
    }
}

impl Visitor for Reads {
    type Break = ();
    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        match e {
            Expr::Identifier(id) => self.names.push(id.value.clone()),
            Expr::CompoundIdentifier(ids) => self.names.extend(ids.last().map(|i| i.value.clone())),
            Expr::Function(f)
                if f.name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| i.value.eq_ignore_ascii_case("columns")) =>
            {
                self.expands = true
            }
            Expr::Subquery(_) | Expr::Exists { .. } => self.subquery = true,
            _ => {}
        }
        ControlFlow::Continue(())
    }
}
