//! The real `rocky-lsp` binary over stdio: push/pull diagnostics while typing, across files,
//! with non-ASCII text, and for files created on disk. Build it first: `cargo build -p rocky-lsp`.

use rocky_tests::lsp_client::{copy_fixture, file_uri, LspClient};
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

#[test]
fn changing_an_upstream_column_flags_the_open_downstream_model() {
    let dir = copy_fixture("playground");
    let upstream = dir.path().join("models/marts/customer_orders.sql");
    let downstream = dir.path().join("models/marts/customer_ranking.sql");
    let mut lsp = LspClient::start(dir.path());
    let down_uri = lsp.open(&downstream);
    let up_uri = lsp.open(&upstream);
    lsp.wait_diagnostics(&down_uri, |_| true);
    lsp.wait_diagnostics(&up_uri, |_| true);

    // customer_orders: rename the output column total_spent → spent (line 10).
    let line = std::fs::read_to_string(&upstream).unwrap().lines().nth(10).unwrap().to_string();
    assert!(line.contains("as total_spent"), "{line}");
    let col = line.find("total_spent").unwrap() as u32;
    lsp.change(&up_uri, 2, (10, col), (10, col + "total_spent".len() as u32), "spent");
    let diags = lsp.wait_diagnostics(&down_uri, |d| has_code(d, "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    assert!(e["message"].as_str().unwrap().contains("total_spent"), "{e}");
    // First use: line 4 "    total_spent,".
    assert_eq!(range(e), (4, 4, 4, 15), "{e}");

    // Undo: the downstream error goes away.
    lsp.change(&up_uri, 3, (10, col), (10, col + "spent".len() as u32), "total_spent");
    lsp.wait_diagnostics(&down_uri, |d| !has_code(d, "E102"));
    lsp.shutdown();
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
    // Closed without saving: the disk text (no error) is what the analysis sees again. Pull
    // diagnostics of a closed file answer from disk.
    lsp.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let mut clean = false;
    for _ in 0..100 {
        let report = lsp.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } })).unwrap();
        if report["kind"] == "full" && !has_code(report["items"].as_array().unwrap(), "E102") {
            clean = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(clean, "the unsaved error is gone after didClose");
    lsp.shutdown();
}

#[test]
fn pull_diagnostics_report_and_unchanged_result_id() {
    let dir = copy_fixture("playground");
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open_text(&file, "select nope from customer_orders\n");
    lsp.wait_diagnostics(&uri, |d| has_code(d, "E102"));
    let report = lsp.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } })).unwrap();
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    assert_eq!(range(items.iter().find(|d| d["code"] == "E102").unwrap()), (0, 7, 0, 11));
    let id = report["resultId"].as_str().unwrap().to_string();
    let again = lsp
        .request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri }, "previousResultId": id }))
        .unwrap();
    assert_eq!(again["kind"], "unchanged", "{again}");

    let ws = lsp.request("workspace/diagnostic", json!({ "previousResultIds": [] })).unwrap();
    let items = ws["items"].as_array().unwrap();
    let mine = items.iter().find(|r| r["uri"] == uri).expect("the open file is in the workspace report");
    assert!(has_code(mine["items"].as_array().unwrap(), "E102"));
    // The staging models read uncached sources: W110 in files that are not open.
    assert!(items.iter().any(|r| has_code(r["items"].as_array().unwrap(), "W110")), "{ws}");
    lsp.shutdown();
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
