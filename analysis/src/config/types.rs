use crate::diagnostics::TextRange;

/// A value and where it was written (byte range in its TOML file), for diagnostics that point at it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

/// The parsed rocky.toml. Every field has a default so a broken or missing file still analyses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProjectConfig {
    /// The adapter models are built with: the first supported (`duckdb`) adapter in file order —
    /// the unnamed `[adapter]` or an `[adapter.NAME]` — else the first declared, else the default.
    pub adapter: AdapterConfig,
    /// Every adapter declared, in file order (name `None` for the unnamed one).
    pub adapters: Vec<(Option<String>, AdapterConfig)>,
    /// Pipelines of type "transformation", in file order (others are ignored with an info
    /// diagnostic). Never empty: without any, the default `models/**` pipeline applies.
    pub pipelines: Vec<PipelineConfig>,
    pub schema_cache: SchemaCacheConfig,
    /// `[state] path`, relative to the project root.
    pub state_path: Option<String>,
}

/// One `[adapter]` / `[adapter.NAME]` section.
///
/// Connection keys are kept as written; only the runner connects. A password is never a key: it
/// comes from the environment variable `password_env` names, else `PGPASSWORD` / `~/.pgpass`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AdapterConfig {
    /// `duckdb` (the default), `postgres` or `spark`.
    pub kind: String,
    /// DuckDB: database path relative to the project root, or `:memory:`.
    pub path: Option<String>,
    /// PostgreSQL: `postgres://user@host:port/dbname?sslmode=…` (instead of the separate keys).
    /// Spark: the Spark Connect URL `sc://host:port[/;key=value…]` (never with a `token=`).
    pub url: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub dbname: Option<String>,
    pub user: Option<String>,
    /// libpq's `disable`, `prefer` (the default), `require`, `verify-ca` or `verify-full`.
    pub sslmode: Option<String>,
    /// PostgreSQL: the CA certificate file (PEM) `verify-ca`/`verify-full` trust, or `system`.
    pub sslrootcert: Option<String>,
    /// The environment variable holding the password (e.g. `ROCKY_PG_PASSWORD`).
    pub password_env: Option<String>,
    /// PostgreSQL: seconds to wait for the server to answer a connection (libpq's
    /// `connect_timeout`; else `PGCONNECT_TIMEOUT`, else 10).
    pub connect_timeout: Option<u64>,
    /// PostgreSQL: seconds one statement may run before the server cancels it (`0`: no limit,
    /// the default; the server's own `statement_timeout` then applies).
    pub statement_timeout: Option<u64>,
    /// Spark: the environment variable holding a bearer token (e.g. `DATABRICKS_TOKEN`), sent as
    /// `authorization: Bearer …`.
    pub token_env: Option<String>,
    /// Spark: the catalog models are built in (default `spark_catalog`, the session catalog).
    pub catalog: Option<String>,
    /// Spark: the table format of built tables (`USING …`; default: the server's
    /// `spark.sql.sources.default`, parquet). `delta` and `iceberg` tables support
    /// `CREATE OR REPLACE TABLE … AS` and `MERGE INTO`.
    pub table_format: Option<String>,
}

impl AdapterConfig {
    /// The SQL dialect and type system models are checked with: the adapter's own.
    pub fn dialect(&self) -> crate::dialect::Dialect {
        crate::dialect::Dialect::from_adapter(&self.kind)
    }

    /// The catalog name models are built into: DuckDB names a database after its file stem, and an
    /// in-memory database `memory`; Spark's is the `catalog` key, else `spark_catalog`; PostgreSQL's catalog is the database (`dbname`, else the
    /// `url`'s path, else the user name as libpq defaults, else `postgres`).
    pub fn catalog(&self) -> String {
        if self.kind == "spark" {
            return self.catalog.clone().unwrap_or_else(|| "spark_catalog".to_string());
        }
        if self.dialect() == crate::dialect::Dialect::Postgres {
            return self
                .dbname
                .clone()
                .or_else(|| self.url.as_deref().and_then(url_dbname))
                .or_else(|| self.user.clone())
                .unwrap_or_else(|| "postgres".to_string());
        }
        match self.path.as_deref() {
            None | Some(":memory:") | Some("") => "memory".to_string(),
            Some(p) => {
                let file = p.rsplit(['/', '\\']).next().unwrap_or(p);
                let stem = file.split('.').next().unwrap_or(file);
                if stem.is_empty() {
                    "memory".to_string()
                } else {
                    stem.to_string()
                }
            }
        }
    }
}

/// One `[pipeline.NAME]` of type "transformation".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PipelineConfig {
    pub name: String,
    /// Glob of model files relative to the project root, e.g. `models/**`.
    pub models: String,
    /// Where `models` is written in rocky.toml (empty when defaulted), so the loader can point at
    /// a glob that is invalid or names a missing folder.
    pub models_range: TextRange,
    /// `[pipeline.NAME.execution] concurrency`.
    pub concurrency: Option<u32>,
}

impl PipelineConfig {
    /// A pipeline with defaults for everything but its name and glob.
    pub fn new(name: impl Into<String>, models: impl Into<String>) -> Self {
        PipelineConfig {
            name: name.into(),
            models: models.into(),
            models_range: TextRange::default(),
            concurrency: None,
        }
    }
}

/// `[cache.schemas]`: whether DESCRIBE results are persisted for the editor, and for how long.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SchemaCacheConfig {
    pub enabled: bool,
    /// Entries older than this are treated as missing.
    pub ttl_seconds: u64,
}

impl Default for SchemaCacheConfig {
    fn default() -> Self {
        SchemaCacheConfig { enabled: true, ttl_seconds: 86_400 }
    }
}

impl Default for AdapterConfig {
    fn default() -> Self {
        AdapterConfig {
            kind: "duckdb".to_string(),
            path: None,
            url: None,
            host: None,
            port: None,
            dbname: None,
            user: None,
            sslmode: None,
            sslrootcert: None,
            password_env: None,
            connect_timeout: None,
            statement_timeout: None,
            token_env: None,
            catalog: None,
            table_format: None,
        }
    }
}

/// The database of a `postgres://…/dbname?…` URL (percent-escapes decoded), if it names one.
fn url_dbname(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = rest.split_once('/')?.1;
    let name = path.split(['?', '#']).next().unwrap_or_default();
    let mut out = Vec::with_capacity(name.len());
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    let name = String::from_utf8_lossy(&out).into_owned();
    (!name.is_empty()).then_some(name)
}

impl Default for ProjectConfig {
    fn default() -> Self {
        ProjectConfig {
            adapter: AdapterConfig::default(),
            adapters: Vec::new(),
            pipelines: vec![PipelineConfig::new("default", "models/**")],
            schema_cache: SchemaCacheConfig::default(),
            state_path: None,
        }
    }
}

/// How a model is materialised.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Strategy {
    #[default]
    FullRefresh,
    View,
    Incremental {
        timestamp_column: Option<String>,
    },
    Merge {
        unique_key: Vec<String>,
        update_columns: Option<Vec<String>>,
    },
    Ephemeral,
}

impl Strategy {
    /// The name as written in `[strategy] type`.
    pub fn name(&self) -> &'static str {
        match self {
            Strategy::FullRefresh => "full_refresh",
            Strategy::View => "view",
            Strategy::Incremental { .. } => "incremental",
            Strategy::Merge { .. } => "merge",
            Strategy::Ephemeral => "ephemeral",
        }
    }
}

/// `[target]` of a sidecar; unset parts take the project's defaults.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct TargetConfig {
    pub catalog: Option<String>,
    pub schema: Option<String>,
    pub table: Option<String>,
}

/// What one sidecar or `_defaults.toml` sets; `None` means "not set here" so layers can merge
/// key by key (nearest file wins).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ModelConfigLayer {
    pub name: Option<Spanned<String>>,
    /// Each entry with its range in the file that set it.
    pub depends_on: Option<Vec<Spanned<String>>>,
    pub strategy: StrategyLayer,
    pub target: TargetConfig,
    /// `[[tests]]` (or `[[assertions]]`): the nearest file that declares any wins as a whole.
    pub tests: Option<Vec<super::DataTest>>,
    pub contract: Option<super::Contract>,
}

/// `[strategy]` keys as one file sets them; merged key by key, then validated.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct StrategyLayer {
    pub kind: Option<Spanned<String>>,
    pub timestamp_column: Option<String>,
    pub unique_key: Option<Vec<String>>,
    pub update_columns: Option<Vec<String>>,
}

/// A model's effective config after merging its sidecar over the `_defaults.toml` chain.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ModelConfig {
    pub name: Option<Spanned<String>>,
    pub depends_on: Option<Vec<Spanned<String>>>,
    /// Which file `depends_on` came from (project-relative path), for diagnostics.
    pub depends_on_file: Option<String>,
    pub strategy: Strategy,
    pub target: TargetConfig,
    pub tests: Vec<super::DataTest>,
    /// Which file the tests came from (project-relative path): their spans point into it.
    pub tests_file: Option<String>,
    pub contract: Option<super::Contract>,
    pub contract_file: Option<String>,
}
