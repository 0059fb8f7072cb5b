//! Lambdas in DuckDB's list functions (`list_transform(l, x -> x + 1)`, `lambda x: x > 1`): the
//! body is typed with its parameters bound like DuckDB binds them, so `list_transform` returns a
//! list of the body's type and mistakes inside the body are found.

use sqlparser::ast::LambdaFunction;

use super::scope::{Column, Relation, Scope, Typed};
use super::walker::Infer;
use crate::types::Type;

/// The lambda `e` is, also in parentheses (`(x -> x + 1)`, as DuckDB prints a macro's body).
pub fn as_lambda(e: &sqlparser::ast::Expr) -> Option<&LambdaFunction> {
    match e {
        sqlparser::ast::Expr::Lambda(l) => Some(l),
        sqlparser::ast::Expr::Nested(inner) => as_lambda(inner),
        _ => None,
    }
}

/// How a list function binds its lambda's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LambdaUse {
    /// `(element [, index])`; the result is a list of the body's type.
    Transform,
    /// `(element [, index])`; the result is the input list.
    Filter,
    /// `(accumulator, element [, index])`.
    Reduce,
}

/// The lambda-taking list functions, by DuckDB name and alias.
pub fn lambda_use(name: &str) -> Option<LambdaUse> {
    match name {
        "list_transform" | "array_transform" | "list_apply" | "array_apply" | "apply" => Some(LambdaUse::Transform),
        "list_filter" | "array_filter" | "filter" => Some(LambdaUse::Filter),
        "list_reduce" | "array_reduce" | "reduce" => Some(LambdaUse::Reduce),
        _ => None,
    }
}

impl Infer<'_> {
    /// DuckDB's binder checks of a lambda-taking list function's shape: a list, then a lambda
    /// (one or two parameters; a reduce's two or three), then only a reduce's initial value.
    /// `receiver` is 1 for the method form `l.apply(x -> …)`, whose list is not in the call.
    pub fn check_lambda_call(
        &mut self,
        e: &sqlparser::ast::Expr,
        name: &str,
        how: LambdaUse,
        f: &sqlparser::ast::Function,
        receiver: usize,
    ) {
        use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
        let FunctionArguments::List(list) = &f.args else { return };
        let max_args = if how == LambdaUse::Reduce { 3 } else { 2 };
        let (min_params, max_params) = if how == LambdaUse::Reduce { (2, 3) } else { (1, 2) };
        let count = list.args.len() + receiver;
        let problem = match list.args.get(1usize.saturating_sub(receiver)) {
            _ if count < 2 || count > max_args => Some(format!(
                "`{name}` takes a list and a lambda{}",
                if max_args == 3 { " (and an initial value)" } else { "" }
            )),
            Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(x))) if as_lambda(x).is_some() => {
                let n = as_lambda(x).map_or(0, |l| l.params.len());
                (n < min_params || n > max_params)
                    .then(|| format!("`{name}` expects a lambda of {min_params} to {max_params} parameters, not {n}"))
            }
            _ => Some(format!("`{name}` needs a lambda as its second argument (x -> …)")),
        };
        if let Some(message) = problem {
            let range = self.expr_range(e);
            self.report(crate::diagnostics::Code::E205NoMatchingOverload, range, message).hint =
                Some(format!("e.g. {name}(l, x -> x + 1)"));
        }
    }

    /// DuckDB binds a lambda only as an argument of a lambda-taking list function: one among
    /// `items` (the arguments of `what`) is its binder error.
    pub fn refuse_lambdas<'e>(&mut self, items: impl Iterator<Item = &'e sqlparser::ast::Expr>, what: &str) {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        for item in items {
            if let Some(l) = as_lambda(item) {
                // From the first parameter to the end of the body (sqlparser gives a lambda no span).
                let body = self.expr_range(&l.body);
                let range = match l.params.iter().next().and_then(|p| self.spans.range(p.name.span)) {
                    Some(first) => crate::diagnostics::TextRange::new(first.start, body.end.max(first.end)),
                    None => body,
                };
                self.report(
                    crate::diagnostics::Code::E205NoMatchingOverload,
                    range,
                    format!("{what} does not take a lambda"),
                )
                .hint = Some("lambdas are arguments of list functions: list_transform(l, x -> …)".into());
            }
        }
    }

    /// Types a lambda's body over a list of type `list`. Its parameters form the innermost
    /// scope, so they shadow columns while the enclosing query's columns stay visible.
    pub fn lambda(&mut self, l: &LambdaFunction, how: LambdaUse, list: &Type) -> Typed {
        let elem = list.element_type().cloned().unwrap_or(Type::Unknown);
        // DuckDB's element index parameter is a BIGINT.
        let types = match how {
            LambdaUse::Transform | LambdaUse::Filter => vec![elem, Type::BigInt],
            LambdaUse::Reduce => vec![elem.clone(), elem, Type::BigInt],
        };
        self.lambda_with(l, &types)
    }

    /// Types a lambda's body with its parameters of the given types (Unknown past the end).
    pub fn lambda_with(&mut self, l: &LambdaFunction, types: &[Type]) -> Typed {
        let columns = l
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Column::derived(p.name.value.clone(), Typed::new(types.get(i).cloned().unwrap_or(Type::Unknown), true))
            })
            .collect();
        let params = Relation { alias: None, qualified: Vec::new(), columns, open: false, origin: None, binding: None };
        self.scopes.push(Scope { relations: vec![params] });
        // GROUP BY checks index the SELECT's own scope, which is no longer the innermost one.
        let grouping = self.grouping.take();
        let was_in_lambda = std::mem::replace(&mut self.in_lambda, true);
        let body = self.expr(&l.body);
        self.in_lambda = was_in_lambda;
        self.grouping = grouping;
        self.scopes.pop();
        body
    }
}

impl Infer<'_> {
    /// Spark's higher-order functions (`transform(arr, x -> …)`, `aggregate`, `zip_with`,
    /// `map_filter`, …): the lambdas are typed with their parameters bound to the elements (or
    /// keys and values) of the collection arguments, and the result follows Spark's definition of
    /// each function. None when the call has no lambda.
    pub fn spark_higher_order(&mut self, name: &str, f: &sqlparser::ast::Function) -> Option<Typed> {
        use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
        let FunctionArguments::List(list) = &f.args else { return None };
        let lambda_of = |a: &FunctionArg| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => as_lambda(x).cloned(),
            _ => None,
        };
        if !list.args.iter().any(|a| lambda_of(a).is_some()) {
            return None;
        }
        let mut values: Vec<Typed> = Vec::new();
        let mut lambdas = Vec::new();
        for a in &list.args {
            match lambda_of(a) {
                Some(l) => lambdas.push(l),
                None => values.push(self.function_arg(a)),
            }
        }
        let ty_of = |i: usize| values.get(i).map(|v| v.ty.clone()).unwrap_or(Type::Unknown);
        let elem_of = |t: &Type| t.element_type().cloned().unwrap_or(Type::Unknown);
        let first = ty_of(0);
        let (key, value) = match &first {
            Type::Map(k, v) => ((**k).clone(), (**v).clone()),
            _ => (Type::Unknown, Type::Unknown),
        };
        let mut bodies = Vec::new();
        for (i, l) in lambdas.iter().enumerate() {
            let params = match name {
                "transform" | "filter" | "exists" | "forall" => vec![elem_of(&first), Type::Integer],
                "array_sort" => vec![elem_of(&first), elem_of(&first)],
                "aggregate" | "reduce" if i == 0 => vec![self.dialect.materialize(&ty_of(1)), elem_of(&first)],
                "aggregate" | "reduce" => vec![self.dialect.materialize(&ty_of(1))],
                "zip_with" => vec![elem_of(&first), elem_of(&ty_of(1))],
                "map_filter" | "transform_values" | "transform_keys" | "map_zip_with" => {
                    vec![key.clone(), value.clone()]
                }
                _ => Vec::new(),
            };
            bodies.push(self.lambda_with(l, &params));
        }
        let body = |i: usize| bodies.get(i).map(|b| b.ty.clone()).unwrap_or(Type::Unknown);
        let known = |t: Type| if t.contains_unknown() { Type::Unknown } else { t };
        let ty = match name {
            "transform" | "zip_with" => known(Type::List(Box::new(self.dialect.materialize(&body(0))))),
            "filter" | "array_sort" | "map_filter" => first.clone(),
            "exists" | "forall" => Type::Boolean,
            "aggregate" | "reduce" if bodies.len() > 1 => known(self.dialect.materialize(&body(1))),
            "aggregate" | "reduce" => known(self.dialect.materialize(&ty_of(1))),
            "transform_values" => known(Type::Map(Box::new(key), Box::new(self.dialect.materialize(&body(0))))),
            "transform_keys" => known(Type::Map(Box::new(self.dialect.materialize(&body(0))), Box::new(value))),
            _ => Type::Unknown,
        };
        let mut all = values;
        all.extend(bodies);
        Some(super::expr::derived(ty, true, &all))
    }
}
