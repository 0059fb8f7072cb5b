//! Navigation: what the identifier at an offset is (shared by hover, definition, references and
//! rename), go to definition, and find references.

use super::rename::{column_occurrences, Flow, Start};
use super::{Analysis, Cancellable};
use crate::base::{Db, ModelFile};
use crate::diagnostics::TextRange;
use crate::hir::{self, BindingTarget, ColumnDef, Resolutions};

/// A range in a named file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FileRange {
    pub path: String,
    pub range: TextRange,
}

/// Replace `range` of the file at `path` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct TextEdit {
    pub path: String,
    pub range: TextRange,
    pub new_text: String,
}

/// Where a symbol lives: its whole construct and the name to select.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct NavigationTarget {
    pub path: String,
    pub name: String,
    pub full_range: TextRange,
    pub focus_range: TextRange,
}

/// The identifier under the cursor, as the resolution index knows it. Indices point into the
/// model's [`Resolutions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Symbol {
    /// A table name in FROM / `TABLE name`: index into `tables`.
    Table(usize),
    /// A table alias, at its definition or as a column qualifier: index into `tables`.
    Alias(usize),
    /// A CTE's name at its definition: index into `ctes`.
    Cte(usize),
    /// A column reference: index into `columns`.
    Column(usize),
    /// A select item's alias: index into `items`.
    Item(usize),
    /// A function name: index into `functions`.
    Function(usize),
}

/// A column as the project knows it, wherever the cursor met it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ColumnTarget {
    /// An output column of a model.
    Model { model: String, column: String },
    /// A column of a source table.
    Source { key: String, column: String },
    /// A select item of a CTE or subquery of this file (not a model output).
    Local { item: usize },
}

/// The model file at `path`, if it is one.
pub(super) fn model_at(db: &dyn Db, path: &str) -> Option<ModelFile> {
    hir::files_by_path(db).get(path).copied().filter(|m| m.path(db) == path)
}

/// The model file of a model name.
pub(super) fn model_named(db: &dyn Db, name: &str) -> Option<ModelFile> {
    hir::model_index(db).by_name(name)
}

/// The identifier at `offset` and its exact range. Ranges are half-open; an offset just after an
/// identifier (the usual cursor position after typing it) also counts when nothing starts there.
pub(super) fn symbol_at(res: &Resolutions, offset: u32) -> Option<(Symbol, TextRange)> {
    let mut candidates: Vec<(Symbol, TextRange)> = Vec::new();
    candidates.extend(res.columns.iter().enumerate().map(|(i, c)| (Symbol::Column(i), c.range)));
    let qualifiers = res.columns.iter().map(|c| c.qualifier).chain(res.stars.iter().map(|s| s.qualifier));
    for (range, binding) in qualifiers.flatten() {
        if let Some(binding) = binding {
            candidates.push((Symbol::Alias(binding), range));
        }
    }
    for (i, t) in res.tables.iter().enumerate() {
        if let Some(r) = t.name_range {
            candidates.push((Symbol::Table(i), r));
        }
        if let Some((_, r)) = &t.alias {
            candidates.push((Symbol::Alias(i), *r));
        }
    }
    candidates.extend(res.ctes.iter().enumerate().map(|(i, c)| (Symbol::Cte(i), c.name_range)));
    candidates.extend(res.items.iter().enumerate().filter_map(|(i, it)| it.alias_range.map(|r| (Symbol::Item(i), r))));
    candidates.extend(res.functions.iter().enumerate().map(|(i, f)| (Symbol::Function(i), f.range)));
    candidates.retain(|(_, r)| !r.is_empty());
    let inside = candidates.iter().filter(|(_, r)| r.start <= offset && offset < r.end).min_by_key(|(_, r)| r.len());
    let after = || candidates.iter().filter(|(_, r)| r.end == offset).min_by_key(|(_, r)| r.len());
    inside.or_else(after).copied()
}

/// Whether select item `item` is one of the model's output columns (under its own name).
pub(super) fn output_name(res: &Resolutions, item: usize) -> Option<&str> {
    res.outputs.iter().find(|(_, d)| *d == ColumnDef::Item(item)).map(|(n, _)| n.as_str())
}

/// The select item whose whole expression is column reference `use_index`, if any: such an item
/// (`SELECT amount FROM …`) is named after the column it reads.
pub(super) fn passthrough_item(res: &Resolutions, use_index: usize) -> Option<usize> {
    res.items.iter().position(|it| it.passthrough == Some(use_index))
}

/// The column a definition site stands for, seen from model `model`.
pub(super) fn column_target(res: &Resolutions, model: &str, def: &ColumnDef) -> Option<ColumnTarget> {
    match def {
        ColumnDef::Model { model, column } => {
            Some(ColumnTarget::Model { model: model.clone(), column: column.clone() })
        }
        ColumnDef::Source { key, column } => Some(ColumnTarget::Source { key: key.clone(), column: column.clone() }),
        ColumnDef::Item(i) => match output_name(res, *i) {
            Some(name) => Some(ColumnTarget::Model { model: model.to_string(), column: name.to_string() }),
            None => Some(ColumnTarget::Local { item: *i }),
        },
        ColumnDef::Unknown => None,
    }
}

/// The select item that defines `model.column`, following `*` pass-through upstream: the model
/// file and the item's index. `None` when it ends at a source or is not known.
pub(super) fn defining_item(db: &dyn Db, model: &str, column: &str) -> Option<(ModelFile, usize)> {
    let (mut model, mut column) = (model.to_string(), column.to_string());
    // A chain longer than the project has models is a cycle; stop.
    for _ in 0..=db.project().models(db).len() {
        let file = model_named(db, &model)?;
        let res = hir::model_resolutions(db, file);
        let (_, def) = res.outputs.iter().find(|(n, _)| n.eq_ignore_ascii_case(&column))?;
        match def {
            ColumnDef::Item(i) => return Some((file, *i)),
            ColumnDef::Model { model: m, column: c } => (model, column) = (m.clone(), c.clone()),
            ColumnDef::Source { .. } | ColumnDef::Unknown => return None,
        }
    }
    None
}

/// A navigation target at a select item.
pub(super) fn item_target(db: &dyn Db, file: ModelFile, item: usize) -> Option<NavigationTarget> {
    let res = hir::model_resolutions(db, file);
    let it = res.items.get(item)?;
    Some(NavigationTarget {
        path: file.path(db).clone(),
        name: it.name.clone(),
        full_range: it.range,
        focus_range: it.alias_range.unwrap_or(it.range),
    })
}

/// The resolutions of the model at `path` and the symbol at `offset` in it.
pub(super) fn locate<'db>(
    db: &'db dyn Db,
    path: &str,
    offset: u32,
) -> Option<(ModelFile, &'db Resolutions, Symbol, TextRange)> {
    let file = model_at(db, path)?;
    let res = hir::model_resolutions(db, file);
    let (symbol, range) = symbol_at(res, offset)?;
    Some((file, res, symbol, range))
}

impl Analysis {
    /// Where the identifier at `offset` is defined: a model reference goes to the model's query, a
    /// CTE reference to its `name AS (`, an alias to its binding, a column to the select item that
    /// defines it (through `*` pass-through, in this or an upstream model). Empty for source
    /// columns and tables (they live in the warehouse), functions, and unresolved names.
    pub fn goto_definition(&self, path: &str, offset: u32) -> Cancellable<Vec<NavigationTarget>> {
        let path = path.to_string();
        self.with_db(move |db| definition(db, &path, offset).into_iter().collect())
    }

    /// Every use of the model or column at `offset` across the project. For a model: each table
    /// reference to it in other models. For a column: each reference to it in this model and its
    /// downstream models, following `*` pass-through (where it is the same column under the same
    /// name); `include_declaration` adds the defining select item's name.
    pub fn references(&self, path: &str, offset: u32, include_declaration: bool) -> Cancellable<Vec<FileRange>> {
        let path = path.to_string();
        self.with_db(move |db| references(db, &path, offset, include_declaration))
    }
}

fn definition(db: &dyn Db, path: &str, offset: u32) -> Option<NavigationTarget> {
    let (file, res, symbol, _) = locate(db, path, offset)?;
    let here = |name: &str, full_range: TextRange, focus_range: TextRange| NavigationTarget {
        path: path.to_string(),
        name: name.to_string(),
        full_range,
        focus_range,
    };
    match symbol {
        Symbol::Table(t) => binding_definition(db, path, res, t),
        Symbol::Alias(t) => {
            let binding = res.tables.get(t)?;
            match &binding.alias {
                Some((name, range)) => {
                    let full = binding.name_range.map(|n| n.cover(*range)).unwrap_or(*range);
                    Some(here(name, full, *range))
                }
                None => binding_definition(db, path, res, t),
            }
        }
        Symbol::Cte(c) => res.ctes.get(c).map(|c| here(&c.name, c.range, c.name_range)),
        Symbol::Item(i) => item_target(db, file, i),
        Symbol::Column(c) => match res.columns.get(c)?.def.clone() {
            ColumnDef::Item(i) => item_target(db, file, i),
            ColumnDef::Model { model, column } => {
                let (up, item) = defining_item(db, &model, &column)?;
                item_target(db, up, item)
            }
            ColumnDef::Source { .. } | ColumnDef::Unknown => None,
        },
        Symbol::Function(_) => None,
    }
}

/// A model's query in its file: from its first token to its last, without the comment header
/// and trailing comments or blank lines, so "go to definition" lands on `select` / `with` rather
/// than at the top of a license or description comment. A file with no query gives its start.
pub(super) fn query_range(sql: &str) -> TextRange {
    let toks = super::cursor::lex(sql);
    let mut code = toks.iter().filter(|t| !t.is_trivia());
    match (code.next(), code.next_back()) {
        (Some(first), last) => first.range.cover(last.map_or(first.range, |t| t.range)),
        (None, _) => TextRange::empty(0),
    }
}

/// Where a table reference leads: a model's query or a CTE's definition.
fn binding_definition(db: &dyn Db, path: &str, res: &Resolutions, t: usize) -> Option<NavigationTarget> {
    match &res.tables.get(t)?.target {
        BindingTarget::Model(m) => {
            let file = model_named(db, m)?;
            let query = query_range(file.sql(db));
            Some(NavigationTarget {
                path: file.path(db).clone(),
                name: m.clone(),
                full_range: query,
                focus_range: TextRange::empty(query.start),
            })
        }
        BindingTarget::Cte(c) => res.ctes.get(*c).map(|c| NavigationTarget {
            path: path.to_string(),
            name: c.name.clone(),
            full_range: c.range,
            focus_range: c.name_range,
        }),
        _ => None,
    }
}

fn references(db: &dyn Db, path: &str, offset: u32, include_declaration: bool) -> Vec<FileRange> {
    let Some((file, res, symbol, _)) = locate(db, path, offset) else { return Vec::new() };
    let model = hir::model_settings(db, file).name.clone();
    let table_target = match symbol {
        Symbol::Table(t) | Symbol::Alias(t) => res.tables.get(t).map(|b| b.target.clone()),
        Symbol::Cte(c) => Some(BindingTarget::Cte(c)),
        _ => None,
    };
    if let Some(target) = table_target {
        return table_references(db, path, res, &target, include_declaration);
    }
    let start = match symbol {
        Symbol::Column(c) => res.columns.get(c).and_then(|u| column_target(res, &model, &u.def)),
        Symbol::Item(i) => column_target(res, &model, &ColumnDef::Item(i)),
        _ => None,
    };
    let start = match start {
        Some(ColumnTarget::Model { model, column }) => match defining_item(db, &model, &column) {
            Some((f, i)) => Start::Item(f, i),
            None => Start::ModelOutput(model, column),
        },
        Some(ColumnTarget::Source { key, column }) => Start::Source(key, column),
        Some(ColumnTarget::Local { item }) => Start::Item(file, item),
        None => return Vec::new(),
    };
    let occ = column_occurrences(db, start, Flow::SameColumn);
    let mut out: Vec<FileRange> = occ.uses;
    if include_declaration {
        out.extend(occ.items.iter().filter_map(|(f, i)| {
            let it = hir::model_resolutions(db, *f).items.get(*i)?.clone();
            Some(FileRange { path: f.path(db).clone(), range: it.alias_range.unwrap_or(it.range) })
        }));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path).then(a.range.cmp(&b.range)));
    out.dedup();
    out
}

/// Uses of a model (every table reference to it in the project), a source, or a CTE (in this file).
fn table_references(
    db: &dyn Db,
    path: &str,
    res: &Resolutions,
    target: &BindingTarget,
    include_declaration: bool,
) -> Vec<FileRange> {
    let mut out = Vec::new();
    match target {
        BindingTarget::Cte(c) => {
            for b in &res.tables {
                if b.target == *target {
                    out.extend(b.name_range.map(|range| FileRange { path: path.to_string(), range }));
                }
            }
            if include_declaration {
                out.extend(res.ctes.get(*c).map(|c| FileRange { path: path.to_string(), range: c.name_range }));
            }
        }
        BindingTarget::Model(_) | BindingTarget::Source(_) => {
            let same = |t: &BindingTarget| match (t, target) {
                (BindingTarget::Model(a), BindingTarget::Model(b)) => a.eq_ignore_ascii_case(b),
                (BindingTarget::Source(a), BindingTarget::Source(b)) => a == b,
                _ => false,
            };
            let readers = match target {
                BindingTarget::Model(name) => model_named(db, name).map(|f| hir::readers_index(db).of_model(f)),
                BindingTarget::Source(key) => Some(hir::readers_index(db).of_source(key)),
                _ => None,
            };
            for &m in readers.unwrap_or_default() {
                for b in &hir::model_resolutions(db, m).tables {
                    if same(&b.target) {
                        out.extend(b.name_range.map(|range| FileRange { path: m.path(db).clone(), range }));
                    }
                }
            }
            if let (true, BindingTarget::Model(name)) = (include_declaration, target) {
                out.extend(model_named(db, name).map(|f| FileRange {
                    path: f.path(db).clone(),
                    range: TextRange::empty(query_range(f.sql(db)).start),
                }));
            }
        }
        _ => {}
    }
    out.sort_by(|a, b| a.path.cmp(&b.path).then(a.range.cmp(&b.range)));
    out.dedup();
    out
}
