//! Each expected string is the column name DuckDB 1.5.5 gives the unaliased select item
//! (`SELECT <item> …` then its result description), one group per rule family.

use sqlparser::ast::{SelectItem, SetExpr, Statement};
use sqlparser::parser::Parser;

use super::{output_name, output_name_with_windows};
use crate::syntax::RockyDialect;

fn names(sql: &str) -> Vec<String> {
    names_with(sql, false)
}

fn names_with(sql: &str, windows: bool) -> Vec<String> {
    let stmts = Parser::new(&RockyDialect).try_with_sql(sql).and_then(|mut p| p.parse_statements());
    let Ok(stmts) = stmts else { panic!("{sql} does not parse") };
    let Some(Statement::Query(q)) = stmts.first() else { panic!("{sql} is not a query") };
    let SetExpr::Select(sel) = q.body.as_ref() else { panic!("{sql} is not a SELECT") };
    sel.projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) if windows => output_name_with_windows(e, &sel.named_window),
            SelectItem::UnnamedExpr(e) => output_name(e),
            other => panic!("{other} is aliased"),
        })
        .collect()
}

fn check(sql: &str, expected: &[&str]) {
    assert_eq!(names(sql), expected, "{sql}");
}

#[test]
fn identifiers_keep_capitals_and_quote_keywords() {
    check(
        r#"select "B" + 1, "my col" + 1, "select" + 1, "x$" + 1, sum("Mixed")"#,
        &["(B + 1)", "(\"my col\" + 1)", "(\"select\" + 1)", "(\"x$\" + 1)", "sum(Mixed)"],
    );
}

#[test]
fn constructors_and_lambdas() {
    check(
        "select list_transform([1], x -> x + 1), list_filter([1], lambda x: x > 1), list_reduce(l, (x, y) -> x + y), \
         (1, 2), row(1, 2), ARRAY[1, 2], [1, 2].list_reverse()",
        &[
            "list_transform(main.list_value(1), (x -> (x + 1)))",
            "list_filter(main.list_value(1), (lambda x: (x > 1)))",
            "list_reduce(l, (main.\"row\"(x, y) -> (x + y)))",
            "main.\"row\"(1, 2)",
            "main.\"row\"(1, 2)",
            "(ARRAY[1, 2])",
            "list_reverse(main.list_value(1, 2))",
        ],
    );
}

#[test]
fn predicates_as_duckdb_rewrites_them() {
    check(
        "select 1 not between 0 and 2, true is not true, 0 is true, 42 is not unknown, not 1 in (2), \
         'a' like 'b' escape 'c', 'a' not ilike 'b' escape '$', 'a' ~ 'b', 'a' !~ 'b'",
        &[
            "(NOT (1 BETWEEN 0 AND 2))",
            "(CAST(CAST('t' AS BOOLEAN) AS BOOLEAN) IS DISTINCT FROM true)",
            "(CAST(0 AS BOOLEAN) IS NOT DISTINCT FROM true)",
            "(42 IS NOT NULL)",
            "(1 NOT IN (2))",
            "main.like_escape('a', 'b', 'c')",
            "main.not_ilike_escape('a', 'b', '$')",
            "regexp_full_match('a', 'b')",
            "(NOT regexp_full_match('a', 'b'))",
        ],
    );
}

#[test]
fn functions_under_their_grammar_names() {
    check(
        "select count(), try(1 + 1), grouping_id(k), if(true, 1, 2), \
         percentile_disc(0.25) within group (order by i desc), string_agg(s, ',' order by s asc, s desc nulls last), \
         mode(v) over (partition by k), \"first\"(i order by grp nulls first)",
        &[
            "count_star()",
            "TRY((1 + 1))",
            "GROUPING(k)",
            "CASE  WHEN (CAST('t' AS BOOLEAN)) THEN (1) ELSE 2 END",
            "quantile_disc(0.25 ORDER BY i DESC)",
            "string_agg(s, ',' ORDER BY s ASC, s DESC NULLS LAST)",
            "mode(v) OVER (PARTITION BY k)",
            "\"first\"(i ORDER BY grp NULLS FIRST)",
        ],
    );
}

#[test]
fn special_forms() {
    check(
        "select extract(microseconds from d), extract(Year from d), trim(both 'x' from 'y'), trim(leading 'x' from 'y'), \
         d at time zone 'UTC', {'a': 1}.a, [1, 2][1:2:1], $$it's$$",
        &[
            "main.date_part('microsecond', d)",
            "main.date_part('year', d)",
            "main.\"trim\"('y', 'x')",
            "main.ltrim('y', 'x')",
            "main.timezone('UTC', d)",
            "(main.struct_pack(a := 1)).a",
            "main.list_value(1, 2)[1:2:1]",
            "'it''s'",
        ],
    );
}

#[test]
fn cast_targets() {
    check(
        "select cast('1' as bit), cast(1 as decimal(9)), cast(1 as decimal(9, 0)), cast(1 as decimal), \
         cast('x' as MOOD), cast(null as S1.MOOD), cast(null as mood[]), cast('x' as timestamp(3)), \
         cast(1 as union(a int)), cast('{}' as json)",
        &[
            "CAST('1' AS BIT(1))",
            "CAST(1 AS DECIMAL(9))",
            "CAST(1 AS DECIMAL(9, 0))",
            "CAST(1 AS DECIMAL)",
            "CAST('x' AS \"mood\")",
            "CAST(NULL AS s1.\"mood\")",
            "CAST(NULL AS \"mood\"[])",
            "CAST('x' AS TIMESTAMP(3))",
            "CAST(1 AS UNION(a INTEGER))",
            "CAST('{}' AS \"JSON\")",
        ],
    );
}

#[test]
fn subqueries_in_duckdb_rendering() {
    check(
        "select (select i from t as x where i = 1 order by i desc limit 1 offset 2), \
         (select count(*) from t t2 join u on t2.i = u.i), 1 in (select 1), 1 = all(select 1), 1 > any([1]), \
         (with c as (select 1) select * from c), (select 1 union all select 2 union all select 3), \
         (select 1 except select 2), (select count(*) from (values (1, 0)) v(a, b))",
        &[
            "(SELECT i FROM t AS x WHERE (i = 1) ORDER BY i DESC LIMIT 1 OFFSET 2)",
            "(SELECT count_star() FROM t AS t2 INNER JOIN u ON ((t2.i = u.i)))",
            "(1 = ANY(SELECT 1))",
            "(NOT (1 != ANY(SELECT 1)))",
            "(1 > ANY(SELECT unnest(main.list_value(1))))",
            "(WITH c AS (SELECT 1)SELECT * FROM c)",
            "((SELECT 1) UNION ALL (SELECT 2)UNION ALL (SELECT 3))",
            "((SELECT 1) EXCEPT (SELECT 2))",
            "(SELECT count_star() FROM (SELECT * FROM (VALUES (1, 0)) AS valueslist) AS v(a, b))",
        ],
    );
}

#[test]
fn list_comprehensions_as_list_apply() {
    check(
        "select [x + 1 for x in [1]], [x for x in [1] if x > 0], list_transform([1], x -> x)",
        &[
            "main.list_apply(main.list_value(1), (lambda x: (x + 1)))",
            "main.list_apply(main.list_filter(main.list_apply(main.list_value(1), (lambda x: main.struct_pack(\"filter\" := (x > 0), result := x))), (lambda elem: main.struct_extract(elem, 'filter'))), (lambda elem: main.struct_extract(elem, 'result')))",
            "list_transform(main.list_value(1), (x -> x))",
        ],
    );
}

#[test]
fn array_suffix_types() {
    check(
        "select cast(null as bigint array), cast(null as U ARRAY), cast(null as U ARRAY[1])",
        &["CAST(NULL AS BIGINT[])", "CAST(NULL AS \"u\"[])", "CAST(NULL AS \"u\"[1])"],
    );
}

#[test]
fn named_windows_are_inlined() {
    assert_eq!(
        names_with(
            "select count(*) over w, count(*) over (w order by x), sum(x) over v from t \
             window w as (partition by y), v as (order by x rows between 1 preceding and current row)",
            true
        ),
        [
            "count() OVER (PARTITION BY y)",
            "count() OVER (PARTITION BY y ORDER BY x)",
            "sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)",
        ]
    );
}

#[test]
fn window_frames() {
    check(
        "select sum(x) over (order by x rows unbounded preceding), \
         sum(x) over (order by x range between unbounded preceding and current row), \
         sum(x) over (order by x range between 1 preceding and 1 following), \
         sum(x) filter (where x > 1) over (), sum(distinct x) over ()",
        &[
            "sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
            "sum(x) OVER (ORDER BY x)",
            "sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)",
            "sum(x) FILTER (WHERE (x > 1)) OVER ()",
            "sum(DISTINCT x) OVER ()",
        ],
    );
}

/// Every-day model expressions over `t(x, y, s, d, ts, l)`, one at a time so a gap names its
/// expression; each pair is DuckDB 1.5.5's name.
#[test]
fn common_model_expressions() {
    let cases: &[(&str, &str)] = &[
        ("date_trunc('day', ts)", "date_trunc('day', ts)"),
        ("coalesce(x, 0)", "COALESCE(x, 0)"),
        ("ifnull(x, 0)", "COALESCE(x, 0)"),
        ("nullif(x, 0)", "\"nullif\"(x, 0)"),
        ("x::date", "CAST(x AS \"DATE\")"),
        ("cast(ts as date)", "CAST(ts AS \"DATE\")"),
        ("d + interval 1 day", "(d + to_days(CAST(trunc(CAST(1 AS DOUBLE)) AS INTEGER)))"),
        ("ts - interval '1 hour'", "(ts - CAST('1 hour' AS INTERVAL))"),
        ("count(distinct x)", "count(DISTINCT x)"),
        ("s || 'a'", "(s || 'a')"),
        ("concat(s, 'a')", "concat(s, 'a')"),
        ("x // 2", "(x // 2)"),
        ("x % 2", "(x % 2)"),
        ("-x", "-(x)"),
        ("+x", "+(x)"),
        ("not (x > 1)", "(x <= 1)"),
        ("x > 1 and y < 2 or s is null", "(((x > 1) AND (y < 2)) OR (s IS NULL))"),
        (
            "case when x > 1 then 'a' when x < 0 then 'b' end",
            "CASE  WHEN ((x > 1)) THEN ('a') WHEN ((x < 0)) THEN ('b') ELSE NULL END",
        ),
        ("case x when 1 then 'a' else 'b' end", "CASE  WHEN ((x = 1)) THEN ('a') ELSE 'b' END"),
        ("l[1]", "l[1]"),
        ("l[-1]", "l[-1]"),
        ("s[1:2]", "s[1:2]"),
        ("x between 1 and 2", "(x BETWEEN 1 AND 2)"),
        ("x in (1, 2)", "(x IN (1, 2))"),
        ("s like 'a%'", "(s ~~ 'a%')"),
        ("s ilike 'a%'", "(s ~~* 'a%')"),
        ("s not like 'a%'", "(s !~~ 'a%')"),
        ("s similar to 'a.*'", "regexp_full_match(s, 'a.*')"),
        ("s glob 'a*'", "(s ~~~ 'a*')"),
        ("abs(x)", "abs(x)"),
        ("round(x / 3.0, 2)", "round((x / 3.0), 2)"),
        ("x::varchar", "CAST(x AS VARCHAR)"),
        ("x::text", "CAST(x AS VARCHAR)"),
        ("try_cast(s as int)", "TRY_CAST(s AS INTEGER)"),
        ("strftime(ts, '%Y')", "strftime(ts, '%Y')"),
        ("epoch(ts)", "epoch(ts)"),
        ("greatest(x, y)", "greatest(x, y)"),
        ("list_value(x, y)", "list_value(x, y)"),
        ("struct_pack(a := x)", "struct_pack(a := x)"),
        ("{'a': x, 'B': y}", "main.struct_pack(a := x, B := y)"),
        ("map {'k': x}", "main.\"map\"(main.list_value('k'), main.list_value(x))"),
        ("[x, y]", "main.list_value(x, y)"),
        ("x = any([1,2])", "(x = ANY(SELECT unnest(main.list_value(1, 2))))"),
        ("exists (select 1)", "EXISTS(SELECT 1)"),
        ("current_date", "current_date"),
        ("current_timestamp", "current_timestamp"),
        ("now()", "now()"),
        ("1::double", "CAST(1 AS \"DOUBLE\")"),
        ("'a'::blob", "CAST('a' AS \"BLOB\")"),
        ("x is distinct from y", "(x IS DISTINCT FROM y)"),
        ("x is not distinct from y", "(x IS NOT DISTINCT FROM y)"),
        ("position('a' in s)", "main.\"position\"(s, 'a')"),
        ("substring(s from 1 for 2)", "main.\"substring\"(s, 1, 2)"),
        ("substring(s, 1, 2)", "main.\"substring\"(s, 1, 2)"),
        ("trim(s)", "main.\"trim\"(s)"),
        ("extract(year from d)", "main.date_part('year', d)"),
        ("date_part('year', d)", "date_part('year', d)"),
        ("year(d)", "\"year\"(d)"),
        ("(x + y) * 2", "((x + y) * 2)"),
        ("x * (y + 2)", "(x * (y + 2))"),
        ("2 ^ 3", "(2 ^ 3)"),
        ("x & y", "(x & y)"),
        ("x | y", "(x | y)"),
        ("x << 1", "(x << 1)"),
        ("~x", "~(x)"),
    ];
    let mut wrong = Vec::new();
    for (expr, duckdb) in cases {
        let ours = names(&format!("select {expr}"));
        if ours != [duckdb.to_string()] {
            wrong.push(format!("{expr}: ours {ours:?}, DuckDB {duckdb:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
