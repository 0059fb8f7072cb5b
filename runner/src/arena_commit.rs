//! mimalloc commits arena memory as it is used instead of eagerly. Included by both binaries
//! (`rocky` and `rocky-lsp`, whose `main.rs` names this file with `#[path]`): a constructor must
//! be linked into the binary itself, and a library's unreferenced object may be dropped.
//!
//! `rocky check` at 10k models peaks at ~149 MB instead of ~167 MB RSS (BENCHMARKS.md). It must
//! run before the first allocation reserves an arena, which happens before `main`, hence a
//! constructor; the environment variable `MIMALLOC_ARENA_EAGER_COMMIT` still decides when it is
//! set (read with libc's `getenv`, which does not allocate).

/// mimalloc 3's `mi_option_arena_eager_commit` (its `mimalloc.h`; libmimalloc-sys names only v2's
/// options).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

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
