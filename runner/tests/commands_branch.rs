//! `rocky branch`: names are validated, records land in the real state file, and `delete` drops
//! the branch's schemas in the real DuckDB file.

mod common;

use common::{duck, project, rocky, state, CONFIG};

fn branch_project() -> tempfile::TempDir {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", "select 1 as id")]);
    duck(dir.path(), "CREATE SCHEMA keep_me;");
    dir
}

/// The OS account running the tests, as `id -un` tells it (the tests set `$USER` to `tester`,
/// which a branch must not record instead).
fn os_user() -> String {
    let out = std::process::Command::new("id").arg("-un").output().expect("id runs");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn schemas(dir: &std::path::Path) -> Vec<String> {
    let conn = duckdb::Connection::open(dir.join("db.duckdb")).unwrap();
    let mut stmt =
        conn.prepare("SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'db' ORDER BY 1").unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn invalid_names_are_refused_with_a_reason() {
    let dir = branch_project();
    let long = "n".repeat(65);
    for (name, reason) in [
        ("a/b", "'/'"),
        ("a b", "' '"),
        ("a'b", "'\\''"),
        ("a;b", "';'"),
        ("", "empty"),
        (long.as_str(), "65 characters"),
    ] {
        for action in ["create", "show", "delete"] {
            let out = rocky(&["branch", action, name], dir.path());
            assert_eq!(out.code, 2, "{action} {name:?}: {}", out.all());
            assert!(out.stderr.contains("error: branch name"), "{action} {name:?}: {}", out.all());
            assert!(out.stderr.contains(reason), "{action} {name:?} should mention {reason}: {}", out.all());
        }
    }
    assert!(!state(dir.path()).exists(), "nothing was written");
}

#[test]
fn create_list_show_and_refuse_duplicates() {
    let dir = branch_project();
    for name in ["fix-price", "feat_new_join", "hotfix.2026-04-20"] {
        let out = rocky(&["branch", "create", name], dir.path());
        assert_eq!(out.code, 0, "{name}: {}", out.all());
        assert!(out.stdout.contains(&format!("branch__{name}__<schema>")), "{}", out.all());
    }
    let recorded = state(dir.path()).branch("fix-price").unwrap().expect("recorded");
    assert_eq!(recorded.schema_prefix, "branch__fix-price");
    let me = os_user();
    assert!(!me.is_empty() && me != "tester");
    assert_eq!(recorded.created_by, me, "the OS account, not $USER");

    let out = rocky(&["branch", "list"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    for name in ["fix-price", "feat_new_join", "hotfix.2026-04-20"] {
        assert!(out.stdout.contains(name), "{}", out.all());
    }
    let json = rocky(&["branch", "list", "--json"], dir.path()).json();
    assert_eq!(json["branches"].as_array().unwrap().len(), 3);

    let json = rocky(&["branch", "show", "fix-price", "--json"], dir.path()).json();
    assert_eq!(json["branch"]["name"], "fix-price");
    assert_eq!(json["branch"]["created_by"], me.as_str());
    let out = rocky(&["branch", "show", "fix-price"], dir.path());
    assert!(out.stdout.contains(&format!("created by  {me}\n")), "{}", out.all());
    let out = rocky(&["branch", "list"], dir.path());
    assert!(out.stdout.contains(&format!(" by {me}\n")), "{}", out.all());

    let out = rocky(&["branch", "create", "fix-price"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("already exists"), "{}", out.all());
}

#[test]
fn unknown_branches_point_at_branch_create() {
    let dir = branch_project();
    for args in [&["branch", "show", "nope"][..], &["branch", "delete", "nope", "--yes"]] {
        let out = rocky(args, dir.path());
        assert_eq!(out.code, 2, "{}", out.all());
        assert!(out.stderr.contains("no branch `nope`"), "{}", out.all());
        assert!(out.stderr.contains("rocky branch create nope"), "{}", out.all());
    }
    let out = rocky(&["branch", "list"], dir.path());
    assert!(out.stdout.contains("no branches"), "{}", out.all());
}

#[test]
fn delete_drops_only_this_branchs_schemas_after_confirmation() {
    let dir = branch_project();
    assert_eq!(rocky(&["branch", "create", "fix"], dir.path()).code, 0);
    assert_eq!(rocky(&["branch", "create", "fix__two"], dir.path()).code, 0);
    duck(
        dir.path(),
        r#"CREATE SCHEMA "branch__fix__main"; CREATE TABLE "branch__fix__main".t AS SELECT 1 AS x;
           CREATE SCHEMA "branch__fix__staging";
           CREATE SCHEMA "branch__fix__two__main";
           CREATE SCHEMA "branch__fixed__main";"#,
    );

    // No terminal and no --yes: refused, nothing changes.
    let out = rocky(&["branch", "delete", "fix"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("needs confirmation"), "{}", out.all());
    assert!(out.stderr.contains("rocky branch delete fix --yes"), "{}", out.all());
    assert!(schemas(dir.path()).contains(&"branch__fix__main".to_string()));
    assert!(state(dir.path()).branch("fix").unwrap().is_some());

    let out = rocky(&["branch", "delete", "fix", "--yes", "--json"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    let json = out.json();
    assert_eq!(json["dropped_schemas"], serde_json::json!(["branch__fix__main", "branch__fix__staging"]));
    let left = schemas(dir.path());
    assert!(!left.iter().any(|s| s == "branch__fix__main" || s == "branch__fix__staging"), "{left:?}");
    for kept in ["branch__fix__two__main", "branch__fixed__main", "keep_me", "main"] {
        assert!(left.contains(&kept.to_string()), "{kept} kept: {left:?}");
    }
    assert!(state(dir.path()).branch("fix").unwrap().is_none());
    assert!(state(dir.path()).branch("fix__two").unwrap().is_some());
}

/// Runs `rocky ARGS` on a pseudo-terminal (util-linux `script`), typing `answer`.
fn rocky_on_a_terminal(args: &str, answer: &str, cwd: &std::path::Path) -> (i32, String) {
    use std::io::Write;
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_rocky"));
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(cwd)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs");
    child.stdin.take().unwrap().write_all(answer.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn on_a_terminal_delete_asks_first() {
    let dir = branch_project();
    assert_eq!(rocky(&["branch", "create", "ask"], dir.path()).code, 0);
    duck(dir.path(), r#"CREATE SCHEMA "branch__ask__main";"#);

    let (code, out) = rocky_on_a_terminal("branch delete ask", "n\n", dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Drop 1 schemas (branch__ask__main) and forget branch ask? [y/N]"), "{out}");
    assert!(out.contains("nothing deleted"), "{out}");
    assert!(schemas(dir.path()).contains(&"branch__ask__main".to_string()));
    assert!(state(dir.path()).branch("ask").unwrap().is_some());

    let (code, out) = rocky_on_a_terminal("branch delete ask", "y\n", dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("deleted branch ask; dropped 1 schemas: branch__ask__main"), "{out}");
    assert!(!schemas(dir.path()).contains(&"branch__ask__main".to_string()));
    assert!(state(dir.path()).branch("ask").unwrap().is_none());
}

#[test]
fn delete_without_a_warehouse_only_forgets_the_branch() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", "select 1 as id")]);
    assert_eq!(rocky(&["branch", "create", "early"], dir.path()).code, 0);
    let out = rocky(&["branch", "delete", "early", "--yes"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("deleted branch early; dropped 0 schemas"), "{}", out.all());
    assert!(!dir.path().join("db.duckdb").exists(), "no empty database left behind");
    assert!(state(dir.path()).branch("early").unwrap().is_none());
}

#[test]
fn built_tables_are_marked_in_the_cache_and_delete_removes_the_branchs_entries() {
    let dir = common::people_project();
    let p = dir.path();
    for args in [&["branch", "create", "fix"][..], &["branch", "create", "fix__x"][..], &["run"][..]] {
        let out = rocky(args, p);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    }
    for args in [&["run", "--branch", "fix"][..], &["run", "--shadow"][..]] {
        let out = rocky(args, p);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    }
    let file = state(p);
    // An entry of a branch schema that is already gone from the warehouse, and one of the
    // longer branch `fix__x` that shares the prefix.
    let stale = |key: &str| rocky_state::CachedTable {
        key: key.into(),
        columns: Vec::new(),
        written_at_ms: 1,
        built: Some(rocky_state::BuiltTarget { model: "people".into(), branch: Some("fix".into()) }),
    };
    file.write_schemas(&[stale("db.branch__fix__gone.people"), stale("db.branch__fix__x__main.people")]).unwrap();
    let built = |key: &str| {
        let cache = file.read_schema_cache().unwrap();
        let entry = cache.into_iter().find(|t| t.key == key).unwrap_or_else(|| panic!("{key} is cached"));
        entry.built.map(|b| (b.model, b.branch))
    };
    assert_eq!(built("db.raw.people"), None, "a source");
    assert_eq!(built("db.main.people"), Some(("people".into(), None)));
    assert_eq!(built("db.branch__fix__main.shout"), Some(("shout".into(), Some("fix".into()))));
    assert_eq!(built("db.rocky_shadow.main__people"), Some(("people".into(), Some("shadow:rocky_shadow".into()))));
    // A later run's source scan of `main` does not lose the mark.
    assert_eq!(rocky(&["run"], p).code, 0);
    assert_eq!(built("db.main.people"), Some(("people".into(), None)));

    let out = rocky(&["branch", "delete", "fix", "--yes", "--json"], p);
    assert_eq!(out.code, 0, "{}", out.all());
    let json = out.json();
    assert_eq!(json["dropped_schemas"], serde_json::json!(["branch__fix__main"]));
    assert_eq!(json["removed_cache_entries"], 3, "two built tables and the gone schema's entry");
    let keys: Vec<String> = file.read_schema_cache().unwrap().into_iter().map(|t| t.key).collect();
    assert!(
        keys.iter().all(|k| !k.starts_with("db.branch__fix__main.") && !k.starts_with("db.branch__fix__gone.")),
        "{keys:?}"
    );
    for kept in ["db.branch__fix__x__main.people", "db.main.people", "db.raw.people", "db.rocky_shadow.main__people"] {
        assert!(keys.iter().any(|k| k == kept), "{kept} is kept: {keys:?}");
    }
}
