//! `rocky check` end to end: the real binary on real project folders.

use std::path::{Path, PathBuf};
use std::process::Command;

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

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures")
}

const CONFIG: &[u8] = b"[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n";

#[test]
fn clean_fixture_exits_zero_with_a_summary() {
    let (code, out, _) = rocky(&["check", "playground"], &fixtures());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok: checked 6 models, no errors"), "{out}");
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
    assert!(out.contains("failed: 1 error, 0 warnings in 2 models"), "{out}");
}

#[test]
fn broken_toml_points_at_line_and_column() {
    let dir = project(&[("rocky.toml", b"[adapter]\ntype = \"duckdb\npath = 3\n"), ("models/a.sql", b"select 1 as x")]);
    let (code, out, _) = rocky(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E002]: invalid TOML"), "{out}");
    assert!(out.contains("--> rocky.toml:2:"), "{out}");
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
    assert!(out.contains("not valid UTF-8"), "{out}");
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
