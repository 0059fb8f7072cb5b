//! `rocky-lsp`: the language server on stdin/stdout (logs on stderr, `RUST_LOG`).

use clap::Parser;

// The analysis allocates many small values; mimalloc is markedly faster at that than glibc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Arena memory committed on use, as in `rocky` (one source for both binaries).
#[path = "../../runner/src/arena_commit.rs"]
mod arena_commit;

/// Rocky's language server: speaks the Language Server Protocol on stdin/stdout and logs to
/// stderr (level from RUST_LOG, default `warn`). Editors start it; it is not used by hand.
#[derive(Debug, Parser)]
#[command(name = "rocky-lsp", version, about)]
struct Args {
    /// Talk over stdin/stdout: the only transport, and the default (accepted because editors'
    /// language clients pass it).
    #[arg(long)]
    stdio: bool,
}

fn main() -> std::process::ExitCode {
    let _ = Args::parse();
    match rocky_lsp::run_stdio() {
        Ok(code) => std::process::ExitCode::from(code),
        Err(e) => {
            eprintln!("rocky-lsp: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
