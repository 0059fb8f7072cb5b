//! Writes a generated project (the benchmarks' layered models, sources in the schema cache) to a
//! folder, so the real binaries can be measured on it as a user runs them:
//!
//! `cargo run -p rocky-tests --bin gen-project -- --models 10000 /tmp/p10k`, then e.g.
//! `/usr/bin/time -v rocky -C /tmp/p10k check`.

use rocky_tests::generator::{generate, GenConfig};

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    let models = args.number("--models", 10_000);
    let Some(dir) = std::env::args().skip(1).rfind(|a| !a.starts_with("--")) else {
        eprintln!("usage: gen-project [--models N] DIR");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    let project = generate(&GenConfig { models, seed: 42 });
    if let Err(e) = project.write_to(&dir) {
        eprintln!("cannot write {}: {e}", dir.display());
        std::process::exit(1);
    }
    if let Err(e) = project.write_schema_cache(&dir) {
        eprintln!("cannot write the schema cache: {e}");
        std::process::exit(1);
    }
    println!("{models} models in {}", dir.display());
}
