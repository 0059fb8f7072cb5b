//! `--format json`: a stable document (version 1) for tools; the shape is documented in README.md.

use std::io::{self, Write};

use rocky_analysis::ide::ModelInfo;
use rocky_analysis::{Analysis, Dialect};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::json;

use super::{Report, Summary};

/// The whole document, serialized as it is written: the models (all of a large project) are
/// never held as one JSON value.
/// Keys in alphabetical order, as the document has always been written.
#[derive(serde::Serialize)]
struct Document<'a> {
    diagnostics: Vec<serde_json::Value>,
    models: Models<'a>,
    /// As a JSON value, whose keys are sorted too.
    summary: serde_json::Value,
    version: u32,
}

/// The models to list.
#[derive(Clone, Copy)]
pub enum ModelList<'a> {
    /// Already built (a focused check's one model).
    Built(&'a [ModelInfo]),
    /// The models at these paths ([`Analysis::model_paths`]), each built only while it is
    /// written, so the whole list with every schema is never held.
    Lazy(&'a Analysis, &'a [String]),
}

/// The `models` array, each model turned into JSON only while it is written.
struct Models<'a> {
    list: ModelList<'a>,
    dialect: Dialect,
}

impl Serialize for Models<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.list {
            ModelList::Built(models) => {
                let mut seq = serializer.serialize_seq(Some(models.len()))?;
                for m in models {
                    seq.serialize_element(&ModelJson::new(m, self.dialect))?;
                }
                seq.end()
            }
            ModelList::Lazy(analysis, paths) => {
                let mut seq = serializer.serialize_seq(Some(paths.len()))?;
                // A fresh host is never cancelled; every path is a model's.
                for m in paths.iter().filter_map(|p| analysis.model_of_file(p).ok().flatten()) {
                    seq.serialize_element(&ModelJson::new(&m, self.dialect))?;
                }
                seq.end()
            }
        }
    }
}

#[derive(serde::Serialize)]
struct ModelJson<'a> {
    columns: Vec<ColumnJson<'a>>,
    columns_complete: bool,
    depends_on: &'a [String],
    name: &'a str,
    path: &'a str,
    sidecar: Option<&'a str>,
    sources: &'a [String],
    strategy: &'static str,
    target: String,
}

#[derive(serde::Serialize)]
struct ColumnJson<'a> {
    name: &'a str,
    nullable: bool,
    /// As the warehouse prints it (`INTEGER` on DuckDB, `integer` on PostgreSQL).
    #[serde(rename = "type")]
    ty: String,
}

impl<'a> ModelJson<'a> {
    fn new(m: &'a ModelInfo, dialect: Dialect) -> Self {
        ModelJson {
            name: &m.name,
            path: &m.path,
            sidecar: m.sidecar_path.as_deref(),
            strategy: m.strategy.name(),
            target: m.target.to_string(),
            depends_on: &m.depends_on,
            sources: &m.sources,
            columns: m
                .schema
                .columns
                .iter()
                .map(|c| ColumnJson { name: &c.name, ty: dialect.type_name(&c.ty), nullable: c.nullable })
                .collect(),
            columns_complete: !m.schema.open,
        }
    }
}

/// Writes the whole document (pretty-printed) and a final newline.
pub fn write(
    out: &mut impl Write,
    reports: &[Report],
    models: ModelList<'_>,
    summary: &Summary,
    dialect: Dialect,
) -> io::Result<()> {
    let summary = serde_json::to_value(summary)?;
    let doc =
        Document { diagnostics: diagnostics(reports), models: Models { list: models, dialect }, summary, version: 1 };
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, &doc)?;
    writeln!(buffered)?;
    buffered.flush()
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
