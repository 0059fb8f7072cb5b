//! Where and how to connect: the `[adapter]` keys, else the `url`, else libpq's environment
//! (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`),
//! else libpq's defaults. The password comes from the variable `password_env` names, else the URL, else
//! `PGPASSWORD`, else the password file — never from rocky.toml.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use rocky_analysis::config::AdapterConfig;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::pgpass;
use super::tls::{self, Mode};
use crate::warehouse::WarehouseError;

/// Seconds to wait for a connection when neither the config nor `PGCONNECT_TIMEOUT` says.
const DEFAULT_CONNECT_TIMEOUT: u64 = 10;

/// A resolved connection: the client config and how to describe it in messages.
#[derive(Clone)]
pub struct Settings {
    pub config: postgres::Config,
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
    /// Where the password came from (`None`: no password found), for the hint of a failed login.
    pub password_from: Option<String>,
    /// The name of an unset `password_env` variable (a login then says so).
    pub missing_password_env: Option<String>,
    pub statement_timeout: Option<u64>,
    /// The `sslmode`, for the hint of a failed connection.
    pub sslmode: Mode,
    /// Makes each connection's TLS session (unused with `disable`).
    pub tls: MakeRustlsConnect,
    /// The catalog rocky.toml's models are checked and built in (must be the database).
    pub catalog: String,
    /// Warnings to print once (a password file others can read).
    pub warnings: Vec<String>,
}

impl Settings {
    /// `user@host:port/dbname`, for messages.
    pub fn location(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.dbname)
    }
}

/// Resolves `adapter` with the process environment. Like DuckDB's `path`, a relative
/// `sslrootcert` key is relative to the project `root` (the url's and PGSSLROOTCERT's, as libpq).
pub fn resolve(adapter: &AdapterConfig, root: &Path) -> Result<Settings, WarehouseError> {
    let mut adapter = adapter.clone();
    if let Some(file) = adapter.sslrootcert.as_mut().filter(|f| f.as_str() != "system" && Path::new(f).is_relative()) {
        *file = root.join(&*file).to_string_lossy().into_owned();
    }
    resolve_with(&adapter, &|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

fn invalid(location: &str, detail: String, hint: &str) -> WarehouseError {
    WarehouseError::Open { adapter: "PostgreSQL", location: location.to_string(), detail, hint: hint.to_string() }
}

/// Resolves `adapter` with `env` as the environment (tests pass their own).
pub fn resolve_with(adapter: &AdapterConfig, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, WarehouseError> {
    let url_tls = adapter.url.as_deref().map(tls::take_url_params);
    let from_url = match &url_tls {
        Some((url, _, _)) => Some(postgres::Config::from_str(url).map_err(|e| {
            invalid(
                "the `url` in [adapter]",
                format!("the url does not parse: {e}"),
                "write it as postgres://USER@HOST:PORT/DBNAME?sslmode=prefer",
            )
        })?),
        None => None,
    };
    let url_host = from_url.as_ref().and_then(|c| {
        c.get_hosts().first().map(|h| match h {
            Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            Host::Unix(p) => p.display().to_string(),
        })
    });
    let host = adapter.host.clone().or(url_host).or_else(|| env("PGHOST")).unwrap_or_else(|| "localhost".into());
    let port = match adapter.port.or_else(|| from_url.as_ref().and_then(|c| c.get_ports().first().copied())) {
        Some(p) => p,
        None => match env("PGPORT") {
            Some(p) => p.parse().map_err(|_| {
                invalid(&host, format!("PGPORT={p} is not a port number"), "unset PGPORT or set port in [adapter]")
            })?,
            None => 5432,
        },
    };
    let user = adapter
        .user
        .clone()
        .or_else(|| from_url.as_ref().and_then(|c| c.get_user().map(str::to_string)))
        .or_else(|| env("PGUSER"))
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "postgres".into());
    let catalog = adapter.catalog();
    // Models are built into `catalog`, so that is the database to connect to unless the
    // environment names another (then the connection check reports the mismatch).
    let named = adapter.dbname.is_some() || from_url.as_ref().is_some_and(|c| c.get_dbname().is_some());
    let dbname = if named { catalog.clone() } else { env("PGDATABASE").unwrap_or_else(|| catalog.clone()) };
    let (url_sslmode, url_rootcert) = url_tls.map(|(_, m, r)| (m, r)).unwrap_or_default();
    let sslmode =
        adapter.sslmode.clone().or(url_sslmode).or_else(|| env("PGSSLMODE")).unwrap_or_else(|| "prefer".into());
    let Some(mode) = Mode::parse(&sslmode) else {
        return Err(invalid(
            &host,
            format!("unknown sslmode `{sslmode}`"),
            "use disable, prefer, require, verify-ca or verify-full",
        ));
    };
    let rootcert = adapter.sslrootcert.clone().or(url_rootcert).or_else(|| env("PGSSLROOTCERT"));
    let verification = tls::verification(mode, rootcert.as_deref(), env("HOME").as_deref());
    let tls = tls::connector(verification.as_ref()).map_err(|(detail, hint)| invalid(&host, detail, &hint))?;
    let connect_timeout = adapter
        .connect_timeout
        .or_else(|| env("PGCONNECT_TIMEOUT").and_then(|t| t.parse().ok()))
        .unwrap_or(DEFAULT_CONNECT_TIMEOUT)
        .max(1);

    let mut warnings = Vec::new();
    let mut missing_password_env = None;
    let mut password: Option<(Vec<u8>, String)> = None;
    if let Some(var) = &adapter.password_env {
        match env(var) {
            Some(p) => password = Some((p.into_bytes(), format!("the environment variable {var} (password_env)"))),
            None => missing_password_env = Some(var.clone()),
        }
    }
    if password.is_none() {
        password = from_url.as_ref().and_then(|c| c.get_password()).map(|p| (p.to_vec(), "the url".to_string()));
    }
    if password.is_none() && missing_password_env.is_none() {
        password = env("PGPASSWORD").map(|p| (p.into_bytes(), "PGPASSWORD".to_string()));
    }
    if password.is_none() {
        if let Some(file) = pgpass::location(env) {
            match pgpass::lookup(&file, &host, port, &dbname, &user) {
                Ok(Some((p, line))) => password = Some((p.into_bytes(), format!("{} line {line}", file.display()))),
                Ok(None) => {}
                Err(warning) => warnings.push(warning),
            }
        }
    }

    let mut config = postgres::Config::new();
    if host.starts_with('/') {
        config.host_path(&host);
    } else {
        config.host(&host);
    }
    config
        .port(port)
        .user(&user)
        .dbname(&dbname)
        .ssl_mode(mode.ssl_mode())
        .application_name("rocky")
        .connect_timeout(Duration::from_secs(connect_timeout));
    if let Some(seconds) = adapter.statement_timeout.filter(|s| *s > 0) {
        config.options(&format!("-c statement_timeout={}", seconds.saturating_mul(1000)));
    }
    let password_from = password.as_ref().map(|(_, from)| from.clone());
    if let Some((p, _)) = password {
        config.password(p);
    }
    Ok(Settings {
        config,
        host,
        port,
        dbname,
        user,
        password_from,
        missing_password_env,
        statement_timeout: adapter.statement_timeout.filter(|s| *s > 0),
        sslmode: mode,
        tls,
        catalog,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocky_analysis::config::parse_project_config;

    fn adapter(toml: &str) -> AdapterConfig {
        let (c, d) = parse_project_config("rocky.toml", &format!("[adapter]\ntype = \"postgres\"\n{toml}"));
        assert!(d.is_empty(), "{d:?}");
        c.adapter
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn keys_win_over_the_url_which_wins_over_the_environment() {
        let env = env_of(&[("PGHOST", "envhost"), ("PGPORT", "6000"), ("PGUSER", "envuser"), ("PGPASSWORD", "envpw")]);
        let a = adapter("url = \"postgres://urluser:urlpw@urlhost:5999/shop\"\nhost = \"keyhost\"\nconnect_timeout = 3\nstatement_timeout = 60\n");
        let s = resolve_with(&a, &env).unwrap();
        assert_eq!((s.host.as_str(), s.port, s.user.as_str(), s.dbname.as_str()), ("keyhost", 5999, "urluser", "shop"));
        assert_eq!(s.password_from.as_deref(), Some("the url"));
        assert_eq!(s.config.get_password(), Some(&b"urlpw"[..]));
        assert_eq!(s.config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        assert_eq!(s.config.get_options(), Some("-c statement_timeout=60000"));
        assert_eq!(s.location(), "urluser@keyhost:5999/shop");
    }

    #[test]
    fn unset_keys_fall_back_to_libpq_environment() {
        let env = env_of(&[
            ("PGHOST", "envhost"),
            ("PGPORT", "6000"),
            ("PGUSER", "envuser"),
            ("PGPASSWORD", "envpw"),
            ("PGDATABASE", "envdb"),
        ]);
        let s = resolve_with(&adapter(""), &env).unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.user.as_str(), s.dbname.as_str()),
            ("envhost", 6000, "envuser", "envdb")
        );
        assert_eq!(s.password_from.as_deref(), Some("PGPASSWORD"));
        assert_eq!(s.catalog, "postgres", "the catalog is rocky.toml's; the connection check compares them");
        // dbname in the file: PGDATABASE is not used.
        let s = resolve_with(&adapter("dbname = \"shop\""), &env).unwrap();
        assert_eq!(s.dbname, "shop");
    }

    #[test]
    fn password_env_is_used_and_its_absence_is_remembered() {
        let env = env_of(&[("ROCKY_PW", "s3cret"), ("PGPASSWORD", "other")]);
        let s = resolve_with(&adapter("password_env = \"ROCKY_PW\""), &env).unwrap();
        assert_eq!(s.config.get_password(), Some(&b"s3cret"[..]));
        let s = resolve_with(&adapter("password_env = \"NOT_SET\""), &env).unwrap();
        assert_eq!(s.missing_password_env.as_deref(), Some("NOT_SET"));
        assert_eq!(s.config.get_password(), None, "PGPASSWORD does not stand in for a named variable");
    }

    #[test]
    fn sslmode_comes_from_the_key_else_the_url_else_pgsslmode() {
        use postgres::config::SslMode;
        let s = resolve_with(&adapter("sslmode = \"verify-full\""), &env_of(&[("PGSSLMODE", "disable")])).unwrap();
        assert_eq!((s.sslmode, s.config.get_ssl_mode()), (Mode::VerifyFull, SslMode::Require));
        let url = "url = \"postgres://u@h/d?sslmode=disable&sslrootcert=/nonexistent.crt\"";
        let s = resolve_with(&adapter(url), &env_of(&[("PGSSLMODE", "require")])).unwrap();
        assert_eq!(s.config.get_ssl_mode(), SslMode::Disable, "the url's sslmode wins over PGSSLMODE");
        let s = resolve_with(&adapter(""), &env_of(&[("PGSSLMODE", "require")])).unwrap();
        assert_eq!(s.sslmode, Mode::Require);
        assert_eq!(resolve_with(&adapter(""), &env_of(&[])).unwrap().sslmode, Mode::Prefer);
        let Err(WarehouseError::Open { detail, hint, .. }) =
            resolve_with(&adapter(""), &env_of(&[("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", "/nonexistent.crt")]))
        else {
            panic!("an unreadable root certificate must be refused");
        };
        assert!(detail.contains("/nonexistent.crt") && hint.contains("sslrootcert"), "{detail} / {hint}");
        let Err(WarehouseError::Open { hint, .. }) = resolve_with(&adapter(""), &env_of(&[("PGSSLMODE", "maybe")]))
        else {
            panic!("an unknown PGSSLMODE must be refused");
        };
        assert!(hint.contains("verify-full"), "{hint}");
    }
}
