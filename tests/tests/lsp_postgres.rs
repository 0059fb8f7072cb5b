//! `rocky-lsp` on a PostgreSQL project works from the schema cache alone: hover, inlay hints and
//! completion show PostgreSQL's own type names (`format_type` spelling, as the runner caches
//! them) and diagnostics work, while no connection to the warehouse is ever attempted. The
//! config points at a local port that refuses every connection, as a closed port would, but
//! counts them. Build the binary first: `cargo build -p rocky-lsp`.

use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rocky_state::{CachedColumn, CachedTable, StateFile};
use rocky_tests::lsp_client::LspClient;
use serde_json::{json, Value};

/// A port on 127.0.0.1 that closes every connection at once and counts the attempts.
struct RefusingPort {
    port: u16,
    attempts: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl RefusingPort {
    fn open() -> RefusingPort {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let attempts = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, s) = (attempts.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((conn, _)) => {
                        a.fetch_add(1, Ordering::Relaxed);
                        drop(conn);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        RefusingPort { port, attempts, stop }
    }
}

impl Drop for RefusingPort {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

const STG_ORDERS: &str = "\
select
    id as order_id,
    customer_id,
    amount,
    status,
    ordered_at
from raw.orders
";

const CUSTOMER_TOTALS: &str = "\
select
    customer_id,
    sum(amount) as total,
    max(ordred_at) as last_order_at
from stg_orders
group by customer_id
";

/// A PostgreSQL project whose state file caches `raw.orders` as the runner's catalog query
/// would (PostgreSQL's type strings), with the warehouse at `port`.
fn project(root: &Path, port: u16) {
    let config = format!(
        "[adapter]\ntype = \"postgres\"\nhost = \"127.0.0.1\"\nport = {port}\ndbname = \"warehouse\"\n\
         user = \"analyst\"\npassword_env = \"ROCKY_LSP_TEST_UNSET_PASSWORD\"\n\n\
         [pipeline.shop]\ntype = \"transformation\"\nmodels = \"models/**\"\n"
    );
    std::fs::write(root.join("rocky.toml"), config).expect("write rocky.toml");
    std::fs::create_dir_all(root.join("models")).expect("models folder");
    std::fs::write(root.join("models/stg_orders.sql"), STG_ORDERS).expect("write a model");
    std::fs::write(root.join("models/customer_totals.sql"), CUSTOMER_TOTALS).expect("write a model");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_millis() as u64;
    let column =
        |name: &str, ty: &str, nullable: bool| CachedColumn { name: name.into(), type_string: ty.into(), nullable };
    let orders = CachedTable {
        key: "warehouse.raw.orders".into(),
        columns: vec![
            column("id", "bigint", false),
            column("customer_id", "integer", false),
            column("amount", "numeric(12,2)", false),
            column("status", "character varying(20)", false),
            column("ordered_at", "timestamp with time zone", false),
            column("shipped_at", "timestamp with time zone", true),
        ],
        written_at_ms: now,
        built: None,
    };
    StateFile::new(root.join("models/.rocky-state.redb")).write_schemas(&[orders]).expect("write the schema cache");
}

fn labels(hints: &Value) -> Vec<String> {
    hints.as_array().into_iter().flatten().filter_map(|h| h["label"].as_str().map(str::to_string)).collect()
}

#[test]
fn postgres_project_from_the_cache_alone() {
    let warehouse = RefusingPort::open();
    let dir = tempfile::tempdir().expect("a temporary folder");
    project(dir.path(), warehouse.port);
    let mut lsp = LspClient::start(dir.path());

    let stg = lsp.open(&dir.path().join("models/stg_orders.sql"));
    let d = lsp.wait_diagnostics(&stg, |_| true);
    assert!(d.is_empty(), "stg_orders is clean and its source is cached: {d:?}");

    let hints = lsp
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": stg },
                    "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 20, "character": 0 } } }),
        )
        .expect("inlay hints");
    assert_eq!(
        labels(&hints),
        ["bigint", "integer", "numeric(12,2)", "character varying(20)", "timestamp with time zone"],
        "{hints}"
    );

    // `amount` on line 3.
    let hover = lsp.at("textDocument/hover", &stg, 3, 6).expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("numeric(12,2)"), "hover shows PostgreSQL's type: {md}");
    assert!(!md.contains("DECIMAL"), "no DuckDB type names: {md}");

    // The downstream model: its misspelt column is reported at its name, and completion offers
    // the upstream model's columns with PostgreSQL's types.
    let totals = lsp.open(&dir.path().join("models/customer_totals.sql"));
    let d = lsp.wait_diagnostics(&totals, |d| !d.is_empty());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "E102", "{d:?}");
    let r = &d[0]["range"];
    assert_eq!(
        (&r["start"]["line"], &r["start"]["character"], &r["end"]["character"]),
        (&json!(3), &json!(8), &json!(17))
    );

    let items = lsp.at("textDocument/completion", &totals, 1, 4).expect("completion");
    let items = items.as_array().cloned().unwrap_or_default();
    let status = items.iter().find(|i| i["label"] == "status").unwrap_or_else(|| panic!("a column item: {items:?}"));
    let detail = status["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with("character varying(20)"), "completion shows PostgreSQL's type: {detail}");

    // Hover on the downstream total: PostgreSQL's sum(numeric) is numeric.
    let hover = lsp.at("textDocument/hover", &totals, 2, 21).expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("numeric"), "{md}");

    lsp.shutdown();
    assert_eq!(warehouse.attempts.load(Ordering::Relaxed), 0, "the language server connected to the warehouse");
}
