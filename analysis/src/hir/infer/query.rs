//! Queries: WITH, set operations, VALUES, ORDER BY and LIMIT.

use sqlparser::ast::{
    Cte, Expr, LimitClause, OrderByKind, Query, SelectItem, SetExpr, SetOperator, SetQuantifier, Values,
};

use super::resolution::{BindingTarget, ColumnDef, CteBinding};
use super::scope::{merge_lineage, Typed};
use super::walker::{Clause, Infer, OutCol, QueryResult};
use crate::diagnostics::{Code, TextRange};
use crate::hir::LineageTable;
use crate::types::Type;

/// Deeper nesting than this is reported instead of walked (stack safety on hostile input).
const MAX_DEPTH: usize = 64;

impl Infer<'_> {
    /// Infers a query's output columns. Outer scopes stay visible (correlated subqueries).
    pub fn query(&mut self, query: &Query) -> QueryResult {
        self.query_in(query, false)
    }

    /// `query`; as a set operation's parenthesized branch (`branch`), a set operation it holds
    /// without ORDER BY or LIMIT keeps its branches visible to the enclosing ORDER BY (DuckDB
    /// binds that in every branch, however nested).
    #[recursive::recursive]
    fn query_in(&mut self, query: &Query, branch: bool) -> QueryResult {
        if self.depth >= MAX_DEPTH {
            let r = self.range(query);
            self.report(Code::E001ParseError, r, "query nesting is too deep to analyse").hint =
                Some("split the query into several models or CTEs".into());
            return QueryResult { columns: Vec::new(), open: true };
        }
        self.depth += 1;
        let cte_mark = self.ctes.len();
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                let name_range = self.spans.range(cte.alias.name.span).unwrap_or_default();
                // The closing parenthesis is one byte; its span may be empty.
                let end =
                    self.spans.range(cte.closing_paren_token.0.span).map(|r| r.start + 1).unwrap_or(name_range.end);
                let index = self.res.ctes.len();
                self.res.ctes.push(CteBinding {
                    name: cte.alias.name.value.clone(),
                    name_range,
                    range: TextRange::new(name_range.start, end),
                    columns: Vec::new(),
                });
                let result = self.cte_definition(cte, with.recursive, index);
                self.res.ctes[index].columns = result
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), self.dialect.materialize(&c.value.ty), c.value.nullable))
                    .collect();
                let name = self.ident_name(&cte.alias.name);
                self.ctes.push((name, result, Some(index)));
            }
        }
        let result = match query.body.as_ref() {
            SetExpr::Select(select) => self.select(select, query.order_by.as_ref()),
            body => {
                let mark = self.set_branches.len();
                let result = self.set_expr(body);
                let branches = self.set_branches.split_off(mark);
                if let Some(order_by) = &query.order_by {
                    self.order_by_outputs(&result, &order_by.kind, &branches);
                } else if branch && query.limit_clause.is_none() {
                    self.set_branches.extend(branches);
                }
                result
            }
        };
        self.limit(query.limit_clause.as_ref());
        self.ctes.truncate(cte_mark);
        self.depth -= 1;
        result
    }

    fn cte_definition(&mut self, cte: &Cte, recursive: bool, index: usize) -> QueryResult {
        let name = self.ident_name(&cte.alias.name);
        let mut result = match (recursive, cte.query.body.as_ref()) {
            // Only a UNION recurses (DuckDB, PostgreSQL): under INTERSECT / EXCEPT the CTE cannot
            // read itself.
            (true, SetExpr::SetOperation { left, op: SetOperator::Union, .. }) => {
                // A recursive CTE's type comes from its non-recursive part; bind that first so
                // the recursive part can read the CTE.
                // The full walk below records the base part again, at the same indices.
                let (mark, res_mark, selects) = (self.diagnostics.len(), self.res.mark(), self.selects);
                let base = self.set_expr(left);
                self.diagnostics.truncate(mark);
                self.res.truncate(res_mark);
                self.selects = selects;
                self.ctes.push((
                    name.clone(),
                    with_aliases(self.dialect, base.clone(), &cte.alias.columns),
                    Some(index),
                ));
                let mut full = self.query(&cte.query);
                self.ctes.pop();
                // DuckDB casts the recursive part to the base part's types.
                if self.dialect == crate::dialect::Dialect::DuckDb && full.columns.len() == base.columns.len() {
                    for (c, b) in full.columns.iter_mut().zip(&base.columns) {
                        c.value.ty = b.value.ty.clone();
                    }
                }
                full
            }
            _ => self.query(&cte.query),
        };
        result = with_aliases(self.dialect, result, &cte.alias.columns);
        result
    }

    #[recursive::recursive]
    pub fn set_expr(&mut self, body: &SetExpr) -> QueryResult {
        match body {
            SetExpr::Select(select) => self.select(select, None),
            SetExpr::Query(q) => self.query(q),
            SetExpr::Values(values) => self.values(values),
            SetExpr::SetOperation { left, op, set_quantifier, right } => {
                let side = |infer: &mut Self, side: &SetExpr| match side {
                    SetExpr::Query(q) => infer.query_in(q, true),
                    other => infer.set_expr(other),
                };
                let by_name = matches!(
                    set_quantifier,
                    SetQuantifier::ByName | SetQuantifier::AllByName | SetQuantifier::DistinctByName
                );
                let l = side(self, left);
                self.note_set_branch(left, &l, by_name);
                let r = side(self, right);
                self.note_set_branch(right, &r, by_name);
                if by_name {
                    self.union_by_name(l, r)
                } else {
                    self.set_operation(l, r, *op, right)
                }
            }
            SetExpr::Table(t) => {
                let parts: Vec<String> =
                    t.schema_name.iter().chain(&t.table_name).map(|i| i.value.to_lowercase()).collect();
                let range = self.range(body);
                // `TABLE cte` reads the CTE like `SELECT * FROM cte`.
                if let [name] = parts.as_slice() {
                    if let Some((_, cte, _)) = self.cte(name) {
                        return cte.clone();
                    }
                }
                let mut rel = self.table_relation(&parts, range);
                let target = match &rel.origin {
                    Some(LineageTable::Model(m)) => BindingTarget::Model(m.clone()),
                    Some(LineageTable::Source(k)) => BindingTarget::Source(k.clone()),
                    None => BindingTarget::Unknown,
                };
                let name_range = match (t.schema_name.as_ref(), t.table_name.as_ref()) {
                    (Some(first), Some(last)) => {
                        Some(TextRange::new(first_range(self, first).start, first_range(self, last).end))
                    }
                    (None, Some(last)) => Some(first_range(self, last)),
                    _ => None,
                };
                self.bind(&mut rel, name_range, target, None);
                let columns = rel
                    .columns
                    .into_iter()
                    .filter(|c| !c.hidden)
                    .map(|c| OutCol { name: c.name, value: c.value, range, def: c.def })
                    .collect();
                QueryResult { columns, open: rel.open }
            }
            _ => QueryResult { columns: Vec::new(), open: true },
        }
    }

    fn set_operation(&mut self, l: QueryResult, r: QueryResult, op: SetOperator, right: &SetExpr) -> QueryResult {
        let open = l.open || r.open;
        if !open && l.columns.len() != r.columns.len() {
            let range = self.range(right);
            self.report(
                Code::E204SetOperationMismatch,
                range,
                format!(
                    "{} needs the same number of columns on both sides: the left has {}, the right has {}",
                    set_op_name(op),
                    l.columns.len(),
                    r.columns.len()
                ),
            )
            .hint = Some("add or remove select items so both sides match, or use UNION BY NAME".into());
            return QueryResult { columns: l.columns, open: true };
        }
        let mut columns = Vec::with_capacity(l.columns.len());
        for (i, lc) in l.columns.into_iter().enumerate() {
            let Some(rc) = r.columns.get(i) else {
                columns.push(lc);
                continue;
            };
            // Set operations never fail to bind in DuckDB (it picks a winning type); PostgreSQL
            // refuses types of different categories.
            let ty = match self.dialect.union_type(&lc.value.ty, &rc.value.ty) {
                Some(t) => t,
                None => {
                    let (lt, rt) = (self.show(&lc.value.ty), self.show(&rc.value.ty));
                    self.report(
                        Code::E204SetOperationMismatch,
                        rc.range,
                        format!("{} types {lt} and {rt} cannot be matched", set_op_name(op)),
                    )
                    .hint = Some("CAST one side so both columns have the same type".into());
                    Type::Unknown
                }
            };
            let mut value = Typed::new(ty, lc.value.nullable || rc.value.nullable);
            value.absorb(&lc.value);
            value.absorb(&rc.value);
            columns.push(OutCol { name: lc.name, value, range: lc.range, def: lc.def });
        }
        QueryResult { columns, open }
    }

    fn union_by_name(&mut self, l: QueryResult, r: QueryResult) -> QueryResult {
        // Columns are matched by name, so a branch may not name two the same.
        for side in [&l, &r] {
            let twice = side
                .columns
                .iter()
                .enumerate()
                .find(|(i, c)| side.columns[..*i].iter().any(|p| p.name.eq_ignore_ascii_case(&c.name)));
            if let Some((_, c)) = twice {
                let (range, name) = (c.range, c.name.clone());
                self.report(
                    Code::E204SetOperationMismatch,
                    range,
                    format!("UNION BY NAME matches columns by name, and `{name}` is selected twice"),
                )
                .hint = Some("give the second one another alias".into());
            }
        }
        let mut columns: Vec<OutCol> = l
            .columns
            .into_iter()
            .map(|mut c| {
                if !r.columns.iter().any(|rc| rc.name.eq_ignore_ascii_case(&c.name)) {
                    c.value.nullable = true;
                }
                c
            })
            .collect();
        for rc in r.columns {
            match columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&rc.name)) {
                Some(c) => {
                    c.value.ty = self.dialect.union_type(&c.value.ty, &rc.value.ty).unwrap_or(Type::Unknown);
                    c.value.nullable |= rc.value.nullable;
                    let v = rc.value.clone();
                    c.value.absorb(&v);
                }
                None => {
                    let mut v = rc.value;
                    v.nullable = true;
                    columns.push(OutCol { name: rc.name, value: v, range: rc.range, def: rc.def });
                }
            }
        }
        QueryResult { columns, open: l.open || r.open }
    }

    fn values(&mut self, values: &Values) -> QueryResult {
        let mut columns: Vec<OutCol> = Vec::new();
        for row in &values.rows {
            for (i, e) in row.iter().enumerate() {
                let v = self.expr(e);
                match columns.get_mut(i) {
                    Some(c) => {
                        match self.dialect.common_type(&c.value.ty, &v.ty) {
                            Some(t) => c.value.ty = t,
                            None => {
                                let range = self.expr_range(e);
                                self.report(
                                    Code::E203BranchTypeMismatch,
                                    range,
                                    format!(
                                        "VALUES column {} mixes {} and {}",
                                        i + 1,
                                        self.show(&c.value.ty),
                                        self.show(&v.ty)
                                    ),
                                )
                                .hint = Some("CAST the values so every row has the same type".into());
                            }
                        }
                        c.value.nullable |= v.nullable;
                    }
                    None => columns.push(OutCol {
                        name: match self.dialect {
                            crate::dialect::Dialect::DuckDb => format!("col{i}"),
                            crate::dialect::Dialect::Postgres => format!("column{}", i + 1),
                            crate::dialect::Dialect::Spark => format!("col{}", i + 1),
                        },
                        value: v,
                        range: self.expr_range(e),
                        def: ColumnDef::Unknown,
                    }),
                }
            }
        }
        for c in &mut columns {
            c.value.ty = self.dialect.materialize(&c.value.ty);
        }
        QueryResult { columns, open: false }
    }

    /// Records a set operation's branch (not itself a set operation) for its ORDER BY.
    fn note_set_branch(&mut self, branch: &SetExpr, result: &QueryResult, by_name: bool) {
        let exprs: Vec<Option<Expr>> = match branch {
            SetExpr::SetOperation { .. } => return,
            SetExpr::Select(s) if s.projection.len() == result.columns.len() => s
                .projection
                .iter()
                .map(|i| match i {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e.clone()),
                    _ => None,
                })
                .collect(),
            _ => vec![None; result.columns.len()],
        };
        let names = result.columns.iter().map(|c| c.name.clone());
        self.set_branches.push(SetBranch { columns: names.zip(exprs).collect(), by_name });
    }

    /// ORDER BY over a set operation: ordinals, output names, and (DuckDB) what any branch
    /// selects — a branch's column name or alias, or one of its select expressions, qualified
    /// or not (`SELECT a FROM t UNION SELECT b FROM u ORDER BY u.b`).
    fn order_by_outputs(&mut self, result: &QueryResult, kind: &OrderByKind, branches: &[SetBranch]) {
        let OrderByKind::Expressions(items) = kind else {
            return;
        };
        let mut rest = Vec::new();
        for item in items {
            let term = match &item.expr {
                Expr::Collate { expr, .. } => expr.as_ref(),
                other => other,
            };
            let positions = match (term, self.dialect) {
                (Expr::Value(_), _) | (_, crate::dialect::Dialect::Postgres | crate::dialect::Dialect::Spark) => {
                    Vec::new()
                }
                (e, crate::dialect::Dialect::DuckDb) => branch_positions(e, branches, result),
            };
            match positions.as_slice() {
                // DuckDB orders a set operation by output columns only: an expression no
                // branch selects cannot be computed.
                [] if self.dialect == crate::dialect::Dialect::DuckDb
                    && !result.open
                    && !matches!(term, Expr::Value(_) | Expr::Identifier(_) | Expr::CompoundIdentifier(_)) =>
                {
                    let r = self.expr_range(&item.expr);
                    self.report(
                        Code::E102UnknownColumn,
                        r,
                        "a set operation can only be ordered by what its branches select".to_string(),
                    )
                    .hint = Some("add the expression to every branch, or order the set operation in a subquery".into());
                }
                [] => rest.push(item),
                [_] => {}
                _ => {
                    let r = self.expr_range(&item.expr);
                    self.report(
                        Code::E103AmbiguousColumn,
                        r,
                        "this ORDER BY term is selected at different positions by the branches of the set operation"
                            .to_string(),
                    )
                    .hint = Some("order by the output column's name or position".into());
                }
            }
        }
        let items = rest;
        let saved = std::mem::take(&mut self.aliases);
        self.aliases = result
            .columns
            .iter()
            .map(|c| {
                let item = match c.def {
                    ColumnDef::Item(i) => Some(i),
                    _ => None,
                };
                (c.name.clone(), c.value.clone(), Expr::Identifier(c.name.as_str().into()), item)
            })
            .collect();
        let scopes = std::mem::take(&mut self.scopes);
        let clause = std::mem::replace(&mut self.clause, Clause::OrderBy);
        for item in items {
            if self.non_integer_order_constant(&item.expr) {
                continue;
            }
            if self.ordinal(&item.expr, result.columns.len(), result.open).is_none() && !result.open {
                self.expr(&item.expr);
            }
        }
        self.clause = clause;
        self.scopes = scopes;
        self.aliases = saved;
    }

    /// DuckDB and PostgreSQL read a constant ORDER BY term as a position: one that is not an
    /// integer (a string, a decimal, NULL) orders nothing, and both refuse it. True when reported.
    pub fn non_integer_order_constant(&mut self, expr: &Expr) -> bool {
        use sqlparser::ast::Value;
        if self.dialect == crate::dialect::Dialect::Spark {
            return false;
        }
        // DuckDB folds `-1` to a constant position too, which no select list has.
        if let (
            Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Minus, expr: inner },
            crate::dialect::Dialect::DuckDb,
        ) = (expr, self.dialect)
        {
            if matches!(inner.as_ref(), Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n.parse::<u64>().is_ok()))
            {
                let range = self.expr_range(expr);
                self.report(Code::E303OrdinalOutOfRange, range, format!("position {expr} is out of range")).hint =
                    Some("use a select-list position from 1, or name the column".to_string());
                return true;
            }
        }
        let Expr::Value(v) = expr else { return false };
        let constant = match &v.value {
            Value::Number(n, _) => n.parse::<i64>().is_err(),
            Value::Null | Value::SingleQuotedString(_) | Value::DoubleQuotedString(_) => true,
            _ => false,
        };
        if constant {
            let range = self.expr_range(expr);
            self.report(
                Code::E303OrdinalOutOfRange,
                range,
                "ORDER BY a constant that is not a position orders nothing",
            )
            .hint = Some("order by a column, an expression, or a select-list position (1, 2, …)".to_string());
        }
        constant
    }

    /// If `expr` is an integer literal, checks it is a valid 1-based ordinal and returns it.
    pub fn ordinal(&mut self, expr: &Expr, count: usize, open: bool) -> Option<usize> {
        let Expr::Value(v) = expr else { return None };
        let sqlparser::ast::Value::Number(n, _) = &v.value else {
            return None;
        };
        let n: i64 = n.parse().ok()?;
        // Past the known items of an open select list (`SELECT * FROM t PIVOT …`) it may exist.
        if n < 1 || (n as usize > count && !open) {
            let range = self.expr_range(expr);
            self.report(
                Code::E303OrdinalOutOfRange,
                range,
                format!("position {n} is out of range: the select list has {count} item(s)"),
            )
            .hint = Some(format!("use a number from 1 to {count}, or name the column"));
            return Some(0);
        }
        Some(n as usize)
    }

    fn limit(&mut self, limit: Option<&LimitClause>) {
        let Some(limit) = limit else { return };
        let scopes = std::mem::take(&mut self.scopes);
        match limit {
            LimitClause::LimitOffset { limit, offset, limit_by, .. } => {
                if let Some(l) = limit {
                    self.expr(l);
                    // DuckDB binds LIMIT outside any aggregation: `LIMIT sum(1) %` is a binder error.
                    if self.has_aggregate(l) {
                        let range = self.expr_range(l);
                        self.report(
                            Code::E302MisplacedAggregate,
                            range,
                            "aggregate functions are not allowed in LIMIT",
                        );
                    }
                }
                if let Some(o) = offset {
                    self.expr(&o.value);
                }
                for e in limit.iter().chain(offset.as_ref().map(|o| &o.value)) {
                    self.check_not_negative(e);
                }
                for e in limit_by {
                    self.expr(e);
                }
            }
            LimitClause::OffsetCommaLimit { offset, limit } => {
                self.expr(offset);
                self.expr(limit);
                self.check_not_negative(offset);
                self.check_not_negative(limit);
            }
        }
        self.scopes = scopes;
    }

    /// A negative constant LIMIT or OFFSET: DuckDB's binder and Spark's analyzer refuse it,
    /// PostgreSQL when the query runs.
    fn check_not_negative(&mut self, e: &Expr) {
        if super::constants::literal_number(e).is_some_and(|n| n < 0.0) {
            let range = self.expr_range(e);
            self.report(Code::E304NegativeLimit, range, "LIMIT and OFFSET cannot be negative").hint =
                Some("use 0 or a positive number; leave the clause out to keep every row".into());
        }
    }
}

/// Applies `name(a, b)` column aliases of a CTE or derived table.
pub fn with_aliases(
    dialect: crate::dialect::Dialect,
    mut result: QueryResult,
    aliases: &[sqlparser::ast::TableAliasColumnDef],
) -> QueryResult {
    for (c, a) in result.columns.iter_mut().zip(aliases) {
        c.name = super::walker::ident_name(dialect, &a.name);
    }
    // PostgreSQL keeps repeated names in a derived table (referencing one is then ambiguous).
    if dialect == crate::dialect::Dialect::DuckDb {
        dedup_names(&mut result.columns);
    }
    result
}

/// Renames repeated column names (case-insensitively) to `name_1`, `name_2`, … as DuckDB does for
/// derived tables and CREATE TABLE AS. Returns `(index, new name)` of each renamed column.
pub fn dedup_names(columns: &mut [OutCol]) -> Vec<(usize, String)> {
    dedup_names_in(crate::dialect::Dialect::DuckDb, columns)
}

/// [`dedup_names`] by the warehouse's notion of "the same name": PostgreSQL's names are exact
/// (`id` and `"Id"` are two columns), DuckDB's are case-insensitive.
pub fn dedup_names_in(dialect: crate::dialect::Dialect, columns: &mut [OutCol]) -> Vec<(usize, String)> {
    let key = |name: &str| match dialect {
        crate::dialect::Dialect::DuckDb | crate::dialect::Dialect::Spark => name.to_lowercase(),
        crate::dialect::Dialect::Postgres => name.to_string(),
    };
    let mut used: Vec<String> = Vec::with_capacity(columns.len());
    let mut renamed = Vec::new();
    for (i, c) in columns.iter_mut().enumerate() {
        let mut candidate = c.name.clone();
        let mut k = 1;
        while used.contains(&key(&candidate)) {
            candidate = format!("{}_{k}", c.name);
            k += 1;
        }
        if candidate != c.name {
            c.name = candidate.clone();
            renamed.push((i, candidate.clone()));
        }
        used.push(key(&candidate));
    }
    renamed
}

/// The byte range of one identifier (empty when sqlparser has no span for it).
fn first_range(infer: &Infer<'_>, ident: &sqlparser::ast::Ident) -> TextRange {
    infer.spans.range(ident.span).unwrap_or_default()
}

fn set_op_name(op: SetOperator) -> &'static str {
    match op {
        SetOperator::Union => "UNION",
        SetOperator::Except => "EXCEPT",
        SetOperator::Intersect => "INTERSECT",
        SetOperator::Minus => "MINUS",
    }
}

/// Lineage-preserving merge used by set operations (kept here for reuse by USING joins).
pub fn merged(a: &Typed, b: &Typed, ty: Type) -> Typed {
    let mut v = Typed::new(ty, a.nullable || b.nullable);
    for l in a.lineage.iter().chain(&b.lineage) {
        merge_lineage(&mut v.lineage, l.clone());
    }
    v
}

/// One branch of a set operation as its ORDER BY sees it: output names with the select-list
/// expressions when known, and whether the operation matches columns by name.
pub struct SetBranch {
    pub columns: Vec<(String, Option<Expr>)>,
    pub by_name: bool,
}

/// The output positions a set operation's ORDER BY expression names through what the
/// branches select. DuckDB binds it in each branch: an output name first; else a select
/// expression spelled the same; else one equal once qualifiers are dropped. More than one
/// position is ambiguous.
fn branch_positions(e: &Expr, branches: &[SetBranch], result: &QueryResult) -> Vec<usize> {
    if let Expr::Identifier(id) = e {
        if let Some(i) = result.columns.iter().position(|c| c.name.eq_ignore_ascii_case(&id.value)) {
            return vec![i];
        }
    }
    let unqualified = |e: &Expr| -> String {
        let mut e = e.clone();
        let _ = sqlparser::ast::visit_expressions_mut(&mut e, |x| {
            if let Expr::CompoundIdentifier(parts) = x {
                if let Some(last) = parts.last().cloned() {
                    *x = Expr::Identifier(last);
                }
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        e.to_string().to_lowercase()
    };
    let exact = e.to_string().to_lowercase();
    let loose = unqualified(e);
    let name = match e {
        Expr::Identifier(id) => Some(&id.value),
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| &p.value),
        _ => None,
    };
    let find = |same: &dyn Fn(&str, Option<&Expr>) -> bool| -> Vec<usize> {
        let mut positions = Vec::new();
        for b in branches {
            for (i, (col, expr)) in b.columns.iter().enumerate() {
                if !same(col, expr.as_ref()) {
                    continue;
                }
                let at = if b.by_name {
                    result.columns.iter().position(|c| c.name.eq_ignore_ascii_case(col))
                } else {
                    Some(i)
                };
                if let Some(at) = at.filter(|p| !positions.contains(p)) {
                    positions.push(at);
                }
            }
        }
        positions
    };
    let spelled = find(&|_, x| x.is_some_and(|x| x.to_string().to_lowercase() == exact));
    if !spelled.is_empty() {
        return spelled;
    }
    // A plain name is any branch's output name (an alias of a later branch included); a
    // qualified one names a branch column only through what the branch selects.
    find(&|col, x| {
        x.is_some_and(|x| unqualified(x) == loose)
            || ((x.is_none() || matches!(e, Expr::Identifier(_)))
                && matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                && name.is_some_and(|n| n.eq_ignore_ascii_case(col)))
    })
}
