//! Per-keystroke check of a Spark model (not a test): from the schema cache, as Rocky does,
//! against the same check preceded by one `AnalyzePlan` round trip (the columns of `SELECT * FROM
//! <source>`, what `DESCRIBE` answers, nothing run) to the Spark Connect server per source table
//! the model reads (`rocky_tests::keystroke`).
//!
//! `. /tmp/spark-x/env && cargo bench -p rocky-tests --bench spark_keystroke -- [--runs 5] [--iters 200]`
//! needs `ROCKY_TEST_SPARK_URL` (`scripts/spark-server.sh start /tmp/spark-x`). Prints a Markdown
//! table. The bench's tables live in a schema of their own, dropped at the end.

// The same allocator the shipped binaries use.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rocky_analysis::{SourceColumn, SourceSchemaSnapshot, SourceTable};
use rocky_spark_connect::SparkSession;
use rocky_tests::keystroke::{measure, Setup};

const CATALOG: &str = "spark_catalog";

/// The sources: a small shop, in Spark's types.
const TABLES: [(&str, &str); 4] = [
    ("orders", "id BIGINT, customer_id INT, amount DECIMAL(12,2), status STRING, ordered_at TIMESTAMP"),
    ("order_items", "order_id BIGINT, product_id INT, qty INT, unit_price DECIMAL(10,2)"),
    ("products", "id INT, name STRING, category STRING, tags ARRAY<STRING>"),
    ("customers", "id INT, name STRING, country STRING, signed_up DATE"),
];

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let runs = args.number("--runs", 5).max(1);
    let iters = args.number("--iters", 200).max(1);
    let url = std::env::var("ROCKY_TEST_SPARK_URL")
        .unwrap_or_else(|_| panic!("ROCKY_TEST_SPARK_URL is not set: scripts/spark-server.sh start DIR && . DIR/env"));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let session = runtime.block_on(SparkSession::connect(&url, None)).unwrap_or_else(|e| panic!("{url}: {e}"));
    let sql = |q: &str| runtime.block_on(session.sql(q)).unwrap_or_else(|e| panic!("{q}: {e}"));
    let version = sql("SELECT version()").scalar().unwrap_or_default().to_string();
    let schema = format!("rocky_kbench_{}", std::process::id());
    sql(&format!("CREATE DATABASE {schema}"));
    let describe = |qualified: &str| -> Vec<SourceColumn> {
        let q = format!("SELECT * FROM {qualified}");
        runtime
            .block_on(session.describe_query(&q))
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .into_iter()
            .map(|c| SourceColumn { name: c.name, type_string: c.data_type, nullable: c.nullable })
            .collect()
    };
    let mut cached = SourceSchemaSnapshot::default();
    for (table, columns) in TABLES {
        sql(&format!("CREATE TABLE {schema}.{table} ({columns}) USING parquet"));
        let key = format!("{CATALOG}.{schema}.{table}");
        cached.insert(SourceTable { key, columns: describe(&format!("{schema}.{table}")), written_at: None });
    }
    // The edited model: a mart reading the four sources. Each keystroke changes the WHERE literal.
    let model = |i: usize| {
        format!(
            "select\n    p.category,\n    c.country,\n    date_trunc('MONTH', o.ordered_at) as month,\n    \
             count(distinct o.id) as orders,\n    sum(i.qty * i.unit_price) as revenue,\n    \
             avg(o.amount) as avg_order\nfrom {schema}.orders o\njoin {schema}.order_items i on i.order_id = o.id\n\
             join {schema}.products p on p.id = i.product_id\njoin {schema}.customers c on c.id = o.customer_id\n\
             where o.amount > {i}\ngroup by 1, 2, 3\n"
        )
    };
    let setup = Setup {
        config: "[adapter]\ntype = \"spark\"\n".to_string(),
        sources: cached,
        path: "models/marts/product_revenue.sql",
        model: &model,
    };
    let report = measure(&setup, runs, iters, &mut |qualified| describe(qualified));
    sql(&format!("DROP DATABASE {schema} CASCADE"));
    assert_eq!(report.sources, 4, "the model reads four sources");
    report.print(
        &format!("Spark {version} over Spark Connect at {url}; {runs} runs × {iters} keystrokes"),
        "AnalyzePlan",
    );
}
