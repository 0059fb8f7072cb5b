//! SELECT: FROM and joins, the select list (stars, aliases), GROUP BY, WHERE, HAVING, QUALIFY,
//! ORDER BY.

use sqlparser::ast::{
    Expr, GroupByExpr, JoinConstraint, JoinOperator, ObjectName, OrderBy, OrderByKind, Select, SelectItem,
    SelectItemQualifiedWildcardKind, TableAlias, TableFactor, TableWithJoins, WildcardAdditionalOptions,
};

use super::naming::output_name_with_windows;
use super::query::{merged, with_aliases};
use super::resolution::{BindingTarget, ColumnDef, ItemDef, StarDef, TableBinding};
use super::scope::{ambiguous_qualifier, ambiguous_star, did_you_mean, lookup, Column, Lookup, Relation, Scope, Typed};
use super::walker::{Clause, Grouping, Infer, OutCol, QueryResult};
use crate::diagnostics::{Code, TextRange};
use crate::hir::{
    lookup_source, lookup_stale_source, model_index, model_schema, model_settings, resolve_table, source_keys,
    stale_source_message, LineageTable, TableTarget,
};
use crate::types::Type;

impl Infer<'_> {
    #[recursive::recursive]
    pub fn select(&mut self, select: &Select, order_by: Option<&OrderBy>) -> QueryResult {
        self.scopes.push(Scope::default());
        for twj in &select.from {
            self.table_with_joins(twj);
        }
        for view in &select.lateral_views {
            self.lateral_view(view);
        }
        let saved_aliases = std::mem::take(&mut self.aliases);
        let saved_grouping = self.grouping.take();
        // HAVING groups the query even without an aggregate (both warehouses then require every
        // selected column to be grouped).
        let is_aggregate = match &select.group_by {
            GroupByExpr::All(_) => true,
            GroupByExpr::Expressions(e, _) => !e.is_empty(),
        } || select.projection.iter().any(|i| match i {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => self.has_aggregate(e),
            _ => false,
        }) || select.having.is_some();
        if is_aggregate {
            self.grouping = Some(self.group_keys(select));
        }

        let clause = std::mem::replace(&mut self.clause, Clause::Select);
        let result = self.projection(select);
        // Select aliases are visible to WHERE, GROUP BY, HAVING, QUALIFY and ORDER BY (DuckDB).
        let grouping = self.grouping.take();
        if let Some(selection) = &select.selection {
            self.clause = Clause::Where;
            let v = self.expr(selection);
            self.require_boolean(selection, &v, "WHERE");
            self.note_keys(&v);
        }
        if let GroupByExpr::Expressions(exprs, _) = &select.group_by {
            self.clause = Clause::GroupBy;
            for e in exprs {
                if self.ordinal(e, result.columns.len(), result.open).is_none() {
                    let v = self.group_key_value(e);
                    self.note_keys(&v);
                }
            }
        }
        self.grouping = grouping;
        if let Some(having) = &select.having {
            self.clause = Clause::Having;
            let v = self.expr(having);
            self.require_boolean(having, &v, "HAVING");
            self.note_keys(&v);
        }
        if let Some(qualify) = &select.qualify {
            self.clause = Clause::Qualify;
            let v = self.expr(qualify);
            self.note_keys(&v);
            // QUALIFY filters on window functions: DuckDB wants one in it or in the select list.
            let windowed = has_window_function(qualify) || has_window_function(&select.projection);
            if !windowed && self.dialect == crate::dialect::Dialect::DuckDb {
                let range = self.expr_range(qualify);
                self.report(
                    Code::E302MisplacedAggregate,
                    range,
                    "QUALIFY needs a window function in the select list or in QUALIFY itself",
                )
                .hint = Some("filter with WHERE (or HAVING after GROUP BY) instead".into());
            }
        }
        // DISTINCT ON terms are read as ORDER BY terms are (positions, output names).
        let distinct_on = match &select.distinct {
            Some(sqlparser::ast::Distinct::On(exprs)) => exprs.iter().collect(),
            _ => Vec::new(),
        };
        let order_terms = match order_by {
            Some(OrderBy { kind: OrderByKind::Expressions(items), .. }) => items.iter().map(|i| &i.expr).collect(),
            _ => Vec::new(),
        };
        if !distinct_on.is_empty() || !order_terms.is_empty() {
            self.clause = Clause::OrderBy;
            for term in distinct_on.into_iter().chain(order_terms) {
                if self.non_integer_order_constant(term) {
                    continue;
                }
                if self.ordinal(term, result.columns.len(), result.open).is_none()
                    && !self.order_by_output(term, &result)
                {
                    self.expr(term);
                }
            }
        }
        self.clause = clause;
        self.grouping = saved_grouping;
        self.aliases = saved_aliases;
        self.scopes.pop();
        result
    }

    /// An ORDER BY name that several FROM tables have but exactly one output column is called
    /// sorts by that column (DuckDB: `SELECT a.id FROM a, b … ORDER BY id`).
    fn order_by_output(&mut self, e: &Expr, result: &QueryResult) -> bool {
        let Expr::Identifier(id) = e else { return false };
        if !matches!(lookup(&self.scopes, None, &id.value), Lookup::Ambiguous(_)) {
            return false;
        }
        let mut named = result.columns.iter().filter(|c| c.name.eq_ignore_ascii_case(&id.value));
        let (Some(col), None) = (named.next(), named.next()) else { return false };
        let range = self.spans.range(id.span).unwrap_or_default();
        self.record_use(range, &id.value, None, col.def.clone(), &col.value);
        true
    }

    /// A GROUP BY item: a select alias if it names one (and no column), else the expression.
    fn group_key_value(&mut self, e: &Expr) -> Typed {
        if let Expr::Identifier(id) = e {
            let in_from = matches!(lookup(&self.scopes, None, &id.value), Lookup::Found { .. } | Lookup::Open(_));
            if !in_from {
                if let Some((_, v, _, item)) =
                    self.aliases.iter().find(|(n, _, _, _)| n.eq_ignore_ascii_case(&id.value)).cloned()
                {
                    let range = self.spans.range(id.span).unwrap_or_default();
                    let def = item.map(ColumnDef::Item).unwrap_or_default();
                    self.record_use(range, &id.value, None, def, &v);
                    return v;
                }
            }
        }
        self.expr(e)
    }

    fn group_keys(&mut self, select: &Select) -> Grouping {
        let mut g = Grouping::default();
        let exprs = match &select.group_by {
            GroupByExpr::All(_) => {
                g.all = true;
                return g;
            }
            GroupByExpr::Expressions(e, _) => e,
        };
        g.insert_at = exprs.last().map(|e| self.expr_range(e).end);
        let mut keys: Vec<Expr> = Vec::new();
        // (key, directly inside GROUPING SETS)
        let mut pending: Vec<(&Expr, bool)> = exprs.iter().rev().map(|e| (e, false)).collect();
        // Grouping sets nest (`GROUPING SETS (CUBE (a), ())`): every column they name is a key.
        while let Some((e, in_sets)) = pending.pop() {
            match e {
                Expr::GroupingSets(sets) => pending.extend(sets.iter().flatten().rev().map(|e| (e, true))),
                Expr::Rollup(sets) | Expr::Cube(sets) => {
                    pending.extend(sets.iter().flatten().rev().map(|e| (e, false)))
                }
                Expr::Tuple(items) => pending.extend(items.iter().rev().map(|e| (e, in_sets))),
                // Inside GROUPING SETS, sqlparser reads `CUBE (a)` / `ROLLUP (a)` as calls
                // (elsewhere DuckDB too: `CUBE (CUBE (a))` is an unknown function).
                Expr::Function(f)
                    if in_sets
                        && f.name.0.len() == 1
                        && f.name.0[0].as_ident().is_some_and(|n| {
                            n.value.eq_ignore_ascii_case("cube") || n.value.eq_ignore_ascii_case("rollup")
                        }) =>
                {
                    if let sqlparser::ast::FunctionArguments::List(l) = &f.args {
                        pending.extend(l.args.iter().rev().filter_map(|a| match a {
                            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(x)) => {
                                Some((x, false))
                            }
                            _ => None,
                        }));
                    }
                }
                _ => keys.push(e.clone()),
            }
        }
        let items: Vec<(Option<String>, &Expr)> = select
            .projection
            .iter()
            .filter_map(|i| match i {
                SelectItem::UnnamedExpr(e) => Some((None, e)),
                SelectItem::ExprWithAlias { expr, alias } => Some((Some(alias.value.clone()), expr)),
                _ => None,
            })
            .collect();
        for key in keys {
            let mut key = key;
            // Ordinal → that select item; alias (not a FROM column) → its expression.
            if let Expr::Value(v) = &key {
                if let sqlparser::ast::Value::Number(n, _) = &v.value {
                    if let Some((_, e)) = n.parse::<usize>().ok().and_then(|n| items.get(n.wrapping_sub(1))) {
                        if self.has_aggregate(e) {
                            let r = self.expr_range(e);
                            self.report(
                                Code::E302MisplacedAggregate,
                                r,
                                format!(
                                    "GROUP BY {n} names this aggregate, and aggregates are not allowed in GROUP BY"
                                ),
                            )
                            .hint = Some("group by the columns the aggregate reads, not by the aggregate".into());
                        }
                        key = (*e).clone();
                    }
                }
            }
            // `GROUP BY alias.x`: the select alias `x` (DuckDB), unless a table is called `alias`.
            if let Expr::CompoundIdentifier(parts) = &key {
                if let [q, name] = parts.as_slice() {
                    if q.value.eq_ignore_ascii_case("alias")
                        && self.dialect == crate::dialect::Dialect::DuckDb
                        && !has_relation(&self.scopes, &q.value)
                    {
                        if let Some((_, e)) = items
                            .iter()
                            .find(|(a, _)| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(&name.value)))
                        {
                            key = (*e).clone();
                        }
                    }
                }
            }
            if let Expr::Identifier(id) = &key {
                let in_from = matches!(lookup(&self.scopes, None, &id.value), Lookup::Found { depth: 0, .. });
                if !in_from {
                    if let Some((_, e)) =
                        items.iter().find(|(a, _)| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(&id.value)))
                    {
                        key = (*e).clone();
                    }
                }
            }
            match self.column_key(&key) {
                Some(col) => g.columns.push(col),
                None => {
                    // Also by what its columns resolve to: `GROUP BY t.j * 2` groups `j * 2`.
                    let canonical = self.canonical_key(&key);
                    if canonical != key {
                        g.exprs.push(canonical);
                    }
                    g.exprs.push(key);
                }
            }
        }
        g
    }

    /// `e` with every column reference of the current scope replaced by one spelling of the
    /// column it resolves to, so grouped expressions compare whatever their qualification.
    pub fn canonical_key(&self, e: &Expr) -> Expr {
        let mut out = e.clone();
        let _ = sqlparser::ast::visit_expressions_mut(&mut out, |x| {
            if matches!(x, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
                if let Some((r, c)) = self.column_key(x) {
                    *x = Expr::Identifier(sqlparser::ast::Ident::new(format!("\u{0}{r}.{c}")));
                }
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        out
    }

    /// The `(relation, column)` a plain column reference resolves to in the current scope.
    pub fn column_key(&self, e: &Expr) -> Option<(usize, usize)> {
        let (q, name) = match e {
            Expr::Identifier(id) => (None, id.value.as_str()),
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let q = parts[..parts.len() - 1].iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".");
                return match lookup(&self.scopes, Some(&q), &parts[parts.len() - 1].value) {
                    Lookup::Found { depth: 0, relation, column } => Some((relation, column)),
                    _ => None,
                };
            }
            _ => return None,
        };
        match lookup(&self.scopes, q, name) {
            Lookup::Found { depth: 0, relation, column } => Some((relation, column)),
            _ => None,
        }
    }

    fn projection(&mut self, select: &Select) -> QueryResult {
        let mut result = QueryResult::default();
        let select_id = self.selects;
        self.selects += 1;
        // DuckDB's `FROM t` without a select list is `FROM t SELECT *`.
        if select.projection.is_empty() && select.flavor == sqlparser::ast::SelectFlavor::FromFirstNoSelect {
            self.star(None, &WildcardAdditionalOptions::default(), &mut result, select_id);
        }
        for item in &select.projection {
            match item {
                SelectItem::UnnamedExpr(e) if self.columns_star(e, None, &mut result, select_id) => {}
                SelectItem::ExprWithAlias { expr, alias }
                    if self.columns_star(expr, Some(alias), &mut result, select_id) => {}
                SelectItem::UnnamedExpr(e) => {
                    let mark = self.res.columns.len();
                    self.struct_unnest = None;
                    self.expands = false;
                    let v = self.expr(e);
                    if let Some(fields) = self.struct_unnest.take().filter(|_| is_unnest_call(e)) {
                        // DuckDB: `SELECT unnest(s)` is `SELECT s.*`, one column per field.
                        let range = self.expr_range(e);
                        for (i, f) in fields.into_iter().enumerate() {
                            let value = Typed { ty: f.ty, nullable: true, lineage: v.lineage.clone() };
                            // An unnamed STRUCT's fields come out as `element1`, `element2`, ….
                            let name = if f.name.is_empty() { format!("element{}", i + 1) } else { f.name };
                            let item = Item { name, range, alias_range: None, passthrough: None };
                            self.push_item(&mut result, item, value, select_id);
                        }
                        continue;
                    }
                    // `unnest(s, recursive := true)` of a STRUCT, `COLUMNS(…)`: as many columns
                    // as the value holds, which the analysis does not spell out yet — the
                    // result's columns are open: reading one is Unknown, never an error.
                    if std::mem::take(&mut self.expands) && is_expanding_call(e) {
                        result.open = true;
                    }
                    let positional = match e {
                        Expr::Value(v) => super::positional::position(&v.value).and_then(|n| self.positional_name(n)),
                        _ => None,
                    };
                    let name = positional.unwrap_or_else(|| match self.dialect {
                        crate::dialect::Dialect::DuckDb => output_name_with_windows(e, &select.named_window),
                        crate::dialect::Dialect::Postgres => super::pg_naming::output_name(e),
                        crate::dialect::Dialect::Spark => super::spark_naming::output_name(e),
                    });
                    // DuckDB names a column reference after the column as declared (`hello` reads `HeLlO`).
                    let name = match (self.dialect, self.column_key(e)) {
                        (crate::dialect::Dialect::DuckDb, Some((r, c))) => self
                            .scopes
                            .last()
                            .and_then(|s| s.relations.get(r))
                            .and_then(|rel| rel.columns.get(c))
                            .map_or(name, |col| col.name.clone()),
                        _ => name,
                    };
                    // `SELECT o.amount`: the item is named after the column it reads.
                    let passthrough = (matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                        && self.res.columns.len() == mark + 1
                        && self.res.columns[mark].name.eq_ignore_ascii_case(&name))
                    .then_some(mark);
                    let item = Item { name, range: self.expr_range(e), alias_range: None, passthrough };
                    self.push_item(&mut result, item, v, select_id);
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let v = self.expr(expr);
                    let alias_range = self.spans.range(alias.span).unwrap_or_default();
                    let range = self.expr_range(expr).cover(alias_range);
                    let index = self.res.items.len();
                    let name = self.ident_name(alias);
                    self.aliases.push((name.clone(), v.clone(), expr.clone(), Some(index)));
                    let item = Item { name, range, alias_range: Some(alias_range), passthrough: None };
                    self.push_item(&mut result, item, v, select_id);
                }
                SelectItem::ExprWithAliases { expr, aliases } => {
                    let v = self.expr(expr);
                    for a in aliases {
                        let range = self.spans.range(a.span).unwrap_or_default();
                        let item =
                            Item { name: self.ident_name(a), range, alias_range: Some(range), passthrough: None };
                        self.push_item(&mut result, item, v.clone(), select_id);
                    }
                }
                SelectItem::Wildcard(opts) => self.star(None, opts, &mut result, select_id),
                SelectItem::QualifiedWildcard(kind, opts) => match kind {
                    SelectItemQualifiedWildcardKind::ObjectName(name) => {
                        self.star(Some(name), opts, &mut result, select_id)
                    }
                    SelectItemQualifiedWildcardKind::Expr(e) => {
                        self.expr(e);
                        result.open = true;
                    }
                },
            }
        }
        // `SELECT * EXCLUDE (every column)`: DuckDB refuses an empty select list.
        let excluding = select.projection.iter().find_map(|item| match item {
            SelectItem::Wildcard(o) | SelectItem::QualifiedWildcard(_, o) => o.opt_exclude.as_ref().map(|_| o),
            _ => None,
        });
        if let (Some(opts), true) = (excluding, result.columns.is_empty() && !result.open) {
            if self.dialect == crate::dialect::Dialect::DuckDb {
                let range = self.spans.range(opts.wildcard_token.0.span).unwrap_or_default();
                self.report(Code::E102UnknownColumn, range, "EXCLUDE leaves no column to select").hint =
                    Some("exclude fewer columns, or select something besides the star".into());
            }
        }
        result
    }

    pub(super) fn push_item(&mut self, result: &mut QueryResult, item: Item, mut value: Typed, select: usize) {
        // Literals take their concrete type here; a NULL stays NULL (DuckDB: also inside a list
        // or STRUCT, `[NULL]`) so a set operation can still give it the other side's type.
        value.ty = match self.dialect {
            crate::dialect::Dialect::DuckDb => self.dialect.nested(&value.ty),
            _ if value.ty == Type::Null => Type::Null,
            _ => self.dialect.materialize(&value.ty),
        };
        let Item { name, range, alias_range, passthrough } = item;
        let index = self.res.items.len();
        self.res.items.push(ItemDef {
            name: name.clone(),
            range,
            alias_range,
            select,
            passthrough,
            ty: self.dialect.materialize(&value.ty),
            nullable: value.nullable,
            lineage: value.lineage.clone(),
        });
        result.columns.push(OutCol { name, value, range, def: ColumnDef::Item(index) });
    }

    /// Expands `*` or `t.*` with EXCLUDE / REPLACE / RENAME.
    pub(super) fn star(
        &mut self,
        qualifier: Option<&ObjectName>,
        opts: &WildcardAdditionalOptions,
        result: &mut QueryResult,
        select: usize,
    ) {
        let scope_index = self.scopes.len() - 1;
        let qname = qualifier.map(|q| object_name(q).join("."));
        let mut columns: Vec<OutCol> = Vec::new();
        let star_range = self.spans.range(opts.wildcard_token.0.span).unwrap_or_default();
        let mut matched = false;
        let mut open = false;
        let mut qualifier_binding = None;
        // `t.*` of two tables called `t`; DuckDB also expands `*` as each table's full name,
        // so `SELECT * FROM t, t` is as ambiguous.
        let ambiguous = match &qname {
            Some(q) => {
                ambiguous_qualifier(&self.scopes[scope_index], &q.to_lowercase(), None).map(|names| (q.clone(), names))
            }
            None if self.dialect == crate::dialect::Dialect::DuckDb => ambiguous_star(&self.scopes[scope_index]),
            None => None,
        };
        if let Some((q, names)) = ambiguous {
            let range = qualifier.map(|q| self.range(q)).unwrap_or(star_range);
            self.ambiguous_table(&q, range, &names);
            result.open = true;
            return;
        }
        // The relation each column comes from, for a qualified EXCLUDE.
        let mut owners: Vec<Option<usize>> = Vec::new();
        for (ri, rel) in self.scopes[scope_index].relations.iter().enumerate() {
            if let Some(q) = &qname {
                if !rel.matches_qualifier(q) {
                    continue;
                }
                qualifier_binding = qualifier_binding.or(rel.binding);
            }
            matched = true;
            open |= rel.open;
            for c in &rel.columns {
                if qname.is_none() && c.hidden {
                    continue;
                }
                owners.push(Some(ri));
                columns.push(OutCol {
                    name: c.name.clone(),
                    value: c.value.clone(),
                    range: star_range,
                    def: c.def.clone(),
                });
            }
        }
        // `s.*` of a STRUCT column `s` (DuckDB): its fields.
        if let (Some(q), false) = (qualifier, matched) {
            if self.dialect == crate::dialect::Dialect::DuckDb {
                let parts: Vec<sqlparser::ast::Ident> = q.0.iter().filter_map(|p| p.as_ident().cloned()).collect();
                let e = match parts.as_slice() {
                    [one] => Some(Expr::Identifier(one.clone())),
                    [] => None,
                    more => Some(Expr::CompoundIdentifier(more.to_vec())),
                };
                let found = e.as_ref().is_some_and(|e| match e {
                    Expr::Identifier(id) => !matches!(lookup(&self.scopes, None, &id.value), Lookup::NotFound),
                    _ => {
                        parts.len() == 2
                            && !matches!(lookup(&self.scopes, Some(&parts[0].value), &parts[1].value), Lookup::NotFound)
                    }
                });
                if let (Some(e), true) = (e, found) {
                    let v = self.expr(&e);
                    if let Type::Struct(fields) = &v.ty {
                        for f in fields {
                            owners.push(None);
                            columns.push(OutCol {
                                name: f.name.clone(),
                                value: Typed { ty: f.ty.clone(), nullable: true, lineage: v.lineage.clone() },
                                range: star_range,
                                def: ColumnDef::Unknown,
                            });
                        }
                        matched = true;
                    } else if v.ty.is_unknown() {
                        result.open = true;
                        return;
                    }
                }
            }
        }
        if let (Some(q), false) = (&qname, matched) {
            let range = qualifier.map(|q| self.range(q)).unwrap_or_default();
            let candidates: Vec<String> =
                self.scopes[scope_index].relations.iter().filter_map(|r| r.alias.clone()).collect();
            self.unknown_qualifier(q, range, &candidates);
            result.open = true;
            return;
        }
        if self.scopes[scope_index].relations.is_empty() && qname.is_none() {
            let range = self.spans.range(opts.wildcard_token.0.span).unwrap_or_default();
            self.report(Code::E101UnknownTable, range, "SELECT * needs a FROM clause").hint =
                Some("add FROM <table>, or list the expressions to select".into());
        }
        if let Some(exclude) = &opts.opt_exclude {
            let names: Vec<&sqlparser::ast::ObjectName> = match exclude {
                sqlparser::ast::ExcludeSelectItem::Single(n) => vec![n],
                sqlparser::ast::ExcludeSelectItem::Multiple(ns) => ns.iter().collect(),
            };
            // `EXCLUDE (i1.i, i2.i)` over `USING (i)`: both name the one merged column.
            let mut excluded: Vec<String> = Vec::new();
            for n in names {
                let parts = object_name(n);
                let col = parts.last().cloned().unwrap_or_default();
                let qualifier = (parts.len() > 1).then(|| parts[..parts.len() - 1].join("."));
                let qualifier = qualifier.as_deref();
                if qualifier.is_some_and(|q| matches!(lookup(&self.scopes, Some(q), &col), Lookup::Found { .. }))
                    && excluded.iter().any(|e| e.eq_ignore_ascii_case(&col))
                {
                    continue;
                }
                excluded.push(col.clone());
                // `EXCLUDE (u.i)` drops `u`'s `i` alone, unless `u.i` is the key a USING join
                // merged into one column (DuckDB).
                let scope = &self.scopes[scope_index];
                let rels: Option<Vec<usize>> = qualifier.and_then(|q| {
                    let rels: Vec<usize> =
                        (0..scope.relations.len()).filter(|&ri| scope.relations[ri].matches_qualifier(q)).collect();
                    let merged = rels.iter().any(|&ri| {
                        let rel = &scope.relations[ri];
                        rel.find(&col).is_some_and(|ci| rel.columns[ci].hidden)
                    });
                    (!merged).then_some(rels)
                });
                let keep: Vec<bool> = columns
                    .iter()
                    .zip(&owners)
                    .map(|(c, owner)| {
                        !c.name.eq_ignore_ascii_case(&col)
                            || rels.as_ref().is_some_and(|r| !owner.is_some_and(|o| r.contains(&o)))
                    })
                    .collect();
                if let Some(c) = columns.iter().zip(&keep).find(|(_, k)| !**k).map(|(c, _)| c) {
                    let (def, value) = (c.def.clone(), c.value.clone());
                    let range = n.0.last().and_then(|p| p.as_ident()).and_then(|i| self.spans.range(i.span));
                    self.record_use(range.unwrap_or_default(), &col, None, def, &value);
                }
                let before = columns.len();
                let (mut k1, mut k2) = (keep.iter(), keep.iter());
                columns.retain(|_| k1.next().copied().unwrap_or(true));
                owners.retain(|_| k2.next().copied().unwrap_or(true));
                if before == columns.len() && !open {
                    let range = self.range(n);
                    let cands: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
                    let sugg = did_you_mean(&col, cands);
                    self.unknown_column_diag(&parts.join("."), range, &sugg, "in the EXCLUDE list");
                }
            }
        }
        if let Some(replace) = &opts.opt_replace {
            for el in &replace.items {
                let v = self.expr(&el.expr);
                match columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&el.column_name.value)) {
                    Some(c) => {
                        // DuckDB names the column as the REPLACE item spells it (`AS "J"`).
                        c.name.clone_from(&el.column_name.value);
                        let (def, old) = (c.def.clone(), std::mem::replace(&mut c.value, v));
                        let range = self.spans.range(el.column_name.span).unwrap_or_default();
                        self.record_use(range, &el.column_name.value, None, def, &old);
                    }
                    None if !open => {
                        let range = self.spans.range(el.column_name.span).unwrap_or_default();
                        self.unknown_column_diag(&el.column_name.value, range, &[], "in the REPLACE list");
                    }
                    None => {}
                }
            }
        }
        if let Some(rename) = &opts.opt_rename {
            // `(column, alias)`; a qualified column (`t.a AS b`, DuckDB) is found by its name.
            let pairs: Vec<(&sqlparser::ast::Ident, &sqlparser::ast::Ident)> = match rename {
                sqlparser::ast::RenameSelectItem::Single(p) => vec![(&p.ident, &p.alias)],
                sqlparser::ast::RenameSelectItem::Multiple(ps) => ps.iter().map(|p| (&p.ident, &p.alias)).collect(),
                sqlparser::ast::RenameSelectItem::Qualified { columns, .. } => {
                    columns.iter().filter_map(|p| Some((p.name.0.last()?.as_ident()?, &p.alias))).collect()
                }
            };
            for (ident, alias) in pairs {
                if let Some(c) = columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&ident.value)) {
                    c.name = alias.value.clone();
                    let (def, value) = (c.def.clone(), c.value.clone());
                    let range = self.spans.range(ident.span).unwrap_or_default();
                    self.record_use(range, &ident.value, None, def, &value);
                }
            }
        }
        if let Some(like) = &opts.opt_like {
            let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
            match super::star_like::filter(&names, like, opts.opt_alias.as_ref().map(|a| a.value.as_str())) {
                Some(kept) if kept.is_empty() && !open => {
                    let range = self.spans.range(like.pattern.span).unwrap_or_default();
                    self.report(Code::E102UnknownColumn, range, format!("no column matches {}", like.pattern)).hint =
                        Some("DuckDB refuses a star whose pattern selects no column".into());
                    columns.clear();
                }
                Some(kept) => {
                    let mut all: Vec<Option<OutCol>> = columns.drain(..).map(Some).collect();
                    columns = kept
                        .into_iter()
                        .filter_map(|(i, name)| all.get_mut(i)?.take().map(|c| OutCol { name, ..c }))
                        .collect();
                }
                None => open = true,
            }
        } else if let Some(alias) = &opts.opt_alias {
            // `* AS x` without a pattern names every column it selects `x` (DuckDB).
            for c in &mut columns {
                c.name.clone_from(&alias.value);
            }
        }
        result.open |= open;
        self.res.stars.push(StarDef {
            range: star_range,
            qualifier: qualifier.map(|q| (self.range(q), qualifier_binding)),
            select,
            columns: columns.iter().map(|c| c.name.clone()).collect(),
            open,
        });
        for c in columns {
            result.columns.push(c);
        }
    }

    // ---- FROM -------------------------------------------------------------------------------

    #[recursive::recursive]
    fn table_with_joins(&mut self, twj: &TableWithJoins) {
        // A comma binds looser than JOIN: the tables before this item are no join's left side.
        let start = self.current_scope().relations.len();
        self.add_factor(&twj.relation);
        for join in &twj.joins {
            let left_count = self.current_scope().relations.len();
            self.derived_is_lateral = false;
            self.add_factor(&join.relation);
            if self.derived_is_lateral {
                self.refuse_lateral_join(&join.join_operator, &join.relation);
            }
            let (constraint, left_null, right_null) = match &join.join_operator {
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (Some(c), false, true),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (Some(c), true, false),
                JoinOperator::FullOuter(c) => (Some(c), true, true),
                JoinOperator::Join(c)
                | JoinOperator::Inner(c)
                | JoinOperator::CrossJoin(c)
                | JoinOperator::Semi(c)
                | JoinOperator::LeftSemi(c)
                | JoinOperator::RightSemi(c)
                | JoinOperator::Anti(c)
                | JoinOperator::LeftAnti(c)
                | JoinOperator::RightAnti(c)
                | JoinOperator::StraightJoin(c) => (Some(c), false, false),
                JoinOperator::AsOf { constraint, .. } => (Some(constraint), false, false),
                _ => (None, false, false),
            };
            if let Some(c) = constraint {
                let kept = match (left_null, right_null) {
                    (false, true) | (false, false) => KeySide::Left,
                    (true, false) => KeySide::Right,
                    (true, true) => KeySide::Both,
                };
                self.join_constraint(c, start..left_count, &join.relation, kept);
            }
            // A SEMI / ANTI join's right side is visible only in its condition (DuckDB's
            // binder): the join's result has the left side's columns alone.
            if self.dialect == crate::dialect::Dialect::DuckDb
                && matches!(
                    join.join_operator,
                    JoinOperator::Semi(_)
                        | JoinOperator::LeftSemi(_)
                        | JoinOperator::Anti(_)
                        | JoinOperator::LeftAnti(_)
                )
            {
                self.current_scope_mut().relations.truncate(left_count);
            }
            let scope = self.current_scope_mut();
            for (i, rel) in scope.relations.iter_mut().enumerate().skip(start) {
                let nullable = if i < left_count { left_null } else { right_null };
                if nullable {
                    for c in &mut rel.columns {
                        c.value.nullable = true;
                        if let Some(own) = &mut c.own {
                            own.nullable = true;
                        }
                    }
                }
            }
        }
    }

    /// Adds a FROM item; an unaliased parenthesised join adds its tables individually.
    fn add_factor(&mut self, factor: &TableFactor) {
        if let TableFactor::NestedJoin { table_with_joins, alias: None } = factor {
            self.table_with_joins(table_with_joins);
            return;
        }
        let rel = self.table_factor(factor);
        self.add_relation(rel);
    }

    /// Spark's `LATERAL VIEW [OUTER] gen(…) name AS col, …`: a relation of the generator's
    /// columns joined to the FROM items — typed for `explode` / `posexplode` (and their `_outer`
    /// forms) of an array or map, Unknown otherwise.
    fn lateral_view(&mut self, view: &sqlparser::ast::LateralView) {
        let v = self.expr(&view.lateral_view);
        let (name, arg) = match &view.lateral_view {
            Expr::Function(f) => {
                let name =
                    f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()).unwrap_or_default();
                let arg = match &f.args {
                    sqlparser::ast::FunctionArguments::List(l) => l.args.first().map(|a| self.function_arg(a).ty),
                    _ => None,
                };
                (name, arg.unwrap_or(Type::Unknown))
            }
            _ => (String::new(), Type::Unknown),
        };
        let mut types = match &arg {
            Type::List(e) => vec![(**e).clone()],
            Type::Map(k, val) => vec![(**k).clone(), (**val).clone()],
            _ => Vec::new(),
        };
        match name.as_str() {
            "explode" | "explode_outer" => {}
            "posexplode" | "posexplode_outer" if !types.is_empty() => types.insert(0, Type::Integer),
            _ => types.clear(),
        }
        let columns = view
            .lateral_col_alias
            .iter()
            .enumerate()
            .map(|(i, id)| {
                Column::derived(
                    id.value.clone(),
                    super::expr::derived(
                        types.get(i).cloned().unwrap_or(Type::Unknown),
                        true,
                        std::slice::from_ref(&v),
                    ),
                )
            })
            .collect();
        let alias = view.lateral_view_name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase());
        let rel = Relation {
            alias,
            qualified: Vec::new(),
            columns,
            open: view.lateral_col_alias.is_empty(),
            origin: None,
            binding: None,
        };
        self.current_scope_mut().relations.push(rel);
    }

    fn current_scope(&self) -> &Scope {
        &self.scopes[self.scopes.len() - 1]
    }

    fn current_scope_mut(&mut self) -> &mut Scope {
        let i = self.scopes.len() - 1;
        &mut self.scopes[i]
    }

    fn add_relation(&mut self, rel: Relation) {
        self.current_scope_mut().relations.push(rel);
    }

    fn join_constraint(
        &mut self,
        constraint: &JoinConstraint,
        left: std::ops::Range<usize>,
        factor: &TableFactor,
        kept: KeySide,
    ) {
        match constraint {
            JoinConstraint::On(e) => {
                let clause = std::mem::replace(&mut self.clause, Clause::JoinOn);
                let v = self.expr(e);
                self.require_boolean(e, &v, "JOIN/ON");
                self.note_keys(&v);
                self.clause = clause;
            }
            JoinConstraint::Using(names) | JoinConstraint::UsingAlias(names, _) => {
                for n in names {
                    let parts = object_name(n);
                    let col = parts.last().cloned().unwrap_or_default();
                    let range = self.range(n);
                    self.merge_using(&col, left.clone(), Some(range), kept);
                }
            }
            JoinConstraint::Natural => {
                let scope = self.current_scope();
                let right = scope.relations.len() - 1;
                let names: Vec<String> = scope.relations[right]
                    .columns
                    .iter()
                    .filter(|c| {
                        scope.relations[left.clone()]
                            .iter()
                            .any(|r| r.find(&c.name).is_some_and(|i| !r.columns[i].hidden))
                    })
                    .map(|c| c.name.clone())
                    .collect();
                let open = scope.relations[left.start..].iter().any(|r| r.open);
                if names.is_empty() && !open && self.dialect == crate::dialect::Dialect::DuckDb {
                    let range = self.range(factor);
                    self.report(
                        Code::E102UnknownColumn,
                        range,
                        "NATURAL JOIN: the two sides have no column name in common",
                    )
                    .hint = Some("join with ON, or CROSS JOIN for every pair of rows".into());
                }
                for n in names {
                    self.merge_using(&n, left.clone(), None, kept);
                }
            }
            JoinConstraint::None => {}
        }
    }

    /// USING / NATURAL: the key exists on both sides; the right copy is hidden from `*`.
    fn merge_using(&mut self, col: &str, left: std::ops::Range<usize>, range: Option<TextRange>, kept: KeySide) {
        let left_count = left.end;
        let scope_i = self.scopes.len() - 1;
        let right = self.scopes[scope_i].relations.len() - 1;
        // `a JOIN b USING (x) JOIN c USING (y)` with `y` in both `a` and `b`: which one is meant?
        if let Some(range) = range {
            let rels = &self.scopes[scope_i].relations;
            let holders = |side: &[Relation]| -> Vec<String> {
                side.iter()
                    .filter(|r| r.find(col).is_some_and(|ci| !r.columns[ci].hidden))
                    .filter_map(|r| r.alias.clone())
                    .collect()
            };
            let sides = [holders(&rels[left.clone()]), holders(&rels[left_count..])];
            if let Some(names) = sides.into_iter().find(|h| h.len() > 1) {
                let d = self.report(
                    Code::E103AmbiguousColumn,
                    range,
                    format!("USING column `{col}` is ambiguous: {} all have it", names.join(", ")),
                );
                d.hint = Some(format!("join with ON and name the table, e.g. ON {}.{col} = …", names[0]));
                return;
            }
        }
        let left_open = self.scopes[scope_i].relations[left.clone()].iter().any(|r| r.open);
        let left = self.scopes[scope_i].relations[left.clone()]
            .iter()
            .zip(left)
            .find_map(|(r, ri)| r.find(col).filter(|&ci| !r.columns[ci].hidden).map(|ci| (ri, ci)));
        let right_col = self.scopes[scope_i].relations[right].find(col);
        let right_open = self.scopes[scope_i].relations[right].open;
        if let Some(range) = range {
            // The key names a column on both sides: one reference to each.
            let sides = [left, right_col.map(|rc| (right, rc))];
            for (ri, ci) in sides.into_iter().flatten() {
                let c = &self.scopes[scope_i].relations[ri].columns[ci];
                let (def, value) = (c.def.clone(), c.value.clone());
                self.record_use(range, col, None, def, &value);
                if let Some(last) = self.res.columns.last_mut() {
                    last.join_key = true;
                }
            }
        }
        let Some(range) = range else {
            if let (Some((ri, ci)), Some(rc)) = (left, right_col) {
                self.merge_columns(scope_i, (ri, ci), (right, rc), kept);
            }
            return;
        };
        match (left, right_col) {
            (Some(l), Some(r)) => {
                let lv = self.scopes[scope_i].relations[l.0].columns[l.1].value.clone();
                let rv = self.scopes[scope_i].relations[right].columns[r].value.clone();
                if self.dialect.common_type(&lv.ty, &rv.ty).is_none() {
                    self.report(
                        Code::E201ComparisonTypeMismatch,
                        range,
                        format!(
                            "USING column `{col}` is {} on the left but {} on the right",
                            self.show(&lv.ty),
                            self.show(&rv.ty)
                        ),
                    )
                    .hint = Some("join with ON and an explicit CAST instead".into());
                }
                self.merge_columns(scope_i, l, (right, r), kept);
                self.note_keys(&lv);
                self.note_keys(&rv);
            }
            (None, _) if left_open => {}
            (_, None) if right_open => {}
            (None, _) | (_, None) => {
                let side = if left.is_none() { "left" } else { "right" };
                self.report(
                    Code::E102UnknownColumn,
                    range,
                    format!("USING column `{col}` does not exist on the {side} side of the join"),
                )
                .hint = Some(
                    "USING needs a column of that name in both tables; use ON to join on differently named columns"
                        .into(),
                );
            }
        }
    }

    /// The bare key of a USING / NATURAL join: DuckDB keeps the left side's column (INNER,
    /// LEFT, ASOF), the right side's (RIGHT) or both merged (FULL); other dialects merge.
    fn merge_columns(&mut self, scope_i: usize, l: (usize, usize), r: (usize, usize), kept: KeySide) {
        let rels = &mut self.scopes[scope_i].relations;
        let lv = rels[l.0].columns[l.1].value.clone();
        let rv = rels[r.0].columns[r.1].value.clone();
        let kept = if self.dialect == crate::dialect::Dialect::DuckDb { kept } else { KeySide::Both };
        let (ty, nullable) = match kept {
            KeySide::Left => (lv.ty.clone(), lv.nullable),
            KeySide::Right => (rv.ty.clone(), rv.nullable),
            KeySide::Both => {
                (self.dialect.common_type(&lv.ty, &rv.ty).unwrap_or(Type::Unknown), lv.nullable && rv.nullable)
            }
        };
        let mut m = merged(&lv, &rv, ty);
        m.nullable = nullable;
        let left = &mut rels[l.0].columns[l.1];
        left.own.get_or_insert_with(|| Box::new(lv));
        left.value = m;
        rels[r.0].columns[r.1].hidden = true;
    }

    #[recursive::recursive]
    pub fn table_factor(&mut self, factor: &TableFactor) -> Relation {
        match factor {
            TableFactor::Table { name, alias, args: None, .. } => {
                let parts = object_name(name);
                let range = self.range(name);
                let cte = match name.0.as_slice() {
                    [part] => part.as_ident().and_then(|id| self.cte_of(id)).cloned(),
                    _ => None,
                };
                let (mut rel, target) = match cte {
                    Some((_, cte, index)) => (
                        Relation {
                            alias: Some(parts[0].to_lowercase()),
                            qualified: Vec::new(),
                            columns: out_columns(cte.columns),
                            open: cte.open,
                            origin: None,
                            binding: None,
                        },
                        index.map(BindingTarget::Cte).unwrap_or(BindingTarget::Unknown),
                    ),
                    None => match file_scan(name) {
                        // `FROM 'data/x.parquet'` reads a file (a replacement scan): its
                        // columns are not known to the analysis, which does no I/O.
                        Some(stem) => (
                            Relation {
                                alias: Some(stem),
                                qualified: Vec::new(),
                                columns: Vec::new(),
                                open: true,
                                origin: None,
                                binding: None,
                            },
                            BindingTarget::Function,
                        ),
                        None => {
                            let rel = self.table_relation(&parts, range);
                            let target = binding_target(&rel);
                            (rel, target)
                        }
                    },
                };
                self.bind(&mut rel, Some(range), target, alias.as_ref());
                rel
            }
            TableFactor::Derived { subquery, alias, .. } => {
                // DuckDB binds derived tables laterally when they reference earlier FROM items.
                let (result, lateral) = self.lateral(|this| this.query(subquery));
                self.derived_is_lateral = lateral;
                let result =
                    with_aliases(self.dialect, result, alias.as_ref().map(|a| a.columns.as_slice()).unwrap_or(&[]));
                let mut rel = Relation {
                    alias: None,
                    qualified: Vec::new(),
                    columns: out_columns(result.columns),
                    open: result.open,
                    origin: None,
                    binding: None,
                };
                self.bind(&mut rel, None, BindingTarget::Derived, alias.as_ref());
                if alias.is_none() && self.dialect == crate::dialect::Dialect::DuckDb {
                    rel.alias = Some(self.unnamed_subquery_name());
                }
                rel
            }
            TableFactor::NestedJoin { table_with_joins, alias } => {
                // An aliased nested join is one relation with the joined columns.
                self.scopes.push(Scope::default());
                self.table_with_joins(table_with_joins);
                let inner = self.scopes.pop().unwrap_or_default();
                let mut rel = Relation {
                    alias: None,
                    qualified: Vec::new(),
                    columns: Vec::new(),
                    open: false,
                    origin: None,
                    binding: None,
                };
                for r in inner.relations {
                    rel.open |= r.open;
                    rel.columns.extend(r.columns.into_iter().filter(|c| !c.hidden));
                }
                self.bind(&mut rel, None, BindingTarget::Derived, alias.as_ref());
                rel
            }
            other => {
                // Table functions, UNNEST, PIVOT…: columns unknown (except the series functions);
                // their arguments are still checked.
                let mut rel = Relation {
                    alias: None,
                    qualified: Vec::new(),
                    columns: Vec::new(),
                    open: true,
                    origin: None,
                    binding: None,
                };
                let alias = match other {
                    TableFactor::Table { alias, name, args: Some(args), with_ordinality, .. }
                        if self.dialect == crate::dialect::Dialect::Postgres =>
                    {
                        let range = self.range(name);
                        let ordinality = *with_ordinality;
                        self.pg_table_function(range, name, &args.args, alias.as_ref(), ordinality, &mut rel);
                        alias.clone()
                    }
                    TableFactor::Function { name, args, alias, .. }
                        if self.dialect == crate::dialect::Dialect::Postgres =>
                    {
                        let range = self.range(name);
                        self.pg_table_function(range, name, args, alias.as_ref(), false, &mut rel);
                        alias.clone()
                    }
                    TableFactor::Table { alias, name, args: Some(args), .. } => {
                        // `histogram(tbl, col)`: the other arguments are read in the named table.
                        let table = args.args.first().and_then(|a| self.table_argument(a));
                        let pushed = table.is_some();
                        if let Some(table) = table {
                            self.scopes.push(Scope { relations: vec![table] });
                        }
                        let mut positional: Vec<(&Expr, Typed)> = Vec::new();
                        for a in args.args.iter().skip(usize::from(pushed)) {
                            let v = self.table_function_arg(a, pushed);
                            if let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(x)) = a {
                                positional.push((x, v));
                            }
                        }
                        if pushed {
                            self.scopes.pop();
                        }
                        self.series_columns(name, &args.args, &mut rel);
                        test_vector_columns(name, &positional, &mut rel);
                        let unnest = matches!(object_name(name).as_slice(), [n] if n.eq_ignore_ascii_case("unnest"));
                        if unnest && args.args.len() == positional.len() {
                            self.duckdb_unnest_columns(&positional, alias.as_ref(), &mut rel);
                        } else if rel.open && !pushed {
                            let types: Vec<Type> = positional.iter().map(|(_, v)| v.ty.clone()).collect();
                            self.catalog_table_function(name, &types, &mut rel);
                        }
                        rel.alias = name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase());
                        alias.clone()
                    }
                    TableFactor::UNNEST { alias, array_exprs, with_ordinality, .. }
                        if self.dialect == crate::dialect::Dialect::Postgres =>
                    {
                        // One column per array (named `unnest`, or after the alias when there is
                        // one array), then `ordinality`.
                        let values: Vec<Typed> = array_exprs.iter().map(|e| self.expr(e)).collect();
                        let single = values.len() == 1;
                        for v in values {
                            let ty = v.ty.element_type().cloned().unwrap_or(Type::Unknown);
                            let name = match alias {
                                Some(a) if single && a.columns.is_empty() => self.ident_name(&a.name),
                                _ => "unnest".to_string(),
                            };
                            let value = super::expr::derived(ty, true, std::slice::from_ref(&v));
                            rel.columns.push(Column::derived(name, value));
                        }
                        if *with_ordinality {
                            let value = Typed::new(Type::BigInt, false);
                            rel.columns.push(Column::derived("ordinality".into(), value));
                        }
                        rel.open = false;
                        alias.clone()
                    }
                    TableFactor::UNNEST { alias, array_exprs, .. } => {
                        for e in array_exprs {
                            self.expr(e);
                        }
                        alias.clone()
                    }
                    TableFactor::Pivot { alias, .. } => {
                        if let Some(columns) = self.pivot(other) {
                            rel.columns = columns;
                            rel.open = false;
                        }
                        alias.clone()
                    }
                    TableFactor::Unpivot { table, value, name, columns, alias, .. } => {
                        if let Some((columns, open)) = self.unpivot(table, name, value, columns) {
                            rel.columns = columns;
                            rel.open = open;
                        }
                        alias.clone()
                    }
                    TableFactor::Function { alias, .. } | TableFactor::TableFunction { alias, .. } => alias.clone(),
                    _ => None,
                };
                self.bind(&mut rel, None, BindingTarget::Function, alias.as_ref());
                rel
            }
        }
    }

    /// A table function's first argument when it names a CTE, model or cached source.
    fn table_argument(&mut self, a: &sqlparser::ast::FunctionArg) -> Option<Relation> {
        use sqlparser::ast::{FunctionArg, FunctionArgExpr};
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(e @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_)))) = a
        else {
            return None;
        };
        let idents = match e {
            Expr::Identifier(id) => std::slice::from_ref(id),
            Expr::CompoundIdentifier(ids) => ids.as_slice(),
            _ => return None,
        };
        let parts: Vec<String> = idents.iter().map(|i| i.value.to_lowercase()).collect();
        if let ([name], [id]) = (parts.as_slice(), idents) {
            if let Some((_, cte, _)) = self.cte_of(id).cloned() {
                let columns = out_columns(cte.columns);
                let alias = Some(name.clone());
                return Some(Relation {
                    alias,
                    qualified: Vec::new(),
                    columns,
                    open: cte.open,
                    origin: None,
                    binding: None,
                });
            }
        }
        if matches!(resolve_table(self.db, &parts), TableTarget::Unknown) {
            return None;
        }
        let range = self.range(e);
        Some(self.table_relation(&parts, range))
    }

    /// An argument of a table function. A bare name may name a table (`summary(tbl)`) and a
    /// subquery may pass a whole table (`summary((SELECT * FROM t))`), so those are typed
    /// without reporting what only a column or a scalar subquery could get wrong.
    /// After a table argument, bare names are its columns and are checked as such.
    fn table_function_arg(&mut self, a: &sqlparser::ast::FunctionArg, after_table: bool) -> Typed {
        use sqlparser::ast::{FunctionArg, FunctionArgExpr};
        let value = match a {
            FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } | FunctionArg::Unnamed(arg) => arg,
        };
        match value {
            FunctionArgExpr::Expr(Expr::Identifier(_) | Expr::Subquery(_)) if !after_table => {
                let reported = self.diagnostics.len();
                let v = self.function_arg(a);
                self.diagnostics.truncate(reported);
                v
            }
            _ => self.function_arg(a),
        }
    }

    /// DuckDB's `FROM UNNEST(list)`: one column, `unnest` (or the alias's first column name), of
    /// the list's element type. Anything but one list (a NULL, an ARRAY, two lists) is DuckDB's
    /// binder error.
    fn duckdb_unnest_columns(&mut self, args: &[(&Expr, Typed)], alias: Option<&TableAlias>, rel: &mut Relation) {
        let single_list = match args {
            [(_, v)] => match &v.ty {
                Type::List(elem) => Some((**elem).clone()),
                t if t.is_unknown() => return,
                _ => None,
            },
            _ => None,
        };
        let Some(elem) = single_list else {
            let range = args.first().map(|(e, _)| self.expr_range(e)).unwrap_or_default();
            self.report(Code::E205NoMatchingOverload, range, "UNNEST in FROM takes a single list".to_string()).hint =
                Some(
                    "unnest one LIST value (cast an ARRAY with ::T[]; unnest several lists in the select list)".into(),
                );
            return;
        };
        let name =
            alias.and_then(|a| a.columns.first()).map(|c| c.name.value.clone()).unwrap_or_else(|| "unnest".into());
        let values: Vec<Typed> = args.iter().map(|(_, v)| v.clone()).collect();
        let value = super::expr::derived(self.dialect.materialize(&elem), true, &values);
        rel.columns.push(Column::derived(name, value));
        rel.open = false;
    }

    /// A built-in table function's columns, as the generated catalog has them for these
    /// positional argument types (`duckdb_settings()`, `sql_auto_complete('…')`, `range(…)`).
    fn catalog_table_function(&mut self, name: &ObjectName, positional: &[Type], rel: &mut Relation) {
        if self.dialect != crate::dialect::Dialect::DuckDb || name.0.len() > 1 {
            return;
        }
        let fname = object_name(name).last().map(|n| n.to_lowercase()).unwrap_or_default();
        let Some(columns) = crate::functions::Catalog::duckdb().table_function_columns(&fname, positional) else {
            return;
        };
        rel.columns = columns
            .iter()
            .map(|(n, t)| Column::derived(n.clone(), Typed::new(self.dialect.parse_type(t), true)))
            .collect();
        rel.open = false;
    }

    /// `range(…)` / `generate_series(…)`: one column named after the function.
    fn series_columns(&mut self, name: &ObjectName, args: &[sqlparser::ast::FunctionArg], rel: &mut Relation) {
        let fname = object_name(name).last().map(|n| n.to_lowercase()).unwrap_or_default();
        if fname != "range" && fname != "generate_series" {
            return;
        }
        let first = args.first().map(|a| self.function_arg(a).ty).unwrap_or(Type::Unknown);
        let ty = match first {
            Type::Timestamp | Type::Date => Type::Timestamp,
            Type::TimestampTz => Type::TimestampTz,
            Type::Unknown => Type::Unknown,
            _ => Type::BigInt,
        };
        rel.columns.push(Column::derived(fname, Typed::new(ty, false)));
        rel.open = false;
    }

    /// PostgreSQL refuses a WHERE / HAVING / ON condition that is not boolean ("argument of WHERE
    /// must be type boolean"; NULL and a string literal are read as boolean); Spark refuses a WHERE
    /// or ON condition that is not boolean, NULL and string literals included
    /// (`FILTER_NOT_BOOLEAN`, `JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE`), but accepts any HAVING; DuckDB
    /// casts it.
    pub fn require_boolean(&mut self, e: &Expr, v: &Typed, clause: &str) {
        use crate::dialect::Dialect;
        let ok = match self.dialect {
            _ if v.ty.is_unknown() => true,
            Dialect::Postgres => matches!(v.ty, Type::Boolean | Type::Null | Type::StringLiteral),
            Dialect::Spark => clause == "HAVING" || v.ty == Type::Boolean,
            Dialect::DuckDb => true,
        };
        if !ok {
            let range = self.expr_range(e);
            let shown = self.show(&v.ty);
            self.report(
                Code::E202OperatorTypeMismatch,
                range,
                format!("argument of {clause} must be type boolean, not type {shown}"),
            )
            .hint = Some("compare the value with something (e.g. `<> 0`, `IS NOT NULL`)".into());
        }
    }

    /// A PostgreSQL function in FROM: typed through pg_proc; one that returns a plain type is one
    /// column named after the alias (or the function), a record-returning one stays open.
    fn pg_table_function(
        &mut self,
        range: TextRange,
        name: &ObjectName,
        args: &[sqlparser::ast::FunctionArg],
        alias: Option<&TableAlias>,
        with_ordinality: bool,
        rel: &mut Relation,
    ) {
        let fname = object_name(name).last().map(|n| n.to_lowercase()).unwrap_or_default();
        let values: Vec<Typed> = args.iter().map(|a| self.function_arg(a)).collect();
        let types: Vec<Type> = values.iter().map(|v| v.ty.clone()).collect();
        rel.alias = Some(fname.clone());
        let (ty, out) = match crate::dialect::postgres::resolve_table_function(&fname, &types) {
            Ok(found) => found,
            Err(crate::functions::CallError::Unknown { suggestions }) => {
                self.report(Code::E104UnknownFunction, range, format!("unknown function `{fname}`"))
                    .suggest(&suggestions, "PostgreSQL has no function of this name (see pg_proc)");
                (Type::Unknown, Vec::new())
            }
            Err(crate::functions::CallError::NoMatch { candidates }) => {
                let got = types.iter().map(|t| self.show(t)).collect::<Vec<_>>().join(", ");
                self.report(Code::E205NoMatchingOverload, range, format!("no overload of `{fname}` accepts ({got})"))
                    .hint = Some(format!("CAST the arguments to match one of:\n  {}", candidates.join("\n  ")));
                (Type::Unknown, Vec::new())
            }
        };
        let columns: Vec<(String, Type)> = if !out.is_empty() {
            out
        } else if ty.is_unknown() || matches!(&ty, Type::Other(s) if s == "record") {
            return;
        } else {
            let column = match alias {
                Some(a) if a.columns.is_empty() => self.ident_name(&a.name),
                _ => fname,
            };
            vec![(column, ty)]
        };
        for (name, ty) in columns {
            let value = super::expr::derived(ty, true, &values);
            rel.columns.push(Column::derived(name, value));
        }
        if with_ordinality {
            let value = Typed::new(Type::BigInt, false);
            rel.columns.push(Column::derived("ordinality".into(), value));
        }
        rel.open = false;
    }

    /// DuckDB names the unaliased subqueries of a FROM clause `unnamed_subquery`,
    /// `unnamed_subquery2`, … (and they may be qualified by those names).
    fn unnamed_subquery_name(&self) -> String {
        let taken = self.scopes.last().map_or(0, |s| {
            s.relations.iter().filter(|r| r.alias.as_deref().is_some_and(|a| a.starts_with("unnamed_subquery"))).count()
        });
        match taken {
            0 => "unnamed_subquery".to_string(),
            n => format!("unnamed_subquery{}", n + 1),
        }
    }

    /// Applies a FROM item's alias and records the binding in the resolution index.
    pub fn bind(
        &mut self,
        rel: &mut Relation,
        name_range: Option<TextRange>,
        target: BindingTarget,
        alias: Option<&TableAlias>,
    ) {
        let alias_binding = alias.map(|a| (a.name.value.clone(), self.spans.range(a.name.span).unwrap_or_default()));
        rel.binding = Some(self.res.tables.len());
        self.res.tables.push(TableBinding { name_range, target, alias: alias_binding });
        self.check_alias_columns(rel, alias);
        apply_alias(self.dialect, rel, alias);
    }

    /// DuckDB and PostgreSQL refuse an alias that names more columns than the table has; an open
    /// relation (columns not known) is never judged.
    fn check_alias_columns(&mut self, rel: &Relation, alias: Option<&TableAlias>) {
        let Some(alias) = alias else { return };
        if rel.open || self.dialect == crate::dialect::Dialect::Spark {
            return;
        }
        let available = rel.columns.iter().filter(|c| !c.hidden).count();
        let Some(extra) = alias.columns.get(available) else { return };
        let start = self.spans.range(extra.name.span).unwrap_or_default();
        let end = alias.columns.last().and_then(|c| self.spans.range(c.name.span)).unwrap_or(start);
        let range = TextRange::new(start.start, end.end);
        self.report(
            Code::E106TooManyColumnAliases,
            range,
            format!("`{}` has {available} column(s) but the alias names {}", alias.name.value, alias.columns.len()),
        )
        .hint = Some(format!("name at most {available} column(s) in the alias"));
    }

    /// A named table: a model or a source, by the project format's rules.
    pub fn table_relation(&mut self, parts: &[String], range: TextRange) -> Relation {
        let lower: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        let last = lower.last().cloned().unwrap_or_default();
        let mut qualified = Vec::new();
        for i in 0..lower.len().saturating_sub(1) {
            qualified.push(lower[i..].join("."));
        }
        let mut rel = Relation {
            alias: Some(last.clone()),
            qualified,
            columns: Vec::new(),
            open: true,
            origin: None,
            binding: None,
        };
        let target = resolve_table(self.db, &lower);
        let uncached = match &target {
            TableTarget::Unknown => true,
            TableTarget::Source(key) => lookup_source(self.db, key).is_none(),
            TableTarget::Model(_) => false,
        };
        if let Some((key, columns)) = self.system_view(&lower).filter(|_| uncached) {
            rel.open = false;
            rel.origin = Some(LineageTable::Source(key));
            rel.columns = columns;
            return rel;
        }
        match target {
            TableTarget::Model(m) if m == self.file => {
                self.report(Code::E501DependencyCycle, range, "a model cannot read itself").hint =
                    Some("read the upstream model or source instead".into());
            }
            TableTarget::Model(m) => {
                let (name, columns, open) = model_columns(self.db, m);
                rel.open = open;
                rel.origin = Some(LineageTable::Model(name));
                rel.columns = columns;
            }
            TableTarget::Source(key) => {
                rel.origin = Some(LineageTable::Source(key.clone()));
                match lookup_source(self.db, &key) {
                    Some(schema) => {
                        rel.open = false;
                        rel.columns = schema
                            .columns
                            .iter()
                            .map(|(n, ty, nullable)| {
                                let def = ColumnDef::Source { key: key.clone(), column: n.clone() };
                                Column::stored(LineageTable::Source(key.clone()), def, n, ty.clone(), *nullable)
                            })
                            .collect();
                    }
                    None => {
                        // A table missing from a schema whose other tables are cached is most
                        // likely a typo; a schema with nothing cached is simply not cached yet;
                        // an entry older than the TTL is known but not used.
                        let stale = lookup_stale_source(self.db, &key);
                        let (schema_prefix, table) = match key.rsplit_once('.') {
                            Some((p, t)) => (format!("{p}."), t.to_string()),
                            None => (String::new(), key.clone()),
                        };
                        let siblings: Vec<String> = source_keys(self.db)
                            .iter()
                            .filter_map(|k| k.strip_prefix(&schema_prefix))
                            .map(str::to_string)
                            .collect();
                        if let Some(stale) = stale {
                            let (message, hint) = stale_source_message(&key, stale);
                            self.report(Code::W110SourceNotCached, range, message).hint = Some(hint);
                        } else if siblings.is_empty() {
                            self.report(
                                Code::W110SourceNotCached,
                                range,
                                format!("source `{key}` is not in the schema cache, so its columns are not checked"),
                            )
                            .hint = Some(
                                "run `rocky discover --with-schemas` (or `rocky run`) to cache the warehouse's column types"
                                    .into(),
                            );
                        } else {
                            let sugg = did_you_mean(&table, siblings.iter().map(String::as_str));
                            let schema_name = schema_prefix.trim_end_matches('.');
                            let d = self.report(
                                Code::E101UnknownTable,
                                range,
                                format!(
                                    "unknown table `{}`: the cached schema `{schema_name}` has no table `{table}`",
                                    parts.join(".")
                                ),
                            );
                            d.hint = Some(match sugg.first() {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "if the table was created recently, refresh the cache with `rocky discover --with-schemas`".into(),
                            });
                        }
                    }
                }
            }
            TableTarget::Unknown => {
                let mut candidates: Vec<String> = model_index(self.db).names().map(str::to_string).collect();
                candidates.extend(self.ctes.iter().map(|(n, _, _)| n.to_lowercase()));
                let sugg = did_you_mean(&last, candidates.iter().map(String::as_str));
                let what = parts.join(".");
                let d = self.report(
                    Code::E101UnknownTable,
                    range,
                    format!("unknown table `{what}`: no model, CTE or cached source has this name"),
                );
                d.suggest(
                    &sugg,
                    "models are referenced by name, sources as schema.table (cached by `rocky discover --with-schemas`)",
                );
            }
        }
        rel
    }

    /// E101 for `x.col` / `x.*` when no table or alias `x` is in scope.
    pub fn unknown_qualifier(&mut self, qualifier: &str, range: TextRange, candidates: &[String]) {
        let sugg = did_you_mean(qualifier, candidates.iter().map(String::as_str));
        let d = self.report(
            Code::E101UnknownTable,
            range,
            format!("there is no table or alias `{qualifier}` in this query"),
        );
        d.suggest(&sugg, "qualify columns with a table name or alias from the FROM clause");
    }

    /// E103 for `x.col` / `x.*` when `x` names several tables of one FROM clause.
    pub fn ambiguous_table(&mut self, qualifier: &str, range: TextRange, names: &[String]) {
        let same = names.iter().all(|n| names.first().is_some_and(|f| f.eq_ignore_ascii_case(n)));
        if same {
            let d = self.report(
                Code::E103AmbiguousColumn,
                range,
                format!(
                    "`{qualifier}` is ambiguous: {} tables in this FROM clause are called `{qualifier}`",
                    names.len()
                ),
            );
            d.hint = Some(format!("give each its own alias, e.g. `{qualifier} AS {qualifier}_2`"));
        } else {
            let d = self.report(
                Code::E103AmbiguousColumn,
                range,
                format!("`{qualifier}` is ambiguous: it could be {}", names.join(" or ")),
            );
            d.hint = Some("qualify it with its schema, or give the tables aliases".into());
        }
    }

    pub fn unknown_column_diag(
        &mut self,
        name: &str,
        range: TextRange,
        sugg: &[String],
        place: &str,
    ) -> &mut crate::diagnostics::Diagnostic {
        let d = self.report(Code::E102UnknownColumn, range, format!("unknown column `{name}` {place}"));
        d.suggest(sugg, "check the column names of the tables in FROM (hover a table to see them)");
        d
    }
}

/// A model's output columns as a relation sees them (each a copy of the model's column), with
/// the model's name and whether its schema is open. In a dependency cycle salsa answers with the
/// cycle fallback (an open schema).
pub fn model_columns(db: &dyn crate::base::Db, m: crate::base::ModelFile) -> (String, Vec<Column>, bool) {
    let name = model_settings(db, m).name.clone();
    let schema = model_schema(db, m);
    let columns = schema
        .columns
        .iter()
        .map(|c| {
            let def = ColumnDef::Model { model: name.clone(), column: c.name.clone() };
            Column::stored(LineageTable::Model(name.clone()), def, &c.name, c.ty.clone(), c.nullable)
        })
        .collect();
    (name, columns, schema.open)
}

/// Lower-level: the identifier parts of an object name, as written.
pub fn object_name(name: &ObjectName) -> Vec<String> {
    name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.clone()).collect()
}

/// A select item's name and places, before it is typed into an [`ItemDef`].
/// DuckDB's `test_vector_types(v1, v2, …, all_flat := …)`: one column per value, of its type
/// (`test_vector`, `test_vector2`, …).
fn test_vector_columns(name: &ObjectName, positional: &[(&Expr, Typed)], rel: &mut Relation) {
    let is_it = object_name(name).last().is_some_and(|n| n.eq_ignore_ascii_case("test_vector_types"));
    if !is_it || positional.is_empty() || positional.iter().any(|(_, v)| v.ty.is_unknown()) {
        return;
    }
    for (i, (_, v)) in positional.iter().enumerate() {
        let name = if i == 0 { "test_vector".to_string() } else { format!("test_vector{}", i + 1) };
        let value = Typed::new(v.ty.materialize(), true);
        rel.columns.push(Column::derived(name, value));
    }
    rel.open = false;
}

/// Which side's column a USING / NATURAL join key is when read unqualified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeySide {
    Left,
    Right,
    Both,
}

/// Whether `e` is a call of `unnest` / `unlist` (with or without options).
fn is_unnest_call(e: &Expr) -> bool {
    let Expr::Function(f) = e else { return false };
    let has_arg = matches!(&f.args, sqlparser::ast::FunctionArguments::List(l) if !l.args.is_empty());
    has_arg
        && f.name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .is_some_and(|n| n.value.eq_ignore_ascii_case("unnest") || n.value.eq_ignore_ascii_case("unlist"))
}

/// Whether `e` is a call that expands into columns the analysis does not list: `unnest` with
/// options (`recursive := true` expands nested structs and lists) or `COLUMNS(…)`.
fn is_expanding_call(e: &Expr) -> bool {
    let Expr::Function(f) = e else { return false };
    let name = f.name.0.last().and_then(|p| p.as_ident()).map(|n| n.value.to_ascii_lowercase());
    let args = match &f.args {
        sqlparser::ast::FunctionArguments::List(l) => l.args.len(),
        _ => 0,
    };
    match name.as_deref() {
        Some("unnest" | "unlist") => args > 1,
        Some("columns") => true,
        _ => false,
    }
}

pub(super) struct Item {
    pub name: String,
    pub range: TextRange,
    pub alias_range: Option<TextRange>,
    pub passthrough: Option<usize>,
}

/// The columns of a CTE or derived table as a relation's columns.
fn out_columns(columns: Vec<OutCol>) -> Vec<Column> {
    columns.into_iter().map(|c| Column { name: c.name, value: c.value, hidden: false, own: None, def: c.def }).collect()
}

/// What a named table resolved to, from the relation `table_relation` built.
fn binding_target(rel: &Relation) -> BindingTarget {
    match &rel.origin {
        Some(LineageTable::Model(m)) => BindingTarget::Model(m.clone()),
        Some(LineageTable::Source(k)) => BindingTarget::Source(k.clone()),
        None => BindingTarget::Unknown,
    }
}

fn apply_alias(dialect: crate::dialect::Dialect, rel: &mut Relation, alias: Option<&TableAlias>) {
    let Some(alias) = alias else { return };
    rel.alias = Some(alias.name.value.to_lowercase());
    rel.qualified.clear();
    for (c, a) in rel.columns.iter_mut().filter(|c| !c.hidden).zip(&alias.columns) {
        c.name = super::walker::ident_name(dialect, &a.name);
    }
}

/// The alias DuckDB gives a file read as a table (`FROM 'dir/sales.csv'` is `sales`), when the
/// table name is a single-quoted string.
fn file_scan(name: &ObjectName) -> Option<String> {
    let [part] = name.0.as_slice() else { return None };
    let ident = part.as_ident().filter(|i| i.quote_style == Some('\''))?;
    let file = ident.value.rsplit(['/', '\\']).next().unwrap_or(&ident.value);
    Some(file.split('.').next().unwrap_or(file).to_lowercase())
}

/// Whether any expression of `node` is a window function call (`f(…) OVER …`).
fn has_window_function<V: sqlparser::ast::Visit>(node: &V) -> bool {
    let found = sqlparser::ast::visit_expressions(node, |e: &Expr| match e {
        Expr::Function(f) if f.over.is_some() => std::ops::ControlFlow::Break(()),
        _ => std::ops::ControlFlow::Continue(()),
    });
    found.is_break()
}

/// Whether a relation of the current scope answers to `name`.
fn has_relation(scopes: &[Scope], name: &str) -> bool {
    scopes.last().is_some_and(|s| s.relations.iter().any(|r| r.matches_qualifier(name)))
}
