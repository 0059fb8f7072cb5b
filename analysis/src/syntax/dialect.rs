//! sqlparser's DuckDB dialect, extended through the dialect hooks with DuckDB syntax it lacks:
//! the `GLOB`, `&&` and `^@` operators, list comprehensions (`[x * 2 FOR x IN l IF x > 0]`) and
//! the `PIVOT` / `UNPIVOT` statements.
//! Valid DuckDB must never fail to parse; the extensions build the AST DuckDB's own binder
//! rewrites them to, so the rest of the analysis needs no new cases.

use std::any::TypeId;

use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, ExprWithAlias, Function, FunctionArg, FunctionArgExpr,
    FunctionArgumentList, FunctionArguments, Ident, LambdaFunction, LambdaFunctionParameter, LambdaSyntax, ObjectName,
    ObjectNamePart, OneOrManyWithParens, PivotValueSource, Query, SelectItem, SetExpr, Statement, TableFactor,
    TableWithJoins, Value, WildcardAdditionalOptions,
};
use sqlparser::dialect::{Dialect, DuckDbDialect, Precedence};
use sqlparser::keywords::{self, Keyword};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Span, Token, TokenWithSpan};

/// The dialect every parse in the analysis uses.
#[derive(Debug, Default, Clone, Copy)]
pub struct RockyDialect;

/// Delegates the DuckDB dialect's feature flags.
macro_rules! duckdb_flags {
    ($($name:ident),* $(,)?) => {
        $(fn $name(&self) -> bool { DuckDbDialect.$name() })*
    };
}

impl Dialect for RockyDialect {
    /// sqlparser checks `dialect_of!(DuckDbDialect)` in many places: this is that dialect.
    fn dialect(&self) -> TypeId {
        TypeId::of::<DuckDbDialect>()
    }

    /// DuckDB's scanner takes every non-ASCII character as a letter (`🦆`, `ø`, `名`).
    fn is_identifier_start(&self, ch: char) -> bool {
        DuckDbDialect.is_identifier_start(ch) || (!ch.is_ascii() && !ch.is_whitespace())
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        DuckDbDialect.is_identifier_part(ch) || (!ch.is_ascii() && !ch.is_whitespace())
    }

    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        DuckDbDialect.identifier_quote_style(identifier)
    }

    /// DuckDB's postfix factorial `10!` (the catalog's `!__postfix`).
    fn supports_factorial_operator(&self) -> bool {
        true
    }

    fn supports_string_literal_column_alias(&self, explicit: bool) -> bool {
        DuckDbDialect.supports_string_literal_column_alias(explicit)
    }

    fn supports_string_literal_table_alias(&self, explicit: bool) -> bool {
        DuckDbDialect.supports_string_literal_table_alias(explicit)
    }

    duckdb_flags!(
        supports_cte_materialization,
        supports_trailing_commas,
        supports_filter_during_aggregation,
        supports_group_by_expr,
        supports_bitwise_shift_operators,
        supports_tilde_like_match_operator,
        supports_aggregate_order_by_with_empty_args,
        supports_comparison_in_between_low_bound,
        supports_named_fn_args_with_eq_operator,
        supports_named_fn_args_with_assignment_operator,
        supports_dictionary_syntax,
        support_map_literal_syntax,
        supports_lambda_functions,
        allow_extract_single_quotes,
        supports_explain_with_utility_options,
        supports_load_extension,
        supports_array_typedef_with_brackets,
        supports_from_first_select,
        supports_order_by_all,
        supports_select_wildcard_exclude,
        supports_notnull_operator,
        supports_install,
        supports_detach,
        supports_select_wildcard_replace,
        supports_comma_separated_trim,
        supports_numeric_literal_underscores,
        supports_nested_comments,
        supports_add_column_if_not_exists,
        supports_window_frame_exclusion,
        supports_window_function_null_treatment_arg,
        supports_prefix_alias,
        supports_map_typedef_with_parentheses,
        supports_values_as_table_factor,
        supports_limit_percent,
        supports_select_wildcard_rename,
        supports_in_list_value,
        supports_select_wildcard_like,
        supports_filter_during_aggregation_without_where,
        supports_from_first_select_clauses,
        supports_nested_grouping_sets,
        supports_row_struct_type,
        supports_select_wildcard_rename_qualified,
        supports_star_as_all_in_group_and_order_by,
        supports_select_wildcard_replace_without_parens,
        supports_empty_numeric_precision,
        supports_unpacked_columns_expression,
        supports_cte_using_key,
        supports_pivot_multiple_columns_and_group_by,
        supports_dash_as_omitted_slice_bound,
        supports_select_using_sample,
    );

    /// `a JOIN b JOIN c ON … ON …`: DuckDB's (PostgreSQL's) grammar gives each ON to the nearest
    /// JOIN still without one, so `b JOIN c` nests; `a JOIN b ON … JOIN c ON …` stays a chain.
    fn supports_left_associative_joins_without_parens(&self) -> bool {
        false
    }

    /// `SELECT * AS x` names every column the star selects `x` (DuckDB).
    fn supports_select_wildcard_with_alias(&self) -> bool {
        true
    }

    /// `INTERVAL 1 DAY TO SECOND` as a type: DuckDB reads the fields and keeps a plain INTERVAL.
    fn supports_interval_options(&self) -> bool {
        true
    }

    /// `EXTRACT(DOW FROM x)`: DuckDB's grammar lower-cases only its own part keywords (`year`,
    /// `century`…) and keeps the rest as written, which its column name shows
    /// (`date_part('DOW', x)`).
    fn extract_field_keeps_spelling(&self, word: &str) -> bool {
        DuckDbDialect.extract_field_keeps_spelling(word)
    }

    /// DuckDB's interval units that are no sqlparser keyword: `INTERVAL 1 millennia`.
    fn is_interval_qualifier_word(&self, word: &str) -> bool {
        DuckDbDialect.is_interval_qualifier_word(word)
    }

    /// `SETOF T` (PostgreSQL's grammar, kept by DuckDB) is the type `T`.
    fn parse_data_type(&self, parser: &mut Parser) -> Option<Result<DataType, ParserError>> {
        if parser.parse_keyword(Keyword::SETOF) {
            return Some(parser.parse_data_type());
        }
        None
    }

    /// DuckDB's `EXTRACT` takes any date part name (`YEARWEEK`, `ISOYEAR`, `DOW`…) and its
    /// binder refuses the unknown ones; the analysis types it as `date_part('name', x)`.
    fn allow_extract_custom(&self) -> bool {
        true
    }

    /// DuckDB reads any type name before a string as a typed literal (`TIMESTAMP_S '…'`,
    /// `HUGEINT '1'`), as PostgreSQL does; only words that are no keyword qualify, so `NOT 'a'`
    /// stays an expression. A name that is no type is then the analysis's unknown-type error, as
    /// it is DuckDB's.
    fn is_custom_type_typed_string(&self, first_keyword: Keyword, _qualified: bool) -> bool {
        first_keyword == Keyword::NoKeyword
    }

    /// DuckDB reserves `QUALIFY` and `WINDOW` too: `SELECT x QUALIFY …` without FROM is a clause.
    fn is_column_alias(&self, kw: &Keyword, _parser: &mut Parser) -> bool {
        NOT_DUCKDB_KEYWORDS.contains(kw)
            || !(keywords::RESERVED_FOR_COLUMN_ALIAS.contains(kw) || matches!(kw, Keyword::QUALIFY | Keyword::WINDOW))
    }

    fn is_table_alias(&self, kw: &Keyword, _parser: &mut Parser) -> bool {
        NOT_DUCKDB_KEYWORDS.contains(kw) || !keywords::RESERVED_FOR_TABLE_ALIAS.contains(kw)
    }

    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        // `**` binds tighter than `*` and associates to the left, as in DuckDB.
        if is_power(parser) {
            return Some(Ok(self.prec_value(Precedence::MulDivModOp) + 1));
        }
        if is_export_state(&parser.peek_token().token) {
            return Some(Ok(self.prec_value(Precedence::DoubleColon)));
        }
        if is_isnull(&parser.peek_token().token) {
            return Some(Ok(self.prec_value(Precedence::Is)));
        }
        extra_operator(&parser.peek_token().token).map(|_| Ok(self.prec_value(Precedence::Like)))
    }

    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, precedence: u8) -> Option<Result<Expr, ParserError>> {
        if is_power(parser) {
            parser.next_token();
            parser.next_token();
            return Some(parser.parse_subexpr(precedence).map(|right| Expr::BinaryOp {
                left: Box::new(expr.clone()),
                op: BinaryOperator::Custom("**".into()),
                right: Box::new(right),
            }));
        }
        if is_export_state(&parser.peek_token().token) {
            return Some(export_state(parser, expr));
        }
        if is_isnull(&parser.peek_token().token) {
            parser.next_token();
            return Some(Ok(Expr::IsNull(Box::new(expr.clone()))));
        }
        let op = extra_operator(&parser.peek_token().token)?;
        parser.next_token();
        Some(parser.parse_subexpr(precedence).map(|right| Expr::BinaryOp {
            left: Box::new(expr.clone()),
            op,
            right: Box::new(right),
        }))
    }

    fn parse_statement(&self, parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
        match parser.peek_token().token {
            Token::Word(w) if matches!(w.keyword, Keyword::PIVOT | Keyword::UNPIVOT) => {
                Some(pivot_statement(parser).map(Statement::Query))
            }
            _ => None,
        }
    }

    /// The PIVOT statement also stands where a query does: `FROM (PIVOT …)`, `WITH … PIVOT …`.
    fn parse_query_body(&self, parser: &mut Parser) -> Option<Result<SetExpr, ParserError>> {
        if super::describe::starts_describe(parser) {
            return Some(super::describe::describe_query(parser).map(SetExpr::Query));
        }
        match parser.peek_token().token {
            Token::Word(w) if matches!(w.keyword, Keyword::PIVOT | Keyword::UNPIVOT) => {
                Some(pivot_statement(parser).map(SetExpr::Query))
            }
            _ => None,
        }
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        if parser.peek_token().token == Token::Sharp {
            return positional_reference(parser).map(Ok);
        }
        // `INTERVAL (1) DAY` is an interval expression; read through a type first (sqlparser's
        // order), the interval type's options would take `(1)` for its precision.
        if parser.peek_keyword(Keyword::INTERVAL) {
            let interval = parser.maybe_parse(|p| {
                p.next_token();
                p.parse_interval()
            });
            // Not followed by a value: a column named `interval`, as in DuckDB.
            return Some(interval.map(|e| {
                e.unwrap_or_else(|| {
                    let word = parser.next_token();
                    Expr::Identifier(Ident::with_span(word.span, word.to_string()))
                })
            }));
        }
        if is_date_call(parser) {
            return parser.maybe_parse(date_call).transpose();
        }
        if parser.peek_token().token != Token::LBracket {
            return None;
        }
        // Not a comprehension: roll back and let the list literal parse as usual.
        parser.maybe_parse(list_comprehension).transpose()
    }
}

/// `DATE(` — DuckDB's grammar reads a one-argument `DATE(x)` as `CAST(x AS DATE)` (it has no
/// `date` function); other argument counts are its parse error.
fn is_date_call(p: &Parser) -> bool {
    matches!(&p.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::DATE && w.quote_style.is_none())
        && p.peek_nth_token_ref(1).token == Token::LParen
}

/// `DATE(x)` as the cast DuckDB binds (and names: `CAST(x AS DATE)`); a call with another number
/// of arguments rolls back to an ordinary (unknown) function call.
fn date_call(p: &mut Parser) -> Result<Expr, ParserError> {
    p.next_token();
    p.expect_token(&Token::LParen)?;
    let expr = p.parse_expr()?;
    p.expect_token(&Token::RParen)?;
    Ok(Expr::Cast { kind: CastKind::Cast, expr: Box::new(expr), data_type: DataType::Date, format: None })
}

/// DuckDB's positional column reference `#n` (the n-th column of the FROM clause; in a set
/// operation's ORDER BY, of its output), kept as the placeholder `#n`: sqlparser has no node for
/// it and a placeholder is a leaf every walker already passes through. `#` and the number must
/// touch, as in DuckDB's lexer.
fn positional_reference(p: &mut Parser) -> Option<Expr> {
    let sharp = p.peek_token();
    let number = p.peek_nth_token(1);
    let Token::Number(n, false) = &number.token else { return None };
    if sharp.span.end != number.span.start || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.next_token();
    p.next_token();
    let value = Value::Placeholder(format!("#{n}"));
    Some(Expr::Value(value.with_span(sharp.span.union(&number.span))))
}

/// Words sqlparser reserves against a bare alias for other dialects' clauses that are no keyword
/// at all in DuckDB (`SELECT array(…) top`, `FROM t sort`): DuckDB takes them as aliases
/// (checked against `duckdb_keywords()` of DuckDB 1.5.5).
const NOT_DUCKDB_KEYWORDS: &[Keyword] = &[
    Keyword::TOP,
    Keyword::SORT,
    Keyword::MINUS,
    Keyword::DISTRIBUTE,
    Keyword::OUTPUT,
    Keyword::PREWHERE,
    Keyword::SETTINGS,
    Keyword::FORMAT,
    Keyword::CONNECT,
    Keyword::MATCH_CONDITION,
    Keyword::MATCH_RECOGNIZE,
    Keyword::OPEN,
];

/// PostgreSQL's postfix `x ISNULL` (DuckDB keeps it; `NOTNULL` is upstream's), which is no
/// sqlparser keyword: unhandled, it would be read as the alias `isnull`.
fn is_isnull(token: &Token) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("isnull"))
}

/// The word of DuckDB's aggregate state export, `sum(x) EXPORT_STATE`.
pub const EXPORT_STATE: &str = "EXPORT_STATE";

fn is_export_state(token: &Token) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(EXPORT_STATE))
}

/// `agg(…) EXPORT_STATE`: the aggregate's state instead of its result (DuckDB's
/// `AGGREGATE_STATE<…>`, read back by `finalize` / `combine`). sqlparser has no node for a
/// postfix word, so it is kept as the prefixed expression `EXPORT_STATE agg(…)`, which only the
/// analysis reads (naming prints it back as DuckDB does).
fn export_state(p: &mut Parser, expr: &Expr) -> Result<Expr, ParserError> {
    let word = p.next_token();
    if !matches!(expr, Expr::Function(_)) {
        return p.expected("an aggregate call before EXPORT_STATE", word);
    }
    Ok(Expr::Prefixed { prefix: Ident::with_span(word.span, EXPORT_STATE), value: Box::new(expr.clone()) })
}

/// DuckDB's power operator `**` (the catalog function `**`, as `^`), which sqlparser reads as
/// two `*` tokens: they must touch.
fn is_power(parser: &Parser) -> bool {
    let (first, second) = (parser.peek_token(), parser.peek_nth_token(1));
    first.token == Token::Mul && second.token == Token::Mul && first.span.end == second.span.start
}

/// The binary operators DuckDB has and sqlparser's DuckDB dialect does not parse, as the
/// catalog function each one is (`~~~` is GLOB's).
fn extra_operator(token: &Token) -> Option<BinaryOperator> {
    match token {
        Token::Overlap => Some(BinaryOperator::PGOverlap),
        Token::CaretAt => Some(BinaryOperator::PGStartsWith),
        Token::Word(w) if w.keyword == Keyword::GLOB => Some(BinaryOperator::Custom("~~~".into())),
        _ => None,
    }
}

/// DuckDB's `PIVOT t ON c [IN (…)] [USING agg [AS name], …] [GROUP BY …] [ORDER BY …] [LIMIT n]`
/// and `UNPIVOT t ON cols INTO NAME n VALUE v`, kept as `SELECT * FROM t PIVOT (…)`: the output
/// columns depend on the data, so the analysis reads them as an open result.
fn pivot_statement(p: &mut Parser) -> Result<Box<Query>, ParserError> {
    let keyword = p.next_token();
    let table = p.parse_table_factor()?;
    let mut value_column = Vec::new();
    if p.parse_keyword(Keyword::ON) {
        value_column = p.parse_comma_separated(pivot_entry)?;
    }
    let unpivot = matches!(&keyword.token, Token::Word(w) if w.keyword == Keyword::UNPIVOT);
    let (mut name, mut values) = (Ident::new("name"), vec![Ident::new("value")]);
    if p.parse_keyword(Keyword::INTO) {
        p.expect_keyword(Keyword::NAME)?;
        name = p.parse_identifier()?;
        if !p.parse_keyword(Keyword::VALUE) {
            p.expect_keyword(Keyword::VALUES)?;
        }
        values = p.parse_comma_separated(Parser::parse_identifier)?;
    }
    let mut aggregate_functions = Vec::new();
    if p.parse_keyword(Keyword::USING) {
        aggregate_functions = p.parse_comma_separated(Parser::parse_expr_with_alias)?;
    }
    let mut group_by = Vec::new();
    if p.parse_keywords(&[Keyword::GROUP, Keyword::BY]) {
        group_by = p.parse_comma_separated(Parser::parse_expr)?;
    }
    if p.parse_keywords(&[Keyword::ORDER, Keyword::BY]) {
        p.parse_comma_separated(Parser::parse_order_by_expr)?;
    }
    if p.parse_keyword(Keyword::LIMIT) {
        p.parse_expr()?;
    }
    let pivot = if unpivot {
        let value = match values.as_slice() {
            [one] => Expr::Identifier(one.clone()),
            _ => Expr::Tuple(values.into_iter().map(Expr::Identifier).collect()),
        };
        TableFactor::Unpivot {
            table: Box::new(table),
            value,
            name,
            columns: value_column,
            null_inclusion: None,
            alias: None,
        }
    } else {
        TableFactor::Pivot {
            table: Box::new(table),
            aggregate_functions,
            value_column: value_column.into_iter().map(|e| e.expr).collect(),
            value_source: PivotValueSource::List(Vec::new()),
            default_on_null: None,
            more_value_columns: Vec::new(),
            group_by,
            alias: None,
        }
    };
    let star = WildcardAdditionalOptions { wildcard_token: AttachedToken(keyword.clone()), ..Default::default() };
    select_from(keyword, vec![SelectItem::Wildcard(star)], vec![TableWithJoins { relation: pivot, joins: Vec::new() }])
}

/// An `ON` entry: `expr [[AS] name]` (UNPIVOT names the unpivoted columns so), or `* EXCLUDE (…)`,
/// every column but those, kept as `COLUMNS(* EXCLUDE (…))`.
fn pivot_entry(p: &mut Parser) -> Result<ExprWithAlias, ParserError> {
    let expr = if p.consume_token(&Token::Mul) {
        let star = p.get_current_token().clone();
        let opt_exclude = p.parse_optional_select_item_exclude()?;
        let options = WildcardAdditionalOptions {
            wildcard_token: AttachedToken(star.clone()),
            opt_exclude,
            ..Default::default()
        };
        let mut columns = call("columns", star.span, Vec::new());
        if let Expr::Function(Function { args: FunctionArguments::List(list), .. }) = &mut columns {
            list.args.push(FunctionArg::Unnamed(FunctionArgExpr::WildcardWithOptions(options)));
        }
        columns
    } else {
        p.parse_expr()?
    };
    // What may follow the entries instead of a name: the clauses of a column alias, and USING.
    let after: Vec<Keyword> = keywords::RESERVED_FOR_COLUMN_ALIAS.iter().copied().chain([Keyword::USING]).collect();
    let alias = p.parse_optional_alias(&after)?;
    Ok(ExprWithAlias { expr, alias })
}

/// `SELECT <projection> FROM <from>` standing for a DuckDB statement where a query goes, its
/// tokens placed on the statement's keyword.
pub(super) fn select_from(
    keyword: TokenWithSpan,
    projection: Vec<SelectItem>,
    from: Vec<TableWithJoins>,
) -> Result<Box<Query>, ParserError> {
    let mut query = Parser::new(&RockyDialect).try_with_sql("SELECT *")?.parse_query()?;
    if let SetExpr::Select(select) = query.body.as_mut() {
        select.select_token = AttachedToken(keyword);
        select.projection = projection;
        select.from = from;
    }
    Ok(query)
}

/// `[body FOR x IN list IF cond]`, which DuckDB binds as
/// `list_transform(list_filter(list, x -> cond), x -> body)`; `FOR x, i IN list` also binds the
/// element's 1-based index, as a lambda's second parameter does.
fn list_comprehension(p: &mut Parser) -> Result<Expr, ParserError> {
    let open = p.expect_token(&Token::LBracket)?.span;
    let body = p.parse_expr()?;
    p.expect_keyword(Keyword::FOR)?;
    let var = p.parse_comma_separated(Parser::parse_identifier)?;
    if var.len() > 2 {
        return p.expected("one or two variables", p.peek_token());
    }
    p.expect_keyword(Keyword::IN)?;
    let mut list = p.parse_expr()?;
    if p.parse_keyword(Keyword::IF) {
        let cond = p.parse_expr()?;
        list = call("list_filter", open, vec![list, lambda(&var, cond)]);
    }
    p.expect_token(&Token::RBracket)?;
    Ok(call("list_transform", open, vec![list, lambda(&var, body)]))
}

fn lambda(var: &[Ident], body: Expr) -> Expr {
    let param = |name: &Ident| LambdaFunctionParameter { name: name.clone(), data_type: None };
    let params = match var {
        [one] => OneOrManyWithParens::One(param(one)),
        many => OneOrManyWithParens::Many(many.iter().map(param).collect()),
    };
    Expr::Lambda(LambdaFunction { params, body: Box::new(body), syntax: LambdaSyntax::Arrow })
}

fn call(name: &str, span: Span, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName(vec![ObjectNamePart::Identifier(Ident::with_span(span, name))]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(sql: &str) -> Result<String, ParserError> {
        Parser::new(&RockyDialect).try_with_sql(sql)?.parse_statements().map(|s| s[0].to_string())
    }

    #[test]
    fn parses_duckdb_operators_and_list_comprehensions() {
        assert_eq!(parse("SELECT 'a' GLOB 'b'").unwrap(), "SELECT 'a' ~~~ 'b'");
        assert_eq!(parse("SELECT [1] && [2], 'ab' ^@ 'a'").unwrap(), "SELECT [1] && [2], 'ab' ^@ 'a'");
        assert_eq!(
            parse("SELECT [x * 2 FOR x IN [1, 2] IF x > 1]").unwrap(),
            "SELECT list_transform(list_filter([1, 2], x -> x > 1), x -> x * 2)"
        );
        assert_eq!(parse("SELECT [1, 2][1]").unwrap(), "SELECT [1, 2][1]");
        assert!(parse("SELECT [x FOR x IN]").is_err());
        assert_eq!(
            parse("SELECT [x + i FOR x, i IN l IF i > 1]").unwrap(),
            "SELECT list_transform(list_filter(l, (x, i) -> i > 1), (x, i) -> x + i)"
        );
        assert!(parse("SELECT [x FOR x, i, j IN l]").is_err());
        assert!(parse("PIVOT cities ON year IN (2000, 2010) USING sum(population) AS total GROUP BY country").is_ok());
        assert!(parse("UNPIVOT monthly ON jan, feb INTO NAME month VALUE sales").is_ok());
        assert!(parse("PIVOT cities ON USING sum(population)").is_err());
        assert!(parse("SELECT count(*) FROM (PIVOT (FROM range(3)) ON range USING sum(range))").is_ok());
        assert!(parse("WITH c AS (SELECT 1 AS a) PIVOT c ON a USING count(*)").is_ok());
        assert!(parse("SELECT * FROM (UNPIVOT t ON a, b INTO NAME d VALUE v)").is_ok());
        // Named entries, with and without AS; a star with exclusions; several value columns.
        assert!(parse("UNPIVOT t ON jan, feb, mar april INTO NAME month VALUE sales").is_ok());
        assert!(parse(
            r#"FROM (UNPIVOT t ON "Sales (05/19)" AS "2020-05-19", (a + 1)::VARCHAR AS c INTO NAME d VALUE s)"#
        )
        .is_ok());
        assert!(parse("SELECT * FROM (UNPIVOT t ON * EXCLUDE (id) INTO NAME d VALUE s)").is_ok());
        assert!(parse("UNPIVOT t ON (m1, v1), (m2, v2) INTO NAME metric VALUES value, kind").is_ok());
        assert_eq!(parse("SELECT #1 + #2 FROM t ORDER BY #1").unwrap(), "SELECT #1 + #2 FROM t ORDER BY #1");
        assert!(parse("SELECT # 1 FROM t").is_err());
        assert_eq!(parse("SELECT 2 ** 3 * 2, count(*) * 2 FROM t").unwrap(), "SELECT 2 ** 3 * 2, count(*) * 2 FROM t");
        assert_eq!(parse("SELECT 1 top, 2 sort FROM t minus").unwrap(), "SELECT 1 AS top, 2 AS sort FROM t minus");
        assert!(parse("SELECT 1 values").is_err());
        assert_eq!(
            parse("SELECT j : 42, \"a b\": x FROM t1 : t, o: (SELECT 1)").unwrap(),
            "SELECT 42 AS j, x AS \"a b\" FROM t AS t1, (SELECT 1) AS o"
        );
        assert!(parse("SELECT * FROM a: t b").is_err());
    }

    #[test]
    fn parses_window_exclusion_and_null_treatment_in_calls() {
        // Patched in vendor/sqlparser: a frame's EXCLUDE, IGNORE NULLS after the arguments or ORDER BY.
        for sql in [
            "SELECT count(*) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM t",
            "SELECT sum(i) OVER (ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) FROM t",
            "SELECT sum(i) OVER (GROUPS 1 PRECEDING EXCLUDE GROUP), sum(i) OVER (ROWS 1 PRECEDING EXCLUDE NO OTHERS) FROM t",
            "SELECT lag(i, 1, -1 IGNORE NULLS) OVER (ORDER BY i) FROM t",
            "SELECT first_value(i ORDER BY j IGNORE NULLS) OVER (PARTITION BY k) FROM t",
        ] {
            assert_eq!(parse(sql).unwrap(), sql);
        }
        assert!(parse("SELECT sum(i) OVER (ROWS 1 PRECEDING EXCLUDE OTHERS) FROM t").is_err());
    }

    #[test]
    fn parses_star_patterns_filters_without_where_and_from_first_clauses() {
        // Patched in vendor/sqlparser: a star's name pattern, FILTER (cond), FROM t WHERE … .
        for sql in [
            "SELECT * LIKE 'col%' FROM t",
            "SELECT * EXCLUDE (a) NOT SIMILAR TO '(a|c)' FROM t",
            "SELECT t1.* ILIKE '\\_N%' ESCAPE '\\' AS val FROM t1",
            "SELECT * GLOB 'c*' FROM t",
            "SELECT sum(x) FILTER (WHERE x > 1) FROM t",
            "FROM t WHERE x = 1 GROUP BY ALL HAVING count(*) > 1 QUALIFY row_number() OVER () = 1",
            "SELECT * FROM (FROM t WHERE x = 1) AS s",
        ] {
            assert_eq!(parse(sql).unwrap(), sql);
        }
        assert_eq!(
            parse("SELECT a, b FROM t GROUP BY GROUPING SETS (GROUPING SETS (a, ()), GROUPING SETS (b), (a, b))")
                .unwrap(),
            "SELECT a, b FROM t GROUP BY GROUPING SETS ((a), (), (b), (a, b))"
        );
        assert_eq!(parse("SELECT * FROM t LIMIT 50% OFFSET 2").unwrap(), "SELECT * FROM t LIMIT 50 PERCENT OFFSET 2");
        assert_eq!(parse("SELECT * FROM t LIMIT 10 % 3").unwrap(), "SELECT * FROM t LIMIT 10 % 3");
        assert_eq!(parse("SELECT sum(x) FILTER (x > 1) FROM t").unwrap(), "SELECT sum(x) FILTER (WHERE x > 1) FROM t");
        assert!(parse("SELECT * LIKE FROM t").is_err());
        assert!(parse("SELECT * RENAME (a AS b) LIKE 'b%' FROM t").is_err());
        for sql in [
            "SELECT * RENAME (t.a AS r1, b AS r2) FROM t",
            "SELECT t.* RENAME t.a AS r FROM t",
            "SELECT * RENAME (a AS r) FROM t",
            "SELECT * RENAME a AS r FROM t",
        ] {
            assert_eq!(parse(sql).unwrap(), sql);
        }
        assert_eq!(parse("SELECT * RENAME (t.a AS r1,) FROM t").unwrap(), "SELECT * RENAME (t.a AS r1) FROM t");
    }

    #[test]
    fn parses_custom_typed_strings_and_describe_as_a_query() {
        assert_eq!(
            parse("SELECT TIMESTAMP_S '2020-01-01', bitstring'0101', NOT 'a'").unwrap(),
            "SELECT TIMESTAMP_S '2020-01-01', bitstring '0101', NOT 'a'"
        );
        assert_eq!(
            parse("SELECT column_name FROM (DESCRIBE SELECT 42 AS j)").unwrap(),
            "SELECT column_name FROM ((SELECT NULL::VARCHAR AS column_name, NULL::VARCHAR AS column_type, \
             NULL::VARCHAR AS null, NULL::VARCHAR AS key, NULL::VARCHAR AS default, NULL::VARCHAR AS extra \
             FROM (SELECT 42 AS j)))"
        );
        for sql in [
            "WITH c AS (SELECT 42 AS a) FROM (SUMMARIZE TABLE c)",
            "FROM (DESCRIBE PIVOT t ON m USING sum(x))",
            "FROM (SHOW TABLES)",
            "FROM (SHOW ALL TABLES)",
            "FROM (SHOW t)",
        ] {
            assert!(parse(sql).is_ok(), "{sql}");
        }
        assert!(parse("FROM (DESCRIBE)").is_err());
        assert!(parse("SELECT finalize(sum(x) EXPORT_STATE), count(*) export_state AS s FROM t").is_ok());
        assert!(parse("SELECT x EXPORT_STATE FROM t").is_err());
    }

    #[test]
    fn parses_star_for_all_replace_without_parentheses_empty_precision_and_any_date_part() {
        assert_eq!(
            parse("SELECT g, sum(i) FROM t GROUP BY * ORDER BY * DESC NULLS LAST").unwrap(),
            "SELECT g, sum(i) FROM t GROUP BY ALL ORDER BY ALL DESC NULLS LAST"
        );
        assert_eq!(parse("SELECT a FROM t ORDER BY *").unwrap(), "SELECT a FROM t ORDER BY ALL");
        // A product stays a product.
        assert_eq!(parse("SELECT a FROM t ORDER BY a * 2").unwrap(), "SELECT a FROM t ORDER BY a * 2");
        assert_eq!(parse("SELECT * REPLACE i + 100 AS i FROM t").unwrap(), "SELECT * REPLACE (i + 100 AS i) FROM t");
        assert_eq!(
            parse("SELECT 1.25::DECIMAL(), x::NUMERIC() FROM t").unwrap(),
            "SELECT 1.25::DECIMAL, x::NUMERIC FROM t"
        );
        assert!(parse("SELECT EXTRACT(YEARWEEK FROM d), extract(isoyear FROM d) FROM t").is_ok());
        assert!(parse("SELECT a FROM t ORDER BY * *").is_err());
        assert_eq!(
            parse("WITH RECURSIVE c(x, y) USING KEY (x) AS (SELECT 1, 0) TABLE c").unwrap(),
            "WITH RECURSIVE c (x, y) USING KEY (x) AS (SELECT 1, 0) TABLE c"
        );
        assert_eq!(
            parse("SELECT coalesce(*COLUMNS(* EXCLUDE (a)), 0), count(*) FROM t").unwrap(),
            "SELECT coalesce(* COLUMNS(* EXCLUDE (a)), 0), count(*) FROM t"
        );
    }

    #[test]
    fn parses_pivots_of_several_columns_of_an_enum_and_with_group_by() {
        for sql in [
            "SELECT * FROM t PIVOT(sum(x) FOR y IN (2020, 2021) m IN ('JAN', 'FEB') GROUP BY id) AS p",
            "SELECT * FROM t PIVOT(sum(x) FOR m IN mood) AS p",
            "SELECT * FROM t PIVOT(sum(x) FOR (a, b) IN ((1, 2)) c IN s.mood) AS p",
        ] {
            assert_eq!(parse(sql).unwrap(), sql);
        }
        assert!(parse("SELECT * FROM t PIVOT(sum(x) FOR y IN (1) GROUP BY) AS p").is_err());
    }

    #[test]
    fn parses_values_with_a_trailing_comma_before_the_alias() {
        assert_eq!(
            parse("SELECT * FROM VALUES (1), (2), AS t(x)").unwrap(),
            "SELECT * FROM (VALUES (1), (2)) AS t (x)"
        );
        assert!(parse("SELECT * FROM VALUES (1), (2), t(x)").is_err());
    }

    #[test]
    fn parses_using_sample_after_the_other_clauses() {
        for (sql, shown) in [
            ("SELECT * FROM t1 USING SAMPLE 5", "SELECT * FROM t1 USING SAMPLE 5"),
            ("SELECT c FROM t GROUP BY ALL USING SAMPLE 3", "SELECT c FROM t GROUP BY ALL USING SAMPLE 3"),
            ("SELECT * FROM t USING SAMPLE 80% (reservoir)", "SELECT * FROM t USING SAMPLE reservoir(80 PERCENT)"),
            (
                "SELECT * FROM t USING SAMPLE reservoir(100) REPEATABLE (1) ORDER BY a",
                "SELECT * FROM t USING SAMPLE reservoir(100) REPEATABLE (1) ORDER BY a",
            ),
            (
                "SELECT id FROM t USING SAMPLE 1% (bernoulli, 5)",
                "SELECT id FROM t USING SAMPLE bernoulli(1 PERCENT) REPEATABLE (5)",
            ),
            (
                "SELECT count(*) FROM t USING SAMPLE 10 PERCENT (reservoir)",
                "SELECT count(*) FROM t USING SAMPLE reservoir(10 PERCENT)",
            ),
            ("SELECT count(*) FROM range(100) USING SAMPLE (10)", "SELECT count(*) FROM range(100) USING SAMPLE 10"),
            (
                "FROM t WHERE a > 1 USING SAMPLE 99.0% (Reservoir)",
                "FROM t WHERE a > 1 USING SAMPLE Reservoir(99.0 PERCENT)",
            ),
        ] {
            assert_eq!(parse(sql).unwrap(), shown, "{sql}");
        }
        assert!(parse("SELECT * FROM t USING SAMPLE").is_err());
        // A join's USING is not a sample.
        assert!(parse("SELECT * FROM a JOIN b USING (id)").is_ok());
    }

    #[test]
    fn parses_a_dash_as_the_omitted_end_of_a_slice() {
        assert_eq!(parse("SELECT l[:-:-1], l[1:-:-2], l[:-] FROM t").unwrap(), "SELECT l[::-1], l[1::-2], l[:] FROM t");
        assert_eq!(parse("SELECT l[:-1], l[2:-1:2] FROM t").unwrap(), "SELECT l[:-1], l[2:-1:2] FROM t");
    }
}
