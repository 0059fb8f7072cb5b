//! TLS against a real PostgreSQL server with `ssl=on` (`scripts/pg-cluster.sh` makes a CA and a
//! certificate naming `localhost`; ROCKY_TEST_PG_SSLROOTCERT is the CA file). Each run builds a
//! model reading `pg_stat_ssl` for Rocky's own session, so the table says whether the
//! connection Rocky used was encrypted.

mod pg_support;

use std::io::{Read, Write};
use std::path::Path;

use pg_support::*;

/// Whether the connection that built it used TLS (through `raw.session_ssl`).
const MODEL: (&str, &str) = ("models/enc.sql", "select ssl from raw.session_ssl");

/// A database with the source `raw.session_ssl`: whether the session reading it uses TLS.
fn database() -> TestDb {
    let db = TestDb::create();
    db.sql(
        "CREATE SCHEMA raw; CREATE VIEW raw.session_ssl AS SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    );
    db
}

fn ca_file() -> String {
    std::env::var("ROCKY_TEST_PG_SSLROOTCERT").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!(
            "ROCKY_TEST_PG_SSLROOTCERT is not set: these tests need the TLS test server of \
             `scripts/pg-cluster.sh start /tmp/pg-test && . /tmp/pg-test/env` (or run scripts/test.sh)"
        )
    })
}

/// `rocky run` with `host` and these [adapter] lines; HOME is empty so no `~/.postgresql/root.crt`
/// counts. Returns the output and, when it passed, whether the model's connection was encrypted.
fn run(db: &TestDb, dir: &Path, host: &str, lines: &str) -> (std::process::Output, Option<bool>) {
    let config = db.config(lines).replacen(&format!("host = \"{}\"", db.server.host), &format!("host = \"{host}\""), 1);
    std::fs::write(dir.join("rocky.toml"), config).unwrap();
    let home = tempfile::tempdir().unwrap();
    // Run from elsewhere: a relative `sslrootcert` is relative to the project, not the cwd.
    let project = dir.to_string_lossy();
    let out = rocky_cmd(home.path(), &["run", &project]).env("HOME", home.path()).output().unwrap();
    let encrypted = out.status.success().then(|| db.strings("SELECT ssl::text FROM public.enc") == ["true"]);
    (out, encrypted)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn each_sslmode_encrypts_as_libpq_does() {
    let db = database();
    let dir = db.project(&[MODEL]);
    let (p, ip, ca) = (dir.path(), db.server.host.clone(), ca_file());

    for (lines, want) in [
        ("sslmode = \"require\"", true),
        ("", true), // prefer, the default: TLS since the server offers it
        ("sslmode = \"prefer\"", true),
        ("sslmode = \"disable\"", false),
    ] {
        let (out, encrypted) = run(&db, p, &ip, lines);
        assert_eq!(encrypted, Some(want), "{lines}: {}", text(&out));
    }

    // verify-full against the CA (a path relative to the project), with the host name the
    // certificate lists.
    std::fs::create_dir_all(p.join("certs")).unwrap();
    std::fs::copy(&ca, p.join("certs/ca.crt")).unwrap();
    let (out, encrypted) = run(&db, p, "localhost", "sslmode = \"verify-full\"\nsslrootcert = \"certs/ca.crt\"");
    assert_eq!(encrypted, Some(true), "{}", text(&out));
    // The same through the url's query and through PGSSLROOTCERT.
    let s = &db.server;
    let url = format!(
        "url = \"postgres://{}@localhost:{}/{}?sslmode=verify-full&sslrootcert={ca}\"",
        s.user, s.port, db.name
    );
    std::fs::write(
        p.join("rocky.toml"),
        format!("[adapter]\ntype = \"postgres\"\n{url}\npassword_env = \"ROCKY_TEST_PG_PASSWORD\"\n"),
    )
    .unwrap();
    let out = rocky_cmd(p, &["run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // verify-ca checks the issuer only: the address the certificate does not name passes.
    let (out, encrypted) = run(&db, p, &ip, &format!("sslmode = \"verify-ca\"\nsslrootcert = \"{ca}\""));
    assert_eq!(encrypted, Some(true), "{}", text(&out));
}

#[test]
fn verification_failures_say_what_to_set() {
    let db = database();
    let dir = db.project(&[MODEL]);
    let (p, ip, ca) = (dir.path(), db.server.host.clone(), ca_file());

    // No CA named: the system's roots do not trust the test CA.
    let (out, _) = run(&db, p, "localhost", "sslmode = \"verify-full\"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stderr(&out).contains("not signed by a trusted CA") && stderr(&out).contains("sslrootcert"),
        "{}",
        text(&out)
    );

    // The right CA, but the certificate names `localhost`, not the address connected to.
    let (out, _) = run(&db, p, &ip, &format!("sslmode = \"verify-full\"\nsslrootcert = \"{ca}\""));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stderr(&out).contains(&format!("does not name `{ip}`")) && stderr(&out).contains("verify-ca"),
        "{}",
        text(&out)
    );

    // Like libpq, `require` with a root certificate verifies the chain: another CA fails.
    let other_cas = "/etc/ssl/certs/ca-certificates.crt";
    if Path::new(other_cas).is_file() {
        let (out, _) = run(&db, p, &ip, &format!("sslmode = \"require\"\nsslrootcert = \"{other_cas}\""));
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(stderr(&out).contains("not signed by a trusted CA"), "{}", text(&out));
    }

    // A root certificate file that is not there.
    let (out, _) = run(&db, p, "localhost", "sslmode = \"verify-ca\"\nsslrootcert = \"/nonexistent/ca.crt\"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr(&out).contains("cannot read the root certificate file /nonexistent/ca.crt"), "{}", text(&out));
}

#[test]
fn require_against_a_server_without_tls_says_so() {
    // A server that answers the SSLRequest with `N` (as PostgreSQL with ssl=off does).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = [0u8; 8];
        socket.read_exact(&mut request).unwrap();
        socket.write_all(b"N").unwrap();
        request
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rocky.toml"),
        format!("[adapter]\ntype = \"postgres\"\nhost = \"127.0.0.1\"\nport = {port}\nsslmode = \"require\"\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::fs::write(dir.path().join("models/one.sql"), "select 1 as x").unwrap();
    let out = rocky_cmd(dir.path(), &["run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(stderr(&out).contains("does not accept TLS") && stderr(&out).contains("ssl"), "{}", text(&out));
    // The client asked for TLS: the SSLRequest code 80877103.
    assert_eq!(server.join().unwrap(), [0, 0, 0, 8, 4, 210, 22, 47]);
}
