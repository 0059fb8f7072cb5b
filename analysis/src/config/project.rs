//! rocky.toml → [`ProjectConfig`].

use super::parse::{in_file_order, parse_doc, Sink, Value};
use super::{AdapterConfig, PipelineConfig, ProjectConfig};
use crate::diagnostics::{Code, Diagnostic};

/// Adapter types Rocky can check and run against today.
const SUPPORTED_ADAPTERS: [&str; 3] = ["duckdb", "postgres", "spark"];

/// libpq's `sslmode` values Rocky's PostgreSQL adapter honours.
const SSL_MODES: [&str; 6] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/// Parses rocky.toml. Never fails: problems become diagnostics on `path` (`E002` for broken TOML
/// and wrong values, one `I601` per ignored section or key) and defaults fill in, so a broken
/// config still lets every model be checked.
pub fn parse_project_config(path: &str, text: &str) -> (ProjectConfig, Vec<Diagnostic>) {
    let mut sink = Sink::new(path, Code::E002InvalidProjectConfig);
    let doc = parse_doc(text, &mut sink);
    let mut config = ProjectConfig { pipelines: Vec::new(), ..ProjectConfig::default() };
    for (key, span, value) in in_file_order(&doc) {
        match key {
            "adapter" => adapters(&mut sink, value, &mut config),
            "pipeline" => pipelines(&mut sink, value, &mut config),
            "cache" => cache(&mut sink, value, &mut config),
            "state" => {
                let Some(t) = sink.table("state", value) else { continue };
                for (k, kspan, v) in in_file_order(t) {
                    match k {
                        "path" => config.state_path = sink.string("path", v),
                        other => sink.ignored(kspan, &format!("`state.{other}`")),
                    }
                }
            }
            other if value.get_ref().is_table() => sink.ignored(span, &format!("section `[{other}]`")),
            other => sink.ignored(span, &format!("key `{other}`")),
        }
    }
    if config.pipelines.is_empty() {
        config.pipelines = ProjectConfig::default().pipelines;
    }
    // The adapter models are built with: the first supported one, else the first declared.
    let primary =
        config.adapters.iter().find(|(_, a)| SUPPORTED_ADAPTERS.contains(&a.kind.as_str())).or(config.adapters.first());
    if let Some((_, a)) = primary {
        config.adapter = a.clone();
    }
    (config, sink.out)
}

/// `[adapter]` (one unnamed adapter: its values are not tables) or `[adapter.NAME]` (several).
fn adapters(sink: &mut Sink<'_>, value: &Value<'_>, config: &mut ProjectConfig) {
    let Some(t) = sink.table("adapter", value) else { return };
    let unnamed = t.iter().any(|(_, v)| !v.get_ref().is_table());
    if unnamed {
        let a = adapter(sink, "adapter", t);
        config.adapters.push((None, a));
        return;
    }
    for (name, _, v) in in_file_order(t) {
        let section = format!("adapter.{name}");
        let Some(inner) = sink.table(&section, v) else { continue };
        let a = adapter(sink, &section, inner);
        config.adapters.push((Some(name.to_string()), a));
    }
}

fn adapter(sink: &mut Sink<'_>, section: &str, t: &toml::de::DeTable<'_>) -> AdapterConfig {
    let mut a = AdapterConfig::default();
    for (k, kspan, v) in in_file_order(t) {
        match k {
            "type" => {
                if let Some(kind) = sink.string("type", v) {
                    if !SUPPORTED_ADAPTERS.contains(&kind.as_str()) {
                        // Not an error: projects that also deploy elsewhere must still open.
                        sink.ignored_because(
                            v.span(),
                            &format!(
                                "adapter type `{kind}` ([{section}]) is not supported yet: models are checked, but Rocky cannot run them there"
                            ),
                        );
                    }
                    a.kind = kind;
                }
            }
            "path" => a.path = sink.string("path", v),
            "url" => {
                a.url = sink.string("url", v);
                if a.url.as_deref().is_some_and(url_has_token) {
                    sink.error(
                        v.span(),
                        "a token must not be written in rocky.toml",
                        "remove `;token=…` from the url and name an environment variable instead: token_env = \"DATABRICKS_TOKEN\"",
                    );
                }
            }
            "host" => a.host = sink.string("host", v),
            "port" => {
                a.port = sink.unsigned("port", v, 1, "port = 5432").and_then(|p| match u16::try_from(p) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        sink.error(v.span(), "`port` must be at most 65535", "e.g. port = 5432");
                        None
                    }
                })
            }
            "dbname" | "database" => a.dbname = sink.string(k, v),
            "user" => a.user = sink.string("user", v),
            "sslmode" => {
                if let Some(mode) = sink.string("sslmode", v) {
                    if SSL_MODES.contains(&mode.as_str()) {
                        a.sslmode = Some(mode);
                    } else {
                        sink.error(
                            v.span(),
                            format!("unknown `sslmode` \"{mode}\""),
                            format!("use one of {}", SSL_MODES.join(", ")),
                        );
                    }
                }
            }
            "sslrootcert" => a.sslrootcert = sink.string("sslrootcert", v),
            "password_env" => a.password_env = sink.string("password_env", v),
            "connect_timeout" => a.connect_timeout = sink.unsigned("connect_timeout", v, 1, "connect_timeout = 10"),
            "statement_timeout" => {
                a.statement_timeout = sink.unsigned("statement_timeout", v, 0, "statement_timeout = 600")
            }
            "token_env" => a.token_env = sink.string("token_env", v),
            "catalog" => a.catalog = sink.string("catalog", v),
            "table_format" => a.table_format = sink.string("table_format", v),
            "token" => sink.error(
                kspan,
                "a token must not be written in rocky.toml",
                "name an environment variable instead: token_env = \"DATABRICKS_TOKEN\"",
            ),
            "password" => sink.error(
                kspan,
                "a password must not be written in rocky.toml",
                "name an environment variable instead: password_env = \"ROCKY_PG_PASSWORD\" (or use PGPASSWORD / ~/.pgpass)",
            ),
            other => sink.ignored(kspan, &format!("`{section}.{other}`")),
        }
    }
    a
}

/// Whether a Spark Connect URL carries `;token=…` among its parameters.
fn url_has_token(url: &str) -> bool {
    url.strip_prefix("sc://")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, params)| params.split(';').any(|p| p.trim_start().to_ascii_lowercase().starts_with("token=")))
}

fn pipelines(sink: &mut Sink<'_>, value: &Value<'_>, config: &mut ProjectConfig) {
    let Some(t) = sink.table("pipeline", value) else { return };
    for (name, name_span, v) in in_file_order(t) {
        let section = format!("pipeline.{name}");
        let Some(p) = sink.table(&section, v) else { continue };
        let kind = match p.get("type") {
            None => "transformation".to_string(),
            Some(tv) => match sink.string("type", tv) {
                Some(k) => k,
                None => continue,
            },
        };
        if kind != "transformation" {
            sink.ignored(name_span, &format!("pipeline `{name}` (type \"{kind}\")"));
            continue;
        }
        let mut pipeline = PipelineConfig::new(name, "models/**");
        for (k, kspan, v) in in_file_order(p) {
            match k {
                "type" => {}
                "models" => {
                    if let Some(m) = sink.spanned_string("models", v) {
                        if m.value.trim().is_empty() {
                            sink.error(v.span(), "`models` must not be empty", "e.g. models = \"models/**\"");
                        } else {
                            pipeline.models = m.value;
                            pipeline.models_range = m.range;
                        }
                    }
                }
                "execution" => {
                    let Some(e) = sink.table(&format!("{section}.execution"), v) else { continue };
                    for (ek, ekspan, ev) in in_file_order(e) {
                        match ek {
                            "concurrency" => {
                                pipeline.concurrency = sink
                                    .unsigned("concurrency", ev, 1, "concurrency = 4")
                                    .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
                            }
                            other => sink.ignored(ekspan, &format!("`{section}.execution.{other}`")),
                        }
                    }
                }
                other => sink.ignored(kspan, &format!("`{section}.{other}`")),
            }
        }
        config.pipelines.push(pipeline);
    }
}

fn cache(sink: &mut Sink<'_>, value: &Value<'_>, config: &mut ProjectConfig) {
    let Some(t) = sink.table("cache", value) else { return };
    for (k, kspan, v) in in_file_order(t) {
        if k != "schemas" {
            sink.ignored(kspan, &format!("`cache.{k}`"));
            continue;
        }
        let Some(s) = sink.table("cache.schemas", v) else { continue };
        for (sk, skspan, sv) in in_file_order(s) {
            match sk {
                "enabled" => {
                    if let Some(b) = sink.boolean("enabled", sv) {
                        config.schema_cache.enabled = b;
                    }
                }
                "ttl_seconds" => {
                    if let Some(n) = sink.unsigned("ttl_seconds", sv, 0, "ttl_seconds = 86400 (24 hours)") {
                        config.schema_cache.ttl_seconds = n;
                    }
                }
                other => sink.ignored(skspan, &format!("`cache.schemas.{other}`")),
            }
        }
    }
}
