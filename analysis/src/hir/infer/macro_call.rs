//! DuckDB's built-in macros and list aggregates, typed as DuckDB binds them. A macro is expanded
//! before binding, so `split_part(s, d, i)` has the type of its body (a CASE over
//! `string_split`) and `list_min(l)` that of `list_aggr(l, 'min')`; the bodies come from
//! `duckdb_functions()` through the generated catalog, never from a hand-written list.
//! `list_aggr(l, 'name', …)` runs the aggregate `name` over the list's elements, so its type is
//! that aggregate's result for the element type.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::scope::{Column, Relation, Scope, Typed};
use super::walker::Infer;
use crate::diagnostics::Code;
use crate::functions::{CallError, Catalog};
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
    /// spans are the body's, not the model's): no resolutions or keys. None when
    /// no macro of this name takes this many arguments, or its body does not parse.
    /// A body that does not bind with arguments of known types is the call's error, as
    /// DuckDB's expansion makes it: reported once, at the call, with the body's message.
    pub fn macro_result(&mut self, call: &Expr, name: &str, args: &[Typed]) -> Option<Type> {
        let def = Catalog::duckdb().macro_body(name, args.len())?;
        let body = def.expr()?;
        self.expand_macro(call, name, args, &def.params, body, &def.body)
    }

    /// A built-in macro called with named arguments or without its parameters that have
    /// defaults (`array_to_string_comma_default(l, sep := '-')`): the body typed with the
    /// arguments bound by position, then by name, and a parameter left out Unknown (the catalog
    /// does not have the defaults). `args` are the call's values, `receiver` of them before the
    /// written arguments (a method call's value). None when no overload takes these arguments.
    pub fn macro_result_named(&mut self, call: &Expr, f: &Function, args: &[Typed], receiver: usize) -> Option<Type> {
        let name = f.name.0.last()?.as_ident()?.value.to_lowercase();
        let FunctionArguments::List(list) = &f.args else { return None };
        let written = args.get(receiver..)?;
        let (positional, named): (Vec<_>, Vec<_>) =
            list.args.iter().zip(written).partition(|(a, _)| matches!(a, FunctionArg::Unnamed(_)));
        let positional: Vec<&Typed> = args[..receiver].iter().chain(positional.into_iter().map(|(_, v)| v)).collect();
        let named: Vec<(String, &Typed)> = named
            .into_iter()
            .filter_map(|(a, v)| match a {
                FunctionArg::Named { name, .. } | FunctionArg::ExprNamed { name: Expr::Identifier(name), .. } => {
                    Some((name.value.to_lowercase(), v))
                }
                _ => None,
            })
            .collect();
        let def = Catalog::duckdb().macro_overloads(&name).iter().find(|m| {
            m.params.len() >= positional.len() + named.len()
                && named.iter().all(|(n, _)| m.params[positional.len()..].iter().any(|p| p.eq_ignore_ascii_case(n)))
        })?;
        let bound: Vec<Typed> = def
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| match positional.get(i) {
                Some(v) => (*v).clone(),
                None => named
                    .iter()
                    .find(|(n, _)| p.eq_ignore_ascii_case(n))
                    .map_or_else(Typed::unknown, |(_, v)| (*v).clone()),
            })
            .collect();
        let body = def.expr()?;
        self.expand_macro(call, &name, &bound, &def.params, body, &def.body)
    }

    /// The type of a call to a function the warehouse has beyond its catalog: a macro's body
    /// (of the overload taking this many arguments) typed as [`Self::macro_result`] types a
    /// built-in one; else the result type every such overload declares; else Unknown.
    pub fn user_function_result(
        &mut self,
        call: &Expr,
        name: &str,
        function: &crate::base::WarehouseFunction,
        args: &[Typed],
    ) -> Type {
        let fitting: Vec<&crate::base::WarehouseOverload> =
            function.overloads.iter().filter(|o| o.params.len() == args.len()).collect();
        if let [only] = fitting.as_slice() {
            if let Some(text) = &only.body {
                return match crate::functions::parse_macro_body(text) {
                    Some(body) => {
                        self.expand_macro(call, name, args, &only.params, &body, text).unwrap_or(Type::Unknown)
                    }
                    None => Type::Unknown,
                };
            }
        }
        let mut declared = fitting.iter().map(|o| o.returns.as_deref());
        match declared.next() {
            Some(Some(first)) if declared.all(|r| r == Some(first)) => self.dialect.parse_type(first),
            _ => Type::Unknown,
        }
    }

    /// Types `body` with each of `params` bound to its argument (see [`Self::macro_result`]).
    fn expand_macro(
        &mut self,
        call: &Expr,
        name: &str,
        args: &[Typed],
        params: &[String],
        body: &Expr,
        body_text: &str,
    ) -> Option<Type> {
        if self.macro_depth >= MAX_MACRO_DEPTH {
            return None;
        }
        let columns = params.iter().zip(args).map(|(p, a)| Column::derived(p.clone(), a.clone())).collect();
        let bound = Relation { alias: None, qualified: Vec::new(), columns, open: false, origin: None, binding: None };
        // The parameters whose argument is no constant, for the body's constant checks.
        let written: Vec<&Expr> = match call {
            Expr::Function(Function { args: FunctionArguments::List(l), .. }) => l
                .args
                .iter()
                .filter_map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let variables = params
            .iter()
            .zip(&written)
            .filter(|(_, x)| !super::constants::is_constant(x))
            .map(|(p, _)| p.clone())
            .collect();
        let outer_variables = std::mem::replace(&mut self.macro_variables, variables);
        let (diagnostics, res, keys, selects) =
            (self.diagnostics.len(), self.res.mark(), self.key_columns.len(), self.selects);
        let (expands, struct_unnest) = (self.expands, self.struct_unnest.take());
        let grouping = self.grouping.take();
        self.scopes.push(Scope { relations: vec![bound] });
        self.macro_depth += 1;
        let value = self.expr(body);
        self.macro_depth -= 1;
        self.macro_variables = outer_variables;
        self.scopes.pop();
        self.grouping = grouping;
        (self.expands, self.struct_unnest) = (expands, struct_unnest);
        let failure = self.diagnostics[diagnostics..]
            .iter()
            .find(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| (d.code, d.message.clone()));
        self.diagnostics.truncate(diagnostics);
        if let Some((code, message)) = failure.filter(|_| !args.iter().any(|a| a.ty.contains_unknown())) {
            let range = self.expr_range(call);
            self.report(code, range, format!("`{name}` does not bind with these arguments: {message}")).hint =
                Some(format!("DuckDB expands the macro `{name}` to {body_text}"));
        }
        self.res.truncate(res);
        self.key_columns.truncate(keys);
        self.selects = selects;
        Some(value.ty)
    }

    /// `list_aggr(l, 'name', extra…)`: the aggregate `name` (a constant) over `l`'s element
    /// type and the extra arguments. An aggregate DuckDB does not have (E104) or one that does
    /// not take the element type (E205) is its binder error. None when the name is not a
    /// constant string, the list's element type is not known, or the aggregate does not bind.
    pub fn list_aggregate_result(&mut self, e: &Expr, f: &Function, types: &[Type]) -> Option<Type> {
        let FunctionArguments::List(list) = &f.args else { return None };
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(name_arg)) = list.args.get(1)? else { return None };
        let aggregate = super::constants::expr_string(name_arg)?.to_ascii_lowercase();
        // `list_aggr(NULL, …)` folds to NULL.
        if types.first() == Some(&Type::Null) {
            return Some(Type::Null);
        }
        if !self.dialect.is_aggregate(&aggregate) {
            let range = self.expr_range(name_arg);
            self.report(Code::E104UnknownFunction, range, format!("no aggregate function named `{aggregate}`")).hint =
                Some("name a DuckDB aggregate, e.g. 'min', 'sum' or 'string_agg'".into());
            return None;
        }
        if matches!(aggregate.as_str(), "quantile" | "quantile_disc") && types.len() == 2 {
            let range = self.expr_range(e);
            self.report(Code::E205NoMatchingOverload, range, "QUANTILE requires a range argument between [0, 1]")
                .hint = Some(format!("give the fraction after the name: list_aggr(l, '{aggregate}', 0.5)"));
            return None;
        }
        if matches!(aggregate.as_str(), "string_agg" | "group_concat" | "listagg") {
            if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(sep))) = list.args.get(2) {
                self.check_constant_separator(sep);
            }
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
        let ty = match self.dialect.resolve_function(&aggregate, &agg_args) {
            Ok(call) => call.return_type,
            Err(CallError::NoMatch { .. }) if !agg_args.iter().any(Type::contains_unknown) => {
                let range = self.expr_range(e);
                let shown: Vec<String> = agg_args.iter().map(|t| self.show_arg(t)).collect();
                self.report(
                    Code::E205NoMatchingOverload,
                    range,
                    format!("the aggregate `{aggregate}` does not take ({})", shown.join(", ")),
                )
                .hint =
                    Some("list_aggr passes each element as the aggregate's only argument (then the extra ones)".into());
                return None;
            }
            Err(_) => return None,
        };
        let ty = super::bound_types::argument_dependent_type(self.dialect, &aggregate, &[], &agg_args).unwrap_or(ty);
        (!ty.is_unknown()).then_some(ty)
    }
}
