//! Writes the run's history, watermarks and described schemas to the state file on a thread of
//! its own, so builds never wait for a state-file commit. Whatever queued up during one commit
//! goes into the next (model records in one transaction, schemas in another), so a crash loses at
//! most the models of the commit in flight. Failures are warnings: the run goes on.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rocky_state::{CachedTable, ModelRun, StateFile};

use super::report::Reporter;

/// One thing to write.
pub enum StateWrite {
    Model(Box<ModelRun>),
    Schemas(Vec<CachedTable>),
    Watermark { key: String, value: String, at_ms: u64 },
}

/// The writer thread and its queue.
pub struct Recorder {
    tx: mpsc::Sender<StateWrite>,
    handle: JoinHandle<()>,
}

impl Recorder {
    /// Starts the writer for run `run_id` (`None`: the run could not be started in the state
    /// file, so model records are dropped but schemas and watermarks are still written).
    pub fn start(state: StateFile, run_id: Option<String>, reporter: Reporter) -> Recorder {
        let (tx, rx) = mpsc::channel::<StateWrite>();
        let handle = std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                // Everything queued while the last commit ran goes into as few commits as the
                // state API allows: one for model records, one for schemas.
                let mut models = Vec::new();
                let mut schemas = Vec::new();
                for write in std::iter::once(first).chain(rx.try_iter()) {
                    match write {
                        StateWrite::Model(m) => models.push(*m),
                        StateWrite::Schemas(t) => schemas.extend(t),
                        StateWrite::Watermark { key, value, at_ms } => {
                            if let Err(e) = state.set_watermark(&key, &value, at_ms) {
                                reporter
                                    .warn(format!("could not write the watermark of `{key}` to the state file: {e}"));
                            }
                        }
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
            }
        });
        Recorder { tx, handle }
    }

    pub fn send(&self, write: StateWrite) {
        // The thread only ends when the sender is dropped, so sending cannot fail.
        let _ = self.tx.send(write);
    }

    /// Waits until everything sent is written.
    pub fn finish(self) {
        drop(self.tx);
        let _ = self.handle.join();
    }
}
