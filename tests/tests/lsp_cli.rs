//! How the language server is started: `rocky-lsp` command-line arguments (`--version`,
//! `--help`, `--stdio`, bad arguments), its default log level, and the `rocky lsp` subcommand
//! serving the same server. Build both binaries first: `cargo build -p rocky-lsp -p rocky-runner`.

use std::process::Command;

use rocky_tests::lsp_client::{copy_fixture, rocky_binary, server_binary, ClientOptions, LspClient};
use serde_json::json;

fn has_code(diags: &[serde_json::Value], code: &str) -> bool {
    diags.iter().any(|d| d["code"] == code)
}

#[test]
fn version_help_and_bad_arguments() {
    let out = Command::new(server_binary()).arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim_end(), format!("rocky-lsp {}", env!("CARGO_PKG_VERSION")));

    let out = Command::new(server_binary()).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Usage: rocky-lsp") && help.contains("--stdio"), "{help}");

    let out = Command::new(server_binary()).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--bogus"), "{err}");
}

/// The playground with one model reading a column that does not exist; the server at `command`
/// reports it, and exits with 0 after shutdown.
fn serves_the_playground(command: Command) {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::spawn_command(command);
    lsp.initialize(dir.path(), ClientOptions::default());
    assert_eq!(lsp.server_capabilities["experimental"]["rockyLineage"], true, "{}", lsp.server_capabilities);
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open_text(&file, "select nope from customer_orders\n");
    let diags = lsp.wait_diagnostics(&uri, |d| has_code(d, "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    assert!(e["message"].as_str().unwrap().contains("`nope`"), "{e}");
    assert_eq!(lsp.shutdown().code(), Some(0));
}

#[test]
fn the_stdio_flag_editors_pass_is_accepted() {
    let mut command = Command::new(server_binary());
    command.arg("--stdio");
    serves_the_playground(command);
}

#[test]
fn rocky_lsp_subcommand_runs_the_same_server() {
    let mut command = Command::new(rocky_binary());
    command.arg("lsp");
    serves_the_playground(command);
    let mut command = Command::new(rocky_binary());
    command.args(["lsp", "--stdio"]);
    serves_the_playground(command);
}

/// Runs a server on the playground until its first diagnostics, then shuts it down; returns
/// what it logged.
fn log_of_a_session(command: Command) -> String {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::spawn_command(command);
    lsp.initialize(dir.path(), ClientOptions::default());
    let uri = lsp.open(&dir.path().join("models/marts/customer_ranking.sql"));
    lsp.wait_diagnostics(&uri, |_| true);
    let _ = lsp.request("shutdown", json!(null));
    lsp.notify("exit", json!(null));
    let (status, log) = lsp.wait_exit_with_log();
    assert_eq!(status.code(), Some(0), "{log}");
    log
}

#[test]
fn the_default_log_level_is_warn_and_rust_log_overrides_it() {
    let mut quiet = Command::new(server_binary());
    quiet.env_remove("RUST_LOG");
    let log = log_of_a_session(quiet);
    assert!(!log.contains("INFO"), "info lines without RUST_LOG:\n{log}");

    let mut verbose = Command::new(server_binary());
    verbose.env("RUST_LOG", "info");
    let log = log_of_a_session(verbose);
    assert!(log.contains("INFO") && log.contains("loaded the project"), "{log}");
}
