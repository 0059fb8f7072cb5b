//! The runner: the `rocky` command line. Every command asks the shared analysis (through the
//! loader) for what it needs; nothing here parses or type-checks SQL.

pub mod check;
pub mod cli;
pub mod commands;
pub mod project;
pub mod run;
pub mod warehouse;

/// Process exit codes, shared by every command.
pub mod exit {
    /// Success (warnings allowed).
    pub const OK: u8 = 0;
    /// The project has errors.
    pub const ERRORS: u8 = 1;
    /// Bad usage, or the project could not be loaded at all.
    pub const USAGE: u8 = 2;
    /// Another process holds the warehouse file and did not let go in time: try again later
    /// (sysexits' `EX_TEMPFAIL`).
    pub const BUSY: u8 = 75;
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: cli::Cli) -> u8 {
    use cli::Command;
    use commands::finish;
    let global = &cli.global;
    match &cli.command {
        Command::Check(args) => check::run(global, args),
        Command::Run(args) => run::execute(global, args),
        Command::State(args) => finish(commands::state::run(global, args)),
        Command::Branch(args) => finish(commands::branch::run(global, args)),
        Command::History(args) => finish(commands::history::run(global, args)),
        Command::Replay(args) => finish(commands::replay::run(global, args)),
        Command::Lineage(args) => finish(commands::lineage::run(global, args)),
        Command::Init(args) => finish(commands::init::run(global, args)),
        Command::Discover(args) => finish(commands::discover::run(global, args)),
        Command::Seed(args) => finish(commands::seed::run(global, args)),
        Command::Test(args) => finish(commands::test::run(global, args)),
        // The global options do not apply: the editor says which folders to serve.
        Command::Lsp(_) => match rocky_lsp::run_stdio() {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: the language server failed: {e:#}");
                exit::ERRORS
            }
        },
    }
}
