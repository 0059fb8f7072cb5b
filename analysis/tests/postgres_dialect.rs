//! A PostgreSQL project (`[adapter] type = "postgres"`) is checked with PostgreSQL's rules, from
//! strings alone: type names in `format_type()` spelling, resolution by PostgreSQL's algorithm
//! over the generated catalog, FigureColname output names, identifier folding, and the errors
//! PostgreSQL raises when it binds a query. Every expectation here was read from a PostgreSQL 15
//! server (`\gdesc` / the error it raises). A DuckDB project stays as it was.

use rocky_analysis::{check_query_in, Dialect, QueryCheck, SourceColumn, SourceSchemaSnapshot, SourceTable, Type};

const PG: &str = "[adapter]\ntype = \"postgres\"\ndbname = \"db\"\n";

/// `raw.orders` as the runner caches it from PostgreSQL (`format_type(atttypid, atttypmod)`).
fn sources(catalog: &str, pg: bool) -> SourceSchemaSnapshot {
    let columns: &[(&str, &str, &str)] = &[
        ("id", "integer", "INTEGER"),
        ("customer_id", "bigint", "BIGINT"),
        ("amount", "numeric(12,2)", "DECIMAL(12,2)"),
        ("status", "character varying(40)", "VARCHAR"),
        ("note", "text", "VARCHAR"),
        ("ts", "timestamp without time zone", "TIMESTAMP"),
        ("flags", "integer[]", "INTEGER[]"),
        ("small", "smallint", "SMALLINT"),
        ("f", "double precision", "DOUBLE"),
        ("Mixed", "integer", "INTEGER"),
    ];
    let mut s = SourceSchemaSnapshot::default();
    s.insert(SourceTable {
        key: format!("{catalog}.raw.orders"),
        columns: columns
            .iter()
            .map(|(n, p, d)| SourceColumn {
                name: n.to_string(),
                type_string: (if pg { p } else { d }).to_string(),
                nullable: true,
            })
            .collect(),
        written_at: None,
    });
    s
}

fn pg(sql: &str) -> QueryCheck {
    check_query_in(Some(PG), sql, &sources("db", true))
}

/// `name:type` of each output column, types in PostgreSQL's spelling.
fn shape(sql: &str) -> String {
    let r = pg(sql);
    let errors: Vec<String> =
        r.diagnostics.iter().filter(|d| d.code.as_str().starts_with('E')).map(|d| d.message.clone()).collect();
    assert!(errors.is_empty(), "{sql}: unexpected errors {errors:?}");
    r.columns
        .iter()
        .map(|c| format!("{}:{}", c.name, Dialect::Postgres.type_name(&c.ty)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The codes of the errors, and the text each one underlines.
fn errors(sql: &str) -> Vec<(String, String)> {
    pg(sql)
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with('E'))
        .map(|d| (d.code.as_str().to_string(), sql[d.range.start as usize..d.range.end as usize].to_string()))
        .collect()
}

#[test]
fn format_type_spellings_round_trip() {
    for s in [
        "integer",
        "bigint",
        "smallint",
        "numeric",
        "numeric(12,2)",
        "character varying",
        "character varying(40)",
        "character(3)",
        "bpchar",
        "text",
        "double precision",
        "real",
        "boolean",
        "date",
        "time without time zone",
        "time with time zone",
        "timestamp without time zone",
        "timestamp with time zone",
        "timestamp(3) without time zone",
        "interval",
        "uuid",
        "json",
        "jsonb",
        "bytea",
        "inet",
        "name",
        "integer[]",
        "numeric(10,2)[]",
        "text[]",
    ] {
        assert_eq!(Dialect::Postgres.type_name(&Dialect::Postgres.parse_type(s)), s, "{s}");
    }
}

#[test]
fn sql_spellings_read_as_postgresql_types() {
    for (written, shown) in [
        ("int", "integer"),
        ("INT4", "integer"),
        ("varchar(5)", "character varying(5)"),
        ("VARCHAR", "character varying"),
        ("char(2)", "character(2)"),
        ("char", "character(1)"),
        ("decimal(10,2)", "numeric(10,2)"),
        ("float8", "double precision"),
        ("float", "double precision"),
        ("timestamptz", "timestamp with time zone"),
        ("TIMESTAMP", "timestamp without time zone"),
        ("bool", "boolean"),
        ("int[][]", "integer[]"),
        ("pg_catalog.text", "text"),
    ] {
        assert_eq!(Dialect::Postgres.type_name(&Dialect::Postgres.parse_type(written)), shown, "{written}");
    }
    // Unknown names are kept verbatim and never fail.
    assert_eq!(Dialect::Postgres.parse_type("my_enum"), Type::Other("my_enum".into()));
    for garbage in ["", "(", "numeric(99999,2)", "[[", "\"", "int[x]"] {
        let _ = Dialect::Postgres.type_name(&Dialect::Postgres.parse_type(garbage));
    }
}

#[test]
fn typical_queries_get_postgresqls_types_and_names() {
    for (sql, want) in [
        (
            "select id, amount, status, note from raw.orders",
            "id:integer, amount:numeric(12,2), status:character varying(40), note:text",
        ),
        ("select 1, 1.5, 'a', null, 3000000000 as big", "?column?:integer, ?column?:numeric, ?column?:text, ?column?:text, big:bigint"),
        (
            "select id / 2, amount * 2, amount + id, small + 1, f * id from raw.orders",
            "?column?:integer, ?column?:numeric, ?column?:numeric, ?column?:integer, ?column?:double precision",
        ),
        (
            "select count(*), sum(id), sum(customer_id), avg(id), max(status), sum(f) from raw.orders",
            "count:bigint, sum:bigint, sum:numeric, avg:numeric, max:text, sum:double precision",
        ),
        (
            "select 1::int, '1'::numeric(10,2), 'x'::varchar(5), now()::date, id::text, amount::float8 from raw.orders",
            "int4:integer, numeric:numeric(10,2), varchar:character varying(5), now:date, id:text, amount:double precision",
        ),
        (
            "select case when id > 1 then amount else 0 end, case when id > 1 then status else note end, \
             coalesce(status, 'x'), greatest(id, 2), nullif(status, 'x') from raw.orders",
            "case:numeric, note:text, coalesce:character varying, greatest:integer, nullif:text",
        ),
        (
            "select coalesce(amount, amount) a, coalesce(amount, null) b, case when id > 1 then amount end c from raw.orders",
            "a:numeric(12,2), b:numeric, c:numeric",
        ),
        (
            "select exists(select 1), array[id, customer_id], upper(status), substring(note from 1 for 2), \
             extract(year from ts), date_trunc('day', ts), current_date, current_user from raw.orders",
            "exists:boolean, array:bigint[], upper:text, substring:text, extract:numeric, \
             date_trunc:timestamp without time zone, current_date:date, current_user:name",
        ),
        ("select Id, ID as Foo, id as \"Bar\", \"Mixed\" from raw.orders", "id:integer, foo:integer, Bar:integer, Mixed:integer"),
        (
            "select flags[1], trim(status), position('a' in note), round(amount, 1), status || 'x' as s from raw.orders",
            "flags:integer, btrim:text, position:integer, round:numeric, s:text",
        ),
        ("select amount from raw.orders union select 1", "amount:numeric"),
        ("select status from raw.orders union all select note from raw.orders", "status:character varying"),
        ("select * from (values (1, 'a'), (2, 'b')) t", "column1:integer, column2:text"),
        (
            "select date '2020-01-01', interval '1 day', ts - ts as d, date '2020-01-02' - date '2020-01-01' as n from raw.orders",
            "date:date, interval:interval, d:interval, n:integer",
        ),
        ("select * from generate_series(1, 10) as s", "s:integer"),
        // Interval fields are the typmod; arithmetic drops them (`interval second(3)`, a fields
        // precision, is not modelled: it stays plain interval).
        (
            "select interval '1' day a, interval '1-2' year to month b, interval '1' day + interval '1' hour c, \
             interval '1' day to second d, '1'::interval hour e",
            "a:interval day, b:interval year to month, c:interval, d:interval day to second, e:interval hour",
        ),
        ("select grouping(status), array[status] from raw.orders group by status", "grouping:integer, array:character varying(40)[]"),
        ("select e.key, e.value from raw.orders o, jsonb_each('{\"a\":1}'::jsonb) e", "key:text, value:jsonb"),
        ("select * from unnest(array[1,2]) with ordinality", "unnest:integer, ordinality:bigint"),
        ("select u.x, u.i from raw.orders o, unnest(o.flags) with ordinality as u(x, i)", "x:integer, i:bigint"),
        (
            "select row(1, 'a'), array[1] || array[2], substr(note, 2), overlay(note placing 'x' from 1 for 1) from raw.orders",
            "row:record, ?column?:integer[], substr:text, overlay:text",
        ),
        ("select o.id, g.x from raw.orders o cross join lateral generate_series(1, o.id) as g(x)", "id:integer, x:integer"),
        (
            "select percentile_cont(0.5) within group (order by amount), mode() within group (order by id) from raw.orders",
            "percentile_cont:double precision, mode:integer",
        ),
        (
            "select row_number() over (), lag(amount) over (order by id), array_agg(id) over () from raw.orders",
            "row_number:bigint, lag:numeric, array_agg:integer[]",
        ),
        (
            "select jsonb_build_object('id', id), '{\"a\":1}'::jsonb -> 'a', to_jsonb(id) from raw.orders",
            "jsonb_build_object:jsonb, ?column?:jsonb, to_jsonb:jsonb",
        ),
        (
            "select (select max(id) from raw.orders), (select id as zz from raw.orders limit 1), case id when 1 then 'x' end from raw.orders",
            "max:integer, zz:integer, case:text",
        ),
    ] {
        assert_eq!(shape(sql), want, "{sql}");
    }
}

#[test]
fn errors_postgresql_raises_at_bind_time() {
    let cases: &[(&str, &str, &str)] = &[
        ("select idd from raw.orders", "E102", "idd"),
        ("select * from raw.nope", "E101", "raw.nope"),
        ("select \"Id\" from raw.orders", "E102", "\"Id\""),
        ("select mixed from raw.orders", "E102", "mixed"),
        ("select foo(id) from raw.orders", "E104", "foo"),
        ("select id + 'abc'::text from raw.orders", "E202", "id + 'abc'::text"),
        ("select id from raw.orders where note = 1", "E201", "note = 1"),
        ("select id, amount from raw.orders group by id", "E301", "amount"),
        ("select date '2020-01-01'::integer", "E206", "date '2020-01-01'::integer"),
        ("select 1 union select 'a'::text", "E204", "'a'::text"),
        ("select id from raw.orders where id", "E202", "id"),
        ("select upper(id) from raw.orders", "E205", "upper(id)"),
        ("select id as x from raw.orders where x > 1", "E102", "x"),
    ];
    for (sql, code, text) in cases {
        let got = errors(sql);
        assert!(got.iter().any(|(c, t)| c == code && t == text), "{sql}: expected {code} at `{text}`, got {got:?}");
    }
    // The messages speak PostgreSQL.
    let r = pg("select id + 'abc'::text from raw.orders");
    assert_eq!(r.diagnostics[0].message, "operator does not exist: integer + text");
    let r = pg("select 1 union select 'a'::text");
    assert_eq!(r.diagnostics[0].message, "UNION types integer and text cannot be matched");
}

#[test]
fn valid_postgresql_has_no_errors() {
    for sql in [
        "with c as (select id, amount from raw.orders) select c.id, sum(c.amount) as total from c group by c.id having sum(c.amount) > 10 order by 2 desc limit 5",
        "select distinct on (customer_id) customer_id, ts from raw.orders order by customer_id, ts desc",
        "select o.*, row_number() over (partition by customer_id order by ts) as rn from raw.orders o",
        "select id from raw.orders where note ilike '%x%' and id = any(array[1,2]) and ts >= now() - interval '7 days' and status in ('a', 'b')",
        "select date_trunc('month', ts)::date as month, count(*) as n from raw.orders group by 1",
        "select to_char(ts, 'YYYY-MM'), extract(epoch from ts)::bigint, make_date(2020, 1, 1), coalesce(sum(amount), 0) from raw.orders group by ts",
        "select string_agg(note, ', ' order by id), array_agg(distinct status), count(distinct customer_id), bool_or(amount > 1) from raw.orders",
        "select left(status, 3) || '-' || id::text as code, regexp_replace(note, '\\s+', ' ', 'g'), coalesce(nullif(trim(note), ''), 'n/a') from raw.orders",
        "select round(avg(amount)::numeric, 2), floor(f), power(2, 3), mod(id, 3), abs(small) from raw.orders group by f, id, small",
        "select id from raw.orders union select customer_id from raw.orders except select 1",
        "select note like 'a%', note similar to 'a', note ~ 'a', id between 1 and 2, note is distinct from 'x', not (id > 1) from raw.orders",
        "select json_build_object('a', 1), '{\"a\":{\"b\":1}}'::jsonb #>> '{a,b}', concat(id, note), format('%s', id) from raw.orders",
        "select id, count(*) filter (where id > 1), first_value(note) over w, ntile(4) over w from raw.orders group by id, note window w as (order by id)",
        "select ts at time zone 'UTC', age(now(), ts), ts - interval '1 hour', localtimestamp from raw.orders",
        "select id, amount from raw.orders order by amount desc nulls last",
        "select x from (select id as x from raw.orders) s where s.x > 1",
        "select id as x from raw.orders order by x",
        // A user-defined function in a schema, a user-defined type: Unknown, not an error.
        "select public.my_fn(id) + 1, pg_catalog.upper(note), 'a'::my_enum from raw.orders",
    ] {
        let errs = errors(sql);
        assert!(errs.is_empty(), "{sql}: {errs:?}");
    }
}

#[test]
fn parse_errors_name_postgresql() {
    let r = pg("select from where");
    let d = r.diagnostics.iter().find(|d| d.code.as_str() == "E001").expect("a parse error");
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("PostgreSQL")), "{:?}", d.hint);
}

#[test]
fn unknown_stays_unknown_without_errors() {
    // An uncached table: every column is Unknown, nothing downstream is an error.
    let r = pg("select a + 1, upper(b), coalesce(c, 1), a::int, sum(d) from other.uncached group by a, b, c");
    let errs: Vec<_> = r.diagnostics.iter().filter(|d| d.code.as_str().starts_with('E')).collect();
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn a_duckdb_project_is_unchanged() {
    // The same query under the default dialect: DuckDB's names and types.
    let r = check_query_in(
        None,
        "select 1, sum(id), amount::numeric, status from raw.orders group by all",
        &sources("memory", false),
    );
    let got: Vec<String> = r.columns.iter().map(|c| format!("{}:{}", c.name, c.ty)).collect();
    assert_eq!(got, ["1:INTEGER", "sum(id):HUGEINT", "CAST(amount AS DECIMAL):DECIMAL(18,3)", "status:VARCHAR"]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // DuckDB casts a string to a number for `=`; PostgreSQL has no such operator.
    let duck = check_query_in(None, "select id from raw.orders where note = 1", &sources("memory", false));
    assert!(duck.diagnostics.iter().all(|d| !d.code.as_str().starts_with('E')), "{:?}", duck.diagnostics);
}

#[test]
fn the_ide_shows_postgresqls_names() {
    let mut host = rocky_analysis::AnalysisHost::new();
    host.set_project_config(Some(PG.to_string()));
    host.set_source_schemas(sources("db", true));
    let sql = "select amount, status, count(*) as n, round(amount, 1) as r from raw.orders group by amount, status";
    host.set_model("models/m.sql", sql.to_string());
    let a = host.analysis();
    let labels: Vec<String> =
        a.inlay_hints("models/m.sql", None).expect("not cancelled").into_iter().map(|h| h.label).collect();
    assert_eq!(labels, ["numeric(12,2)?", "character varying(40)?", "bigint", "numeric?"]);
    let at = sql.find("amount").expect("in the query") as u32;
    let hover = a.hover("models/m.sql", at).expect("not cancelled").expect("a hover");
    assert!(hover.markdown.contains("`numeric(12,2)`"), "{}", hover.markdown);
    let round = sql.find("round").expect("in the query") as u32;
    let hover = a.hover("models/m.sql", round).expect("not cancelled").expect("a hover");
    assert!(hover.markdown.contains("round(numeric, integer) -> numeric"), "{}", hover.markdown);
    let help = a.signature_help("models/m.sql", round + 6).expect("not cancelled").expect("signature help");
    assert!(help.signatures.iter().any(|s| s.label == "round(numeric, integer) -> numeric"), "{help:?}");
    let names: Vec<String> =
        a.completions("models/m.sql", 7).expect("not cancelled").into_iter().map(|c| c.label).collect();
    assert!(names.iter().any(|n| n == "jsonb_build_object"), "PostgreSQL's functions are offered");
    assert!(!names.iter().any(|n| n == "list_value"), "DuckDB's are not");
}

#[test]
fn contracts_use_postgresqls_type_names() {
    let mut host = rocky_analysis::AnalysisHost::new();
    host.set_project_config(Some(PG.to_string()));
    host.set_source_schemas(sources("db", true));
    host.set_model("models/m.sql", "select id, amount, status from raw.orders".to_string());
    let sidecar = "[contract]\ncolumns = [\n  { name = \"id\", type = \"int\" },\n  { name = \"amount\", type = \"numeric(12,2)\" },\n  { name = \"status\", type = \"text\" },\n]\n";
    host.set_sidecar(
        "models/m.sql",
        Some(rocky_analysis::base::SidecarText { path: "models/m.toml".into(), text: sidecar.into() }),
    );
    let diags = host.analysis().file_diagnostics("models/m.toml").expect("not cancelled");
    let got: Vec<(&str, &str)> =
        diags.iter().map(|d| (d.code.as_str(), &sidecar[d.range.start as usize..d.range.end as usize])).collect();
    // `int` is `integer`; `text` is not `character varying(40)`.
    assert_eq!(got, [("E705", "text")], "{diags:?}");
    assert!(diags[0].message.contains("character varying(40)"), "{}", diags[0].message);

    // The built table's description (format_type spellings) against a contract.
    let contract = host.analysis().contract("m").expect("not cancelled").expect("a contract");
    let described: Vec<(String, String)> =
        [("id", "integer"), ("amount", "numeric(12,2)"), ("status", "character varying(40)")]
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
    let violations = rocky_analysis::ide::contract_violations(Dialect::Postgres, &contract, &described);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].contains("`status` is character varying(40)"), "{violations:?}");
}

#[test]
fn operators_and_functions_resolve_like_postgresql() {
    for (sql, want) in [
        ("select small + 1 a, small / small b, 10 / 4 c, 10 % 3 d, 2 ^ 3 e from raw.orders", "a:integer, b:smallint, c:integer, d:integer, e:double precision"),
        ("select 1 || 'abc' a, 'abc' || 1 b, null + 1 c, '1' + 1 d", "a:text, b:text, c:integer, d:integer"),
        (
            "select date '2020-01-02' - date '2020-01-01' a, date '2020-01-01' + 1 b, now() - interval '1 day' c",
            "a:integer, b:date, c:timestamp with time zone",
        ),
        ("select -amount a, @ id b, |/ f c, ~id d, id << 1 e, id # 1 g from raw.orders", "a:numeric, b:integer, c:double precision, d:integer, e:integer, g:integer"),
        ("select id::float / 2 a, 1 / 3.0 b, customer_id * id c from raw.orders", "a:double precision, b:numeric, c:bigint"),
        ("select flags || 4 a, 4 || flags b, array_append(flags, 5) c, array_cat(flags, flags) d from raw.orders", "a:integer[], b:integer[], c:integer[], d:integer[]"),
        ("select concat(id, note) a, format('%s', id) b, greatest(amount, 1, 2.5) c, least(1, 2.0, 3::bigint) d from raw.orders", "a:text, b:text, c:numeric, d:numeric"),
        ("select nullif(null, 1) a, nullif(status, status) b, nullif(amount, 0) c from raw.orders", "a:integer, b:text, c:numeric(12,2)"),
        ("select abs(small) a, round(f) b, ceil(amount) c, floor(f) d, mod(id, 3) e, power(2, 3) g from raw.orders", "a:smallint, b:double precision, c:numeric, d:double precision, e:integer, g:double precision"),
        ("select sum(small) a, avg(small) b, max(flags) c, sum(amount::float4) d, stddev(id) e from raw.orders", "a:bigint, b:numeric, c:integer[], d:real, e:numeric"),
        ("select amount from raw.orders union all select amount from raw.orders", "amount:numeric(12,2)"),
        ("select case when id > 1 then status else status end s from raw.orders", "s:character varying(40)"),
    ] {
        assert_eq!(shape(sql), want, "{sql}");
    }
    for (sql, code) in [
        ("select ts + 1 from raw.orders", "E202"),
        ("select sum(note) from raw.orders", "E205"),
        ("select avg(ts) from raw.orders", "E205"),
        ("select length(flags) from raw.orders", "E205"),
        ("select date_trunc(ts, 'day') from raw.orders", "E205"),
        ("select to_jsonb(null)", "E205"),
        ("select coalesce(id, note) from raw.orders", "E203"),
        ("select array[1, now()]", "E203"),
        ("select case when true then 1 else 'a'::text end", "E203"),
        ("select id::date from raw.orders", "E206"),
        ("select row_number() from raw.orders", "E302"),
        ("select nullif(note, 1) from raw.orders", "E201"),
        ("select id from raw.orders where sum(id) > 1", "E302"),
        ("select id from raw.orders group by id having note = 'x'", "E301"),
        ("select x.id from raw.orders t", "E101"),
        ("select id from raw.orders a, raw.orders b", "E103"),
    ] {
        let got = errors(sql);
        assert!(got.iter().any(|(c, _)| c == code), "{sql}: expected {code}, got {got:?}");
    }
}

/// GROUP BY a primary key lets PostgreSQL select the table's other columns; the cache has no
/// constraints, so an ungrouped column of a cached source whose grouped columns are all NOT NULL
/// is a warning, not an error. A nullable grouped column cannot be a key, a model or a CTE has
/// none, and DuckDB has no such rule: those stay errors.
#[test]
fn grouping_by_a_possible_primary_key_is_a_warning_not_an_error() {
    let columns = [("id", "integer", false), ("name", "text", true), ("country", "character(2)", true)];
    let snapshot = |catalog: &str| {
        let mut s = SourceSchemaSnapshot::default();
        let columns = columns.map(|(n, t, nullable)| SourceColumn { name: n.into(), type_string: t.into(), nullable });
        s.insert(SourceTable { key: format!("{catalog}.raw.customers"), columns: columns.to_vec(), written_at: None });
        s
    };
    let (pg_sources, duck_sources) = (snapshot("db"), snapshot("memory"));
    let e301 = |config: Option<&str>, sql: &str| -> Vec<rocky_analysis::Severity> {
        let s = if config.is_some() { &pg_sources } else { &duck_sources };
        check_query_in(config, sql, s)
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "E301")
            .map(|d| d.severity)
            .collect()
    };
    use rocky_analysis::Severity::{Error, Warning};
    assert_eq!(e301(Some(PG), "select id, name from raw.customers group by id"), [Warning]);
    assert_eq!(e301(Some(PG), "select c.id, c.name from raw.customers c group by c.id"), [Warning]);
    assert_eq!(e301(Some(PG), "select country, name from raw.customers group by country"), [Error]);
    assert_eq!(e301(Some(PG), "select name, count(*) from raw.customers"), [Error]);
    assert_eq!(e301(Some(PG), "with t as (select * from raw.customers) select id, name from t group by id"), [Error]);
    assert_eq!(e301(None, "select id, name from raw.customers group by id"), [Error]);
}
