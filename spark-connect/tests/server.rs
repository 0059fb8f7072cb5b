//! The client against a real Spark Connect server (`scripts/spark-server.sh start DIR`, then
//! `. DIR/env`; `scripts/test.sh` starts one for the suite). Each test works in its own database.

use std::time::{Duration, Instant};

use rocky_spark_connect::{ErrorKind, SparkSession};

fn url() -> String {
    std::env::var("ROCKY_TEST_SPARK_URL").unwrap_or_else(|_| {
        panic!(
            "ROCKY_TEST_SPARK_URL is not set: start a Spark Connect server with `scripts/spark-server.sh start /tmp/spark` \
             and `. /tmp/spark/env` (scripts/test.sh does this for the whole suite)"
        )
    })
}

async fn session() -> SparkSession {
    SparkSession::connect(&url(), None).await.unwrap_or_else(|e| panic!("cannot connect to {}: {e}", url()))
}

/// A fresh database for one test.
async fn database(session: &SparkSession, name: &str) -> String {
    let db = format!("client_{name}");
    session.sql(&format!("DROP DATABASE IF EXISTS {db} CASCADE")).await.unwrap();
    session.sql(&format!("CREATE DATABASE {db}")).await.unwrap();
    db
}

#[tokio::test]
async fn commands_and_queries_round_trip() {
    let s = session().await;
    let db = database(&s, "round_trip").await;
    let created = s
        .sql(&format!("CREATE TABLE {db}.t (id INT, amount DECIMAL(12,2), tags ARRAY<STRING>) USING parquet"))
        .await
        .unwrap();
    assert!(created.rows.is_empty());
    s.sql(&format!("INSERT INTO {db}.t VALUES (1, 2.50, array('a', 'b')), (2, NULL, array())")).await.unwrap();
    let t = s
        .sql(&format!("SELECT id, amount, tags, TIMESTAMP'2024-01-02 03:04:05' AS ts, DATE'2024-01-02' AS d FROM {db}.t ORDER BY id"))
        .await
        .unwrap();
    let types: Vec<(&str, &str)> = t.columns.iter().map(|c| (c.name.as_str(), c.data_type.as_str())).collect();
    assert_eq!(
        types,
        [("id", "int"), ("amount", "decimal(12,2)"), ("tags", "array<string>"), ("ts", "timestamp"), ("d", "date")]
    );
    let some = |v: &str| Some(v.to_string());
    assert_eq!(
        t.rows,
        vec![
            vec![some("1"), some("2.50"), some("[a, b]"), some("2024-01-02 03:04:05"), some("2024-01-02")],
            vec![some("2"), None, some("[]"), some("2024-01-02 03:04:05"), some("2024-01-02")],
        ]
    );
    // A command's own result rows come back too.
    let shown = s.sql(&format!("SHOW TABLES IN {db}")).await.unwrap();
    assert_eq!(shown.rows.len(), 1);
    assert_eq!(shown.rows[0][1].as_deref(), Some("t"));
    assert_eq!(s.sql("SELECT CAST(NULL AS INT)").await.unwrap().scalar(), None);
    assert_eq!(s.sql("SELECT 40 + 2").await.unwrap().scalar(), Some("42"));
}

/// `describe_query` prints types exactly as Spark's own `DESCRIBE QUERY` does.
#[tokio::test]
async fn describe_query_matches_describe_query_output() {
    let s = session().await;
    let db = database(&s, "describe").await;
    s.sql(&format!("CREATE TABLE {db}.t (v VARCHAR(10), c CHAR(3), n INT NOT NULL) USING parquet")).await.unwrap();
    let queries = [
        "SELECT 1 AS a, 2L AS b, 1Y AS c, 1S AS d, 1.5F AS e, 1.5D AS f, 1.5BD AS g, 'x' AS h, true AS i, X'01' AS j",
        "SELECT CAST(1 AS DECIMAL(12,2)) AS a, DATE'2020-01-01' AS b, TIMESTAMP'2020-01-01 00:00:00' AS c, \
         TIMESTAMP_NTZ'2020-01-01 00:00:00' AS d, NULL AS e",
        "SELECT array(1, 2) AS a, map('k', 1) AS b, named_struct('x', 1, 'y z', 'w') AS c, array(named_struct('k', map(1, array(2.5)))) AS d",
        "SELECT INTERVAL '1' DAY AS a, INTERVAL '1-2' YEAR TO MONTH AS b, INTERVAL '1 02:03:04' DAY TO SECOND AS c, INTERVAL '3' HOUR AS d",
        "SELECT CAST('a' AS VARCHAR(3)) AS a, CAST('a' AS CHAR(2)) AS b, 'a' COLLATE UTF8_LCASE AS c, parse_json('1') AS d",
        "SELECT * FROM client_describe.t",
    ];
    for query in queries {
        let ours: Vec<(String, String)> =
            s.describe_query(query).await.unwrap().into_iter().map(|c| (c.name, c.data_type)).collect();
        let spark: Vec<(String, String)> = s
            .sql(&format!("DESCRIBE QUERY {query}"))
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r[0].clone().unwrap_or_default(), r[1].clone().unwrap_or_default()))
            .collect();
        assert_eq!(ours, spark, "{query}");
    }
    // (Parquet tables read back nullable whatever their DDL said; a literal is not null.)
    let t = s.describe_query(&format!("SELECT 1 AS n, v FROM {db}.t")).await.unwrap();
    assert_eq!(t.iter().map(|c| c.nullable).collect::<Vec<_>>(), [false, true]);
    // Nothing ran: describing an INSERT's query does not insert.
    assert_eq!(s.sql(&format!("SELECT count(*) FROM {db}.t")).await.unwrap().scalar(), Some("0"));
}

#[tokio::test]
async fn errors_carry_class_sqlstate_and_position() {
    let s = session().await;
    let db = database(&s, "errors").await;
    s.sql(&format!("CREATE TABLE {db}.t (a INT) USING parquet")).await.unwrap();

    let sql = format!("SELECT a,\n  nope FROM {db}.t");
    let e = s.sql(&sql).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert_eq!(e.error_class.as_deref(), Some("UNRESOLVED_COLUMN.WITH_SUGGESTION"));
    assert_eq!(e.sqlstate.as_deref(), Some("42703"));
    let c = e.context.clone().expect("a query context");
    assert_eq!((&sql[c.start..=c.stop], c.fragment.as_str()), ("nope", "nope"));
    assert!(e.message.contains("`nope` cannot be resolved"), "{}", e.message);
    assert!(!e.message.contains("'Project"), "the plan is cut off: {}", e.message);

    // describe_query reports the same, without running anything.
    let d = s.describe_query(&sql).await.unwrap_err();
    assert_eq!((d.error_class, d.context), (e.error_class, e.context));

    let sql = "SELECT 1 FROM\n  client_errors.missing";
    let e = s.sql(sql).await.unwrap_err();
    assert_eq!((e.error_class.as_deref(), e.sqlstate.as_deref()), (Some("TABLE_OR_VIEW_NOT_FOUND"), Some("42P01")));
    let c = e.context.expect("a query context");
    assert_eq!(&sql[c.start..=c.stop], "client_errors.missing");

    // Parse errors have no query context; the position comes from the message.
    let sql = "SELECT 1,\n  2 FROMM t";
    let e = s.sql(sql).await.unwrap_err();
    assert_eq!((e.error_class.as_deref(), e.sqlstate.as_deref()), (Some("PARSE_SYNTAX_ERROR"), Some("42601")));
    let c = e.context.clone().expect("a position");
    assert_eq!(&sql[c.start..=c.stop], "t", "{e}");
    assert!(!e.message.contains("== SQL =="), "{}", e.message);
    assert!(e.to_string().starts_with("[PARSE_SYNTAX_ERROR] Syntax error at or near 't'"), "{e}");

    // Errors with Spark's caret excerpt (`== SQL (line 2, position 13) ==`, 1-based).
    let sql = "SELECT 1,\n  CAST(2 AS VARCHAR) AS x";
    let e = s.sql(sql).await.unwrap_err();
    assert_eq!(e.error_class.as_deref(), Some("DATATYPE_MISSING_SIZE"));
    let c = e.context.clone().expect("a position");
    assert_eq!(&sql[c.start..=c.stop], "VARCHAR", "{c:?}");
    assert!(!e.message.contains("== SQL"), "{}", e.message);
}

#[tokio::test]
async fn connection_refused_says_where_and_what_to_check() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let e = match SparkSession::connect(&format!("sc://127.0.0.1:{port}"), None).await {
        Ok(_) => panic!("nothing listens on port {port}"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::Connect);
    assert!(e.message.contains(&format!("127.0.0.1:{port}")) && e.message.contains("refused"), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("url")));
    let e = SparkSession::connect("http://localhost:15002", None).await.err().expect("not an sc:// URL");
    assert_eq!(e.kind, ErrorKind::Url);
}

#[tokio::test]
async fn interrupt_cancels_a_running_query() {
    let s = session().await;
    let running = s.clone();
    let query = tokio::spawn(async move {
        let started = Instant::now();
        (running.sql("SELECT sum(id % 7) FROM range(0, 100000000000, 1, 2)").await, started.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let interrupted = s.interrupt_all().await.unwrap();
    assert_eq!(interrupted.len(), 1, "one operation was running");
    let (result, elapsed) = query.await.unwrap();
    let e = result.expect_err("the query was interrupted");
    assert_eq!(e.kind, ErrorKind::Interrupted, "{e:?}");
    assert!(elapsed < Duration::from_secs(30), "stopped promptly, not after the query: {elapsed:?}");
    // The session still works.
    assert_eq!(s.sql("SELECT 1").await.unwrap().scalar(), Some("1"));
}

#[tokio::test]
async fn interrupt_by_tag_spares_other_operations() {
    let s = session().await;
    let tagged = s.clone();
    let query = tokio::spawn(async move {
        tagged.sql_tagged("SELECT sum(id % 7) FROM range(0, 100000000000, 1, 2)", &["rocky-long".into()]).await
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(s.interrupt_tag("other").await.unwrap().is_empty());
    assert_eq!(s.interrupt_tag("rocky-long").await.unwrap().len(), 1);
    assert_eq!(query.await.unwrap().expect_err("interrupted").kind, ErrorKind::Interrupted);
}
