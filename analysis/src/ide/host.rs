use std::collections::BTreeMap;
use std::sync::Arc;

use salsa::{Durability, Setter};

use super::Analysis;
use crate::base::{Db, DefaultsFile, EventSink, ModelFile, RootDatabase, SidecarText, SourceSchemaSnapshot};

/// Owns the database and applies changes; hands out [`Analysis`] snapshots for questions.
///
/// Each setter writes exactly one salsa input, so an edit to one file invalidates only what
/// depends on that file.
pub struct AnalysisHost {
    db: RootDatabase,
    models: BTreeMap<String, ModelFile>,
    defaults: BTreeMap<String, DefaultsFile>,
    /// The model list changed since it was last written to the database. Written lazily, so
    /// loading N files is O(N), not O(N²).
    models_dirty: bool,
}

impl Default for AnalysisHost {
    fn default() -> Self {
        Self::from_db(RootDatabase::default())
    }
}

impl AnalysisHost {
    pub fn new() -> Self {
        Self::default()
    }

    /// A host whose database reports every salsa event to `sink` (tests, profiling).
    pub fn with_event_sink(sink: EventSink) -> Self {
        Self::from_db(RootDatabase::with_event_sink(sink))
    }

    fn from_db(db: RootDatabase) -> Self {
        AnalysisHost { db, models: BTreeMap::new(), defaults: BTreeMap::new(), models_dirty: false }
    }

    /// A snapshot for answering questions; cheap. Applying a change cancels queries running on
    /// other snapshots and waits until they are dropped: never keep one across a change on the
    /// same thread.
    pub fn analysis(&mut self) -> Analysis {
        self.flush();
        Analysis::new(self.db.clone())
    }

    /// Writes pending file-list changes to the database.
    fn flush(&mut self) {
        if std::mem::take(&mut self.models_dirty) {
            let list: Vec<ModelFile> = self.models.values().copied().collect();
            self.db.project().set_models(&mut self.db).with_durability(Durability::MEDIUM).to(list);
        }
    }

    /// Sets rocky.toml's text (`None`: no config, defaults apply). Rarely changes: high durability.
    pub fn set_project_config(&mut self, text: Option<String>) {
        let project = self.db.project();
        if project.config_text(&self.db) != &text {
            project.set_config_text(&mut self.db).with_durability(Durability::HIGH).to(text);
        }
    }

    /// Adds a model file or replaces its SQL text.
    ///
    /// The SQL of a file an editor shows (see [`AnalysisHost::set_in_editor`]) is the one
    /// LOW-durability input: a keystroke there re-validates, deeply, only queries that depend
    /// on it. Every other file's SQL is MEDIUM (it changes only on disk), so a query over the
    /// whole project (the readers index a hover's downstream walk reads, the whole-project
    /// check) re-validates each of those files with one durability check instead of walking
    /// its parse and inference again after every keystroke (≈ 3–9 ms at 10k models).
    pub fn set_model(&mut self, path: &str, sql: String) {
        match self.models.get(path) {
            Some(&file) => {
                if file.sql(&self.db) != &sql {
                    let durability = text_durability(*file.in_editor(&self.db));
                    file.set_sql(&mut self.db).with_durability(durability).to(sql);
                }
            }
            None => {
                let file = ModelFile::builder(path.to_string(), sql, None, false)
                    .path_durability(Durability::MEDIUM)
                    .sql_durability(Durability::MEDIUM)
                    .sidecar_durability(Durability::MEDIUM)
                    .in_editor_durability(Durability::MEDIUM)
                    .new(&self.db);
                self.models.insert(path.to_string(), file);
                self.models_dirty = true;
            }
        }
    }

    /// Whether the model at `path` is being edited in an editor (the language server sets it
    /// with the first edit and clears it on close). Its resolution index is then kept with its
    /// inference instead of being rebuilt by a second walk after each edit. Returns false when
    /// there is no such model.
    ///
    /// The file's SQL takes the durability that goes with it (see [`AnalysisHost::set_model`]):
    /// LOW while shown. Lowering it tells salsa that a MEDIUM input changed, so the next queries
    /// re-validate deeply once what they read; later keystrokes only touch LOW.
    pub fn set_in_editor(&mut self, path: &str, shown: bool) -> bool {
        let Some(&file) = self.models.get(path) else {
            return false;
        };
        if *file.in_editor(&self.db) != shown {
            let durability = text_durability(shown);
            file.set_in_editor(&mut self.db).with_durability(durability).to(shown);
            let sql = file.sql(&self.db).clone();
            file.set_sql(&mut self.db).with_durability(durability).to(sql);
        }
        true
    }

    /// Sets or clears the sidecar of a model (the model must have been added with `set_model`).
    /// Returns false when there is no such model.
    pub fn set_sidecar(&mut self, model_path: &str, sidecar: Option<SidecarText>) -> bool {
        let Some(&file) = self.models.get(model_path) else {
            return false;
        };
        if file.sidecar(&self.db) != &sidecar {
            file.set_sidecar(&mut self.db).with_durability(Durability::MEDIUM).to(sidecar);
        }
        true
    }

    /// Removes a model file (deleted or renamed away on disk).
    pub fn remove_model(&mut self, path: &str) {
        if self.models.remove(path).is_some() {
            self.models_dirty = true;
        }
    }

    /// Adds, replaces (`Some`) or removes (`None`) a `_defaults.toml`.
    pub fn set_defaults(&mut self, path: &str, text: Option<String>) {
        match (self.defaults.get(path).copied(), text) {
            (Some(file), Some(text)) => {
                if file.text(&self.db) != &text {
                    file.set_text(&mut self.db).with_durability(Durability::MEDIUM).to(text);
                }
            }
            (None, Some(text)) => {
                let file = DefaultsFile::builder(path.to_string(), text)
                    .text_durability(Durability::MEDIUM)
                    .path_durability(Durability::MEDIUM)
                    .new(&self.db);
                self.defaults.insert(path.to_string(), file);
                self.sync_defaults_list();
            }
            (Some(_), None) => {
                self.defaults.remove(path);
                self.sync_defaults_list();
            }
            (None, None) => {}
        }
    }

    /// Replaces the schema cache contents (after loading the state file, or after a run wrote it).
    pub fn set_source_schemas(&mut self, snapshot: SourceSchemaSnapshot) {
        let sources = self.db.project().sources(&self.db);
        if **sources.snapshot(&self.db) != snapshot {
            sources.set_snapshot(&mut self.db).with_durability(Durability::MEDIUM).to(Arc::new(snapshot));
        }
    }

    /// Paths of the model files currently known.
    pub fn model_paths(&self) -> impl Iterator<Item = &str> {
        self.models.keys().map(String::as_str)
    }

    /// `(path, salsa id)` of every model, as salsa's event log prints ids (`Id(3)`): lets tests
    /// and profiling tools map executed queries back to files.
    pub fn model_ids(&self) -> Vec<(String, String)> {
        use salsa::plumbing::AsId;
        self.models.iter().map(|(p, f)| (p.clone(), format!("{:?}", f.as_id()))).collect()
    }

    fn sync_defaults_list(&mut self) {
        let list: Vec<DefaultsFile> = self.defaults.values().copied().collect();
        self.db.project().set_defaults(&mut self.db).with_durability(Durability::MEDIUM).to(list);
    }
}

/// The durability of a model's SQL and `in_editor` flag: LOW while an editor shows the file
/// (every keystroke writes it), MEDIUM otherwise.
fn text_durability(in_editor: bool) -> Durability {
    if in_editor {
        Durability::LOW
    } else {
        Durability::MEDIUM
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::AnalysisHost;
    use crate::hir;

    #[test]
    fn a_file_shown_in_an_editor_is_walked_once_for_diagnostics_and_ide_features() {
        let path = "models/a.sql";
        let mut host = AnalysisHost::new();
        host.set_model(path, "select 1 as x, 'a' as y".into());
        host.analysis(); // writes the model list
        let file = host.models[path];
        assert!(host.set_in_editor(path, true));
        // The index the IDE reads is the very one inference built: no second walk.
        let inference = hir::infer_model(&host.db, file);
        let kept = inference.resolutions.clone().expect("kept while shown");
        let served = hir::model_resolutions(&host.db, file);
        assert!(Arc::ptr_eq(&kept, served));
        assert_eq!(served.items.len(), 2);
        // Closed: inference drops it; the IDE still gets the same answers from its own walk.
        host.set_in_editor(path, false);
        assert!(hir::infer_model(&host.db, file).resolutions.is_none());
        assert_eq!(**hir::model_resolutions(&host.db, file), *kept);
        assert!(!host.set_in_editor("models/missing.sql", true));
    }

    #[test]
    fn a_keystroke_in_a_shown_file_revalidates_other_files_by_durability_alone() {
        use std::sync::Mutex;
        // Every memo salsa re-validates (deeply, or by durability alone), as `query(Id(n))`.
        let validated: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = validated.clone();
        let mut host = AnalysisHost::with_event_sink(Arc::new(move |event: &salsa::Event| {
            if let salsa::EventKind::DidValidateMemoizedValue { database_key } = event.kind {
                log.lock().unwrap().push(format!("{database_key:?}"));
            }
        }));
        host.set_model("models/a.sql", "select 1 as x".into());
        for i in 0..20 {
            host.set_model(&format!("models/b{i}.sql"), "select x from a".into());
        }
        assert!(host.set_in_editor("models/a.sql", true));
        // The readers index reads every model's dependencies, hence every model's parse.
        let a = host.models["models/a.sql"];
        assert_eq!(
            host.analysis().downstream_lineage(hir::LineageTable::Model("a".into()), "x").unwrap().nodes.len(),
            21
        );
        for k in 0..2 {
            host.set_model("models/a.sql", format!("select {k} as x"));
            validated.lock().unwrap().clear();
            let walk = host.analysis().downstream_lineage(hir::LineageTable::Model("a".into()), "x").unwrap();
            assert_eq!(walk.nodes.len(), 21);
            // Another file's parse is re-validated only when the readers index walks into it;
            // its SQL is MEDIUM, so its dependencies are taken as they are.
            let a_parse = format!("parse_model({:?})", salsa::plumbing::AsId::as_id(&a));
            let deep: Vec<String> = validated
                .lock()
                .unwrap()
                .iter()
                .filter(|k| k.starts_with("parse_model(") && **k != a_parse)
                .cloned()
                .collect();
            assert!(deep.is_empty(), "keystroke {k} re-validated other files' parses: {deep:?}");
        }
    }
}
