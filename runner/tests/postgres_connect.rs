//! Connecting to a real PostgreSQL server: the `url` form, libpq's environment and `~/.pgpass`
//! standing in for unset keys, and the failures users hit — wrong password, an unset password
//! variable, a server that is not there, a database other than rocky.toml's catalog — each with
//! what to do.

mod pg_support;

use pg_support::*;

const MODEL: (&str, &str) = ("models/one.sql", "select 1 as x");

fn write_config(dir: &std::path::Path, adapter: &str) {
    std::fs::write(dir.join("rocky.toml"), format!("[adapter]\ntype = \"postgres\"\n{adapter}\n")).unwrap();
}

#[test]
fn the_url_form_and_libpq_environment_connect() {
    let db = TestDb::create();
    let s = &db.server;
    let dir = db.project(&[MODEL]);
    let p = dir.path();

    write_config(p, &format!("url = \"postgres://{}@{}:{}/{}\"", s.user, s.host, s.port, db.name));
    let out = rocky_cmd(p, &["run"]).env("PGPASSWORD", &s.password).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Only the database in the file; host, port, user and password from PG* variables.
    write_config(p, &format!("dbname = \"{}\"", db.name));
    let out = rocky_cmd(p, &["run"])
        .env("PGHOST", &s.host)
        .env("PGPORT", s.port.to_string())
        .env("PGUSER", &s.user)
        .env("PGPASSWORD", &s.password)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // The password from a password file (PGPASSFILE, mode 0600).
    let pgpass = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pgpass.path(), format!("{}:{}:*:{}:{}\n", s.host, s.port, s.user, s.password)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(pgpass.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    write_config(
        p,
        &format!("host = \"{}\"\nport = {}\nuser = \"{}\"\ndbname = \"{}\"", s.host, s.port, s.user, db.name),
    );
    let out = rocky_cmd(p, &["run"]).env("PGPASSFILE", pgpass.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(db.int("SELECT count(*) FROM public.one"), 1);
}

#[test]
fn a_wrong_or_missing_password_says_where_it_came_from() {
    let db = TestDb::create();
    let dir = db.project(&[MODEL]);
    let p = dir.path();
    let out = rocky_cmd(p, &["run"]).env("ROCKY_TEST_PG_PASSWORD", "wrong").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr.contains("password authentication failed"), "{stderr}");
    assert!(stderr.contains("ROCKY_TEST_PG_PASSWORD (password_env)") && stderr.contains("pg_hba.conf"), "{stderr}");

    let out = rocky_cmd(p, &["run", "--json"]).env_remove("ROCKY_TEST_PG_PASSWORD").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "refused");
    let hint = doc["error"]["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("ROCKY_TEST_PG_PASSWORD, which is not set"), "{doc}");
}

#[test]
fn a_server_that_is_not_there_says_to_check_host_and_port() {
    let db = TestDb::create();
    let dir = db.project(&[MODEL]);
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    write_config(
        dir.path(),
        &format!("host = \"127.0.0.1\"\nport = {port}\ndbname = \"{}\"\nconnect_timeout = 2", db.name),
    );
    let out = rocky(dir.path(), &["run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr.contains(&format!("127.0.0.1:{port}")) && stderr.contains("refused"), "{stderr}");
    assert!(stderr.contains("is the server running? check `host` and `port`"), "{stderr}");
    let out = rocky(dir.path(), &["discover"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn a_database_other_than_the_catalog_is_refused_with_the_key_to_set() {
    let db = TestDb::create();
    let s = &db.server;
    let dir = db.project(&[MODEL]);
    // No dbname: the catalog is the user name, but PGDATABASE points elsewhere.
    write_config(dir.path(), &format!("host = \"{}\"\nport = {}\nuser = \"{}\"", s.host, s.port, s.user));
    let out =
        rocky_cmd(dir.path(), &["run"]).env("PGDATABASE", &db.name).env("PGPASSWORD", &s.password).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr.contains(&format!("set dbname = \"{}\"", db.name)), "{stderr}");
}
