//! Shared helpers for integration tests and benchmarks.

pub mod duck;
pub mod generator;
pub mod lsp_client;
