//! Every table round-trips through a real redb file; reads of a missing file do not create it.

mod common;

use common::{model_run, run, table};
use rocky_state::{
    branch_schema_prefix, new_run_id, Branch, ModelStatus, RunStatus, StateError, StateFile, Watermark, LATEST_RUN,
};

fn state() -> (tempfile::TempDir, StateFile) {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path().join("nested/models/.rocky-state.redb"));
    (dir, file)
}

#[test]
fn missing_file_reads_as_empty_and_is_not_created() {
    let (_dir, s) = state();
    assert!(s.read_schema_cache().unwrap().is_empty());
    assert_eq!(s.clear_schema_cache(false).unwrap(), 0);
    assert_eq!(s.clear_schema_cache(true).unwrap(), 0);
    assert!(s.runs(10).unwrap().is_empty());
    assert_eq!(s.run(LATEST_RUN).unwrap(), None);
    assert!(s.last_model_runs().unwrap().is_empty());
    assert!(s.branches().unwrap().is_empty());
    assert_eq!(s.branch("x").unwrap(), None);
    assert!(!s.delete_branch("x").unwrap());
    assert_eq!(s.watermark("m").unwrap(), None);
    assert!(s.watermarks().unwrap().is_empty());
    assert!(!s.exists());
    assert!(!s.path().parent().unwrap().exists(), "no folder created by reads");
}

#[test]
fn schema_cache_round_trips_with_lower_cased_keys() {
    let (_dir, s) = state();
    let orders = table("Playground.Main.Orders", &[("id", "INTEGER", false), ("Amount", "DECIMAL(18,3)", true)], 10);
    let customers = table("playground.main.customers", &[("name", "VARCHAR", true)], 11);
    s.write_schemas(&[orders.clone(), customers.clone()]).unwrap();
    assert!(s.exists(), "the first write creates the file and its folders");

    let read = s.read_schema_cache().unwrap();
    let expected_orders = rocky_state::CachedTable { key: "playground.main.orders".to_string(), ..orders };
    assert_eq!(read, vec![customers.clone(), expected_orders.clone()]);

    // A second write replaces by key and keeps the others.
    let orders2 = table("PLAYGROUND.MAIN.ORDERS", &[("id", "BIGINT", false)], 20);
    s.write_schemas(std::slice::from_ref(&orders2)).unwrap();
    let read = s.read_schema_cache().unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read[1].key, "playground.main.orders");
    assert_eq!(read[1].columns, orders2.columns);
    assert_eq!(read[1].written_at_ms, 20);
}

#[test]
fn clear_schema_cache_dry_run_counts_without_removing() {
    let (_dir, s) = state();
    s.write_schemas(&[table("a.b.c", &[], 1), table("a.b.d", &[], 1), table("a.b.e", &[], 1)]).unwrap();
    s.set_watermark("m", "2026-01-01", 5).unwrap();
    assert_eq!(s.clear_schema_cache(true).unwrap(), 3);
    assert_eq!(s.read_schema_cache().unwrap().len(), 3);
    assert_eq!(s.clear_schema_cache(false).unwrap(), 3);
    assert!(s.read_schema_cache().unwrap().is_empty());
    assert_eq!(s.clear_schema_cache(false).unwrap(), 0);
    assert!(s.watermark("m").unwrap().is_some(), "other tables are kept");
}

#[test]
fn run_history_round_trips_newest_first() {
    let (_dir, s) = state();
    let first = run(&new_run_id(1_000), 1_000);
    s.start_run(&first).unwrap();
    s.record_model_run(&first.id, &model_run("orders", 1_001, ModelStatus::Succeeded)).unwrap();
    s.record_model_run(&first.id, &model_run("customers", 1_002, ModelStatus::Failed)).unwrap();
    s.finish_run(&first.id, RunStatus::Partial, 1_010).unwrap();

    let second = run(&new_run_id(2_000), 2_000);
    s.start_run(&second).unwrap();
    s.record_model_run(&second.id, &model_run("orders", 2_001, ModelStatus::Succeeded)).unwrap();

    let runs = s.runs(10).unwrap();
    assert_eq!(runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![second.id.as_str(), first.id.as_str()]);
    let got_first = &runs[1];
    assert_eq!(got_first.status, RunStatus::Partial);
    assert_eq!(got_first.finished_at_ms, Some(1_010));
    assert_eq!(
        got_first.models,
        vec![model_run("orders", 1_001, ModelStatus::Succeeded), model_run("customers", 1_002, ModelStatus::Failed)]
    );
    assert!(!got_first.did_not_finish());
    assert!(runs[0].did_not_finish(), "a run with no end is shown as 'did not finish'");

    assert_eq!(s.runs(1).unwrap().len(), 1);
    assert_eq!(s.run(LATEST_RUN).unwrap().unwrap().id, second.id);
    assert_eq!(s.run(&first.id).unwrap().as_ref(), Some(got_first));
    assert_eq!(s.run("no-such-run").unwrap(), None);

    let last = s.last_model_runs().unwrap();
    assert_eq!(last.len(), 2);
    assert_eq!(last["orders"].run_id, second.id);
    assert_eq!(last["orders"].run_started_at_ms, 2_000);
    assert_eq!(last["orders"].model_run, model_run("orders", 2_001, ModelStatus::Succeeded));
    assert_eq!(last["customers"].run_id, first.id);
    assert_eq!(last["customers"].model_run.status, ModelStatus::Failed);
}

#[test]
fn start_run_stores_models_given_up_front() {
    let (_dir, s) = state();
    let mut r = run("0000000000001-aaaaaaaa", 1);
    r.models = vec![model_run("a", 2, ModelStatus::Skipped)];
    s.start_run(&r).unwrap();
    s.record_model_run(&r.id, &model_run("b", 3, ModelStatus::Succeeded)).unwrap();
    assert_eq!(s.run(&r.id).unwrap().unwrap().models.iter().map(|m| m.model.as_str()).collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn run_errors_name_the_run() {
    let (_dir, s) = state();
    let r = run("0000000000001-aaaaaaaa", 1);
    s.start_run(&r).unwrap();
    assert!(matches!(s.start_run(&r), Err(StateError::RunExists { .. })));
    let err = s.record_model_run("missing", &model_run("a", 1, ModelStatus::Succeeded)).unwrap_err();
    assert!(matches!(err, StateError::UnknownRun { ref id } if id == "missing"), "{err}");
    assert!(err.to_string().contains("start_run"), "{err}");
    assert!(matches!(s.finish_run("missing", RunStatus::Failed, 2), Err(StateError::UnknownRun { .. })));
    // The failed calls committed nothing.
    assert_eq!(s.runs(10).unwrap().len(), 1);
    assert!(s.last_model_runs().unwrap().is_empty());
}

#[test]
fn run_ids_sort_by_time_and_are_unique() {
    let a = new_run_id(1_764_063_483_000);
    let b = new_run_id(1_764_063_483_000);
    let c = new_run_id(1_764_063_483_001);
    assert_ne!(a, b);
    assert!(a < c && b < c);
    assert!(new_run_id(999) < new_run_id(1_000), "fixed width keeps string order = time order");
}

#[test]
fn single_and_batched_model_runs_append_in_order() {
    let (_dir, s) = state();
    let r = run("0000000000001-aaaaaaaa", 1);
    s.start_run(&r).unwrap();
    let models: Vec<_> = (0..520u64).map(|i| model_run(&format!("m{i:04}"), 10 + i, ModelStatus::Succeeded)).collect();
    for m in &models[..10] {
        s.record_model_run(&r.id, m).unwrap();
    }
    s.record_model_runs(&r.id, &models[10..510]).unwrap();
    for m in &models[510..] {
        s.record_model_run(&r.id, m).unwrap();
    }
    assert_eq!(s.run(&r.id).unwrap().unwrap().models, models, "kept in recording order");
    assert_eq!(s.last_model_runs().unwrap().len(), 520);
    // A model built again in a later run points at the later run.
    let later = run("0000000000002-bbbbbbbb", 2);
    s.start_run(&later).unwrap();
    s.record_model_runs(&later.id, &[model_run("m0003", 900, ModelStatus::Failed)]).unwrap();
    let last = s.last_model_runs().unwrap();
    assert_eq!(last["m0003"].run_id, later.id);
    assert_eq!(last["m0004"].run_id, r.id);
}

#[test]
fn branches_round_trip() {
    let (_dir, s) = state();
    let b = Branch {
        name: "fix-price".to_string(),
        schema_prefix: branch_schema_prefix("fix-price"),
        created_at_ms: 5,
        created_by: "ana".to_string(),
    };
    s.create_branch(&b).unwrap();
    assert_eq!(b.schema_prefix, "branch__fix-price");
    let err = s.create_branch(&b).unwrap_err();
    assert!(matches!(err, StateError::BranchExists { ref name } if name == "fix-price"));
    assert!(err.to_string().contains("already exists"), "{err}");
    let bad = Branch { name: "a/b".to_string(), ..b.clone() };
    assert!(matches!(s.create_branch(&bad), Err(StateError::InvalidBranchName(_))));

    let b2 =
        Branch { name: "feat_new_join".to_string(), schema_prefix: branch_schema_prefix("feat_new_join"), ..b.clone() };
    s.create_branch(&b2).unwrap();
    assert_eq!(s.branches().unwrap(), vec![b2.clone(), b.clone()]);
    assert_eq!(s.branch("fix-price").unwrap(), Some(b.clone()));
    assert!(s.delete_branch("fix-price").unwrap());
    assert!(!s.delete_branch("fix-price").unwrap());
    assert_eq!(s.branches().unwrap(), vec![b2]);
}

#[test]
fn watermarks_round_trip() {
    let (_dir, s) = state();
    s.set_watermark("events", "2026-04-01T00:00:00", 10).unwrap();
    s.set_watermark("clicks", "41", 11).unwrap();
    s.set_watermark("events", "2026-04-02T00:00:00", 12).unwrap();
    assert_eq!(
        s.watermark("events").unwrap(),
        Some(Watermark { value: "2026-04-02T00:00:00".to_string(), updated_at_ms: 12 })
    );
    let all = s.watermarks().unwrap();
    assert_eq!(
        all.iter().map(|(m, w)| (m.as_str(), w.value.as_str())).collect::<Vec<_>>(),
        [("clicks", "41"), ("events", "2026-04-02T00:00:00")]
    );
}

#[test]
fn records_serialize_to_json_for_the_cli() {
    let mut r = run("0000000000001-aaaaaaaa", 1);
    r.models = vec![model_run("a", 2, ModelStatus::Failed)];
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["status"], "running");
    assert_eq!(json["models"][0]["status"], "failed");
    assert_eq!(serde_json::from_value::<rocky_state::RunRecord>(json).unwrap(), r);
}
