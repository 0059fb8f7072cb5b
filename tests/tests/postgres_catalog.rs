//! The checked-in PostgreSQL catalog (`analysis/src/dialect/postgres/catalog.jsonl`) is what a
//! real server says: `scripts/gen-postgres-catalog.sh --check` regenerates it from a throw-away
//! cluster of the installed PostgreSQL and diffs it with the checked-in file. A stale catalog
//! (a new server version, a generator change not rerun) fails here with that diff.

use std::path::Path;
use std::process::Command;

#[test]
fn checked_in_catalog_matches_the_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let script = root.join("scripts/gen-postgres-catalog.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg("--check")
        // The generator cargo built for this test: the script must not run cargo itself.
        .env("ROCKY_GEN_PG_CATALOG_BIN", env!("CARGO_BIN_EXE_gen-postgres-catalog"))
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{} --check failed ({}): the checked-in catalog differs from the server's, or no server \
         could be started (it needs the postgresql package, like scripts/pg-cluster.sh)\n{stdout}\n{stderr}",
        script.display(),
        output.status
    );
    assert!(stdout.contains("catalog.jsonl matches PostgreSQL"), "unexpected output:\n{stdout}\n{stderr}");
    eprintln!("{}", stdout.trim());
}
