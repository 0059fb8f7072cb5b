//! PostgreSQL errors as messages that say what happened and what to do: the server's own
//! message (with its DETAIL and HINT), and for the failures users hit — server down, wrong port,
//! wrong password, pg_hba.conf, a missing database, a statement timeout, a connection the server
//! closed, TLS refused or not trusted — what to check.

use postgres::error::SqlState;

use super::settings::Settings;
use super::tls;
use crate::warehouse::WarehouseError;

/// The server's message (`ERROR: … DETAIL: … HINT: …`), or the client's for non-server errors.
pub fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut text = format!("{}: {}", db.severity(), db.message());
        if let Some(detail) = db.detail() {
            text.push_str(&format!("\n  DETAIL: {detail}"));
        }
        if let Some(hint) = db.hint() {
            text.push_str(&format!("\n  HINT: {hint}"));
        }
        return text;
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let shown = cause.to_string();
        if !text.contains(&shown) {
            text.push_str(&format!(": {shown}"));
        }
        source = cause.source();
    }
    text
}

/// A failed connection attempt, with what to check.
pub fn connect_failed(e: &postgres::Error, s: &Settings) -> WarehouseError {
    let code = e.code();
    let text = message(e);
    let hint = if let Some(hint) = tls::hint(&text, s.sslmode, &s.host) {
        hint
    } else if code == Some(&SqlState::INVALID_PASSWORD)
        || text.contains("password authentication failed")
        || text.contains("password missing")
    {
        match (&s.missing_password_env, &s.password_from) {
            (Some(var), _) => format!("password_env names {var}, which is not set: export {var}=… before running Rocky"),
            (None, Some(from)) => format!(
                "the password for user `{}` came from {from}; check it (the server's pg_hba.conf decides how `{}` may log in)",
                s.user, s.user
            ),
            (None, None) => format!(
                "no password was found for user `{}`: set password_env = \"VAR\" in [adapter] and export VAR, or set PGPASSWORD, or add a line to ~/.pgpass",
                s.user
            ),
        }
    } else if code == Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION) {
        format!(
            "the server refused user `{}` from this host: check that the role exists and that pg_hba.conf has a line allowing it",
            s.user
        )
    } else if code == Some(&SqlState::INVALID_CATALOG_NAME) {
        format!("create the database (`CREATE DATABASE \"{}\"`) or fix `dbname` in [adapter]", s.dbname)
    } else if code == Some(&SqlState::TOO_MANY_CONNECTIONS) {
        "the server has no free connections: lower `--concurrency` (Rocky opens one per worker) or raise max_connections".into()
    } else if text.contains("timed out") || text.contains("timeout") {
        format!(
            "no answer from {}:{} in time: check `host`/`port` (or PGHOST/PGPORT), the network, or raise `connect_timeout` in [adapter]",
            s.host, s.port
        )
    } else {
        format!(
            "is the server running? check `host` and `port` in [adapter] (or PGHOST/PGPORT; now {}:{}) and that the server listens there (listen_addresses, firewall)",
            s.host, s.port
        )
    };
    WarehouseError::Open { adapter: "PostgreSQL", location: s.location(), detail: text, hint }
}

/// Whether the connection is gone after `e`: a client-side failure (socket, closed), or a
/// FATAL/PANIC from the server (it ends the session, e.g. `pg_terminate_backend`).
pub fn connection_lost(e: &postgres::Error) -> bool {
    match e.as_db_error() {
        None => true,
        Some(db) => matches!(db.severity(), "FATAL" | "PANIC"),
    }
}

/// A failed statement, with what to do for the failures that are not the statement's fault.
pub fn statement_failed(e: &postgres::Error, sql: &str, statement_timeout: Option<u64>) -> WarehouseError {
    let mut detail = message(e);
    if e.code() == Some(&SqlState::QUERY_CANCELED) && detail.contains("statement timeout") {
        let limit = statement_timeout.map(|s| format!(" ({s} s)")).unwrap_or_default();
        detail.push_str(&format!(
            "\n  the statement ran longer than statement_timeout{limit}; raise `statement_timeout` in [adapter] (seconds, 0: no limit) or make the model cheaper; nothing of it was written"
        ));
    } else if connection_lost(e) {
        detail.push_str(
            "\n  the server closed the connection: the statement's transaction was rolled back, nothing of it was written; check the server (its log says why) and run again",
        );
    }
    WarehouseError::Statement { sql: sql.to_string(), detail }
}
