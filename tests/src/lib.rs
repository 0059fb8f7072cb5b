//! Shared helpers for integration tests and benchmarks.

pub mod agreement;
pub mod bench_args;
pub mod duck;
pub mod generator;
pub mod keystroke;
pub mod lsp_client;
pub mod pg;
pub mod sqllogictest;
