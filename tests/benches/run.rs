//! `rocky run` benchmark (not a test): the real binary against the same compiled SQL executed
//! directly through the duckdb crate, in one process, in DAG order, on the same database setup.
//!
//! ```text
//! cargo build --release -p rocky-runner
//! cargo bench -p rocky-tests --bench run -- [--models 200] [--rows 10000] [--iters 5] [--rocky PATH]
//! ```
//! `--rocky` defaults to `$CARGO_TARGET_DIR/release/rocky` (else `target/release/rocky`).
//! Each iteration starts from a fresh copy of the seeded database and no state file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rocky_analysis::ide::{quote_table, CompileOptions};
use rocky_tests::generator::{generate, GenConfig};

fn stats(mut xs: Vec<Duration>) -> (Duration, Duration) {
    xs.sort();
    (xs[0], xs[xs.len() / 2])
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Fresh copy of the seeded database, no state file.
fn reset(dir: &Path, template: &Path) {
    std::fs::copy(template, dir.join("bench.duckdb")).expect("copy database");
    let _ = std::fs::remove_file(dir.join("bench.duckdb.wal"));
    let _ = std::fs::remove_file(dir.join("models/.rocky-state.redb"));
}

fn rocky_run(rocky: &Path, dir: &Path, concurrency: u32) -> Duration {
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

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let models = args.number("--models", 200);
    let rows = args.number("--rows", 10_000);
    let iters = args.number("--iters", 5);
    let rocky = args.value("--rocky").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        PathBuf::from(target).join("release/rocky")
    });
    assert!(
        rocky.is_file(),
        "no rocky binary at {} (build it with `cargo build --release -p rocky-runner`)",
        rocky.display()
    );

    // The project and its seeded database (template copied before every iteration).
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
    let statements: Vec<String> = analysis
        .models()
        .expect("models")
        .iter()
        .map(|m| {
            let c =
                analysis.compile_model(&m.name, &CompileOptions::default()).expect("not cancelled").expect("compiles");
            format!("CREATE OR REPLACE TABLE {} AS\n{}\n", quote_table(&c.target), c.sql)
        })
        .collect();
    drop(analysis);

    let mut direct = Vec::new();
    let mut rocky_1 = Vec::new();
    let mut rocky_4 = Vec::new();
    for _ in 0..iters {
        reset(dir.path(), &template);
        let t = Instant::now();
        let conn = duckdb::Connection::open(dir.path().join("bench.duckdb")).expect("open");
        for s in &statements {
            conn.execute(s, []).expect("statement");
        }
        drop(conn);
        direct.push(t.elapsed());
        reset(dir.path(), &template);
        rocky_1.push(rocky_run(&rocky, dir.path(), 1));
        reset(dir.path(), &template);
        rocky_4.push(rocky_run(&rocky, dir.path(), 4));
    }
    let (d_min, d_p50) = stats(direct);
    println!(
        "{models} models, {rows} rows per source, {iters} iterations, {} cores",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!("| measurement | min | p50 | overhead vs direct (p50) |");
    println!("|---|---:|---:|---:|");
    println!("| direct duckdb, sequential, DAG order | {} | {} | – |", ms(d_min), ms(d_p50));
    for (label, xs) in [("`rocky run --concurrency 1`", rocky_1), ("`rocky run --concurrency 4`", rocky_4)] {
        let (min, p50) = stats(xs);
        let ratio = p50.as_secs_f64() / d_p50.as_secs_f64() - 1.0;
        println!("| {label} | {} | {} | {:+.1}% |", ms(min), ms(p50), ratio * 100.0);
    }
}
