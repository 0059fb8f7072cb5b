//! One test per config rule: documented format, syntax errors, wrong types, ignored keys, merging.

use super::*;
use crate::diagnostics::{Code, Diagnostic};

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = d.iter().map(|d| d.code.as_str()).collect();
    c.sort();
    c
}

/// The text a diagnostic points at.
fn at<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    &text[d.range.start as usize..d.range.end as usize]
}

fn only(d: &[Diagnostic], code: Code) -> &Diagnostic {
    let found: Vec<_> = d.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{d:#?}");
    found[0]
}

#[test]
fn parses_the_documented_project_format() {
    let text = r#"
[adapter]
type = "duckdb"
path = "playground.duckdb"

[pipeline.playground]
type = "transformation"
models = "models/**"

[pipeline.playground.execution]
concurrency = 4

[cache.schemas]
enabled = false
ttl_seconds = 3_600

[state]
path = ".rocky-state.redb"
"#;
    let (c, d) = parse_project_config("rocky.toml", text);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.adapter.kind, "duckdb");
    assert_eq!(c.adapter.catalog(), "playground");
    assert_eq!(c.adapters.len(), 1);
    assert_eq!(c.pipelines.len(), 1);
    let p = &c.pipelines[0];
    assert_eq!((p.name.as_str(), p.models.as_str(), p.concurrency), ("playground", "models/**", Some(4)));
    assert_eq!(&text[p.models_range.start as usize..p.models_range.end as usize], "\"models/**\"");
    assert_eq!(c.schema_cache, SchemaCacheConfig { enabled: false, ttl_seconds: 3600 });
    assert_eq!(c.state_path.as_deref(), Some(".rocky-state.redb"));
}

#[test]
fn empty_or_missing_parts_take_defaults() {
    let (c, d) = parse_project_config("rocky.toml", "");
    assert!(d.is_empty());
    assert_eq!(c, ProjectConfig::default());
    assert_eq!(c.pipelines[0].models, "models/**");
    assert_eq!(c.adapter.catalog(), "memory");
    assert!(c.schema_cache.enabled);
    assert_eq!(c.schema_cache.ttl_seconds, 86_400);
}

#[test]
fn broken_toml_reports_the_exact_place_and_keeps_the_rest() {
    let text = "[adapter]\ntype = \"duckdb\npath = 1\n[pipeline.p]\nmodels = \"sql/**\"\n";
    let (c, d) = parse_project_config("rocky.toml", text);
    let e = d.iter().find(|d| d.code == Code::E002InvalidProjectConfig).expect("an E002");
    assert!(e.message.starts_with("invalid TOML"), "{e:?}");
    assert!(e.range.start >= 17 && e.range.start <= 24, "on the unterminated string's line: {e:?}");
    assert!(e.hint.as_deref().unwrap_or("").contains("toml.io"));
    assert_eq!(c.adapter.kind, "duckdb");
    assert_eq!(c.pipelines[0].models, "sql/**", "later sections still parse");
}

#[test]
fn duplicate_keys_are_syntax_errors() {
    let (_, d) = parse_project_config("rocky.toml", "[state]\npath = \"a\"\npath = \"b\"\n");
    assert_eq!(codes(&d), ["E002"]);
}

#[test]
fn wrong_value_types_point_at_the_value() {
    let cases = [
        ("[pipeline.p.execution]\nconcurrency = \"x\"\n", "\"x\""),
        ("[pipeline.p.execution]\nconcurrency = 0\n", "0"),
        ("[pipeline.p.execution]\nconcurrency = 2.5\n", "2.5"),
        ("[pipeline.p]\nmodels = 3\n", "3"),
        ("[pipeline.p]\nmodels = \"\"\n", "\"\""),
        ("[pipeline.p]\ntype = 1\n", "1"),
        ("[cache.schemas]\nenabled = \"yes\"\n", "\"yes\""),
        ("[cache.schemas]\nttl_seconds = -1\n", "-1"),
        ("[state]\npath = false\n", "false"),
        ("[adapter]\npath = [1]\n", "[1]"),
        ("state = 1\n", "1"),
        ("pipeline = \"p\"\n", "\"p\""),
    ];
    for (text, bad) in cases {
        let (_, d) = parse_project_config("rocky.toml", text);
        let e = only(&d, Code::E002InvalidProjectConfig);
        assert_eq!(at(text, e), bad, "{text}: {e:?}");
        assert!(e.hint.is_some(), "{e:?}");
    }
}

#[test]
fn integers_in_any_radix() {
    let (c, d) = parse_project_config("rocky.toml", "[pipeline.p.execution]\nconcurrency = 0x10\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.pipelines[0].concurrency, Some(16));
}

#[test]
fn unknown_sections_and_keys_are_ignored_once_each() {
    let text = r#"name = "proj"
[governance]
owner = "me"
[governance.rules]
x = 1
[pipeline.ingest]
type = "replication"
source = "pg"
[pipeline.ingest.execution]
concurrency = 2
[pipeline.t]
models = "m/**"
retries = 3
[pipeline.t.execution]
timeout = 5
[cache.schemas]
fancy = true
[cache.other]
[state]
backend = "s3"
[adapter]
type = "duckdb"
threads = 4
"#;
    let (c, d) = parse_project_config("rocky.toml", text);
    assert!(d.iter().all(|d| d.code == Code::I601IgnoredConfig), "{d:#?}");
    let pointed: Vec<&str> = d.iter().map(|d| at(text, d)).collect();
    assert_eq!(
        pointed,
        ["name", "governance", "ingest", "retries", "timeout", "fancy", "other", "backend", "threads"],
        "one per ignored thing, at its key, in file order"
    );
    assert!(d[0].message.contains("key `name`"), "{:?}", d[0]);
    assert!(d[1].message.contains("section `[governance]`"), "{:?}", d[1]);
    assert!(d[2].message.contains("pipeline `ingest` (type \"replication\")"), "{:?}", d[2]);
    assert!(d[3].message.contains("`pipeline.t.retries`"), "{:?}", d[3]);
    assert_eq!(c.pipelines.len(), 1);
    assert_eq!(c.pipelines[0].models, "m/**");
}

#[test]
fn several_named_adapters_in_file_order() {
    let text = "[adapter.zlocal]\ntype = \"duckdb\"\npath = \"dev.duckdb\"\n[adapter.amem]\ntype=\"duckdb\"\npath=\":memory:\"\n";
    let (c, d) = parse_project_config("rocky.toml", text);
    assert!(d.is_empty(), "{d:?}");
    let names: Vec<_> = c.adapters.iter().map(|(n, _)| n.as_deref()).collect();
    assert_eq!(names, [Some("zlocal"), Some("amem")]);
    assert_eq!(c.adapter.catalog(), "dev", "the first declared adapter is the one models are built with");
}

#[test]
fn unsupported_adapter_types_are_an_info_not_an_error() {
    let text = "[adapter.prod]\ntype = \"snowflake\"\naccount = \"x\"\n[adapter.local]\ntype = \"duckdb\"\npath = \"local.duckdb\"\n";
    let (c, d) = parse_project_config("rocky.toml", text);
    assert_eq!(codes(&d), ["I601", "I601"], "{d:#?}");
    assert!(d.iter().any(|d| at(text, d) == "\"snowflake\"" && d.message.contains("not supported yet")));
    assert_eq!(c.adapters.len(), 2);
    assert_eq!(c.adapter.catalog(), "local", "the supported adapter is used");
}

#[test]
fn adapter_catalog_is_the_duckdb_database_name() {
    let catalog = |path: Option<&str>| {
        AdapterConfig { kind: "duckdb".into(), path: path.map(String::from), ..AdapterConfig::default() }.catalog()
    };
    assert_eq!(catalog(Some("data/play.duckdb")), "play");
    assert_eq!(catalog(Some("a.b.db")), "a");
    assert_eq!(catalog(Some(":memory:")), "memory");
    assert_eq!(catalog(None), "memory");
    assert_eq!(catalog(Some(".hidden")), "memory");
}

#[test]
fn sidecar_documented_format() {
    let text = r#"name = "customer_orders"
depends_on = ["raw_orders"]

[strategy]
type = "merge"
unique_key = ["order_id"]
update_columns = ["status"]

[target]
catalog = "playground"
schema = "main"
table = "co"
"#;
    let (layer, d) = parse_model_config("models/co.toml", text);
    assert!(d.is_empty(), "{d:?}");
    let name = layer.name.clone().expect("name");
    assert_eq!((name.value.as_str(), at_range(text, name.range)), ("customer_orders", "\"customer_orders\""));
    let deps = layer.depends_on.clone().expect("depends_on");
    assert_eq!(at_range(text, deps[0].range), "\"raw_orders\"");
    let (m, d) = merge_layers(&[&layer], &["models/co.toml"]);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        m.strategy,
        Strategy::Merge { unique_key: vec!["order_id".into()], update_columns: Some(vec!["status".into()]) }
    );
    assert_eq!(
        m.target,
        TargetConfig { catalog: Some("playground".into()), schema: Some("main".into()), table: Some("co".into()) }
    );
    assert_eq!(m.depends_on_file.as_deref(), Some("models/co.toml"));
}

fn at_range(text: &str, r: crate::diagnostics::TextRange) -> &str {
    &text[r.start as usize..r.end as usize]
}

#[test]
fn sidecar_errors_point_at_values() {
    let cases = [
        ("name = 3\n", "3"),
        ("name = \"  \"\n", "\"  \""),
        ("depends_on = [\"a\", 2]\n", "2"),
        ("depends_on = [\"a\", \"\"]\n", "\"\""),
        ("depends_on = 1\n", "1"),
        ("[strategy]\ntype = \"snapshot\"\n", "\"snapshot\""),
        ("[strategy]\ntype = 5\n", "5"),
        ("[strategy]\nunique_key = 5\n", "5"),
        ("[strategy]\ntimestamp_column = [\"a\"]\n", "[\"a\"]"),
        ("strategy = \"view\"\n", "\"view\""),
        ("target = 1\n", "1"),
        ("[target]\nschema = 1\n", "1"),
    ];
    for (text, bad) in cases {
        let (_, d) = parse_model_config("m.toml", text);
        let e = only(&d, Code::E003InvalidModelConfig);
        assert_eq!(at(text, e), bad, "{text}: {e:?}");
        assert!(e.hint.is_some(), "{e:?}");
    }
}

#[test]
fn unknown_strategy_suggests_the_closest() {
    let (_, d) = parse_model_config("m.toml", "[strategy]\ntype = \"incremantal\"\n");
    assert!(d[0].hint.as_deref().unwrap_or("").starts_with("did you mean `incremental`?"), "{d:?}");
    let (_, d) = parse_model_config("m.toml", "strategy = \"view\"\n");
    assert!(d[0].hint.as_deref().unwrap_or("").contains("[strategy]\ntype = \"view\""), "{d:?}");
}

#[test]
fn sidecar_ignored_keys() {
    let text = "owner = \"x\"\n[meta]\na = 1\n[strategy]\ntype = \"view\"\nbatch = 2\n[target]\nformat = \"parquet\"\n";
    let (_, d) = parse_model_config("m.toml", text);
    assert_eq!(codes(&d), ["I601", "I601", "I601", "I601"], "{d:#?}");
    let pointed: Vec<&str> = d.iter().map(|d| at(text, d)).collect();
    assert_eq!(pointed, ["owner", "meta", "batch", "format"]);
}

#[test]
fn broken_sidecar_toml_is_e003() {
    let text = "[strategy\ntype = \"view\"\n";
    let (_, d) = parse_model_config("models/a.toml", text);
    let e = d.first().expect("a diagnostic");
    assert_eq!(e.code, Code::E003InvalidModelConfig);
    assert_eq!(e.file, "models/a.toml");
    assert!(e.range.start <= 10, "{e:?}");
}

#[test]
fn layers_merge_key_by_key_nearest_first() {
    let (root, _) = parse_model_config(
        "models/_defaults.toml",
        "[strategy]\ntype = \"merge\"\nunique_key = [\"id\"]\n[target]\nschema = \"analytics\"\ncatalog = \"wh\"\n",
    );
    let (folder, _) =
        parse_model_config("models/marts/_defaults.toml", "depends_on = [\"x\"]\n[target]\nschema = \"marts\"\n");
    let (sidecar, _) =
        parse_model_config("models/marts/a.toml", "name = \"a2\"\n[strategy]\nupdate_columns = [\"status\"]\n");
    let (m, d) = merge_layers(
        &[&sidecar, &folder, &root],
        &["models/marts/a.toml", "models/marts/_defaults.toml", "models/_defaults.toml"],
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(m.name.map(|n| n.value).as_deref(), Some("a2"));
    assert_eq!(
        m.strategy,
        Strategy::Merge { unique_key: vec!["id".into()], update_columns: Some(vec!["status".into()]) }
    );
    assert_eq!(m.target.schema.as_deref(), Some("marts"), "nearest wins");
    assert_eq!(m.target.catalog.as_deref(), Some("wh"), "inherited key by key");
    assert_eq!(m.target.table, None);
    assert_eq!(m.depends_on_file.as_deref(), Some("models/marts/_defaults.toml"));
}

#[test]
fn a_nearer_type_replaces_the_strategy() {
    let (defaults, _) =
        parse_model_config("models/_defaults.toml", "[strategy]\ntype = \"incremental\"\ntimestamp_column = \"ts\"\n");
    let (sidecar, _) = parse_model_config("models/a.toml", "[strategy]\ntype = \"view\"\n");
    let (m, d) = merge_layers(&[&sidecar, &defaults], &["models/a.toml", "models/_defaults.toml"]);
    assert!(d.is_empty());
    assert_eq!(m.strategy, Strategy::View);
    let (m, _) = merge_layers(&[&defaults], &["models/_defaults.toml"]);
    assert_eq!(m.strategy, Strategy::Incremental { timestamp_column: Some("ts".into()) });
    let (m, _) = merge_layers(&[], &[]);
    assert_eq!(m.strategy, Strategy::FullRefresh, "the default strategy");
}

#[test]
fn incremental_needs_timestamp_column_at_the_type_that_chose_it() {
    let text = "[strategy]\ntype = \"incremental\"\n";
    let (defaults, _) = parse_model_config("models/_defaults.toml", text);
    let (sidecar, _) = parse_model_config("models/a.toml", "[target]\nschema = \"s\"\n");
    let (_, d) = merge_layers(&[&sidecar, &defaults], &["models/a.toml", "models/_defaults.toml"]);
    let e = only(&d, Code::E003InvalidModelConfig);
    assert_eq!(e.file, "models/_defaults.toml");
    assert_eq!(at(text, e), "\"incremental\"");
    assert!(e.message.contains("timestamp_column"));
}

#[test]
fn merge_needs_unique_key() {
    for text in ["[strategy]\ntype = \"merge\"\n", "[strategy]\ntype = \"merge\"\nunique_key = []\n"] {
        let (layer, _) = parse_model_config("models/b.toml", text);
        let (_, d) = merge_layers(&[&layer], &["models/b.toml"]);
        let e = only(&d, Code::E003InvalidModelConfig);
        assert_eq!((e.file.as_str(), at(text, e)), ("models/b.toml", "\"merge\""));
        assert!(e.message.contains("unique_key"));
    }
}

#[test]
fn garbage_never_panics() {
    let deep = format!("a = {}{}", "[".repeat(20_000), "]".repeat(20_000));
    let deep_tables = format!("a = {}{}", "{b = ".repeat(20_000), "}".repeat(20_000));
    let long_key = format!("[{}]", "a.".repeat(20_000) + "b");
    let texts = [
        "[[[",
        "a = [1, 2",
        "\u{0}",
        "x = \"\\q\"",
        "[a]\n[a]\n",
        "= = =",
        "\u{feff}[adapter]",
        "[adapter]\ntype = \"é",
    ];
    for text in texts.iter().copied().chain([deep.as_str(), deep_tables.as_str(), long_key.as_str()]) {
        let (_, d) = parse_project_config("rocky.toml", text);
        for d in &d {
            assert!(
                text.get(d.range.start as usize..d.range.end as usize).is_some(),
                "range on a char boundary: {d:?}"
            );
        }
        let _ = parse_model_config("m.toml", text);
    }
}

#[test]
fn postgres_adapter_keys_and_catalog() {
    let (c, d) = parse_project_config(
        "rocky.toml",
        "[adapter]\ntype = \"postgres\"\nhost = \"db.internal\"\nport = 5433\ndbname = \"analytics\"\nuser = \"etl\"\nsslmode = \"verify-full\"\nsslrootcert = \"certs/ca.crt\"\npassword_env = \"ROCKY_PG_PASSWORD\"\n",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.adapter.kind, "postgres");
    assert_eq!(c.adapter.dialect(), crate::dialect::Dialect::Postgres);
    assert_eq!((c.adapter.host.as_deref(), c.adapter.port), (Some("db.internal"), Some(5433)));
    assert_eq!(c.adapter.catalog(), "analytics");
    assert_eq!(c.adapter.password_env.as_deref(), Some("ROCKY_PG_PASSWORD"));
    assert_eq!(c.adapter.sslmode.as_deref(), Some("verify-full"));
    assert_eq!(c.adapter.sslrootcert.as_deref(), Some("certs/ca.crt"));

    let (c, d) = parse_project_config(
        "rocky.toml",
        "[adapter]\ntype = \"postgres\"\nurl = \"postgres://etl@h:5432/my%20db?sslmode=disable\"\n",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.adapter.catalog(), "my db");

    // A password in the file, a bad sslmode and an out-of-range port are errors at their spans.
    let text = "[adapter]\ntype = \"postgres\"\npassword = \"hunter2\"\nsslmode = \"maybe\"\nport = 70000\n";
    let (_, d) = parse_project_config("rocky.toml", text);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(d.len(), 3, "{messages:?}");
    assert!(messages[0].contains("password must not be written"));
    assert_eq!(&text[d[0].range.start as usize..d[0].range.end as usize], "password");
    assert!(messages[1].contains("sslmode"));
    assert_eq!(&text[d[1].range.start as usize..d[1].range.end as usize], "\"maybe\"");
    assert!(format!("{:?}", d[1]).contains("verify-ca, verify-full"), "{:?}", d[1]);
    assert!(messages[2].contains("65535"));
}

#[test]
fn spark_adapter_keys_and_catalog() {
    let (c, d) = parse_project_config(
        "rocky.toml",
        "[adapter]\ntype = \"spark\"\nurl = \"sc://spark.internal:15002/;x-cluster=7\"\ntoken_env = \"DATABRICKS_TOKEN\"\ntable_format = \"delta\"\n",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.adapter.kind, "spark");
    assert_eq!(c.adapter.catalog(), "spark_catalog");
    assert_eq!(c.adapter.token_env.as_deref(), Some("DATABRICKS_TOKEN"));
    assert_eq!(c.adapter.table_format.as_deref(), Some("delta"));
    let (c, d) = parse_project_config("rocky.toml", "[adapter]\ntype = \"spark\"\ncatalog = \"main\"\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.adapter.catalog(), "main");

    // A token in the URL or as a key is refused at its span, with what to write instead.
    let text = "[adapter]\ntype = \"spark\"\nurl = \"sc://h:443/;token=dapi123\"\ntoken = \"dapi123\"\n";
    let (_, d) = parse_project_config("rocky.toml", text);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d.iter().all(|d| d.message.contains("token must not be written")));
    assert!(d[0].hint.as_deref().is_some_and(|h| h.contains("token_env")), "{:?}", d[0].hint);
    assert_eq!(&text[d[0].range.start as usize..d[0].range.end as usize], "\"sc://h:443/;token=dapi123\"");
    assert_eq!(&text[d[1].range.start as usize..d[1].range.end as usize], "token");
}
