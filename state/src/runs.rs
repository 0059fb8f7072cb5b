//! Run history. A run's header (id, times, status) and each of its model builds are separate
//! entries, so recording a model is one small transaction however many models the run has, and a
//! crash keeps every model that finished.

use std::collections::BTreeMap;

use redb::{ReadOnlyTable, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::state_file::read_table;
use crate::store::{TxnResult, MODEL_LATEST, RUNS, RUN_MODELS};
use crate::{LastModelRun, ModelRun, RunRecord, RunStatus, StateError, StateFile};

/// The id `run()` accepts for the newest run.
pub const LATEST_RUN: &str = "latest";

/// `model_target_latest`: (model name, target) -> JSON `LastModelRun`: the last build of each
/// model into each target, so production's last run is not hidden by a newer branch or shadow
/// build. Added without a format change: files from before it have only `model_latest` (the
/// newest build whatever its target), which [`StateFile::model_runs_by_target`] still reads.
const MODEL_TARGET_LATEST: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("model_target_latest");

/// What the `runs` table stores: a [`RunRecord`] without its models.
#[derive(Serialize, Deserialize)]
struct RunHeader {
    id: String,
    started_at_ms: u64,
    finished_at_ms: Option<u64>,
    status: RunStatus,
    trigger: String,
    branch: Option<String>,
}

impl RunHeader {
    fn of(run: &RunRecord) -> Self {
        RunHeader {
            id: run.id.clone(),
            started_at_ms: run.started_at_ms,
            finished_at_ms: run.finished_at_ms,
            status: run.status,
            trigger: run.trigger.clone(),
            branch: run.branch.clone(),
        }
    }

    fn into_record(self, models: Vec<ModelRun>) -> RunRecord {
        RunRecord {
            id: self.id,
            started_at_ms: self.started_at_ms,
            finished_at_ms: self.finished_at_ms,
            status: self.status,
            trigger: self.trigger,
            branch: self.branch,
            models,
        }
    }
}

impl StateFile {
    /// Record a new run (usually `Running`, with no models yet; any models given are stored too).
    pub fn start_run(&self, run: &RunRecord) -> Result<(), StateError> {
        self.write(|txn| {
            let mut runs = txn.open_table(RUNS)?;
            if runs.get(run.id.as_str())?.is_some() {
                return Err(StateError::RunExists { id: run.id.clone() }.into());
            }
            runs.insert(run.id.as_str(), self.encode(&RunHeader::of(run))?.as_slice())?;
            drop(runs);
            for model in &run.models {
                self.append_model(txn, run, model)?;
            }
            Ok(())
        })
    }

    /// Append one model's build to a run, in its own transaction (so a crash keeps what finished).
    /// Cost does not grow with the number of models already recorded.
    pub fn record_model_run(&self, run_id: &str, model: &ModelRun) -> Result<(), StateError> {
        self.record_model_runs(run_id, std::slice::from_ref(model))
    }

    /// Append several finished models in one transaction. Each commit waits for the disk (an open,
    /// commit and close cost tens of milliseconds on a slow disk), so a runner finishing many models
    /// per second should flush what finished since its last call rather than call
    /// [`Self::record_model_run`] per model.
    pub fn record_model_runs(&self, run_id: &str, models: &[ModelRun]) -> Result<(), StateError> {
        self.write(|txn| {
            let header = self.header_in(&txn.open_table(RUNS)?, run_id)?;
            let run = header.into_record(vec![]);
            models.iter().try_for_each(|model| self.append_model(txn, &run, model))
        })
    }

    /// Set a run's final status and end time.
    pub fn finish_run(&self, run_id: &str, status: RunStatus, finished_at_ms: u64) -> Result<(), StateError> {
        self.write(|txn| {
            let mut runs = txn.open_table(RUNS)?;
            let mut header = self.header_in(&runs, run_id)?;
            header.status = status;
            header.finished_at_ms = Some(finished_at_ms);
            runs.insert(run_id, self.encode(&header)?.as_slice())?;
            Ok(())
        })
    }

    /// Up to `limit` runs, newest first (ids from [`crate::new_run_id`] sort by start time).
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRecord>, StateError> {
        let runs = self.read(|txn| {
            let Some(runs) = read_table(txn, RUNS)? else { return Ok(vec![]) };
            let models = read_table(txn, RUN_MODELS)?;
            let mut out = Vec::new();
            for entry in runs.iter()?.rev().take(limit) {
                let header: RunHeader = self.decode("run", entry?.1.value())?;
                out.push(self.with_models(header, models.as_ref())?);
            }
            Ok(out)
        })?;
        Ok(runs.unwrap_or_default())
    }

    /// One run by id, or the newest with `"latest"`.
    pub fn run(&self, id: &str) -> Result<Option<RunRecord>, StateError> {
        let run = self.read(|txn| {
            let Some(runs) = read_table(txn, RUNS)? else { return Ok(None) };
            let bytes = if id == LATEST_RUN {
                runs.last()?.map(|(_, v)| v.value().to_vec())
            } else {
                runs.get(id)?.map(|v| v.value().to_vec())
            };
            let Some(bytes) = bytes else { return Ok(None) };
            let header: RunHeader = self.decode("run", &bytes)?;
            Ok(Some(self.with_models(header, read_table(txn, RUN_MODELS)?.as_ref())?))
        })?;
        Ok(run.flatten())
    }

    /// Each model's most recent build, with its run's id and start time (for editor hover).
    pub fn last_model_runs(&self) -> Result<BTreeMap<String, LastModelRun>, StateError> {
        Ok(self.all_json(MODEL_LATEST, "last model run")?.into_iter().collect())
    }

    /// Each model's last build into each target it was built into (production, branches,
    /// shadow schemas), newest first: what the editor's hover needs to show production's last
    /// run and mention newer builds elsewhere. Targets compare case-insensitively.
    pub fn model_runs_by_target(&self) -> Result<BTreeMap<String, Vec<LastModelRun>>, StateError> {
        let found = self.read(|txn| {
            let mut out: BTreeMap<String, Vec<LastModelRun>> = BTreeMap::new();
            if let Some(latest) = read_table(txn, MODEL_LATEST)? {
                for entry in latest.iter()? {
                    let (k, v) = entry?;
                    keep_newest(&mut out, k.value(), self.decode("last model run", v.value())?);
                }
            }
            if let Some(by_target) = read_table(txn, MODEL_TARGET_LATEST)? {
                for entry in by_target.iter()? {
                    let (k, v) = entry?;
                    keep_newest(&mut out, k.value().0, self.decode("last model run", v.value())?);
                }
            }
            for runs in out.values_mut() {
                runs.sort_by(|a, b| order(b).cmp(&order(a)));
            }
            Ok(out)
        })?;
        Ok(found.unwrap_or_default())
    }

    fn header_in(&self, runs: &impl ReadableTable<&'static str, &'static [u8]>, run_id: &str) -> TxnResult<RunHeader> {
        match runs.get(run_id)? {
            Some(v) => self.decode("run", v.value()),
            None => Err(StateError::UnknownRun { id: run_id.to_string() }.into()),
        }
    }

    fn append_model(&self, txn: &redb::WriteTransaction, run: &RunRecord, model: &ModelRun) -> TxnResult<()> {
        let mut models = txn.open_table(RUN_MODELS)?;
        let last_seq = models.range((run.id.as_str(), 0)..=(run.id.as_str(), u64::MAX))?.next_back().transpose()?;
        let seq = last_seq.map_or(0, |(k, _)| k.value().1 + 1);
        models.insert((run.id.as_str(), seq), self.encode(model)?.as_slice())?;

        let entry = LastModelRun {
            run_id: run.id.clone(),
            run_started_at_ms: run.started_at_ms,
            branch: run.branch.clone(),
            model_run: model.clone(),
        };
        let bytes = self.encode(&entry)?;
        let mut latest = txn.open_table(MODEL_LATEST)?;
        if self.is_newer(&entry, latest.get(model.model.as_str())?.as_ref().map(|v| v.value()))? {
            latest.insert(model.model.as_str(), bytes.as_slice())?;
        }
        let mut by_target = txn.open_table(MODEL_TARGET_LATEST)?;
        let key = (model.model.as_str(), model.target.as_str());
        if self.is_newer(&entry, by_target.get(key)?.as_ref().map(|v| v.value()))? {
            by_target.insert(key, bytes.as_slice())?;
        }
        Ok(())
    }

    /// Whether `entry` replaces the stored one (`old`, encoded), if any.
    fn is_newer(&self, entry: &LastModelRun, old: Option<&[u8]>) -> TxnResult<bool> {
        Ok(match old {
            Some(bytes) => order(entry) >= order(&self.decode::<LastModelRun>("last model run", bytes)?),
            None => true,
        })
    }

    fn with_models(
        &self,
        header: RunHeader,
        models: Option<&ReadOnlyTable<(&'static str, u64), &'static [u8]>>,
    ) -> TxnResult<RunRecord> {
        let mut out = Vec::new();
        if let Some(models) = models {
            for entry in models.range((header.id.as_str(), 0)..=(header.id.as_str(), u64::MAX))? {
                out.push(self.decode::<ModelRun>("model run", entry?.1.value())?);
            }
        }
        Ok(header.into_record(out))
    }
}

/// Which of two builds is newer: by start time, then run id (ids sort by start time).
fn order(run: &LastModelRun) -> (u64, &str) {
    (run.model_run.started_at_ms, run.run_id.as_str())
}

/// Adds `run` to `model`'s builds unless one into the same target is at least as new.
fn keep_newest(out: &mut BTreeMap<String, Vec<LastModelRun>>, model: &str, run: LastModelRun) {
    let runs = out.entry(model.to_string()).or_default();
    match runs.iter_mut().find(|r| r.model_run.target.eq_ignore_ascii_case(&run.model_run.target)) {
        Some(known) if order(&run) > order(known) => *known = run,
        Some(_) => {}
        None => runs.push(run),
    }
}
