//! Language-server benchmark (not a test): drives the real `rocky-lsp` over stdio on generated
//! projects and reports latencies as the editor sees them (request sent → answer received).
//!
//! `cargo build --release -p rocky-lsp && cargo bench -p rocky-tests --bench lsp -- [--models 1000,10000] [--edits 200]`
//! Prints a Markdown table.

use std::path::Path;
use std::time::{Duration, Instant};

use rocky_state::{CachedColumn, CachedTable, StateFile};
use rocky_tests::generator::{generate, GenConfig, GeneratedProject};
use rocky_tests::lsp_client::{ClientOptions, LspClient};
use serde_json::{json, Value};

fn percentiles(mut xs: Vec<Duration>) -> [Duration; 3] {
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

/// The generator's source schemas, written as a runner would (into `models/.rocky-state.redb`).
fn write_cache(project: &GeneratedProject, root: &Path) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let tables: Vec<CachedTable> = project
        .sources
        .tables
        .values()
        .map(|t| CachedTable {
            key: t.key.clone(),
            columns: t
                .columns
                .iter()
                .map(|c| CachedColumn {
                    name: c.name.clone(),
                    type_string: c.type_string.clone(),
                    nullable: c.nullable,
                })
                .collect(),
            written_at_ms: now,
            built: None,
        })
        .collect();
    StateFile::new(root.join("models/.rocky-state.redb")).write_schemas(&tables).expect("write the schema cache");
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

fn bench(n: usize, edits: usize) {
    let project = generate(&GenConfig { models: n, seed: 42 });
    let dir = tempfile::tempdir().expect("temp dir");
    project.write_to(dir.path()).expect("write the project");
    write_cache(&project, dir.path());

    // The file edited: a mid-DAG intermediate model that selects from a staging model.
    let upstream_of = |sql: &str| -> Option<&(String, String)> {
        let name = sql.split("select * from ").nth(1)?.split_whitespace().next()?;
        project.models.iter().find(|(p, _)| p.ends_with(&format!("/staging/{name}.sql")))
    };
    let intermediates: Vec<&(String, String)> =
        project.models.iter().filter(|(p, s)| p.contains("/intermediate/") && upstream_of(s).is_some()).collect();
    let (path, sql) = intermediates[intermediates.len() / 2];
    let (up_path, up_sql) = upstream_of(sql).expect("a staging upstream");
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
    let (line, l) = sql.lines().enumerate().find(|(_, l)| l.contains("where id > 0")).expect("a where line");
    let col = (l.find("where id > 0").unwrap() + "where id > ".len()) as u32;
    let mut version = 1;
    let mut type_keys = |lsp: &mut LspClient, count: usize| {
        let mut out = Vec::new();
        for k in 0..count {
            version += 1;
            let t = Instant::now();
            lsp.change(&uri, version, (line as u32, col), (line as u32, col + 1), if k % 2 == 0 { "1" } else { "0" });
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
    let (hline, hl) = sql.lines().enumerate().find(|(_, l)| l.starts_with("select a.id")).expect("select a.id");
    let hcol = hl.find("id").unwrap() as u32;
    let mut hover = Vec::new();
    let mut hints = Vec::new();
    let mut completion = Vec::new();
    for _ in 0..edits {
        let t = Instant::now();
        let h = lsp.at("textDocument/hover", &uri, hline as u32, hcol).expect("hover");
        hover.push(t.elapsed());
        assert!(!h.is_null(), "hover answers");
        let t = Instant::now();
        let r = lsp.request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri },
                    "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 200, "character": 0 } } }),
        );
        hints.push(t.elapsed());
        assert!(r.expect("hints").as_array().is_some_and(|a| !a.is_empty()), "hints answer");
        let t = Instant::now();
        let c = lsp.at("textDocument/completion", &uri, hline as u32, 7).expect("completion");
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

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let sizes = args.sizes("1000,10000");
    let edits = args.number("--edits", 200);
    println!("| models | measurement | p50 | p95 | p99 | target |");
    println!("|---:|---|---:|---:|---:|---|");
    for n in sizes {
        bench(n, edits);
    }
}
