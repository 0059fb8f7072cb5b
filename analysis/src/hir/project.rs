//! Project-level queries: the parsed config, each model's settings, and the model index.

use std::collections::BTreeMap;

use crate::base::{Db, ModelFile};
use crate::config::{self, ModelConfig, ProjectConfig};
use crate::diagnostics::{Code, Diagnostic, Related, TextRange};

/// A fully qualified table name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct TableName {
    pub catalog: String,
    pub schema: String,
    pub table: String,
}

impl TableName {
    /// The schema-cache key: lower-cased `catalog.schema.table`.
    pub fn key(&self) -> String {
        format!("{}.{}.{}", self.catalog, self.schema, self.table).to_lowercase()
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.catalog, self.schema, self.table)
    }
}

/// rocky.toml parsed, with its diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedProjectConfig {
    pub config: ProjectConfig,
    pub diagnostics: Vec<Diagnostic>,
}

#[salsa::tracked(returns(ref))]
pub fn project_config(db: &dyn Db) -> ParsedProjectConfig {
    match db.project().config_text(db) {
        Some(text) => {
            let (config, diagnostics) = config::parse_project_config("rocky.toml", text);
            ParsedProjectConfig { config, diagnostics }
        }
        None => ParsedProjectConfig { config: ProjectConfig::default(), diagnostics: Vec::new() },
    }
}

/// The warehouse dialect the project is checked with (`[adapter] type`). Its own query on the
/// HIGH-durability config, so parsing and inference depend on it without re-checking on other
/// config edits.
#[salsa::tracked]
pub fn project_dialect(db: &dyn Db) -> crate::dialect::Dialect {
    project_config(db).config.adapter.dialect()
}

/// The catalog used for two-part names and default targets. Own query so config edits that do not
/// change it do not invalidate name resolution.
#[salsa::tracked(returns(ref))]
pub fn default_catalog(db: &dyn Db) -> String {
    project_config(db).config.adapter.catalog()
}

/// A model's effective name, config and target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSettings {
    pub name: String,
    pub config: ModelConfig,
    pub target: TableName,
    /// Sidecar and `_defaults.toml` diagnostics that concern this model's own sidecar.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one `_defaults.toml`.
#[salsa::tracked(returns(ref))]
pub fn defaults_layer(db: &dyn Db, file: crate::base::DefaultsFile) -> (config::ModelConfigLayer, Vec<Diagnostic>) {
    config::parse_model_config(file.path(db), file.text(db))
}

#[salsa::tracked(returns(ref))]
pub fn model_settings(db: &dyn Db, file: ModelFile) -> ModelSettings {
    let path = file.path(db);
    let stem = file_stem(path);
    let (sidecar_layer, mut diagnostics, sidecar_path) = match file.sidecar(db) {
        Some(s) => {
            let (layer, diags) = config::parse_model_config(&s.path, &s.text);
            (Some(layer), diags, Some(s.path.clone()))
        }
        None => (None, Vec::new(), None),
    };
    // `_defaults.toml` files in the model's folder and above, nearest first.
    let mut defaults: Vec<(&str, &config::ModelConfigLayer)> = Vec::new();
    let dir = parent_dir(path);
    for d in db.project().defaults(db) {
        let dpath = d.path(db);
        let ddir = parent_dir(dpath);
        if ddir.is_empty() || dir == ddir || dir.starts_with(&format!("{ddir}/")) {
            defaults.push((dpath.as_str(), &defaults_layer(db, *d).0));
        }
    }
    defaults.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let mut layers = Vec::new();
    let mut files = Vec::new();
    if let (Some(layer), Some(p)) = (&sidecar_layer, &sidecar_path) {
        layers.push(layer);
        files.push(p.as_str());
    }
    for (p, l) in &defaults {
        layers.push(*l);
        files.push(*p);
    }
    let (merged, merge_diagnostics) = config::merge_layers(&layers, &files);
    diagnostics.extend(merge_diagnostics);
    let name = merged.name.as_ref().map(|n| n.value.clone()).unwrap_or_else(|| stem.to_string());
    if name.trim().is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::E003InvalidModelConfig,
            sidecar_path.clone().unwrap_or_else(|| path.clone()),
            merged.name.as_ref().map(|n| n.range).unwrap_or_default(),
            "a model name must not be empty",
        ));
    }
    let target = TableName {
        catalog: merged.target.catalog.clone().unwrap_or_else(|| default_catalog(db).clone()),
        schema: merged.target.schema.clone().unwrap_or_else(|| project_dialect(db).default_schema().to_string()),
        table: merged.target.table.clone().unwrap_or_else(|| name.clone()),
    };
    ModelSettings { name, config: merged, target, diagnostics }
}

fn file_stem(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".sql").unwrap_or(file)
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Model names and targets → model file. Depends only on settings, never on SQL text, so typing in
/// a model body never rebuilds it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModelIndex {
    /// Lower-cased name → file (the first by path when names collide).
    names: BTreeMap<String, ModelFile>,
    /// Lower-cased `catalog.schema.table` → file.
    targets: BTreeMap<String, ModelFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ModelIndex {
    pub fn by_name(&self, name: &str) -> Option<ModelFile> {
        self.names.get(&name.to_lowercase()).copied()
    }
    pub fn by_target(&self, key: &str) -> Option<ModelFile> {
        self.targets.get(&key.to_lowercase()).copied()
    }
    /// All model names (lower-cased), for did-you-mean suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

#[salsa::tracked(returns(ref))]
pub fn model_index(db: &dyn Db) -> ModelIndex {
    let mut index = ModelIndex::default();
    for &file in db.project().models(db) {
        let settings = model_settings(db, file);
        let where_named = |f: ModelFile| -> (String, TextRange) {
            let s = model_settings(db, f);
            match (&s.config.name, f.sidecar(db)) {
                (Some(n), Some(sc)) => (sc.path.clone(), n.range),
                _ => (f.path(db).clone(), TextRange::empty(0)),
            }
        };
        match index.names.get(&settings.name.to_lowercase()) {
            Some(&first) => {
                let (file_path, range) = where_named(file);
                let (first_path, first_range) = where_named(first);
                index.diagnostics.push(
                    Diagnostic::new(
                        Code::E502DuplicateModelName,
                        file_path,
                        range,
                        format!("model name `{}` is already used by {}", settings.name, first.path(db)),
                    )
                    .with_hint("give one of them another name (`name = \"…\"` in its sidecar) or rename its file")
                    .with_related(Related {
                        file: first_path,
                        range: first_range,
                        message: "first defined here".into(),
                    }),
                );
            }
            None => {
                index.names.insert(settings.name.to_lowercase(), file);
            }
        }
        let key = settings.target.key();
        match index.targets.get(&key) {
            Some(&first) => {
                let (file_path, range) = where_named(file);
                index.diagnostics.push(
                    Diagnostic::new(
                        Code::E503DuplicateTarget,
                        file_path,
                        range,
                        format!("target `{}` is also the target of {}", settings.target, first.path(db)),
                    )
                    .with_hint("set a different `[target]` table or schema in one of the sidecars"),
                );
            }
            None => {
                index.targets.insert(key, file);
            }
        }
    }
    index
}

/// Project-relative path → model, for model SQL files and their sidecars.
#[salsa::tracked(returns(ref))]
pub fn files_by_path(db: &dyn Db) -> BTreeMap<String, ModelFile> {
    let mut out = BTreeMap::new();
    for &file in db.project().models(db) {
        out.insert(file.path(db).clone(), file);
        if let Some(s) = file.sidecar(db) {
            out.insert(s.path.clone(), file);
        }
    }
    out
}

/// Diagnostics that belong to no single model: rocky.toml, the model index, cycles.
#[salsa::tracked(returns(ref))]
pub fn project_diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    let mut out = project_config(db).diagnostics.clone();
    out.extend(model_index(db).diagnostics.iter().cloned());
    for d in db.project().defaults(db) {
        out.extend(defaults_layer(db, *d).1.iter().cloned());
    }
    out
}
