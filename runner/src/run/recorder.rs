//! Writes the run's history (from its start to its end), watermarks and described schemas to the
//! state file on a thread of its own, so builds never wait for a state-file commit. Writes are
//! gathered for up to `GATHER` and committed together (model records in one transaction,
//! schemas in another), so a crash loses at most the models of that window. Failures are warnings: the run goes on.

use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use rocky_state::{CachedTable, ModelRun, RunRecord, RunStatus, StateFile};

use super::gather;
use super::report::Reporter;

/// One thing to write.
pub enum StateWrite {
    Model(Box<ModelRun>),
    Schemas(Vec<CachedTable>),
    Watermark {
        key: String,
        value: String,
        at_ms: u64,
    },
    /// The run's final status, written after everything sent before it.
    Finished {
        status: RunStatus,
        at_ms: u64,
    },
}

/// How long the writer gathers writes before committing them: a crash loses at most the models
/// of this window and of the commit in flight.
const GATHER: Duration = Duration::from_millis(200);

/// The writer thread and its queue.
pub struct Recorder {
    tx: mpsc::Sender<StateWrite>,
    handle: JoinHandle<()>,
    /// Set with the run's end: the writer stops gathering.
    ending: Arc<AtomicBool>,
}

impl Recorder {
    /// Starts the writer for `run`: it records the run's start first (when that fails, model
    /// records and the end are dropped but schemas and watermarks are still written).
    pub fn start(state: StateFile, run: RunRecord, reporter: Reporter) -> Recorder {
        let (tx, rx) = mpsc::channel::<StateWrite>();
        let ending = Arc::new(AtomicBool::new(false));
        let thread_ending = ending.clone();
        let handle = std::thread::spawn(move || {
            let run_id = match state.start_run(&run) {
                Ok(()) => Some(run.id),
                Err(e) => {
                    reporter.warn(format!("could not record the run in the state file: {e}"));
                    None
                }
            };
            while let Ok(first) = rx.recv() {
                // Everything that comes within `GATHER` of the first write (or until the run's
                // end is sent) goes into as few commits as the state API allows: one for model
                // records, one for schemas. Each commit syncs the file; one per model took a
                // core's time slice from the builds on a busy machine.
                let pending = gather::gather(&rx, first, GATHER, usize::MAX, &thread_ending);
                let mut models = Vec::new();
                let mut schemas = Vec::new();
                let mut finished = None;
                for write in pending {
                    match write {
                        StateWrite::Model(m) => models.push(*m),
                        StateWrite::Schemas(t) => schemas.extend(t),
                        StateWrite::Watermark { key, value, at_ms } => {
                            if let Err(e) = state.set_watermark(&key, &value, at_ms) {
                                reporter
                                    .warn(format!("could not write the watermark of `{key}` to the state file: {e}"));
                            }
                        }
                        StateWrite::Finished { status, at_ms } => finished = Some((status, at_ms)),
                    }
                }
                if let (Some(id), false) = (&run_id, models.is_empty()) {
                    if let Err(e) = state.record_model_runs(id, &models) {
                        reporter.warn(format!("could not write the run history to the state file: {e}"));
                    }
                }
                if !schemas.is_empty() {
                    if let Err(e) = state.write_schemas(&schemas) {
                        reporter.warn(format!("could not write the schema cache: {e}"));
                    }
                }
                if let Some((status, at_ms)) = finished {
                    if let Some(id) = &run_id {
                        if let Err(e) = state.finish_run(id, status, at_ms) {
                            reporter.warn(format!("could not record the end of the run in the state file: {e}"));
                        }
                    }
                    break;
                }
            }
        });
        Recorder { tx, handle, ending }
    }

    /// A queue to the writer for another thread; the writer stops at the run's end, whether
    /// or not every such sender is gone.
    pub fn writer(&self) -> mpsc::Sender<StateWrite> {
        self.tx.clone()
    }

    pub fn send(&self, write: StateWrite) {
        // The thread only ends when the sender is dropped, so sending cannot fail.
        let _ = self.tx.send(write);
    }

    /// Records the run's end and waits until everything sent is written.
    pub fn finish(self, status: RunStatus, at_ms: u64) {
        self.send(StateWrite::Finished { status, at_ms });
        gather::end(&self.ending, &self.handle);
        drop(self.tx);
        let _ = self.handle.join();
    }
}
