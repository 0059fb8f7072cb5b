//! Renaming a model through `rocky-lsp` over stdio: the workspace edit rewrites its references
//! and renames its file (for a client that can rename files); applied as a client would (buffer
//! edits, a file moved on disk, watched-file notifications), the project stays clean. Build the
//! binary first: `cargo build -p rocky-lsp`.

use std::path::Path;

use rocky_tests::lsp_client::{copy_fixture, file_uri, ClientOptions, LspClient};
use serde_json::{json, Value};

/// Applies LSP text edits (ASCII text: characters are bytes) to `text`, last first.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let (line, ch) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + ch
    };
    let mut sorted: Vec<&Value> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in sorted {
        let (start, end) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
        out.replace_range(start..end, e["newText"].as_str().unwrap());
    }
    out
}

fn path_of(uri: &str) -> &Path {
    Path::new(uri.strip_prefix("file://").expect("a file URI"))
}

#[test]
fn renaming_a_model_renames_its_file_and_references_and_the_project_stays_clean() {
    let dir = copy_fixture("playground");
    let options = ClientOptions { rename_files: true, ..ClientOptions::default() };
    let mut lsp = LspClient::start_opts(dir.path(), options);
    let ranking = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open(&ranking);
    lsp.wait_diagnostics(&uri, |d| d.is_empty());
    let text = std::fs::read_to_string(&ranking).unwrap();
    let line = text.lines().position(|l| l.starts_with("from customer_orders")).unwrap() as u32;

    // prepareRename offers the model's name.
    let prep = lsp.at("textDocument/prepareRename", &uri, line, 8).unwrap();
    assert_eq!(prep["placeholder"], "customer_orders", "{prep}");
    assert_eq!(prep["range"]["start"], json!({ "line": line, "character": 5 }), "{prep}");

    let edit = lsp
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 8 }, "newName": "client_orders" }),
        )
        .unwrap();
    let ops = edit["documentChanges"].as_array().unwrap_or_else(|| panic!("document changes: {edit}"));
    let old = dir.path().join("models/marts/customer_orders.sql");
    let new = dir.path().join("models/marts/client_orders.sql");
    // The model file and its sidecar move, after every text edit.
    let renames: Vec<&Value> = ops.iter().skip_while(|o| o.get("edits").is_some()).collect();
    assert!(renames.iter().all(|o| o["kind"] == "rename"), "the files move last, after the edits: {edit}");
    let side_old = dir.path().join("models/marts/customer_orders.toml");
    let side_new = dir.path().join("models/marts/client_orders.toml");
    let options = json!({ "overwrite": false, "ignoreIfExists": false });
    assert_eq!(
        renames,
        [
            &json!({ "kind": "rename", "oldUri": file_uri(&old), "newUri": file_uri(&new), "options": options }),
            &json!({ "kind": "rename", "oldUri": file_uri(&side_old), "newUri": file_uri(&side_new), "options": options }),
        ],
        "{edit}"
    );
    let here = ops.iter().find(|o| o["textDocument"]["uri"] == uri).unwrap_or_else(|| panic!("{edit}"));
    assert_eq!(here["edits"][0]["newText"], "client_orders", "{edit}");

    // Apply it as an editor does: open buffers are edited, other files written, then the file
    // is moved and the watchers report it.
    let mut watched = Vec::new();
    let mut buffer = None;
    for op in ops.iter().filter(|o| o.get("edits").is_some()) {
        let target = op["textDocument"]["uri"].as_str().unwrap();
        let edits = op["edits"].as_array().unwrap();
        if target == uri {
            buffer = Some(apply(&text, edits));
        } else {
            let path = path_of(target);
            std::fs::write(path, apply(&std::fs::read_to_string(path).unwrap(), edits)).unwrap();
            watched.push(json!({ "uri": target, "type": 2 }));
        }
    }
    for (from, to) in [(&old, &new), (&side_old, &side_new)] {
        std::fs::rename(from, to).unwrap();
        watched.push(json!({ "uri": file_uri(from), "type": 3 }));
        watched.push(json!({ "uri": file_uri(to), "type": 1 }));
    }
    lsp.notify("workspace/didChangeWatchedFiles", json!({ "changes": watched }));
    let buffer = buffer.expect("the open file is edited");
    assert!(buffer.contains("from client_orders"), "{buffer}");
    lsp.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": buffer }] }),
    );
    // Diagnostics for the edited buffer (version 2) come after both changes: clean.
    let published = lsp
        .wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri && p["version"] == 2)
        .expect("diagnostics for the edited buffer");
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    // The moved model is the model `client_orders`, and is clean too.
    let moved = lsp.open(&new);
    lsp.wait_diagnostics(&moved, |d| d.is_empty());
    let model = lsp.request("rocky/model", json!({ "textDocument": { "uri": moved } })).unwrap();
    assert_eq!(model["name"], "client_orders", "{model}");
    lsp.shutdown();
}

#[test]
fn a_client_that_cannot_rename_files_is_told_why_and_a_sidecar_name_is_edited_instead() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let ranking = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open(&ranking);
    lsp.wait_diagnostics(&uri, |d| d.is_empty());
    let line = std::fs::read_to_string(&ranking).unwrap().lines().position(|l| l.starts_with("from ")).unwrap();
    let rename = |lsp: &mut LspClient, new_name: &str| {
        lsp.request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 8 }, "newName": new_name }),
        )
    };
    let e = rename(&mut lsp, "client_orders").unwrap_err();
    assert_eq!(e["code"], -32602, "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("cannot rename files") && message.contains("models/marts/customer_orders.sql"), "{e}");
    let e = rename(&mut lsp, "stg_orders").unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("already the name of a model"), "{e}");

    // Named by its sidecar: the sidecar's `name` is edited, no file moves.
    let sidecar = dir.path().join("models/marts/customer_orders.toml");
    std::fs::write(&sidecar, "name = \"customer_orders\"\n").unwrap();
    lsp.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": file_uri(&sidecar), "type": 1 }] }));
    let edit = rename(&mut lsp, "client_orders").unwrap();
    let changes = edit["changes"].as_object().unwrap_or_else(|| panic!("plain changes: {edit}"));
    let sidecar_edits = changes[&file_uri(&sidecar)].as_array().unwrap();
    assert_eq!(sidecar_edits[0]["newText"], "\"client_orders\"", "{edit}");
    assert_eq!(sidecar_edits[0]["range"]["start"], json!({ "line": 0, "character": 7 }), "{edit}");
    assert_eq!(changes[&uri][0]["newText"], "client_orders", "{edit}");
    lsp.shutdown();
}
