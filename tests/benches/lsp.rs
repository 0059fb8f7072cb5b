//! Language-server benchmark (not a test): drives the real `rocky-lsp` over stdio on generated
//! projects and reports latencies as the editor sees them (request sent → answer received).
//!
//! `cargo build --release -p rocky-lsp && cargo bench -p rocky-tests --bench lsp -- [--models 1000,10000] [--edits 200]`
//! Prints a Markdown table.
//!
//! `… --bench lsp -- --sweep [--models 10000] [--runs 12] [--edits 100]`: typing that starts at
//! different times after the server's first answer about the opened file (its first diagnostics;
//! 0, 0.1, 0.3, 0.5, 1, 2 s, in turn), a fresh
//! server per run, so keystrokes meet the project load and the whole-project check at every
//! stage. Each edit waits for its own diagnostics (given up after 2 s: "not reflected"), then a
//! hover and the file's inlay hints. Each run also reports the server start (spawn → initialize
//! → first diagnostics) and its peak RSS then and at the end. One row per run, then the worst run
//! of each figure.

use std::time::{Duration, Instant};

use rocky_tests::generator::{generate, GenConfig};
use rocky_tests::lsp_client::{ClientOptions, LspClient};
use serde_json::{json, Value};

fn percentiles(mut xs: Vec<Duration>) -> [Duration; 3] {
    if xs.is_empty() {
        return [Duration::ZERO; 3];
    }
    xs.sort();
    let at = |q: f64| xs[((xs.len() as f64 - 1.0) * q).round() as usize];
    [at(0.5), at(0.95), at(0.99)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn row(n: usize, what: &str, xs: Vec<Duration>, target: &str) {
    let count = xs.len();
    let [p50, p95, p99] = percentiles(xs);
    println!("| {n} | {what} (n={count}) | {} | {} | {} | {target} |", ms(p50), ms(p95), ms(p99));
}

/// Waits until the server has sent nothing for `quiet` (the initial whole-project check is done).
fn settle(lsp: &mut LspClient, quiet: Duration) {
    while lsp.next_matching(quiet, |_| true).is_some() {}
    lsp.drain();
}

fn published(lsp: &mut LspClient, uri: &str, version: Option<i64>, pred: impl Fn(&[Value]) -> bool) -> bool {
    lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && version.is_none_or(|v| p["version"] == v)
            && pred(p["diagnostics"].as_array().map(Vec::as_slice).unwrap_or(&[]))
    })
    .is_some()
}

/// A generated project on disk with its schema cache, and the model the benchmarks edit.
struct Workload {
    dir: tempfile::TempDir,
    /// A mid-DAG intermediate model that selects from a staging model, and that model.
    edited: (String, String),
    upstream: (String, String),
}

fn workload(n: usize) -> Workload {
    let project = generate(&GenConfig { models: n, seed: 42 });
    let dir = tempfile::tempdir().expect("temp dir");
    project.write_to(dir.path()).expect("write the project");
    project.write_schema_cache(dir.path()).expect("write the schema cache");
    let upstream_of = |sql: &str| -> Option<&(String, String)> {
        let name = sql.split("select * from ").nth(1)?.split_whitespace().next()?;
        project.models.iter().find(|(p, _)| p.ends_with(&format!("/staging/{name}.sql")))
    };
    let intermediates: Vec<&(String, String)> =
        project.models.iter().filter(|(p, s)| p.contains("/intermediate/") && upstream_of(s).is_some()).collect();
    let edited = intermediates[intermediates.len() / 2].clone();
    let upstream = upstream_of(&edited.1).expect("a staging upstream").clone();
    Workload { dir, edited, upstream }
}

/// Where the keystrokes go: the digit of the edited model's `where id > 0`.
fn keystroke_at(sql: &str) -> (u32, u32) {
    let (line, l) = sql.lines().enumerate().find(|(_, l)| l.contains("where id > 0")).expect("a where line");
    (line as u32, (l.find("where id > 0").unwrap_or(0) + "where id > ".len()) as u32)
}

/// Where hovers go: the `id` of the edited model's `select a.id`.
fn hover_at(sql: &str) -> (u32, u32) {
    let (line, l) = sql.lines().enumerate().find(|(_, l)| l.starts_with("select a.id")).expect("select a.id");
    (line as u32, l.find("id").unwrap_or(0) as u32)
}

fn inlay_hints(lsp: &mut LspClient, uri: &str) -> Option<Value> {
    lsp.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 200, "character": 0 } } }),
    )
    .ok()
}

fn bench(n: usize, edits: usize) {
    let w = workload(n);
    let dir = &w.dir;
    let ((path, sql), (up_path, up_sql)) = (&w.edited, &w.upstream);
    let file = dir.path().join(path);
    let up_file = dir.path().join(up_path);

    // initialize → first diagnostics of an opened file.
    let t = Instant::now();
    let options = ClientOptions { work_done_progress: true, ..ClientOptions::default() };
    let mut lsp = LspClient::start_opts(dir.path(), options);
    let uri = lsp.open(&file);
    assert!(published(&mut lsp, &uri, None, |_| true), "first diagnostics");
    let first = t.elapsed();
    println!("| {n} | initialize → first diagnostics of an opened file | {} | | | < 2 s at 10k |", ms(first));

    // Keystrokes: flip one digit of the WHERE literal (same schema) and wait for the edited file.
    let (line, col) = keystroke_at(sql);
    let mut version = 1;
    let mut type_keys = |lsp: &mut LspClient, count: usize| {
        let mut out = Vec::new();
        for k in 0..count {
            version += 1;
            let t = Instant::now();
            lsp.change(&uri, version, (line, col), (line, col + 1), if k % 2 == 0 { "1" } else { "0" });
            assert!(published(lsp, &uri, Some(version as i64), |_| true), "diagnostics after edit {k}");
            out.push(t.elapsed());
        }
        out
    };
    // Right away, while the whole-project check that follows the load is still running.
    let during = type_keys(&mut lsp, 20);
    row(n, "didChange → diagnostics while the whole project is being checked", during, "");
    let up_uri = lsp.open(&up_file);
    assert!(published(&mut lsp, &up_uri, None, |_| true));
    // The other measurements start once the whole-project check is done (its progress ends; a
    // server that reports no progress gets 1.5 s of silence instead).
    if lsp.next_matching(Duration::ZERO, |m| m["method"] == "window/workDoneProgress/create").is_some() {
        assert!(lsp.wait_project_checked(), "the whole-project check finishes");
        settle(&mut lsp, Duration::from_millis(200));
    } else {
        settle(&mut lsp, Duration::from_millis(1500));
    }
    let keystrokes = type_keys(&mut lsp, edits);
    lsp.drain();
    row(n, "didChange → publishDiagnostics of the edited file", keystrokes, "p99 < 5 ms at 10k");

    // Schema edit upstream (rename `id`): the open downstream model gets (and then loses) an error.
    let (uline, _) = up_sql.lines().enumerate().find(|(_, l)| l.starts_with("select id")).expect("select id");
    let ucol = "select id".len() as u32;
    let mut downstream = Vec::new();
    let mut up_version = 1;
    for k in 0..edits.min(40) {
        up_version += 1;
        let broken = k % 2 == 0;
        let t = Instant::now();
        if broken {
            lsp.change(&up_uri, up_version, (uline as u32, ucol), (uline as u32, ucol), " as id_renamed");
        } else {
            lsp.change(
                &up_uri,
                up_version,
                (uline as u32, ucol),
                (uline as u32, ucol + " as id_renamed".len() as u32),
                "",
            );
        }
        let ok = published(&mut lsp, &uri, None, |d| d.iter().any(|x| x["code"] == "E102") == broken);
        assert!(ok, "downstream diagnostics after schema edit {k}");
        downstream.push(t.elapsed());
    }
    settle(&mut lsp, Duration::from_millis(500));
    row(n, "schema edit upstream → downstream open file's diagnostics", downstream, "");

    // Requests on the edited file.
    let (hline, hcol) = hover_at(sql);
    let mut hover = Vec::new();
    let mut hints = Vec::new();
    let mut completion = Vec::new();
    for _ in 0..edits {
        let t = Instant::now();
        let h = lsp.at("textDocument/hover", &uri, hline, hcol).expect("hover");
        hover.push(t.elapsed());
        assert!(!h.is_null(), "hover answers");
        let t = Instant::now();
        let r = inlay_hints(&mut lsp, &uri);
        hints.push(t.elapsed());
        assert!(r.expect("hints").as_array().is_some_and(|a| !a.is_empty()), "hints answer");
        let t = Instant::now();
        let c = lsp.at("textDocument/completion", &uri, hline, 7).expect("completion");
        completion.push(t.elapsed());
        assert!(!c.is_null());
    }
    row(n, "hover", hover, "p99 < 5 ms at 10k");
    row(n, "inlay hints (whole file)", hints, "p99 < 5 ms at 10k");
    row(n, "completion", completion, "");
    let rss = lsp.peak_rss_mib().unwrap_or(0.0);
    println!("| {n} | server peak RSS (VmHWM) | {rss:.0} MiB | | | < 500 MB at 10k |");
    lsp.shutdown();
}

/// Seconds after the server's first answer at which a sweep run starts typing.
const SWEEP_OFFSETS: [f64; 6] = [0.0, 0.1, 0.3, 0.5, 1.0, 2.0];

/// Latencies of one sweep run.
struct SweepRun {
    offset: f64,
    /// Edits whose diagnostics arrived (within 2 s).
    keystrokes: Vec<Duration>,
    hover: Vec<Duration>,
    hints: Vec<Duration>,
    /// Server start: process spawned → initialize → the first diagnostics of the opened file.
    start: Duration,
    /// Peak RSS (VmHWM) at that first answer, and at the end of the run.
    start_rss: f64,
    peak_rss: f64,
}

fn sweep_run(w: &Workload, offset: f64, edits: usize) -> SweepRun {
    let file = w.dir.path().join(&w.edited.0);
    let t = Instant::now();
    let mut lsp = LspClient::start_opts(w.dir.path(), ClientOptions::default());
    let uri = lsp.open(&file);
    // The server's first answer about the file: its first diagnostics (the project is loaded;
    // the whole-project check has just begun).
    assert!(published(&mut lsp, &uri, None, |_| true), "first diagnostics");
    let start = t.elapsed();
    let start_rss = lsp.peak_rss_mib().unwrap_or(0.0);
    lsp.drain();
    std::thread::sleep(Duration::from_secs_f64(offset));
    let (line, col) = keystroke_at(&w.edited.1);
    let (hline, hcol) = hover_at(&w.edited.1);
    let mut run = SweepRun {
        offset,
        keystrokes: Vec::new(),
        hover: Vec::new(),
        hints: Vec::new(),
        start,
        start_rss,
        peak_rss: 0.0,
    };
    for k in 0..edits {
        let version = k as i32 + 2;
        let t = Instant::now();
        lsp.change(&uri, version, (line, col), (line, col + 1), if k % 2 == 0 { "1" } else { "0" });
        let seen = lsp.next_matching(Duration::from_secs(2), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["version"] == version
        });
        if seen.is_some() {
            run.keystrokes.push(t.elapsed());
        }
        let t = Instant::now();
        if lsp.at("textDocument/hover", &uri, hline, hcol).is_ok() {
            run.hover.push(t.elapsed());
        }
        let t = Instant::now();
        if inlay_hints(&mut lsp, &uri).is_some() {
            run.hints.push(t.elapsed());
        }
    }
    run.peak_rss = lsp.peak_rss_mib().unwrap_or(0.0);
    lsp.shutdown();
    run
}

fn sweep(n: usize, runs: usize, edits: usize) {
    let w = workload(n);
    println!("| models | run | typing starts | keystroke → diagnostics p50 / p99 / max | reflected | hover p99 | inlay hints p99 | server start | RSS at start / peak |");
    println!("|---:|---:|---:|---|---:|---:|---:|---:|---:|");
    let mut worst = (Duration::ZERO, Duration::ZERO, Duration::ZERO, usize::MAX);
    let mut worst_start = (Duration::ZERO, 0.0f64, 0.0f64);
    for i in 0..runs {
        let r = sweep_run(&w, SWEEP_OFFSETS[i % SWEEP_OFFSETS.len()], edits);
        let reflected = r.keystrokes.len();
        let max = r.keystrokes.iter().max().copied().unwrap_or_default();
        let [k50, _, k99] = percentiles(r.keystrokes);
        let [_, _, h99] = percentiles(r.hover);
        let [_, _, i99] = percentiles(r.hints);
        println!(
            "| {n} | {} | {:.1} s | {} / {} / {} | {reflected}/{edits} | {} | {} | {} | {:.0} / {:.0} MiB |",
            i + 1,
            r.offset,
            ms(k50),
            ms(k99),
            ms(max),
            ms(h99),
            ms(i99),
            ms(r.start),
            r.start_rss,
            r.peak_rss
        );
        worst_start = (worst_start.0.max(r.start), worst_start.1.max(r.start_rss), worst_start.2.max(r.peak_rss));
        worst = (worst.0.max(k99), worst.1.max(h99), worst.2.max(i99), worst.3.min(reflected));
    }
    println!(
        "| {n} | worst of {runs} | | p99 {} | {}/{edits} | {} | {} | {} | {:.0} / {:.0} MiB |",
        ms(worst.0),
        worst.3,
        ms(worst.1),
        ms(worst.2),
        ms(worst_start.0),
        worst_start.1,
        worst_start.2
    );
}

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let edits = args.number("--edits", 200);
    if std::env::args().any(|a| a == "--sweep") {
        let runs = args.number("--runs", 12);
        for n in args.sizes("10000") {
            sweep(n, runs, args.number("--edits", 100));
        }
        return;
    }
    let sizes = args.sizes("1000,10000");
    println!("| models | measurement | p50 | p95 | p99 | target |");
    println!("|---:|---|---:|---:|---:|---|");
    for n in sizes {
        bench(n, edits);
    }
}
