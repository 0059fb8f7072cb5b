//! The runner: the `rocky` command line. Every command asks the shared analysis (through the
//! loader) for what it needs; nothing here parses or type-checks SQL.

pub mod check;
pub mod cli;

/// Process exit codes, shared by every command.
pub mod exit {
    /// Success (warnings allowed).
    pub const OK: u8 = 0;
    /// The project has errors.
    pub const ERRORS: u8 = 1;
    /// Bad usage, or the project could not be loaded at all.
    pub const USAGE: u8 = 2;
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: cli::Cli) -> u8 {
    match cli.command {
        cli::Command::Check(args) => check::run(&cli.global, &args),
    }
}
