//! DuckDB syntax sqlparser 0.64 could not parse, patched in `vendor/sqlparser` or the dialect
//! hooks: each query must parse, check without an error and get DuckDB's names and types
//! (those of `DESCRIBE` in DuckDB 1.5.5).

use rocky_analysis::{check_query, Severity, SourceColumn, SourceSchemaSnapshot, SourceTable};

/// `memory.main.t(id INTEGER, v VARCHAR, d DOUBLE)`, as the query check sees an unconfigured project.
fn sources() -> SourceSchemaSnapshot {
    let mut s = SourceSchemaSnapshot::default();
    s.insert(SourceTable {
        key: "memory.main.t".into(),
        columns: [("id", "INTEGER"), ("v", "VARCHAR"), ("d", "DOUBLE")]
            .iter()
            .map(|(n, t)| SourceColumn { name: n.to_string(), type_string: t.to_string(), nullable: true })
            .collect(),
        written_at: None,
    });
    s
}

/// The output `(name, type)` pairs of a query that must check without an error.
fn columns(sql: &str) -> Vec<(String, String)> {
    let check = check_query(sql, &sources());
    let errors: Vec<_> = check.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{sql}: {errors:?}");
    check.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()
}

#[test]
fn window_frame_exclude_clause() {
    assert_eq!(
        columns(
            "select count(*) over (order by id rows between 1 preceding and 1 following exclude ties), \
             sum(d) over (order by id rows 1 preceding exclude current row) as s, \
             count(*) over (order by id groups between 1 preceding and current row exclude group) as g, \
             count(*) over (order by id rows between 1 preceding and 1 following exclude no others) from t"
        ),
        pairs(&[
            ("count() OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)", "BIGINT"),
            ("s", "DOUBLE"),
            ("g", "BIGINT"),
            ("count() OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "BIGINT"),
        ])
    );
}

#[test]
fn ignore_and_respect_nulls_inside_the_call() {
    assert_eq!(
        columns(
            "select lead(v ignore nulls) over (order by id), lag(v, 1, 'x' respect nulls) over (order by id) as l, \
             first_value(d order by id ignore nulls) over (partition by v) from t"
        ),
        pairs(&[
            ("lead(v IGNORE NULLS) OVER (ORDER BY id)", "VARCHAR"),
            ("l", "VARCHAR"),
            ("first_value(d ORDER BY id IGNORE NULLS) OVER (PARTITION BY v)", "DOUBLE"),
        ])
    );
}

#[test]
fn star_rename() {
    assert_eq!(
        columns("select * exclude (d) rename (id as key, v as value) from t"),
        pairs(&[("key", "INTEGER"), ("value", "VARCHAR")])
    );
    assert_eq!(columns("select renamed from (select * rename id as renamed from t) where renamed > 0").len(), 1);
}

#[test]
fn in_a_list_value() {
    assert_eq!(
        columns("select id in l, id not in l from (select id, [1, 2] as l from t)"),
        pairs(&[("contains(l, id)", "BOOLEAN"), ("(NOT contains(l, id))", "BOOLEAN")])
    );
}

#[test]
fn power_operator() {
    assert_eq!(
        columns("select 2 ** 3 * 2, 2 * 3 ** 2, 2 ** 3 ** 2, id ** 2 as p from t"),
        pairs(&[
            ("((2 ** 3) * 2)", "DOUBLE"),
            ("(2 * (3 ** 2))", "DOUBLE"),
            ("((2 ** 3) ** 2)", "DOUBLE"),
            ("p", "DOUBLE")
        ])
    );
}

#[test]
fn positional_references_number_the_from_clause_columns() {
    assert_eq!(
        columns("select #2, #1 + 1, typeof(#3) as ty from t where #1 > 0 order by #1"),
        pairs(&[("v", "VARCHAR"), ("(#1 + 1)", "INTEGER"), ("ty", "VARCHAR")])
    );
    let check = check_query("select #4 from t", &sources());
    let errors: Vec<_> = check.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code.as_str(), "E102");
    assert_eq!((errors[0].range.start, errors[0].range.end), (7, 9));
}

#[test]
fn prefix_aliases_and_words_only_other_dialects_reserve() {
    assert_eq!(
        columns("select total: d * 2, \"a b\" : v, id top from rows: t where rows.id > 0"),
        pairs(&[("total", "DOUBLE"), ("a b", "VARCHAR"), ("top", "INTEGER")])
    );
    assert_eq!(columns("select sort.v from t sort"), pairs(&[("v", "VARCHAR")]));
    // QUALIFY and WINDOW end a select list without FROM; they are no aliases.
    assert_eq!(columns("select 42 as x qualify row_number() over () = x"), pairs(&[("x", "INTEGER")]));
    assert!(check_query("select 1 window", &sources()).diagnostics.iter().any(|d| d.code.as_str() == "E001"));
    // A table's prefix alias may be a string; a select item's may not (DuckDB: a parser error).
    assert_eq!(columns("select w.v from 'w' : t"), pairs(&[("v", "VARCHAR")]));
    assert!(check_query("select 'j': 42", &sources()).diagnostics.iter().any(|d| d.code.as_str() == "E001"));
}

#[test]
fn pivot_statements_where_a_query_goes() {
    let check = check_query("select count(*) as n from (pivot t on v using sum(d))", &sources());
    assert!(check.diagnostics.iter().all(|d| d.severity != Severity::Error), "{:?}", check.diagnostics);
    assert_eq!(
        check.columns.iter().map(|c| (c.name.as_str(), c.ty.to_string())).collect::<Vec<_>>(),
        [("n", "BIGINT".into())]
    );
    let check = check_query("with p as (select id, v from t) pivot p on v using count(*)", &sources());
    assert!(check.diagnostics.iter().all(|d| d.severity != Severity::Error), "{:?}", check.diagnostics);
    assert!(check.open, "a pivot's columns depend on the data");
}

#[test]
fn map_types_values_without_parentheses_and_limit_percent() {
    assert_eq!(
        columns("select {'a': [1]}::map(varchar, integer[]) as m, null::map(varchar, struct(x int)) as s"),
        pairs(&[("m", "MAP(VARCHAR, INTEGER[])"), ("s", "MAP(VARCHAR, STRUCT(x INTEGER))")])
    );
    assert_eq!(
        columns("select c1, c2 from values ('a', 1), ('b', 2) as v(c1, c2) order by c1 limit 50%"),
        pairs(&[("c1", "VARCHAR"), ("c2", "INTEGER")])
    );
    assert_eq!(columns("select id from t limit (10 - 5) %"), pairs(&[("id", "INTEGER")]));
    assert_eq!(columns("select id from t limit 10 percent offset 1"), pairs(&[("id", "INTEGER")]));
    assert_eq!(columns("select id from t limit 10 % 3"), pairs(&[("id", "INTEGER")]));
}

/// The codes and covered text of the errors of a query DuckDB's binder refuses.
fn errors(sql: &str) -> Vec<(String, String)> {
    check_query(sql, &sources())
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            (
                d.code.as_str().to_string(),
                sql.get(d.range.start as usize..d.range.end as usize).unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn binder_errors_that_newly_parsed_forms_can_hold() {
    assert_eq!(errors("select id from t limit sum(42) %"), pairs(&[("E302", "sum(42)")]));
    assert_eq!(
        errors("select percentile_disc(-.5) within group (order by d) from values (1), (2) as v(d)"),
        pairs(&[("E205", "-.5")])
    );
    assert_eq!(errors("select quantile_disc(d, [0.5, 1.5]) from t"), pairs(&[("E205", "[0.5, 1.5]")]));
    assert!(errors("select quantile_disc(d, -0.5), percentile_cont(0.5) within group (order by d) from t").is_empty());
}

#[test]
fn star_filtered_by_a_name_pattern() {
    assert_eq!(columns("select * like '%d' from t"), pairs(&[("id", "INTEGER"), ("d", "DOUBLE")]));
    assert_eq!(columns("select * not ilike 'V' from t"), pairs(&[("id", "INTEGER"), ("d", "DOUBLE")]));
    assert_eq!(
        columns("select t.* similar to '(i|v)(.)?' as 'c\\1' from t"),
        pairs(&[("ci", "INTEGER"), ("cv", "VARCHAR")])
    );
    assert_eq!(columns("select * exclude (id) glob '?' from t"), pairs(&[("v", "VARCHAR"), ("d", "DOUBLE")]));
}

#[test]
fn filter_without_where_and_from_first_clauses() {
    assert_eq!(
        columns("select sum(d) filter (id > 1), count(*) filter (v is not null) as n from t"),
        pairs(&[("sum(d) FILTER (WHERE (id > 1))", "DOUBLE"), ("n", "BIGINT")])
    );
    assert_eq!(
        columns("select * from (from t where id > 0 qualify row_number() over () = 1)"),
        pairs(&[("id", "INTEGER"), ("v", "VARCHAR"), ("d", "DOUBLE")])
    );
}

#[test]
fn describe_and_summarize_as_a_relation() {
    assert_eq!(
        columns("select column_name, count from (summarize t)"),
        pairs(&[("column_name", "VARCHAR"), ("count", "BIGINT")])
    );
    let describe = ["column_name", "column_type", "null", "key", "default", "extra"];
    let expected: Vec<(&str, &str)> = describe.iter().map(|n| (*n, "VARCHAR")).collect();
    assert_eq!(columns("select * from (describe select id, v from t)"), pairs(&expected));
    // What is described is still checked.
    let check = check_query("select * from (describe select nope from t)", &sources());
    assert!(check.diagnostics.iter().any(|d| d.severity == Severity::Error), "{:?}", check.diagnostics);
}

#[test]
fn typed_literals_of_any_type_name() {
    assert_eq!(
        columns("select timestamp_s '2020-01-01 00:00:01', timestamp_ms '2020-01-01' as ms, hugeint '1' as h"),
        pairs(&[
            ("CAST('2020-01-01 00:00:01' AS \"TIMESTAMP_S\")", "TIMESTAMP_S"),
            ("ms", "TIMESTAMP_MS"),
            ("h", "HUGEINT")
        ])
    );
    // `NOT 'a'` stays an expression: only a word that is no keyword names a type.
    assert_eq!(columns("select not 'true' as n"), pairs(&[("n", "BOOLEAN")]));
}

#[test]
fn qualified_star_rename() {
    assert_eq!(
        columns("select r1, r2 from (select * rename (t.id as r1, v as r2,) from t)"),
        pairs(&[("r1", "INTEGER"), ("r2", "VARCHAR")])
    );
    assert_eq!(
        columns("select * rename (t1.id as k) from t t1 join t t2 using (id)"),
        pairs(&[("k", "INTEGER"), ("v", "VARCHAR"), ("d", "DOUBLE"), ("v", "VARCHAR"), ("d", "DOUBLE")])
    );
}

#[test]
fn aggregate_state_export_row_types_and_nested_grouping_sets() {
    // `AGGREGATE_STATE<…>` has no type in the analysis: open, not an error.
    let check = check_query("select finalize(sum(d) export_state), count(*) export_state as s from t", &sources());
    assert!(check.diagnostics.iter().all(|d| d.severity != Severity::Error), "{:?}", check.diagnostics);
    let names: Vec<&str> = check.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["finalize(sum(d) EXPORT_STATE)", "s"]);
    assert_eq!(
        columns("select {'i': 1, 'j': 2}::row(i bigint, j varchar) as r"),
        pairs(&[("r", "STRUCT(i BIGINT, j VARCHAR)")])
    );
    assert_eq!(
        columns("select id, v, count(*) from t group by grouping sets (grouping sets (id, ()), grouping sets (v))"),
        pairs(&[("id", "INTEGER"), ("v", "VARCHAR"), ("count_star()", "BIGINT")])
    );
    assert_eq!(columns("select [x for x, i in [4, 5, 6] if i != 2] as f"), pairs(&[("f", "INTEGER[]")]));
    assert_eq!(columns("select id from t limit 50% offset 1"), pairs(&[("id", "INTEGER")]));
}

#[test]
fn binder_errors_of_star_patterns_typed_literals_and_struct_fields() {
    assert_eq!(errors("select * similar to 'x' from t"), pairs(&[("E102", "'x'")]));
    assert_eq!(errors("select v 'hello' from t"), pairs(&[("E206", "v")]));
    assert_eq!(errors("select {'': 1}"), pairs(&[("E205", "''")]));
    assert_eq!(errors("select {'a': 1, 'A': 2}"), pairs(&[("E205", "'A'")]));
    assert_eq!(errors("select list(v) export_state from t"), pairs(&[("E205", "export_state")]));
    assert_eq!(errors("select list(distinct v order by id) from t"), pairs(&[("E205", "id")]));
    assert!(errors("select string_agg(distinct v, ',' order by V) from t").is_empty());
    // What the arguments determine may order them too; a volatile order may not.
    assert!(errors("select list(distinct id // 2 order by id desc) from t").is_empty());
    assert_eq!(errors("select list(distinct id order by random() * id) from t"), pairs(&[("E205", "random() * id")]));
    assert_eq!(errors("select * replace (id + 1 as id) like 'i%' from t")[0].0, "E001");
}

#[test]
fn interval_units_and_fields_setof_star_alias_date_calls_isnull_and_nested_joins() {
    assert_eq!(
        columns(
            "select interval 1 millennia, interval 2 centuries as c, interval 3 DECADES as d, interval 1 quarters as q"
        ),
        pairs(&[
            ("to_millennia(CAST(trunc(CAST(1 AS DOUBLE)) AS INTEGER))", "INTERVAL"),
            ("c", "INTERVAL"),
            ("d", "INTERVAL"),
            ("q", "INTERVAL")
        ])
    );
    // `INTERVAL (1) DAY` is still an interval expression, not a type with a precision.
    assert_eq!(columns("select interval (2) day as i"), pairs(&[("i", "INTERVAL")]));
    assert_eq!(columns("select interval from (select 1 as interval)"), pairs(&[("interval", "INTEGER")]));
    assert_eq!(
        columns("select '5 days'::INTERVAL DAY TO SECOND, cast('1' as interval year to month) as y"),
        pairs(&[("CAST('5 days' AS INTERVAL)", "INTERVAL"), ("y", "INTERVAL")])
    );
    assert_eq!(
        columns("select cast(null as setof integer) as s, cast(null as setof int[]) as l"),
        pairs(&[("s", "INTEGER"), ("l", "INTEGER[]")])
    );
    assert_eq!(columns("select * as idx from t"), pairs(&[("idx", "INTEGER"), ("idx", "VARCHAR"), ("idx", "DOUBLE")]));
    assert_eq!(columns("select * exclude (id) as k from t"), pairs(&[("k", "VARCHAR"), ("k", "DOUBLE")]));
    assert_eq!(
        columns("select date('2021-03-01') as d, date(TIMESTAMP '2021-01-01 10:00:00') as e"),
        pairs(&[("d", "DATE"), ("e", "DATE")])
    );
    assert_eq!(
        columns("select id isnull, 2 isnull as n, null isnull and true as m from t"),
        pairs(&[("(id IS NULL)", "BOOLEAN"), ("n", "BOOLEAN"), ("m", "BOOLEAN")])
    );
    // Each ON belongs to the nearest JOIN without one: `b JOIN c` nests inside `a LEFT JOIN …`.
    assert_eq!(
        columns("select * from (select 1 k) a left join (select 1 k) b join (select 2 j) c on b.k = c.j on a.k = b.k"),
        pairs(&[("k", "INTEGER"), ("k", "INTEGER"), ("j", "INTEGER")])
    );
    assert_eq!(
        columns("select a.id, c.v from t a join t b on a.id = b.id join t c on b.id = c.id"),
        pairs(&[("id", "INTEGER"), ("v", "VARCHAR")])
    );
}
