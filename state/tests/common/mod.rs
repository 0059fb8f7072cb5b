//! Helpers shared by the state-file tests (included with `mod common;`).
#![allow(dead_code)]

use rocky_state::{CachedColumn, CachedTable, ModelRun, ModelStatus, RunRecord, RunStatus};

pub fn table(key: &str, cols: &[(&str, &str, bool)], at: u64) -> CachedTable {
    CachedTable {
        key: key.to_string(),
        columns: cols
            .iter()
            .map(|(n, t, nullable)| CachedColumn {
                name: n.to_string(),
                type_string: t.to_string(),
                nullable: *nullable,
            })
            .collect(),
        written_at_ms: at,
        built: None,
    }
}

pub fn run(id: &str, started: u64) -> RunRecord {
    RunRecord {
        id: id.to_string(),
        started_at_ms: started,
        finished_at_ms: None,
        status: RunStatus::Running,
        trigger: "cli".to_string(),
        branch: None,
        models: vec![],
    }
}

pub fn model_run(model: &str, started: u64, status: ModelStatus) -> ModelRun {
    ModelRun {
        model: model.to_string(),
        target: format!("playground.main.{model}"),
        strategy: "table".to_string(),
        sql_hash: format!("hash-{model}-{started}"),
        rows: Some(started % 100),
        started_at_ms: started,
        duration_ms: 7,
        status,
        error: (status == ModelStatus::Failed).then(|| "Binder Error: column x not found".to_string()),
        tests: Vec::new(),
        warnings: Vec::new(),
    }
}
