//! The per-keystroke check benchmark shared by the networked warehouses (`pg_keystroke`,
//! `spark_keystroke`): the edited model checked from the schema cache, as Rocky does, against the
//! same check preceded by one DESCRIBE round trip to the server per source table the model reads
//! (what a checker that asked the warehouse on every edit would pay, on an already open
//! connection: the cheapest such design). Both paths run interleaved, on the same machine state.

use std::time::{Duration, Instant};

use rocky_analysis::{AnalysisHost, SourceColumn, SourceSchemaSnapshot, SourceTable};

/// What one benchmark checks: the project's rocky.toml, the cached sources, the edited model.
pub struct Setup<'a> {
    pub config: String,
    pub sources: SourceSchemaSnapshot,
    pub path: &'a str,
    /// The model's text at keystroke `i` (each keystroke changes a literal).
    pub model: &'a dyn Fn(usize) -> String,
}

/// Per-keystroke times of both paths, over all runs, and each run's p50s.
pub struct Report {
    pub sources: usize,
    pub from_cache: Vec<Duration>,
    pub with_describe: Vec<Duration>,
    pub round_trips: Vec<Duration>,
    pub p50s: Vec<(Duration, Duration)>,
}

fn host(setup: &Setup, sources: SourceSchemaSnapshot) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some(setup.config.clone()));
    host.set_source_schemas(sources);
    host.set_model(setup.path, (setup.model)(0));
    host
}

/// One keystroke: set the text, ask for the file's diagnostics (the editor's path).
fn check(host: &mut AnalysisHost, setup: &Setup, i: usize) -> usize {
    host.set_model(setup.path, (setup.model)(i));
    host.analysis().file_diagnostics(setup.path).expect("not cancelled").len()
}

/// Measures `runs` × `iters` keystrokes (after 20 warm-up ones per run); `describe` asks the
/// server for one source's columns, given `schema.table`.
pub fn measure(
    setup: &Setup,
    runs: usize,
    iters: usize,
    describe: &mut dyn FnMut(&str) -> Vec<SourceColumn>,
) -> Report {
    let mut from_cache = host(setup, setup.sources.clone());
    let mut with_describe = host(setup, setup.sources.clone());
    let info = from_cache.analysis().model_of_file(setup.path).expect("not cancelled").expect("the model exists");
    // The sources the edited model reads: the cache key, and `schema.table` for the server.
    let sources: Vec<(String, String)> = info
        .sources
        .iter()
        .map(|key| (key.clone(), key.split_once('.').map_or(key.as_str(), |(_, rest)| rest).to_string()))
        .collect();
    assert!(!sources.is_empty(), "the edited model reads no source");
    let mut report = Report {
        sources: sources.len(),
        from_cache: Vec::new(),
        with_describe: Vec::new(),
        round_trips: Vec::new(),
        p50s: Vec::new(),
    };
    for run in 0..runs {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..iters + 20 {
            let key = run * (iters + 20) + i + 1;
            let t = Instant::now();
            let n = check(&mut from_cache, setup, key);
            let cache_time = t.elapsed();

            let t = Instant::now();
            let mut fresh = SourceSchemaSnapshot::default();
            for (key, qualified) in &sources {
                fresh.insert(SourceTable { key: key.clone(), columns: describe(qualified), written_at: None });
            }
            let trips = t.elapsed();
            with_describe.set_source_schemas(fresh);
            let m = check(&mut with_describe, setup, key);
            let describe_time = t.elapsed();
            assert_eq!(n, m, "both paths see the same model");
            if i >= 20 {
                a.push(cache_time);
                b.push(describe_time);
                report.round_trips.push(trips);
            }
        }
        report.p50s.push((stats(a.clone()).1, stats(b.clone()).1));
        report.from_cache.extend(a);
        report.with_describe.extend(b);
    }
    report
}

fn stats(mut xs: Vec<Duration>) -> (Duration, Duration, Duration) {
    xs.sort();
    (xs[0], xs[xs.len() / 2], xs[xs.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

impl Report {
    /// Prints the Markdown table and ratios; `trip` names one round trip (e.g. "catalog query").
    pub fn print(&self, header: &str, trip: &str) {
        let n = self.sources;
        println!("{header}; the model reads {n} sources\n");
        println!("| per keystroke | min | p50 | worst |");
        println!("|---|---:|---:|---:|");
        let (a_min, a_p50, a_max) = stats(self.from_cache.clone());
        let (b_min, b_p50, b_max) = stats(self.with_describe.clone());
        let (r_min, r_p50, r_max) = stats(self.round_trips.clone());
        println!("| check from the schema cache (Rocky) | {} | {} | {} |", ms(a_min), ms(a_p50), ms(a_max));
        println!("| same check + one {trip} per source ({n}) | {} | {} | {} |", ms(b_min), ms(b_p50), ms(b_max));
        println!("| of which: the {n} round-trips | {} | {} | {} |", ms(r_min), ms(r_p50), ms(r_max));
        println!(
            "\nratio (with round-trips / from cache): p50 {:.1}×, min {:.1}×, worst {:.1}×",
            b_p50.as_secs_f64() / a_p50.as_secs_f64(),
            b_min.as_secs_f64() / a_min.as_secs_f64(),
            b_max.as_secs_f64() / a_max.as_secs_f64()
        );
        let per_run: Vec<String> = self.p50s.iter().map(|(a, b)| format!("{} / {}", ms(*a), ms(*b))).collect();
        println!("p50 per run (cache / with round-trips): {}", per_run.join(", "));
    }
}
