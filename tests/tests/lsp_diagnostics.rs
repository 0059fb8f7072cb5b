//! The real `rocky-lsp` binary over stdio: push/pull diagnostics while typing, across files,
//! with non-ASCII text, and for files created on disk. Build it first: `cargo build -p rocky-lsp`.

use rocky_tests::lsp_client::{copy_fixture, file_uri, ClientOptions, LspClient};
use serde_json::{json, Value};

fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().filter_map(|d| d["code"].as_str().map(str::to_string)).collect()
}

fn has_code(diags: &[Value], code: &str) -> bool {
    diags.iter().any(|d| d["code"] == code)
}

fn range(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    let n = |v: &Value| v.as_u64().unwrap();
    (n(&r["start"]["line"]), n(&r["start"]["character"]), n(&r["end"]["line"]), n(&r["end"]["character"]))
}

/// Waits for the server to ask a pulling client to pull again.
fn wait_refresh(lsp: &mut LspClient, when: &str) {
    if lsp.wait_for("workspace/diagnostic/refresh", |_| true).is_none() {
        panic!("no workspace/diagnostic/refresh {when}; server log:\n{}", lsp.stderr());
    }
}

/// Nothing received so far pushed diagnostics (for a pulling client).
fn assert_nothing_pushed(lsp: &mut LspClient) {
    let pushed = lsp.next_matching(std::time::Duration::ZERO, |m| m["method"] == "textDocument/publishDiagnostics");
    assert!(pushed.is_none(), "a pull client also got pushed diagnostics: {pushed:?}");
}

fn items(report: &Value) -> &[Value] {
    report["items"].as_array().map(Vec::as_slice).unwrap_or_else(|| panic!("not a full report: {report}"))
}

#[test]
fn typing_an_error_shows_and_fixing_it_clears_it() {
    let dir = copy_fixture("playground");
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&file);
    let initial = lsp.wait_diagnostics(&uri, |_| true);
    assert!(codes(&initial).iter().all(|c| !c.starts_with('E')), "clean at first: {initial:?}");

    // Type "    bogus_col,\n" at the start of line 4, one character per didChange.
    let text = "    bogus_col,\n";
    let mut version = 1;
    for (i, ch) in text.chars().enumerate() {
        version += 1;
        lsp.change(&uri, version, (4, i as u32), (4, i as u32), &ch.to_string());
    }
    let diags = lsp.wait_diagnostics(&uri, |d| {
        d.iter().any(|x| x["code"] == "E102" && x["message"].as_str().unwrap_or("").contains("`bogus_col`"))
    });
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    assert_eq!(range(e), (4, 4, 4, 13), "{e}");
    assert_eq!(e["severity"], 1);
    assert_eq!(e["source"], "rocky");
    assert!(e["message"].as_str().unwrap().starts_with("unknown column `bogus_col`"), "{e}");

    // Delete it again, one character at a time from the end.
    for i in (0..text.len()).rev() {
        version += 1;
        let (start, end) =
            if i == text.len() - 1 { ((4, i as u32), (5, 0)) } else { ((4, i as u32), (4, i as u32 + 1)) };
        lsp.change(&uri, version, start, end, "");
    }
    let diags = lsp.wait_diagnostics(&uri, |d| !has_code(d, "E102") && !has_code(d, "E001"));
    assert!(codes(&diags).iter().all(|c| !c.starts_with('E')), "{diags:?}");
    lsp.shutdown();
}

/// The playground with customer_orders (upstream) and customer_ranking (downstream) open.
struct UpstreamAndDownstream {
    _dir: tempfile::TempDir,
    lsp: LspClient,
    up_uri: String,
    down_uri: String,
    /// Column of `total_spent` on line 10 of customer_orders (an output column name).
    col: u32,
}

impl UpstreamAndDownstream {
    fn open(options: ClientOptions) -> Self {
        let dir = copy_fixture("playground");
        let upstream = dir.path().join("models/marts/customer_orders.sql");
        let mut lsp = LspClient::start_opts(dir.path(), options);
        let down_uri = lsp.open(&dir.path().join("models/marts/customer_ranking.sql"));
        let up_uri = lsp.open(&upstream);
        let line = std::fs::read_to_string(&upstream).unwrap().lines().nth(10).unwrap().to_string();
        assert!(line.contains("as total_spent"), "{line}");
        let col = line.find("total_spent").unwrap() as u32;
        UpstreamAndDownstream { _dir: dir, lsp, up_uri, down_uri, col }
    }

    /// Renames customer_orders' output column `from` to `to` (as document version `version`).
    fn rename_column(&mut self, version: i32, from: &str, to: &str) {
        let end = self.col + from.len() as u32;
        self.lsp.change(&self.up_uri, version, (10, self.col), (10, end), to);
    }
}

#[test]
fn changing_an_upstream_column_flags_the_open_downstream_model() {
    let mut t = UpstreamAndDownstream::open(ClientOptions::default());
    t.lsp.wait_diagnostics(&t.down_uri, |_| true);
    t.lsp.wait_diagnostics(&t.up_uri, |_| true);

    t.rename_column(2, "total_spent", "spent");
    let diags = t.lsp.wait_diagnostics(&t.down_uri, |d| has_code(d, "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    assert!(e["message"].as_str().unwrap().contains("total_spent"), "{e}");
    // First use: line 4 "    total_spent,".
    assert_eq!(range(e), (4, 4, 4, 15), "{e}");

    // Undo: the downstream error goes away.
    t.rename_column(3, "spent", "total_spent");
    t.lsp.wait_diagnostics(&t.down_uri, |d| !has_code(d, "E102"));
    t.lsp.shutdown();
}

#[test]
fn utf16_positions_with_non_ascii_text() {
    let dir = copy_fixture("playground");
    let file = dir.path().join("models/marts/emoji.sql");
    let text = "select '😀é' as smile, bogus\nfrom customer_orders\n";
    std::fs::write(&file, text).unwrap();
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&file);
    let diags = lsp.wait_diagnostics(&uri, |d| has_code(d, "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    // `bogus` starts after "select '😀é' as smile, " = 7 + 1 + 2 (surrogate pair) + 1 + 1 + 11 = 23 UTF-16 units.
    assert_eq!(range(e), (0, 23, 0, 28), "{e}");

    // An edit addressed in UTF-16 after the emoji: replace `bogus` with `customer_id`.
    lsp.change(&uri, 2, (0, 23), (0, 28), "customer_id");
    lsp.wait_diagnostics(&uri, |d| !has_code(d, "E102"));
    lsp.shutdown();

    // The same file with UTF-8 positions: byte columns.
    std::fs::write(&file, text).unwrap();
    let mut lsp = LspClient::start_with(dir.path(), true, true);
    let uri = lsp.open(&file);
    let diags = lsp.wait_diagnostics(&uri, |d| has_code(d, "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    let start = text.find("bogus").unwrap() as u64;
    assert_eq!(range(e), (0, start, 0, start + 5), "{e}");
    lsp.shutdown();
}

#[test]
fn closing_a_file_brings_back_the_disk_version() {
    let dir = copy_fixture("playground");
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&file);
    lsp.wait_diagnostics(&uri, |_| true);
    lsp.change(&uri, 2, (4, 0), (4, 0), "    nope,\n");
    lsp.wait_diagnostics(&uri, |d| has_code(d, "E102"));
    // Closed without saving: the disk text (no error) is what the analysis sees again, and the
    // file's diagnostics are published from it.
    lsp.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let diags = lsp.wait_diagnostics(&uri, |d| !has_code(d, "E102"));
    assert!(codes(&diags).iter().all(|c| !c.starts_with('E')), "{diags:?}");
    // A pull client asks instead: a closed file's report comes from disk too.
    lsp.shutdown();
    let mut lsp = LspClient::start_opts(dir.path(), ClientOptions::pull());
    let uri = lsp.open(&file);
    wait_refresh(&mut lsp, "once the project is loaded");
    lsp.change(&uri, 2, (4, 0), (4, 0), "    nope,\n");
    assert!(has_code(items(&lsp.pull_diagnostics(&uri)), "E102"));
    lsp.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let report = lsp.pull_diagnostics(&uri);
    assert!(!has_code(items(&report), "E102"), "{report}");
    lsp.shutdown();
}

#[test]
fn a_push_client_is_not_offered_pull_diagnostics() {
    let dir = copy_fixture("playground");
    let lsp = LspClient::start(dir.path());
    assert!(lsp.server_capabilities["diagnosticProvider"].is_null(), "{}", lsp.server_capabilities);
    lsp.shutdown();
    // Neovim 0.11 can pull but cannot be told to pull again after an upstream edit: push to it.
    let options = ClientOptions { pull_diagnostics: true, diagnostic_refresh: false, ..ClientOptions::default() };
    let mut lsp = LspClient::start_opts(dir.path(), options);
    assert!(lsp.server_capabilities["diagnosticProvider"].is_null(), "{}", lsp.server_capabilities);
    let uri =
        lsp.open_text(&dir.path().join("models/marts/customer_ranking.sql"), "select nope from customer_orders\n");
    lsp.wait_diagnostics(&uri, |d| has_code(d, "E102"));
    lsp.shutdown();
}

#[test]
fn pull_diagnostics_report_and_unchanged_result_id() {
    let dir = copy_fixture("playground");
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let mut lsp = LspClient::start_opts(dir.path(), ClientOptions::pull());
    let provider = &lsp.server_capabilities["diagnosticProvider"];
    assert_eq!(
        (provider["interFileDependencies"].as_bool(), provider["workspaceDiagnostics"].as_bool()),
        (Some(true), Some(true))
    );
    let uri = lsp.open_text(&file, "select nope from customer_orders\n");
    // Loading the project changes every file's diagnostics: the server asks the client to pull.
    wait_refresh(&mut lsp, "once the project is loaded");
    let report = lsp.pull_diagnostics(&uri);
    assert_eq!(report["kind"], "full");
    assert_eq!(range(items(&report).iter().find(|d| d["code"] == "E102").unwrap()), (0, 7, 0, 11));
    let id = report["resultId"].as_str().unwrap().to_string();
    let again = lsp
        .request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri }, "previousResultId": id }))
        .unwrap();
    assert_eq!(again["kind"], "unchanged", "{again}");

    let ws = lsp.request("workspace/diagnostic", json!({ "previousResultIds": [] })).unwrap();
    let reports = items(&ws);
    let mine = reports.iter().find(|r| r["uri"] == uri).expect("the open file is in the workspace report");
    assert!(has_code(items(mine), "E102"));
    // The staging models read uncached sources: W110 in files that are not open.
    assert!(reports.iter().any(|r| has_code(items(r), "W110")), "{ws}");
    // Nothing was pushed as well (the refresh came after the server's pass over the project).
    assert_nothing_pushed(&mut lsp);
    lsp.shutdown();
}

#[test]
fn a_pull_client_is_asked_to_refresh_when_an_upstream_edit_changes_an_open_downstream_file() {
    let mut t = UpstreamAndDownstream::open(ClientOptions::pull());
    wait_refresh(&mut t.lsp, "once the project is loaded");
    assert!(!has_code(items(&t.lsp.pull_diagnostics(&t.down_uri)), "E102"));
    t.lsp.drain();

    t.rename_column(2, "total_spent", "spent");
    wait_refresh(&mut t.lsp, "after the upstream edit");
    let report = t.lsp.pull_diagnostics(&t.down_uri);
    let e = items(&report).iter().find(|d| d["code"] == "E102").unwrap_or_else(|| panic!("{report}"));
    assert_eq!(range(e), (4, 4, 4, 15), "{e}");

    // Undo: asked again, and the downstream error is gone.
    t.rename_column(3, "spent", "total_spent");
    wait_refresh(&mut t.lsp, "after the undo");
    assert!(!has_code(items(&t.lsp.pull_diagnostics(&t.down_uri)), "E102"));
    assert_nothing_pushed(&mut t.lsp);
    t.lsp.shutdown();
}

#[test]
fn a_file_created_on_disk_is_picked_up() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let reader = dir.path().join("models/marts/reads_new.sql");
    std::fs::write(&reader, "select id from brand_new\n").unwrap();
    // The reader is open; the model it reads does not exist yet.
    let uri = lsp.open(&reader);
    lsp.wait_diagnostics(&uri, |d| has_code(d, "E101"));
    // The client registered a watcher for SQL and TOML files.
    lsp.wait_for("client/registerCapability", |p| p.to_string().contains("didChangeWatchedFiles"))
        .expect("file watching registered");

    let created = dir.path().join("models/marts/brand_new.sql");
    std::fs::write(&created, "select 1 as id\n").unwrap();
    lsp.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": file_uri(&created), "type": 1 }] }));
    lsp.wait_diagnostics(&uri, |d| !has_code(d, "E101") && !has_code(d, "E102"));

    // Deleted again: the reference is unknown again.
    std::fs::remove_file(&created).unwrap();
    lsp.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": file_uri(&created), "type": 3 }] }));
    lsp.wait_diagnostics(&uri, |d| has_code(d, "E101"));
    lsp.shutdown();
}

#[test]
fn without_client_watching_the_server_watches_the_disk_itself() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start_with(dir.path(), false, false);
    let reader = dir.path().join("models/marts/reads_new.sql");
    std::fs::write(&reader, "select id from brand_new\n").unwrap();
    let uri = lsp.open(&reader);
    lsp.wait_diagnostics(&uri, |d| has_code(d, "E101"));
    std::fs::write(dir.path().join("models/marts/brand_new.sql"), "select 1 as id\n").unwrap();
    lsp.wait_diagnostics(&uri, |d| !has_code(d, "E101"));
    lsp.shutdown();
}

#[test]
fn sidecar_buffer_edits_apply_live() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let model = dir.path().join("models/marts/customer_ranking.sql");
    let sidecar = dir.path().join("models/marts/customer_ranking.toml");
    std::fs::write(&sidecar, "").unwrap();
    let model_uri = lsp.open(&model);
    lsp.wait_diagnostics(&model_uri, |_| true);
    // Depending on a model that does not exist: E504 in the sidecar, while only in the buffer.
    let side_uri = lsp.open_text(&sidecar, "");
    lsp.change(&side_uri, 2, (0, 0), (0, 0), "depends_on = [\"nowhere\"]\n");
    let diags = lsp.wait_diagnostics(&side_uri, |d| has_code(d, "E504"));
    assert!(diags.iter().any(|d| d["message"].as_str().unwrap().contains("nowhere")), "{diags:?}");
    lsp.shutdown();
}
