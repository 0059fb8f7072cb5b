//! Every `rocky` command except `check` and `run`: one file each. They open the project through
//! [`crate::project`], ask the analysis, the state file or the warehouse, and print text or
//! JSON. Errors are [`Failure`]s: a message, what to do, and the exit code.

pub mod branch;
pub(crate) mod connect;
pub mod discover;
pub mod history;
pub mod init;
pub mod lineage;
mod lineage_render;
pub mod replay;
pub mod seed;
pub mod state;
pub mod test;
mod time_format;

use rocky_state::StateError;

use crate::exit;

/// A command that could not do its job: printed as `error: …` and `= help: …` on stderr.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
    pub hint: String,
}

impl Failure {
    /// Bad usage or something not found (exit 2).
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure { code: exit::USAGE, message: message.into(), hint: hint.into() }
    }

    /// The command failed (exit 1).
    pub fn error(message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure { code: exit::ERRORS, message: message.into(), hint: hint.into() }
    }

    /// Prints the failure and returns its exit code.
    pub fn report(&self) -> u8 {
        eprintln!("error: {}", self.message);
        if !self.hint.is_empty() {
            eprintln!("  = help: {}", self.hint);
        }
        self.code
    }
}

impl From<StateError> for Failure {
    /// State errors already say what to do.
    fn from(e: StateError) -> Failure {
        let code = if matches!(e, StateError::InvalidBranchName(_)) { exit::USAGE } else { exit::ERRORS };
        Failure { code, message: e.to_string(), hint: String::new() }
    }
}

/// What a command returns: an exit code, or a failure to print.
pub type CommandResult = Result<u8, Failure>;

/// Prints a failure (if any) and returns the exit code.
pub fn finish(result: CommandResult) -> u8 {
    result.unwrap_or_else(|f| f.report())
}

/// `println!` that ignores a closed stdout (output piped into `head`): the exit code still
/// tells the result.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use say;

/// Prints a JSON document on stdout.
pub fn print_json(value: &serde_json::Value) {
    say!("{}", serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
}
