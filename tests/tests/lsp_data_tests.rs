//! Data tests and contracts in the editor, through the real `rocky-lsp` over stdio: typing in a
//! sidecar publishes its diagnostics at the exact range, and column names in it complete and
//! hover. Build the server first: `cargo build -p rocky-lsp`.

use rocky_tests::lsp_client::{copy_fixture, LspClient};
use serde_json::Value;

fn range(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    let n = |v: &Value| v.as_u64().unwrap();
    (n(&r["start"]["line"]), n(&r["start"]["character"]), n(&r["end"]["line"]), n(&r["end"]["character"]))
}

#[test]
fn typing_a_wrong_column_in_a_test_is_flagged_in_the_sidecar_and_fixing_it_clears_it() {
    let dir = copy_fixture("playground");
    let sidecar = dir.path().join("models/marts/customer_orders.toml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let line = text.lines().position(|l| l == "column = \"customer_id\"").expect("the fixture's unique test") as u32;
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&sidecar);
    lsp.wait_diagnostics(&uri, |d| d.is_empty());

    // `customer_id` → `customer_ix`, as a keystroke would.
    lsp.change(&uri, 2, (line, 20), (line, 21), "x");
    let diags = lsp.wait_diagnostics(&uri, |d| d.iter().any(|d| d["code"] == "E701"));
    let d = diags.iter().find(|d| d["code"] == "E701").unwrap();
    assert_eq!(range(d), (line as u64, 10, line as u64, 21), "{d}");
    assert!(d["message"].as_str().unwrap().contains("no column `customer_ix`"), "{d}");
    assert!(d["message"].as_str().unwrap().contains("did you mean `customer_id`?"), "{d}");

    // An expression that is not boolean: E704 on the expression.
    let expr_line = text.lines().position(|l| l.starts_with("expression = ")).unwrap() as u32;
    let end = text.lines().nth(expr_line as usize).unwrap().len() as u32;
    lsp.change(&uri, 3, (expr_line, 0), (expr_line, end), "expression = \"orders + 1\"");
    let diags = lsp.wait_diagnostics(&uri, |d| d.iter().any(|d| d["code"] == "E704"));
    let d = diags.iter().find(|d| d["code"] == "E704").unwrap();
    assert_eq!(range(d), (expr_line as u64, 14, expr_line as u64, 24), "{d}");

    // Fixed again: no diagnostics left.
    lsp.change(&uri, 4, (expr_line, 0), (expr_line, 26), "expression = \"total_spent >= 0\"");
    lsp.change(&uri, 5, (line, 20), (line, 21), "d");
    lsp.wait_diagnostics(&uri, |d| d.is_empty());
    lsp.shutdown();
}

#[test]
fn column_names_in_a_sidecar_complete_and_hover() {
    let dir = copy_fixture("playground");
    let sidecar = dir.path().join("models/marts/customer_orders.toml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let line = text.lines().position(|l| l == "column = \"customer_name\"").unwrap() as u32;
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&sidecar);
    lsp.wait_diagnostics(&uri, |_| true);

    let list = lsp.at("textDocument/completion", &uri, line, 12).expect("completion");
    let items = list.as_array().cloned().or_else(|| list["items"].as_array().cloned()).unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"customer_name") && labels.contains(&"total_spent"), "{list}");

    let hover = lsp.at("textDocument/hover", &uri, line, 14).expect("hover");
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(shown.contains("column of model `customer_orders`"), "{hover}");
    lsp.shutdown();
}
