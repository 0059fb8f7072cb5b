//! `--format json`: a stable document (version 1) for tools.

use std::io::{self, Write};

use rocky_analysis::ide::ModelInfo;
use rocky_analysis::ModelSchema;
use rocky_loader::LoadProblem;
use serde_json::json;

use super::{Located, Summary};

pub fn write(
    out: &mut impl Write,
    diagnostics: &[Located<'_>],
    problems: &[(String, &LoadProblem)],
    models: &[(&ModelInfo, &ModelSchema)],
    summary: Summary,
) -> io::Result<()> {
    let mut diags: Vec<serde_json::Value> = problems
        .iter()
        .map(|(shown, p)| {
            json!({
                "file": p.path, "path": shown, "line": 1, "column": 1, "end_line": 1, "end_column": 1,
                "severity": "error", "code": "E000", "message": p.message, "hint": p.hint,
            })
        })
        .collect();
    for l in diagnostics {
        let d = l.diagnostic;
        let (s, e) = l.span();
        diags.push(json!({
            "file": d.file,
            "path": l.shown_path,
            "line": s.line,
            "column": s.column,
            "end_line": e.line,
            "end_column": e.column,
            "start_offset": d.range.start,
            "end_offset": d.range.end,
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
            "fixes": d.fixes,
            "related": d.related,
        }));
    }
    let models: Vec<serde_json::Value> = models
        .iter()
        .map(|(m, schema)| {
            json!({
                "name": m.name,
                "path": m.path,
                "sidecar": m.sidecar_path,
                "strategy": m.strategy.name(),
                "target": m.target.to_string(),
                "depends_on": m.depends_on,
                "sources": m.sources,
                "columns": schema.columns.iter().map(|c| json!({
                    "name": c.name, "type": c.ty.to_string(), "nullable": c.nullable,
                })).collect::<Vec<_>>(),
                "columns_complete": !schema.open,
            })
        })
        .collect();
    let doc = json!({ "version": 1, "diagnostics": diags, "models": models, "summary": summary });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
