//! Rename of a column across the project, and the walk that finds every place naming a column
//! (shared with find-references).
//!
//! A column's name "flows" from its defining select item to every place that sees it under the
//! same name: references in the same file (CTEs, ORDER BY aliases), `*` pass-through into
//! downstream models, and — for rename — unaliased plain references (`SELECT amount FROM up`),
//! whose output column is named after the column they read.

use std::collections::{BTreeSet, HashSet, VecDeque};

use super::navigation::{
    column_target, defining_item, locate, model_named, passthrough_item, ColumnTarget, FileRange, Symbol,
};
use super::rename_local::{self, local_symbol, Local};
use super::{Analysis, Cancellable, TextEdit};
use crate::base::{Db, ModelFile};
use crate::diagnostics::TextRange;
use crate::hir::{self, ColumnDef};

/// Where the walk starts.
pub(super) enum Start {
    /// A select item (the column's definition).
    Item(ModelFile, usize),
    /// A model's output column without a defining item (e.g. `*` over an unknown table).
    ModelOutput(String, String),
    /// A source column: `(key, column)`.
    Source(String, String),
}

/// How far a name is followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flow {
    /// Only where it is the very same column: references and `*` pass-through.
    SameColumn,
    /// Also through unaliased plain references, whose output is named after the column.
    Name,
}

/// Every place a column's name appears.
#[derive(Default)]
pub(super) struct Occurrences {
    /// Select items whose output name is the column's (definition first).
    pub items: Vec<(ModelFile, usize)>,
    /// Column references, in walk order.
    pub uses: Vec<FileRange>,
    /// The references among `uses` that are `USING (…)` join keys.
    pub join_keys: Vec<FileRange>,
    /// Model output columns that carry it, `(model file, column name)`.
    pub outputs: Vec<(ModelFile, String)>,
}

enum Work {
    Item(ModelFile, usize),
    Output(ModelFile, String),
    Source(String, String),
}

/// Walks a column's name through the project (see the module docs).
pub(super) fn column_occurrences(db: &dyn Db, start: Start, flow: Flow) -> Occurrences {
    let readers = hir::readers_index(db);
    let mut occ = Occurrences::default();
    let mut queue: VecDeque<Work> = VecDeque::new();
    queue.push_back(match start {
        Start::Item(f, i) => Work::Item(f, i),
        Start::ModelOutput(m, c) => match model_named(db, &m) {
            Some(f) => Work::Output(f, c),
            None => return occ,
        },
        Start::Source(k, c) => Work::Source(k, c),
    });
    let mut seen_items: HashSet<(ModelFile, usize)> = HashSet::new();
    let mut seen_outputs: HashSet<(ModelFile, String)> = HashSet::new();
    // Records the references matching `is_ref` in `file`, and queues what the name flows into.
    let visit = |file: ModelFile,
                 name: &str,
                 is_ref: &dyn Fn(&ColumnDef) -> bool,
                 queue: &mut VecDeque<Work>,
                 occ: &mut Occurrences| {
        let res = hir::model_resolutions(db, file);
        for (u, column) in res.columns.iter().enumerate() {
            if !is_ref(&column.def) || !column.name.eq_ignore_ascii_case(name) {
                continue;
            }
            let at = FileRange { path: file.path(db).clone(), range: column.range };
            if column.join_key {
                occ.join_keys.push(at.clone());
            }
            occ.uses.push(at);
            if flow == Flow::Name {
                for (j, item) in res.items.iter().enumerate() {
                    if item.passthrough == Some(u) {
                        queue.push_back(Work::Item(file, j));
                    }
                }
            }
        }
        for (out, def) in &res.outputs {
            if is_ref(def) && out.eq_ignore_ascii_case(name) {
                queue.push_back(Work::Output(file, out.clone()));
            }
        }
    };
    while let Some(work) = queue.pop_front() {
        match work {
            Work::Item(file, i) => {
                if !seen_items.insert((file, i)) {
                    continue;
                }
                let Some(name) = hir::model_resolutions(db, file).items.get(i).map(|it| it.name.clone()) else {
                    continue;
                };
                occ.items.push((file, i));
                visit(file, &name, &|d| *d == ColumnDef::Item(i), &mut queue, &mut occ);
            }
            Work::Output(file, column) => {
                if !seen_outputs.insert((file, column.to_lowercase())) {
                    continue;
                }
                occ.outputs.push((file, column.clone()));
                let model = hir::model_settings(db, file).name.clone();
                let is_ref = |d: &ColumnDef| {
                    matches!(d, ColumnDef::Model { model: m, column: c }
                        if m.eq_ignore_ascii_case(&model) && c.eq_ignore_ascii_case(&column))
                };
                for &dependent in readers.of_model(file) {
                    visit(dependent, &column, &is_ref, &mut queue, &mut occ);
                }
            }
            Work::Source(key, column) => {
                let is_ref = |d: &ColumnDef| matches!(d, ColumnDef::Source { key: k, column: c } if *k == key && c.eq_ignore_ascii_case(&column));
                for &file in readers.of_source(&key) {
                    visit(file, &column, &is_ref, &mut queue, &mut occ);
                }
            }
        }
    }
    occ
}

/// The select item a rename at `offset` changes, and the range of the name under the cursor.
fn rename_origin(db: &dyn Db, path: &str, offset: u32) -> Result<(ModelFile, usize, TextRange), String> {
    let not_a_column = || {
        "there is no column name here: rename works on a column (a select item's alias or a column reference)"
            .to_string()
    };
    let (file, res, symbol, range) = locate(db, path, offset).ok_or_else(not_a_column)?;
    let model = hir::model_settings(db, file).name.clone();
    let def = match symbol {
        Symbol::Item(i) => ColumnDef::Item(i),
        Symbol::Column(c) => match (res.columns.get(c).map(|u| &u.def), passthrough_item(res, c)) {
            // `SELECT amount FROM source`: the source column cannot change, the item's name can.
            (Some(ColumnDef::Source { .. } | ColumnDef::Unknown), Some(i)) => ColumnDef::Item(i),
            (Some(def), _) => def.clone(),
            (None, _) => return Err(not_a_column()),
        },
        _ => return Err(not_a_column()),
    };
    let name = match symbol {
        Symbol::Column(c) => res.columns.get(c).map(|u| u.name.clone()).unwrap_or_default(),
        _ => String::new(),
    };
    match column_target(res, &model, &def) {
        Some(ColumnTarget::Local { item }) => Ok((file, item, range)),
        Some(ColumnTarget::Model { model, column }) => match defining_item(db, &model, &column) {
            Some((f, i)) => Ok((f, i, range)),
            None => Err(format!(
                "`{column}` of `{model}` comes from a source or an unknown table through `*`; rename it where it is defined"
            )),
        },
        Some(ColumnTarget::Source { key, column }) => Err(format!(
            "`{column}` is a column of the source `{key}`: its name is defined by the warehouse, not by a model"
        )),
        None => Err(format!("Rocky cannot tell where `{name}` is defined (its table's columns are not known)")),
    }
}

/// `name` as an SQL identifier: as is when plain, else double-quoted with `"` doubled.
pub(super) fn sql_identifier(name: &str) -> Result<String, String> {
    if name.trim().is_empty() {
        return Err("the new name is empty".into());
    }
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::functions::is_keyword(name);
    Ok(if plain { name.to_string() } else { format!("\"{}\"", name.replace('"', "\"\"")) })
}

fn rename(db: &dyn Db, path: &str, offset: u32, new_name: &str) -> Result<Vec<TextEdit>, String> {
    let (file, item, _) = rename_origin(db, path, offset)?;
    let ident = sql_identifier(new_name)?;
    let occ = column_occurrences(db, Start::Item(file, item), Flow::Name);
    let origin = hir::model_resolutions(db, file).items.get(item).cloned().ok_or("the column is gone")?;
    let old = origin.name.clone();
    if old == new_name {
        return Ok(Vec::new());
    }
    let renamed: HashSet<(ModelFile, usize)> = occ.items.iter().copied().collect();
    let changes_name = !old.eq_ignore_ascii_case(new_name);
    for &(f, i) in &occ.items {
        let res = hir::model_resolutions(db, f);
        let Some(it) = res.items.get(i) else { continue };
        let clash = res.items.iter().enumerate().any(|(j, other)| {
            other.select == it.select && !renamed.contains(&(f, j)) && other.name.eq_ignore_ascii_case(new_name)
        }) || res
            .stars
            .iter()
            .any(|s| s.select == it.select && s.columns.iter().any(|c| c.eq_ignore_ascii_case(new_name)));
        if changes_name && clash {
            return Err(format!(
                "`{new_name}` is already a column of that SELECT in {}; pick another name",
                f.path(db)
            ));
        }
    }
    for (f, column) in &occ.outputs {
        let res = hir::model_resolutions(db, *f);
        let clash =
            res.outputs.iter().any(|(n, _)| !n.eq_ignore_ascii_case(column) && n.eq_ignore_ascii_case(new_name));
        if changes_name && clash {
            return Err(format!("`{new_name}` is already an output column of {}; pick another name", f.path(db)));
        }
    }
    if let Some(key) = occ.join_keys.first() {
        return Err(format!(
            "`{old}` is a USING join key in {}: renaming one side would break the join; join with ON first",
            key.path
        ));
    }
    let mut edits: BTreeSet<(String, TextRange, String)> = BTreeSet::new();
    let origin_path = file.path(db).clone();
    match origin.alias_range {
        Some(range) => edits.insert((origin_path, range, ident.clone())),
        None if origin.range.is_empty() => return Err(format!("Rocky does not know where `{old}` is written")),
        None => edits.insert((origin_path, TextRange::empty(origin.range.end), format!(" AS {ident}"))),
    };
    for u in occ.uses {
        edits.insert((u.path, u.range, ident.clone()));
    }
    Ok(edits.into_iter().map(|(path, range, new_text)| TextEdit { path, range, new_text }).collect())
}

/// The table alias or CTE at `offset`: `Ok(None)` when the cursor is on something else (a
/// column), `Err` on a table name Rocky cannot rename (a model, a source).
#[allow(clippy::type_complexity)]
fn local_at<'db>(
    db: &'db dyn Db,
    path: &str,
    offset: u32,
) -> Result<Option<(ModelFile, &'db hir::Resolutions, Local, TextRange)>, String> {
    let Some((file, res, symbol, range)) = locate(db, path, offset) else { return Ok(None) };
    Ok(local_symbol(res, symbol)?.map(|local| (file, res, local, range)))
}

impl Analysis {
    /// The range of the name at `offset` if it can be renamed (a column, a table alias, a CTE),
    /// or why not.
    pub fn prepare_rename(&self, path: &str, offset: u32) -> Cancellable<Result<TextRange, String>> {
        let path = path.to_string();
        self.with_db(move |db| match local_at(db, &path, offset)? {
            Some((file, res, local, range)) => rename_local::prepare(db, file, res, local).map(|()| range),
            None => rename_origin(db, &path, offset).map(|(_, _, range)| range),
        })
    }

    /// Renames the column at `offset` (a select item's alias, or a reference to a model's output
    /// column, which renames it where it is defined): edits the defining alias — or adds
    /// `AS new_name` to an unaliased item — and every reference in this and downstream models,
    /// following the name through `*` and unaliased references. Refuses source columns, columns
    /// whose definition is unknown, and names that would clash with another column. A table
    /// alias or a CTE is renamed in its file (definition, table references, qualifiers incl.
    /// `t.*`); refused when some use of the old name cannot be resolved, or when the new name
    /// already names a table or CTE there (or, for a CTE, a model it would hide).
    pub fn rename(&self, path: &str, offset: u32, new_name: &str) -> Cancellable<Result<Vec<TextEdit>, String>> {
        let (path, new_name) = (path.to_string(), new_name.to_string());
        self.with_db(move |db| match local_at(db, &path, offset)? {
            Some((file, res, local, _)) => rename_local::rename(db, file, res, local, &new_name),
            None => rename(db, &path, offset, &new_name),
        })
    }
}
