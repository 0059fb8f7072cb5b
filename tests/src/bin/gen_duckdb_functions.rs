//! Generates `analysis/src/functions/duckdb_functions.jsonl` from the linked DuckDB's
//! `duckdb_functions()`, so the analyzer's function catalog is never written by hand.
//!
//! Usage: `gen-duckdb-functions [OUT]` (stdout when OUT is omitted). The output is deterministic:
//! one JSON object per overload, sorted, with each distinct description stored only once per name.

use std::io::Write;

fn main() {
    let out = match rocky_tests_gen::generate() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gen-duckdb-functions: {e}");
            std::process::exit(1);
        }
    };
    match std::env::args().nth(1) {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, out) {
                eprintln!("gen-duckdb-functions: cannot write {path}: {e}");
                std::process::exit(1);
            }
        }
        None => {
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
    }
}

/// The generator proper; a module so the staleness test can include this file and call it.
pub mod rocky_tests_gen {
    use serde_json::{json, Map, Value};

    /// Query run against an in-memory DuckDB. Lists are turned into JSON text so element types
    /// containing commas (`DECIMAL(18,3)`, `STRUCT(...)`) survive.
    const QUERY: &str = "
        SELECT function_name, function_type,
               to_json(coalesce(parameter_types, []))::VARCHAR,
               to_json(coalesce(parameters, []))::VARCHAR,
               coalesce(return_type, ''), coalesce(varargs, ''),
               coalesce(macro_definition, ''), coalesce(description, '')
        FROM duckdb_functions()
        WHERE function_type IN ('scalar', 'aggregate', 'macro')
          -- pg_catalog's macros (pg_sleep, pg_size_pretty…) are found unqualified after main's
          -- functions on DuckDB's search path.
          AND (schema_name = 'main'
               OR (schema_name = 'pg_catalog' AND function_name NOT IN
                   (SELECT function_name FROM duckdb_functions() WHERE schema_name = 'main')))
          AND NOT starts_with(function_name, '__')
        ORDER BY function_name, function_type,
                 to_json(coalesce(parameter_types, []))::VARCHAR,
                 coalesce(return_type, ''), coalesce(varargs, ''),
                 to_json(coalesce(parameters, []))::VARCHAR";

    /// DuckDB's built-in views with their columns (`[name, type, nullable]`, in order).
    const VIEWS: &str = "
        SELECT v.schema_name, v.view_name,
               to_json(list([c.column_name, c.data_type, CAST(c.is_nullable AS VARCHAR)]
                            ORDER BY c.column_index))::VARCHAR
        FROM duckdb_views() v
        JOIN duckdb_columns() c
          ON c.database_name = v.database_name AND c.schema_name = v.schema_name
         AND c.table_name = v.view_name
        WHERE v.internal AND v.database_name = 'system'
        GROUP BY v.schema_name, v.view_name
        ORDER BY v.schema_name, v.view_name";

    /// DuckDB's built-in table functions (their parameter types), to ask DuckDB for the columns
    /// each overload returns.
    const TABLE_FUNCTIONS: &str = "
        SELECT DISTINCT function_name,
               -- The positional parameters (`col0`, `col1`…); the others are named (`header := …`).
               to_json(coalesce(list_filter(parameter_types, (t, i) -> regexp_full_match(parameters[i], 'col[0-9]+')), []))::VARCHAR
        FROM duckdb_functions()
        WHERE function_type = 'table' AND schema_name = 'main' AND NOT starts_with(function_name, '__')
        ORDER BY ALL";

    /// A constant of a parameter type, to call a table function with; None for a type no
    /// constant stands for (`ANY`, `POINTER`, `TABLE`).
    fn sample(ty: &str) -> Option<&'static str> {
        Some(match ty {
            "VARCHAR" => "'x'",
            "VARCHAR[]" => "['x']",
            "BOOLEAN" => "false",
            "TINYINT" | "SMALLINT" | "INTEGER" | "BIGINT" | "HUGEINT" | "UTINYINT" | "USMALLINT" | "UINTEGER"
            | "UBIGINT" => "1",
            "FLOAT" | "DOUBLE" => "1.5",
            "DATE" => "DATE '2000-01-01'",
            "TIMESTAMP" => "TIMESTAMP '2000-01-01'",
            "TIMESTAMP WITH TIME ZONE" => "TIMESTAMPTZ '2000-01-01'",
            "INTERVAL" => "INTERVAL 1 DAY",
            _ => return None,
        })
    }

    /// The columns (`[name, type]`) `name(args)` returns, as DuckDB describes the call with a
    /// constant per parameter; None when no constant fits or the call does not bind with them
    /// (a file that does not exist, a table that is not there).
    fn table_function_columns(conn: &duckdb::Connection, name: &str, params: &[String]) -> Option<Value> {
        let args: Vec<&str> = params.iter().map(|p| sample(p)).collect::<Option<_>>()?;
        let sql = format!("DESCRIBE SELECT * FROM \"{}\"({})", name.replace('"', "\"\""), args.join(", "));
        let mut stmt = conn.prepare(&sql).ok()?;
        let rows = stmt.query_map([], |r| Ok(json!([r.get::<_, String>(0)?, r.get::<_, String>(1)?]))).ok()?;
        let columns: Vec<Value> = rows.collect::<Result<_, _>>().ok()?;
        Some(Value::Array(columns))
    }

    /// Whether `name(NULL, …)` with `args` arguments binds (a parameter with a default may be
    /// left out), as a window function when `over` (`lag(x[, offset[, default]]) OVER ()`).
    fn binds(conn: &duckdb::Connection, name: &str, args: usize, over: bool) -> bool {
        let nulls = vec!["NULL"; args].join(", ");
        let over = if over { " OVER ()" } else { "" };
        conn.prepare(&format!("SELECT \"{}\"({nulls}){over}", name.replace('"', "\"\""))).is_ok()
    }

    /// Whether DuckDB folds a call of this scalar overload with a constant NULL argument into an
    /// untyped NULL before binding it (a function with a bind step and the default NULL
    /// handling: `ceil(NULL::DECIMAL)`, `[1] || NULL`, `list_distinct(NULL::INT[])`; not
    /// `upper(NULL::VARCHAR)`), which a query's result then types INTEGER. Asked as
    /// `typeof(f(NULL::P1, …))` with generic parameters typed INTEGER (or VARCHAR where INTEGER
    /// does not bind), so an argument is never itself an untyped NULL.
    fn folds_null(conn: &duckdb::Connection, name: &str, params: &[String]) -> bool {
        !params.is_empty() && null_call_type(conn, name, params, None).is_some_and(|ty| ty == "NULL")
    }

    /// The positions where an untyped NULL argument makes a call of this scalar overload an
    /// untyped NULL although typed NULLs do not fold it (`list_resize(NULL, 1, 1)`,
    /// `map_from_entries(NULL)`): its bind step returns NULL for a NULL input.
    fn null_positions(conn: &duckdb::Connection, name: &str, params: &[String]) -> Vec<usize> {
        (0..params.len())
            .filter(|&i| params[i] != "LAMBDA")
            .filter(|&i| null_call_type(conn, name, params, Some(i)).is_some_and(|ty| ty == "NULL"))
            .collect()
    }

    /// `typeof(name(NULL::P1, …))` with generic parameters typed INTEGER (or VARCHAR where
    /// INTEGER does not bind) and, at `untyped`, a plain NULL; None when no call binds.
    fn null_call_type(
        conn: &duckdb::Connection,
        name: &str,
        params: &[String],
        untyped: Option<usize>,
    ) -> Option<String> {
        let generic = |ty: &str, with: &str| -> String {
            let mut out = String::new();
            let mut word = String::new();
            for ch in ty.chars().chain(std::iter::once(' ')) {
                if ch.is_ascii_alphanumeric() || ch == '_' {
                    word.push(ch);
                    continue;
                }
                out.push_str(if matches!(word.as_str(), "T" | "K" | "V" | "ANY") { with } else { &word });
                word.clear();
                out.push(ch);
            }
            out.pop();
            out
        };
        ["INTEGER", "VARCHAR"].iter().find_map(|with| {
            let args: Vec<String> = params
                .iter()
                .enumerate()
                .map(|(i, p)| match p.as_str() {
                    "LAMBDA" => "x -> x".to_string(),
                    _ if untyped == Some(i) => "NULL".to_string(),
                    p => format!("CAST(NULL AS {})", generic(p, with)),
                })
                .collect();
            let sql = format!("SELECT typeof(\"{}\"({}))", name.replace('"', "\"\""), args.join(", "));
            conn.query_row(&sql, [], |r| r.get::<_, String>(0)).ok().map(|t| t.trim_matches('"').to_string())
        })
    }

    /// Returns the JSON-lines catalog text.
    pub fn generate() -> Result<String, String> {
        let conn = duckdb::Connection::open_in_memory().map_err(|e| e.to_string())?;
        let version: String = conn.query_row("SELECT version()", [], |r| r.get(0)).map_err(|e| e.to_string())?;
        let mut stmt = conn.prepare(QUERY).map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut out = String::new();
        out.push_str(&json!({ "duckdb_version": version }).to_string());
        out.push('\n');
        // Keywords decide when DuckDB quotes a STRUCT field name in a type's display string;
        // built-in type names tell a user type (an enum DuckDB prints lower-cased) from DuckDB's own.
        for (key, sql) in [
            ("keywords", "SELECT keyword_name FROM duckdb_keywords() ORDER BY keyword_name"),
            (
                "types",
                "SELECT DISTINCT lower(type_name) AS t FROM duckdb_types() WHERE database_name = 'system' ORDER BY t",
            ),
        ] {
            let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
            let names = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(|e| e.to_string())?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            out.push_str(&json!({ key: names }).to_string());
            out.push('\n');
        }
        // DuckDB's own views (`duckdb_tables`, `information_schema.columns`, `pg_catalog.pg_class`…):
        // a query may read them like any table.
        let mut stmt = conn.prepare(VIEWS).map_err(|e| e.to_string())?;
        let views = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .map_err(|e| e.to_string())?;
        for view in views {
            let (schema, name, columns) = view.map_err(|e| e.to_string())?;
            let columns: Value = serde_json::from_str(&columns).map_err(|e| e.to_string())?;
            out.push_str(&json!({ "view": name, "s": schema, "c": columns }).to_string());
            out.push('\n');
        }
        // Table functions: the columns of each overload DuckDB can be asked about here. A table
        // named as the VARCHAR sample (`'x'`) lets those that describe a table by name
        // (`pragma_table_info('x')`) answer. Asked again over a table `x` of other columns, a
        // function that returns the table's own columns (`query_table('x')`) answers
        // differently and is left out. `x` is dropped before anything else is asked.
        let with_table = |ddl: &str, name: &str, params: &[String]| {
            conn.execute_batch(&format!("DROP TABLE IF EXISTS x; {ddl}")).ok()?;
            table_function_columns(&conn, name, params)
        };
        let mut stmt = conn.prepare(TABLE_FUNCTIONS).map_err(|e| e.to_string())?;
        let table_functions = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| e.to_string())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        for (name, params) in table_functions {
            let params: Vec<String> = serde_json::from_str(&params).map_err(|e| e.to_string())?;
            let columns = with_table("CREATE TABLE x (i INTEGER)", &name, &params)
                .filter(|c| with_table("CREATE TABLE x (j VARCHAR, k DATE)", &name, &params).as_ref() == Some(c));
            if let Some(columns) = columns {
                out.push_str(&json!({ "tf": name, "p": params, "c": columns }).to_string());
                out.push('\n');
            }
        }
        conn.execute_batch("DROP TABLE IF EXISTS x").map_err(|e| e.to_string())?;
        // Read whole before probing macros on the same connection.
        let rows: Vec<_> = rows.collect();
        let mut overloads: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (name, ..) in rows.iter().flatten() {
            *overloads.entry(name.clone()).or_default() += 1;
        }
        let mut last_desc: Option<(String, String)> = None;
        let mut last_line = String::new();
        for row in rows {
            let (name, kind, ptypes, pnames, ret, varargs, mac, desc) = row.map_err(|e| e.to_string())?;
            let ptypes: Value = serde_json::from_str(&ptypes).map_err(|e| e.to_string())?;
            let pnames: Value = serde_json::from_str(&pnames).map_err(|e| e.to_string())?;
            let mut obj = Map::new();
            obj.insert("n".into(), json!(name));
            obj.insert("k".into(), json!(kind));
            obj.insert("p".into(), ptypes);
            if !ret.is_empty() {
                obj.insert("r".into(), json!(ret));
            }
            if !varargs.is_empty() {
                obj.insert("v".into(), json!(varargs));
            }
            if kind == "macro" {
                // `duckdb_functions()` lists a macro's parameters but not their defaults
                // (`sep := ','`): ask DuckDB which shorter call binds.
                let count = pnames.as_array().map_or(0, Vec::len);
                if let Some(required) = (0..count).find(|&k| binds(&conn, &name, k, false)) {
                    obj.insert("q".into(), json!(required));
                }
                obj.insert("a".into(), pnames);
                obj.insert("m".into(), json!(mac));
            }
            // Window functions list their optional parameters too (`nth_value(x, n)` needs both,
            // `lag(x)` only the first): ask DuckDB which shorter call binds with OVER. Only for a
            // single overload, where no other overload can be what binds.
            let count = obj.get("p").and_then(Value::as_array).map_or(0, Vec::len);
            let single = overloads.get(&name) == Some(&1);
            if kind == "aggregate" && single && varargs.is_empty() && count > 0 {
                if let Some(required) = (0..count).find(|&k| binds(&conn, &name, k, true)) {
                    obj.insert("q".into(), json!(required));
                }
            }
            if kind == "scalar" {
                let params: Vec<String> = obj
                    .get("p")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default();
                if folds_null(&conn, &name, &params) {
                    obj.insert("z".into(), json!(true));
                } else if varargs.is_empty() {
                    // (With variadic arguments a one-argument probe would say what
                    // `greatest(NULL)` is, not `greatest(NULL, 'a')`.)
                    let positions = null_positions(&conn, &name, &params);
                    if !positions.is_empty() {
                        obj.insert("u".into(), json!(positions));
                    }
                }
            }
            let same_desc = matches!(&last_desc, Some((n, d)) if *n == name && *d == desc);
            if !desc.is_empty() && !same_desc {
                obj.insert("d".into(), json!(desc));
            }
            last_desc = Some((name, desc));
            let line = Value::Object(obj).to_string();
            // Internal duplicates (same visible signature) add nothing for the analyzer.
            if line == last_line {
                continue;
            }
            out.push_str(&line);
            out.push('\n');
            last_line = line;
        }
        Ok(out)
    }
}
