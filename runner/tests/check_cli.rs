//! `rocky check` end to end: the real binary on real project folders.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

/// Project files as bytes, so tests can write invalid UTF-8.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    common::project_bytes(files.iter().copied())
}

fn rocky(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("rocky runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures")
}

const CONFIG: &[u8] = b"[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n";

#[test]
fn clean_fixture_exits_zero_with_a_summary() {
    let (code, out, _) = rocky(&["check", "playground"], &fixtures());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ checked 6 models, no errors"), "{out}");
    assert!(out.contains("warning[W110]"), "uncached sources are reported: {out}");
}

#[test]
fn errors_are_rendered_like_a_compiler_and_exit_one() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/a.sql", b"select 1 as id, 'x' as name"),
        ("models/b.sql", b"select id,\n       nme\nfrom a"),
    ]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    let expected = "error[E102]: unknown column `nme` in the tables of this query\n  --> models/b.sql:2:8\n  |\n2 |        nme\n  |        ^^^\n  = help: did you mean `name`?\n";
    assert!(out.contains(expected), "{out}");
    assert!(out.contains("✗ 1 error, 0 warnings in 2 models"), "{out}");
}

#[test]
fn broken_toml_points_at_line_and_column() {
    let dir = project(&[("rocky.toml", b"[adapter]\ntype = \"duckdb\npath = 3\n"), ("models/a.sql", b"select 1 as x")]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E002]: invalid TOML"), "{out}");
    assert!(out.contains("--> rocky.toml:2:"), "{out}");
    assert!(out.contains("2 | type = \"duckdb"), "the source line is shown: {out}");
    assert!(out.contains("= help: fix the syntax"), "{out}");
}

#[test]
fn no_project_is_a_usage_error_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = rocky(&["check"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("no rocky.toml found"), "{err}");
    assert!(err.contains("rocky init"), "{err}");
}

#[test]
fn unreadable_files_are_reported_and_the_rest_is_checked() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/bad.sql", b"select \xff\xfe from x"),
        ("models/good.sql", b"select 1 as one"),
    ]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E000]: cannot read models/bad.sql: the file is not valid UTF-8"), "{out}");
    assert!(out.contains("= help: save the file as UTF-8"), "{out}");
    assert!(out.contains("in 1 model"), "the good model is still checked: {out}");
}

#[test]
fn json_output_is_the_documented_document() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/a.sql", b"select 1 as id, 'x' as name"),
        ("models/b.sql", b"select id, upper(name) as name from a where idd > 0"),
    ]);
    let (code, out, _) = rocky(&["check", "--format", "json"], dir.path());
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E102");
    assert_eq!(d["file"], "models/b.sql");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64(), d["end_column"].as_u64()), (Some(1), Some(45), Some(48)));
    assert_eq!(doc["summary"]["errors"], 1);
    let b = doc["models"].as_array().expect("models").iter().find(|m| m["name"] == "b").expect("model b");
    assert_eq!(b["depends_on"], serde_json::json!(["a"]));
    assert_eq!(
        b["columns"],
        serde_json::json!([{"name": "id", "type": "INTEGER", "nullable": false}, {"name": "name", "type": "VARCHAR", "nullable": false}])
    );
}

#[test]
fn github_format_escapes_messages() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", b"select 100% from x")]);
    let (code, out, _) = rocky(&["check", "--format", "github"], dir.path());
    assert_eq!(code, 1, "{out}");
    let line = out.lines().find(|l| l.starts_with("::error")).expect("an error annotation");
    assert!(line.starts_with("::error file=models/a.sql,line=1,col="), "{line}");
    assert!(!line.contains("%0Ahelp%3A"), "message data keeps its colon: {line}");
    assert!(line.contains("%0Ahelp: "), "hint on a new (escaped) line: {line}");
}

#[test]
fn realistic_fixture_has_no_errors() {
    let (code, out, _) = rocky(&["check", "--format", "json"], &fixtures().join("realistic"));
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["summary"]["models"], 38);
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, out, err) = rocky(&["check", "no/such/dir"], dir.path());
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("no/such/dir does not exist"), "{err}");
    assert!(err.contains("= help:"), "{err}");
}

#[test]
fn a_subfolder_or_file_finds_the_project_root() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/deep/a.sql", b"select 1 as x")]);
    for (start, summary) in
        [("models/deep", "checked 1 model, no errors"), ("models/deep/a.sql", "checked models/deep/a.sql, no errors")]
    {
        let (code, out, _) = rocky(&["check", start], dir.path());
        assert_eq!(code, 0, "{start}: {out}");
        assert!(out.contains(summary), "{out}");
    }
    let (code, out, _) = rocky(&["-C", "models", "check", "deep"], dir.path());
    assert_eq!(code, 0, "-C joins PATH like git -C: {out}");
}

#[test]
fn config_problems_point_into_rocky_toml() {
    let dir = project(&[
        ("rocky.toml", b"[pipeline.main]\nmodels = \"modls/**\"\n[pipeline.main.execution]\nconcurrency = \"x\"\n"),
        ("models/a.sql", b"select 1 as x"),
    ]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "error[E000]: the models folder `modls` of pipeline `main` does not exist\n  --> rocky.toml:2:10\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("error[E002]: `concurrency` must be a whole number of at least 1\n  --> rocky.toml:4:15\n"),
        "{out}"
    );
}

#[test]
fn broken_sidecar_is_e003_at_its_line() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/a.sql", b"select 1 as x"),
        ("models/a.toml", b"name = \"a\"\n[strategy]\ntype = \"snapshot\"\n"),
    ]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E003]: unknown strategy `snapshot`\n  --> models/a.toml:3:8\n"), "{out}");
}

#[test]
fn ignored_config_is_an_info_and_not_a_failure() {
    let dir = project(&[
        (
            "rocky.toml",
            b"[adapter]\ntype = \"duckdb\"\n[governance]\nowner = \"data\"\n[pipeline.raw]\ntype = \"replication\"\n",
        ),
        ("models/a.sql", b"select 1 as x"),
    ]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("info[I601]").count(), 2, "{out}");
    assert!(out.contains("✓ checked 1 model, no errors"), "{out}");
}

#[test]
fn oversized_files_are_skipped_with_a_hint() {
    let big = vec![b' '; 5 * 1024 * 1024 + 1];
    let dir = project(&[("rocky.toml", CONFIG), ("models/big.sql", &big), ("models/ok.sql", b"select 1 as x")]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E000]: cannot read models/big.sql: the file is 5242881 bytes"), "{out}");
    assert!(out.contains("in 1 model"), "{out}");
}

#[test]
fn parse_errors_exit_one_in_every_format() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", b"select from from")]);
    for format in ["text", "json", "github"] {
        let (code, out, _) = rocky(&["check", "--format", format], dir.path());
        assert_eq!(code, 1, "{format}: {out}");
        assert!(out.contains("E001"), "{format}: {out}");
    }
}

#[test]
fn json_document_shape_is_stable() {
    let dir = project(&[
        ("rocky.toml", b"[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n[hooks]\nx = 1\n"),
        ("models/a.sql", b"select 1 as id"),
        ("models/bad.sql", b"select from from"),
        ("models/b.sql", b"select \xff"),
    ]);
    let (code, out, _) = rocky(&["check", "--format", "json"], dir.path());
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&doc), ["diagnostics", "models", "summary", "version"]);
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    for d in diagnostics {
        assert_eq!(
            keys(d),
            [
                "code",
                "column",
                "end_column",
                "end_line",
                "end_offset",
                "file",
                "fixes",
                "hint",
                "line",
                "message",
                "path",
                "related",
                "severity",
                "start_offset"
            ],
            "{d}"
        );
    }
    let codes: Vec<&str> = diagnostics.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"E000") && codes.contains(&"E001") && codes.contains(&"I601"), "{codes:?}");
    let load = diagnostics.iter().find(|d| d["code"] == "E000").expect("load problem");
    assert_eq!((load["file"].as_str(), load["severity"].as_str()), (Some("models/b.sql"), Some("error")));
    let info = diagnostics.iter().find(|d| d["code"] == "I601").expect("info");
    assert_eq!(
        (info["line"].as_u64(), info["column"].as_u64(), info["severity"].as_str()),
        (Some(4), Some(2), Some("info"))
    );
    assert_eq!(keys(&doc["summary"]), ["errors", "infos", "models", "warnings"]);
    assert_eq!((doc["summary"]["infos"].as_u64(), doc["summary"]["models"].as_u64()), (Some(1), Some(2)));
    let a = doc["models"].as_array().expect("models").iter().find(|m| m["name"] == "a").expect("model a");
    for key in ["name", "path", "sidecar", "strategy", "target", "depends_on", "sources", "columns", "columns_complete"]
    {
        assert!(a.get(key).is_some(), "model key {key}: {a}");
    }
    assert_eq!(
        (a["path"].as_str(), a["strategy"].as_str(), a["target"].as_str()),
        (Some("models/a.sql"), Some("full_refresh"), Some("db.main.a"))
    );
}

#[test]
fn github_format_escapes_properties_and_data() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/we,ird:name.sql", b"select 1 as x"),
        ("models/we,ird:name.toml", b"\"100%\" = 1\n"),
        ("models/bad.sql", b"select from from"),
    ]);
    let (code, out, _) = rocky(&["check", "--format", "github"], dir.path());
    assert_eq!(code, 1, "{out}");
    let notice = out.lines().find(|l| l.starts_with("::notice")).expect("a notice for the ignored key");
    assert_eq!(
        notice,
        "::notice file=models/we%2Cird%3Aname.toml,line=1,col=1,endLine=1,endColumn=7,title=I601::key `100%25` is not used by Rocky and is ignored%0Ahelp: it is kept as is; remove it if it is a typo"
    );
    let error = out.lines().find(|l| l.starts_with("::error file=models/bad.sql,line=1,col=")).expect("an error");
    assert!(error.contains(",title=E001::"), "{error}");
    assert!(out.lines().all(|l| !l.contains('\r')), "one line per annotation");
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", b"select from from")]);
    let (_, plain, _) = rocky(&["check"], dir.path());
    assert!(!plain.contains('\u{1b}'), "not a terminal: no colour");
    let (_, colored, _) = rocky(&["check", "--color", "always"], dir.path());
    assert!(colored.contains("\u{1b}["), "{colored}");
}

/// Four models with problems in different files, and a folder default that is broken.
fn project_with_problems_in_several_files() -> tempfile::TempDir {
    project(&[
        ("rocky.toml", CONFIG),
        ("models/a.sql", b"select 1 as id, 'x' as name"),
        ("models/b.sql", b"select id,\n       nme\nfrom a"),
        ("models/c.sql", b"select from from"),
        ("models/d.sql", b"select idd from a"),
        ("models/d.toml", b"[strategy]\ntype = \"snapshot\"\n"),
        ("models/sub/_defaults.toml", b"[strategy]\ntype = \"nope\"\n"),
        ("models/sub/e.sql", b"select id from a"),
        ("notes.txt", b"not a model"),
    ])
}

#[test]
fn a_file_shows_only_its_diagnostics_and_counts_the_rest() {
    let dir = project_with_problems_in_several_files();
    let (code, out, _) = rocky(&["check", "models/b.sql"], dir.path());
    assert_eq!(code, 1, "b has an error: {out}");
    assert!(out.contains("error[E102]: unknown column `nme`"), "{out}");
    assert!(out.contains("--> models/b.sql:2:8"), "{out}");
    assert!(!out.contains("models/c.sql") && !out.contains("E001"), "other files are not shown: {out}");
    assert!(!out.contains("_defaults.toml"), "a default of another folder does not concern b: {out}");
    assert!(out.contains("✗ 1 error, 0 warnings in models/b.sql\n"), "{out}");
    assert!(out.contains("  4 errors in 4 other files (run `rocky check` for all)\n"), "{out}");

    let (code, out, _) = rocky(&["check", "models/a.sql"], dir.path());
    assert_eq!(code, 0, "a is clean even though other files have errors: {out}");
    assert!(out.contains("✓ checked models/a.sql, no errors\n  5 errors in 5 other files"), "{out}");
}

#[test]
fn a_sidecar_or_folder_default_concerns_its_model() {
    let dir = project_with_problems_in_several_files();
    for file in ["models/d.sql", "models/d.toml"] {
        let (code, out, _) = rocky(&["check", file], dir.path());
        assert_eq!(code, 1, "{file}: {out}");
        assert!(out.contains("error[E003]: unknown strategy `snapshot`\n  --> models/d.toml:2:8"), "{file}: {out}");
        assert!(out.contains("--> models/d.sql:1:8"), "{file}: the model's own error too: {out}");
        assert!(out.contains("✗ 2 errors, 0 warnings in "), "{file}: {out}");
    }
    let (code, out, _) = rocky(&["check", "models/sub/e.sql"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--> models/sub/_defaults.toml:2:8"), "the folder's default is e's config: {out}");
}

#[test]
fn a_file_in_json_and_github_formats() {
    let dir = project_with_problems_in_several_files();
    let (code, out, _) = rocky(&["check", "models/b.sql", "--format", "json"], dir.path());
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let files: Vec<&str> =
        doc["diagnostics"].as_array().expect("array").iter().filter_map(|d| d["file"].as_str()).collect();
    assert_eq!(files, ["models/b.sql"]);
    assert_eq!(doc["summary"]["file"], "models/b.sql");
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["elsewhere"], serde_json::json!({"errors": 4, "warnings": 0, "infos": 0, "files": 4}));
    let models: Vec<&str> =
        doc["models"].as_array().expect("array").iter().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(models, ["b"], "the file's model only");

    let (code, out, _) = rocky(&["check", "models/b.sql", "--format", "github"], dir.path());
    assert_eq!(code, 1, "{out}");
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{out}");
    assert!(annotations[0].starts_with("::error file=models/b.sql,line=2,col=8"), "{out}");
    assert!(
        out.contains(
            "rocky check: 1 errors, 0 warnings in models/b.sql; 4 errors in 4 other files (run `rocky check` for all)"
        ),
        "{out}"
    );
}

#[test]
fn a_file_that_is_not_part_of_the_project_is_a_usage_error() {
    let dir = project_with_problems_in_several_files();
    let (code, out, err) = rocky(&["check", "notes.txt"], dir.path());
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("error: notes.txt is not a model, sidecar, `_defaults.toml` or rocky.toml"), "{err}");
    assert!(err.contains("= help: check the `models` globs"), "{err}");
    let (code, out, _) = rocky(&["check", "rocky.toml"], dir.path());
    assert_eq!(code, 0, "rocky.toml itself is fine: {out}");
    assert!(out.contains("✓ checked rocky.toml, no errors"), "{out}");
}
