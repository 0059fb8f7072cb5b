//! Lambdas in DuckDB's list functions (`list_transform(l, x -> x + 1)`, `lambda x: x > 1`): the
//! body is typed with its parameters bound like DuckDB binds them, so `list_transform` returns a
//! list of the body's type and mistakes inside the body are found.

use sqlparser::ast::LambdaFunction;

use super::resolution::ColumnDef;
use super::scope::{Column, Relation, Scope, Typed};
use super::walker::Infer;
use crate::types::Type;

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
    /// Types a lambda's body over a list of type `list`. Its parameters form the innermost
    /// scope, so they shadow columns while the enclosing query's columns stay visible.
    pub fn lambda(&mut self, l: &LambdaFunction, how: LambdaUse, list: &Type) -> Typed {
        let elem = list.element_type().cloned().unwrap_or(Type::Unknown);
        // DuckDB's element index parameter is a BIGINT.
        let types = match how {
            LambdaUse::Transform | LambdaUse::Filter => vec![elem, Type::BigInt],
            LambdaUse::Reduce => vec![elem.clone(), elem, Type::BigInt],
        };
        let columns = l
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| Column {
                name: p.name.value.clone(),
                value: Typed::new(types.get(i).cloned().unwrap_or(Type::Unknown), true),
                hidden: false,
                def: ColumnDef::Unknown,
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
