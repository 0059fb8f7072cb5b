//! Waiting for a DuckDB file another process holds. DuckDB lets one process open a database
//! file for writing; a second `rocky run` (or any other program) gets "Could not set lock on
//! file … Conflicting lock is held in … (PID N)". Rather than fail at once, Rocky says who it
//! waits for, retries with backoff up to a bound, then refuses with [`WarehouseError::Locked`].

use std::time::{Duration, Instant};

use super::WarehouseError;

/// First pause between attempts; it doubles up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// How long to wait for a held warehouse file unless `--lock-wait` says otherwise.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// DuckDB's lock-conflict error (an IO Error when opening the file).
pub fn is_lock_conflict(message: &str) -> bool {
    message.contains("Could not set lock on file") || message.contains("Conflicting lock is held")
}

/// The holder's process id, when DuckDB's message names it (`… (PID 1234) …`).
pub fn holder_pid(message: &str) -> Option<u32> {
    let rest = &message[message.find("(PID ")? + "(PID ".len()..];
    rest[..rest.find(')')?].trim().parse().ok()
}

/// Calls `attempt` until it succeeds or fails for another reason (the inner result), or `wait`
/// has passed while the file stays locked ([`WarehouseError::Locked`]). The first conflict calls
/// `notify` with one line to show the user.
pub fn open_waiting<T>(
    location: &str,
    wait: Duration,
    mut attempt: impl FnMut() -> Result<T, duckdb::Error>,
    mut notify: impl FnMut(&str),
) -> Result<Result<T, duckdb::Error>, WarehouseError> {
    let start = Instant::now();
    let mut delay = FIRST_DELAY;
    let mut told = false;
    loop {
        let error = match attempt() {
            Ok(value) => return Ok(Ok(value)),
            Err(e) => e,
        };
        let message = error.to_string();
        if !is_lock_conflict(&message) {
            return Ok(Err(error));
        }
        let holder = holder_pid(&message);
        let waited = start.elapsed();
        if waited >= wait {
            return Err(WarehouseError::Locked { location: location.to_string(), holder, waited });
        }
        if !told {
            let who = holder.map(|p| format!(" (PID {p})")).unwrap_or_default();
            notify(&format!(
                "waiting for another process{who} holding {location}… (up to {} s; `--lock-wait SECONDS` changes it)",
                wait.as_secs()
            ));
            told = true;
        }
        std::thread::sleep(delay.min(wait - waited));
        delay = (delay * 2).min(MAX_DELAY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_duckdbs_lock_message() {
        let m = "IO Error: Could not set lock on file \"/tmp/w.duckdb\": Conflicting lock is held in /usr/bin/rocky (PID 4242) by user root. See also https://duckdb.org/docs/stable/connect/concurrency";
        assert!(is_lock_conflict(m));
        assert_eq!(holder_pid(m), Some(4242));
        assert_eq!(holder_pid("IO Error: Could not set lock on file \"x\": Conflicting lock is held"), None);
        assert!(!is_lock_conflict("IO Error: Cannot open file \"x\": Permission denied"));
    }
}
