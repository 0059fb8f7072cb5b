//! The `rocky` binary: parses arguments and hands off to the runner library.

use std::process::ExitCode;

use clap::Parser;

// The analysis allocates many small values; mimalloc is markedly faster at that than glibc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3's `mi_option_arena_eager_commit` (its `mimalloc.h`; libmimalloc-sys names only v2's
/// options).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Commits arena memory as it is used instead of eagerly: `rocky check` at 10k models peaks at
/// ~149 MB instead of ~167 MB RSS (BENCHMARKS.md). It must run before the first allocation
/// reserves an arena, which happens before `main`, hence a constructor; the environment variable
/// `MIMALLOC_ARENA_EAGER_COMMIT` still decides when it is set (read with libc's `getenv`, which
/// does not allocate).
#[cfg(target_os = "linux")]
extern "C" fn arena_commit_on_demand() {
    extern "C" {
        fn getenv(name: *const std::ffi::c_char) -> *const std::ffi::c_char;
    }
    // SAFETY: getenv with a NUL-terminated name (no other thread runs yet); mi_option_set
    // stores one integer.
    unsafe {
        if getenv(c"MIMALLOC_ARENA_EAGER_COMMIT".as_ptr()).is_null() {
            libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        }
    }
}

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static ARENA_COMMIT_ON_DEMAND: extern "C" fn() = arena_commit_on_demand;

fn main() -> ExitCode {
    let cli = rocky_runner::cli::Cli::parse();
    ExitCode::from(rocky_runner::run(cli))
}
