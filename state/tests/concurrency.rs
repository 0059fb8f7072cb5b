//! Another process holding the file, a writer committing in a loop, and `kill -9` of a writer.
//! Child processes are this test binary re-run with `ROCKY_STATE_TEST_CHILD` set (see
//! `child_process_entry`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{model_run, run, table};
use rocky_state::{new_run_id, ModelStatus, RetryPolicy, RunStatus, StateError, StateFile};

const CHILD_ROLE: &str = "ROCKY_STATE_TEST_CHILD";
const CHILD_PATH: &str = "ROCKY_STATE_TEST_PATH";
const CHILD_ARG: &str = "ROCKY_STATE_TEST_ARG";
const MODELS_PER_RUN: usize = 3;

/// Not a test of its own: the body of the child processes. Does nothing in a normal test run.
#[test]
fn child_process_entry() {
    let Ok(role) = std::env::var(CHILD_ROLE) else { return };
    let path = PathBuf::from(std::env::var(CHILD_PATH).unwrap());
    let arg: u64 = std::env::var(CHILD_ARG).unwrap().parse().unwrap();
    match role.as_str() {
        "hold" => hold(&path, arg),
        "writer" => write_runs(&path, arg),
        other => panic!("unknown child role {other}"),
    }
    std::process::exit(0);
}

/// Open the database directly, say so through `<path>.ready`, and keep it open for `ms`.
fn hold(path: &Path, ms: u64) {
    let db = redb::Database::create(path).unwrap();
    std::fs::write(ready_marker(path), b"").unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    drop(db);
}

/// Record `runs` complete runs (start, models one by one, finish, schema cache), as the runner does.
fn write_runs(path: &Path, runs: u64) {
    let s = StateFile::new(path);
    let base = std::process::id() as u64 * 1_000_000;
    for i in 0..runs {
        let id = new_run_id(base + i);
        s.start_run(&run(&id, base + i)).unwrap();
        for m in 0..MODELS_PER_RUN {
            s.record_model_run(&id, &model_run(&format!("m{m}"), base + i, ModelStatus::Succeeded)).unwrap();
        }
        s.finish_run(&id, RunStatus::Succeeded, base + i + 1).unwrap();
        s.write_schemas(&[table("w.main.t", &[("i", "BIGINT", false)], i)]).unwrap();
    }
}

fn ready_marker(path: &Path) -> PathBuf {
    path.with_extension("ready")
}

/// Kills the child if the test fails before it ends, so it never outlives its temp folder.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn spawn_child(role: &str, path: &Path, arg: u64) -> ChildGuard {
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_process_entry", "--nocapture", "--test-threads=1"])
        .env(CHILD_ROLE, role)
        .env(CHILD_PATH, path)
        .env(CHILD_ARG, arg.to_string())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    ChildGuard(child)
}

/// Spawn a child that holds the file for `ms` and wait until it has it open.
fn spawn_holder(path: &Path, ms: u64) -> ChildGuard {
    let _ = std::fs::remove_file(ready_marker(path));
    let mut child = spawn_child("hold", path, ms);
    while !ready_marker(path).exists() {
        assert!(child.0.try_wait().unwrap().is_none(), "holder exited early");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

fn seeded_state() -> (tempfile::TempDir, StateFile) {
    let dir = tempfile::tempdir().unwrap();
    let s = StateFile::new(dir.path().join(".rocky-state.redb"));
    s.write_schemas(&[table("p.main.orders", &[("id", "INTEGER", false)], 1)]).unwrap();
    (dir, s)
}

#[test]
fn a_call_waits_for_another_process_and_succeeds() {
    let (_dir, s) = seeded_state();
    let mut holder = spawn_holder(s.path(), 1_000);
    let impatient = s.clone().with_retry(RetryPolicy::no_retry());
    assert!(matches!(impatient.read_schema_cache(), Err(StateError::Busy { .. })), "the child holds the lock");

    let read = s.read_schema_cache().unwrap();
    assert_eq!(read.len(), 1);
    s.set_watermark("m", "v", 2).unwrap();
    assert!(holder.0.wait().unwrap().success());
    assert_eq!(s.watermark("m").unwrap().unwrap().value, "v");
}

#[test]
fn held_longer_than_the_policy_gives_busy_with_a_hint() {
    let (_dir, s) = seeded_state();
    let mut holder = spawn_holder(s.path(), 30_000);
    let short = s.clone().with_retry(RetryPolicy::with_total_wait(Duration::from_millis(300)));
    let read_err = short.read_schema_cache().unwrap_err();
    let write_err = short.set_watermark("m", "v", 1).unwrap_err();
    holder.0.kill().unwrap();
    holder.0.wait().unwrap();
    for e in [read_err, write_err] {
        let StateError::Busy { path, hint } = &e else { panic!("expected Busy, got {e:?}") };
        assert_eq!(path, s.path());
        assert!(hint.contains("Another process") && hint.contains("try again"), "{hint}");
        assert!(e.to_string().contains("is busy"), "{e}");
    }
    assert!(!s.watermarks().unwrap().iter().any(|(m, _)| m == "m"), "nothing written while busy");
}

#[test]
fn a_handle_in_this_process_is_waited_for_too() {
    let (_dir, s) = seeded_state();
    let db = redb::Database::open(s.path()).unwrap();
    let impatient = s.clone().with_retry(RetryPolicy::no_retry());
    assert!(matches!(impatient.runs(1), Err(StateError::Busy { .. })));
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(db);
    });
    assert_eq!(s.read_schema_cache().unwrap().len(), 1);
    releaser.join().unwrap();
}

#[test]
fn reads_never_fail_while_another_process_writes_in_a_loop() {
    let (_dir, s) = seeded_state();
    const RUNS: u64 = 6;
    let mut writer = spawn_child("writer", s.path(), RUNS);
    let mut reads = 0;
    while writer.0.try_wait().unwrap().is_none() {
        let runs = s.runs(3).unwrap();
        assert!(runs.iter().all(|r| r.models.len() <= MODELS_PER_RUN));
        assert!(!s.read_schema_cache().unwrap().is_empty());
        s.last_model_runs().unwrap();
        reads += 1;
    }
    assert!(writer.0.wait().unwrap().success(), "the writer never failed either");
    assert!(reads > 0);
    let runs = s.runs(100).unwrap();
    assert_eq!(runs.len() as u64, RUNS);
    assert!(runs.iter().all(|r| r.status == RunStatus::Succeeded && r.models.len() == MODELS_PER_RUN));
}

#[test]
fn kill_9_of_a_writer_loses_at_most_the_transaction_in_flight() {
    let (_dir, s) = seeded_state();
    let mut finished_before = 0;
    for round in 0..3u64 {
        let mut writer = spawn_child("writer", s.path(), u64::MAX);
        // Let it get some runs done, then kill it at an arbitrary point.
        let seen_before_kill = loop {
            let seen = s.runs(usize::MAX).unwrap().len();
            if seen >= finished_before + 3 {
                break seen;
            }
            assert!(writer.0.try_wait().unwrap().is_none(), "writer died on its own");
            std::thread::sleep(Duration::from_millis(10));
        };
        std::thread::sleep(Duration::from_millis(fastrand_ms(round)));
        writer.0.kill().unwrap(); // SIGKILL
        writer.0.wait().unwrap();

        // Our read opens it (repairing what the crash left), and it passes redb's integrity check.
        let runs = s.runs(usize::MAX).unwrap();
        let mut db = redb::Database::open(s.path()).unwrap();
        assert!(db.check_integrity().unwrap(), "round {round}");
        drop(db);

        assert!(runs.len() >= seen_before_kill, "committed runs survive the kill");
        let unfinished: Vec<_> = runs.iter().filter(|r| r.did_not_finish()).collect();
        assert!(unfinished.len() <= round as usize + 1, "at most one unfinished run per kill");
        for r in &runs {
            let names: Vec<_> = r.models.iter().map(|m| m.model.clone()).collect();
            let expected: Vec<_> = (0..names.len()).map(|m| format!("m{m}")).collect();
            assert_eq!(names, expected, "models of {} are a prefix of what was recorded", r.id);
            if r.status == RunStatus::Succeeded {
                assert_eq!(r.models.len(), MODELS_PER_RUN, "a finished run has all its models");
                assert_eq!(r.finished_at_ms, Some(r.started_at_ms + 1));
            } else {
                assert!(r.did_not_finish(), "{r:?}");
            }
        }
        finished_before = runs.len();
        // And it takes new writes.
        s.set_watermark("after", &round.to_string(), 1).unwrap();
        assert!(s.read_schema_cache().unwrap().iter().any(|t| t.key == "p.main.orders"));
    }
}

/// A different short pause per round, so the kill lands at different points of the loop.
fn fastrand_ms(round: u64) -> u64 {
    (std::process::id() as u64 + round * 17) % 40
}
