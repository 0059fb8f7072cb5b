//! The write tap's second half: once the builds are done, the built targets whose columns the
//! run did not need right away are described (one query per target schema), and every built
//! table is probed for NULLs in the columns the analysis inferred NOT NULL (one statement per
//! batch of tables). Only the drift check and the schema cache use these, so they stay off the
//! builds' critical path instead of costing two or three queries per model.

use std::collections::{BTreeMap, BTreeSet};

use super::build::BuildMode;
use super::plan::PlannedModel;
use super::sql;
use crate::warehouse::{Warehouse, WarehouseColumn};

/// Tables probed for NULLs per statement (keeps statements a reasonable size).
const PROBE_BATCH: usize = 200;

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

/// Describes and probes the `built` models' targets. Returns the tables by plan index, and a
/// message per query that failed (their tables then lack columns or NULL findings: a warning,
/// the models were built).
pub fn describe(
    wh: &dyn Warehouse,
    plan: &[PlannedModel],
    built: Vec<BuiltModel>,
) -> (BTreeMap<usize, BuiltTable>, Vec<String>) {
    let mut problems = Vec::new();
    let schemas: BTreeSet<(&str, &str)> = built
        .iter()
        .filter(|b| b.columns.is_none())
        .map(|b| (plan[b.index].target.catalog.as_str(), plan[b.index].target.schema.as_str()))
        .collect();
    let mut described: BTreeMap<String, Vec<WarehouseColumn>> = BTreeMap::new();
    for (catalog, schema) in schemas {
        match wh.describe_schema(catalog, schema) {
            Ok(tables) => described.extend(tables.into_iter().map(|t| (t.name.key(), t.columns))),
            Err(e) => problems.push(format!("could not describe the built tables of {catalog}.{schema}: {e}")),
        }
    }
    let mut tables = BTreeMap::new();
    let mut probes = Vec::new();
    for b in built {
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
    for batch in probes.chunks(PROBE_BATCH) {
        let rows = match wh.query_rows(&sql::null_probes(batch)) {
            Ok(r) => r.rows,
            Err(e) => {
                problems.push(format!("could not check built tables for NULLs (drift): {e}"));
                continue;
            }
        };
        for row in rows {
            let (Some(Some(i)), Some(Some(flags))) = (row.first(), row.get(1)) else { continue };
            let Some((_, _, probed)) = batch.iter().find(|(index, _, _)| index.to_string() == *i) else { continue };
            let Some(table) = i.parse().ok().and_then(|i: usize| tables.get_mut(&i)) else { continue };
            table.holding_nulls =
                probed.iter().zip(flags.chars()).filter(|(_, f)| *f == '1').map(|(c, _)| c.clone()).collect();
        }
    }
    (tables, problems)
}
