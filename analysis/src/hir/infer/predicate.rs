//! Typing a standalone SQL predicate over one model's output columns: a data test's
//! `expression`, checked with the same walker (and so the same rules and codes) as model SQL.

use crate::syntax::RockyDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::scope::{Relation, Scope};
use super::select::model_columns;
use super::walker::{Clause, Infer};
use crate::base::{Db, ModelFile};
use crate::diagnostics::{Code, Diagnostic, TextRange};
use crate::syntax::SpanMap;
use crate::types::Type;

/// The type of `expr` evaluated on a row of `model`, and its diagnostics (parse and semantic)
/// in `path`: shifted to `offset` + their place in `expr`, or at `whole` when the expression's
/// text does not map 1:1 into the file (an escaped TOML string). `None` when it does not parse.
pub fn check_predicate(
    db: &dyn Db,
    model: ModelFile,
    path: &str,
    expr: &str,
    offset: Option<u32>,
    whole: TextRange,
) -> (Option<Type>, Vec<Diagnostic>) {
    let spans = SpanMap::new(expr);
    let place = |r: TextRange| match offset {
        Some(o) => TextRange::new(o + r.start, o + r.end),
        None => whole,
    };
    let parser = match *crate::hir::project_dialect(db) {
        crate::dialect::Dialect::DuckDb => Parser::new(&RockyDialect),
        crate::dialect::Dialect::Postgres => Parser::new(&sqlparser::dialect::PostgreSqlDialect {}),
        crate::dialect::Dialect::Spark => Parser::new(&crate::syntax::SparkDialect),
    };
    let parsed = parser.with_recursion_limit(200).try_with_sql(expr).and_then(|mut p| {
        let e = p.parse_expr()?;
        match p.peek_token().token {
            Token::EOF => Ok(e),
            _ => p.expected("the end of the expression", p.peek_token()),
        }
    });
    let e = match parsed {
        Ok(e) => e,
        Err(err) => {
            let (message, range) = spans.parser_error(&err.to_string());
            let d = Diagnostic::new(
                Code::E001ParseError,
                path,
                place(range),
                format!("the test expression does not parse: {message}"),
            )
            .with_hint("write one boolean SQL expression over the model's columns, e.g. amount >= 0");
            return (None, vec![d]);
        }
    };
    let (name, columns, open) = model_columns(db, model);
    let relation = Relation {
        alias: Some(name.to_lowercase()),
        qualified: Vec::new(),
        columns,
        open,
        origin: None,
        binding: None,
    };
    let mut infer = Infer::new(db, model, path, &spans);
    infer.scopes.push(Scope { relations: vec![relation] });
    infer.clause = Clause::Where;
    let value = infer.expr(&e);
    let diagnostics = infer
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.range = place(d.range);
            d
        })
        .collect();
    (Some(value.ty), diagnostics)
}
