//! DuckDB's `DESCRIBE`, `SUMMARIZE` and `SHOW` where a query stands (`FROM (DESCRIBE t)`,
//! `SELECT … FROM (SUMMARIZE SELECT …)`). Their output columns are fixed by DuckDB whatever they
//! describe, so each is kept as `SELECT NULL::type AS column, … FROM <what it describes>`: the
//! names and types are DuckDB's (those of DuckDB 1.5.5), and the described query or table is
//! still checked as any other relation of a FROM clause.

use sqlparser::ast::{
    ArrayElemTypeDef, CastKind, DataType, ExactNumberInfo, Expr, Ident, Query, SelectItem, TableFactor, TableWithJoins,
    Value,
};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Span, Token};

/// The columns of `DESCRIBE` (and `SHOW <table>`).
const DESCRIBE: &[(&str, Column)] = &[
    ("column_name", Column::Varchar),
    ("column_type", Column::Varchar),
    ("null", Column::Varchar),
    ("key", Column::Varchar),
    ("default", Column::Varchar),
    ("extra", Column::Varchar),
];

/// The columns of `SUMMARIZE`.
const SUMMARIZE: &[(&str, Column)] = &[
    ("column_name", Column::Varchar),
    ("column_type", Column::Varchar),
    ("min", Column::Varchar),
    ("max", Column::Varchar),
    ("approx_unique", Column::BigInt),
    ("avg", Column::Varchar),
    ("std", Column::Varchar),
    ("q25", Column::Varchar),
    ("q50", Column::Varchar),
    ("q75", Column::Varchar),
    ("count", Column::BigInt),
    ("null_percentage", Column::Decimal92),
];

/// The columns of `SHOW TABLES`.
const SHOW_TABLES: &[(&str, Column)] = &[("name", Column::Varchar)];

/// The columns of `SHOW ALL TABLES`.
const SHOW_ALL_TABLES: &[(&str, Column)] = &[
    ("database", Column::Varchar),
    ("schema", Column::Varchar),
    ("name", Column::Varchar),
    ("column_names", Column::VarcharList),
    ("column_types", Column::VarcharList),
    ("temporary", Column::Boolean),
];

#[derive(Clone, Copy)]
enum Column {
    Varchar,
    BigInt,
    Decimal92,
    VarcharList,
    Boolean,
}

impl Column {
    fn data_type(self) -> DataType {
        match self {
            Column::Varchar => DataType::Varchar(None),
            Column::BigInt => DataType::BigInt(None),
            Column::Decimal92 => DataType::Decimal(ExactNumberInfo::PrecisionAndScale(9, 2)),
            Column::VarcharList => {
                DataType::Array(ArrayElemTypeDef::SquareBracket(Box::new(DataType::Varchar(None)), None))
            }
            Column::Boolean => DataType::Boolean,
        }
    }
}

/// Whether the next word starts one of these statements.
pub fn starts_describe(parser: &Parser) -> bool {
    let Token::Word(w) = &parser.peek_token().token else { return false };
    w.quote_style.is_none()
        && (matches!(w.keyword, Keyword::DESCRIBE | Keyword::SHOW) || w.value.eq_ignore_ascii_case("summarize"))
}

/// Reads `DESCRIBE | SUMMARIZE [TABLE] <query or table>`, `SHOW <table>`, `SHOW [ALL] TABLES`.
pub fn describe_query(p: &mut Parser) -> Result<Box<Query>, ParserError> {
    let keyword = p.next_token();
    let span = keyword.span;
    let Token::Word(word) = &keyword.token else { return p.expected("DESCRIBE", keyword) };
    let (columns, described) = if word.keyword == Keyword::SHOW && p.parse_keyword(Keyword::TABLES) {
        (SHOW_TABLES, None)
    } else if word.keyword == Keyword::SHOW && p.parse_keywords(&[Keyword::ALL, Keyword::TABLES]) {
        (SHOW_ALL_TABLES, None)
    } else {
        let summarize = word.keyword != Keyword::DESCRIBE && word.keyword != Keyword::SHOW;
        (if summarize { SUMMARIZE } else { DESCRIBE }, Some(described(p)?))
    };
    let projection = columns.iter().map(|(name, column)| null_as(name, column.data_type(), span)).collect();
    let from = described.map(|relation| TableWithJoins { relation, joins: Vec::new() });
    super::dialect::select_from(keyword.clone(), projection, from.into_iter().collect())
}

/// What is described: a query, or a table (`TABLE` may come first).
fn described(p: &mut Parser) -> Result<TableFactor, ParserError> {
    let _table = p.parse_keyword(Keyword::TABLE);
    let query_follows = match &p.peek_token().token {
        Token::Word(w) => matches!(
            w.keyword,
            Keyword::SELECT | Keyword::WITH | Keyword::FROM | Keyword::VALUES | Keyword::PIVOT | Keyword::UNPIVOT
        ),
        Token::LParen => true,
        _ => false,
    };
    if !query_follows {
        return p.parse_table_factor();
    }
    Ok(TableFactor::Derived { lateral: false, subquery: p.parse_query()?, alias: None, sample: None })
}

/// `NULL::type AS name`, placed on the statement's keyword.
fn null_as(name: &str, data_type: DataType, span: Span) -> SelectItem {
    SelectItem::ExprWithAlias {
        expr: Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: Box::new(Expr::Value(Value::Null.with_span(span))),
            data_type,
            format: None,
        },
        alias: Ident::with_span(span, name),
    }
}
