//! Hover: what the identifier under the cursor is — a column with its type, lineage and
//! consumers, a model, a source table, a CTE, or a function with its signatures.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use super::inlay_hints::type_label;
use super::navigation::{column_target, locate, model_named, output_name, passthrough_item, ColumnTarget, Symbol};
use super::{Analysis, Cancellable, LineageGraph};
use crate::base::Db;
use crate::diagnostics::TextRange;
use crate::dialect::Dialect;
use crate::functions::FunctionKind;
use crate::hir::{self, BindingTarget, ColumnDef, ColumnRef, DerivationKind, LineageTable, Resolutions};
use crate::types::Type;

/// At most this many downstream consumers are listed; the rest are counted.
const MAX_CONSUMERS: usize = 20;
/// At most this many function overloads are listed.
const MAX_SIGNATURES: usize = 12;

/// What a hover is about, so the language server can add what only it knows (run history of a
/// model, how long ago a source was cached).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum HoverSubject {
    /// A model and its configured (production) target, `catalog.schema.table`: the server
    /// shows the last run that built that target.
    Model {
        name: String,
        target: String,
    },
    /// A source table by its schema-cache key (`catalog.schema.table`).
    Source {
        key: String,
    },
    /// A column; `model` is the model whose output column it is (`None` for a source column or a
    /// column of a CTE / subquery).
    Column {
        model: Option<String>,
        column: String,
    },
    Function {
        name: String,
    },
}

/// Markdown for the hovered identifier and its exact byte range.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HoverResult {
    pub range: TextRange,
    pub markdown: String,
    pub subject: Option<HoverSubject>,
}

/// A column hover, before the lineage is looked up.
struct ColumnHover {
    name: String,
    ty: Type,
    nullable: bool,
    /// "column of model `x`" and the like.
    what: String,
    subject_model: Option<String>,
    /// Direct inputs of a CTE/subquery column, shown before the model-level chain.
    local_inputs: Vec<(ColumnRef, DerivationKind)>,
    /// Model columns whose upstream chain is shown.
    upstream_roots: Vec<ColumnRef>,
    /// The column whose consumers are listed.
    downstream_root: Option<ColumnRef>,
}

/// What phase one (inside the database) found; phase two adds lineage and renders.
enum Plan {
    Column(ColumnHover),
    Done(String, Option<HoverSubject>),
}

impl Analysis {
    /// Hover information at a byte offset of a model file; `None` where there is nothing to say.
    /// Columns show type, nullability, the upstream chain down to sources with each step's
    /// derivation, and downstream consumers (transitive, grouped by model, capped at 20); models
    /// show columns, file, strategy and target; sources their cached columns; functions their
    /// overloads from DuckDB's catalog.
    pub fn hover(&self, path: &str, offset: u32) -> Cancellable<Option<HoverResult>> {
        self.hover_with(path, offset, true)
    }

    /// [`Analysis::hover`], listing a column's downstream readers only when `list_readers`:
    /// finding them needs every model parsed once ([`Analysis::index_project`]), which a
    /// language server does in the background after a load; until then its hovers say the
    /// readers are not known yet instead of making the user wait for the whole project.
    pub fn hover_with(&self, path: &str, offset: u32, list_readers: bool) -> Cancellable<Option<HoverResult>> {
        let path = path.to_string();
        let in_sidecar = path.clone();
        if let Some(found) = self.with_db(move |db| {
            super::sidecar::sidecar_model(db, &in_sidecar).map(|f| super::sidecar::hover(db, f, offset))
        })? {
            return Ok(found);
        }
        let dialect = self.with_db(|db| *hir::project_dialect(db))?;
        let Some((range, plan)) = self.with_db(move |db| plan(db, &path, offset))? else {
            return Ok(None);
        };
        let (markdown, subject) = match plan {
            Plan::Done(markdown, subject) => (markdown, subject),
            Plan::Column(c) => {
                let mut upstream = Vec::new();
                for root in &c.upstream_roots {
                    let LineageTable::Model(m) = &root.table else { continue };
                    upstream.push(self.upstream_lineage(m, &root.column)?);
                }
                let downstream = match &c.downstream_root {
                    Some(root) if list_readers => Some(self.downstream_lineage(root.table.clone(), &root.column)?),
                    _ => None,
                };
                let subject = HoverSubject::Column { model: c.subject_model.clone(), column: c.name.clone() };
                let mut markdown = column_markdown(dialect, &c, &upstream, downstream.as_ref());
                if c.downstream_root.is_some() && !list_readers {
                    markdown.push_str("\n**Downstream**\nnot known yet: the project is still being indexed\n");
                }
                (markdown, Some(subject))
            }
        };
        Ok(Some(HoverResult { range, markdown, subject }))
    }
}

fn plan(db: &dyn Db, path: &str, offset: u32) -> Option<(TextRange, Plan)> {
    let (file, res, symbol, range) = locate(db, path, offset)?;
    let model = hir::model_settings(db, file).name.clone();
    let plan = match symbol {
        Symbol::Table(t) | Symbol::Alias(t) => table_hover(db, res, &res.tables.get(t)?.target)?,
        Symbol::Cte(c) => table_hover(db, res, &BindingTarget::Cte(c))?,
        Symbol::Function(f) => function_hover(*hir::project_dialect(db), &res.functions.get(f)?.name)?,
        Symbol::Column(c) => {
            let u = res.columns.get(c)?;
            // `SELECT amount FROM …` at the top level: the model's output column (whose chain
            // includes the column it reads).
            let def = match passthrough_item(res, c) {
                Some(i) if output_name(res, i).is_some() => ColumnDef::Item(i),
                _ => u.def.clone(),
            };
            Plan::Column(column_hover(res, &model, &u.name, &def, u.ty.clone(), u.nullable))
        }
        Symbol::Item(i) => {
            let it = res.items.get(i)?;
            Plan::Column(column_hover(res, &model, &it.name, &ColumnDef::Item(i), it.ty.clone(), it.nullable))
        }
    };
    Some((range, plan))
}

fn column_hover(res: &Resolutions, model: &str, name: &str, def: &ColumnDef, ty: Type, nullable: bool) -> ColumnHover {
    let mut hover = ColumnHover {
        name: name.to_string(),
        ty,
        nullable,
        what: "column of a table whose columns are not known".into(),
        subject_model: None,
        local_inputs: Vec::new(),
        upstream_roots: Vec::new(),
        downstream_root: None,
    };
    match column_target(res, model, def) {
        Some(ColumnTarget::Model { model, column }) => {
            let root = ColumnRef { table: LineageTable::Model(model.clone()), column: column.clone() };
            hover.what = format!("column `{column}` of model `{model}`");
            hover.name = column;
            hover.subject_model = Some(model);
            hover.upstream_roots.push(root.clone());
            hover.downstream_root = Some(root);
        }
        Some(ColumnTarget::Source { key, column }) => {
            hover.what = format!("column `{column}` of source `{key}`");
            hover.downstream_root = Some(ColumnRef { table: LineageTable::Source(key), column: column.clone() });
            hover.name = column;
        }
        Some(ColumnTarget::Local { item }) => {
            let Some(it) = res.items.get(item) else { return hover };
            hover.what = "column of a CTE or subquery of this model".into();
            hover.name = it.name.clone();
            for input in &it.lineage {
                hover.local_inputs.push((input.column.clone(), input.kind));
                if matches!(input.column.table, LineageTable::Model(_)) {
                    hover.upstream_roots.push(input.column.clone());
                }
            }
        }
        None => {}
    }
    hover
}

fn table_hover(db: &dyn Db, res: &Resolutions, target: &BindingTarget) -> Option<Plan> {
    let dialect = *hir::project_dialect(db);
    let mut md = String::new();
    let subject = match target {
        BindingTarget::Model(name) => {
            let file = model_named(db, name)?;
            let settings = hir::model_settings(db, file);
            let schema = hir::model_schema(db, file);
            let _ = writeln!(md, "**model** `{}`\n", settings.name);
            let _ = writeln!(
                md,
                "`{}` · strategy `{}` · target `{}`\n",
                file.path(db),
                settings.config.strategy.name(),
                settings.target
            );
            let rows: Vec<(String, String)> =
                schema.columns.iter().map(|c| (c.name.clone(), type_label(dialect, &c.ty, c.nullable))).collect();
            column_table(&mut md, &rows);
            if schema.open {
                md.push_str("\nMore columns may exist: it reads `*` from a table whose columns are not known.\n");
            }
            Some(HoverSubject::Model { name: settings.name.clone(), target: settings.target.to_string() })
        }
        BindingTarget::Source(key) => {
            let _ = writeln!(md, "**source** `{key}`\n");
            match db.project().sources(db).snapshot(db).tables.get(key) {
                Some(table) => {
                    let rows: Vec<(String, String)> = table
                        .columns
                        .iter()
                        .map(|c| {
                            (
                                c.name.clone(),
                                if c.nullable { format!("{}?", c.type_string) } else { c.type_string.clone() },
                            )
                        })
                        .collect();
                    column_table(&mut md, &rows);
                }
                None => md.push_str(
                    "Not in the schema cache, so its columns are not checked: run `rocky discover --with-schemas`.\n",
                ),
            }
            Some(HoverSubject::Source { key: key.clone() })
        }
        BindingTarget::Cte(c) => {
            let cte = res.ctes.get(*c)?;
            let _ = writeln!(md, "**CTE** `{}`\n", cte.name);
            let rows: Vec<(String, String)> =
                cte.columns.iter().map(|(n, ty, nullable)| (n.clone(), type_label(dialect, ty, *nullable))).collect();
            column_table(&mut md, &rows);
            None
        }
        BindingTarget::Derived | BindingTarget::Function | BindingTarget::Unknown => return None,
    };
    Some(Plan::Done(md, subject))
}

/// A markdown table of columns and type labels (`?` marks nullable).
fn column_table(md: &mut String, rows: &[(String, String)]) {
    if rows.is_empty() {
        md.push_str("No known columns.\n");
        return;
    }
    md.push_str("| column | type |\n|---|---|\n");
    for (name, ty) in rows {
        let _ = writeln!(md, "| `{name}` | `{ty}` |");
    }
}

fn function_hover(dialect: Dialect, name: &str) -> Option<Plan> {
    let signatures = dialect.signatures(name);
    if signatures.is_empty() {
        return None;
    }
    let kind = match dialect.function_kind(name) {
        Some(FunctionKind::Aggregate) => "aggregate function",
        Some(FunctionKind::Window) => "window function",
        Some(FunctionKind::Macro) => "macro",
        _ => "function",
    };
    let mut md = format!("**{kind}** `{name}`\n\n```sql\n");
    for s in signatures.iter().take(MAX_SIGNATURES) {
        md.push_str(s);
        md.push('\n');
    }
    md.push_str("```\n");
    if signatures.len() > MAX_SIGNATURES {
        let _ = writeln!(md, "… and {} more overloads", signatures.len() - MAX_SIGNATURES);
    }
    if let Some(d) = dialect.description(name) {
        let _ = write!(md, "\n{d}\n");
    }
    Some(Plan::Done(md, Some(HoverSubject::Function { name: name.to_string() })))
}

fn column_ref_label(c: &ColumnRef) -> String {
    match &c.table {
        LineageTable::Model(m) => format!("`{m}.{}`", c.column),
        LineageTable::Source(k) => format!("source `{k}.{}`", c.column),
    }
}

fn kind_label(kind: DerivationKind) -> &'static str {
    match kind {
        DerivationKind::Copy => "copy",
        DerivationKind::Rename => "rename",
        DerivationKind::Cast => "cast",
        DerivationKind::Expression => "expression",
        DerivationKind::Aggregate => "aggregate",
        DerivationKind::Window => "window",
    }
}

/// The column's markdown: a header with type and nullability, then `**Upstream**` (one line per
/// lineage step, `to ← from (kind)`, nearest first) and `**Downstream**` (consumers by model).
fn column_markdown(
    dialect: Dialect,
    c: &ColumnHover,
    upstream: &[LineageGraph],
    downstream: Option<&LineageGraph>,
) -> String {
    let mut md = String::new();
    let null = if c.nullable { "nullable" } else { "never NULL" };
    if c.ty.is_unknown() {
        let _ = writeln!(md, "**`{}`** · type unknown\n", c.name);
    } else {
        let _ = writeln!(md, "**`{}`** · `{}` · {null}\n", c.name, dialect.type_name(&c.ty));
    }
    let _ = writeln!(md, "{}", capitalized(&c.what));
    let mut lines: Vec<String> = c
        .local_inputs
        .iter()
        .map(|(from, kind)| format!("- `{}` ← {} ({})", c.name, column_ref_label(from), kind_label(*kind)))
        .collect();
    for graph in upstream {
        for line in upstream_lines(graph) {
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    if !lines.is_empty() {
        md.push_str("\n**Upstream**\n");
        for l in lines {
            md.push_str(&l);
            md.push('\n');
        }
    }
    if let Some(graph) = downstream {
        let consumers = downstream_lines(graph);
        if !consumers.is_empty() {
            md.push_str("\n**Downstream**\n");
            for l in consumers {
                md.push_str(&l);
                md.push('\n');
            }
        }
    }
    md
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Upstream steps breadth-first from the root: `- \`to\` ← from (kind)`.
fn upstream_lines(graph: &LineageGraph) -> Vec<String> {
    let Some(root) = &graph.root else { return Vec::new() };
    let mut out = Vec::new();
    let mut queue = VecDeque::from([root.clone()]);
    let mut seen = vec![root.clone()];
    while let Some(node) = queue.pop_front() {
        for edge in graph.edges.iter().filter(|e| e.to == node) {
            let kind = edge.kind.map(kind_label).unwrap_or("key");
            out.push(format!("- {} ← {} ({kind})", column_ref_label(&edge.to), column_ref_label(&edge.from)));
            if !seen.contains(&edge.from) {
                seen.push(edge.from.clone());
                queue.push_back(edge.from.clone());
            }
        }
    }
    out
}

/// Consumers grouped by model: `- \`model\`: \`col\` (kind), key`, at most [`MAX_CONSUMERS`] entries.
fn downstream_lines(graph: &LineageGraph) -> Vec<String> {
    let mut by_model: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for edge in &graph.edges {
        let LineageTable::Model(m) = &edge.to.table else { continue };
        let entry = match edge.kind {
            Some(kind) => format!("`{}` ({})", edge.to.column, kind_label(kind)),
            None => "key".to_string(),
        };
        let list = by_model.entry(m.clone()).or_default();
        if !list.contains(&entry) {
            list.push(entry);
        }
    }
    let total: usize = by_model.values().map(Vec::len).sum();
    let mut shown = 0;
    let mut out = Vec::new();
    for (model, entries) in by_model {
        let room = MAX_CONSUMERS - shown;
        if room == 0 {
            break;
        }
        let take: Vec<String> = entries.into_iter().take(room).collect();
        shown += take.len();
        out.push(format!("- `{model}`: {}", take.join(", ")));
    }
    if total > shown {
        out.push(format!("- … and {} more", total - shown));
    }
    out
}
