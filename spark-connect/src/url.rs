//! The Spark Connect connection string: `sc://host[:port][/;key=value;…]` (Spark's
//! `connect/docs/client-connection-string.md`). Known keys configure the client; every other key
//! is sent as a gRPC header on each request (e.g. `x-databricks-cluster-id`).

use crate::error::SparkError;

/// The port Spark Connect listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 15002;

/// A parsed connection string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionString {
    pub host: String,
    pub port: u16,
    /// Sent as `authorization: Bearer <token>`; implies TLS unless `use_ssl=false`.
    pub token: Option<String>,
    pub use_ssl: bool,
    pub user_id: Option<String>,
    pub user_agent: Option<String>,
    /// Keys the client does not interpret, sent as headers (name lower-cased).
    pub headers: Vec<(String, String)>,
    /// `use_ssl` as written, when it was.
    explicit_ssl: Option<bool>,
}

impl ConnectionString {
    /// Parses `url`; values are percent-decoded.
    pub fn parse(url: &str) -> Result<ConnectionString, SparkError> {
        let rest = url
            .strip_prefix("sc://")
            .ok_or_else(|| SparkError::url(url, "it must start with `sc://` (e.g. sc://localhost:15002)"))?;
        let (authority, params) = match rest.split_once('/') {
            Some((authority, params)) => (authority, params),
            None => (rest, ""),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.ends_with(']') => {
                let port =
                    port.parse::<u16>().map_err(|_| SparkError::url(url, &format!("`{port}` is not a port number")))?;
                (host, port)
            }
            _ => (authority, DEFAULT_PORT),
        };
        if host.is_empty() {
            return Err(SparkError::url(url, "the host is missing (e.g. sc://localhost:15002)"));
        }
        let mut parsed = ConnectionString {
            host: host.to_string(),
            port,
            token: None,
            use_ssl: false,
            user_id: None,
            user_agent: None,
            headers: Vec::new(),
            explicit_ssl: None,
        };
        let mut use_ssl = None;
        for param in params.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = param
                .split_once('=')
                .ok_or_else(|| SparkError::url(url, &format!("parameter `{param}` has no `=value`")))?;
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned();
            match key {
                "token" => parsed.token = Some(value),
                "use_ssl" => use_ssl = Some(value.eq_ignore_ascii_case("true")),
                "user_id" => parsed.user_id = Some(value),
                "user_agent" => parsed.user_agent = Some(value),
                // The session is always a fresh one: Rocky opens one per connection.
                "session_id" | "grpc_max_message_size" => {}
                _ => parsed.headers.push((key.to_ascii_lowercase(), value)),
            }
        }
        parsed.explicit_ssl = use_ssl;
        parsed.use_ssl = use_ssl.unwrap_or(parsed.token.is_some());
        Ok(parsed)
    }

    /// Uses `token` (e.g. from an environment variable) instead of the string's; like a token in
    /// the string it implies TLS unless the string says `use_ssl=false`.
    pub fn set_token(&mut self, token: String) {
        self.token = Some(token);
        self.use_ssl = self.explicit_ssl.unwrap_or(true);
    }

    /// `http(s)://host:port`, what the gRPC channel dials.
    pub fn endpoint(&self) -> String {
        let scheme = if self.use_ssl { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }

    /// Whether the string carries a token (Rocky refuses tokens written into rocky.toml).
    pub fn has_token(url: &str) -> bool {
        url.strip_prefix("sc://")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(_, params)| params.split(';').any(|p| p.starts_with("token=")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_and_parameters() {
        let c = ConnectionString::parse("sc://example.com:443/;token=abc%3D;x-databricks-cluster-id=0123;user_id=me")
            .unwrap();
        assert_eq!(c.host, "example.com");
        assert_eq!(c.port, 443);
        assert_eq!(c.token.as_deref(), Some("abc="));
        assert!(c.use_ssl, "a token implies TLS");
        assert_eq!(c.user_id.as_deref(), Some("me"));
        assert_eq!(c.headers, vec![("x-databricks-cluster-id".to_string(), "0123".to_string())]);
        assert_eq!(c.endpoint(), "https://example.com:443");
    }

    #[test]
    fn defaults_and_errors() {
        let c = ConnectionString::parse("sc://localhost").unwrap();
        assert_eq!((c.port, c.use_ssl), (DEFAULT_PORT, false));
        assert!(ConnectionString::parse("sc://h:1/;token=t;use_ssl=false").is_ok_and(|c| !c.use_ssl));
        assert!(ConnectionString::parse("http://localhost:15002").is_err());
        assert!(ConnectionString::parse("sc://localhost:port").is_err());
        assert!(ConnectionString::parse("sc://:15002").is_err());
        assert!(ConnectionString::parse("sc://h/;novalue").is_err());
        assert!(ConnectionString::has_token("sc://h:1/;token=x"));
        assert!(!ConnectionString::has_token("sc://h:1/;x-token=x"));
    }
}
