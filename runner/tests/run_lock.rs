//! Two processes and one DuckDB file: `rocky run` waits for a process holding the warehouse
//! file (saying which), runs once it is free, and refuses with exit 75 when it is not freed in
//! time. The holder is a real second process (this test binary, re-run as a helper).

mod run_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use run_support::*;

const DB: &str = "w.duckdb";
const TOML: &str = "[adapter]\ntype = \"duckdb\"\npath = \"w.duckdb\"\n\n[pipeline.p]\nmodels = \"models/**\"\n";
const HOLD_ENV: &str = "ROCKY_TEST_HOLD_DUCKDB";

/// The helper: with `ROCKY_TEST_HOLD_DUCKDB` set, opens that DuckDB file, says `holding`, and
/// keeps it open until its stdin closes. Without it (a normal test run) it does nothing.
#[test]
fn hold_duckdb_helper() {
    let Some(path) = std::env::var_os(HOLD_ENV) else { return };
    let conn = duckdb::Connection::open(path).expect("the helper opens the file");
    println!("holding");
    std::io::stdout().flush().expect("flush");
    let mut rest = String::new();
    let _ = std::io::stdin().read_to_string(&mut rest);
    drop(conn);
}

/// A second process holding `dir/w.duckdb` open; returns once it holds it.
struct Holder {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Kept open (and drained at the end) so the helper's last lines do not hit a closed pipe.
    stdout: BufReader<ChildStdout>,
}

impl Holder {
    fn start(dir: &Path) -> Holder {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "hold_duckdb_helper", "--nocapture", "--test-threads=1"])
            .env(HOLD_ENV, dir.join(DB))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("helper starts");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut seen = String::new();
        // libtest prints `test hold_duckdb_helper ... ` on the same line.
        while !seen.trim_end().ends_with("holding") {
            let mut line = String::new();
            assert!(stdout.read_line(&mut line).expect("read") > 0, "the helper did not get hold of the file: {seen}");
            seen = line;
        }
        Holder { child, stdin, stdout }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Lets go of the file and waits for the helper to end.
    fn release(&mut self) {
        drop(self.stdin.take());
        let mut rest = String::new();
        let _ = self.stdout.read_to_string(&mut rest);
        let status = self.child.wait().expect("helper ends");
        assert!(status.success(), "helper: {status}");
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            self.release();
        }
    }
}

fn people() -> tempfile::TempDir {
    let dir = project(&[("rocky.toml", TOML), ("models/people.sql", "select id, name from raw.people")]);
    sql(dir.path(), DB, "create schema raw; create table raw.people (id int not null, name varchar); insert into raw.people values (1, 'ada');");
    dir
}

#[test]
fn a_held_warehouse_is_refused_after_the_wait_with_exit_75() {
    let dir = people();
    let p = dir.path();
    let holder = Holder::start(p);
    let (code, doc, out) = run_json(p, &["--lock-wait", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code, 75, "{}", text(&out));
    let waiting = format!("waiting for another process (PID {}) holding {}", holder.pid(), p.join(DB).display());
    assert_eq!(stderr.matches(&waiting).count(), 1, "one waiting line naming the holder: {stderr}");
    assert!(stderr.contains("is in use by another process"), "{stderr}");
    assert!(stderr.contains("= help: run again once the other process is done"), "{stderr}");
    assert_eq!(doc["status"], "refused", "{doc:#}");
    assert_eq!(doc["error"]["exit_code"], 75, "{doc:#}");
    assert!(doc["models"].as_array().expect("models").is_empty());
    drop(holder);
    assert!(state(p).runs(10).unwrap_or_default().is_empty(), "a refused run is not recorded");
}

#[test]
fn a_run_waits_for_the_holder_and_then_builds() {
    let dir = people();
    let p = dir.path();
    let mut holder = Holder::start(p);
    let mut run = Command::new(env!("CARGO_BIN_EXE_rocky"))
        .current_dir(p)
        .args(["run", "--lock-wait", "300"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rocky starts");
    // Release the file only once rocky says it waits for it.
    let mut stderr = BufReader::new(run.stderr.take().expect("stderr"));
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).expect("read") > 0, "rocky ended without waiting: {seen}");
        seen.push_str(&line);
        if line.contains("waiting for another process") {
            break;
        }
    }
    assert!(seen.contains(&format!("(PID {})", holder.pid())), "{seen}");
    holder.release();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("read");
    let status = run.wait().expect("rocky ends");
    assert_eq!(status.code(), Some(0), "{seen}{rest}");
    assert!(!rest.contains("waiting for another process"), "said once: {rest}");
    assert_eq!(int(p, DB, "select count(*) from main.people"), 1);
}
