//! The write tap's second half, kept off the builds' critical path: while the builds go on, a
//! thread of its own describes the built targets (those whose columns the run did not need right
//! away), probes the built tables for NULLs in the columns the analysis inferred NOT NULL, and
//! hands the described tables to the schema cache. It works on the run's first connection (idle
//! once the builds start), in batches of whatever was built within `GATHER` (100 ms): one describe and
//! one probe statement per batch. Only the drift check and the schema cache use these.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use rocky_state::BuiltTarget;

use super::build::BuildMode;
use super::gather;
use super::plan::PlannedModel;
use super::recorder::StateWrite;
use super::{sql, tap};
use crate::project::now_ms;
use crate::warehouse::{TableName, Warehouse, WarehouseColumn};

/// Tables per batch (keeps statements a reasonable size).
const BATCH: usize = 200;

/// How long the describer gathers built models before working on them: fewer, larger
/// statements competing with the builds, and at most this window's models left at the end.
const GATHER: Duration = Duration::from_millis(100);

/// A model built by this run: its plan index, how it was written, and its columns when the
/// build already described it.
pub struct BuiltModel {
    pub index: usize,
    pub mode: BuildMode,
    pub columns: Option<Vec<WarehouseColumn>>,
}

/// What the warehouse says about one built target.
pub struct BuiltTable {
    pub columns: Vec<WarehouseColumn>,
    /// Columns the analysis inferred NOT NULL that hold a NULL in the built table (tables only:
    /// DESCRIBE says every `CREATE TABLE … AS` column is nullable, so the data is asked; views
    /// are not probed, that would run their query).
    pub holding_nulls: Vec<String>,
}

/// Where the described tables go in the schema cache.
pub struct CacheWrites {
    pub recorder: mpsc::Sender<StateWrite>,
    /// The run's destination as recorded (`BuiltTarget::branch`).
    pub branch: Option<String>,
}

/// What the describer found: the tables by plan index, and the first failure of each kind of
/// query (their tables then lack columns or NULL findings: a warning, the models were built).
#[derive(Default)]
struct Found {
    tables: BTreeMap<usize, BuiltTable>,
    problems: BTreeMap<&'static str, String>,
}

/// The describer's thread and its queue.
pub struct Describer {
    tx: mpsc::Sender<BuiltModel>,
    handle: JoinHandle<Found>,
    /// Set once the builds are done: the thread stops gathering.
    ending: Arc<AtomicBool>,
}

impl Describer {
    /// Starts describing on `wh`; `cache`: write the described tables to the schema cache.
    pub fn start(wh: Box<dyn Warehouse>, plan: Arc<Vec<PlannedModel>>, cache: Option<CacheWrites>) -> Describer {
        let (tx, rx) = mpsc::channel::<BuiltModel>();
        let ending = Arc::new(AtomicBool::new(false));
        let thread_ending = ending.clone();
        let handle = std::thread::spawn(move || {
            let mut found = Found::default();
            while let Ok(first) = rx.recv() {
                let batch = gather::gather(&rx, first, GATHER, BATCH, &thread_ending);
                let tables = describe_batch(wh.as_ref(), &plan, batch, &mut found.problems);
                if let Some(cache) = &cache {
                    let at_ms = now_ms();
                    let cached = tables
                        .iter()
                        .map(|(i, t)| {
                            let m = &plan[*i];
                            let mut c = tap::cached_table(&m.target, &t.columns, at_ms);
                            c.built = Some(BuiltTarget { model: m.name.clone(), branch: cache.branch.clone() });
                            c
                        })
                        .collect::<Vec<_>>();
                    if !cached.is_empty() {
                        let _ = cache.recorder.send(StateWrite::Schemas(cached));
                    }
                }
                found.tables.extend(tables);
            }
            found
        });
        Describer { tx, handle, ending }
    }

    /// Queues a model this run built.
    pub fn send(&self, built: BuiltModel) {
        // The thread only ends when the sender is dropped (or it panicked: `finish` says so).
        let _ = self.tx.send(built);
    }

    /// Waits until everything queued is described; returns the tables by plan index and the
    /// problems met.
    pub fn finish(self) -> (BTreeMap<usize, BuiltTable>, Vec<String>) {
        gather::end(&self.ending, &self.handle);
        drop(self.tx);
        match self.handle.join() {
            Ok(found) => (found.tables, found.problems.into_values().collect()),
            Err(_) => (BTreeMap::new(), vec!["could not describe the built tables: the describer panicked".into()]),
        }
    }
}

/// Describes and probes one batch of built models.
fn describe_batch(
    wh: &dyn Warehouse,
    plan: &[PlannedModel],
    batch: Vec<BuiltModel>,
    problems: &mut BTreeMap<&'static str, String>,
) -> BTreeMap<usize, BuiltTable> {
    let wanted: Vec<TableName> =
        batch.iter().filter(|b| b.columns.is_none()).map(|b| plan[b.index].target.clone()).collect();
    let mut described: BTreeMap<String, Vec<WarehouseColumn>> = BTreeMap::new();
    if !wanted.is_empty() {
        match wh.describe_tables(&wanted) {
            Ok(tables) => described.extend(tables.into_iter().map(|t| (t.name.key(), t.columns))),
            Err(e) => {
                problems.entry("describe").or_insert(format!("could not describe the built tables: {e}"));
            }
        }
    }
    let mut tables = BTreeMap::new();
    let mut probes = Vec::new();
    for b in batch {
        let model = &plan[b.index];
        let Some(columns) = b.columns.or_else(|| described.remove(&model.target.key())) else { continue };
        if b.mode != BuildMode::View {
            let probed: Vec<String> = columns
                .iter()
                .filter(|c| c.nullable && model.schema.column(&c.name).is_some_and(|i| !i.nullable))
                .map(|c| c.name.clone())
                .collect();
            if !probed.is_empty() {
                probes.push((b.index, &model.target, probed));
            }
        }
        tables.insert(b.index, BuiltTable { columns, holding_nulls: Vec::new() });
    }
    if probes.is_empty() {
        return tables;
    }
    let rows = match wh.query_rows(&sql::null_probes(&probes)) {
        Ok(r) => r.rows,
        Err(e) => {
            problems.entry("probe").or_insert(format!("could not check built tables for NULLs (drift): {e}"));
            return tables;
        }
    };
    for row in rows {
        let (Some(Some(i)), Some(Some(flags))) = (row.first(), row.get(1)) else { continue };
        let Some((_, _, probed)) = probes.iter().find(|(index, _, _)| index.to_string() == *i) else { continue };
        let Some(table) = i.parse().ok().and_then(|i: usize| tables.get_mut(&i)) else { continue };
        table.holding_nulls =
            probed.iter().zip(flags.chars()).filter(|(_, f)| *f == '1').map(|(c, _)| c.clone()).collect();
    }
    tables
}
