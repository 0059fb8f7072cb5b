//! `rocky run` on a real Spark Connect server: every strategy Spark's session catalog supports
//! (first build and the runs after it), a failing model skipping its dependents and leaving its
//! old table, the refused merge, branches and shadow runs, the write tap (Spark's type strings in
//! the schema cache), `rocky seed`. Each test works in schemas of its own.

mod spark_support;

use spark_support::*;

/// Sources in `{p}_raw`.
fn sources(spark: &Spark) {
    let raw = spark.schema("raw");
    spark.sql(&format!("CREATE DATABASE {raw}"));
    spark.sql(&format!(
        "CREATE TABLE {raw}.orders (id INT, amount DECIMAL(12,2), name STRING, ts TIMESTAMP, ok BOOLEAN, tags ARRAY<INT>) USING parquet"
    ));
    spark.sql(&format!(
        "INSERT INTO {raw}.orders VALUES
           (1, 2.50, 'a', TIMESTAMP'2024-01-01 10:00:00', true, array(1, 2)),
           (2, 3.10, 'b', TIMESTAMP'2024-01-02 10:00:00', false, array())"
    ));
}

fn sidecar(strategy: &str, schema: &str) -> String {
    format!("[strategy]\n{strategy}\n\n[target]\nschema = '{{p}}_{schema}'\n")
}

#[test]
fn every_strategy_builds_then_appends_and_replaces() {
    let spark = Spark::create();
    sources(&spark);
    let files = [
        ("models/stg.sql", "select id, amount, name, ts, ok, tags from {p}_raw.orders".to_string()),
        ("models/stg.toml", sidecar("type = \"view\"", "staging")),
        ("models/paid.sql", "select * from stg where ok or amount > 3".to_string()),
        ("models/paid.toml", "[strategy]\ntype = \"ephemeral\"\n".to_string()),
        ("models/full.sql", "select id, amount * 2 as twice, name from paid".to_string()),
        ("models/full.toml", sidecar("type = \"full_refresh\"", "marts")),
        ("models/report.sql", "select count(*) as n from full".to_string()),
        ("models/report.toml", sidecar("type = \"view\"", "marts")),
        ("models/inc.sql", "select id, name, ts from stg".to_string()),
        ("models/inc.toml", sidecar("type = \"incremental\"\ntimestamp_column = \"ts\"", "marts")),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = spark.project(&files);
    let p = dir.path();
    let marts = spark.schema("marts");

    let (code, doc, out) = run_json(p, &["--concurrency", "3"]);
    assert_eq!(code, 0, "{}", text(&out));
    for (name, mode) in [("stg", "view"), ("full", "full"), ("inc", "full"), ("report", "view")] {
        assert_eq!(model(&doc, name)["mode"], mode, "{name}: {doc}");
    }
    assert_eq!(spark.strings(&format!("SELECT CAST(twice AS STRING) FROM {marts}.full ORDER BY id")), ["5.00", "6.20"]);
    assert_eq!(spark.int(&format!("SELECT n FROM {marts}.report")), 2);
    assert_eq!(spark.tables("marts"), ["full", "inc", "report"], "no temporary table is left");

    // New and changed rows: the incremental model appends only rows past its watermark, the
    // table is replaced (the view reading it sees the new one).
    let raw = spark.schema("raw");
    spark.sql(&format!(
        "INSERT INTO {raw}.orders VALUES (3, 9.99, 'c', TIMESTAMP'2024-01-03 10:00:00', true, array(3))"
    ));
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(model(&doc, "inc")["mode"], "append");
    assert_eq!(spark.int(&format!("SELECT count(*) FROM {marts}.inc")), 3);
    assert_eq!(spark.int(&format!("SELECT n FROM {marts}.report")), 3, "the view follows the new table");
    let watermarks = state(p).watermarks().unwrap();
    let inc = watermarks.iter().find(|(k, _)| k == "inc").map(|(_, w)| w.value.clone());
    assert_eq!(inc.as_deref(), Some("2024-01-03 10:00:00"));

    // The write tap: sources and built models are in the schema cache with Spark's type strings.
    let cache = state(p).read_schema_cache().unwrap();
    let orders = cache
        .iter()
        .find(|t| t.key == format!("spark_catalog.{raw}.orders"))
        .unwrap_or_else(|| panic!("{:?}", cache.iter().map(|t| &t.key).collect::<Vec<_>>()));
    let types: Vec<(&str, &str)> = orders.columns.iter().map(|c| (c.name.as_str(), c.type_string.as_str())).collect();
    assert_eq!(
        types,
        [
            ("id", "int"),
            ("amount", "decimal(12,2)"),
            ("name", "string"),
            ("ts", "timestamp"),
            ("ok", "boolean"),
            ("tags", "array<int>")
        ]
    );
    let full =
        cache.iter().find(|t| t.key == format!("spark_catalog.{marts}.full")).expect("the built table is cached");
    assert_eq!(full.columns[1].type_string, "decimal(14,2)", "amount * 2 as Spark types it");

    // A view that becomes a table and back: the other kind is dropped first.
    std::fs::write(
        p.join("models/report.toml"),
        sidecar("type = \"full_refresh\"", "marts").replace("{p}", &spark.prefix),
    )
    .unwrap();
    let (code, _, out) = run_json(p, &["--models", "report"]);
    assert_eq!(code, 0, "{}", text(&out));
    assert_eq!(spark.int(&format!("SELECT n FROM {marts}.report")), 3);
    std::fs::write(p.join("models/report.toml"), sidecar("type = \"view\"", "marts").replace("{p}", &spark.prefix))
        .unwrap();
    let (code, _, out) = run_json(p, &["--models", "report"]);
    assert_eq!(code, 0, "{}", text(&out));
    let kind = spark.sql(&format!("DESCRIBE TABLE EXTENDED {marts}.report"));
    assert!(kind.rows.iter().any(|r| r[0].as_deref() == Some("Type") && r[1].as_deref() == Some("VIEW")));
}

#[test]
fn a_failing_model_skips_its_dependents_and_leaves_its_old_table() {
    let spark = Spark::create();
    sources(&spark);
    let dir = spark.project(&[
        ("models/base.sql", "select id, name from {p}_raw.orders"),
        ("models/base.toml", &sidecar("type = \"full_refresh\"", "marts")),
        ("models/after.sql", "select id from base"),
        ("models/after.toml", &sidecar("type = \"full_refresh\"", "marts")),
        ("models/bystander.sql", "select count(*) as n from {p}_raw.orders"),
        ("models/bystander.toml", &sidecar("type = \"full_refresh\"", "marts")),
    ]);
    let p = dir.path();
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    // A query the analysis accepts but Spark rejects at run time (ANSI mode: a bad cast fails).
    std::fs::write(
        p.join("models/base.sql"),
        "select id, cast(name as int) as name from {p}_raw.orders".replace("{p}", &spark.prefix),
    )
    .unwrap();
    let (code, doc, out) = run_json(p, &[]);
    assert_eq!(code, 2, "partial: {}", text(&out));
    assert_eq!(model(&doc, "base")["status"], "failed");
    assert_eq!(model(&doc, "after")["status"], "skipped");
    assert_eq!(model(&doc, "bystander")["status"], "succeeded");
    let error = model(&doc, "base")["error"].as_str().unwrap_or_default().to_string();
    assert!(error.contains("CAST_INVALID_INPUT") && error.contains("SQLSTATE"), "Spark's class and SQLSTATE: {error}");
    let marts = spark.schema("marts");
    assert_eq!(spark.strings(&format!("SELECT name FROM {marts}.base ORDER BY id")), ["a", "b"], "the old table stays");
    assert_eq!(spark.tables("marts"), ["after", "base", "bystander"], "no temporary table is left");

    // A new table whose first build fails (created in place) leaves nothing behind, so the next
    // attempt fails for the same reason, not because of leftovers.
    let broken = "select cast(name as int) as n from {p}_raw.orders".replace("{p}", &spark.prefix);
    std::fs::write(p.join("models/fresh.sql"), broken).unwrap();
    std::fs::write(
        p.join("models/fresh.toml"),
        sidecar("type = \"full_refresh\"", "marts").replace("{p}", &spark.prefix),
    )
    .unwrap();
    for _ in 0..2 {
        let (_, doc, out) = run_json(p, &["--models", "fresh"]);
        let error = model(&doc, "fresh")["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains("CAST_INVALID_INPUT"), "{error}\n{}", text(&out));
        assert_eq!(spark.tables("marts"), ["after", "base", "bystander"]);
    }
}

#[test]
fn merge_is_refused_before_the_run_with_what_to_do() {
    let spark = Spark::create();
    sources(&spark);
    let dir = spark.project(&[
        ("models/mg.sql", "select id, name from {p}_raw.orders"),
        ("models/mg.toml", &sidecar("type = \"merge\"\nunique_key = [\"id\"]", "marts")),
        ("models/after.sql", "select id from mg"),
        ("models/after.toml", &sidecar("type = \"view\"", "marts")),
    ]);
    let (code, doc, out) = run_json(dir.path(), &[]);
    assert_eq!(code, 1, "{}", text(&out));
    let error = model(&doc, "mg")["error"].as_str().unwrap_or_default().to_string();
    assert!(error.contains("MERGE INTO") && error.contains("table_format = \"delta\""), "{error}");
    assert!(error.contains("strategy = \"incremental\""), "{error}");
    assert_eq!(model(&doc, "after")["status"], "skipped");
    assert!(spark.tables("marts").is_empty(), "nothing was built");
}

#[test]
fn branches_and_shadow_runs_build_into_their_own_schemas() {
    let spark = Spark::create();
    sources(&spark);
    let dir = spark.project(&[
        ("models/stg.sql", "select id, name from {p}_raw.orders"),
        ("models/stg.toml", &sidecar("type = \"view\"", "staging")),
        ("models/top.sql", "select count(*) as n from stg"),
        ("models/top.toml", &sidecar("type = \"full_refresh\"", "marts")),
    ]);
    let p = dir.path();
    let (code, _, out) = run_json(p, &[]);
    assert_eq!(code, 0, "{}", text(&out));
    let out = rocky(p, &["branch", "create", "fix"]);
    assert!(out.status.success(), "{}", text(&out));
    spark.sql(&format!("INSERT INTO {}.orders VALUES (3, 1, 'c', NULL, true, NULL)", spark.schema("raw")));
    let (code, doc, out) = run_json(p, &["--branch", "fix"]);
    assert_eq!(code, 0, "{}", text(&out));
    let branch_marts = format!("branch__fix__{}", spark.schema("marts"));
    assert_eq!(model(&doc, "top")["target"], format!("spark_catalog.{branch_marts}.top"));
    assert_eq!(spark.int(&format!("SELECT n FROM {branch_marts}.top")), 3);
    assert_eq!(spark.int(&format!("SELECT n FROM {}.top", spark.schema("marts"))), 2, "main is untouched");

    let (code, doc, out) = run_json(p, &["--shadow", "--shadow-schema", &spark.schema("shadow")]);
    assert_eq!(code, 0, "{}", text(&out));
    let shadow_top = format!("{}.{}__top", spark.schema("shadow"), spark.schema("marts"));
    assert_eq!(model(&doc, "top")["target"], format!("spark_catalog.{shadow_top}"));
    assert_eq!(spark.int(&format!("SELECT n FROM {shadow_top}")), 3);

    // Deleting the branch drops its schemas.
    let out = rocky(p, &["branch", "delete", "fix", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let left = spark.strings(&format!("SHOW NAMESPACES LIKE 'branch__fix__{}*'", spark.prefix));
    assert!(left.is_empty(), "{left:?}");
}
