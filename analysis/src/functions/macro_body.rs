//! Parsing a macro's body as DuckDB prints it in `duckdb_functions().macro_definition`. DuckDB
//! prints an arrow lambda with several parameters, `(x, y) -> x + y`, as
//! `main."row"(x, y) -> (x + y)`; that is turned back into the lambda it was.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, LambdaFunction, LambdaFunctionParameter,
    LambdaSyntax, OneOrManyWithParens, VisitMut, VisitorMut,
};

/// The body as an expression; None if it does not parse.
pub fn parse(body: &str) -> Option<Expr> {
    let mut expr = sqlparser::parser::Parser::new(&crate::syntax::RockyDialect)
        .try_with_sql(body)
        .and_then(|mut p| p.parse_expr())
        .ok()?;
    let _ = expr.visit(&mut PrintedLambdas);
    Some(expr)
}

/// Rewrites `main."row"(a, b) -> body` into the lambda `(a, b) -> body`.
struct PrintedLambdas;

impl VisitorMut for PrintedLambdas {
    type Break = ();

    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        let Expr::BinaryOp { left, op: BinaryOperator::Arrow, right } = e else { return ControlFlow::Continue(()) };
        let Some(params) = row_of_names(left) else { return ControlFlow::Continue(()) };
        let params = params.into_iter().map(|name| LambdaFunctionParameter { name, data_type: None }).collect();
        let body = std::mem::replace(right.as_mut(), Expr::value(sqlparser::ast::Value::Null));
        *e = Expr::Lambda(LambdaFunction {
            params: OneOrManyWithParens::Many(params),
            body: Box::new(body),
            syntax: LambdaSyntax::Arrow,
        });
        ControlFlow::Continue(())
    }
}

/// The names of `row(a, b)` / `main."row"(a, b)` when every argument is a plain name.
fn row_of_names(e: &Expr) -> Option<Vec<sqlparser::ast::Ident>> {
    let Expr::Function(f) = e else { return None };
    let last = f.name.0.last()?.as_ident()?;
    if !last.value.eq_ignore_ascii_case("row") {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else { return None };
    list.args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(id))) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_printed_arrow_lambda_of_several_parameters_is_a_lambda_again() {
        let e = super::parse("list_reduce(list, (main.\"row\"(x, y) -> ((x + y) + num)))").expect("parses");
        assert_eq!(e.to_string(), "list_reduce(list, ((x, y) -> ((x + y) + num)))");
        // A row that is not a lambda's parameters stays a row.
        let e = super::parse("main.\"row\"(1, 2)").expect("parses");
        assert_eq!(e.to_string(), "main.\"row\"(1, 2)");
    }
}
