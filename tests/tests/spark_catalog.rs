//! The generated Spark catalog (`analysis/src/dialect/spark/catalog.jsonl`, written by
//! `scripts/gen-spark-catalog.sh`) must come from the Spark the tests run against: the same
//! version and the same ANSI setting as the server at `ROCKY_TEST_SPARK_URL`. A newer Spark
//! fails this test until the catalog is regenerated.

use rocky_analysis::dialect::SparkCatalog;
use rocky_spark_connect::SparkSession;

#[test]
fn catalog_matches_the_test_server() {
    let url = std::env::var("ROCKY_TEST_SPARK_URL").unwrap_or_else(|_| {
        panic!(
            "ROCKY_TEST_SPARK_URL is not set: start a Spark Connect server with \
             `scripts/spark-server.sh start /tmp/spark-test` and `. /tmp/spark-test/env` \
             (scripts/test.sh does both)"
        )
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (version, ansi) = rt.block_on(async {
        let session = SparkSession::connect(&url, None).await.unwrap_or_else(|e| panic!("connect: {}", e.message));
        let version = session.sql("SELECT version()").await.unwrap_or_else(|e| panic!("version(): {}", e.message));
        // `SET key` answers one row: the key and its value.
        let ansi =
            session.sql("SET spark.sql.ansi.enabled").await.unwrap_or_else(|e| panic!("ansi setting: {}", e.message));
        let ansi = ansi.rows.first().and_then(|r| r.get(1)).cloned().flatten().unwrap_or_default();
        let _ = session.close().await;
        (version.scalar().unwrap_or_default().to_string(), ansi)
    });
    let catalog = SparkCatalog::get();
    let server_version = version.split_whitespace().next().unwrap_or_default();
    assert_eq!(
        catalog.version(),
        server_version,
        "the Spark catalog was generated from Spark {} but the test server is {server_version}: run \
         scripts/gen-spark-catalog.sh (ROCKY_SPARK_VENV: a venv with that pyspark)",
        catalog.version()
    );
    assert_eq!(catalog.ansi().to_string(), ansi, "spark.sql.ansi.enabled differs from the generated catalog's");
}
