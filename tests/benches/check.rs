//! Analysis benchmark (not a test): cold check and re-check after edits, on generated projects.
//!
//! `cargo bench -p rocky-tests --bench check -- [--models 1000,10000] [--iters 30]`
//! Prints a Markdown table (the one kept in BENCHMARKS.md).

use std::time::{Duration, Instant};

// The same allocator the shipped binaries use: the analysis allocates many small values.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rocky_tests::generator::{generate, GenConfig};

fn stats(mut xs: Vec<Duration>) -> (Duration, Duration, Duration) {
    xs.sort();
    let at = |q: f64| xs[((xs.len() as f64 - 1.0) * q).round() as usize];
    (xs[0], at(0.5), at(0.95))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let sizes = args.sizes("1000,10000");
    let iters = args.number("--iters", 30);

    println!("| models | measurement | min | p50 | p95 | target |");
    println!("|---:|---|---:|---:|---:|---|");
    for &n in &sizes {
        let project = generate(&GenConfig { models: n, seed: 42 });
        // Cold: load every file, then check the whole project (what `rocky check` does).
        let mut cold = Vec::new();
        let mut cold_diags = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let mut host = project.load_into_host();
            let analysis = host.analysis();
            let t_diags = Instant::now();
            let diags = analysis.all_diagnostics().expect("not cancelled");
            cold_diags.push(t_diags.elapsed());
            let models = analysis.models().expect("not cancelled");
            cold.push(t.elapsed());
            assert_eq!(models.len(), n);
            assert!(
                diags.iter().all(|d| d.severity != rocky_analysis::Severity::Error),
                "generated project has errors"
            );
        }
        let (a, b, c) = stats(cold);
        println!(
            "| {n} | cold check (load + all diagnostics + schemas) | {} | {} | {} | < 1 s at 10k |",
            ms(a),
            ms(b),
            ms(c)
        );
        let (a, b, c) = stats(cold_diags);
        println!(
            "| {n} | of which: all diagnostics (parse, resolve, type every model) | {} | {} | {} |  |",
            ms(a),
            ms(b),
            ms(c)
        );

        // Edits on a mid-DAG intermediate model.
        let mut host = project.load_into_host();
        drop(host.analysis().all_diagnostics());

        // The widest downstream walk: everything derived from a source's key column (hover on
        // a column and `rocky lineage` walk like this).
        let analysis = host.analysis();
        let key = project.sources.tables.keys().next().cloned().expect("a source");
        let mut walks = Vec::new();
        let mut reached = 0;
        for _ in 0..iters {
            let t = Instant::now();
            let source = rocky_analysis::hir::LineageTable::Source(key.clone());
            let graph = analysis.downstream_lineage(source, "id").expect("not cancelled");
            walks.push(t.elapsed());
            reached = graph.nodes.len();
        }
        drop(analysis);
        let (a, b, c) = stats(walks);
        println!(
            "| {n} | downstream lineage of a source's `id` ({reached} columns reached) | {} | {} | {} |  |",
            ms(a),
            ms(b),
            ms(c)
        );
        let (path, sql) = project
            .models
            .iter()
            .filter(|(p, _)| p.contains("/intermediate/"))
            .nth(project.models.iter().filter(|(p, _)| p.contains("/intermediate/")).count() / 2)
            .cloned()
            .expect("an intermediate model");
        let mut body_file = Vec::new();
        let mut body_all = Vec::new();
        let mut schema_file = Vec::new();
        let mut schema_all = Vec::new();
        for k in 0..iters {
            // Body edit, same schema: change a literal in the WHERE clause.
            let edited = sql.replace("where id > 0", &format!("where id > {}", k % 2 + 1));
            let t = Instant::now();
            host.set_model(&path, edited);
            let analysis = host.analysis();
            let _ = analysis.file_diagnostics(&path).expect("not cancelled");
            body_file.push(t.elapsed());
            let _ = analysis.all_diagnostics().expect("not cancelled");
            body_all.push(t.elapsed());
            drop(analysis);
            // Schema edit: add (or remove) an output column; dependents are re-checked.
            let edited =
                if k % 2 == 0 { sql.replacen("select a.id", "select a.id, 1 as extra", 1) } else { sql.clone() };
            let t = Instant::now();
            host.set_model(&path, edited);
            let analysis = host.analysis();
            let _ = analysis.file_diagnostics(&path).expect("not cancelled");
            schema_file.push(t.elapsed());
            let _ = analysis.all_diagnostics().expect("not cancelled");
            schema_all.push(t.elapsed());
        }
        for (label, xs, target) in [
            ("body edit → edited file's diagnostics", body_file, "< 5 ms"),
            ("body edit → all diagnostics", body_all, ""),
            ("schema edit → edited file's diagnostics", schema_file, "< 5 ms"),
            ("schema edit → all diagnostics (dependents re-checked)", schema_all, ""),
        ] {
            let (a, b, c) = stats(xs);
            println!("| {n} | {label} | {} | {} | {} | {target} |", ms(a), ms(b), ms(c));
        }
    }
    println!("\npeak RSS: {:.0} MB", peak_rss_mb());
}
