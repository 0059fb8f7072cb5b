//! Shared helpers for integration tests and benchmarks.
