use crate::base::{Db, ModelFile, RootDatabase};
use crate::config::{ProjectConfig, Strategy};
use crate::diagnostics::Diagnostic;
use crate::hir::{self, Dag, ModelLineage, ModelSchema, TableName};
use crate::syntax::LineIndex;

use super::Cancellable;

/// A read-only view of the analysis at one revision. Queries on it are cancelled (return
/// `Err(Cancelled)`) when the host applies a newer change.
#[derive(Clone)]
pub struct Analysis {
    db: RootDatabase,
}

/// What the runner and editor need to know about one model.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub path: String,
    pub sidecar_path: Option<String>,
    #[serde(serialize_with = "serialize_strategy")]
    pub strategy: Strategy,
    pub target: TableName,
    /// Models this one reads (from its SQL and `depends_on`), sorted.
    pub depends_on: Vec<String>,
    /// Source tables (schema-cache keys) this one reads, sorted.
    pub sources: Vec<String>,
    pub schema: ModelSchema,
}

fn serialize_strategy<S: serde::Serializer>(s: &Strategy, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.name())
}

impl Analysis {
    pub(crate) fn new(db: RootDatabase) -> Self {
        Analysis { db }
    }

    pub(super) fn with_db<T>(&self, f: impl FnOnce(&RootDatabase) -> T + std::panic::UnwindSafe) -> Cancellable<T> {
        let db = &self.db;
        salsa::Cancelled::catch(std::panic::AssertUnwindSafe(|| f(db)))
    }

    fn model_file(db: &RootDatabase, path: &str) -> Option<ModelFile> {
        hir::files_by_path(db).get(path).copied().filter(|m| m.path(db) == path)
    }

    /// Diagnostics of one file: a model's SQL, a sidecar, a `_defaults.toml`, or rocky.toml.
    /// Sorted by position.
    pub fn file_diagnostics(&self, path: &str) -> Cancellable<Vec<Diagnostic>> {
        let path = path.to_string();
        self.with_db(move |db| {
            let mut out: Vec<Diagnostic> =
                hir::project_diagnostics(db).iter().filter(|d| d.file == path).cloned().collect();
            if let Some(&model) = hir::files_by_path(db).get(&path) {
                out.extend(hir::model_diagnostics(db, model).iter().filter(|d| d.file == path).cloned());
            }
            out.sort_by(|a, b| a.range.cmp(&b.range).then(a.code.cmp(&b.code)));
            out
        })
    }

    /// Every diagnostic of the project, sorted by file then position. Models are checked on all
    /// cores: each thread takes every N-th model; an upstream schema another thread is computing
    /// is waited for (salsa), one already computed is reused.
    pub fn all_diagnostics(&self) -> Cancellable<Vec<Diagnostic>> {
        // Every model in path order: checking one infers (and parses) its upstream on demand,
        // so each model is parsed once, its tree short-lived (see `syntax::model_syntax`) —
        // resolving every model's references first, for a DAG order, would parse them all twice.
        let order = self.with_db(|db| db.project().models(db).clone())?;
        let results = self.on_all_cores(&order, |db, m| hir::model_diagnostics(db, m).to_vec())?.into_iter().flatten();
        let mut out: Vec<Diagnostic> = self.with_db(|db| {
            let mut v = hir::project_diagnostics(db).to_vec();
            v.extend(hir::depends_on_cycle_diagnostics(db).iter().cloned());
            v
        })?;
        out.extend(results);
        out.sort_by(|a, b| a.file.cmp(&b.file).then(a.range.cmp(&b.range)).then(a.code.cmp(&b.code)));
        Ok(out)
    }

    /// Parses every model and resolves its table references on all cores, and builds the
    /// readers index. What reads a table (hover's downstream, references, lineage) needs every
    /// model parsed once; a language server runs this in the background after a load, so that
    /// the first hover does not parse the whole project while the user waits.
    pub fn index_project(&self) -> Cancellable<()> {
        let files = self.with_db(|db| db.project().models(db).clone())?;
        self.on_all_cores(&files, |db, m| {
            hir::model_dependencies(db, m);
        })?;
        self.with_db(|db| {
            hir::readers_index(db);
        })
    }

    /// Runs `f` over `files` on all cores (thread `t` takes every N-th file); the results come
    /// back in `files`' order. A model's upstream that another thread is computing is waited for
    /// (salsa), one already computed is reused.
    pub(super) fn on_all_cores<T: Send>(
        &self,
        files: &[ModelFile],
        f: impl Fn(&RootDatabase, ModelFile) -> T + Sync + std::panic::RefUnwindSafe,
    ) -> Cancellable<Vec<T>> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
        let threads = if files.len() < 64 { 1 } else { threads };
        let f = &f;
        let results: Vec<Cancellable<Vec<T>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let worker = self.clone();
                    let mine: Vec<ModelFile> = files.iter().copied().skip(t).step_by(threads).collect();
                    scope.spawn(move || worker.with_db(move |db| mine.iter().map(|m| f(db, *m)).collect::<Vec<_>>()))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
        });
        let mut per_thread = Vec::with_capacity(threads);
        for r in results {
            per_thread.push(r?.into_iter());
        }
        // Thread `t` holds files t, t + N, t + 2N…: take one from each in turn.
        Ok((0..files.len()).filter_map(|i| per_thread[i % threads].next()).collect())
    }

    /// The parsed rocky.toml (defaults where it is missing or broken).
    pub fn project_config(&self) -> Cancellable<ProjectConfig> {
        self.with_db(|db| hir::project_config(db).config.clone())
    }

    /// Every model, in DAG order. Their schemas are inferred on all cores.
    pub fn models(&self) -> Cancellable<Vec<ModelInfo>> {
        let files = self.with_db(|db| {
            let index = hir::model_index(db);
            hir::dag(db).order.iter().filter_map(|name| index.by_name(name)).collect::<Vec<_>>()
        })?;
        self.on_all_cores(&files, Self::model_info)
    }

    /// The paths of the models [`Analysis::models`] lists, in its order, without building the
    /// list (which clones every model's schema): `rocky check` prints only the count, or each
    /// model's JSON while it is written ([`Analysis::model_of_file`]).
    pub fn model_paths(&self) -> Cancellable<Vec<String>> {
        self.with_db(|db| {
            let index = hir::model_index(db);
            hir::dag(db).order.iter().filter_map(|name| index.by_name(name)).map(|file| file.path(db).clone()).collect()
        })
    }

    /// One model by name (case-insensitive).
    pub fn model(&self, name: &str) -> Cancellable<Option<ModelInfo>> {
        let name = name.to_string();
        self.with_db(move |db| hir::model_index(db).by_name(&name).map(|f| Self::model_info(db, f)))
    }

    /// The model a file belongs to: a model's SQL file or its sidecar.
    pub fn model_of_file(&self, path: &str) -> Cancellable<Option<ModelInfo>> {
        let path = path.to_string();
        self.with_db(move |db| hir::files_by_path(db).get(&path).map(|f| Self::model_info(db, *f)))
    }

    fn model_info(db: &RootDatabase, file: ModelFile) -> ModelInfo {
        let settings = hir::model_settings(db, file);
        let deps = hir::model_dependencies(db, file);
        ModelInfo {
            name: settings.name.clone(),
            path: file.path(db).clone(),
            sidecar_path: file.sidecar(db).as_ref().map(|s| s.path.clone()),
            strategy: settings.config.strategy.clone(),
            target: settings.target.clone(),
            depends_on: deps.model_names(db),
            sources: deps.sources.clone(),
            schema: (**hir::model_schema(db, file)).clone(),
        }
    }

    /// A model's query output as `DESCRIBE <query>` shows it (duplicate names kept, unlike the
    /// table schema in [`ModelInfo::schema`]).
    pub fn query_columns(&self, path: &str) -> Cancellable<Option<Vec<crate::hir::OutputColumn>>> {
        let path = path.to_string();
        self.with_db(move |db| Self::model_file(db, &path).map(|f| hir::infer_model(db, f).query_columns()))
    }

    /// The model DAG.
    pub fn dag(&self) -> Cancellable<Dag> {
        self.with_db(|db| (*hir::dag(db)).clone())
    }

    /// Column-level lineage of one model: for each output column, the columns it derives from.
    pub fn model_lineage(&self, name: &str) -> Cancellable<Option<ModelLineage>> {
        let name = name.to_string();
        self.with_db(move |db| hir::model_index(db).by_name(&name).map(|f| (**hir::model_lineage(db, f)).clone()))
    }

    /// The text of a model file as the analysis sees it.
    pub fn file_text(&self, path: &str) -> Option<String> {
        let db = &self.db;
        if let Some(m) = Self::model_file(db, path) {
            return Some(m.sql(db).clone());
        }
        for m in db.project().models(db) {
            if let Some(s) = m.sidecar(db).as_ref().filter(|s| s.path == path) {
                return Some(s.text.clone());
            }
        }
        for d in db.project().defaults(db) {
            if d.path(db) == path {
                return Some(d.text(db).clone());
            }
        }
        if path == "rocky.toml" {
            return db.project().config_text(db).clone();
        }
        None
    }

    /// Line index of any file the analysis holds (for offset ↔ line/column conversion).
    pub fn line_index(&self, path: &str) -> Option<LineIndex> {
        self.file_text(path).map(|t| LineIndex::new(&t))
    }
}
