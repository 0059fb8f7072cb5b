//! Command-line flags shared by the benchmarks (`cargo bench -p rocky-tests --bench X -- FLAGS`).

/// The benchmark's own arguments (everything after `--`).
pub struct BenchArgs(Vec<String>);

impl BenchArgs {
    pub fn from_env() -> Self {
        BenchArgs(std::env::args().collect())
    }

    /// The value after `--name`, if given.
    pub fn value(&self, name: &str) -> Option<String> {
        self.0.iter().position(|a| a == name).and_then(|i| self.0.get(i + 1)).cloned()
    }

    /// A number flag, or `default` when missing or not a number.
    pub fn number(&self, name: &str, default: usize) -> usize {
        self.value(name).and_then(|s| s.parse().ok()).unwrap_or(default)
    }

    /// `--models 1000,10000`: the project sizes to measure.
    pub fn sizes(&self, default: &str) -> Vec<usize> {
        self.value("--models")
            .unwrap_or_else(|| default.to_string())
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    }
}
