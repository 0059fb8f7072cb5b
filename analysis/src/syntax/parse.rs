use std::sync::Arc;

use crate::dialect::Dialect;
use crate::syntax::RockyDialect;
use sqlparser::ast::{Query, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Tokenizer;

use super::{LineIndex, SpanMap};
use crate::base::{Db, ModelFile};
use crate::diagnostics::{Code, Diagnostic, TextRange};

/// A parsed model: the query (if it parsed) and parse diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedModel {
    pub query: Option<Arc<Query>>,
    pub diagnostics: Vec<Diagnostic>,
    pub spans: SpanMap,
}

/// What the database keeps of every model's parse: its diagnostics and the tables it reads.
/// The tree itself is not kept for every model: sqlparser trees were most of a large project's
/// memory, and only inference and compilation walk them (see [`model_syntax`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ParseSummary {
    pub diagnostics: Vec<Diagnostic>,
    /// The table names the query reads ([`super::table_references`]).
    pub references: Vec<Vec<String>>,
}

/// Parses a model's SQL with the project's dialect and keeps its [`ParseSummary`]. Never panics; on
/// error a diagnostic with the parser's location is reported and no table is read.
#[salsa::tracked(returns(ref))]
pub fn parse_model(db: &dyn Db, file: ModelFile) -> ParseSummary {
    let parsed = model_syntax(db, file);
    let references = parsed.query.as_deref().map(super::table_references).unwrap_or_default();
    ParseSummary { diagnostics: parsed.diagnostics.clone(), references }
}

/// A model's syntax tree. Not memoized by salsa (that would keep every model's tree): the few
/// most recently parsed trees are kept instead ([`crate::base::RecentValues`]), so the parse
/// summary, inference and compilation of a model — which run close together: a check infers
/// each model right after resolving it, an edit re-parses one file — share one parse.
pub fn model_syntax(db: &dyn Db, file: ModelFile) -> Arc<ParsedModel> {
    let dialect = *crate::hir::project_dialect(db);
    let (path, sql) = (file.path(db), file.sql(db));
    let key = crate::base::RecentKey { file, reading: dialect.name(), path, text: sql };
    // Inferring a model parses it while its dependents' walks are still on the stack: the parser
    // (which does not grow the stack itself) gets a fresh segment when little is left.
    let parse = || stacker::maybe_grow(PARSE_STACK_MIN, PARSE_STACK_NEW, || parse_sql_with(dialect, path, sql));
    db.recent().get_or_insert(key, || Arc::new(parse()))
}

/// Stack a parse must find left, else it runs on a new segment of [`PARSE_STACK_NEW`] bytes
/// (a parse at [`MAX_EXPRESSION_DEPTH`] in a debug build fits).
const PARSE_STACK_MIN: usize = 1 << 20;
const PARSE_STACK_NEW: usize = 8 << 20;

/// Deepest expression nesting analysed. DuckDB's own default limit is 1000; no real model comes
/// near this, and bounding it keeps every later recursive walk's stack use small.
pub const MAX_EXPRESSION_DEPTH: usize = 256;

/// The parse step on plain strings with DuckDB's dialect (also used by fuzz tests).
pub fn parse_sql(path: &str, sql: &str) -> ParsedModel {
    parse_sql_with(Dialect::DuckDb, path, sql)
}

/// The parse step on plain strings with a warehouse's dialect: DuckDB through [`RockyDialect`]
/// (and its join pre-pass), PostgreSQL through sqlparser's `PostgreSqlDialect`.
pub fn parse_sql_with(dialect: Dialect, path: &str, sql: &str) -> ParsedModel {
    let mut parsed = parse_unchecked(dialect, path, sql);
    if let Some(q) = &parsed.query {
        if let Some(at) = too_deep(q) {
            let range = parsed.spans.range(at).unwrap_or_default();
            parsed.diagnostics.push(
                Diagnostic::new(
                    Code::E001ParseError,
                    path,
                    range,
                    format!("this expression nests more than {MAX_EXPRESSION_DEPTH} levels deep"),
                )
                .with_hint("split it into CTEs or several models"),
            );
            parsed.query = None;
        }
    }
    parsed
}

/// The span of an expression nested deeper than [`MAX_EXPRESSION_DEPTH`], if any. Stops
/// descending as soon as the limit is reached, so it never recurses deeper than that itself.
fn too_deep(query: &Query) -> Option<sqlparser::tokenizer::Span> {
    use sqlparser::ast::{Expr, Visit, Visitor};
    struct Depth {
        depth: usize,
    }
    impl Depth {
        fn enter(&mut self) -> std::ops::ControlFlow<()> {
            self.depth += 1;
            if self.depth > MAX_EXPRESSION_DEPTH {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        }
        fn leave(&mut self) -> std::ops::ControlFlow<()> {
            self.depth -= 1;
            std::ops::ControlFlow::Continue(())
        }
    }
    // Queries nest like expressions (subqueries), so both count towards the depth.
    impl Visitor for Depth {
        type Break = ();
        fn pre_visit_expr(&mut self, _: &Expr) -> std::ops::ControlFlow<()> {
            self.enter()
        }
        fn post_visit_expr(&mut self, _: &Expr) -> std::ops::ControlFlow<()> {
            self.leave()
        }
        fn pre_visit_query(&mut self, _: &Query) -> std::ops::ControlFlow<()> {
            self.enter()
        }
        fn post_visit_query(&mut self, _: &Query) -> std::ops::ControlFlow<()> {
            self.leave()
        }
    }
    let mut v = Depth { depth: 0 };
    // The select token's span locates the query; the exact deep spot is not worth a deep walk.
    query.visit(&mut v).is_break().then(|| match query.body.as_ref() {
        sqlparser::ast::SetExpr::Select(s) => s.select_token.0.span,
        _ => sqlparser::tokenizer::Span::empty(),
    })
}

fn parse_unchecked(dialect: Dialect, path: &str, sql: &str) -> ParsedModel {
    let spans = SpanMap::new(sql);
    let mut diagnostics = Vec::new();
    // The ASOF / POSITIONAL join pre-pass is DuckDB syntax.
    let rewritten = match dialect {
        Dialect::DuckDb => super::prepass::rewrite_joins(sql),
        Dialect::Postgres | Dialect::Spark => None,
    };
    let (text, asof) = match rewritten {
        Some((text, asof)) => (std::borrow::Cow::Owned(text), asof),
        None => (std::borrow::Cow::Borrowed(sql), Vec::new()),
    };
    // sqlparser recurses on nesting; bound the depth so pathological input errors instead of
    // overflowing the stack.
    let sql_dialect: &dyn sqlparser::dialect::Dialect = match dialect {
        Dialect::DuckDb => &RockyDialect,
        Dialect::Postgres => &PostgreSqlDialect {},
        // Spark SQL: sqlparser's own Spark dialect (backticks, lambdas `x -> …`, `DIV`, `!`,
        // `array<…>`/`struct<…>`/`map<…>` types, `LONG`) with typed literals and `exists(…)`
        // calls added (`syntax/spark_dialect.rs`): Hive's lacks lambdas, Databricks' lacks `DIV`
        // and reads `1L` as an identifier (it allows names that start with digits).
        Dialect::Spark => &crate::syntax::SparkDialect,
    };
    // What `Parser::try_with_sql` does, into a buffer sized for the text (about one token per
    // 1.8 bytes, whitespace included): the growing vector's reallocations were ~3 % of a check.
    let mut tokens = Vec::with_capacity(text.len() * 2 / 3 + 16);
    let result = Tokenizer::new(sql_dialect, &text)
        .with_unescape(true) // the parser's default (`ParserOptions::unescape`)
        .tokenize_with_location_into_buf(&mut tokens)
        .map_err(ParserError::from)
        .and_then(|()| {
            Parser::new(sql_dialect)
                .with_recursion_limit(PARSE_DEPTH)
                .with_tokens_with_locations(tokens)
                .parse_statements()
        });
    let query = match result {
        Ok(mut statements) => match statements.len() {
            0 => {
                diagnostics.push(
                    Diagnostic::new(Code::E001ParseError, path, TextRange::empty(0), "the model has no query")
                        .with_hint("write one SELECT (or WITH … SELECT) statement"),
                );
                None
            }
            1 => match statements.pop() {
                Some(Statement::Query(q)) => Some(Arc::from(q)),
                Some(other) => {
                    let range = spans.range_of(&other).unwrap_or(TextRange::new(0, sql.len() as u32));
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E001ParseError,
                            path,
                            range,
                            "a model must be a single query, not a statement",
                        )
                        .with_hint("write a SELECT; Rocky creates the table or view from it"),
                    );
                    None
                }
                None => None,
            },
            _ => {
                let second = spans.range_of(&statements[1]).unwrap_or(TextRange::empty(0));
                diagnostics.push(
                    Diagnostic::new(
                        Code::E001ParseError,
                        path,
                        second,
                        "a model must be a single query; found more than one statement",
                    )
                    .with_hint("move the extra statement into a model of its own"),
                );
                None
            }
        },
        Err(ParserError::RecursionLimitExceeded) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E001ParseError,
                    path,
                    deepest_bracket(sql_dialect, &text, &spans),
                    format!("this query nests deeper than the parser reads ({PARSE_DEPTH} levels)"),
                )
                .with_hint("split it into CTEs or several models; `rocky run` asks the warehouse whether it binds"),
            );
            None
        }
        Err(err) => {
            let (message, range) = spans.parser_error(&err.to_string());
            diagnostics.push(
                Diagnostic::new(Code::E001ParseError, path, range, message)
                    .with_hint(format!("fix the syntax; Rocky parses models with {}'s dialect", dialect.name())),
            );
            None
        }
    };
    if let Some(q) = &query {
        diagnostics.extend(super::prepass::check_asof_joins(q, &asof, &spans, path));
    }
    ParsedModel { query, diagnostics, spans }
}

/// How deep the parser may recurse: bounded so pathological input is an error, not a stack
/// overflow; far beyond what people write, below what DuckDB's own parser takes.
const PARSE_DEPTH: usize = 200;

/// The bracket at the deepest nesting of the text (its first such token), where a query too
/// deep for the parser is underlined; the whole text's end when it cannot be tokenized.
fn deepest_bracket(dialect: &dyn sqlparser::dialect::Dialect, text: &str, spans: &SpanMap) -> TextRange {
    use sqlparser::tokenizer::Token;
    let Ok(tokens) = Tokenizer::new(dialect, text).tokenize_with_location() else {
        return TextRange::empty(text.len() as u32);
    };
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, None);
    for t in &tokens {
        match t.token {
            Token::LParen | Token::LBracket | Token::LBrace => {
                depth += 1;
                if depth > deepest {
                    (deepest, at) = (depth, Some(t.span.start));
                }
            }
            Token::RParen | Token::RBracket | Token::RBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    match at.and_then(|l| spans.offset(l)) {
        Some(start) => TextRange::new(start, start + 1),
        None => TextRange::empty(text.len() as u32),
    }
}

impl ParsedModel {
    pub fn line_index(&self) -> &LineIndex {
        self.spans.line_index()
    }
}
