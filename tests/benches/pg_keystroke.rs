//! Per-keystroke check of a PostgreSQL model (not a test): from the schema cache, as Rocky does,
//! against the same check preceded by one catalog round-trip to the server per source table the
//! model reads (`rocky_tests::keystroke`).
//!
//! `. /tmp/pg-x/env && cargo bench -p rocky-tests --bench pg_keystroke -- [--runs 5] [--iters 200]`
//! needs `ROCKY_TEST_PG_URL` (`scripts/pg-cluster.sh start /tmp/pg-x`). Prints a Markdown table.

use std::path::PathBuf;

// The same allocator the shipped binaries use.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rocky_tests::keystroke::{measure, Setup};
use rocky_tests::pg::{describe_table, message, snapshot, ScratchDb};

const CATALOG: &str = "warehouse";

/// The edited model: a mart reading four sources. Each keystroke changes the WHERE literal.
fn model(i: usize) -> String {
    format!(
        "select\n    p.category,\n    c.country,\n    date_trunc('month', o.ordered_at) as month,\n    \
         count(distinct o.id) as orders,\n    sum(i.qty * i.unit_price) as revenue,\n    \
         avg(o.amount) as avg_order\nfrom shop.orders o\njoin shop.order_items i on i.order_id = o.id\n\
         join shop.products p on p.id = i.product_id\njoin shop.customers c on c.id = o.customer_id\n\
         where o.amount > {i}\ngroup by 1, 2, 3\n"
    )
}

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let runs = args.number("--runs", 5).max(1);
    let iters = args.number("--iters", 200).max(1);

    let mut db = ScratchDb::create("rocky_pgbench").unwrap_or_else(|e| panic!("{e}"));
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/postgres/seed.sql");
    let seed = std::fs::read_to_string(&seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
    db.client.batch_execute(&seed).unwrap_or_else(|e| panic!("seed: {}", message(&e)));
    let cached = snapshot(&mut db.client, CATALOG).unwrap_or_else(|e| panic!("{e}"));
    let version: String = db.client.query_one("SHOW server_version", &[]).map(|r| r.get(0)).unwrap_or_default();

    let setup = Setup {
        config: format!("[adapter]\ntype = \"postgres\"\ndbname = \"{CATALOG}\"\n"),
        sources: cached,
        path: "models/marts/product_revenue.sql",
        model: &model,
    };
    let report = measure(&setup, runs, iters, &mut |qualified| {
        describe_table(&mut db.client, qualified).unwrap_or_else(|e| panic!("{qualified}: {e}"))
    });
    assert_eq!(report.sources, 4, "the model reads four sources");
    let server = std::env::var(rocky_tests::pg::URL_VAR)
        .map(|u| u.rsplit('@').next().unwrap_or("").to_string())
        .unwrap_or_default();
    report.print(&format!("PostgreSQL {version} on {server}; {runs} runs × {iters} keystrokes"), "catalog query");
}
