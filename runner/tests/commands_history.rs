//! `rocky history` and `rocky replay` on a state file filled through the state crate.

mod common;

use common::{project, rocky, state, CONFIG};
use rocky_state::{ModelRun, ModelStatus, RunStatus, StateFile};

fn model_run(model: &str, status: ModelStatus, error: Option<&str>) -> ModelRun {
    ModelRun {
        model: model.into(),
        target: format!("db.main.{model}"),
        strategy: "table".into(),
        sql_hash: format!("hash-of-{model}"),
        rows: (status == ModelStatus::Succeeded).then_some(42),
        started_at_ms: 1_700_000_000_000,
        duration_ms: 1_500,
        status,
        error: error.map(str::to_string),
        tests: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Two runs: a finished partial one (ok, failed, skipped) and a later one that never finished.
fn filled() -> (tempfile::TempDir, String, String) {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", "select 1 as id")]);
    let file: StateFile = state(dir.path());
    let first = common::started_run(1_700_000_000_000, "cli", Some("fix-price"));
    file.start_run(&first).unwrap();
    file.record_model_run(&first.id, &model_run("orders", ModelStatus::Succeeded, None)).unwrap();
    file.record_model_run(&first.id, &model_run("payments", ModelStatus::Failed, Some("Binder Error: column x")))
        .unwrap();
    file.record_model_run(&first.id, &model_run("revenue", ModelStatus::Skipped, None)).unwrap();
    file.finish_run(&first.id, RunStatus::Partial, 1_700_000_004_000).unwrap();
    let second = common::started_run(1_700_000_100_000, "ci", None);
    file.start_run(&second).unwrap();
    (dir, first.id, second.id)
}

#[test]
fn history_lists_runs_newest_first_with_counts() {
    let (dir, first, second) = filled();
    let out = rocky(&["history"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[1].contains(&second) && lines[1].contains("did not finish"), "{}", out.all());
    assert!(lines[2].contains(&first), "{}", out.all());
    assert!(lines[2].contains("partial") && lines[2].contains("fix-price"), "{}", out.all());
    assert!(lines[2].contains("1 ok, 1 failed, 1 skipped") && lines[2].contains("4.0 s"), "{}", out.all());

    let json = rocky(&["history", "--json"], dir.path()).json();
    let runs = json["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["id"], second.as_str());
    assert_eq!(runs[0]["did_not_finish"], true);
    assert_eq!(runs[1]["models"], serde_json::json!({"succeeded": 1, "failed": 1, "skipped": 1}));
    assert_eq!(runs[1]["duration_ms"], 4000);

    let json = rocky(&["history", "--limit", "1", "--json"], dir.path()).json();
    assert_eq!(json["runs"].as_array().unwrap().len(), 1);
}

#[test]
fn replay_shows_each_model_of_a_run() {
    let (dir, first, second) = filled();
    let out = rocky(&["replay", &first], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    out.assert_stdout_has(&[
        "partial",
        "on branch fix-price",
        "orders → db.main.orders",
        "hash-of-payments",
        "Binder Error: column x",
        "rows 42",
        "1.5 s",
        "skipped",
    ]);
    let json = rocky(&["replay", "latest", "--json"], dir.path()).json();
    assert_eq!(json["id"], second.as_str());
    assert_eq!(json["did_not_finish"], true);

    let json = rocky(&["replay", &first, "--model", "payments", "--json"], dir.path()).json();
    let models = json["models"].as_array().unwrap();
    assert_eq!(models.len(), 1);
    assert_eq!(models[0]["status"], "failed");
    assert_eq!(models[0]["error"], "Binder Error: column x");
    assert_eq!(models[0]["sql_hash"], "hash-of-payments");

    let out = rocky(&["replay", &first, "--model", "nope"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("did not build a model `nope`") && out.stderr.contains("orders, payments, revenue"),
        "{}",
        out.all()
    );
}

#[test]
fn unknown_runs_point_at_history() {
    let (dir, _, _) = filled();
    let out = rocky(&["replay", "20990101-nope"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("no run `20990101-nope`"), "{}", out.all());
    assert!(out.stderr.contains("rocky history"), "{}", out.all());

    let empty = project(&[("rocky.toml", CONFIG), ("models/a.sql", "select 1 as id")]);
    let out = rocky(&["history"], empty.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("no runs recorded"), "{}", out.all());
    let out = rocky(&["replay", "latest"], empty.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("no run recorded yet") && out.stderr.contains("rocky history"), "{}", out.all());
    assert!(!state(empty.path()).exists());
}

#[test]
fn history_and_replay_of_a_real_partial_run() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/people.sql", "select id, name from raw.people"),
        ("models/bad.sql", "select cast(name as integer) as n from people"),
        ("models/after_bad.sql", "select n + 1 as m from bad"),
    ]);
    common::duck(dir.path(), "CREATE SCHEMA raw; CREATE TABLE raw.people AS SELECT 1 AS id, 'ada' AS name;");
    let run = rocky(&["run"], dir.path());
    assert_ne!(run.code, 0, "a failed model fails the run: {}", run.all());

    let json = rocky(&["history", "--json"], dir.path()).json();
    let runs = json["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{json}");
    assert_eq!(runs[0]["status"], "partial");
    assert_eq!(runs[0]["models"], serde_json::json!({"succeeded": 1, "failed": 1, "skipped": 1}));

    let out = rocky(&["replay", "latest", "--model", "bad"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("bad → db.main.bad") && out.stdout.contains("failed"), "{}", out.all());
    assert!(out.stdout.contains("error: Conversion Error"), "{}", out.all());
    let json = rocky(&["replay", "latest", "--json"], dir.path()).json();
    let statuses: Vec<&str> =
        json["models"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["succeeded", "failed", "skipped"]);
}

#[test]
fn shadow_branch_and_production_runs_are_told_apart() {
    let dir = common::people_project();
    let p = dir.path();
    assert_eq!(rocky(&["branch", "create", "fix"], p).code, 0);
    for args in [&["run"][..], &["run", "--branch", "fix"][..], &["run", "--shadow"][..]] {
        let out = rocky(args, p);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    }
    let out = rocky(&["history"], p);
    assert_eq!(out.code, 0, "{}", out.all());
    let lines: Vec<&str> = out.stdout.lines().skip(1).take(3).collect();
    let column = |line: &str| line.split_whitespace().nth(8).map(str::to_string);
    let shown: Vec<Option<String>> = lines.iter().map(|l| column(l)).collect();
    assert_eq!(
        shown,
        [Some("shadow:rocky_shadow".to_string()), Some("fix".to_string()), Some("-".to_string())],
        "newest first: {}",
        out.all()
    );

    let json = rocky(&["history", "--json"], p).json();
    let runs = json["runs"].as_array().unwrap();
    let where_built: Vec<(serde_json::Value, serde_json::Value)> =
        runs.iter().map(|r| (r["branch"].clone(), r["shadow_schema"].clone())).collect();
    assert_eq!(
        where_built,
        [
            (serde_json::json!(null), serde_json::json!("rocky_shadow")),
            (serde_json::json!("fix"), serde_json::json!(null)),
            (serde_json::json!(null), serde_json::json!(null))
        ]
    );

    let out = rocky(&["replay", "latest"], p);
    assert!(out.stdout.contains("on shadow schema rocky_shadow"), "{}", out.all());
    let json = rocky(&["replay", "latest", "--json"], p).json();
    assert_eq!(
        (json["branch"].clone(), json["shadow_schema"].clone()),
        (serde_json::json!(null), serde_json::json!("rocky_shadow"))
    );
}
