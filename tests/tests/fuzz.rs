//! Robustness: random and mutated SQL, hostile nesting and garbage TOML never panic and always
//! finish. No timing assertions (speed is measured in benchmarks); cases are bounded in size.

use proptest::prelude::*;
use rocky_analysis::config::{parse_model_config, parse_project_config};
use rocky_analysis::syntax::parse_sql;
use rocky_analysis::{check_query, SourceColumn, SourceSchemaSnapshot, SourceTable};

fn snapshot() -> SourceSchemaSnapshot {
    let mut s = SourceSchemaSnapshot::default();
    s.insert(SourceTable {
        key: "memory.s.t".into(),
        columns: [("a", "INTEGER"), ("b", "VARCHAR"), ("d", "DATE"), ("x", "DECIMAL(10,2)"), ("l", "INTEGER[]")]
            .iter()
            .map(|(n, t)| SourceColumn { name: n.to_string(), type_string: t.to_string(), nullable: true })
            .collect(),
        written_at: None,
    });
    s
}

const TOKENS: &[&str] = &[
    "select",
    "from",
    "where",
    "group",
    "by",
    "order",
    "having",
    "qualify",
    "with",
    "as",
    "join",
    "left",
    "on",
    "using",
    "union",
    "all",
    "case",
    "when",
    "then",
    "else",
    "end",
    "cast",
    "::",
    "(",
    ")",
    ",",
    "*",
    "+",
    "-",
    "/",
    "=",
    "<",
    ">",
    "'x'",
    "1",
    "2.5",
    "a",
    "b",
    "d",
    "x",
    "l",
    "t",
    "s.t",
    "sum",
    "count",
    "over",
    "partition",
    "[",
    "]",
    "{",
    "}",
    ":",
    ".",
    "null",
    "not",
    "in",
    "exists",
    "between",
    "and",
    "or",
    "distinct",
    "exclude",
    "replace",
    "values",
    "recursive",
    "lateral",
    "natural",
    ";",
    "--",
    "/*",
    "*/",
    "\"",
    "'",
    "\u{0}",
    "é",
    "🦀",
    "\n",
];

fn corpus_queries() -> Vec<String> {
    let text = include_str!("../corpus/valid.sql");
    rocky_tests::duck::split_corpus(text)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(0..TOKENS.len(), 0..60)) {
        let sql: Vec<&str> = tokens.iter().map(|&i| TOKENS[i]).collect();
        let sql = sql.join(" ");
        let _ = parse_sql("m.sql", &sql);
        let _ = check_query(&sql, &snapshot());
    }

    #[test]
    fn mutated_queries_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<prop::sample::Index>()), 1..5),
    ) {
        let queries = corpus_queries();
        let mut sql: Vec<char> = pick.get(&queries).chars().collect();
        for (at, kind, other) in edits {
            if sql.is_empty() { break; }
            let i = at.index(sql.len());
            let j = other.index(sql.len());
            match kind {
                0 => { sql.remove(i); }
                1 => { let c = sql[j]; sql.insert(i, c); }
                2 => sql.swap(i, j),
                _ => { for c in TOKENS[other.index(TOKENS.len())].chars() { sql.insert(i, c); } }
            }
        }
        let sql: String = sql.into_iter().collect();
        let _ = check_query(&sql, &snapshot());
    }

    #[test]
    fn toml_garbage_never_panics(text in "[\\[\\]a-z=\"'{}.,\n 0-9#_-]{0,200}") {
        let _ = parse_project_config("rocky.toml", &text);
        let _ = parse_model_config("m.toml", &text);
    }
}

#[test]
fn hostile_nesting_is_reported_not_a_crash() {
    let deep_parens = format!("select {}1{} as x", "(".repeat(5000), ")".repeat(5000));
    let deep_subqueries = format!("{}select 1 as x{}", "select * from (".repeat(150), ")".repeat(150));
    let deep_exprs = format!("select {} 1 as x from s.t", "a + ".repeat(2000));
    let deep_case = format!("select {} 1 {} as x", "case when true then ".repeat(150), " end".repeat(150));
    let many_ctes: String = (0..300).map(|i| format!("c{i} as (select {i} as v), ")).collect();
    let many_ctes = format!("with {many_ctes} z as (select 1 as v) select * from z");
    for sql in [deep_parens, deep_subqueries, deep_exprs, deep_case, many_ctes] {
        // Run on a thread with the default test stack so a stack overflow would fail the test.
        let r = std::thread::spawn(move || check_query(&sql, &snapshot()).diagnostics.len()).join();
        assert!(r.is_ok(), "analysis panicked");
    }
    // Deeper than the parser reads: E001 underlines the innermost bracket (byte 7 + 300 - 1).
    let sql = format!("select {}1{} as x", "(".repeat(300), ")".repeat(300));
    let d = std::thread::spawn(move || check_query(&sql, &snapshot()).diagnostics).join().expect("no panic");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].code.as_str(), d[0].range.start, d[0].range.end), ("E001", 306, 307), "{d:?}");
    assert_eq!(d[0].message, "this query nests deeper than the parser reads (200 levels)");
}

#[test]
fn huge_and_odd_inputs() {
    let long_ident = format!("select {} from s.t", "a".repeat(100_000));
    let nul = "select a\u{0} from s.t".to_string();
    let wide = format!("select {} from s.t", vec!["a + 1"; 3000].join(", "));
    let empty = String::new();
    let only_comment = "-- nothing here\n".to_string();
    let multi = "select 1; select 2".to_string();
    let ddl = "create table x as select 1".to_string();
    for sql in [long_ident, nul, wide, empty, only_comment, multi, ddl] {
        let r = check_query(&sql, &snapshot());
        if sql.trim().is_empty() || sql.starts_with("--") || sql.contains(';') || sql.starts_with("create") {
            assert!(r.diagnostics.iter().any(|d| d.code.as_str() == "E001"), "{sql:.60}: {:?}", r.diagnostics);
        }
    }
}
