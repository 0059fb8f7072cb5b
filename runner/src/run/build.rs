//! Building one model on one warehouse connection (runs on a blocking worker thread).

use rocky_analysis::config::Strategy;

use super::data_tests::{self, TestOutcome};
use super::plan::PlannedModel;
use crate::warehouse::{Warehouse, WarehouseColumn, WarehouseError};

/// How a model was written this time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildMode {
    /// Table created or replaced from the whole query.
    Full,
    /// View created or replaced.
    View,
    /// Only rows newer than the watermark appended.
    Append,
    /// Rows upserted on the unique key.
    Upsert,
}

/// A successful build.
#[derive(Clone, Debug)]
pub struct Built {
    pub mode: BuildMode,
    /// Rows written (`None` for views).
    pub rows: Option<u64>,
    /// The built table's columns, when its tests or contract needed them right after the build
    /// (`None`: described at the end of the run).
    pub columns: Option<Vec<WarehouseColumn>>,
    /// Incremental models: the new high-water mark.
    pub watermark: Option<String>,
    /// The contract check and data tests, run on the built table.
    pub tests: Vec<TestOutcome>,
}

impl Built {
    /// Why the model counts as failed although its table was written (a blocking test failed).
    pub fn failure(&self) -> Option<String> {
        data_tests::failure(&self.tests)
    }
}

/// Builds `model`. `watermark` is the stored high-water mark of an incremental model.
pub fn build(
    wh: &dyn Warehouse,
    model: &PlannedModel,
    full_refresh: bool,
    watermark: Option<&str>,
) -> Result<Built, WarehouseError> {
    let target = &model.target;
    let (mode, rows, new_watermark) = match &model.strategy {
        Strategy::View => {
            wh.replace_view(target, &model.sql)?;
            (BuildMode::View, None, None)
        }
        Strategy::Incremental { timestamp_column: Some(ts) } => {
            let existing = if full_refresh { None } else { wh.describe_table(target)? };
            let previous = match (&existing, watermark) {
                (None, _) => None,
                (Some(_), Some(w)) => Some(w.to_string()),
                // The state file lost it: the target itself knows.
                (Some(_), None) => wh.max_value(target, ts)?,
            };
            let (mode, rows) = match (previous, &existing) {
                (Some(w), Some(columns)) => (BuildMode::Append, wh.insert_newer(target, &model.sql, ts, &w, columns)?),
                _ => (BuildMode::Full, wh.replace_table(target, &model.sql)?),
            };
            (mode, Some(rows), wh.max_value(target, ts)?)
        }
        Strategy::Merge { unique_key, update_columns } => {
            let existing = if full_refresh { None } else { wh.describe_table(target)? };
            match existing {
                None => (BuildMode::Full, Some(wh.replace_table(target, &model.sql)?), None),
                Some(columns) => {
                    let update: Vec<String> = match update_columns {
                        Some(cols) => cols.clone(),
                        None => columns
                            .iter()
                            .map(|c| c.name.clone())
                            .filter(|c| !unique_key.iter().any(|k| k.eq_ignore_ascii_case(c)))
                            .collect(),
                    };
                    let rows = wh.merge(target, &model.sql, unique_key, &update, &columns)?;
                    (BuildMode::Upsert, Some(rows), None)
                }
            }
        }
        // Full refresh, and an incremental model without a timestamp column (the check reports it).
        _ => (BuildMode::Full, Some(wh.replace_table(target, &model.sql)?), None),
    };
    // The tests and the contract need the columns now; otherwise they are described with every
    // other built table at the end of the run (`built_tables.rs`), in one query per schema.
    let needs_columns = !model.tests.is_empty() || model.contract.is_some();
    let columns = if needs_columns { wh.describe_table(target)? } else { None };
    let tests = data_tests::run_all(wh, &model.tests, model.contract.as_ref(), columns.as_deref());
    Ok(Built { mode, rows, columns, watermark: new_watermark, tests })
}
