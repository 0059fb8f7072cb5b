//! `rocky-lsp`: the language server on stdin/stdout (logs on stderr, `RUST_LOG`).

// The analysis allocates many small values; mimalloc is markedly faster at that than glibc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match rocky_lsp::run_stdio() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rocky-lsp: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
