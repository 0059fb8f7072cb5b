//! The `rocky` binary: parses arguments and hands off to the runner library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = rocky_runner::cli::Cli::parse();
    ExitCode::from(rocky_runner::run(cli))
}
