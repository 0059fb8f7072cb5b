use super::*;

fn ret(name: &str, args: &[&str]) -> String {
    let args: Vec<Type> = args.iter().map(|a| Type::parse(a)).collect();
    match Catalog::duckdb().resolve(name, &args) {
        Ok(c) => c.return_type.to_string(),
        Err(e) => format!("{e:?}"),
    }
}

#[test]
fn catalog_loads() {
    let c = Catalog::duckdb();
    assert_eq!(c.duckdb_version(), "v1.5.5");
    assert!(c.names().count() > 500);
    assert!(c.is_aggregate("SUM"));
    assert_eq!(c.kind("row_number"), Some(FunctionKind::Window));
    assert_eq!(c.kind("lower"), Some(FunctionKind::Scalar));
    assert!(!c.signatures("sum").is_empty());
}

#[test]
fn common_functions() {
    assert_eq!(ret("sum", &["INTEGER"]), "HUGEINT");
    assert_eq!(ret("sum", &["DECIMAL(10,2)"]), "DECIMAL(38,2)");
    assert_eq!(ret("max", &["DATE"]), "DATE");
    assert_eq!(ret("count", &[]), "BIGINT");
    assert_eq!(ret("list_extract", &["VARCHAR[]", "INTEGER"]), "VARCHAR");
    assert_eq!(ret("lag", &["DATE"]), "DATE");
    assert_eq!(ret("upper", &["UNKNOWN"]), "VARCHAR");
}

#[test]
fn unknown_names_suggest() {
    match Catalog::duckdb().resolve("lenght", &[Type::Varchar]) {
        Err(CallError::Unknown { suggestions }) => {
            assert!(suggestions.iter().any(|s| s == "length"), "{suggestions:?}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_args_never_fail() {
    let c = Catalog::duckdb();
    assert!(c.resolve("date_trunc", &[Type::Unknown, Type::Unknown]).is_ok());
    assert!(c.resolve("abs", &[Type::Unknown]).is_ok());
}

#[test]
fn list_results_bound_from_the_arguments() {
    // `f(ANY, …) -> ANY[]` aggregates: a list of their first argument.
    assert_eq!(ret("arg_max", &["SMALLINT", "INTEGER", "BIGINT"]), "SMALLINT[]");
    assert_eq!(ret("approx_top_k", &["VARCHAR", "BIGINT"]), "VARCHAR[]");
    assert_eq!(ret("min", &["TINYINT", "BIGINT"]), "TINYINT[]");
    // equi_width_bins: the type of `max`, DECIMAL as DOUBLE.
    assert_eq!(ret("equi_width_bins", &["BIGINT", "SMALLINT", "BIGINT", "BOOLEAN"]), "SMALLINT[]");
    assert_eq!(ret("equi_width_bins", &["INTEGER", "DECIMAL(3,1)", "BIGINT", "BOOLEAN"]), "DOUBLE[]");
    // list_zip: unnamed STRUCTs of the element types; a trailing BOOLEAN is the truncate flag.
    assert_eq!(ret("list_zip", &["INTEGER[]", "VARCHAR[]"]), "STRUCT(INTEGER, VARCHAR)[]");
    assert_eq!(ret("list_zip", &["INTEGER[]", "DECIMAL(2,1)[]", "BOOLEAN"]), "STRUCT(INTEGER, DECIMAL(2,1))[]");
    assert_eq!(ret("array_value", &["INTEGER", "BIGINT"]), "BIGINT[2]");
    assert_eq!(ret("cast_to_type", &["VARCHAR", "INTEGER"]), "INTEGER");
}

#[test]
fn pg_catalog_macros_are_found_unqualified() {
    let c = Catalog::duckdb();
    assert_eq!(c.kind("pg_sleep"), Some(FunctionKind::Macro));
    assert_eq!(c.kind("pg_size_pretty"), Some(FunctionKind::Macro));
    // main's own functions win over pg_catalog's macros of the same name.
    assert_eq!(c.kind("current_database"), Some(FunctionKind::Scalar));
}

#[test]
fn macros_that_expand_to_an_aggregate_are_aggregates() {
    let c = Catalog::duckdb();
    assert!(c.is_aggregate("weighted_avg"), "sum(x * w) / sum(…)");
    assert!(c.is_aggregate("wavg"), "weighted_avg(…), through another macro");
    assert!(!c.is_aggregate("array_append"), "list_append(arr, el)");
    assert_eq!(c.kind("ago"), Some(FunctionKind::Macro));
}

#[test]
fn a_macro_parameter_with_a_default_may_be_left_out() {
    let c = Catalog::duckdb();
    let list = [Type::parse("INTEGER[]")];
    assert!(c.resolve("array_to_string_comma_default", &list).is_ok(), "sep := ','");
    assert!(c.resolve("array_to_string_comma_default", &[list[0].clone(), Type::Varchar]).is_ok());
    assert!(c.resolve("array_to_string_comma_default", &[]).is_err(), "arr has no default");
    // Without defaults every parameter is needed.
    assert!(c.resolve("array_to_string", &list).is_err());
}
