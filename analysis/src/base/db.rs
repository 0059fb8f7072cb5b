use std::sync::{Arc, Mutex};

use salsa::Durability;

use super::{Project, RecentValues, SourceCatalog, SourceSchemaSnapshot};

/// The database trait every query takes; a seam for test databases.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The one project this database analyses. The handle never changes, so reading it is not a
    /// dependency; its fields are.
    fn project(&self) -> Project;

    /// Recently parsed syntax trees (see [`RecentValues`]).
    fn recent(&self) -> &RecentValues;
}

/// Callback that sees every salsa event (used by tests to observe what is recomputed).
pub type EventSink = Arc<dyn Fn(&salsa::Event) + Send + Sync>;

/// The one concrete database. One per project: several rocky.toml projects get several.
#[salsa::db]
#[derive(Clone)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
    project: Option<Project>,
    recent: Arc<RecentValues>,
}

impl Default for RootDatabase {
    fn default() -> Self {
        Self::from_storage(salsa::Storage::new(None))
    }
}

impl RootDatabase {
    /// A database that reports every salsa event to `sink` (e.g. to record which queries run).
    pub fn with_event_sink(sink: EventSink) -> Self {
        Self::from_storage(salsa::Storage::new(Some(Box::new(move |event| sink(&event)))))
    }

    fn from_storage(storage: salsa::Storage<Self>) -> Self {
        let mut db = RootDatabase { storage, project: None, recent: Arc::default() };
        // Durability lets salsa skip re-validating whole-project queries (model index, DAG) after
        // a keystroke: only model SQL is LOW.
        let sources = SourceCatalog::builder(Arc::new(SourceSchemaSnapshot::default()))
            .snapshot_durability(Durability::MEDIUM)
            .new(&db);
        let project = Project::builder(None, Vec::new(), Vec::new(), sources)
            .config_text_durability(Durability::HIGH)
            .models_durability(Durability::MEDIUM)
            .defaults_durability(Durability::MEDIUM)
            .sources_durability(Durability::HIGH)
            .new(&db);
        db.project = Some(project);
        db
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl Db for RootDatabase {
    fn project(&self) -> Project {
        self.project.expect("RootDatabase always creates its project in from_storage")
    }

    fn recent(&self) -> &RecentValues {
        &self.recent
    }
}

/// Records which tracked functions salsa executes, for incrementality tests.
#[derive(Clone, Default)]
pub struct ExecutionLog {
    entries: Arc<Mutex<Vec<String>>>,
}

impl ExecutionLog {
    pub fn sink(&self) -> EventSink {
        let entries = self.entries.clone();
        Arc::new(move |event: &salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind {
                if let Ok(mut e) = entries.lock() {
                    e.push(format!("{database_key:?}"));
                }
            }
        })
    }
    /// Takes what was recorded since the last call.
    pub fn take(&self) -> Vec<String> {
        self.entries.lock().map(|mut e| std::mem::take(&mut *e)).unwrap_or_default()
    }
}
