//! Differential tests: Rocky's DuckDB type rules against a real DuckDB (the linked libduckdb).
//!
//! Each case is checked with `DESCRIBE SELECT <expr> FROM (SELECT NULL::T1 AS a, NULL::T2 AS b)`;
//! where DuckDB raises a Binder error, Rocky must return an error too.

use duckdb::Connection;
use rocky_analysis::functions::Catalog;
use rocky_analysis::types::BinaryOperator as B;
use rocky_analysis::types::{binary_op, common_type, literal_number, union_type, Type};

#[allow(dead_code)]
#[path = "../src/bin/gen_duckdb_functions.rs"]
mod generator;

/// DuckDB's answer: Ok(column_type) or Err(first line of the error).
fn describe(conn: &Connection, expr: &str, t1: &str, t2: &str) -> Result<String, String> {
    let sql = format!("DESCRIBE SELECT {expr} FROM (SELECT NULL::{t1} AS a, NULL::{t2} AS b)");
    conn.query_row(&sql, [], |r| r.get::<_, String>(1))
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
}

struct Tally {
    name: &'static str,
    agree: usize,
    disagree: Vec<String>,
}

impl Tally {
    fn new(name: &'static str) -> Self {
        Tally { name, agree: 0, disagree: Vec::new() }
    }
    fn check(&mut self, what: &str, ours: Result<String, String>, theirs: Result<String, String>) {
        let same = match (&ours, &theirs) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(e)) => !e.contains("Parser") && !e.contains("Catalog"),
            _ => false,
        };
        if same {
            self.agree += 1;
        } else {
            self.disagree.push(format!("{what}: rocky {ours:?} duckdb {theirs:?}"));
        }
    }
    fn report(&self) -> bool {
        println!("{}: {} agree, {} disagree", self.name, self.agree, self.disagree.len());
        for d in &self.disagree {
            println!("  {d}");
        }
        self.disagree.is_empty()
    }
}

const TYPES: &[&str] = &[
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL(4,1)",
    "DECIMAL(18,3)",
    "DECIMAL(38,10)",
    "VARCHAR",
    "BLOB",
    "DATE",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "INTERVAL",
    "UUID",
    "INTEGER[]",
    "VARCHAR[]",
];

fn conn() -> Connection {
    Connection::open_in_memory().expect("open duckdb")
}

#[test]
fn function_data_file_is_fresh() {
    let generated = generator::rocky_tests_gen::generate().expect("generate");
    let checked_in = include_str!("../../analysis/src/functions/duckdb_functions.jsonl");
    assert!(
        generated == checked_in,
        "analysis/src/functions/duckdb_functions.jsonl is stale: run scripts/gen-duckdb-functions.sh"
    );
}

#[test]
fn display_and_parse() {
    let c = conn();
    let mut t = Tally::new("display");
    for s in [
        "INT",
        "INT4",
        "TEXT",
        "STRING",
        "NUMERIC(10,2)",
        "NUMERIC",
        "DECIMAL(4)",
        "FLOAT8",
        "BOOL",
        "TIMESTAMPTZ",
        "TIMETZ",
        "REAL",
        "DATETIME",
        "BYTEA",
        "INT1",
        "INT2",
        "INT8",
        "SHORT",
        "LONG",
        "TIMESTAMP_S",
        "TIMESTAMP_MS",
        "TIMESTAMP_NS",
        "UUID",
        "JSON",
        "BIT",
        "VARINT",
        "UHUGEINT",
        "INT[]",
        "INT[3]",
        "INT[2][]",
        "MAP(VARCHAR, INT[])",
        "STRUCT(a INT, \"b c\" VARCHAR)",
        "STRUCT(\"A\" INT, \"select\" INT, \"name\" INT)[]",
        "STRUCT(a STRUCT(b INT[]), c MAP(INT, DATE))",
        "UNION(a INT, b VARCHAR)",
        "ENUM('a', 'it''s')",
        "DOUBLE PRECISION",
        "VARCHAR(10)",
        "TIME",
        "INTERVAL",
        "DATE",
        "TIMESTAMP WITH TIME ZONE",
        "BLOB",
        "HUGEINT",
        "\"NULL\"",
    ] {
        let ours = Type::parse(s).materialize().to_string();
        t.check(s, Ok(ours), describe(&c, &format!("NULL::{s}"), "INT", "INT"));
    }
    assert!(t.report());
}

#[test]
fn numeric_literals() {
    let c = conn();
    let mut t = Tally::new("literals");
    for lit in [
        "1",
        "0",
        "2147483647",
        "2147483648",
        "9223372036854775807",
        "9223372036854775808",
        "170141183460469231731687303715884105727",
        "170141183460469231731687303715884105728",
        "1000000000000000000000000000000000000000000",
        "1.5",
        "1.50",
        "00.5",
        ".5",
        "1.",
        "0.0",
        "1e3",
        "1.5E-2",
        "0x1F",
        "1_000",
        "1_000.5",
        "123456789012345678901234567890.1",
        "0.1234567890123456789012",
        "100000000000000000000000000000000000000.5",
    ] {
        let ours = literal_number(lit).materialize().to_string();
        t.check(lit, Ok(ours), describe(&c, lit, "INT", "INT"));
    }
    assert!(t.report());
}

fn sql_op(op: &B) -> &'static str {
    match op {
        B::Plus => "+",
        B::Minus => "-",
        B::Multiply => "*",
        B::Divide => "/",
        B::DuckIntegerDivide => "//",
        B::Modulo => "%",
        B::StringConcat => "||",
        B::Eq => "=",
        B::Lt => "<",
        B::And => "AND",
        B::BitwiseAnd => "&",
        _ => "?",
    }
}

#[test]
fn binary_operators() {
    let c = conn();
    let mut t = Tally::new("binary operators");
    let ops = [
        B::Plus,
        B::Minus,
        B::Multiply,
        B::Divide,
        B::DuckIntegerDivide,
        B::Modulo,
        B::StringConcat,
        B::Eq,
        B::Lt,
        B::And,
        B::BitwiseAnd,
    ];
    for op in &ops {
        for t1 in TYPES {
            for t2 in TYPES {
                let ours = binary_op(op, &Type::parse(t1), &Type::parse(t2))
                    .map(|t| t.materialize().to_string())
                    .map_err(|e| e.message);
                let expr = format!("a {} b", sql_op(op));
                t.check(&format!("{t1} {} {t2}", sql_op(op)), ours, describe(&c, &expr, t1, t2));
            }
            // Literal operands.
            for (lit, lt) in
                [("1", Type::IntegerLiteral(1)), ("'x'", Type::StringLiteral), ("2.5", literal_number("2.5"))]
            {
                let ours =
                    binary_op(op, &Type::parse(t1), &lt).map(|t| t.materialize().to_string()).map_err(|e| e.message);
                let expr = format!("a {} {lit}", sql_op(op));
                t.check(&format!("{t1} {} {lit}", sql_op(op)), ours, describe(&c, &expr, t1, "INT"));
            }
        }
    }
    assert!(t.report());
}

#[test]
fn common_types() {
    let c = conn();
    let mut t = Tally::new("CASE / UNION common types");
    for t1 in TYPES {
        for t2 in TYPES {
            let (a, b) = (Type::parse(t1), Type::parse(t2));
            let ours = common_type(&a, &b).map(|t| t.materialize().to_string()).ok_or_else(|| "error".to_string());
            t.check(
                &format!("CASE {t1}/{t2}"),
                ours,
                describe(&c, "CASE WHEN random() < 0.5 THEN a ELSE b END", t1, t2),
            );
            let sql = format!("DESCRIBE SELECT NULL::{t1} AS x UNION ALL SELECT NULL::{t2}");
            let theirs = c.query_row(&sql, [], |r| r.get::<_, String>(1)).map_err(|e| e.to_string());
            t.check(&format!("UNION {t1}/{t2}"), Ok(union_type(&a, &b).materialize().to_string()), theirs);
        }
        for (lit, lt) in [("1", Type::IntegerLiteral(1)), ("'2020-01-01'", Type::StringLiteral), ("NULL", Type::Null)] {
            let ours = common_type(&Type::parse(t1), &lt)
                .map(|t| t.materialize().to_string())
                .ok_or_else(|| "error".to_string());
            t.check(&format!("COALESCE {t1}/{lit}"), ours, describe(&c, &format!("COALESCE(a, {lit})"), t1, "INT"));
        }
    }
    assert!(t.report());
}

#[test]
fn functions() {
    let c = conn();
    let cat = Catalog::duckdb();
    let mut t = Tally::new("functions");
    let unary = [
        "sum",
        "avg",
        "min",
        "max",
        "count",
        "first",
        "any_value",
        "abs",
        "round",
        "floor",
        "ceil",
        "lower",
        "length",
        "list_sort",
        "array_length",
        "typeof",
        "stddev",
        "median",
        "mode",
        "string_agg",
        "list",
        "array_agg",
        "bool_and",
        "product",
        "sign",
        "sqrt",
        "year",
        "to_json",
        "md5",
        "hash",
        "unnest",
        "flatten",
        "epoch",
        "last_day",
        "dayname",
    ];
    let arg_types = [
        "TINYINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UBIGINT",
        "FLOAT",
        "DOUBLE",
        "DECIMAL(4,1)",
        "DECIMAL(18,3)",
        "DECIMAL(38,10)",
        "VARCHAR",
        "DATE",
        "TIMESTAMP",
        "TIMESTAMPTZ",
        "INTERVAL",
        "BOOLEAN",
        "INTEGER[]",
        "VARCHAR[]",
        "BLOB",
    ];
    for f in unary {
        for a in arg_types {
            let ours = cat
                .resolve(f, &[Type::parse(a)])
                .map(|r| r.return_type.materialize().to_string())
                .map_err(|e| format!("{e:?}"));
            if ours.as_ref().is_ok_and(|s| s == "UNKNOWN") {
                continue;
            }
            t.check(&format!("{f}({a})"), ours, describe(&c, &format!("{f}(a)"), a, "INT"));
        }
    }
    let binary: &[(&str, &str, &str)] = &[
        ("round", "DOUBLE", "INTEGER"),
        ("date_trunc", "VARCHAR", "DATE"),
        ("date_trunc", "VARCHAR", "TIMESTAMP"),
        ("date_trunc", "VARCHAR", "TIMESTAMPTZ"),
        ("date_part", "VARCHAR", "DATE"),
        ("list_extract", "INTEGER[]", "INTEGER"),
        ("list_extract", "VARCHAR[]", "BIGINT"),
        ("coalesce", "INTEGER", "BIGINT"),
        ("ifnull", "INTEGER", "DOUBLE"),
        ("nullif", "DECIMAL(18,3)", "INTEGER"),
        ("greatest", "INTEGER", "BIGINT"),
        ("least", "DATE", "TIMESTAMP"),
        ("concat", "VARCHAR", "INTEGER"),
        ("list_concat", "INTEGER[]", "BIGINT[]"),
        ("list_value", "INTEGER", "BIGINT"),
        ("arg_max", "VARCHAR", "DATE"),
        ("arg_min", "DECIMAL(18,3)", "INTEGER"),
        ("datediff", "VARCHAR", "DATE"),
        ("date_diff", "VARCHAR", "TIMESTAMP"),
        ("left", "VARCHAR", "INTEGER"),
        ("substr", "VARCHAR", "INTEGER"),
        ("regexp_matches", "VARCHAR", "VARCHAR"),
        ("string_split", "VARCHAR", "VARCHAR"),
        ("list_contains", "INTEGER[]", "INTEGER"),
        ("map_extract", "MAP(VARCHAR, INTEGER)", "VARCHAR"),
        ("array_slice", "INTEGER[]", "INTEGER"),
        ("power", "INTEGER", "INTEGER"),
        ("make_date", "BIGINT", "BIGINT"),
        ("to_timestamp", "DOUBLE", "DOUBLE"),
        ("corr", "DOUBLE", "INTEGER"),
        ("sum", "UNKNOWN", "UNKNOWN"),
    ];
    for (f, a, b) in binary {
        if a.contains("UNKNOWN") {
            continue;
        }
        let ours = cat
            .resolve(f, &[Type::parse(a), Type::parse(b)])
            .map(|r| r.return_type.materialize().to_string())
            .map_err(|e| format!("{e:?}"));
        if ours.as_ref().is_ok_and(|s| s == "UNKNOWN") {
            continue;
        }
        t.check(&format!("{f}({a}, {b})"), ours, describe(&c, &format!("{f}(a, b)"), a, b));
    }
    // Calls with constant arguments (DuckDB requires constants there).
    for (expr, f, args) in [
        ("round(a, 1)", "round", vec![Type::parse("DECIMAL(18,3)"), Type::IntegerLiteral(1)]),
        ("round(a, 5)", "round", vec![Type::parse("DECIMAL(18,3)"), Type::IntegerLiteral(5)]),
        ("strftime(b, '%Y')", "strftime", vec![Type::Timestamp, Type::StringLiteral]),
        ("date_trunc('month', b)", "date_trunc", vec![Type::StringLiteral, Type::Timestamp]),
        ("date_part('year', b)", "date_part", vec![Type::StringLiteral, Type::Timestamp]),
        ("quantile_cont(a, 0.5)", "quantile_cont", vec![Type::parse("DECIMAL(18,3)"), literal_number("0.5")]),
        ("concat(a, 'x')", "concat", vec![Type::parse("DECIMAL(18,3)"), Type::StringLiteral]),
        ("lag(b)", "lag", vec![Type::Timestamp]),
        ("row_number()", "row_number", vec![]),
        ("coalesce(a, 0)", "coalesce", vec![Type::parse("DECIMAL(18,3)"), Type::IntegerLiteral(0)]),
        ("[a, 1]", "list_value", vec![Type::parse("DECIMAL(18,3)"), Type::IntegerLiteral(1)]),
    ] {
        let ours = cat.resolve(f, &args).map(|r| r.return_type.materialize().to_string()).map_err(|e| format!("{e:?}"));
        let theirs = describe(&c, expr, "DECIMAL(18,3)", "TIMESTAMP");
        let theirs = if expr.starts_with("lag") || expr.starts_with("row_number") {
            let sql = format!("DESCRIBE SELECT {expr} OVER () FROM (SELECT NULL::TIMESTAMP AS b)");
            c.query_row(&sql, [], |r| r.get::<_, String>(1)).map_err(|e| e.to_string())
        } else {
            theirs
        };
        t.check(expr, ours, theirs);
    }
    for (f, ret) in [("now()", "TIMESTAMP WITH TIME ZONE"), ("current_date", "DATE"), ("count(*)", "BIGINT")] {
        t.check(f, Ok(ret.to_string()), describe(&c, f, "INT", "INT"));
    }
    for (f, a) in [("count_star", &[][..]), ("now", &[][..]), ("random", &[][..])] {
        let ours = cat.resolve(f, a).map(|r| r.return_type.to_string()).map_err(|e| format!("{e:?}"));
        t.check(&format!("{f}()"), ours, describe(&c, &format!("{f}()"), "INT", "INT"));
    }
    assert!(t.report());
}
