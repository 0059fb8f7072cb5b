//! While an open file has a syntax error, the real `rocky-lsp` keeps showing the inlay hints and
//! semantic diagnostics of its last version that parsed, moved through the edits since; fixing the
//! syntax brings the live analysis back. Build the binary first: `cargo build -p rocky-lsp`.

use rocky_tests::lsp_client::LspClient;
use serde_json::{json, Value};

const MODEL: &str = "with t as (select 1 as id, 'a' as name)\nselect\n    id,\n    name,\n    nme as oops\nfrom t\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rocky.toml"), "[adapter]\ntype = \"duckdb\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::fs::write(dir.path().join("models/m.sql"), MODEL).unwrap();
    dir
}

fn hints(lsp: &mut LspClient, uri: &str) -> Vec<(u64, u64, String)> {
    let r = lsp
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri },
                    "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 100, "character": 0 } } }),
        )
        .unwrap();
    r.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|h| {
            let p = &h["position"];
            (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap(), h["label"].as_str().unwrap().to_string())
        })
        .collect()
}

fn find<'a>(diags: &'a [Value], code: &str) -> Option<&'a Value> {
    diags.iter().find(|d| d["code"] == code)
}

fn start_end(d: &Value) -> (u64, u64, u64) {
    let r = &d["range"];
    (
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    )
}

#[test]
fn a_syntax_error_keeps_the_last_good_hints_and_diagnostics_where_the_edit_did_not_touch_them() {
    let dir = project();
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&dir.path().join("models/m.sql"));
    let good = lsp.wait_diagnostics(&uri, |d| find(d, "E102").is_some());
    assert_eq!(start_end(find(&good, "E102").unwrap()), (4, 4, 7), "{good:?}");
    let before = hints(&mut lsp, &uri);
    let h = |line, character, label: &str| (line, character, label.to_string());
    let cte = [h(0, 25, "INTEGER"), h(0, 38, "VARCHAR")];
    assert_eq!(before, [&cte[..], &[h(2, 6, "INTEGER"), h(3, 8, "VARCHAR")]].concat(), "hints of the parsed file");

    // "    (id," on line 2: the file no longer parses.
    lsp.change(&uri, 2, (2, 4), (2, 4), "(");
    let broken = lsp.wait_diagnostics(&uri, |d| find(d, "E001").is_some());
    let e102 = find(&broken, "E102").unwrap_or_else(|| panic!("the earlier E102 is kept: {broken:?}"));
    assert_eq!(start_end(e102), (4, 4, 7), "same place: the edit was on another line");
    // The hint after `id` moved with it; the one after `name` stayed.
    assert_eq!(hints(&mut lsp, &uri), [&cte[..], &[h(2, 7, "INTEGER"), h(3, 8, "VARCHAR")]].concat());

    // Typing inside the remembered error's range drops it (its message may no longer hold).
    lsp.change(&uri, 3, (4, 5), (4, 5), "x");
    let touched = lsp.wait_diagnostics(&uri, |d| find(d, "E001").is_some() && find(d, "E102").is_none());
    assert!(find(&touched, "E102").is_none(), "{touched:?}");

    // Fixing the syntax: the live analysis is back (the typo is now `nxme`).
    lsp.change(&uri, 4, (2, 4), (2, 5), "");
    let fixed = lsp.wait_diagnostics(&uri, |d| find(d, "E001").is_none() && find(d, "E102").is_some());
    let e102 = find(&fixed, "E102").unwrap();
    assert!(e102["message"].as_str().unwrap().contains("nxme"), "{e102}");
    assert_eq!(hints(&mut lsp, &uri), before);
    lsp.shutdown();
}
