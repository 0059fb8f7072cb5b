//! `rocky-lsp` survives bad input: malformed frames and bodies, unknown methods, bad params,
//! out-of-range positions, huge documents; and it exits on `exit` or when stdin closes.
//! Build the binary first: `cargo build -p rocky-lsp`.

use rocky_tests::lsp_client::{copy_fixture, LspClient};
use serde_json::{json, Value};

/// The server still answers requests (hover on an open file).
fn still_serving(lsp: &mut LspClient, uri: &str) {
    let r = lsp.at("textDocument/hover", uri, 1, 2);
    assert!(r.is_ok(), "hover after bad input: {r:?}");
}

fn open_ranking(lsp: &mut LspClient, dir: &std::path::Path) -> String {
    let uri = lsp.open(&dir.join("models/marts/customer_ranking.sql"));
    lsp.wait_diagnostics(&uri, |_| true);
    uri
}

fn error_reply(lsp: &mut LspClient, code: i64) -> Value {
    lsp.next_matching(rocky_tests::lsp_client::TIMEOUT, |m| m["error"]["code"] == code)
        .unwrap_or_else(|| panic!("no error reply with code {code}; log:\n{}", lsp.stderr()))
}

#[test]
fn malformed_bodies_get_errors_and_the_server_keeps_serving() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let uri = open_ranking(&mut lsp, dir.path());

    lsp.send_body(b"{ this is not json");
    let reply = error_reply(&mut lsp, -32700);
    assert_eq!(reply["id"], Value::Null);
    still_serving(&mut lsp, &uri);

    lsp.send_body(br#"{"id": 41, "hello": "world"}"#);
    let reply = error_reply(&mut lsp, -32600);
    assert_eq!(reply["id"], 41);
    still_serving(&mut lsp, &uri);

    // Invalid UTF-8 in a body.
    lsp.send_body(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}");
    error_reply(&mut lsp, -32700);
    still_serving(&mut lsp, &uri);
    assert!(lsp.stderr().contains("refused a malformed message"), "logged:\n{}", lsp.stderr());
    lsp.shutdown();
}

#[test]
fn a_bad_header_is_skipped_and_reading_resynchronizes() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let uri = open_ranking(&mut lsp, dir.path());
    lsp.send_raw(b"Content-Length: twelve\r\n\r\n");
    error_reply(&mut lsp, -32700);
    lsp.send_raw(b"X-Nonsense: 1\r\n\r\n");
    error_reply(&mut lsp, -32700);
    still_serving(&mut lsp, &uri);
    assert!(lsp.stderr().contains("malformed message header"), "logged:\n{}", lsp.stderr());
    lsp.shutdown();
}

#[test]
fn unknown_methods_and_bad_params_are_errors() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let uri = open_ranking(&mut lsp, dir.path());
    let e = lsp.request("rocky/noSuchThing", json!({})).unwrap_err();
    assert_eq!(e["code"], -32601, "{e}");
    let e = lsp.request("textDocument/hover", json!({ "textDocument": { "uri": uri } })).unwrap_err();
    assert_eq!(e["code"], -32602, "{e}");
    let e = lsp.request("textDocument/hover", json!("nonsense")).unwrap_err();
    assert_eq!(e["code"], -32602, "{e}");
    // Unknown notifications are ignored.
    lsp.notify("rocky/whatever", json!({ "a": 1 }));
    still_serving(&mut lsp, &uri);
    lsp.shutdown();
}

#[test]
fn out_of_range_positions_are_clamped() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let uri = open_ranking(&mut lsp, dir.path());
    for (line, character) in [(9999, 0), (0, 9999), (u32::MAX, u32::MAX)] {
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
            let r = lsp.at(method, &uri, line, character);
            assert!(r.is_ok(), "{method} at {line}:{character}: {r:?}");
        }
    }
    // An edit past the end appends (clamped); the text is still analyzed.
    lsp.change(&uri, 2, (500, 0), (600, 3), "\nwhere nope > 0");
    let diags = lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap();
    assert!(e["message"].as_str().unwrap().contains("`nope`"), "{e}");
    // A request for a file no project holds answers null.
    let r = lsp.at("textDocument/hover", "file:///nowhere/at/all.sql", 0, 0).unwrap();
    assert_eq!(r, Value::Null);
    lsp.shutdown();
}

#[test]
fn a_huge_document_is_reported_not_analyzed() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut huge = original.clone();
    huge.push_str("\n-- ");
    huge.push_str(&"x".repeat(6 * 1024 * 1024));
    let uri = lsp.open_text(&file, &huge);
    let diags = lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "E000"));
    assert!(diags[0]["message"].as_str().unwrap().contains("more than"), "{diags:?}");
    assert_eq!(lsp.at("textDocument/hover", &uri, 1, 2).unwrap(), Value::Null);
    // Cut back to the original: analyzed again.
    lsp.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": original }] }),
    );
    lsp.wait_diagnostics(&uri, |d| !d.iter().any(|x| x["code"] == "E000"));
    lsp.shutdown();
}

#[test]
fn shutdown_then_exit_ends_the_process() {
    let dir = copy_fixture("playground");
    let lsp = LspClient::start(dir.path());
    let status = lsp.shutdown();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// The exit code of a server that had a file open when `end` ended the session.
fn exit_code_after(end: impl FnOnce(&mut LspClient)) -> Option<i32> {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    open_ranking(&mut lsp, dir.path());
    end(&mut lsp);
    lsp.wait_exit().code()
}

#[test]
fn exit_without_shutdown_ends_the_process_with_code_1() {
    assert_eq!(exit_code_after(|lsp| lsp.notify("exit", Value::Null)), Some(1));
}

#[test]
fn closing_stdin_ends_the_process() {
    // An editor that went away without `shutdown`: an error exit, as for `exit` alone.
    assert_eq!(exit_code_after(LspClient::close_stdin), Some(1));
}
