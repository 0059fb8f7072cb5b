//! `--format json`: a stable document (version 1) for tools; the shape is documented in README.md.

use std::io::{self, Write};

use rocky_analysis::ide::ModelInfo;
use serde_json::json;

use super::{Report, Summary};

/// Writes the whole document (pretty-printed) and a final newline.
pub fn write(out: &mut impl Write, reports: &[Report], models: &[ModelInfo], summary: &Summary) -> io::Result<()> {
    let diagnostics = diagnostics(reports);
    let models: Vec<serde_json::Value> = models
        .iter()
        .map(|m| {
            json!({
                "name": m.name,
                "path": m.path,
                "sidecar": m.sidecar_path,
                "strategy": m.strategy.name(),
                "target": m.target.to_string(),
                "depends_on": m.depends_on,
                "sources": m.sources,
                "columns": m.schema.columns.iter().map(|c| json!({
                    "name": c.name, "type": c.ty.to_string(), "nullable": c.nullable,
                })).collect::<Vec<_>>(),
                "columns_complete": !m.schema.open,
            })
        })
        .collect();
    let doc = json!({ "version": 1, "diagnostics": diagnostics, "models": models, "summary": summary });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The document's `diagnostics` array.
pub fn diagnostics(reports: &[Report]) -> Vec<serde_json::Value> {
    reports
        .iter()
        .map(|r| {
            let d = r.diagnostic.as_ref();
            json!({
                "file": r.file,
                "path": r.shown_path,
                "line": r.start.line,
                "column": r.start.column,
                "end_line": r.end.line,
                "end_column": r.end.column,
                "start_offset": r.range.map(|x| x.start),
                "end_offset": r.range.map(|x| x.end),
                "severity": r.severity,
                "code": r.code,
                "message": r.message,
                "hint": r.hint,
                "fixes": d.map(|d| d.fixes.as_slice()).unwrap_or_default(),
                "related": r.related.iter().map(|x| json!({
                    "file": x.file, "path": x.shown_path, "line": x.start.line, "column": x.start.column,
                    "message": x.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}
