//! `rocky run` benchmark (not a test): the real binary against the same compiled SQL executed
//! directly through the duckdb crate, in one process, in DAG order, on the same database setup:
//! `rocky run --concurrency 1` against one connection, and `--concurrency N` against N
//! connections running the statements as soon as their upstream models are built.
//!
//! ```text
//! cargo build --release -p rocky-runner
//! cargo bench -p rocky-tests --bench run -- [--models 200] [--rows 2000] [--iters 5] [--concurrency 4]
//!     [--rocky PATH] [--baseline PATH]
//! ```
//! `--rocky` defaults to `$CARGO_TARGET_DIR/release/rocky` (else `target/release/rocky`);
//! `--baseline` measures a second binary (e.g. one built before a change) in the same iterations;
//! `--keep` leaves the generated project (and its seeded `template.duckdb`) for profiling.
//! Each iteration starts every measurement from a fresh copy of the seeded database and no state
//! file; ratios are taken within an iteration (rocky / direct at the same parallelism).
//!
//! `--adapter postgres` measures the PostgreSQL adapter instead, on the server `ROCKY_TEST_PG_URL`
//! names (`scripts/pg-cluster.sh start DIR` starts one): `rocky run --concurrency 1` against the
//! same statements (`CREATE TABLE … AS`, target schemas first) run serially through one
//! connection, each from a fresh copy (`CREATE DATABASE … TEMPLATE`) of the seeded database
//! (`--baseline` works there too). Rocky connects without TLS, as `direct` does, unless
//! `--sslmode prefer` (or another mode) is given.
//!
//! `--adapter spark` measures the Spark adapter, on the Spark Connect server `ROCKY_TEST_SPARK_URL`
//! names (`scripts/spark-server.sh start DIR` starts one): `rocky run --concurrency 1` (and
//! `--concurrency N`) against the same statements (`CREATE TABLE … AS`, target schemas first)
//! submitted serially through one Spark Connect session, each after the built tables are dropped
//! (the seeded sources stay). Defaults to `--models 30 --rows 2000 --iters 3 --concurrency 2`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rocky_analysis::ide::{quote_table, CompileOptions};
use rocky_tests::generator::{generate, GenConfig};

/// Min, p50 and worst.
fn stats(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    (xs[0], xs[xs.len() / 2], xs[xs.len() - 1])
}

/// Fresh copy of the seeded database, no state file.
fn reset(dir: &Path, template: &Path) {
    std::fs::copy(template, dir.join("bench.duckdb")).expect("copy database");
    let _ = std::fs::remove_file(dir.join("bench.duckdb.wal"));
    let _ = std::fs::remove_file(dir.join("models/.rocky-state.redb"));
}

fn rocky_run(rocky: &Path, dir: &Path, concurrency: usize) -> Duration {
    let t = Instant::now();
    let out = Command::new(rocky)
        .current_dir(dir)
        .args(["run", "--concurrency", &concurrency.to_string()])
        .output()
        .expect("start rocky");
    let elapsed = t.elapsed();
    assert!(out.status.success(), "rocky run failed:\n{}", String::from_utf8_lossy(&out.stderr));
    elapsed
}

/// One compiled model: its statement and the plan indexes of the models it reads.
struct Statement {
    sql: String,
    upstream: Vec<usize>,
}

/// Runs `statements` (in DAG order) on `workers` connections, each statement once its upstream
/// statements are done, lowest index first (what `rocky run` does, without anything around it).
fn direct(db: &Path, statements: &[Statement], workers: usize) -> Duration {
    let t = Instant::now();
    let conn = duckdb::Connection::open(db).expect("open");
    if workers <= 1 {
        for s in statements {
            conn.execute(&s.sql, []).expect("statement");
        }
        drop(conn);
        return t.elapsed();
    }
    // Per statement: how many upstream statements it still waits for, and whether it was taken.
    let state = Arc::new((
        Mutex::new((statements.iter().map(|s| s.upstream.len()).collect::<Vec<_>>(), vec![false; statements.len()])),
        Condvar::new(),
    ));
    let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); statements.len()];
    for (i, s) in statements.iter().enumerate() {
        for &u in &s.upstream {
            downstream[u].push(i);
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let conn = conn.try_clone().expect("connection");
            let (state, downstream) = (state.clone(), &downstream);
            scope.spawn(move || loop {
                let i = {
                    let (lock, cv) = &*state;
                    let mut guard = lock.lock().expect("lock");
                    loop {
                        let (waiting, taken) = &mut *guard;
                        if taken.iter().all(|t| *t) {
                            return;
                        }
                        if let Some(i) = (0..waiting.len()).find(|&i| !taken[i] && waiting[i] == 0) {
                            taken[i] = true;
                            break i;
                        }
                        guard = cv.wait(guard).expect("wait");
                    }
                };
                conn.execute(&statements[i].sql, []).expect("statement");
                let (lock, cv) = &*state;
                let mut guard = lock.lock().expect("lock");
                for &d in &downstream[i] {
                    guard.0[d] -= 1;
                }
                cv.notify_all();
            });
        }
    });
    drop(conn);
    t.elapsed()
}

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    match args.value("--adapter").as_deref() {
        Some("postgres") => return postgres_mode::main(&args),
        Some("spark") => return spark_mode::main(&args),
        _ => {}
    }
    let models = args.number("--models", 200);
    let rows = args.number("--rows", 2_000);
    let iters = args.number("--iters", 5);
    let concurrency = args.number("--concurrency", 4);
    let rocky = args.value("--rocky").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        PathBuf::from(target).join("release/rocky")
    });
    let baseline = args.value("--baseline").map(PathBuf::from);
    for bin in std::iter::once(&rocky).chain(baseline.as_ref()) {
        assert!(
            bin.is_file(),
            "no rocky binary at {} (build it with `cargo build --release -p rocky-runner`)",
            bin.display()
        );
    }

    // The project and its seeded database (template copied before every measurement).
    let dir = tempfile::tempdir().expect("temp dir");
    let project = generate(&GenConfig { models, seed: 42 });
    project.write_to(dir.path()).expect("write project");
    let template = dir.path().join("template.duckdb");
    {
        // Named like the project's database, so the catalog is `bench` when opened as a copy.
        let conn = duckdb::Connection::open(dir.path().join("bench.duckdb")).expect("open");
        conn.execute_batch(&project.seed_sql).expect("seed");
        let mut more = String::new();
        for s in 0.. {
            if !project.seed_sql.contains(&format!("raw.src{s} (")) {
                break;
            }
            more.push_str(&format!("INSERT INTO raw.src{s} (id) SELECT range FROM range(10, {rows});\n"));
        }
        conn.execute_batch(&more).expect("more rows");
        conn.execute_batch("CHECKPOINT").expect("checkpoint");
    }
    std::fs::rename(dir.path().join("bench.duckdb"), &template).expect("template");

    // The compiled statements, from the analysis (not timed).
    let mut loaded = rocky_loader::load_project(dir.path()).expect("load project");
    let analysis = loaded.host.analysis();
    let infos = analysis.models().expect("models");
    let index: HashMap<&str, usize> = infos.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect();
    let statements: Vec<Statement> = infos
        .iter()
        .map(|m| {
            let c =
                analysis.compile_model(&m.name, &CompileOptions::default()).expect("not cancelled").expect("compiles");
            Statement {
                sql: format!("CREATE OR REPLACE TABLE {} AS\n{}\n", quote_table(&c.target), c.sql),
                upstream: m.depends_on.iter().filter_map(|d| index.get(d.as_str()).copied()).collect(),
            }
        })
        .collect();
    drop(analysis);

    let db = dir.path().join("bench.duckdb");
    if std::env::args().any(|a| a == "--keep") {
        println!("project kept in {}", dir.path().display());
    }
    let mut times: Vec<(String, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut record = |label: String, t: Duration, against: Option<Duration>| {
        let ratio = against.map(|a| t.as_secs_f64() / a.as_secs_f64());
        match times.iter_mut().find(|(l, _, _)| *l == label) {
            Some((_, ts, rs)) => {
                ts.push(t.as_secs_f64());
                rs.extend(ratio);
            }
            None => times.push((label, vec![t.as_secs_f64()], ratio.into_iter().collect())),
        }
    };
    let bins: Vec<(&str, &PathBuf)> =
        std::iter::once(("rocky run", &rocky)).chain(baseline.as_ref().map(|b| ("baseline rocky run", b))).collect();
    for _ in 0..iters {
        for workers in [1, concurrency] {
            reset(dir.path(), &template);
            let d = direct(&db, &statements, workers);
            record(format!("direct duckdb, {workers} connection(s), DAG order"), d, None);
            for (name, bin) in &bins {
                reset(dir.path(), &template);
                record(format!("{name} `--concurrency {workers}`"), rocky_run(bin, dir.path(), workers), Some(d));
            }
        }
    }
    println!(
        "{models} models, {rows} rows per source, {iters} iterations, {} cores",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!("| measurement | min | p50 | worst | ÷ direct, same iteration: min / p50 / worst |");
    println!("|---|---:|---:|---:|---|");
    for (label, ts, rs) in times {
        let (min, p50, worst) = stats(ts);
        let ratio = if rs.is_empty() {
            "–".to_string()
        } else {
            let (a, b, c) = stats(rs);
            format!("{a:.2}× / {b:.2}× / {c:.2}×")
        };
        println!("| {label} | {:.0} ms | {:.0} ms | {:.0} ms | {ratio} |", min * 1e3, p50 * 1e3, worst * 1e3);
    }
    if std::env::args().any(|a| a == "--keep") {
        let _ = dir.keep();
    }
}

/// Every model's `CREATE TABLE target AS <compiled SQL>`, in DAG order, and the target schemas
/// (for the adapters whose direct runs create each table once, from empty schemas).
fn create_statements(dir: &Path) -> (std::collections::BTreeSet<String>, Vec<String>) {
    let mut loaded = rocky_loader::load_project(dir).expect("load project");
    let analysis = loaded.host.analysis();
    let mut schemas = std::collections::BTreeSet::new();
    let mut statements = Vec::new();
    for m in &analysis.models().expect("models") {
        let c = analysis.compile_model(&m.name, &CompileOptions::default()).expect("not cancelled").expect("compiles");
        schemas.insert(c.target.schema.clone());
        statements.push(format!("CREATE TABLE {} AS\n{}\n", quote_table(&c.target), c.sql));
    }
    (schemas, statements)
}

/// `--adapter postgres`.
mod postgres_mode {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::str::FromStr;
    use std::time::{Duration, Instant};

    use rocky_analysis::ide::quote_ident;
    use rocky_tests::bench_args::BenchArgs;
    use rocky_tests::generator::{generate, GenConfig};

    /// The database the project builds in (copied from the template before each measurement).
    const DB: &str = "rocky_bench";
    const TEMPLATE: &str = "rocky_bench_template";

    struct Server {
        host: String,
        port: u16,
        user: String,
        password: String,
    }

    impl Server {
        fn client(&self, dbname: &str) -> postgres::Client {
            postgres::Config::new()
                .host(&self.host)
                .port(self.port)
                .user(&self.user)
                .password(&self.password)
                .dbname(dbname)
                .connect(postgres::NoTls)
                .expect("connect")
        }
    }

    fn server() -> Server {
        let url = std::env::var("ROCKY_TEST_PG_URL")
            .expect("set ROCKY_TEST_PG_URL (scripts/pg-cluster.sh start DIR, then . DIR/env)");
        let c = postgres::Config::from_str(&url).expect("ROCKY_TEST_PG_URL parses");
        let host = match c.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => "localhost".into(),
        };
        let password = c.get_password().map(|p| String::from_utf8_lossy(p).into_owned()).unwrap_or_default();
        Server {
            host,
            port: c.get_ports().first().copied().unwrap_or(5432),
            user: c.get_user().unwrap_or("postgres").to_string(),
            password,
        }
    }

    /// PostgreSQL has no `GROUP BY ALL`: group by the leading key columns' positions instead.
    fn portable(sql: &str) -> String {
        match sql.find("group by all") {
            Some(at) => {
                let keys = sql[..sql.find("count(*) as n").unwrap_or(at)].matches(",\n").count();
                let positions: Vec<String> = (1..=keys).map(|k| k.to_string()).collect();
                sql.replace("group by all", &format!("group by {}", positions.join(", ")))
            }
            None => sql.to_string(),
        }
    }

    /// A fresh copy of the seeded database.
    fn reset(admin: &mut postgres::Client, dir: &Path) {
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)")).expect("drop");
        admin.batch_execute(&format!("CREATE DATABASE {DB} TEMPLATE {TEMPLATE}")).expect("copy template");
        let _ = std::fs::remove_file(dir.join("models/.rocky-state.redb"));
    }

    fn rocky_run(rocky: &Path, dir: &Path, password: &str) -> Duration {
        let t = Instant::now();
        let out = Command::new(rocky)
            .current_dir(dir)
            .args(["run", "--concurrency", "1"])
            .env("ROCKY_BENCH_PG_PASSWORD", password)
            .output()
            .expect("start rocky");
        let elapsed = t.elapsed();
        assert!(out.status.success(), "rocky run failed:\n{}", String::from_utf8_lossy(&out.stderr));
        elapsed
    }

    fn direct(s: &Server, schemas: &BTreeSet<String>, statements: &[String]) -> Duration {
        let t = Instant::now();
        let mut c = s.client(DB);
        for schema in schemas {
            c.simple_query(&format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema))).expect("schema");
        }
        for sql in statements {
            c.simple_query(sql).expect("statement");
        }
        drop(c);
        t.elapsed()
    }

    pub fn main(args: &BenchArgs) {
        let models = args.number("--models", 200);
        let rows = args.number("--rows", 2_000);
        let iters = args.number("--iters", 5);
        let rocky = args.value("--rocky").map(PathBuf::from).unwrap_or_else(|| {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            PathBuf::from(target).join("release/rocky")
        });
        assert!(rocky.is_file(), "no rocky binary at {} (cargo build --release -p rocky-runner)", rocky.display());
        let baseline = args.value("--baseline").map(PathBuf::from);
        if let Some(b) = &baseline {
            assert!(b.is_file(), "no baseline binary at {}", b.display());
        }
        let s = server();

        let dir = tempfile::tempdir().expect("temp dir");
        let project = generate(&GenConfig { models, seed: 42 });
        project.write_to(dir.path()).expect("write project");
        for (path, sql) in &project.models {
            std::fs::write(dir.path().join(path), portable(sql)).expect("model");
        }
        // The same transport as `direct` (no TLS) unless `--sslmode` says otherwise.
        let sslmode = args.value("--sslmode").unwrap_or_else(|| "disable".into());
        let toml = format!(
            "[adapter]\ntype = \"postgres\"\nhost = \"{}\"\nport = {}\nuser = \"{}\"\ndbname = \"{DB}\"\npassword_env = \"ROCKY_BENCH_PG_PASSWORD\"\nsslmode = \"{sslmode}\"\n\n[pipeline.bench]\ntype = \"transformation\"\nmodels = \"models/**\"\n",
            s.host, s.port, s.user
        );
        std::fs::write(dir.path().join("rocky.toml"), toml).expect("rocky.toml");

        // The seeded template: the generator's source tables (its type names are PostgreSQL's
        // too), `rows` rows each.
        let mut admin = s.client("postgres");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)")).expect("drop");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")).expect("drop");
        admin.batch_execute(&format!("CREATE DATABASE {TEMPLATE}")).expect("create template");
        let mut seed = String::from("CREATE SCHEMA raw;\n");
        for table in project.sources.tables.values() {
            let name = table.key.rsplit('.').next().expect("table name");
            let cols: Vec<String> = table
                .columns
                .iter()
                .map(|c| format!("{} {}{}", c.name, c.type_string, if c.nullable { "" } else { " NOT NULL" }))
                .collect();
            seed.push_str(&format!("CREATE TABLE raw.{name} ({});\n", cols.join(", ")));
            seed.push_str(&format!("INSERT INTO raw.{name} (id) SELECT g FROM generate_series(0, {}) g;\n", rows - 1));
        }
        s.client(TEMPLATE).batch_execute(&seed).expect("seed");

        // The compiled statements, from the analysis (not timed).
        let (schemas, statements) = super::create_statements(dir.path());

        // Per binary measured (rocky, then the baseline): times and ratios to the same
        // iteration's direct run.
        let bins: Vec<(&str, &PathBuf)> = std::iter::once(("rocky run", &rocky))
            .chain(baseline.as_ref().map(|b| ("baseline rocky run", b)))
            .collect();
        let mut direct_ms = Vec::new();
        let mut measured: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); bins.len()];
        for _ in 0..iters {
            reset(&mut admin, dir.path());
            let d = direct(&s, &schemas, &statements);
            direct_ms.push(d.as_secs_f64() * 1e3);
            for ((_, bin), (times, ratios)) in bins.iter().zip(measured.iter_mut()) {
                reset(&mut admin, dir.path());
                let r = rocky_run(bin, dir.path(), &s.password);
                times.push(r.as_secs_f64() * 1e3);
                ratios.push(r.as_secs_f64() / d.as_secs_f64());
            }
        }
        let keep = std::env::args().any(|a| a == "--keep");
        if !keep {
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)")).expect("drop");
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")).expect("drop");
        }
        println!(
            "PostgreSQL: {models} models, {rows} rows per source, {iters} iterations, {} cores, rocky sslmode {sslmode}",
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        );
        println!("| measurement | min | p50 | worst | ÷ direct, same iteration: min / p50 / worst |");
        println!("|---|---:|---:|---:|---|");
        let (a, b, c) = super::stats(direct_ms);
        println!("| direct, one connection, serial | {a:.0} ms | {b:.0} ms | {c:.0} ms | – |");
        for ((name, _), (times, ratios)) in bins.iter().zip(measured) {
            let (a, b, c) = super::stats(times);
            let (ra, rb, rc) = super::stats(ratios);
            println!(
                "| {name} `--concurrency 1` | {a:.0} ms | {b:.0} ms | {c:.0} ms | {ra:.2}× / {rb:.2}× / {rc:.2}× |"
            );
        }
        if keep {
            println!("project kept in {} (databases {DB}, {TEMPLATE} too)", dir.keep().display());
        }
    }
}

/// `--adapter spark`.
mod spark_mode {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use rocky_analysis::ide::quote_ident;
    use rocky_spark_connect::SparkSession;
    use rocky_tests::bench_args::BenchArgs;
    use rocky_tests::generator::{generate, GenConfig};

    /// The sources' schema (the generator's `raw`, renamed so a shared server keeps it apart).
    const RAW: &str = "rocky_bench_raw";

    /// A session with the settings Rocky's sessions have (double-quoted identifiers).
    struct Spark {
        runtime: tokio::runtime::Runtime,
        session: SparkSession,
    }

    impl Spark {
        fn connect(url: &str) -> Spark {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
            let session = runtime.block_on(SparkSession::connect(url, None)).expect("connect to Spark Connect");
            runtime
                .block_on(session.set_conf(&[
                    ("spark.sql.ansi.enabled", "true"),
                    ("spark.sql.ansi.doubleQuotedIdentifiers", "true"),
                ]))
                .expect("session settings");
            Spark { runtime, session }
        }

        fn sql(&self, sql: &str) {
            self.runtime.block_on(self.session.sql(sql)).unwrap_or_else(|e| panic!("{e}\n{sql}"));
        }

        fn strings(&self, sql: &str) -> Vec<String> {
            let table = self.runtime.block_on(self.session.sql(sql)).unwrap_or_else(|e| panic!("{e}\n{sql}"));
            table.rows.into_iter().filter_map(|r| r.into_iter().nth(1).flatten()).collect()
        }
    }

    /// Drops what the models built (the sources stay), and the state file.
    fn reset(spark: &Spark, schemas: &BTreeSet<String>, dir: &Path) {
        for schema in schemas {
            if schema == "default" {
                for table in spark.strings(&format!("SHOW TABLES IN {}", quote_ident(schema))) {
                    spark.sql(&format!("DROP TABLE IF EXISTS {}.{}", quote_ident(schema), quote_ident(&table)));
                }
            } else {
                spark.sql(&format!("DROP DATABASE IF EXISTS {} CASCADE", quote_ident(schema)));
            }
        }
        let _ = std::fs::remove_file(dir.join("models/.rocky-state.redb"));
    }

    /// The statements, serially, through one session (connected before the clock starts: a
    /// long-lived client would be).
    fn direct(spark: &Spark, schemas: &BTreeSet<String>, statements: &[String]) -> Duration {
        let t = Instant::now();
        for schema in schemas {
            spark.sql(&format!("CREATE DATABASE IF NOT EXISTS {}", quote_ident(schema)));
        }
        for sql in statements {
            spark.sql(sql);
        }
        t.elapsed()
    }

    pub fn main(args: &BenchArgs) {
        let models = args.number("--models", 30);
        let rows = args.number("--rows", 2_000);
        let iters = args.number("--iters", 3);
        let concurrency = args.number("--concurrency", 2);
        let rocky = args.value("--rocky").map(PathBuf::from).unwrap_or_else(|| {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            PathBuf::from(target).join("release/rocky")
        });
        assert!(rocky.is_file(), "no rocky binary at {} (cargo build --release -p rocky-runner)", rocky.display());
        let url = std::env::var("ROCKY_TEST_SPARK_URL")
            .expect("set ROCKY_TEST_SPARK_URL (scripts/spark-server.sh start DIR, then . DIR/env)");
        let spark = Spark::connect(&url);

        let dir = tempfile::tempdir().expect("temp dir");
        let project = generate(&GenConfig { models, seed: 42 });
        project.write_to(dir.path()).expect("write project");
        for (path, sql) in &project.models {
            std::fs::write(dir.path().join(path), sql.replace("from raw.", &format!("from {RAW}."))).expect("model");
        }
        let toml = format!(
            "[adapter]\ntype = \"spark\"\nurl = \"{url}\"\n\n[pipeline.bench]\ntype = \"transformation\"\nmodels = \"models/**\"\n"
        );
        std::fs::write(dir.path().join("rocky.toml"), toml).expect("rocky.toml");

        // The sources: the generator's tables in Spark's types, `rows` rows each (only `id` set).
        spark.sql(&format!("DROP DATABASE IF EXISTS {RAW} CASCADE"));
        spark.sql(&format!("CREATE DATABASE {RAW}"));
        for table in project.sources.tables.values() {
            let name = table.key.rsplit('.').next().expect("table name");
            let cols: Vec<String> = table
                .columns
                .iter()
                .map(|c| format!("{} {}", c.name, if c.type_string == "VARCHAR" { "STRING" } else { &c.type_string }))
                .collect();
            spark.sql(&format!("CREATE TABLE {RAW}.{name} ({}) USING parquet", cols.join(", ")));
            spark.sql(&format!("INSERT INTO {RAW}.{name} (id) SELECT id FROM range({rows})"));
        }

        // The compiled statements, from the analysis (not timed).
        let (schemas, statements) = super::create_statements(dir.path());

        let (mut direct_ms, mut serial_ms, mut parallel_ms, mut ratios) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..iters {
            reset(&spark, &schemas, dir.path());
            let d = direct(&spark, &schemas, &statements);
            reset(&spark, &schemas, dir.path());
            let r = super::rocky_run(&rocky, dir.path(), 1);
            reset(&spark, &schemas, dir.path());
            let p = super::rocky_run(&rocky, dir.path(), concurrency);
            direct_ms.push(d.as_secs_f64() * 1e3);
            serial_ms.push(r.as_secs_f64() * 1e3);
            parallel_ms.push(p.as_secs_f64() * 1e3);
            ratios.push((r.as_secs_f64() / d.as_secs_f64(), p.as_secs_f64() / d.as_secs_f64()));
        }
        if std::env::args().any(|a| a == "--keep") {
            println!("project kept in {} (schemas {RAW}, {schemas:?} too)", dir.keep().display());
        } else {
            reset(&spark, &schemas, dir.path());
            spark.sql(&format!("DROP DATABASE IF EXISTS {RAW} CASCADE"));
        }
        println!(
            "Spark Connect: {models} models, {rows} rows per source, {iters} iterations, {} cores",
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        );
        println!("| measurement | min | p50 | worst | ÷ direct, same iteration: min / p50 / worst |");
        println!("|---|---:|---:|---:|---|");
        let (a, b, c) = super::stats(direct_ms);
        println!("| direct, one session, serial | {a:.0} ms | {b:.0} ms | {c:.0} ms | – |");
        for (label, ms, ratio) in [
            ("rocky run `--concurrency 1`".to_string(), serial_ms, ratios.iter().map(|r| r.0).collect::<Vec<_>>()),
            (format!("rocky run `--concurrency {concurrency}`"), parallel_ms, ratios.iter().map(|r| r.1).collect()),
        ] {
            let (a, b, c) = super::stats(ms);
            let (ra, rb, rc) = super::stats(ratio);
            println!("| {label} | {a:.0} ms | {b:.0} ms | {c:.0} ms | {ra:.2}× / {rb:.2}× / {rc:.2}× |");
        }
    }
}
