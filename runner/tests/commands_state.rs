//! `rocky state` and `rocky state clear-schema-cache` on real state files.

mod common;

use common::{project, rocky, state, CONFIG};
use rocky_state::{Branch, CachedColumn, CachedTable, RunStatus, StateFile};

fn table(key: &str, written_at_ms: u64) -> CachedTable {
    CachedTable {
        key: key.into(),
        columns: vec![CachedColumn { name: "id".into(), type_string: "INTEGER".into(), nullable: false }],
        written_at_ms,
        built: None,
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

fn model_project() -> tempfile::TempDir {
    project(&[("rocky.toml", CONFIG), ("models/a.sql", "select 1 as id")])
}

#[test]
fn without_a_state_file_state_says_so_and_creates_nothing() {
    let dir = model_project();
    let out = rocky(&["state"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("no state file yet"), "{}", out.all());
    assert!(out.stdout.contains("models/.rocky-state.redb"), "{}", out.all());
    let json = rocky(&["state", "--json"], dir.path()).json();
    assert_eq!(json["exists"], false);
    assert_eq!(json["located_by"], "the models folder");
    assert!(!state(dir.path()).exists());
}

#[test]
fn state_shows_cache_ages_runs_branches_and_watermarks() {
    let dir = model_project();
    let file = state(dir.path());
    let now = now_ms();
    file.write_schemas(&[table("db.raw.fresh", now - 180_000), table("db.raw.old", now - 3 * 86_400_000)]).unwrap();
    file.create_branch(&Branch {
        name: "fix-price".into(),
        schema_prefix: "branch__fix-price".into(),
        created_at_ms: now,
        created_by: "alice".into(),
    })
    .unwrap();
    file.set_watermark("orders", "2024-05-08 07:10:00", now).unwrap();
    let run = common::started_run(now - 5_000, "cli", None);
    file.start_run(&run).unwrap();
    file.finish_run(&run.id, RunStatus::Succeeded, now).unwrap();

    let out = rocky(&["state"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    out.assert_stdout_has(&[
        "db.raw.fresh",
        "3 min ago",
        "db.raw.old",
        "3 days ago",
        "stale",
        "fix-price",
        "alice",
        "orders",
        "2024-05-08 07:10:00",
        run.id.as_str(),
    ]);
    // Only the old entry is stale.
    let stale_lines: Vec<&str> = out.stdout.lines().filter(|l| l.contains("stale")).collect();
    assert_eq!(stale_lines.len(), 1, "{}", out.all());
    assert!(stale_lines[0].contains("db.raw.old"));

    let json = rocky(&["state", "--json"], dir.path()).json();
    assert_eq!(json["exists"], true);
    let cache = json["schema_cache"].as_array().unwrap();
    assert_eq!(cache.len(), 2);
    assert_eq!(cache[0]["key"], "db.raw.fresh");
    assert_eq!(cache[0]["stale"], false);
    assert_eq!(cache[1]["stale"], true);
    assert_eq!(json["branches"][0]["name"], "fix-price");
    assert_eq!(json["watermarks"][0]["model"], "orders");
    assert_eq!(json["runs"][0]["id"], run.id.as_str());

    // A shorter TTL makes the fresh entry stale too.
    let json = rocky(&["--cache-ttl", "60", "state", "--json"], dir.path()).json();
    assert_eq!(json["schema_cache"][0]["stale"], true);
    assert_eq!(json["ttl_seconds"], 60);
}

#[test]
fn clear_schema_cache_dry_run_then_for_real() {
    let dir = model_project();
    let file = state(dir.path());
    file.write_schemas(&[table("db.raw.a", now_ms()), table("db.raw.b", now_ms())]).unwrap();

    let out = rocky(&["state", "clear-schema-cache", "--dry-run"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("would remove 2 schema-cache entries"), "{}", out.all());
    assert_eq!(file.read_schema_cache().unwrap().len(), 2);

    let out = rocky(&["state", "clear-schema-cache"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("removed 2 schema-cache entries"), "{}", out.all());
    assert!(file.read_schema_cache().unwrap().is_empty());

    let json = rocky(&["state", "clear-schema-cache", "--json"], dir.path()).json();
    assert_eq!(json["entries"], 0);
}

#[test]
fn clear_schema_cache_without_a_state_file_is_a_no_op() {
    let dir = model_project();
    let out = rocky(&["state", "clear-schema-cache"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("nothing to clear"), "{}", out.all());
    let out = rocky(&["state", "clear-schema-cache", "--dry-run"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!state(dir.path()).exists());
}

#[test]
fn state_path_flag_and_config_choose_the_file() {
    let dir = project(&[
        ("rocky.toml", &format!("{CONFIG}[state]\npath = \"var/rocky.redb\"\n")),
        ("models/a.sql", "select 1 as id"),
    ]);
    std::fs::create_dir_all(dir.path().join("var")).unwrap();
    StateFile::new(dir.path().join("var/rocky.redb")).write_schemas(&[table("db.raw.a", now_ms())]).unwrap();
    let out = rocky(&["state"], dir.path());
    assert!(out.stdout.contains("var/rocky.redb (chosen by [state] path in rocky.toml)"), "{}", out.all());
    assert!(out.stdout.contains("db.raw.a"), "{}", out.all());

    let out = rocky(&["--state-path", "elsewhere.redb", "state", "--json"], dir.path());
    let json = out.json();
    assert_eq!(json["located_by"], "--state-path");
    assert!(json["path"].as_str().unwrap().ends_with("elsewhere.redb"), "{}", out.all());
    assert_eq!(json["exists"], false);

    // Like `git -C`, a relative --state-path is relative to -C DIR.
    let parent = dir.path().parent().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let json = rocky(&["-C", name, "--state-path", "var/rocky.redb", "state", "--json"], parent).json();
    assert_eq!(json["exists"], true, "{json}");
    assert_eq!(json["schema_cache"][0]["key"], "db.raw.a");
}

#[test]
fn outside_a_project_every_command_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["state"][..],
        &["history"],
        &["replay", "latest"],
        &["branch", "list"],
        &["lineage", "a"],
        &["discover"],
        &["seed"],
    ] {
        let out = rocky(args, dir.path());
        assert_eq!(out.code, 2, "{args:?}: {}", out.all());
        assert!(out.stderr.contains("no rocky.toml found"), "{args:?}: {}", out.all());
        assert!(out.stderr.contains("rocky init NAME"), "{args:?}: {}", out.all());
    }
    let out = rocky(&["-C", "does-not-exist", "state"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("does not exist"), "{}", out.all());
}
