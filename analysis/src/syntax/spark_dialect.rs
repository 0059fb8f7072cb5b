//! sqlparser's Spark SQL dialect, extended through the dialect hooks with Spark syntax it reads
//! differently: typed numeric literals (`1L`, `2S`, `3Y`, `1.5D`, `2.5F`, `1BD`, which sqlparser
//! reads as a number with an alias) become one number token whose text keeps the suffix (the
//! analysis types it by the suffix), and `exists(array, x -> …)` — Spark's higher-order
//! function — is a call, not an EXISTS subquery.

use std::any::TypeId;

use sqlparser::ast::{Expr, Ident, ObjectName, Value};
use sqlparser::dialect::{Dialect, SparkSqlDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Span, Token};

/// The dialect Spark projects are parsed with.
#[derive(Debug, Default, Clone, Copy)]
pub struct SparkDialect;

/// Delegates the Spark dialect's feature flags.
macro_rules! spark_flags {
    ($($name:ident),* $(,)?) => {
        $(fn $name(&self) -> bool { SparkSqlDialect.$name() })*
    };
}

impl Dialect for SparkDialect {
    /// sqlparser checks `dialect_of!(SparkSqlDialect)` in places: this is that dialect.
    fn dialect(&self) -> TypeId {
        TypeId::of::<SparkSqlDialect>()
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        SparkSqlDialect.is_delimited_identifier_start(ch)
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        SparkSqlDialect.is_identifier_start(ch)
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        SparkSqlDialect.is_identifier_part(ch)
    }

    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        SparkSqlDialect.identifier_quote_style(identifier)
    }

    fn supports_string_literal_column_alias(&self, explicit: bool) -> bool {
        SparkSqlDialect.supports_string_literal_column_alias(explicit)
    }

    fn supports_string_literal_table_alias(&self, explicit: bool) -> bool {
        SparkSqlDialect.supports_string_literal_table_alias(explicit)
    }

    spark_flags!(
        supports_comparison_in_between_low_bound,
        supports_filter_during_aggregation,
        supports_group_by_expr,
        supports_group_by_with_modifier,
        supports_lambda_functions,
        supports_select_wildcard_except,
        supports_struct_literal,
        supports_nested_comments,
        supports_create_table_using,
        supports_long_type_as_bigint,
        supports_values_as_table_factor,
        require_interval_qualifier,
        supports_bang_not_operator,
        supports_select_item_multi_column_alias,
        supports_cte_without_as,
        supports_map_literal_with_angle_brackets,
        supports_pipe_operator,
    );

    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, precedence: u8) -> Option<Result<Expr, ParserError>> {
        SparkSqlDialect.parse_infix(parser, expr, precedence)
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        let [first, second, third] = parser.peek_tokens_with_location();
        match (&first.token, &second.token) {
            // `1L`: a number and a suffix word with nothing between them.
            (Token::Number(n, long), Token::Word(w))
                if w.quote_style.is_none()
                    && first.span.end == second.span.start
                    && matches!(w.value.to_ascii_uppercase().as_str(), "L" | "S" | "Y" | "D" | "F" | "BD") =>
            {
                let text = format!("{n}{}", w.value);
                let long = *long;
                let span = Span::new(first.span.start, second.span.end);
                parser.next_token();
                parser.next_token();
                Some(Ok(Expr::Value(Value::Number(text, long).with_span(span))))
            }
            // `exists(x, …)` that is not `EXISTS (SELECT …)`.
            (Token::Word(w), Token::LParen)
                if w.keyword == Keyword::EXISTS
                    && !matches!(&third.token, Token::Word(k) if matches!(k.keyword, Keyword::SELECT | Keyword::WITH | Keyword::VALUES | Keyword::FROM))
                    && third.token != Token::LParen =>
            {
                let ident = Ident::with_span(first.span, w.value.clone());
                parser.next_token();
                Some(parser.parse_function(ObjectName::from(vec![ident])))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(sql: &str) -> Expr {
        let parsed = Parser::new(&SparkDialect).try_with_sql(sql).and_then(|mut p| p.parse_expr());
        parsed.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    #[test]
    fn typed_literals_and_exists_calls() {
        assert_eq!(expr("1L").to_string(), "1L");
        assert_eq!(expr("1.5D + 2").to_string(), "1.5D + 2");
        assert!(matches!(expr("exists(a, x -> x > 1)"), Expr::Function(_)));
        assert!(matches!(expr("exists (select 1)"), Expr::Exists { .. }));
        assert_eq!(expr("a div 2").to_string(), "a DIV 2");
    }
}
