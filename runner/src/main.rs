//! The `rocky` binary: parses arguments and hands off to the runner library.

use std::process::ExitCode;

use clap::Parser;

// The analysis allocates many small values; mimalloc is markedly faster at that than glibc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Arena memory committed on use (see the file).
mod arena_commit;

fn main() -> ExitCode {
    let cli = rocky_runner::cli::Cli::parse();
    ExitCode::from(rocky_runner::run(cli))
}
