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
    /// The adapter models are built with: the unnamed `[adapter]`, or the first `[adapter.NAME]`.
    pub adapter: AdapterConfig,
    /// Every adapter declared (name `None` for the unnamed one).
    pub adapters: Vec<(Option<String>, AdapterConfig)>,
    /// Pipelines of type "transformation" (others are ignored with an info diagnostic).
    pub pipelines: Vec<PipelineConfig>,
    pub schema_cache: SchemaCacheConfig,
    /// `[state] path`, relative to the project root.
    pub state_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AdapterConfig {
    /// `duckdb` (the default).
    pub kind: String,
    /// Database path relative to the project root, or `:memory:`.
    pub path: Option<String>,
}

impl AdapterConfig {
    /// The catalog name models are built into: DuckDB names a database after its file stem, and an
    /// in-memory database `memory`.
    pub fn catalog(&self) -> String {
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

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PipelineConfig {
    pub name: String,
    /// Glob of model files relative to the project root, e.g. `models/**`.
    pub models: String,
    /// `[pipeline.NAME.execution] concurrency`.
    pub concurrency: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SchemaCacheConfig {
    pub enabled: bool,
    pub ttl_seconds: u64,
}

impl Default for SchemaCacheConfig {
    fn default() -> Self {
        SchemaCacheConfig { enabled: true, ttl_seconds: 86_400 }
    }
}

impl Default for AdapterConfig {
    fn default() -> Self {
        AdapterConfig { kind: "duckdb".to_string(), path: None }
    }
}

impl Default for ProjectConfig {
    fn default() -> Self {
        ProjectConfig {
            adapter: AdapterConfig::default(),
            adapters: Vec::new(),
            pipelines: vec![PipelineConfig {
                name: "default".to_string(),
                models: "models/**".to_string(),
                concurrency: None,
            }],
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
}
