//! DuckDB binder rules from strings alone: name resolution (SEMI/ANTI joins, a set operation's
//! ORDER BY, aliases in ORDER BY and HAVING, qualified GROUP BY expressions), functions the
//! warehouse has beyond its built-in catalog, and result types DuckDB derives from constants.
//! Each case is also in `tests/corpus/` and checked there against the linked DuckDB.

use rocky_analysis::{check_query, Severity, SourceColumn, SourceSchemaSnapshot, SourceTable};

fn sources() -> SourceSchemaSnapshot {
    let mut s = SourceSchemaSnapshot::default();
    for (key, cols) in [("memory.main.l", ["a", "b"]), ("memory.main.r", ["a", "c"])] {
        s.insert(SourceTable {
            key: key.into(),
            columns: cols
                .iter()
                .map(|n| SourceColumn { name: n.to_string(), type_string: "INTEGER".into(), nullable: true })
                .collect(),
            written_at: None,
        });
    }
    s
}

/// The errors of a query, as `CODE message`.
fn errors(sql: &str, sources: &SourceSchemaSnapshot) -> Vec<String> {
    check_query(sql, sources)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// The codes of a query's errors over [`sources`].
fn codes(sql: &str) -> Vec<String> {
    errors(sql, &sources()).iter().map(|e| e[..4].to_string()).collect()
}

/// The output columns as `name TYPE`, with no error allowed.
fn columns(sql: &str) -> Vec<String> {
    let s = sources();
    assert_eq!(errors(sql, &s), Vec::<String>::new(), "{sql}");
    check_query(sql, &s).columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect()
}

#[test]
fn a_semi_or_anti_join_keeps_only_its_left_side() {
    assert_eq!(columns("SELECT * FROM l SEMI JOIN r ON l.a = r.a WHERE a > 5"), ["a INTEGER", "b INTEGER"]);
    assert_eq!(columns("SELECT a FROM l ANTI JOIN r ON l.a = r.a"), ["a INTEGER"]);
    let e = errors("SELECT r.c FROM l SEMI JOIN r ON l.a = r.a", &sources());
    assert!(e.iter().any(|e| e.starts_with("E101")), "{e:?}");
}

#[test]
fn a_set_operation_is_ordered_by_what_any_branch_selects() {
    columns("SELECT a FROM l UNION SELECT c FROM r ORDER BY c");
    columns("SELECT a FROM l UNION SELECT c FROM r ORDER BY r.c");
    columns("SELECT a % 2, b FROM l UNION SELECT a % 2 AS k, c FROM r ORDER BY a % 2");
    columns("SELECT l.a FROM l UNION ALL BY NAME SELECT a FROM l ORDER BY l.a");
    // An alias of a later branch, and a name of a nested set operation's branch.
    columns("SELECT a - 10 AS k FROM l UNION SELECT a - 10 AS m FROM l ORDER BY m");
    columns("SELECT a FROM l UNION SELECT b FROM l UNION SELECT b AS k FROM l ORDER BY k");
    columns("(SELECT a FROM l UNION ALL SELECT b FROM l) UNION ALL BY NAME SELECT 5 ORDER BY b");
    // Not selected by any branch: DuckDB refuses it.
    assert!(!errors("SELECT a FROM l UNION SELECT c FROM r ORDER BY b", &sources()).is_empty());
    assert!(!errors("SELECT a FROM l UNION SELECT c FROM r ORDER BY a + 1", &sources()).is_empty());
}

#[test]
fn order_by_and_having_read_select_aliases_as_duckdb_does() {
    // ORDER BY: the alias before the input column.
    columns("SELECT b, sum(a) AS a FROM l GROUP BY b ORDER BY a");
    // HAVING: the alias when the input column of that name is not grouped.
    columns("SELECT count(a) AS a FROM l HAVING a = 5");
    columns("SELECT b, sum(a) AS a FROM l GROUP BY b HAVING a > 0");
    // QUALIFY has no such rule.
    let e = errors("SELECT b, sum(a) AS a FROM l GROUP BY b QUALIFY a > 1", &sources());
    assert!(e.iter().any(|e| e.starts_with("E301")), "{e:?}");
}

#[test]
fn grouped_expressions_match_whatever_their_qualification() {
    columns("SELECT l.a * 2 FROM l GROUP BY a * 2 ORDER BY a * 2");
    columns("SELECT a * 2 FROM l GROUP BY l.a * 2");
    let e = errors("SELECT a * 3 FROM l GROUP BY l.a * 2", &sources());
    assert!(e.iter().any(|e| e.starts_with("E301")), "{e:?}");
}

#[test]
fn a_function_the_warehouse_has_is_unknown_not_an_error() {
    let mut s = sources();
    let sql = "SELECT my_macro(a) AS m FROM l";
    assert!(errors(sql, &s).iter().any(|e| e.starts_with("E104")));
    s.add_function_name("my_macro");
    assert_eq!(errors(sql, &s), Vec::<String>::new());
    assert_eq!(check_query(sql, &s).columns[0].ty, rocky_analysis::Type::Unknown);
    // pg_catalog's macros are built in.
    assert_eq!(errors("SELECT pg_sleep(0)", &sources()), Vec::<String>::new());
}

#[test]
fn a_warehouse_macro_is_typed_by_its_body_and_a_udf_by_its_result() {
    use rocky_analysis::{WarehouseFunction, WarehouseOverload};
    let mut s = sources();
    let overload = |params: &[&str], returns: Option<&str>, body: Option<&str>| WarehouseOverload {
        params: params.iter().map(|p| p.to_string()).collect(),
        returns: returns.map(str::to_string),
        body: body.map(str::to_string),
    };
    s.functions.insert("twice".into(), WarehouseFunction { overloads: vec![overload(&["x"], None, Some("(x * 2)"))] });
    let cents = WarehouseFunction { overloads: vec![overload(&["INTEGER"], Some("BIGINT"), None)] };
    s.functions.insert("to_cents".into(), cents);
    let sql = "SELECT twice(a) AS t, twice(1.5) AS d, to_cents(a) AS c, to_cents(a, b) AS u FROM l";
    assert_eq!(errors(sql, &s), Vec::<String>::new());
    let typed: Vec<String> = check_query(sql, &s).columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect();
    assert_eq!(typed, ["t INTEGER", "d DECIMAL(12,1)", "c BIGINT", "u UNKNOWN"]);
    // A body that does not bind with these arguments is the call's error, as DuckDB expands it.
    let e = errors("SELECT twice([1])", &s);
    assert!(e.iter().any(|e| e.contains("`twice` does not bind")), "{e:?}");
}

#[test]
fn result_types_that_depend_on_a_constant_argument() {
    assert_eq!(
        columns("SELECT strptime('2020-01-01 +02', '%Y-%m-%d %z') AS t, strptime('2020', '%Y') AS u"),
        ["t TIMESTAMP WITH TIME ZONE", "u TIMESTAMP"]
    );
    // Nanoseconds give TIMESTAMP_NS unless a format has a zone; `%%n` is a literal.
    assert_eq!(
        columns("SELECT strptime('x', '%S.%n') AS n, strptime('x', ['%S.%n', '%z']) AS z, strptime('x', '%%n') AS p"),
        ["n TIMESTAMP_NS", "z TIMESTAMP WITH TIME ZONE", "p TIMESTAMP"]
    );
    assert_eq!(
        columns("SELECT date_part('epoch', TIMESTAMP '2020-01-01') AS e, date_part('year', DATE '2020-01-01') AS y"),
        ["e DOUBLE", "y BIGINT"]
    );
    assert_eq!(columns("SELECT EXTRACT(julian FROM DATE '2020-01-01') AS j"), ["j DOUBLE"]);
}

#[test]
fn a_recursive_cte_has_its_base_part_types() {
    assert_eq!(
        columns("WITH RECURSIVE t AS (SELECT 1 AS x UNION SELECT sum(x) FROM t WHERE x < 10) SELECT x FROM t"),
        ["x INTEGER"]
    );
}

#[test]
fn an_order_by_term_two_branches_select_at_different_positions_is_ambiguous() {
    let e = errors("SELECT 1, a + 1 FROM l UNION SELECT a + 1, 1 FROM l ORDER BY a + 1", &sources());
    assert!(e.iter().any(|e| e.starts_with("E103")), "{e:?}");
    // An ordinal is a position, not a select expression.
    let e = errors("SELECT 1 UNION ALL SELECT 2 ORDER BY 2", &sources());
    assert!(e.iter().any(|e| e.starts_with("E303")), "{e:?}");
}

#[test]
fn unnest_of_a_struct_in_a_select_list_is_its_fields() {
    assert_eq!(columns("SELECT unnest({'x': 42, 'y': 'a'}), b FROM l"), ["x INTEGER", "y VARCHAR", "b INTEGER"]);
    // A list of structs unnests to the struct.
    assert_eq!(columns("SELECT unnest([{'x': 1}]) AS s"), ["s STRUCT(x INTEGER)"]);
}

#[test]
fn recursive_unnest_takes_as_many_levels_as_asked() {
    let nested = "[[{'a': 42, 'b': {'x': 99}}]]";
    assert_eq!(
        columns(&format!("SELECT unnest({nested}, max_depth := 1) AS s")),
        ["s STRUCT(a INTEGER, b STRUCT(x INTEGER))[]"]
    );
    assert_eq!(columns(&format!("SELECT unnest({nested}, max_depth := 3)")), ["a INTEGER", "b STRUCT(x INTEGER)"]);
    assert_eq!(columns(&format!("SELECT unnest({nested}, recursive := true)")), ["a INTEGER", "x INTEGER"]);
    assert_eq!(
        columns("SELECT a, \"b.a\" FROM (SELECT unnest({'a': 1, 'b': {'a': 'z'}}, recursive := true, keep_parent_names := true))"),
        ["a INTEGER", "b.a VARCHAR"]
    );
    // Lists inside a spread struct stay lists.
    assert_eq!(columns("SELECT unnest({'a': [1, 2]}, recursive := true)"), ["a INTEGER[]"]);
    assert_eq!(codes("SELECT unnest([1, 2], max_depth := 0)"), ["E205"]);
}

#[test]
fn columns_as_a_whole_select_item_expands_like_its_star() {
    assert_eq!(columns("SELECT COLUMNS(*) FROM l"), ["a INTEGER", "b INTEGER"]);
    assert_eq!(columns("SELECT COLUMNS(* EXCLUDE (a)), 5 AS five FROM l"), ["b INTEGER", "five INTEGER"]);
    assert_eq!(columns("SELECT COLUMNS(* REPLACE (a::VARCHAR AS a)) FROM l"), ["a VARCHAR", "b INTEGER"]);
    assert_eq!(columns("SELECT COLUMNS(* RENAME a AS x) FROM l"), ["x INTEGER", "b INTEGER"]);
    assert_eq!(columns("SELECT COLUMNS(r.*) FROM l, r"), ["a INTEGER", "c INTEGER"]);
    // A regex keeps the columns it matches anywhere in the name; an alias rewrites from its groups.
    assert_eq!(columns("SELECT COLUMNS('[bc]') FROM l JOIN r USING (a)"), ["b INTEGER", "c INTEGER"]);
    assert_eq!(columns("SELECT COLUMNS('(b)') AS 'x\\1' FROM l"), ["xb INTEGER"]);
    assert_eq!(codes("SELECT COLUMNS('zz') FROM l"), ["E102"]);
    // Inside an expression: the expression once per column, named after it (or the alias).
    assert_eq!(columns("SELECT max(COLUMNS(*)) FROM (SELECT 1 AS a, 'x' AS b)"), ["a INTEGER", "b VARCHAR"]);
    assert_eq!(columns("SELECT COLUMNS('a|b')::VARCHAR AS v FROM l"), ["v VARCHAR", "v VARCHAR"]);
    assert_eq!(
        columns("SELECT COLUMNS(* EXCLUDE (b)) IS NOT DISTINCT FROM COLUMNS(* EXCLUDE (b)) FROM l"),
        ["a BOOLEAN"]
    );
    // A mistake found for every column is reported once.
    assert_eq!(codes("SELECT COLUMNS(*) + zz FROM l"), ["E102"]);
    // Two different selections in one item: open, never an error.
    let open = check_query("SELECT COLUMNS('a') + COLUMNS('b') FROM l", &sources());
    assert!(open.open && open.diagnostics.is_empty(), "{:?}", open.diagnostics);
    // Over a USING join the merged key is one column, as with `*`.
    assert_eq!(
        columns("SELECT COLUMNS(* REPLACE (a + 1 AS a)) FROM l NATURAL JOIN r"),
        ["a INTEGER", "b INTEGER", "c INTEGER"]
    );
}

#[test]
fn a_qualified_using_key_is_its_sides_own_column() {
    let join = |kind: &str| {
        columns(&format!(
            "SELECT p.k, e.k, k FROM (SELECT 1::BIGINT AS k) p {kind} (SELECT 1.5::DOUBLE AS k) e USING (k)"
        ))
    };
    // The bare key is the left side's (INNER, LEFT), the right side's (RIGHT), or both merged (FULL).
    assert_eq!(join("JOIN"), ["k BIGINT", "k DOUBLE", "k BIGINT"]);
    assert_eq!(join("LEFT JOIN"), ["k BIGINT", "k DOUBLE", "k BIGINT"]);
    assert_eq!(join("RIGHT JOIN"), ["k BIGINT", "k DOUBLE", "k DOUBLE"]);
    assert_eq!(join("FULL JOIN"), ["k BIGINT", "k DOUBLE", "k DOUBLE"]);
    let natural = "SELECT p.k FROM (SELECT 1::BIGINT AS k) p NATURAL FULL JOIN (SELECT 1.5::DOUBLE AS k) e";
    assert_eq!(columns(natural), ["k BIGINT"]);
}

#[test]
fn a_variant_read_by_field_or_index_is_a_variant() {
    let sql = "SELECT ('{\"a\": 42, \"b\": [1]}'::JSON::VARIANT).b[1] AS x, ('{\"a\": 1}'::JSON::VARIANT)['a'] AS y";
    assert_eq!(columns(sql), ["x VARIANT", "y VARIANT"]);
}

#[test]
fn a_union_member_is_read_with_a_dot() {
    let sql = "SELECT u.A, u.b FROM (SELECT 1::UNION(a INT, b VARCHAR) AS u)";
    assert_eq!(columns(sql), ["A INTEGER", "b VARCHAR"]);
    let e = errors("SELECT u.zz FROM (SELECT 1::UNION(a INT, b VARCHAR) AS u)", &sources());
    assert!(e.iter().any(|e| e.starts_with("E105") && e.contains("no member `zz`")), "{e:?}");
}

#[test]
fn from_first_without_a_select_list_selects_everything() {
    assert_eq!(columns("WITH c AS (FROM (VALUES (1, 'x')) v(i, s)) SELECT s, i FROM c"), ["s VARCHAR", "i INTEGER"]);
    assert_eq!(columns("WITH c AS (SELECT 1 AS a) FROM c ORDER BY 1"), ["a INTEGER"]);
}

#[test]
fn star_of_a_struct_column_is_its_fields() {
    assert_eq!(columns("SELECT s.* FROM (SELECT {'x': 1, 'y': 'a'} AS s) t"), ["x INTEGER", "y VARCHAR"]);
}

#[test]
fn group_by_names_select_aliases_through_alias_dot() {
    columns("SELECT a % 2 AS x, count(*) AS n FROM l GROUP BY alias.x ORDER BY x");
    columns("SELECT a AS crs, b AS tp, count(*) FROM l GROUP BY GROUPING SETS (CUBE (crs)), (), tp");
    // Outside GROUPING SETS, a nested CUBE is a call of an unknown function.
    assert!(!errors("SELECT a, count(*) FROM l GROUP BY CUBE (CUBE (a))", &sources()).is_empty());
}

#[test]
fn set_operation_order_by_prefers_output_names_then_spelling() {
    // The output name `k` (the left branch's alias) wins over the right branch's `b AS k`.
    columns("SELECT a AS k, b FROM l UNION SELECT a, b AS k FROM l ORDER BY k");
    // Spelled as the left branch selects it: position 1, not also position 2 (`r.a`).
    columns("SELECT l.a, r.a FROM l, r UNION SELECT c, c - 1 FROM r ORDER BY l.a, r.a, r.c");
}

#[test]
fn extract_julian_of_an_interval_has_no_overload() {
    let e = errors("SELECT extract(julian FROM INTERVAL 1 DAY)", &sources());
    assert!(e.iter().any(|e| e.starts_with("E205")), "{e:?}");
}

#[test]
fn regexp_extract_with_group_names_is_a_struct() {
    assert_eq!(
        columns(
            "SELECT regexp_extract('1a', '(\\d)(a)', ['n', 'c']) AS r, regexp_extract_all('1a', '(\\d)', ['n']) AS a"
        ),
        ["r STRUCT(n VARCHAR, c VARCHAR)", "a STRUCT(n VARCHAR)[]"]
    );
}

#[test]
fn a_subquery_reads_the_enclosing_select_aliases() {
    assert_eq!(
        columns("SELECT a AS outer_a, (SELECT max(c) FROM r WHERE r.a <> outer_a) AS m FROM l"),
        ["outer_a INTEGER", "m INTEGER"]
    );
    // Its own columns first.
    columns("SELECT b AS a, (SELECT a FROM r) AS ra FROM l");
}

#[test]
fn an_outer_alias_of_a_subquery_cannot_be_read_from_another_subquery() {
    let e = errors("SELECT (SELECT max(a) FROM r) AS m, (SELECT c FROM r WHERE c = m) AS n FROM l", &sources());
    assert!(e.iter().any(|e| e.starts_with("E102")), "{e:?}");
}

#[test]
fn array_casts_bind_whatever_the_size_but_size_zero() {
    assert_eq!(errors("SELECT try_cast(array_value(1, 2) AS INTEGER[3])", &sources()), Vec::<String>::new());
    let e = errors("SELECT ([1, 2, 3]::INTEGER[3])::INTEGER[0]", &sources());
    assert!(e.iter().any(|e| e.starts_with("E206")), "{e:?}");
}

#[test]
fn a_constant_order_term_that_is_not_a_position_is_refused() {
    let s = sources();
    let sql = "select a from l order by 'x', 1.5, null, true, 1";
    let found: Vec<(String, &str)> = check_query(sql, &s)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.to_string(), &sql[d.range.start as usize..d.range.end as usize]))
        .collect();
    // `true` is a boolean constant DuckDB accepts; `1` is a position.
    assert_eq!(found, vec![("E303".into(), "'x'"), ("E303".into(), "1.5"), ("E303".into(), "null")]);
    assert_eq!(errors("select a from l union select a from r order by 'x'", &s).len(), 1);
}

#[test]
fn an_alias_naming_more_columns_than_the_table_has_is_refused() {
    let s = sources();
    let sql = "select * from l as x(p, q, z)";
    let found: Vec<(String, &str)> = check_query(sql, &s)
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), &sql[d.range.start as usize..d.range.end as usize]))
        .collect();
    assert_eq!(found, vec![("E106".into(), "z")]);
    assert_eq!(columns("select * from l as x(p)"), ["p INTEGER", "b INTEGER"]);
}

#[test]
fn an_aggregate_over_outer_columns_belongs_to_the_outer_query() {
    columns("SELECT EXISTS(SELECT a FROM r WHERE a > min(l.a)) FROM l");
    columns("SELECT EXISTS(SELECT a + min(l.a) FROM r WHERE a = 3) FROM l");
    columns("SELECT (SELECT count(*) FROM r WHERE r.a < max(l.b)) FROM l");
    // Over this query's own columns it is still this query's aggregate.
    let e = errors("SELECT (SELECT a FROM r WHERE a > min(r.a)) FROM l", &sources());
    assert!(e.iter().any(|e| e.starts_with("E302")), "{e:?}");
    let e = errors("SELECT (SELECT c + min(r.a) FROM r) FROM l", &sources());
    assert!(e.iter().any(|e| e.starts_with("E301")), "{e:?}");
}

#[test]
fn a_builtin_macro_over_an_aggregate_groups_the_query() {
    columns("SELECT b, weighted_avg(a, c) FROM l JOIN r USING (a) GROUP BY b");
    let e = errors("SELECT a, weighted_avg(b, b) FROM l", &sources());
    assert!(e.iter().any(|e| e.starts_with("E301")), "{e:?}");
    let e = errors("SELECT a FROM l WHERE weighted_avg(a, b) > 1", &sources());
    assert!(e.iter().any(|e| e.starts_with("E302")), "{e:?}");
}

#[test]
fn columns_of_an_expansion_the_analysis_does_not_spell_out_are_open() {
    let mut s = sources();
    // A macro the warehouse has: its result's type is Unknown, so is the unnest's width.
    s.add_function_name("my_udf");
    for sql in [
        "SELECT a, c, d FROM (SELECT UNNEST(my_udf(42), recursive := true))",
        "SELECT renamed FROM (SELECT COLUMNS(* RENAME a AS renamed) FROM l)",
    ] {
        assert_eq!(errors(sql, &s), Vec::<String>::new(), "{sql}");
    }
    // A plain subquery's columns are still checked.
    assert!(!errors("SELECT x FROM (SELECT unnest([1, 2]) AS y)", &s).is_empty());
}

#[test]
fn nulls_in_nested_literals_combine_and_empty_name_lists_are_refused() {
    assert_eq!(columns("SELECT [{'i': [1, 2]}, {'i': NULL}] AS x"), ["x STRUCT(i INTEGER[])[]"]);
    assert_eq!(columns("SELECT [[[1, 2]], [], [NULL], NULL] AS x"), ["x INTEGER[][][]"]);
    assert_eq!(columns("SELECT [{'a': 42}, {'b': 84}] AS x"), ["x STRUCT(a INTEGER, b INTEGER)[]"]);
    assert_eq!(columns("SELECT [NULL] AS x, {'k': NULL} AS y"), ["x INTEGER[]", "y STRUCT(k INTEGER)"]);
    for sql in ["SELECT date_part([], DATE '2024-01-01')", "SELECT regexp_extract('abc', '(a)', [])"] {
        let e = errors(sql, &sources());
        assert!(e.iter().any(|e| e.starts_with("E205")), "{sql}: {e:?}");
    }
}

#[test]
fn duckdbs_own_views_are_typed_from_the_generated_catalog() {
    assert_eq!(
        columns("SELECT table_name, estimated_size FROM duckdb_tables"),
        ["table_name VARCHAR", "estimated_size BIGINT"]
    );
    assert_eq!(columns("SELECT table_name FROM information_schema.tables"), ["table_name VARCHAR"]);
    assert_eq!(columns("SELECT relname FROM pg_class"), ["relname VARCHAR"]);
    assert_eq!(columns("SELECT log_level FROM system.main.duckdb_logs"), ["log_level VARCHAR"]);
    let e = errors("SELECT no_such_column FROM duckdb_tables", &sources());
    assert!(e.iter().any(|e| e.starts_with("E102")), "{e:?}");
    // information_schema is not on the search path.
    let e = errors("SELECT table_name FROM tables", &sources());
    assert!(e.iter().any(|e| e.starts_with("E101")), "{e:?}");
}

#[test]
fn values_combine_and_compare_with_variant_and_unlist_is_unnest() {
    assert_eq!(columns("SELECT [100::VARIANT, 1.2] AS x"), ["x VARIANT[]"]);
    columns("SELECT a::VARIANT < 4 AS x FROM l");
    assert_eq!(columns("SELECT UNLIST([42]) AS x"), ["x INTEGER"]);
}

#[test]
fn array_of_a_subquery_with_open_columns_is_no_unknown_function() {
    let e = errors("SELECT array(SELECT * FROM unnest(['a', 'b']) AS _t(u) ORDER BY u) AS out", &sources());
    assert_eq!(e, Vec::<String>::new());
}

#[test]
fn an_equals_sign_in_a_scalar_call_is_a_comparison() {
    assert_eq!(columns("SELECT count_if(a = 1) AS n FROM l"), ["n HUGEINT"]);
    let e = errors("SELECT count_if(nope = 1) FROM l", &sources());
    assert!(e.iter().any(|e| e.starts_with("E102")), "{e:?}");
}

#[test]
fn unaliased_subqueries_are_named_as_duckdb_names_them() {
    assert_eq!(
        columns("SELECT unnamed_subquery.x, unnamed_subquery2.y FROM (SELECT 42 AS x), (SELECT 43 AS y)"),
        ["x INTEGER", "y INTEGER"]
    );
    let e = errors("SELECT unnamed_subquery3.x FROM (SELECT 42 AS x), (SELECT 43 AS y)", &sources());
    assert!(e.iter().any(|e| e.starts_with("E101")), "{e:?}");
}

#[test]
fn a_table_name_as_a_value_is_its_row() {
    assert_eq!(columns("SELECT main.l FROM main.l"), ["l STRUCT(a INTEGER, b INTEGER)"]);
    assert_eq!(columns("SELECT x FROM l, (SELECT l AS x)"), ["x STRUCT(a INTEGER, b INTEGER)"]);
}

#[test]
fn an_aggregate_ordered_by_all_and_a_try_cast_of_lists_bind() {
    // (Over one column: DuckDB repeats the item once per column of the FROM clause.)
    assert_eq!(columns("SELECT first(a ORDER BY ALL) AS f FROM (SELECT a FROM l)"), ["f INTEGER"]);
    assert_eq!(columns("SELECT TRY_CAST([1, 2] AS DATE[]) AS d"), ["d DATE[]"]);
    let e = errors("SELECT CAST([1, 2] AS DATE[])", &sources());
    assert!(e.iter().any(|e| e.starts_with("E206")), "{e:?}");
}

#[test]
fn a_call_with_unpacked_columns_is_open() {
    let s = sources();
    assert_eq!(
        errors("SELECT greatest(*COLUMNS(*)) AS g, coalesce(*COLUMNS('a|b'), 0) AS c FROM l", &s),
        Vec::<String>::new()
    );
    assert!(!errors("SELECT coalesce(*COLUMNS(*), nope) FROM l", &s).is_empty(), "the other arguments are checked");
}

#[test]
fn a_cast_of_a_folded_null_binds_whatever_the_types() {
    columns("SELECT NULL::BIGINT::VARCHAR::INT[]::ROW(i INTEGER, k INTEGER)");
    columns("SELECT ((NULL) - (a))::DATE FROM l");
    // Without the NULL there is no conversion: still an error.
    let e = errors("SELECT (a - 1)::DATE FROM l", &sources());
    assert!(e.iter().any(|e| e.starts_with("E206")), "{e:?}");
}

#[test]
fn a_row_is_compared_with_a_subquery_as_wide_as_it() {
    let cols = columns("SELECT ROW(0, 0) < ANY (SELECT 1, 0)");
    assert!(cols.len() == 1 && cols[0].ends_with(" BOOLEAN"), "{cols:?}");
    let e = errors("SELECT ROW(0, 0) < ANY (SELECT 1, 0, 2)", &sources());
    assert!(e.iter().any(|e| e.starts_with("E204")), "{e:?}");
}

#[test]
fn order_by_a_name_two_tables_have_sorts_by_the_one_output_column() {
    columns("SELECT l.a FROM l, r WHERE l.a = r.a ORDER BY a");
    let e = errors("SELECT l.a, r.a FROM l, r ORDER BY a", &sources());
    assert!(e.iter().any(|e| e.starts_with("E103")), "{e:?}");
    let e = errors("SELECT l.b FROM l, r ORDER BY a", &sources());
    assert!(e.iter().any(|e| e.starts_with("E103")), "{e:?}");
}

#[test]
fn a_qualified_name_the_inner_table_lacks_reads_the_outer_table_of_that_name() {
    columns("SELECT (SELECT tbl.a['i'] + tbl.b['j'] FROM (VALUES ({'i': 1, 'j': 2})) tbl(b)) FROM (VALUES ({'i': 1, 'j': 2})) tbl(a)");
    columns("SELECT (SELECT tbl.a + tbl.b FROM (VALUES (1)) tbl(b)) AS s FROM (VALUES (2)) tbl(a)");
}

#[test]
fn a_method_call_on_an_alias_dot_name_reads_the_select_alias() {
    assert_eq!(columns("SELECT 'AbC' AS s, alias.s.lower() AS low"), ["s VARCHAR", "low VARCHAR"]);
}

#[test]
fn excluding_both_qualified_names_of_a_using_column_excludes_it_once() {
    assert_eq!(columns("SELECT * EXCLUDE (l.a, r.a) FROM l JOIN r USING (a)"), ["b INTEGER", "c INTEGER"]);
    for sql in
        ["SELECT * EXCLUDE (l.a, r.z) FROM l JOIN r USING (a)", "SELECT * EXCLUDE (l.a, x.a) FROM l JOIN r USING (a)"]
    {
        let e = errors(sql, &sources());
        assert!(e.iter().any(|e| e.starts_with("E102")), "{sql}: {e:?}");
    }
}

#[test]
fn the_default_of_lag_is_cast_to_the_value_type() {
    assert_eq!(columns("SELECT lag(v, 10, 3) OVER () AS p FROM (VALUES ('x')) t(v)"), ["p VARCHAR"]);
}

#[test]
fn non_ascii_characters_are_letters_of_identifiers() {
    assert_eq!(columns("SELECT 1 AS 🦆, 2 AS næstved, 3 AS 名前"), ["🦆 INTEGER", "næstved INTEGER", "名前 INTEGER"]);
    assert_eq!(
        columns("SELECT NULL::STRUCT(🦆 VARCHAR, 🦤 INTEGER) AS s"),
        ["s STRUCT(\"🦆\" VARCHAR, \"🦤\" INTEGER)"]
    );
    // A no-break space still separates words.
    assert_eq!(columns("SELECT\u{a0}1\u{a0}AS\u{a0}x"), ["x INTEGER"]);
}

#[test]
fn unpivot_entries_may_be_named_and_a_star_may_exclude_columns() {
    for sql in [
        "UNPIVOT l ON a AS first, b second INTO NAME k VALUE v",
        "SELECT * FROM (UNPIVOT l ON * EXCLUDE (a) INTO NAME k VALUE v)",
        "UNPIVOT l ON (a, b) INTO NAME k VALUES x, y",
        "UNPIVOT (SELECT a, b FROM l) ON (a + 100)::VARCHAR AS c, b::VARCHAR",
    ] {
        assert_eq!(errors(sql, &sources()), Vec::<String>::new(), "{sql}");
    }
    // An entry still has to read a column.
    assert!(!errors("UNPIVOT l ON 1 AS one INTO NAME k VALUE v", &sources()).is_empty());
    // The result: the columns no entry reads, the name, then the values.
    assert_eq!(columns("UNPIVOT l ON b AS bee INTO NAME k VALUE v"), ["a INTEGER", "k VARCHAR", "v INTEGER"]);
    assert_eq!(columns("FROM (UNPIVOT r ON * EXCLUDE (a))"), ["a INTEGER", "name VARCHAR", "value INTEGER"]);
    let e = errors("UNPIVOT (SELECT a, 'x' || b AS t FROM l) ON a, t", &sources());
    assert!(e.iter().any(|e| e.starts_with("E203 cannot unpivot columns of types INTEGER and VARCHAR")), "{e:?}");
    // Which columns COLUMNS(…) reads is not spelled out: the result is open, with the NAME and
    // VALUE columns known (the value's type is not).
    // `COLUMNS(…)` entries: one per column they select.
    assert_eq!(columns("UNPIVOT l ON COLUMNS('b')"), ["a INTEGER", "name VARCHAR", "value INTEGER"]);
    assert_eq!(columns("SELECT Val, n FROM l UNPIVOT (Val FOR n IN (COLUMNS('b')))"), ["Val INTEGER", "n VARCHAR"]);
    assert_eq!(
        columns("UNPIVOT (SELECT 42 AS c1, 'w' AS c2) ON COLUMNS(*)::VARCHAR"),
        ["name VARCHAR", "value VARCHAR"]
    );
    assert_eq!(
        columns("UNPIVOT (SELECT a, b::VARCHAR AS b FROM l) ON (a + 1)::VARCHAR AS c, b"),
        ["name VARCHAR", "value VARCHAR"]
    );
    assert_eq!(
        columns("SELECT * FROM (SELECT 1 AS i, 2 AS x, 'p' AS y) UNPIVOT ((u, w) FOR k IN ((x, y)))"),
        ["i INTEGER", "k VARCHAR", "u INTEGER", "w VARCHAR"]
    );
}

#[test]
fn the_postfix_factorial_is_duckdbs_postfix_operator() {
    let cols = columns("SELECT 10! AS f, a! AS g FROM l");
    assert_eq!(cols, ["f HUGEINT", "g HUGEINT"]);
    assert_eq!(columns("SELECT 10!"), ["((10)!) HUGEINT"]);
    let e = errors("SELECT CAST('x' AS VARCHAR)! AS f", &sources());
    assert!(e.iter().any(|e| e.starts_with("E202")), "{e:?}");
}

#[test]
fn a_pivot_clause_may_pivot_several_columns_pivot_an_enum_and_group() {
    for sql in [
        "SELECT * FROM l PIVOT (sum(a) FOR b IN (1, 2) a IN (3, 4)) AS p",
        "SELECT * FROM l PIVOT (count(*) FOR b IN (1, 2) GROUP BY a) AS p ORDER BY a",
        "SELECT * FROM l PIVOT (sum(a) FOR b IN mood) AS p",
        // Its columns depend on the data: any position may exist.
        "SELECT * FROM l PIVOT (count(*) FOR b IN (1, 2) GROUP BY a) AS p ORDER BY 3",
    ] {
        assert_eq!(errors(sql, &sources()), Vec::<String>::new(), "{sql}");
    }
    // The further columns and the keys are read in the pivoted table.
    let e = errors("SELECT * FROM l PIVOT (sum(a) FOR b IN (1) GROUP BY zz) AS p", &sources());
    assert!(e.iter().any(|e| e.starts_with("E102")), "{e:?}");
    let e = errors("SELECT a FROM l ORDER BY 3", &sources());
    assert!(e.iter().any(|e| e.starts_with("E303")), "{e:?}");
}

#[test]
fn a_pivot_with_spelled_out_values_has_known_columns() {
    // The columns nothing pivots or aggregates group the result, then one column per value.
    assert_eq!(columns("SELECT * FROM r PIVOT (sum(a) FOR c IN (1, 2)) AS p"), ["1 HUGEINT", "2 HUGEINT"]);
    assert_eq!(
        columns("SELECT * FROM l PIVOT (count(*) FOR b IN ('x' AS ex, 'y') GROUP BY a) AS p"),
        ["a INTEGER", "ex BIGINT", "y BIGINT"]
    );
    // Several pivot columns: every combination; several aggregates: their names appended.
    assert_eq!(
        columns("SELECT * FROM l PIVOT (sum(a) AS s, max(a) AS m FOR b IN (1, 2) a IN (3)) AS p"),
        ["1_3_s HUGEINT", "1_3_m INTEGER", "2_3_s HUGEINT", "2_3_m INTEGER"]
    );
    // The statement: `ON c IN (…)`; without USING it counts.
    assert_eq!(columns("PIVOT l ON b IN (5, 6) GROUP BY a"), ["a INTEGER", "5 BIGINT", "6 BIGINT"]);
    // Names equal but for case are told apart as DuckDB does.
    assert_eq!(
        columns("SELECT * FROM l PIVOT (count(*) FOR b IN ('t', 'T')) AS p"),
        ["a INTEGER", "t BIGINT", "T_1 BIGINT"]
    );
    // Values from the data: open.
    assert!(check_query("PIVOT l ON b USING sum(a)", &sources()).open);
    // Booleans print as `false` / `true`.
    assert_eq!(
        columns("PIVOT l ON (b = 1) IN (false, true) USING sum(a) GROUP BY a"),
        ["a INTEGER", "false HUGEINT", "true HUGEINT"]
    );
    // Tuples over several columns: the alias, else the values joined; every column is read.
    assert_eq!(
        columns("SELECT * FROM (SELECT 1 AS q, 'e' AS r, 2 AS s, 3 AS y) PIVOT (sum(s) FOR (q, r) IN ((1, 'e'), (2, 'w') AS two))"),
        ["y INTEGER", "1_e HUGEINT", "two HUGEINT"]
    );
    assert_eq!(codes("SELECT * FROM l PIVOT (sum(a) FOR (a, b) IN ((1, 2, 3)))"), ["E204"]);
}

#[test]
fn a_pivot_without_on_aggregates_the_named_groups_only() {
    assert_eq!(columns("PIVOT l USING sum(a)"), ["sum(a) HUGEINT"]);
    assert_eq!(columns("PIVOT l USING sum(a) AS s, max(a) GROUP BY b"), ["b INTEGER", "s HUGEINT", "max(a) INTEGER"]);
    assert_eq!(columns("PIVOT l GROUP BY b, a"), ["b INTEGER", "a INTEGER"]);
}

#[test]
fn a_slice_with_a_step_and_no_end_is_named_with_a_dash() {
    assert_eq!(
        columns("SELECT [1, 2, 3][:-:-1], [1, 2, 3][1:-:2], [1, 2][1:2]"),
        [
            "main.list_value(1, 2, 3)[:-:-1] INTEGER[]",
            "main.list_value(1, 2, 3)[1:-:2] INTEGER[]",
            "main.list_value(1, 2)[1:2] INTEGER[]"
        ]
    );
}

#[test]
fn the_json_arrow_extracts_with_any_path_argument() {
    assert_eq!(
        columns("SELECT (JSON '{\"key\": 1}')->k AS v, (JSON '[1]')->0 AS w FROM (SELECT 'key' AS k) keys"),
        ["v JSON", "w JSON"]
    );
}

#[test]
fn a_cast_to_a_user_defined_type_is_unknown_not_an_error() {
    assert_eq!(columns("SELECT upper('hello'::str_alias) AS u, NULL::main.u[] AS l"), ["u VARCHAR", "l UNKNOWN[]"]);
    // Built-in names stay what they are.
    assert_eq!(columns("SELECT '1'::int4 AS i, 'x'::string AS s"), ["i INTEGER", "s VARCHAR"]);
}

#[test]
fn a_cast_to_a_type_the_warehouse_has_is_that_type() {
    let mut s = sources();
    s.types.insert("mood".into(), "ENUM('sad', 'ok', 'happy')".into());
    s.types.insert("s1.pt".into(), "STRUCT(x INTEGER, y INTEGER)".into());
    let sql = "SELECT 'ok'::mood AS m, ['sad']::Mood[] AS l, NULL::s1.pt AS p, NULL::other AS o";
    assert_eq!(errors(sql, &s), Vec::<String>::new());
    let typed: Vec<String> = check_query(sql, &s).columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect();
    assert_eq!(
        typed,
        [
            "m ENUM('sad', 'ok', 'happy')",
            "l ENUM('sad', 'ok', 'happy')[]",
            "p STRUCT(x INTEGER, y INTEGER)",
            "o UNKNOWN"
        ]
    );
    // A pivot over the type's labels has one column per label.
    let pivot = "SELECT * FROM l PIVOT (sum(a) FOR b IN mood) AS p";
    let names: Vec<String> = check_query(pivot, &s).columns.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, ["sad", "ok", "happy"]);
}

#[test]
fn unnest_is_refused_in_having_and_qualify() {
    for sql in ["SELECT 42 HAVING unnest([1, 2, 3])", "SELECT row_number() OVER () QUALIFY unnest([1, 2, 3])"] {
        let e = errors(sql, &sources());
        assert!(e.iter().any(|e| e.starts_with("E302 UNNEST is not allowed in")), "{sql}: {e:?}");
    }
    // In a subquery's select list it is fine.
    columns("SELECT 1 AS one HAVING 1 IN (SELECT unnest([1, 2]))");
}

#[test]
fn built_in_macros_are_typed_through_their_bodies_and_list_aggregates_through_the_aggregate() {
    assert_eq!(
        columns(
            "SELECT split_part('a,b', ',', 1) AS p, list_min([1, 2]) AS m, list_sum([1, 2]) AS s, \
             list_aggr([1.5, 2.5], 'max') AS x, roundbankers(45, -1) AS r, \
             list_aggr(['a'], 'string_agg', '-') AS j, list_avg([1, 2]) AS a, list_count([1]) AS c"
        ),
        ["p VARCHAR", "m INTEGER", "s HUGEINT", "x DECIMAL(2,1)", "r DOUBLE", "j VARCHAR", "a DOUBLE", "c BIGINT"]
    );
    // An aggregate DuckDB does not have, or one that does not take the elements, is the call's
    // error; so is a macro whose body does not bind (reported once, at the call).
    let e = errors("SELECT list_aggr(l, 'no_such_aggregate') AS u FROM (SELECT [1] AS l)", &sources());
    assert_eq!(e, ["E104 no aggregate function named `no_such_aggregate`"]);
    let e = errors("SELECT list_aggr([1, 2], 'corr')", &sources());
    assert_eq!(e, ["E205 the aggregate `corr` does not take (INTEGER)"]);
    let e = errors("SELECT list_mad([INTERVAL 1 YEAR])", &sources());
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("E205 `list_mad` does not bind with these arguments: "), "{e:?}");
}

#[test]
fn test_vector_types_has_a_column_per_value() {
    let sql = "SELECT * FROM test_vector_types(NULL::INT[], 1, NULL::VARCHAR, all_flat := true)";
    assert_eq!(columns(sql), ["test_vector INTEGER[]", "test_vector2 INTEGER", "test_vector3 VARCHAR"]);
}

#[test]
fn a_built_in_macro_takes_named_arguments_and_leaves_out_defaults() {
    let sql = "SELECT array_to_string_comma_default([1, 2]) AS a, array_to_string_comma_default([1], sep := '-') AS b";
    assert_eq!(columns(sql), ["a VARCHAR", "b VARCHAR"]);
}

#[test]
fn a_method_call_on_any_value_takes_it_as_the_first_argument() {
    let sql = "SELECT ['a b'].apply(lambda x: x.lower()).filter(lambda x: x[1] == 'a') AS a, \
               ('a' || 'b').upper() AS u, [3, 1].list_sort()[1] AS f";
    assert_eq!(columns(sql), ["a VARCHAR[]", "u VARCHAR", "f INTEGER"]);
}

#[test]
fn a_lambda_in_parentheses_is_a_lambda() {
    // How DuckDB prints a macro's body: `list_reduce(l, (lambda x, y: (x + y)))`.
    let sql = "SELECT list_transform([1, 2], (lambda x: x + 1)) AS t, list_reduce([1, 2], (lambda a, b: a + b)) AS r";
    assert_eq!(columns(sql), ["t INTEGER[]", "r INTEGER"]);
}

#[test]
fn quantile_fractions_and_lambda_shapes_are_checked_as_duckdb_binds_them() {
    for (sql, message) in [
        ("SELECT quantile_cont(a, NULL) FROM l", "QUANTILE argument must not be NULL"),
        ("SELECT quantile_cont(a, [0.5, NULL]) FROM l", "QUANTILE parameter cannot be NULL"),
        ("SELECT quantile_cont(a, b) FROM l", "QUANTILE can only take constant parameters"),
        ("SELECT quantile_cont(a, random()) FROM l", "QUANTILE can only take constant parameters"),
        ("SELECT quantile_cont(a, [0.5, -0.5]) FROM l", "QUANTILE parameters must have consistent signs"),
        ("SELECT reservoir_quantile(a, 1.5) FROM l", "RESERVOIR_QUANTILE can only take parameters in the range [0, 1]"),
        ("SELECT quantile(a) FROM l", "QUANTILE requires a range argument between [0, 1]"),
        ("SELECT list_transform([1], x -> x, 3)", "`list_transform` takes a list and a lambda"),
        ("SELECT list_reduce([1, 2], NULL)", "`list_reduce` needs a lambda as its second argument (x -> …)"),
        ("SELECT list_reduce([1, 2], (x) -> x)", "`list_reduce` expects a lambda of 2 to 3 parameters, not 1"),
        ("SELECT list_transform([1], (x, y, z) -> x)", "`list_transform` expects a lambda of 1 to 2 parameters, not 3"),
    ] {
        assert_eq!(errors(sql, &sources()), [format!("E205 {message}")], "{sql}");
    }
    // What DuckDB accepts: a negative fraction, constant arithmetic, a descending list, the
    // method form, a reduce with an index and an initial value.
    columns("SELECT quantile_cont(a, -0.5), quantile_cont(a, 0.5 + 0.1), quantile_cont(a, [-0.5, -0.1]) FROM l");
    columns("SELECT [1, 2].apply(lambda x: x + 1), list_reduce([1, 2], (x, y, i) -> x + y + i, 0)");
}

#[test]
fn built_in_table_functions_have_the_columns_duckdb_describes() {
    assert_eq!(
        columns("SELECT * FROM sql_auto_complete('SELE')"),
        [
            "suggestion VARCHAR",
            "suggestion_start INTEGER",
            "suggestion_type VARCHAR",
            "suggestion_score UBIGINT",
            "extra_char VARCHAR"
        ]
    );
    assert_eq!(columns("SELECT * FROM duckdb_keywords()"), ["keyword_name VARCHAR", "keyword_category VARCHAR"]);
    // A column it does not have is an error, as for any table.
    let e = errors("SELECT nope FROM duckdb_keywords()", &sources());
    assert!(e.iter().any(|e| e.starts_with("E102")), "{e:?}");
    // Arguments no overload takes leave it open (the call's own error is DuckDB's to give).
    assert!(check_query("SELECT * FROM read_text(1, 2, 3)", &sources()).open);
}

#[test]
fn result_types_duckdb_binds_from_the_argument_types() {
    assert_eq!(
        columns(
            "SELECT union_tag(u) AS t, union_extract(u, 'n') AS n, struct_update({'a': 1}, a := 'x', b := 2) AS s, \
             map_concat(map([1], ['a']), map([2], ['b'])) AS m, date_part(['year', 'epoch'], d) AS p, \
             list_histogram([1, 2]) AS lh \
             FROM (SELECT 1::UNION(n INT, s VARCHAR) AS u, DATE '2020-01-01' AS d)"
        ),
        [
            "t ENUM('n', 's')",
            "n INTEGER",
            "s STRUCT(a VARCHAR, b INTEGER)",
            "m MAP(INTEGER, VARCHAR)",
            "p STRUCT(\"year\" BIGINT, epoch DOUBLE)",
            "lh MAP(INTEGER, UBIGINT)"
        ]
    );
    assert_eq!(
        columns("SELECT histogram(a) AS h, histogram(a, [1, 2]) AS hb FROM l"),
        ["h MAP(INTEGER, UBIGINT)", "hb MAP(INTEGER, UBIGINT)"]
    );
    assert_eq!(columns("SELECT enum_code('a'::ENUM('a', 'b')) AS c"), ["c UTINYINT"]);
    assert_eq!(columns("SELECT mod(10::DECIMAL(10, 0), 2.1) AS m"), ["m DECIMAL(11,1)"]);
    assert_eq!(
        columns("SELECT quantile_disc([1, 2], [0.5]) AS a, quantile_cont(1, array_value(0.5, 0.4)) AS c"),
        ["a INTEGER[][]", "c DOUBLE[]"]
    );
    // Of an untyped NULL (or an empty list's elements): keyed by INTEGER.
    assert_eq!(
        columns("SELECT histogram(NULL) AS n, list_aggr([], 'histogram') AS e"),
        ["n MAP(INTEGER, UBIGINT)", "e MAP(INTEGER, UBIGINT)"]
    );
}

#[test]
fn argument_checks_duckdb_makes_at_bind_time() {
    for (sql, expected) in [
        ("SELECT string_agg(a::VARCHAR, b::VARCHAR) FROM l", "E205 the separator of string_agg must be a constant"),
        ("SELECT enum_code('bla')", "E205 `enum_code` needs an ENUM as its argument"),
        ("SELECT enum_range_boundary(NULL, NULL)", "E205 `enum_range_boundary` needs an ENUM as its argument"),
        ("SELECT date_part('julian', TIME '10:00')", "E205 julian can only take DATE or TIMESTAMP arguments"),
        ("SELECT sum(unnest([1]))", "E302 UNNEST is not allowed in an aggregate's arguments"),
        ("SELECT a FROM l WHERE unnest([a]) > 0", "E302 UNNEST is not allowed in WHERE"),
        ("SELECT list_transform([2], x -> (SELECT 1 - x))", "E302 a subquery is not allowed in a lambda"),
    ] {
        assert_eq!(errors(sql, &sources()), [expected], "{sql}");
    }
    // Constant separators, built-in macros passing theirs on, and a date's julian day bind.
    columns("SELECT string_agg(a::VARCHAR, ',' || ''), array_to_string([1, 2], '-'), date_part('julian', DATE '2020-01-01') FROM l");
}

#[test]
fn unnest_in_from_distinct_on_and_negative_positions() {
    assert_eq!(columns("SELECT * FROM unnest([1, 2])"), ["unnest INTEGER"]);
    assert_eq!(columns("SELECT * FROM unnest(['a']) AS u(s)"), ["s VARCHAR"]);
    assert_eq!(errors("SELECT * FROM unnest(1)", &sources()), ["E205 UNNEST in FROM takes a single list"]);
    assert_eq!(errors("SELECT * FROM unnest(NULL)", &sources()), ["E205 UNNEST in FROM takes a single list"]);
    // DISTINCT ON terms resolve like ORDER BY terms: positions, output names, input columns.
    columns("SELECT DISTINCT ON (1) a, b AS k FROM l ORDER BY 1");
    columns("SELECT DISTINCT ON (k) a, b AS k FROM l");
    assert!(errors("SELECT DISTINCT ON (nope) a FROM l", &sources())[0].starts_with("E102"));
    assert_eq!(errors("SELECT a FROM l ORDER BY -1", &sources()), ["E303 position -1 is out of range"]);
}

#[test]
fn exported_aggregate_states_and_regex_match_operators() {
    assert_eq!(
        columns(
            "SELECT sum(a) EXPORT_STATE AS s, count(*) EXPORT_STATE AS c, finalize(sum(a) EXPORT_STATE) AS f, \
             combine(count(*) EXPORT_STATE, count(*) EXPORT_STATE) AS cb FROM l"
        ),
        [
            "s AGGREGATE_STATE<sum(INTEGER)::HUGEINT>",
            "c AGGREGATE_STATE<count_star()::BIGINT>",
            "f HUGEINT",
            "cb AGGREGATE_STATE<count_star()::BIGINT>"
        ]
    );
    assert_eq!(columns("SELECT 'aaa' ~ 'a.*' AS m, 'a' !~ 'b' AS n"), ["m BOOLEAN", "n BOOLEAN"]);
}

#[test]
fn constant_arguments_duckdb_checks_in_structs_regexes_date_parts_and_arrays() {
    for (sql, expected) in [
        ("SELECT date_part(['year', NULL], DATE '2020-01-01')", "E205 a NULL part name in date_part"),
        ("SELECT date_part(['year', 'YEAR'], DATE '2020-01-01')", "E205 the part `YEAR` is listed twice in date_part"),
        ("SELECT regexp_extract('abc', '(a)', ['g1', 'g2'])", "E205 the pattern has 1 capturing group(s) for 2 names"),
        (
            "SELECT regexp_extract_all('abc', '(a)(b)', ['x', 'x'])",
            "E205 the group name 'x' is given twice to regexp_extract_all",
        ),
        ("SELECT struct_pack(a := 1, A := 2)", "E205 the struct has two fields named `A`"),
        ("SELECT struct_insert({'a': 1}, a := 2)", "E205 the struct already has a field `a`"),
        ("SELECT struct_extract({'a': 1}, 'zz')", "E105 the struct has no field `zz`"),
        (
            "SELECT array_inner_product([1, 2]::FLOAT[2], [1, 2, 3]::FLOAT[3])",
            "E205 array_inner_product: the arrays must have the same size, not 2 and 3",
        ),
    ] {
        assert_eq!(errors(sql, &sources()), [expected], "{sql}");
    }
    assert_eq!(
        columns("SELECT struct_insert({'a': 1}, b := 'x') AS i, struct_extract({'a': 1}, 'a') AS e"),
        ["i STRUCT(a INTEGER, b VARCHAR)", "e INTEGER"]
    );
}

#[test]
fn slice_bounds_lambdas_outside_list_functions_and_non_union_recursion() {
    assert_eq!(errors("SELECT [1, 2, 3][1:[1]]", &sources()), ["E205 a slice bound must be an integer"]);
    assert_eq!(errors("SELECT cos(x -> x + 1)", &sources()), ["E205 `cos` does not take a lambda"]);
    assert_eq!(errors("SELECT [[1], x -> x]", &sources()), ["E205 a list literal does not take a lambda"]);
    let e = errors("WITH RECURSIVE r AS (SELECT 1 AS x EXCEPT SELECT x + 1 FROM r) SELECT * FROM r", &sources());
    assert!(!e.is_empty(), "an EXCEPT does not recurse: r cannot read itself");
    columns("WITH RECURSIVE r AS (SELECT 1 AS x UNION SELECT x + 1 FROM r WHERE x < 3) SELECT * FROM r");
}

#[test]
fn subscripts_of_scalars_unary_plus_states_and_zips() {
    for (sql, expected) in [
        ("SELECT a[1] FROM l", "E205 a INTEGER value cannot be subscripted"),
        ("SELECT (1)[1:2]", "E205 a INTEGER value cannot be subscripted"),
        ("SELECT +DATE '2020-01-01'", "E202 no unary operator + for DATE: add an explicit CAST"),
        ("SELECT finalize(a) FROM l", "E205 `finalize` takes an aggregate state, not INTEGER"),
        ("SELECT list_zip(3, 4)", "E205 `list_zip` zips lists; no argument is one"),
    ] {
        assert_eq!(errors(sql, &sources()), [expected], "{sql}");
    }
    columns("SELECT 'abc'[1], [1, 2][1:1], +a, +1.5, list_zip([1]::INT[1], [2]::INT[1], true) FROM l");
}

#[test]
fn unnest_in_window_functions_and_frame_bounds() {
    for sql in [
        "SELECT sum(a) OVER (ROWS BETWEEN unnest([1]) PRECEDING AND 1 FOLLOWING) FROM l",
        "SELECT lead(a, 0, unnest([1])) OVER (ORDER BY a) FROM l",
        "SELECT count(a) FILTER (WHERE a = unnest([2])) OVER (ORDER BY a) FROM l",
    ] {
        assert_eq!(errors(sql, &sources()), ["E302 UNNEST is not allowed in a window function"], "{sql}");
    }
    // In a subquery of the arguments it is fine; frame bounds read the query's columns.
    columns("SELECT lead(a, (SELECT unnest([1]))) OVER (ORDER BY a) FROM l");
    assert!(errors("SELECT sum(a) OVER (ROWS BETWEEN nope PRECEDING AND CURRENT ROW) FROM l", &sources())[0]
        .starts_with("E102"));
}

#[test]
fn a_qualifier_naming_two_tables_and_negative_limits() {
    let s = sources();
    for sql in [
        "SELECT l.a FROM l, l",
        "SELECT l.a FROM l JOIN l USING (a)",
        "SELECT l.a FROM l, (SELECT 1 AS a) l",
        "SELECT l.a FROM l, main.l",
        "SELECT * FROM l, l",
        "SELECT * FROM l, main.l",
        "SELECT l.* FROM l, l",
        "SELECT 1 FROM l, l WHERE l.a = 1",
        "SELECT * FROM range(3), range(4)",
    ] {
        assert_eq!(codes(sql), ["E103"], "{sql}");
    }
    let e = errors("SELECT x.a FROM l AS x, r AS x", &s);
    assert_eq!(e, ["E103 `x` is ambiguous: 2 tables in this FROM clause are called `x`"]);
    let e = errors("SELECT l.a FROM l, main.l", &s);
    assert_eq!(e, ["E103 `l` is ambiguous: it could be l or main.l"]);
    // One table each, or the same name in different scopes: fine.
    columns("SELECT 1 FROM l, l");
    columns("SELECT main.l.a, x.a FROM main.l, l AS x");
    columns("SELECT (SELECT l.a FROM l) FROM l");
    columns("SELECT * FROM (SELECT 1), (SELECT 2)");
    // Same alias, different columns: each reference finds one.
    assert_eq!(columns("SELECT * FROM (SELECT 42 x) t, (SELECT 84 y) t"), ["x INTEGER", "y INTEGER"]);
    assert_eq!(columns("SELECT t.x, t.y FROM (SELECT 42 x) t, (SELECT 84 y) t"), ["x INTEGER", "y INTEGER"]);
    assert_eq!(codes("SELECT t.* FROM (SELECT 42 x) t, (SELECT 84 y) t"), ["E103"]);
    assert_eq!(columns("WITH l AS (SELECT 'w' AS w) SELECT * FROM main.r, l"), ["a INTEGER", "c INTEGER", "w VARCHAR"]);
    assert_eq!(columns("SELECT * EXCLUDE (main.l.a) FROM main.l, main.r"), ["b INTEGER", "a INTEGER", "c INTEGER"]);
    assert_eq!(columns("SELECT * FROM main.l, main.r"), ["a INTEGER", "b INTEGER", "a INTEGER", "c INTEGER"]);

    for sql in ["SELECT a FROM l LIMIT -1", "SELECT a FROM l LIMIT 1 OFFSET -1", "SELECT a FROM l LIMIT -1.5"] {
        assert_eq!(codes(sql), ["E304"], "{sql}");
    }
    columns("SELECT a FROM l LIMIT 0 OFFSET 0");
    columns("SELECT a FROM l LIMIT (SELECT -1)");
    columns("SELECT a FROM l LIMIT NULL");
}

#[test]
fn exclude_names_one_table_column_and_never_all_of_them() {
    let s = sources();
    assert_eq!(columns("SELECT * EXCLUDE (r.a) FROM l, r"), ["a INTEGER", "b INTEGER", "c INTEGER"]);
    assert_eq!(columns("SELECT * EXCLUDE (l.a) FROM l, r"), ["b INTEGER", "a INTEGER", "c INTEGER"]);
    assert_eq!(columns("SELECT * EXCLUDE (a) FROM l, r"), ["b INTEGER", "c INTEGER"]);
    assert_eq!(columns("SELECT * EXCLUDE (r.a) FROM l JOIN r USING (a)"), ["b INTEGER", "c INTEGER"]);
    assert_eq!(columns("SELECT * EXCLUDE (a, b), 1 AS one FROM l"), ["one INTEGER"]);
    assert_eq!(errors("SELECT * EXCLUDE (r.a) FROM l", &s), ["E102 unknown column `r.a` in the EXCLUDE list"]);
    assert_eq!(errors("SELECT * EXCLUDE (l.c) FROM l, r", &s), ["E102 unknown column `l.c` in the EXCLUDE list"]);
    assert_eq!(errors("SELECT * EXCLUDE (a, b) FROM l", &s), ["E102 EXCLUDE leaves no column to select"]);
    assert_eq!(errors("SELECT l.* EXCLUDE (a, b) FROM l", &s), ["E102 EXCLUDE leaves no column to select"]);
}

#[test]
fn unnamed_structs_are_read_by_position() {
    assert_eq!(columns("SELECT ROW(a, 'x') AS r FROM l"), ["r STRUCT(INTEGER, VARCHAR)"]);
    assert_eq!(columns("SELECT (a, 'x') AS r FROM l"), ["r STRUCT(INTEGER, VARCHAR)"]);
    assert_eq!(columns("SELECT ROW(a, 'x')[2] AS v FROM l"), ["v VARCHAR"]);
    assert_eq!(columns("SELECT struct_extract(ROW(a, 'x'), 1) AS v FROM l"), ["v INTEGER"]);
    // Meeting a named STRUCT, the unnamed one takes its names.
    assert_eq!(columns("SELECT [ROW(1, 'a'), {'x': 2, 'y': 'b'}] AS v"), ["v STRUCT(x INTEGER, y VARCHAR)[]"]);
    assert_eq!(columns("SELECT ROW('a') AS v UNION ALL SELECT {'x': 'b'}"), ["v STRUCT(x VARCHAR)"]);
    assert_eq!(columns("SELECT unnest(ROW(1, 'x'))"), ["element1 INTEGER", "element2 VARCHAR"]);
    // Rows compare with rows of as many values, and with a subquery's row.
    columns("SELECT (1, 'a') = (1, 2), ROW(1, 2) = {'a': 1, 'b': 2}");
    columns("SELECT (1, 2) IN (SELECT 1, 2), (1, 2) IN (SELECT (1, 2)), (1, 2) = ANY (SELECT (1, 2))");
    columns("SELECT (a, b) IN (SELECT a, c FROM r) FROM l");

    for sql in [
        "SELECT ROW(1, 2)['a']",
        "SELECT ROW(1, 2).a",
        "SELECT ROW(1, 2)[0]",
        "SELECT ROW(1, 2)[3]",
        "SELECT ROW(1, 2)[-1]",
        "SELECT {'a': 1}[1]",
        "SELECT struct_extract({'a': 1}, 1)",
        "SELECT struct_extract(ROW(1, 2), 'a')",
        "SELECT {'x': 1}[a] FROM l",
        "SELECT ROW(1, 2)[a] FROM l",
    ] {
        assert_eq!(codes(sql), ["E105"], "{sql}");
    }
    assert_eq!(codes("SELECT struct_contains({'a': 1, 'b': 2}, 2)"), ["E205"]);
    assert_eq!(codes("SELECT (1, 2) IN (SELECT (a, a + 1, a + 2) FROM l)"), ["E201"]);
    columns("SELECT struct_contains(ROW(1, 2), 2), struct_position(ROW(1, 2), 2)");
    // IN / ANY with a subquery needs a common type, unlike `=`.
    assert_eq!(codes("SELECT a IN (SELECT 'x'::VARCHAR) FROM l"), ["E201"]);
    assert_eq!(codes("SELECT a < ANY (SELECT DATE '2020-01-01') FROM l"), ["E201"]);
    assert_eq!(codes("SELECT (1, 'a') IN (SELECT (1, 2))"), ["E201"]);
    columns("SELECT 'a' IN (SELECT a FROM l), a IN (SELECT 1.5), NULL IN (SELECT a FROM r), row(1) IN (SELECT a FROM r) FROM l");
}

#[test]
fn a_reduce_with_an_initial_value_is_of_their_common_type() {
    assert_eq!(columns("SELECT list_reduce([0], lambda x, y: x + y, 3.1) AS r"), ["r DECIMAL(11,1)"]);
    assert_eq!(columns("SELECT list_reduce([1, 2], lambda x, y: x + y, 0::BIGINT) AS r"), ["r BIGINT"]);
    assert_eq!(columns("SELECT list_reduce(['a'], lambda x, y: x || y, NULL) AS r"), ["r VARCHAR"]);
    assert_eq!(codes("SELECT list_reduce([1, 2, 3], lambda x, y: x * y, 'text')"), ["E205"]);
    assert_eq!(codes("SELECT list_reduce([1, 2, 3], lambda x, y: x + y, [1, 2])"), ["E205"]);
}

#[test]
fn nested_and_correlated_window_functions() {
    assert_eq!(codes("SELECT avg(row_number() OVER ()) OVER () FROM l"), ["E302"]);
    assert_eq!(codes("SELECT a, (SELECT row_number() OVER (ORDER BY a)) FROM l"), ["E302"]);
    assert_eq!(codes("SELECT a, (SELECT sum(a + 1) OVER ()) FROM l"), ["E302"]);
    assert_eq!(codes("SELECT EXISTS (SELECT rank() OVER (PARTITION BY l.b)) FROM l"), ["E302"]);
    // A window over the subquery's own columns, and the enclosing column outside the window.
    columns("SELECT a, (SELECT row_number() OVER (ORDER BY c) + l.a FROM r LIMIT 1) FROM l");
    columns("SELECT a, (SELECT sum(c) OVER () FROM r WHERE r.a = l.a LIMIT 1) FROM l");
}

#[test]
fn window_function_arities_and_fill() {
    for sql in [
        "SELECT nth_value(a) OVER (ORDER BY b) FROM l",
        "SELECT ntile() OVER (ORDER BY b) FROM l",
        "SELECT fill(a ORDER BY a, b) OVER (ORDER BY a) FROM l",
        "SELECT fill(a::VARCHAR ORDER BY a) OVER (ORDER BY a) FROM l",
    ] {
        assert_eq!(codes(sql), ["E205"], "{sql}");
    }
    columns("SELECT lag(a) OVER w, lag(a, 2) OVER w, lag(a, 2, 0) OVER w, nth_value(a, 2) OVER w, ntile(4) OVER w FROM l WINDOW w AS (ORDER BY b)");
    columns("SELECT fill(a ORDER BY b) OVER (ORDER BY b), fill(a::DOUBLE ORDER BY b) OVER (ORDER BY b) FROM l");
}

#[test]
fn a_template_bound_only_to_null_stays_null() {
    assert_eq!(columns("SELECT flatten([NULL]) AS f"), ["f INTEGER[]"]);
    assert_eq!(columns("SELECT flatten([[1], NULL]) AS f"), ["f INTEGER[]"]);
    assert_eq!(columns("SELECT flatten([['a']]) AS f"), ["f VARCHAR[]"]);
}

#[test]
fn names_keep_the_spelling_duckdb_keeps() {
    assert_eq!(
        columns("SELECT EXTRACT(DOW FROM DATE '2020-01-01') AS d, EXTRACT(Year FROM DATE '2020-01-01') AS y, * REPLACE (b + 1 AS \"B\") FROM l")
            .len(),
        4
    );
    let s = sources();
    let names =
        |sql: &str| rocky_analysis::check_query(sql, &s).columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        names("SELECT EXTRACT(DOW FROM d), extract(Year FROM d), EXTRACT(epoch FROM d) FROM (SELECT DATE '2020-01-01' AS d)"),
        ["main.date_part('DOW', d)", "main.date_part('year', d)", "main.date_part('epoch', d)"]
    );
    assert_eq!(names("SELECT * REPLACE (b + 1 AS \"B\") FROM l"), ["a", "B"]);
}

#[test]
fn a_using_column_two_tables_of_one_side_have_is_ambiguous() {
    let s = sources();
    assert_eq!(
        errors("SELECT * FROM l JOIN r USING (a) JOIN l AS l2 USING (a)", &s),
        Vec::<String>::new(),
        "the first USING merged `a`: one visible column on the left"
    );
    let e = errors("SELECT * FROM l JOIN r ON true JOIN l AS l2 USING (a)", &s);
    assert_eq!(e, ["E103 USING column `a` is ambiguous: l, r all have it"]);
    // A comma binds looser than JOIN: `l` is no part of the USING join's left side.
    assert_eq!(columns("SELECT * FROM l, r JOIN l AS l2 USING (a)").len(), 5);
    let e = errors("SELECT * FROM l JOIN (r JOIN l AS l2 ON r.a = l2.a) USING (a)", &s);
    assert_eq!(e, ["E103 USING column `a` is ambiguous: r, l2 all have it"]);
}

#[test]
fn lateral_derived_tables() {
    assert_eq!(codes("SELECT * FROM l, (SELECT sum(a)) t(total)"), ["E302"]);
    assert_eq!(codes("SELECT * FROM l, LATERAL (SELECT sum(l.a)) t(total)"), ["E302"]);
    assert_eq!(codes("SELECT * FROM l FULL JOIN LATERAL (SELECT l.a AS x) t ON true"), ["E305"]);
    assert_eq!(codes("SELECT * FROM l RIGHT JOIN (SELECT l.a AS x) t ON true"), ["E305"]);
    // An aggregate of the subquery's own rows, a LEFT JOIN, or no reference at all: fine.
    columns("SELECT * FROM l, (SELECT sum(c) AS total FROM r WHERE r.a = l.a) t");
    columns("SELECT * FROM l LEFT JOIN LATERAL (SELECT l.a AS x) t ON true");
    columns("SELECT * FROM l FULL JOIN (SELECT a AS x FROM r) t ON true");
    columns("SELECT (SELECT sum(a)) FROM l");
}

#[test]
fn by_name_duplicates_natural_joins_qualify_and_struct_keys() {
    assert_eq!(codes("SELECT a, a FROM l UNION ALL BY NAME SELECT c FROM r"), ["E204"]);
    assert_eq!(codes("SELECT a FROM l NATURAL JOIN (SELECT 1 AS z) u"), ["E102"]);
    assert_eq!(codes("SELECT a, sum(b) AS s FROM l GROUP BY a QUALIFY s > 1"), ["E302"]);
    assert_eq!(codes("SELECT struct_extract({'x': 1}, a) FROM l"), ["E105"]);
    assert_eq!(codes("SELECT struct_pack(a + 1) FROM l"), ["E205"]);
    columns("SELECT a FROM l UNION ALL BY NAME SELECT a FROM l");
    columns("SELECT * FROM l NATURAL JOIN r");
    columns("SELECT a, row_number() OVER () AS n FROM l QUALIFY a > 1");
    columns("SELECT a FROM l QUALIFY row_number() OVER (ORDER BY b) = 1");
    columns("SELECT struct_pack(a, l.b), struct_extract(ROW(1, 2), 1 + 1) FROM l");
}

#[test]
fn a_map_is_read_with_a_key_of_its_key_type() {
    assert_eq!(codes("SELECT MAP(['a', 'b'], [1, 2])[0]"), ["E205"]);
    assert_eq!(codes("SELECT MAP([[1], [2]], [1, 2])[2]"), ["E205"]);
    assert_eq!(
        columns("SELECT MAP([1, 2], ['a', 'b'])['1'] AS v, MAP(['a'], [1])['a'] AS w"),
        ["v VARCHAR", "w INTEGER"]
    );
}

#[test]
fn a_macro_argument_its_body_needs_constant() {
    // array_to_string(l, sep) is a macro over string_agg, whose separator must be a constant.
    assert_eq!(codes("SELECT array_to_string([1, 2, 3], CAST(a AS VARCHAR)) FROM l"), ["E205"]);
    columns("SELECT array_to_string([1, 2, 3], ',') AS s FROM l");
    columns("SELECT array_to_string([a, b], '-' || '-') AS s FROM l");
}

#[test]
fn a_call_duckdb_folds_on_a_constant_null_is_typed_as_select_null() {
    // Functions with a bind step and DuckDB's default NULL handling (the catalog's `z`) become an
    // untyped NULL, which a result types INTEGER; the others keep their type.
    assert_eq!(
        columns(
            "SELECT 1.5 + NULL AS a, 'x' || NULL AS b, ceil(NULL::DECIMAL) AS c, list_distinct(NULL::INT[]) AS d, \
             (NULL::INT + 1) * 2.5 AS e, upper(NULL::VARCHAR) AS f, NULL::INT + 1 AS g, upper('a' || NULL) AS h, \
             a * 1.5 AS i FROM l"
        ),
        [
            "a INTEGER",
            "b INTEGER",
            "c INTEGER",
            "d INTEGER",
            "e INTEGER",
            "f VARCHAR",
            "g INTEGER",
            "h VARCHAR",
            "i DECIMAL(12,1)"
        ]
    );
}

#[test]
fn a_lambda_function_over_an_untyped_null_is_an_untyped_null() {
    assert_eq!(
        columns("SELECT list_transform(NULL, x -> x + 1) AS t, list_filter(NULL, x -> x > 1) AS f, list_transform([a], x -> x + 1) AS l, list_reduce(NULL, (x, y) -> x + y) AS r FROM l"),
        ["t INTEGER", "f INTEGER", "l INTEGER[]", "r INTEGER"]
    );
}

#[test]
fn a_function_whose_bind_answers_null_for_an_untyped_null_is_an_untyped_null() {
    // The catalog's `u`: list_resize and map_from_entries, not greatest (variadic, not probed).
    assert_eq!(
        columns(
            "SELECT list_resize(NULL, 1, 1) AS r, map_from_entries(NULL) AS m, greatest(NULL, 'a') AS g, \
             list_resize([a], 2) AS k FROM l"
        ),
        ["r INTEGER", "m INTEGER", "g VARCHAR", "k INTEGER[]"]
    );
}

#[test]
fn struct_reshaping_functions_are_typed_from_their_arguments() {
    assert_eq!(
        columns(
            "SELECT remap_struct({'i': a, 'j': 2}, NULL::STRUCT(v1 INT, v2 VARCHAR), {'v1': 'i'}, {'v2': NULL::VARCHAR}) AS r, \
             struct_values({'x': a, 'y': 'b'}) AS v, replace_type({'d': 1.5::DOUBLE, 'l': [2.5::DOUBLE]}, NULL::DOUBLE, NULL::DECIMAL(15, 2)) AS t, \
             replace_type('42', NULL::VARCHAR, NULL::INT) AS s FROM l"
        ),
        [
            "r STRUCT(v1 INTEGER, v2 VARCHAR)",
            "v STRUCT(INTEGER, VARCHAR)",
            "t STRUCT(d DECIMAL(15,2), l DECIMAL(15,2)[])",
            "s INTEGER"
        ]
    );
    assert_eq!(columns("SELECT quantile_cont(NULL, 0.5) AS q FROM l"), ["q DOUBLE"]);
}

#[test]
fn the_smallest_hugeint_is_one_negative_literal() {
    assert_eq!(
        columns("SELECT -170141183460469231731687303715884105728 * 1 AS m, -170141183460469231731687303715884105728 - -1 AS d, -1 AS o FROM l"),
        ["m HUGEINT", "d HUGEINT", "o INTEGER"]
    );
}

#[test]
fn an_untyped_null_prefers_bigint_to_a_decimal_overload() {
    // DuckDB's cast costs from NULL: BIGINT 101, DOUBLE 102, INTEGER 103, DECIMAL 104.
    assert_eq!(
        columns("SELECT sum(NULL) AS s, first(NULL) AS f, arbitrary(NULL) AS a FROM l"),
        ["s HUGEINT", "f INTEGER", "a INTEGER"]
    );
    assert_eq!(columns("SELECT list_aggr([], 'sum') AS s, list_aggr([NULL], 'last') AS l"), ["s HUGEINT", "l INTEGER"]);
}

#[test]
fn timestamp_precision_picks_the_unit_and_nanoseconds_cast_to_microseconds() {
    assert_eq!(
        columns(
            "SELECT NULL::TIMESTAMP(0) AS s, NULL::TIMESTAMP(3) AS ms, NULL::TIMESTAMP(6) AS us, NULL::TIMESTAMP(9) AS ns, \
             date_trunc('day', NULL::TIMESTAMP_NS) AS d, NULL::TIMESTAMP_NS + INTERVAL 1 DAY AS p FROM l"
        ),
        ["s TIMESTAMP_S", "ms TIMESTAMP_MS", "us TIMESTAMP", "ns TIMESTAMP_NS", "d TIMESTAMP", "p TIMESTAMP"]
    );
}
