//! Spark's errors as Rocky reports them: the error class (`TABLE_OR_VIEW_NOT_FOUND`), the
//! SQLSTATE, the message, and where in the SQL (the query context). A gRPC status carries a
//! summary (`google.rpc.ErrorInfo`: class, SQLSTATE, an error id); the query context comes from
//! `FetchErrorDetails` with that id.

use std::fmt;

use tonic_types::StatusExt;

/// What failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The connection string is malformed.
    Url,
    /// The server could not be reached (refused, name not resolved, TLS, lost connection).
    Connect,
    /// Spark raised an error (analysis, execution, permission).
    Server,
    /// The operation was interrupted (`Interrupt`, Ctrl-C).
    Interrupted,
    /// The server answered something this client does not understand.
    Protocol,
}

/// Where in the SQL text an error is: byte offsets, `stop` inclusive (Spark's convention).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryContext {
    pub start: usize,
    pub stop: usize,
    /// The SQL text from `start` to `stop`.
    pub fragment: String,
}

/// A failed Spark Connect call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SparkError {
    pub kind: ErrorKind,
    /// Spark's error class, e.g. `UNRESOLVED_COLUMN.WITH_SUGGESTION`.
    pub error_class: Option<String>,
    pub sqlstate: Option<String>,
    /// Spark's message (or the transport's), without the query plan Spark appends.
    pub message: String,
    /// Boxed: it is rarely there and errors travel in `Result`s.
    pub context: Option<Box<QueryContext>>,
    /// The JVM exception class (`org.apache.spark.sql.AnalysisException`).
    pub exception: Option<String>,
}

impl SparkError {
    pub(crate) fn url(url: &str, problem: &str) -> SparkError {
        SparkError::plain(ErrorKind::Url, format!("invalid Spark Connect URL `{url}`: {problem}"))
    }

    pub(crate) fn protocol(message: String) -> SparkError {
        SparkError::plain(ErrorKind::Protocol, message)
    }

    pub(crate) fn connect(endpoint: &str, detail: String) -> SparkError {
        SparkError::plain(ErrorKind::Connect, format!("cannot reach the Spark Connect server at {endpoint}: {detail}"))
    }

    fn plain(kind: ErrorKind, message: String) -> SparkError {
        SparkError { kind, error_class: None, sqlstate: None, message, context: None, exception: None }
    }

    /// The error of a failed call, and the error id to fetch its details with.
    pub(crate) fn from_status(status: &tonic::Status, endpoint: &str) -> (SparkError, Option<String>) {
        use tonic::Code;
        let info = status.get_details_error_info();
        let metadata = info.as_ref().map(|i| &i.metadata);
        let get = |key: &str| metadata.and_then(|m| m.get(key)).filter(|v| !v.is_empty()).cloned();
        let error_class = get("errorClass");
        let kind = match status.code() {
            Code::Unavailable | Code::Unknown if info.is_none() => ErrorKind::Connect,
            Code::Cancelled => ErrorKind::Interrupted,
            _ if error_class.as_deref() == Some("OPERATION_CANCELED") => ErrorKind::Interrupted,
            _ => ErrorKind::Server,
        };
        let mut message = status.message().to_string();
        if kind == ErrorKind::Connect {
            message = transport_detail(status);
            return (SparkError::connect(endpoint, message), None);
        }
        strip_plan(&mut message);
        let error = SparkError {
            kind,
            error_class,
            sqlstate: get("sqlState"),
            message,
            context: None,
            exception: info.as_ref().map(|i| i.reason.clone()).filter(|r| !r.is_empty()),
        };
        (error, get("errorId"))
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::Connect => Some(
                "check the adapter's `url` (host and port, default 15002) and that the Spark Connect server is running (sbin/start-connect-server.sh)",
            ),
            ErrorKind::Url => Some("the form is sc://host:port, e.g. sc://localhost:15002"),
            _ => None,
        }
    }
}

/// The underlying transport error (e.g. "Connection refused"), not tonic's wrapper text.
fn transport_detail(status: &tonic::Status) -> String {
    let mut detail = status.message().to_string();
    let mut source = std::error::Error::source(status);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    detail
}

/// Spark appends the analyzed plan (`;\n'Project …`) or the statement with a caret
/// (`\n== SQL (line 1, position 8) ==`, `\n\n== SQL ==`) to some messages; Rocky shows the
/// statement itself.
pub(crate) fn strip_plan(message: &mut String) {
    for marker in [";\n", "\n== SQL"] {
        if let Some(at) = message.find(marker) {
            message.truncate(at);
        }
    }
    *message = message.trim().to_string();
}

/// The position a parse error names in its message (`(line 2, pos 7)`: 1-based line, 0-based
/// character; `== SQL (line 2, position 8) ==`: 1-based both), as a query context over the token
/// there: Spark sends no query context for parse errors.
pub(crate) fn parse_error_context(sql: &str, message: &str) -> Option<QueryContext> {
    let at = message.find("(line ")?;
    let (line, rest) = message[at + 6..].split_once(", pos")?;
    let (rest, one_based) = match rest.strip_prefix("ition ") {
        Some(rest) => (rest, true),
        None => (rest.trim_start(), false),
    };
    let pos: usize = rest.split(')').next()?.parse().ok()?;
    let pos = if one_based { pos.checked_sub(1)? } else { pos };
    let line: usize = line.parse().ok()?;
    let line_start = if line <= 1 { 0 } else { sql.match_indices('\n').nth(line - 2)?.0 + 1 };
    let start = line_start + sql[line_start..].char_indices().nth(pos).map(|(b, _)| b)?;
    let token_len = sql[start..].find(|c: char| c.is_whitespace()).unwrap_or(sql.len() - start);
    let stop = start + token_len.max(1) - 1;
    Some(QueryContext { start, stop, fragment: sql.get(start..=stop)?.to_string() })
}

impl fmt::Display for SparkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_class {
            Some(class) if !self.message.starts_with(&format!("[{class}]")) => write!(f, "[{class}] {}", self.message)?,
            _ => write!(f, "{}", self.message)?,
        }
        if let Some(state) = &self.sqlstate {
            if !self.message.contains(state.as_str()) {
                write!(f, " SQLSTATE: {state}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for SparkError {}
