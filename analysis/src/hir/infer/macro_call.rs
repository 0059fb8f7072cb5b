//! DuckDB's built-in macros and list aggregates, typed as DuckDB binds them. A macro is expanded
//! before binding, so `split_part(s, d, i)` has the type of its body (a CASE over
//! `string_split`) and `list_min(l)` that of `list_aggr(l, 'min')`; the bodies come from
//! `duckdb_functions()` through the generated catalog, never from a hand-written list.
//! `list_aggr(l, 'name', …)` runs the aggregate `name` over the list's elements, so its type is
//! that aggregate's result for the element type.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Value};
use sqlparser::parser::Parser;

use super::resolution::ColumnDef;
use super::scope::{Column, Relation, Scope, Typed};
use super::walker::Infer;
use crate::functions::Catalog;
use crate::syntax::RockyDialect;
use crate::types::Type;

/// How deep macros may expand into macros (DuckDB's own nest two or three levels).
const MAX_MACRO_DEPTH: usize = 8;

/// DuckDB's names of `list_aggr`.
pub fn is_list_aggregate(name: &str) -> bool {
    matches!(name, "list_aggr" | "list_aggregate" | "array_aggr" | "array_aggregate" | "aggregate")
}

impl Infer<'_> {
    /// The type of a call to the built-in macro `name` with these arguments: its body typed
    /// with each parameter bound to its argument. Nothing the body's walk records is kept (its
    /// spans are the body's, not the model's): no diagnostics, resolutions or keys. None when
    /// no macro of this name takes this many arguments, or its body does not parse.
    pub fn macro_result(&mut self, name: &str, args: &[Typed]) -> Option<Type> {
        if self.macro_depth >= MAX_MACRO_DEPTH {
            return None;
        }
        let def = Catalog::duckdb().macro_body(name, args.len())?;
        let body = Parser::new(&RockyDialect).try_with_sql(&def.body).ok()?.parse_expr().ok()?;
        let columns = def
            .params
            .iter()
            .zip(args)
            .map(|(p, a)| Column { name: p.clone(), value: a.clone(), hidden: false, def: ColumnDef::Unknown })
            .collect();
        let params = Relation { alias: None, qualified: Vec::new(), columns, open: false, origin: None, binding: None };
        let (diagnostics, res, keys, selects) =
            (self.diagnostics.len(), self.res.mark(), self.key_columns.len(), self.selects);
        let (expands, struct_unnest) = (self.expands, self.struct_unnest.take());
        let grouping = self.grouping.take();
        self.scopes.push(Scope { relations: vec![params] });
        self.macro_depth += 1;
        let value = self.expr(&body);
        self.macro_depth -= 1;
        self.scopes.pop();
        self.grouping = grouping;
        (self.expands, self.struct_unnest) = (expands, struct_unnest);
        self.diagnostics.truncate(diagnostics);
        self.res.truncate(res);
        self.key_columns.truncate(keys);
        self.selects = selects;
        Some(value.ty)
    }

    /// `list_aggr(l, 'name', extra…)`: the aggregate `name` (a constant) over `l`'s element
    /// type and the extra arguments. None when the name is not a constant string, the list's
    /// element type is not known, or the aggregate does not bind.
    pub fn list_aggregate_result(&self, f: &Function, types: &[Type]) -> Option<Type> {
        let FunctionArguments::List(list) = &f.args else { return None };
        let aggregate = match list.args.get(1)? {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))) => match &v.value {
                Value::SingleQuotedString(s) => s.to_ascii_lowercase(),
                _ => return None,
            },
            _ => return None,
        };
        if !self.dialect.is_aggregate(&aggregate) {
            return None;
        }
        // `list_aggr(NULL, …)` folds to NULL.
        if types.first() == Some(&Type::Null) {
            return Some(Type::Null);
        }
        let elem = types.first()?.element_type()?.clone();
        if elem.is_unknown() {
            return None;
        }
        // The element as an aggregate sees it: a literal takes its default type, NULL stays
        // NULL (DuckDB binds `list_aggr([NULL], 'bit_and')` as the aggregate of a NULL).
        let elem = if elem == Type::Null { elem } else { self.dialect.materialize(&elem) };
        let mut agg_args = vec![elem];
        agg_args.extend(types.iter().skip(2).cloned());
        let ty = self.dialect.resolve_function(&aggregate, &agg_args).ok()?.return_type;
        let ty = super::bound_types::argument_dependent_type(self.dialect, &aggregate, &[], &agg_args).unwrap_or(ty);
        (!ty.is_unknown()).then_some(ty)
    }
}
