//! `rocky init` writes a runnable project; `rocky seed` loads its sources into the real DuckDB
//! file and caches them, so `rocky check` types every model; `rocky run` builds it.

mod common;

use common::{project, rocky, CONFIG};

#[test]
fn init_seed_check_run_end_to_end() {
    let parent = tempfile::tempdir().unwrap();
    let out = rocky(&["init", "shop"], parent.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("cd shop") && out.stdout.contains("rocky seed"), "{}", out.all());
    let dir = parent.path().join("shop");
    for file in ["rocky.toml", "data/seed.sql", "models/staging/stg_orders.toml", "models/marts/customer_orders.sql"] {
        assert!(dir.join(file).is_file(), "{file}");
    }

    // Before seeding: clean, sources uncached.
    let out = rocky(&["check"], &dir);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("W110") && out.stdout.contains("checked 3 models"), "{}", out.all());

    let out = rocky(&["seed"], &dir);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("created 2 tables: warehouse.raw.customers, warehouse.raw.orders"), "{}", out.all());
    assert!(out.stdout.contains("cached the columns of 2 tables"), "{}", out.all());

    // After seeding, the sources are typed: no warnings at all.
    let out = rocky(&["check"], &dir);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("✓ checked 3 models, no errors") && !out.stdout.contains("W110"), "{}", out.all());

    let out = rocky(&["seed"], &dir);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("all 2 source tables exist; nothing to do"), "{}", out.all());
    let out = rocky(&["seed", "--force"], &dir);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("ran data/seed.sql: created 0 tables"), "{}", out.all());

    let out = rocky(&["run"], &dir);
    assert_eq!(out.code, 0, "{}", out.all());
    let history = rocky(&["history", "--json"], &dir).json();
    let runs = history["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{history}");
    assert_eq!(runs[0]["status"], "succeeded");
    assert_eq!(runs[0]["models"]["succeeded"], 3);
    let replay = rocky(&["replay", "latest", "--model", "customer_orders", "--json"], &dir).json();
    assert_eq!(replay["models"][0]["status"], "succeeded");
    assert_eq!(replay["models"][0]["target"], "warehouse.marts.customer_orders");
}

#[test]
fn init_refuses_bad_names_and_existing_folders() {
    let parent = tempfile::tempdir().unwrap();
    for name in ["a/b", "a b", "", ".hidden", "it's"] {
        let out = rocky(&["init", name], parent.path());
        assert_eq!(out.code, 2, "{name:?}: {}", out.all());
        assert!(
            out.stderr.contains("error: the project name") && out.stderr.contains("rocky init shop"),
            "{}",
            out.all()
        );
    }
    std::fs::create_dir(parent.path().join("taken")).unwrap();
    std::fs::write(parent.path().join("taken/notes.txt"), "mine").unwrap();
    let out = rocky(&["init", "taken"], parent.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("already exists and is not an empty folder"), "{}", out.all());
    assert_eq!(std::fs::read_to_string(parent.path().join("taken/notes.txt")).unwrap(), "mine");

    std::fs::create_dir(parent.path().join("empty")).unwrap();
    assert_eq!(rocky(&["init", "empty"], parent.path()).code, 0);
    // -C chooses where the project goes.
    assert_eq!(rocky(&["-C", "empty", "init", "inner"], parent.path()).code, 0);
    assert!(parent.path().join("empty/inner/rocky.toml").is_file());
}

#[test]
fn seed_without_a_seed_file_says_what_to_write() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", "select id from raw.things")]);
    let out = rocky(&["seed"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("data/seed.sql does not exist") && out.stderr.contains("db.raw.things"),
        "{}",
        out.all()
    );

    // A seed script that does not create what the models read is an error naming the table.
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/seed.sql"), "CREATE SCHEMA raw; CREATE TABLE raw.other (id INTEGER);")
        .unwrap();
    let out = rocky(&["seed"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("created 1 tables: db.raw.other"), "{}", out.all());
    assert!(out.stderr.contains("still missing: db.raw.things"), "{}", out.all());

    // A failing statement is reported with the warehouse's message.
    std::fs::write(dir.path().join("data/seed.sql"), "CREATE TABLE nowhere.t (id INTEGER);").unwrap();
    let out = rocky(&["seed"], dir.path());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("data/seed.sql failed") && out.stderr.contains("nowhere"), "{}", out.all());
}
