//! Analysis gaps (issue 12): a model the analysis rejects but DuckDB binds is built with a
//! warning; one DuckDB rejects too still fails, with both messages; `--models` limits which
//! models are considered.

mod run_support;

use run_support::*;

const DB: &str = "w.duckdb";
const TOML: &str = "[adapter]\ntype = \"duckdb\"\npath = \"w.duckdb\"\n\n[pipeline.p]\nmodels = \"models/**\"\n";
const RAW: &str = "create schema raw; create table raw.t (id int, v int); insert into raw.t values (1, 10), (2, 20);";
/// A model whose expression nests deeper than the analysis' parser reads (200 levels; DuckDB
/// reads 1000): the analysis reports E001 at the innermost `(` (1:253), DuckDB binds it. The
/// rest of the model is the FROM target.
fn gap(from: &str) -> String {
    format!("select id, lag(v) over (order by id) as s, {}v{} as t from {from}", "(".repeat(210), ")".repeat(210))
}
const GAP_ERROR: &str = "this query nests deeper than the parser reads (200 levels)";

#[test]
fn a_model_duckdb_binds_is_built_with_an_analysis_gap_warning() {
    // `a_late` reads `z_first` (built first although later in path order) and `down` reads it.
    let late = gap("z_first");
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/a_late.sql", &late),
        ("models/down.sql", "select id, s from a_late"),
        ("models/z_first.sql", "select id, v * 2 as v from raw.t"),
    ]);
    let p = dir.path();
    let check = rocky(p, &["check"]);
    assert_eq!(check.status.code(), Some(1), "the analysis rejects it: {}", text(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("error[E001]"), "{}", text(&check));

    sql(p, DB, RAW);
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(doc["summary"]["succeeded"], 3, "{doc:#}");
    let warning = format!(
        "a_late: analysis gap: the analysis reports error E001 at models/a_late.sql:1:253: {GAP_ERROR}, but the warehouse binds the query"
    );
    let warning = warning.as_str();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("warning: {warning}")), "{stderr}");
    assert!(doc["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().starts_with(warning)), "{doc:#}");
    // Built from the rows z_first wrote in this run: 20 and 40, each row reading the one before.
    assert_eq!(
        strings(p, DB, "select coalesce(cast(s as varchar), 'NULL') from main.a_late order by id"),
        ["NULL", "20"]
    );
    assert_eq!(int(p, DB, "select count(*) from main.down"), 2);
    // The history keeps the warning with the model.
    let history = state(p).runs(1).unwrap().remove(0);
    let recorded: Vec<(&str, &[String])> =
        history.models.iter().map(|m| (m.model.as_str(), m.warnings.as_slice())).collect();
    assert_eq!(recorded.len(), 3, "{recorded:?}");
    for (model, warnings) in recorded {
        match model {
            "a_late" => assert!(warnings.len() == 1 && warnings[0].starts_with(warning), "{warnings:?}"),
            _ => assert!(warnings.is_empty(), "{model}: {warnings:?}"),
        }
    }
    let replay = rocky(p, &["replay", "latest"]);
    let shown = String::from_utf8_lossy(&replay.stdout);
    assert!(shown.contains(&format!("  warning: {warning}")), "{}", text(&replay));
}

#[test]
fn a_model_duckdb_rejects_too_refuses_the_run_with_both_messages() {
    // The only model of this run (an unparsed model waits for every other one, so it would be
    // asked at its build): the warehouse is asked before anything is built.
    let bad = gap("raw.nope");
    let dir = project(&[("rocky.toml", TOML), ("models/bad.sql", &bad)]);
    let p = dir.path();
    sql(p, DB, RAW);
    let out = rocky(p, &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let note = "= note: models/bad.sql:1:253: the warehouse rejects it too: Catalog Error: Table with name nope does not exist!";
    assert!(stderr.contains(&format!("error[E001]: {GAP_ERROR}")) && stderr.contains(note), "{stderr}");
    assert!(stderr.contains("nothing was built"), "{stderr}");
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 1, "{}", text(&out));
    assert_eq!(doc["status"], "refused", "{doc:#}");
    let d = &doc["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["file"].as_str()), (Some("E001"), Some("models/bad.sql")));
    assert!(d["related"][0]["message"].as_str().unwrap().starts_with("the warehouse rejects it too: Catalog Error"));
    assert_eq!(int(p, DB, "select count(*) from duckdb_tables() where schema_name = 'main'"), 0);
}

#[test]
fn a_model_waiting_for_this_runs_upstream_is_asked_before_its_build_and_fails_alone() {
    // `later` reads `first`, built in this run: DuckDB is asked right before `later` is built,
    // and rejects it (no column `nope` in `first`); `first` and `other` are built.
    let later = gap("first where nope > 0");
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/first.sql", "select id, v from raw.t"),
        ("models/later.sql", &later),
        ("models/other.sql", "select id from raw.t"),
    ]);
    let p = dir.path();
    sql(p, DB, RAW);
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "{}", text(&out));
    let later = doc["models"].as_array().unwrap().iter().find(|m| m["name"] == "later").unwrap();
    assert_eq!(later["status"], "failed", "{doc:#}");
    let error = later["error"].as_str().unwrap();
    assert!(error.starts_with(&format!("analysis error E001 at models/later.sql:1:253: {GAP_ERROR}")), "{error}");
    assert!(error.contains("the warehouse rejects it too: Binder Error"), "{error}");
    assert_eq!(doc["summary"]["succeeded"], 2, "{doc:#}");
    assert!(!doc["warnings"].to_string().contains("analysis gap"), "{doc:#}");
}

#[test]
fn errors_outside_the_models_sql_still_refuse_the_run() {
    // An unknown upstream model is not the warehouse's to judge: nothing is built.
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/gap.sql", &gap("raw.t")),
        ("models/cfg.sql", "select id from raw.t"),
        ("models/cfg.toml", "[strategy]\ntype = \"no_such_strategy\"\n"),
    ]);
    let p = dir.path();
    sql(p, DB, RAW);
    let out = rocky(p, &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E001]") && stderr.contains("nothing was built"), "{stderr}");
    assert_eq!(int(p, DB, "select count(*) from duckdb_tables() where schema_name = 'main'"), 0);
}

#[test]
fn models_selection_only_considers_the_selected_models_and_their_upstream() {
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/gap.sql", &gap("raw.t")),
        ("models/bad.sql", "select id, nope(v) from raw.t"),
        ("models/other.sql", "select id from raw.t"),
    ]);
    let p = dir.path();
    sql(p, DB, RAW);
    let (code, doc, out) = run_json(p, &["--models", "gap"]);
    assert_eq!(code, 0, "{}", text(&out));
    let names: Vec<&str> = doc["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["gap"], "{doc:#}");
    assert_eq!(
        doc["warnings"].as_array().unwrap().iter().filter(|w| w.to_string().contains("analysis gap")).count(),
        1
    );
    // `bad` is neither built nor asked about.
    let (code, doc, out) = run_json(p, &["--models", "other"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert!(!doc["warnings"].to_string().contains("analysis gap"), "{doc:#}");
}

#[test]
fn a_model_calling_a_warehouse_macro_is_built_with_its_references_compiled() {
    // The analysis does not know the database's macros (E104); the model parses, so its
    // reference to `z_up` is compiled to where this run builds it, and it waits for `z_up`.
    let dir = project(&[
        ("rocky.toml", TOML),
        ("models/mac.sql", "select id, twice(v) as w from z_up"),
        ("models/z_up.sql", "select id, v from raw.t"),
    ]);
    let p = dir.path();
    sql(p, DB, &format!("{RAW} create macro twice(x) as x * 2;"));
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert!(
        doc["warnings"][0].as_str().unwrap().starts_with(
            "mac: analysis gap: the analysis reports error E104 at models/mac.sql:1:12: unknown function `twice`"
        ),
        "{doc:#}"
    );
    assert_eq!(int(p, DB, "select sum(w) from main.mac"), 60);
}
