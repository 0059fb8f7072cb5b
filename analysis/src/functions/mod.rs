//! DuckDB's function catalog, generated from duckdb_functions().
