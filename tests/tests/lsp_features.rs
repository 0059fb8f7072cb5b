//! `rocky-lsp` features over stdio on the playground: inlay hints (and their refresh when a runner
//! writes the schema cache), hover with run history, definition, references, rename, completion,
//! symbols, semantic tokens, code actions, lineage. Build the binary first: `cargo build -p rocky-lsp`.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rocky_state::{CachedColumn, CachedTable, ModelRun, ModelStatus, RunRecord, RunStatus, StateFile};
use rocky_tests::lsp_client::{copy_fixture, LspClient};
use serde_json::{json, Value};

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

/// Where the server looks for the playground's state file (no file yet: the models folder).
fn state_file(root: &Path) -> StateFile {
    StateFile::new(root.join("models/.rocky-state.redb"))
}

fn table(key: &str, cols: &[(&str, &str, bool)]) -> CachedTable {
    CachedTable {
        key: key.into(),
        columns: cols
            .iter()
            .map(|(n, t, null)| CachedColumn { name: n.to_string(), type_string: t.to_string(), nullable: *null })
            .collect(),
        written_at_ms: now_ms(),
        built: None,
    }
}

/// What `rocky run` would cache for the playground's sources (data/seed.sql).
fn write_playground_cache(root: &Path) {
    let tables = [
        table(
            "playground.raw.customers",
            &[
                ("id", "INTEGER", false),
                ("first_name", "VARCHAR", false),
                ("last_name", "VARCHAR", true),
                ("email", "VARCHAR", true),
                ("signed_up", "DATE", false),
                ("is_active", "BOOLEAN", false),
            ],
        ),
        table(
            "playground.raw.orders",
            &[
                ("id", "BIGINT", false),
                ("customer_id", "INTEGER", false),
                ("ordered_at", "TIMESTAMP", false),
                ("status", "VARCHAR", false),
                ("amount", "DECIMAL(10,2)", false),
                ("updated_at", "TIMESTAMP", false),
            ],
        ),
        table(
            "playground.raw.payments",
            &[
                ("id", "BIGINT", false),
                ("order_id", "BIGINT", false),
                ("method", "VARCHAR", false),
                ("amount", "DECIMAL(10,2)", false),
                ("paid_at", "TIMESTAMP", true),
            ],
        ),
    ];
    state_file(root).write_schemas(&tables).expect("write the schema cache");
}

fn hints(lsp: &mut LspClient, uri: &str) -> Vec<Value> {
    lsp.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 100, "character": 0 } } }),
    )
    .unwrap()
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn pos(v: &Value) -> (u64, u64) {
    (v["line"].as_u64().unwrap(), v["character"].as_u64().unwrap())
}

/// A server on `dir` with stg_orders open, once its uncached source is reported (W110): the
/// project is loaded and has no schema cache. Returns the server, the file and its URI.
fn open_uncached_stg_orders(dir: &Path) -> (LspClient, std::path::PathBuf, String) {
    let file = dir.join("models/staging/stg_orders.sql");
    let mut lsp = LspClient::start(dir);
    let uri = lsp.open(&file);
    lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "W110"));
    (lsp, file, uri)
}

#[test]
fn a_runner_writing_the_schema_cache_turns_unknown_hints_into_types() {
    let dir = copy_fixture("playground");
    let (mut lsp, file, uri) = open_uncached_stg_orders(dir.path());
    // raw.orders is not cached: its columns are Unknown, so no type hints.
    let before = hints(&mut lsp, &uri);
    assert!(before.iter().all(|h| !h["label"].as_str().unwrap_or("").contains("BIGINT")), "{before:?}");

    write_playground_cache(dir.path());
    lsp.wait_for("workspace/inlayHint/refresh", |_| true).expect("the server asks for fresh hints");
    lsp.wait_diagnostics(&uri, |d| !d.iter().any(|x| x["code"] == "W110"));

    let after = hints(&mut lsp, &uri);
    let labels: Vec<&str> = after.iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["BIGINT", "INTEGER", "TIMESTAMP", "DATE", "VARCHAR", "DECIMAL(10,2)", "TIMESTAMP"]);
    // Each hint sits right after its select item (lines 1..=7, before the comma).
    let text = std::fs::read_to_string(&file).unwrap();
    for (h, line) in after.iter().zip(1u64..) {
        let item = text.lines().nth(line as usize).unwrap().trim_end_matches(',');
        assert_eq!(pos(&h["position"]), (line, item.len() as u64), "{h}");
        assert_eq!(h["kind"], 1);
    }
    lsp.shutdown();
}

#[test]
fn a_running_server_expires_schema_cache_entries_past_their_ttl() {
    let dir = copy_fixture("playground");
    let config = dir.path().join("rocky.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("ttl_seconds = 86400", "ttl_seconds = 6");
    std::fs::write(&config, text).unwrap();
    write_playground_cache(dir.path()); // written now: fresh for 6 s
    let mut lsp = LspClient::start(dir.path());
    let file = dir.path().join("models/staging/stg_orders.sql");
    let uri = lsp.open(&file);
    lsp.wait_diagnostics(&uri, |d| d.is_empty());
    // Nothing writes the state file: the server notices the entries aging past the TTL itself.
    let d = lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "W110"));
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.starts_with("source `playground.raw.orders` was cached at "), "{msg}");
    assert!(msg.contains("longer ago than the schema-cache TTL (6 s)"), "{msg}");
    let r = &d[0]["range"];
    assert_eq!((pos(&r["start"]), pos(&r["end"])), ((8, 5), (8, 15)), "the source's name: {r}");
    // The hover on the source says the same.
    let hover = lsp.at("textDocument/hover", &uri, 8, 9).unwrap();
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("longer ago than the TTL (6 s)"), "{md}");
    lsp.shutdown();
}

#[test]
fn hover_shows_types_and_the_last_run() {
    let dir = copy_fixture("playground");
    write_playground_cache(dir.path());
    let state = state_file(dir.path());
    let run_id = rocky_state::new_run_id(now_ms());
    state
        .start_run(&RunRecord {
            id: run_id.clone(),
            started_at_ms: now_ms(),
            finished_at_ms: None,
            status: RunStatus::Running,
            trigger: "test".into(),
            branch: None,
            models: vec![],
        })
        .unwrap();
    state
        .record_model_run(
            &run_id,
            &ModelRun {
                model: "customer_orders".into(),
                target: "playground.main.customer_orders".into(),
                strategy: "table".into(),
                sql_hash: "x".into(),
                rows: Some(4),
                started_at_ms: now_ms(),
                duration_ms: 12,
                status: ModelStatus::Succeeded,
                error: None,
                tests: Vec::new(),
                warnings: Vec::new(),
            },
        )
        .unwrap();
    // A newer build on a branch: it is not production's last run, but the hover mentions it.
    let branch_run = rocky_state::new_run_id(now_ms() + 1);
    state
        .start_run(&RunRecord {
            id: branch_run.clone(),
            started_at_ms: now_ms() + 1,
            finished_at_ms: None,
            status: RunStatus::Running,
            trigger: "test".into(),
            branch: Some("feature".into()),
            models: vec![],
        })
        .unwrap();
    state
        .record_model_run(
            &branch_run,
            &ModelRun {
                model: "customer_orders".into(),
                target: "playground.branch__feature_main.customer_orders".into(),
                strategy: "table".into(),
                sql_hash: "y".into(),
                rows: Some(9),
                started_at_ms: now_ms() + 1,
                duration_ms: 3,
                status: ModelStatus::Failed,
                error: Some("Binder Error".into()),
                tests: Vec::new(),
                warnings: Vec::new(),
            },
        )
        .unwrap();

    let mut lsp = LspClient::start(dir.path());
    let file = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open(&file);
    lsp.wait_diagnostics(&uri, |_| true);
    // `from customer_orders` on the last line: hover the model name.
    let text = std::fs::read_to_string(&file).unwrap();
    let (line, l) = text.lines().enumerate().find(|(_, l)| l.starts_with("from customer_orders")).unwrap();
    let col = l.find("customer_orders").unwrap() as u32 + 3;
    let hover = lsp.at("textDocument/hover", &uri, line as u32, col).unwrap();
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("customer_orders"), "{md}");
    let last = md.lines().find(|l| l.starts_with("**Last run:**")).unwrap_or_else(|| panic!("{md}"));
    assert!(last.starts_with("**Last run:** succeeded — 4 rows, "), "{md}");
    assert!(last.ends_with(&format!(" ago, 12 ms (run `{run_id}`)")), "production's last run: {md}");
    let newer = md.lines().find(|l| l.starts_with("**Newer run elsewhere:**")).unwrap_or_else(|| panic!("{md}"));
    assert!(
        newer.starts_with(
            "**Newer run elsewhere:** branch `feature` (`playground.branch__feature_main.customer_orders`) — failed, "
        ),
        "{md}"
    );
    assert!(newer.ends_with(&format!(" ago (run `{branch_run}`)")), "{md}");
    assert!(!md.contains("Binder Error"), "the branch build's error is not production's: {md}");
    let r = &hover["range"];
    assert_eq!((pos(&r["start"]), pos(&r["end"])), ((line as u64, 5), (line as u64, 20)), "{hover}");

    // A column: its type.
    let hover = lsp.at("textDocument/hover", &uri, 4, 6).unwrap();
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("total_spent") && md.contains("DECIMAL"), "{md}");
    lsp.shutdown();
}

#[test]
fn definition_references_and_rename_of_a_model() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let ranking = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open(&ranking);
    lsp.wait_diagnostics(&uri, |_| true);
    let text = std::fs::read_to_string(&ranking).unwrap();
    let (line, l) = text.lines().enumerate().find(|(_, l)| l.starts_with("from customer_orders")).unwrap();
    let col = l.find("customer_orders").unwrap() as u32 + 1;

    let def = lsp.at("textDocument/definition", &uri, line as u32, col).unwrap();
    let target = &def.as_array().expect("definition links")[0];
    assert!(target["targetUri"].as_str().unwrap().ends_with("models/marts/customer_orders.sql"), "{def}");
    // Its query, past the comment header: `with` on line 1.
    assert_eq!(pos(&target["targetSelectionRange"]["start"]), (1, 0), "{def}");
    assert_eq!(pos(&target["targetRange"]["start"]), (1, 0), "{def}");

    let refs = lsp
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col },
                    "context": { "includeDeclaration": false } }),
        )
        .unwrap();
    let refs = refs.as_array().unwrap();
    assert!(
        refs.iter().any(|r| r["uri"] == uri && pos(&r["range"]["start"]) == (line as u64, 5)),
        "the reference here is listed: {refs:?}"
    );

    // A model can be renamed (see lsp_rename.rs): prepareRename offers its name.
    let prep = lsp.at("textDocument/prepareRename", &uri, line as u32, col).unwrap();
    assert_eq!(prep["placeholder"], "customer_orders", "{prep}");

    // A column alias: renamed where it is defined and where downstream models read it.
    let orders = dir.path().join("models/marts/customer_orders.sql");
    let orders_uri = lsp.open(&orders);
    let otext = std::fs::read_to_string(&orders).unwrap();
    let (oline, ol) = otext.lines().enumerate().find(|(_, l)| l.contains("as total_spent")).unwrap();
    let ocol = ol.find("total_spent").unwrap() as u32 + 2;
    let prep = lsp.at("textDocument/prepareRename", &orders_uri, oline as u32, ocol).unwrap();
    assert_eq!(pos(&prep["start"]), (oline as u64, ocol as u64 - 2), "{prep}");
    let edit = lsp
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": orders_uri }, "position": { "line": oline, "character": ocol }, "newName": "spent" }),
        )
        .unwrap();
    let changes = edit["changes"].as_object().expect("workspace edit");
    let there = changes.get(&orders_uri).expect("the definition is renamed").as_array().unwrap();
    assert!(
        there.iter().any(|e| e["newText"] == "spent" && pos(&e["range"]["start"]) == (oline as u64, ocol as u64 - 2)),
        "{edit}"
    );
    let here = changes.get(&uri).expect("the downstream reads are renamed").as_array().unwrap();
    assert!(here.iter().any(|e| e["newText"] == "spent" && pos(&e["range"]["start"]) == (4, 4)), "{edit}");

    // A table alias: `o` (of the CTE `completed`) and its five qualifiers, in this file only.
    let (aline, al) = otext.lines().enumerate().find(|(_, l)| l.contains("left join completed o")).unwrap();
    let acol = al.find("completed o").unwrap() as u32 + 10;
    let prep = lsp.at("textDocument/prepareRename", &orders_uri, aline as u32, acol).unwrap();
    assert_eq!(pos(&prep["start"]), (aline as u64, acol as u64), "{prep}");
    let edit = lsp
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": orders_uri }, "position": { "line": aline, "character": acol }, "newName": "ord" }),
        )
        .unwrap();
    let changes = edit["changes"].as_object().expect("workspace edit");
    assert_eq!(changes.len(), 1, "{edit}");
    let edits = changes.get(&orders_uri).expect("this file").as_array().unwrap();
    assert_eq!(edits.len(), 6, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "ord"), "{edit}");
    lsp.shutdown();
}

#[test]
fn completion_symbols_tokens_and_lineage() {
    let dir = copy_fixture("playground");
    write_playground_cache(dir.path());
    let mut lsp = LspClient::start(dir.path());
    let ranking = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open(&ranking);
    lsp.wait_diagnostics(&uri, |_| true);

    // Columns of customer_orders complete inside the select list (line 2 "    customer_id,").
    let items = lsp.at("textDocument/completion", &uri, 2, 4).unwrap();
    let items = items.as_array().expect("completion items");
    let col = items.iter().find(|i| i["label"] == "total_spent").expect("a column item");
    assert_eq!(col["kind"], 5, "field kind: {col}");

    let symbols = lsp.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).unwrap();
    assert!(!symbols.as_array().unwrap().is_empty(), "{symbols}");
    let ws = lsp.request("workspace/symbol", json!({ "query": "stg_ord" })).unwrap();
    assert!(ws.as_array().unwrap().iter().any(|s| s["name"] == "stg_orders"), "{ws}");

    let tokens = lsp.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } })).unwrap();
    let data = tokens["data"].as_array().unwrap();
    assert!(!data.is_empty() && data.len().is_multiple_of(5), "{tokens}");

    let lineage = lsp
        .request(
            "rocky/lineage",
            json!({ "model": "customer_ranking", "column": "total_spent", "direction": "upstream" }),
        )
        .unwrap();
    let nodes = lineage["nodes"].as_array().unwrap();
    assert!(nodes.iter().any(|n| n.to_string().contains("customer_orders")), "{lineage}");
    assert!(!lineage["edges"].as_array().unwrap().is_empty(), "{lineage}");
    lsp.shutdown();
}

#[test]
fn code_actions_offer_the_did_you_mean_fix() {
    let dir = copy_fixture("playground");
    let mut lsp = LspClient::start(dir.path());
    let ranking = dir.path().join("models/marts/customer_ranking.sql");
    let uri = lsp.open_text(&ranking, "select total_spnt from customer_orders\n");
    let diags = lsp.wait_diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "E102"));
    let e = diags.iter().find(|d| d["code"] == "E102").unwrap().clone();
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": e["range"], "context": { "diagnostics": [e] } }),
        )
        .unwrap();
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").contains("total_spent"))
        .unwrap_or_else(|| panic!("a fix replacing with total_spent: {actions}"));
    let edits = &fix["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "total_spent", "{fix}");
    assert_eq!(pos(&edits[0]["range"]["start"]), (0, 7));
    lsp.shutdown();
}

#[test]
fn status_reports_the_project_and_the_age_of_its_newest_schema_cache_entry() {
    let dir = copy_fixture("playground");
    let (mut lsp, _, uri) = open_uncached_stg_orders(dir.path());
    let root = dir.path().canonicalize().unwrap();
    let status = lsp.request("rocky/status", json!({})).unwrap();
    assert_eq!(status["project"], root.file_name().unwrap().to_str().unwrap(), "{status}");
    assert_eq!(status["root"], root.display().to_string(), "{status}");
    assert_eq!(
        (&status["stateFile"], &status["cacheEntries"], &status["cacheAgeSeconds"]),
        (&Value::Null, &json!(0), &Value::Null)
    );

    // Two entries, the newer written two minutes ago: the age is that of the newer one.
    let mut old = table("playground.raw.customers", &[("id", "INTEGER", false)]);
    old.written_at_ms = now_ms() - 2 * 3600 * 1000;
    let mut newer = table("playground.raw.orders", &[("id", "BIGINT", false)]);
    newer.written_at_ms = now_ms() - 120 * 1000;
    state_file(dir.path()).write_schemas(&[old, newer]).unwrap();
    lsp.wait_for("workspace/inlayHint/refresh", |_| true).expect("the server reads the new cache");
    let status = lsp.request("rocky/status", json!({ "textDocument": { "uri": uri } })).unwrap();
    assert_eq!(status["cacheEntries"], 2, "{status}");
    let state = root.join("models/.rocky-state.redb");
    assert_eq!(status["stateFile"], state.display().to_string(), "{status}");
    let age = status["cacheAgeSeconds"].as_u64().unwrap_or_else(|| panic!("{status}"));
    // At least the two minutes it was written ago; not the two hours of the older entry.
    assert!((120..3600).contains(&age), "{status}");
    lsp.shutdown();
}

#[test]
fn rocky_model_answers_a_files_model_and_a_model_by_name() {
    let dir = copy_fixture("playground");
    // A sidecar renames the model: editors must not guess the name from the file.
    std::fs::write(dir.path().join("models/marts/customer_ranking.toml"), "name = \"top_customers\"\n").unwrap();
    let mut lsp = LspClient::start(dir.path());
    let uri = lsp.open(&dir.path().join("models/marts/customer_ranking.sql"));
    lsp.wait_diagnostics(&uri, |_| true);

    let m = lsp.request("rocky/model", json!({ "textDocument": { "uri": uri } })).unwrap();
    assert_eq!((&m["name"], &m["uri"]), (&json!("top_customers"), &json!(uri)), "{m}");
    assert_eq!(m["path"], "models/marts/customer_ranking.sql");
    assert!(m["sidecarUri"].as_str().is_some_and(|s| s.ends_with("/models/marts/customer_ranking.toml")), "{m}");
    // Its sidecar (not open) belongs to the same model.
    let sidecar = rocky_tests::lsp_client::file_uri(&dir.path().join("models/marts/customer_ranking.toml"));
    let m = lsp.request("rocky/model", json!({ "textDocument": { "uri": sidecar } })).unwrap();
    assert_eq!(m["name"], "top_customers", "{m}");

    // By name (case-insensitive), in the document's project: where to open it.
    let m = lsp.request("rocky/model", json!({ "textDocument": { "uri": uri }, "name": "CUSTOMER_ORDERS" })).unwrap();
    assert_eq!(m["name"], "customer_orders", "{m}");
    assert!(m["uri"].as_str().is_some_and(|s| s.ends_with("/models/marts/customer_orders.sql")), "{m}");
    assert_eq!(m["strategy"], "full_refresh", "{m}");
    assert!(m["dependsOn"].as_array().is_some_and(|d| d.contains(&json!("stg_orders"))), "{m}");
    let m = lsp.request("rocky/model", json!({ "name": "top_customers" })).unwrap();
    assert_eq!(m["uri"], json!(uri), "by name alone: the first project");

    // Not a model, no such model: null. Nothing to look up: invalid params.
    let config = rocky_tests::lsp_client::file_uri(&dir.path().join("rocky.toml"));
    assert_eq!(lsp.request("rocky/model", json!({ "textDocument": { "uri": config } })).unwrap(), Value::Null);
    assert_eq!(
        lsp.request("rocky/model", json!({ "textDocument": { "uri": uri }, "name": "nope" })).unwrap(),
        Value::Null
    );
    let err = lsp.request("rocky/model", json!({})).unwrap_err();
    assert_eq!(err["code"], -32602, "{err}");
    lsp.shutdown();
}
