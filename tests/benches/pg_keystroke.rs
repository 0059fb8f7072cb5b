//! Per-keystroke check of a PostgreSQL model (not a test): from the schema cache, as Rocky does,
//! against the same check preceded by one catalog round-trip to the server per source table the
//! model reads (what a checker that DESCRIBEs its sources on every edit would pay, on an already
//! open connection to a local server: the cheapest such design).
//!
//! `. /tmp/pg-x/env && cargo bench -p rocky-tests --bench pg_keystroke -- [--runs 5] [--iters 200]`
//! needs `ROCKY_TEST_PG_URL` (`scripts/pg-cluster.sh start /tmp/pg-x`). Prints a Markdown table.

use std::path::PathBuf;
use std::time::{Duration, Instant};

// The same allocator the shipped binaries use.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rocky_analysis::{AnalysisHost, SourceSchemaSnapshot, SourceTable};
use rocky_tests::pg::{describe_table, message, snapshot, ScratchDb};

const CATALOG: &str = "warehouse";
const PATH: &str = "models/marts/product_revenue.sql";

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

fn host(sources: SourceSchemaSnapshot) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some(format!("[adapter]\ntype = \"postgres\"\ndbname = \"{CATALOG}\"\n")));
    host.set_source_schemas(sources);
    host.set_model(PATH, model(0));
    host
}

/// One keystroke: set the text, ask for the file's diagnostics (the editor's path).
fn check(host: &mut AnalysisHost, i: usize) -> usize {
    host.set_model(PATH, model(i));
    host.analysis().file_diagnostics(PATH).expect("not cancelled").len()
}

fn stats(mut xs: Vec<Duration>) -> (Duration, Duration, Duration) {
    xs.sort();
    (xs[0], xs[xs.len() / 2], xs[xs.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
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

    let mut from_cache = host(cached.clone());
    let mut with_describe = host(cached);
    // The sources the edited model reads, as `schema.table` for the server.
    let info = from_cache.analysis().model_of_file(PATH).expect("not cancelled").expect("the model exists");
    let sources: Vec<(String, String)> = info
        .sources
        .iter()
        .map(|key| (key.clone(), key.split_once('.').map_or(key.as_str(), |(_, rest)| rest).to_string()))
        .collect();
    assert_eq!(sources.len(), 4, "the model reads four sources: {sources:?}");

    let (mut cache_times, mut describe_times, mut round_trips) = (Vec::new(), Vec::new(), Vec::new());
    let mut p50s = Vec::new();
    for run in 0..runs {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        // Interleaved, so both paths see the same machine; the first 20 edits warm up.
        for i in 0..iters + 20 {
            let key = run * (iters + 20) + i + 1;
            let t = Instant::now();
            let n = check(&mut from_cache, key);
            let cache_time = t.elapsed();

            let t = Instant::now();
            let mut fresh = SourceSchemaSnapshot::default();
            for (key, qualified) in &sources {
                let columns = describe_table(&mut db.client, qualified).unwrap_or_else(|e| panic!("{qualified}: {e}"));
                fresh.insert(SourceTable { key: key.clone(), columns, written_at: None });
            }
            let trips = t.elapsed();
            with_describe.set_source_schemas(fresh);
            let m = check(&mut with_describe, key);
            let describe_time = t.elapsed();
            assert_eq!(n, m, "both paths see the same model");
            if i >= 20 {
                a.push(cache_time);
                b.push(describe_time);
                round_trips.push(trips);
            }
        }
        p50s.push((stats(a.clone()).1, stats(b.clone()).1));
        cache_times.extend(a);
        describe_times.extend(b);
    }

    println!(
        "PostgreSQL {version} on {}; {runs} runs × {iters} keystrokes; the model reads {} sources\n",
        std::env::var(rocky_tests::pg::URL_VAR)
            .map(|u| u.rsplit('@').next().unwrap_or("").to_string())
            .unwrap_or_default(),
        sources.len()
    );
    println!("| per keystroke | min | p50 | worst |");
    println!("|---|---:|---:|---:|");
    let (a_min, a_p50, a_max) = stats(cache_times);
    let (b_min, b_p50, b_max) = stats(describe_times);
    let (r_min, r_p50, r_max) = stats(round_trips);
    println!("| check from the schema cache (Rocky) | {} | {} | {} |", ms(a_min), ms(a_p50), ms(a_max));
    println!(
        "| same check + one catalog query per source ({}) | {} | {} | {} |",
        sources.len(),
        ms(b_min),
        ms(b_p50),
        ms(b_max)
    );
    println!("| of which: the {} catalog round-trips | {} | {} | {} |", sources.len(), ms(r_min), ms(r_p50), ms(r_max));
    println!(
        "\nratio (with round-trips / from cache): p50 {:.1}×, min {:.1}×, worst {:.1}×",
        b_p50.as_secs_f64() / a_p50.as_secs_f64(),
        b_min.as_secs_f64() / a_min.as_secs_f64(),
        b_max.as_secs_f64() / a_max.as_secs_f64()
    );
    let per_run: Vec<String> = p50s.iter().map(|(a, b)| format!("{} / {}", ms(*a), ms(*b))).collect();
    println!("p50 per run (cache / with round-trips): {}", per_run.join(", "));
}
