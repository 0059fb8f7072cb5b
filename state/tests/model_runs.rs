//! The last build of each model per target (for the editor's hover): production's last run is
//! kept when a branch or shadow build is newer, and files written before the per-target table
//! existed still read (they degrade to the newest build whatever its target).

mod common;

use common::{model_run, run};
use rocky_state::{new_run_id, ModelStatus, RunRecord, StateFile};

fn record(s: &StateFile, started: u64, branch: Option<&str>, target: &str) -> String {
    let id = new_run_id(started);
    s.start_run(&RunRecord { branch: branch.map(str::to_string), ..run(&id, started) }).unwrap();
    let mut m = model_run("orders", started, ModelStatus::Succeeded);
    m.target = target.to_string();
    s.record_model_run(&id, &m).unwrap();
    id
}

#[test]
fn each_target_keeps_its_own_last_build_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = StateFile::new(dir.path().join(".rocky-state.redb"));
    let old_prod = record(&s, 1_000, None, "db.main.orders");
    let prod = record(&s, 2_000, None, "db.main.orders");
    let branch = record(&s, 3_000, Some("feature"), "db.branch__feature_main.orders");
    let shadow = record(&s, 4_000, None, "db.rocky_shadow.main__orders");
    assert_ne!(old_prod, prod);

    let by_target = s.model_runs_by_target().unwrap();
    let runs = &by_target["orders"];
    let ids: Vec<&str> = runs.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(ids, [shadow.as_str(), branch.as_str(), prod.as_str()], "one per target, newest first");
    assert_eq!(runs[1].branch.as_deref(), Some("feature"));
    assert_eq!(runs[2].branch, None);
    // The target-blind table still says the newest build (what older readers show).
    assert_eq!(s.last_model_runs().unwrap()["orders"].run_id, shadow);
}

#[test]
fn a_file_without_the_per_target_table_reads_its_newest_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".rocky-state.redb");
    let s = StateFile::new(&path);
    record(&s, 1_000, None, "db.main.orders");
    let branch = record(&s, 2_000, Some("feature"), "db.branch__feature_main.orders");
    // What an older Rocky wrote: no `model_target_latest`, and entries without `branch`.
    {
        use redb::ReadableTable;
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let def: redb::TableDefinition<(&str, &str), &[u8]> = redb::TableDefinition::new("model_target_latest");
        assert!(txn.delete_table(def).unwrap());
        let latest: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("model_latest");
        let mut table = txn.open_table(latest).unwrap();
        let mut entry: serde_json::Value =
            serde_json::from_slice(table.get("orders").unwrap().unwrap().value()).unwrap();
        entry.as_object_mut().unwrap().remove("branch");
        table.insert("orders", serde_json::to_vec(&entry).unwrap().as_slice()).unwrap();
        drop(table);
        txn.commit().unwrap();
    }
    let runs = &s.model_runs_by_target().unwrap()["orders"];
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(
        (runs[0].run_id.as_str(), runs[0].model_run.target.as_str()),
        (branch.as_str(), "db.branch__feature_main.orders")
    );
    assert_eq!(runs[0].branch, None, "unknown in an old entry");
    // Recording into the old file creates the table; the branch build it never held is replaced
    // in `model_latest` by the newer one.
    let prod = record(&s, 3_000, None, "db.main.orders");
    let shadow = record(&s, 4_000, None, "db.rocky_shadow.main__orders");
    let runs = &s.model_runs_by_target().unwrap()["orders"];
    let ids: Vec<&str> = runs.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(ids, [shadow.as_str(), prod.as_str()]);
}
