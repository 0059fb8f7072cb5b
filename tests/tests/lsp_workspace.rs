//! `rocky-lsp` workspaces: several projects in one folder, live rocky.toml edits, and a state file
//! that cannot be read. Build the binary first: `cargo build -p rocky-lsp`.

use rocky_tests::lsp_client::{copy_fixture, LspClient};
use serde_json::json;

#[test]
fn each_project_in_the_workspace_is_analyzed_on_its_own() {
    let a = copy_fixture("playground");
    let b = copy_fixture("playground");
    let ws = tempfile::tempdir().unwrap();
    std::fs::rename(a.path(), ws.path().join("one")).unwrap();
    std::fs::rename(b.path(), ws.path().join("two")).unwrap();
    // Project two drops the model project one's file reads.
    std::fs::remove_file(ws.path().join("two/models/marts/customer_orders.sql")).unwrap();

    let mut lsp = LspClient::start(ws.path());
    let one = lsp.open(&ws.path().join("one/models/marts/customer_ranking.sql"));
    let two = lsp.open(&ws.path().join("two/models/marts/customer_ranking.sql"));
    let d1 = lsp.wait_diagnostics(&one, |_| true);
    assert!(!d1.iter().any(|d| d["code"] == "E101"), "{d1:?}");
    let d2 = lsp.wait_diagnostics(&two, |d| d.iter().any(|x| x["code"] == "E101"));
    assert!(d2[0]["message"].as_str().unwrap().contains("customer_orders"), "{d2:?}");
    // `rocky/status` names the document's project, or the first one without a document.
    let status = lsp.request("rocky/status", json!({ "textDocument": { "uri": two } })).unwrap();
    assert_eq!(status["project"], "two", "{status}");
    assert_eq!(lsp.request("rocky/status", json!({})).unwrap()["project"], "one");
    lsp.shutdown();
}

#[test]
fn rocky_toml_buffer_edits_apply_live() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let ranking = lsp.open(&dir.path().join("models/marts/customer_ranking.sql"));
    lsp.wait_diagnostics(&ranking, |d| !d.iter().any(|x| x["code"] == "E101"));
    let config = dir.path().join("rocky.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let uri = lsp.open_text(&config, &text);
    // Only the staging folder holds models now: customer_orders is no longer a model.
    let line = text.lines().position(|l| l.starts_with("models = ")).unwrap() as u32;
    let len = text.lines().nth(line as usize).unwrap().len() as u32;
    lsp.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{
            "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": len } },
            "text": "models = \"models/staging/**\"" }] }),
    );
    // customer_ranking is outside the pipeline now: its diagnostics are cleared; staging still checks.
    let stg = lsp.open(&dir.path().join("models/staging/stg_orders.sql"));
    lsp.wait_diagnostics(&stg, |d| d.iter().any(|x| x["code"] == "W110"));
    // A broken value in the buffer is reported in rocky.toml.
    lsp.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": "[adapter\ntype = " }] }),
    );
    let d = lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "E002"));
    assert_eq!(d.iter().find(|x| x["code"] == "E002").unwrap()["severity"], 1);
    // Closed: the disk version is back and the models are models again.
    lsp.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    lsp.wait_diagnostics(&uri, |d| d.is_empty());
    lsp.shutdown();
}

/// The models `workspace/symbol` finds for `query` (model symbols carry the model's name).
fn models_named(lsp: &mut LspClient, query: &str) -> Vec<String> {
    let found = lsp.request("workspace/symbol", json!({ "query": query })).expect("workspace/symbol");
    found.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str().map(str::to_string)).collect()
}

#[test]
fn typing_a_models_glob_reloads_in_the_background_and_settles_on_the_last_text() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let stg = lsp.open(&dir.path().join("models/staging/stg_orders.sql"));
    lsp.wait_diagnostics(&stg, |_| true);
    assert!(models_named(&mut lsp, "customer_orders").contains(&"customer_orders".to_string()));
    let config = dir.path().join("rocky.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let uri = lsp.open_text(&config, &text);
    let line = text.lines().position(|l| l.starts_with("models = ")).unwrap() as u32;
    let len = text.lines().nth(line as usize).unwrap().len() as u32;
    // Type the new glob one character at a time, without waiting: every prefix changes the
    // globs (`m`, `mo`, … match nothing), so each keystroke asks for a reload.
    lsp.change(&uri, 2, (line, 0), (line, len), "models = \"\"");
    let glob = "models/staging/**";
    for (i, c) in glob.chars().enumerate() {
        let at = ("models = \"".len() + i) as u32;
        lsp.change(&uri, 3 + i as i32, (line, at), (line, at), &c.to_string());
    }
    // Requests are answered meanwhile, and the server settles on the last text: only staging
    // models are models.
    // (A prefix on the way, such as `models/s`, matches no model at all: wait for the final state.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let marts = models_named(&mut lsp, "customer_orders");
        let staging = models_named(&mut lsp, "stg_orders");
        if !marts.contains(&"customer_orders".to_string()) && staging.contains(&"stg_orders".to_string()) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not settled on the typed glob: {marts:?} {staging:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // No problem left over from the prefixes typed on the way (a glob that matched nothing).
    lsp.wait_diagnostics(&uri, |d| d.is_empty());
    // Closing the buffer brings the disk version back: the marts are models again.
    lsp.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !models_named(&mut lsp, "customer_orders").contains(&"customer_orders".to_string()) {
        assert!(std::time::Instant::now() < deadline, "customer_orders is not a model again");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    lsp.shutdown();
}

#[test]
fn a_corrupt_state_file_is_reported_once_and_the_server_keeps_working() {
    let dir = copy_fixture("playground");
    std::fs::write(dir.path().join("models/.rocky-state.redb"), b"this is not a redb file at all").unwrap();
    let mut lsp = LspClient::start(dir.path());
    let msg = lsp.wait_for("window/showMessage", |p| p["message"].as_str().unwrap_or("").contains("schema cache"));
    let msg = msg.expect("one message about the state file");
    assert_eq!(msg["type"], 2, "a warning: {msg}");
    let uri = lsp.open(&dir.path().join("models/staging/stg_orders.sql"));
    // Without a cache the sources are uncached, as before.
    lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "W110"));
    // Still broken a second later: no second message.
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!(
        lsp.next_matching(std::time::Duration::from_millis(200), |m| m["method"] == "window/showMessage").is_none(),
        "reported once"
    );
    assert!(lsp.at("textDocument/hover", &uri, 1, 5).is_ok());
    lsp.shutdown();
}

#[test]
fn the_whole_project_check_shows_as_progress() {
    use rocky_tests::lsp_client::ClientOptions;
    let dir = copy_fixture("playground");
    let options = ClientOptions { work_done_progress: true, ..ClientOptions::default() };
    let mut lsp = LspClient::start_opts(dir.path(), options);
    // After the load: a progress token is asked for, then "Rocky: checking the project" runs to "done".
    let create = lsp.wait_for("window/workDoneProgress/create", |_| true).expect("a progress token is created");
    let token = create["token"].clone();
    let begin =
        lsp.wait_for("$/progress", |p| p["token"] == token && p["value"]["kind"] == "begin").expect("the check begins");
    assert_eq!(
        (&begin["value"]["title"], &begin["value"]["message"]),
        (&json!("Rocky"), &json!("checking the project"))
    );
    // It ends "done" (an unrelated change could interrupt it once; it then runs again).
    assert!(lsp.wait_project_checked(), "the check ends");

    // A schema-cache change asks for another whole-project check, shown the same way. (Typing
    // defers it until a pause: measured by the lsp benchmark, not asserted on timing here.)
    let uri = lsp.open(&dir.path().join("models/staging/stg_orders.sql"));
    lsp.wait_diagnostics(&uri, |_| true);
    lsp.drain();
    rocky_state::StateFile::new(dir.path().join("models/.rocky-state.redb"))
        .write_schemas(&[rocky_state::CachedTable {
            key: "playground.raw.orders".into(),
            columns: vec![rocky_state::CachedColumn {
                name: "id".into(),
                type_string: "INTEGER".into(),
                nullable: false,
            }],
            written_at_ms: 1,
            built: None,
        }])
        .unwrap();
    assert!(lsp.wait_project_checked(), "the reload's check finishes");
    lsp.shutdown();
}

#[test]
fn a_legacy_state_file_location_is_shown_to_the_user_once() {
    let dir = copy_fixture("playground");
    // The working directory (the project root, for the server) holds the state file; the models
    // folder does not: the legacy location.
    rocky_state::StateFile::new(dir.path().join(".rocky-state.redb")).write_schemas(&[]).unwrap();
    let mut lsp = LspClient::start(dir.path());
    let legacy = |p: &serde_json::Value| p["message"].as_str().unwrap_or("").contains("legacy location");
    let msg = lsp.wait_for("window/showMessage", legacy).expect("the legacy location is shown");
    assert_eq!(msg["type"], 2, "a warning: {msg}");
    assert!(msg["message"].as_str().unwrap().contains("models"), "says where to move it: {msg}");
    // A TTL change in rocky.toml makes the server locate and read the state file again (the
    // same warning comes back internally); the refresh it then sends follows any message it
    // shows, so by then a second warning would have arrived.
    let config = dir.path().join("rocky.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("ttl_seconds = 86400", "ttl_seconds = 7200");
    std::fs::write(&config, text).unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": rocky_tests::lsp_client::file_uri(&config), "type": 2 }] }),
    );
    lsp.wait_for("workspace/inlayHint/refresh", |_| true).expect("the state file is read again");
    assert!(
        lsp.next_matching(std::time::Duration::ZERO, |m| m["method"] == "window/showMessage").is_none(),
        "shown once"
    );
    lsp.shutdown();
}
