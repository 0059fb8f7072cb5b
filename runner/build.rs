//! Where `rocky` finds the prebuilt `libduckdb.so` at run time (unless DuckDB is compiled in with
//! the `bundled` feature). The binary carries a RUNPATH, searched after `LD_LIBRARY_PATH`:
//!
//! 1. `$ORIGIN/../lib/rocky` — an install prefix (`scripts/install.sh` puts the library in
//!    `PREFIX/lib/rocky`, its own directory, so it never replaces another program's libduckdb);
//! 2. `$ORIGIN` — the library placed beside the binary;
//! 3. the absolute `DUCKDB_LIB_DIR` the build linked against, so `target/debug/rocky` runs without
//!    any environment. Installs leave it out (`ROCKY_RPATH_NO_BUILD_DIR=1`, set by install.sh) so an
//!    installed binary never depends on the source tree it was built from.

use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    println!("cargo:rerun-if-env-changed=ROCKY_RPATH_NO_BUILD_DIR");
    if env::var_os("CARGO_FEATURE_BUNDLED").is_some() || env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let mut rpath = vec!["$ORIGIN/../lib/rocky".to_string(), "$ORIGIN".to_string()];
    let keep_build_dir = env::var_os("ROCKY_RPATH_NO_BUILD_DIR").is_none_or(|v| v != "1");
    if let (true, Some(dir)) = (keep_build_dir, env::var_os("DUCKDB_LIB_DIR")) {
        // Canonical: the RUNPATH needs an absolute path (and gets none for a missing directory).
        if let Ok(dir) = Path::new(&dir).canonicalize() {
            rpath.push(dir.to_string_lossy().into_owned());
        }
    }
    // The `rocky` binary only; test executables find the library through env.sh's LD_LIBRARY_PATH.
    println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{}", rpath.join(":"));
}
