//! Spark's rules against the facts the engine answered (the generated catalog).

use super::*;

fn d(p: u8, s: u8) -> Type {
    Type::Decimal { precision: p, scale: s }
}

#[test]
fn catalog_is_loaded() {
    let cat = SparkCatalog::get();
    assert!(cat.version().starts_with('4'), "version {}", cat.version());
    assert!(cat.ansi());
    assert!(cat.names().count() > 300);
    assert_eq!(cat.kind("sum"), Some(FunctionKind::Aggregate));
    assert_eq!(cat.kind("row_number"), Some(FunctionKind::Window));
    assert_eq!(cat.kind("upper"), Some(FunctionKind::Scalar));
    assert_eq!(cat.kind("no_such_function"), None);
}

#[test]
fn functions_bind_by_probe() {
    let r = |name: &str, args: &[Type]| resolve_function(name, args).map(|c| c.return_type);
    assert_eq!(r("upper", &[Type::Varchar]), Ok(Type::Varchar));
    assert_eq!(r("length", &[Type::StringLiteral]), Ok(Type::Integer));
    assert_eq!(r("sum", &[Type::Integer]), Ok(Type::BigInt));
    assert_eq!(r("sum", &[d(10, 2)]), Ok(d(20, 2)));
    // Another decimal: the stand-in's decimal answer cannot be carried over.
    assert_eq!(r("sum", &[d(5, 1)]), Ok(Type::Unknown));
    assert_eq!(r("max", &[d(5, 1)]), Ok(d(5, 1)));
    assert_eq!(r("size", &[Type::List(Box::new(Type::BigInt))]), Ok(Type::Integer));
    assert_eq!(r("element_at", &[Type::List(Box::new(Type::BigInt)), Type::Integer]), Ok(Type::BigInt));
    assert_eq!(r("collect_list", &[Type::Date]), Ok(Type::List(Box::new(Type::Date))));
    assert!(
        matches!(resolve_function("uper", &[Type::Varchar]), Err(CallError::Unknown { suggestions }) if suggestions.contains(&"upper".to_string()))
    );
    assert!(matches!(resolve_function("year", &[Type::List(Box::new(Type::Integer))]), Err(CallError::NoMatch { .. })));
    assert_eq!(SparkCatalog::get().name_template("ceil", 1), Some("CEIL($1)"));
}

#[test]
fn decimal_rules_agree_with_the_engine() {
    let cat = SparkCatalog::get();
    let ops = [("+", B::Plus), ("-", B::Minus), ("*", B::Multiply), ("/", B::Divide), ("%", B::Modulo)];
    let mut checked = 0;
    for ((op, args), r) in &cat.ops {
        let [a, b] = args.as_slice() else { continue };
        let Some((_, bop)) = ops.iter().find(|(k, _)| k == op) else { continue };
        let (ta, tb) = (parse_type(a), parse_type(b));
        if let Some(t) = decimal_arith(bop, &ta, &tb) {
            assert_eq!(Some(type_name(&t)), *r, "{a} {op} {b}");
            checked += 1;
        }
    }
    for ((a, b), r) in &cat.common {
        let (ta, tb) = (parse_type(a), parse_type(b));
        if (matches!(ta, Type::Decimal { .. }) || matches!(tb, Type::Decimal { .. }))
            && as_decimal(&ta).is_some()
            && as_decimal(&tb).is_some()
        {
            assert_eq!(common_type(&ta, &tb).map(|t| type_name(&t)), *r, "common({a}, {b})");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} decimal facts checked");
}

#[test]
fn operators_and_coercions() {
    let bin = |op: B, l: Type, r: Type| binary_op(&op, &l, &r).map(|t| type_name(&t));
    assert_eq!(bin(B::Plus, Type::IntegerLiteral(1), Type::IntegerLiteral(2)), Ok("int".into()));
    assert_eq!(bin(B::Plus, Type::IntegerLiteral(1), d(2, 1)), Ok("decimal(3,1)".into()));
    assert_eq!(bin(B::Multiply, d(2, 1), d(3, 2)), Ok("decimal(6,3)".into()));
    assert_eq!(bin(B::Divide, Type::Integer, Type::Integer), Ok("double".into()));
    assert_eq!(bin(B::Plus, Type::StringLiteral, Type::Integer), Ok("bigint".into()));
    assert_eq!(bin(B::MyIntegerDivide, Type::Integer, Type::Integer), Ok("bigint".into()));
    assert!(bin(B::Plus, Type::Boolean, Type::Integer).is_err());
    assert_eq!(common_type(&Type::Integer, &d(2, 1)), Some(d(11, 1)));
    assert_eq!(common_type(&Type::Integer, &Type::Date), None);
    assert!(!can_cast(&Type::Date, &Type::Integer));
    assert!(can_cast(&Type::Varchar, &Type::Integer));
}

/// A Spark project whose schema cache holds one table of `spark_catalog.default`.
fn spark_host(table: &str, columns: &[(&str, &str)]) -> crate::AnalysisHost {
    use crate::{AnalysisHost, SourceColumn, SourceSchemaSnapshot, SourceTable};
    let mut host = AnalysisHost::new();
    host.set_project_config(Some("[adapter]\ntype = \"spark\"\n".to_string()));
    let mut sources = SourceSchemaSnapshot::default();
    sources.insert(SourceTable {
        key: format!("spark_catalog.default.{table}"),
        columns: columns
            .iter()
            .map(|(name, ty)| SourceColumn { name: name.to_string(), type_string: ty.to_string(), nullable: true })
            .collect(),
        written_at: None,
    });
    host.set_source_schemas(sources);
    host
}

/// A Spark project checked from strings: names as Spark gives them, Spark's types, bare table
/// names read from schema `default`, and errors only where Spark's analyzer rejects the query.
#[test]
fn a_spark_project_from_strings() {
    use crate::{AnalysisHost, Severity};
    let mut host = spark_host(
        "orders",
        &[("id", "bigint"), ("amount", "decimal(10,2)"), ("status", "string"), ("line_ids", "array<int>")],
    );
    let check = |host: &mut AnalysisHost, sql: &str| {
        host.set_model("models/q.sql", sql.to_string());
        let analysis = host.analysis();
        let columns = analysis.query_columns("models/q.sql").expect("not cancelled").unwrap_or_default();
        let errors: Vec<String> = analysis
            .file_diagnostics("models/q.sql")
            .expect("not cancelled")
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.code.as_str().to_string())
            .collect();
        let cols: Vec<(String, String)> =
            columns.into_iter().map(|c| (c.name, crate::Dialect::Spark.type_name(&c.ty))).collect();
        (cols, errors)
    };
    let pair = |n: &str, t: &str| (n.to_string(), t.to_string());
    let (cols, errors) = check(
        &mut host,
        "select ID, amount * 2, count(*), cast(amount as int), upper(status), size(line_ids) from Orders group by all",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        cols,
        vec![
            pair("ID", "bigint"),
            pair("(amount * 2)", "decimal(12,2)"),
            pair("count(1)", "bigint"),
            pair("amount", "int"),
            pair("upper(status)", "string"),
            pair("size(line_ids)", "int"),
        ]
    );
    let (_, errors) = check(&mut host, "select cast(line_ids as int) from orders");
    assert_eq!(errors, vec!["E206"]);
    let (_, errors) = check(&mut host, "select uppr(status) from orders");
    assert_eq!(errors, vec!["E104"]);
    // Something the catalog never probed is Unknown, not an error.
    let (cols, errors) = check(&mut host, "select transform(line_ids, x -> x + 1) as t, stack(1, id) from orders");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(cols.len(), 2);
}

/// Spark constructs the analysis does not model (or models partly) must never be errors, at most
/// Unknown. Each query was checked valid with Spark 4.0.5's `DESCRIBE QUERY`.
#[test]
fn spark_constructs_are_never_false_alarms() {
    use crate::Severity;
    let mut host = spark_host("t", &[("a", "int"), ("s", "string"), ("arr", "array<int>"), ("m", "map<string,int>")]);
    let mut alarms = Vec::new();
    for sql in [
        "select a, x from t lateral view explode(arr) e as x",
        "select /*+ BROADCAST(t) */ a from t",
        "select * from values (1, 'a'), (2, 'b') as v(n, l)",
        "select a from t distribute by a sort by a",
        "select a, count(*) from t group by rollup(a)",
        "select a, count(*) from t group by grouping sets ((a), ())",
        "select a, sum(a) over w from t window w as (partition by s order by a)",
        "select a from t tablesample (10 percent)",
        "select `a` from `t` where s rlike '^x' and s not like 'y%'",
        "select a, s from t order by a nulls last limit 10",
        "select array_agg(a) as l, any_value(s) as v from t",
        "select date'2024-01-01' + interval 1 day as d, current_timestamp as now",
        "select cast(a as long) as l, !true as n, a div 2 as h from t",
        "select struct(a, s).a as x, m['k'] as v from t",
        "select * from t where exists(arr, x -> x > 1) and a in (select a from t)",
        "select a, s from t cluster by a",
        "select explode(m) from t",
        "select posexplode(arr) from t",
        "select inline(array(struct(1, 'a')))",
        "select stack(2, 1, 'a', 2, 'b')",
        "select try_divide(a, 0) as q, try_add(a, 1) as p from t",
        "select ifnull(a, 0) as i, nvl2(a, 1, 0) as n, nullif(a, 0) as z from t",
    ] {
        host.set_model("models/q.sql", sql.to_string());
        let analysis = host.analysis();
        let errors: Vec<String> = analysis
            .file_diagnostics("models/q.sql")
            .expect("not cancelled")
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{sql}: {} {}", d.code.as_str(), d.message))
            .collect();
        alarms.extend(errors);
    }
    assert!(alarms.is_empty(), "{alarms:#?}");
}
