//! The type checker against real DuckDB. For every valid corpus query, DuckDB's own
//! `DESCRIBE <query>` is the truth: output names must match exactly and types must match
//! wherever the analysis did not say Unknown, with no error reported. For every broken query,
//! DuckDB must reject it and the analysis must report the annotated code on the annotated text.

use std::path::PathBuf;

use rocky_analysis::{check_query, Severity, SourceSchemaSnapshot, Type};
use rocky_tests::duck::{split_corpus, Duck};

fn corpus(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seeded() -> (Duck, SourceSchemaSnapshot) {
    let duck = Duck::open("memory_corpus").expect("duckdb opens");
    duck.execute_batch(&corpus("seed.sql")).expect("seed runs");
    // `check_query` analyses as a project without rocky.toml, whose catalog is `memory`.
    let mut snapshot = SourceSchemaSnapshot::default();
    for (key, mut table) in duck.snapshot().expect("snapshot").tables {
        let rest = key.split_once('.').map(|(_, r)| r.to_string()).unwrap_or(key);
        table.key = format!("memory.{rest}");
        snapshot.insert(table);
    }
    (duck, snapshot)
}

/// Strips leading comment lines.
fn body(q: &str) -> &str {
    let mut rest = q;
    while rest.starts_with("--") {
        rest = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
    }
    rest.trim()
}

#[test]
fn valid_queries_match_duckdb_describe() {
    let (duck, snapshot) = seeded();
    let queries = split_corpus(&corpus("valid.sql"));
    assert!(queries.len() >= 200, "the corpus must have at least 200 queries, has {}", queries.len());
    let (mut names_ok, mut types_checked, mut types_ok, mut unknown, mut open) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let sql = body(q);
        let truth =
            duck.describe(sql).unwrap_or_else(|e| panic!("valid.sql #{}: DuckDB rejects it: {e}\n{sql}", i + 1));
        let ours = check_query(sql, &snapshot);
        let errors: Vec<String> = ours
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("valid.sql #{}: unexpected errors {errors:?}\n  {sql}", i + 1));
            continue;
        }
        if ours.open {
            open += 1;
            continue;
        }
        let names: Vec<&str> = ours.columns.iter().map(|c| c.name.as_str()).collect();
        let truth_names: Vec<&str> = truth.iter().map(|(n, _)| n.as_str()).collect();
        if names != truth_names {
            failures
                .push(format!("valid.sql #{}: names\n  ours:   {names:?}\n  duckdb: {truth_names:?}\n  {sql}", i + 1));
            continue;
        }
        names_ok += 1;
        for (c, (_, t)) in ours.columns.iter().zip(&truth) {
            if c.ty == Type::Unknown {
                unknown += 1;
                continue;
            }
            types_checked += 1;
            if c.ty.to_string() == *t {
                types_ok += 1;
            } else {
                failures.push(format!("valid.sql #{}: `{}` is {} but DuckDB says {t}\n  {sql}", i + 1, c.name, c.ty));
            }
        }
    }
    eprintln!(
        "differential: {} queries; names exact {names_ok}; types agree {types_ok}/{types_checked} (unknown {unknown}); open results {open}",
        queries.len()
    );
    assert!(failures.is_empty(), "{} disagreements with DuckDB:\n{}", failures.len(), failures.join("\n"));
    assert!(unknown * 20 <= types_checked, "too many Unknown types: {unknown} of {}", types_checked + unknown);
}

#[test]
fn broken_queries_get_the_right_code_at_the_right_span() {
    let (duck, snapshot) = seeded();
    let queries = split_corpus(&corpus("broken.sql"));
    assert!(queries.len() >= 40, "the broken corpus must have at least 40 queries, has {}", queries.len());
    let mut agree = 0;
    let mut failures = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let expect = q
            .lines()
            .find_map(|l| l.strip_prefix("-- expect: "))
            .unwrap_or_else(|| panic!("broken.sql #{}: missing `-- expect:` line", i + 1));
        let (code, text) = expect.split_once(' ').expect("`-- expect: CODE \"text\"`");
        let text = text.trim().trim_matches('"');
        let sql = body(q);
        assert!(
            duck.describe(sql).is_err(),
            "broken.sql #{}: DuckDB accepts it, so it is not a broken query:\n{sql}",
            i + 1
        );
        let ours = check_query(sql, &snapshot);
        let hit = ours
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == code && sql.get(d.range.start as usize..d.range.end as usize) == Some(text));
        if hit {
            agree += 1;
        } else {
            let got: Vec<String> = ours
                .diagnostics
                .iter()
                .map(|d| {
                    format!("{} {:?}", d.code, sql.get(d.range.start as usize..d.range.end as usize).unwrap_or(""))
                })
                .collect();
            failures.push(format!("broken.sql #{}: expected {code} on {text:?}, got {got:?}\n  {sql}", i + 1));
        }
    }
    eprintln!("differential (broken): {agree}/{} report the expected code at the expected span", queries.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
