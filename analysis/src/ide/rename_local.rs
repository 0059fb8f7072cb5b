//! Rename of a table alias or a CTE: names that live in one model's SQL, so every edit is in
//! that file. The resolution index says which qualifiers and table references name the binding;
//! before renaming, every token spelling the old name must be accounted for (renamed, or known
//! to be something else), so a use the walker did not record makes the rename refuse instead of
//! leaving a dangling name.

use super::cursor::lex;
use super::navigation::{model_named, Symbol};
use super::rename::sql_identifier;
use super::TextEdit;
use crate::base::{Db, ModelFile};
use crate::diagnostics::TextRange;
use crate::hir::{BindingTarget, Resolutions};

/// A name local to one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Local {
    /// The alias of FROM item `tables[i]`.
    Alias(usize),
    /// `ctes[i]`.
    Cte(usize),
}

/// What renaming `symbol` would rename locally: `Ok(None)` when it is not a table name at all
/// (a column: see `rename.rs`), `Err` when it is one Rocky cannot rename here.
pub(super) fn local_symbol(res: &Resolutions, symbol: Symbol) -> Result<Option<Local>, String> {
    let binding = match symbol {
        Symbol::Cte(c) => return Ok(Some(Local::Cte(c))),
        Symbol::Alias(t) | Symbol::Table(t) => t,
        _ => return Ok(None),
    };
    let Some(b) = res.tables.get(binding) else { return Ok(None) };
    match (&b.alias, &b.target, symbol) {
        (Some(_), _, Symbol::Alias(_)) => Ok(Some(Local::Alias(binding))),
        (_, BindingTarget::Cte(c), _) => Ok(Some(Local::Cte(*c))),
        (_, BindingTarget::Model(m), _) => Err(format!(
            "`{m}` is a model: a model rename (`rename_model`) changes its references and its file or sidecar `name`"
        )),
        (_, BindingTarget::Source(key), _) => {
            Err(format!("`{key}` is a source table: its name is defined by the warehouse, not by a model"))
        }
        _ => Err("Rocky cannot rename this table reference".into()),
    }
}

/// The name, and every range to rewrite (the definition first).
fn occurrences(res: &Resolutions, local: Local) -> Option<(String, Vec<TextRange>)> {
    // Qualifiers (`o` of `o.id`, `o.*`) that name binding `t`.
    let qualifiers_of = |t: usize| {
        let columns = res.columns.iter().map(|c| c.qualifier);
        columns
            .chain(res.stars.iter().map(|s| s.qualifier))
            .flatten()
            .filter(move |(_, b)| *b == Some(t))
            .map(|(r, _)| r)
    };
    match local {
        Local::Alias(t) => {
            let (name, range) = res.tables.get(t)?.alias.clone()?;
            let mut ranges = vec![range];
            ranges.extend(qualifiers_of(t));
            Some((name, ranges))
        }
        Local::Cte(c) => {
            let cte = res.ctes.get(c)?;
            let mut ranges = vec![cte.name_range];
            for (t, b) in res.tables.iter().enumerate().filter(|(_, b)| b.target == BindingTarget::Cte(c)) {
                ranges.extend(b.name_range);
                if b.alias.is_none() {
                    ranges.extend(qualifiers_of(t));
                }
            }
            Some((cte.name.clone(), ranges))
        }
    }
}

/// Every range the resolution index knows a name at (to tell other symbols from missed uses).
fn known_ranges(res: &Resolutions) -> Vec<TextRange> {
    let mut out: Vec<TextRange> = Vec::new();
    for t in &res.tables {
        out.extend(t.name_range);
        out.extend(t.alias.as_ref().map(|(_, r)| *r));
    }
    out.extend(res.ctes.iter().map(|c| c.name_range));
    for c in &res.columns {
        out.push(c.range);
        out.extend(c.qualifier.map(|(r, _)| r));
    }
    out.extend(res.stars.iter().filter_map(|s| s.qualifier.map(|(r, _)| r)));
    out.extend(res.items.iter().filter_map(|i| i.alias_range));
    out.extend(res.functions.iter().map(|f| f.range));
    out
}

fn inside(r: TextRange, outer: &TextRange) -> bool {
    outer.start <= r.start && r.end <= outer.end
}

/// The range of the name under the cursor if the rename can be done safely, or why not.
pub(super) fn prepare(db: &dyn Db, file: ModelFile, res: &Resolutions, local: Local) -> Result<(), String> {
    let (old, ranges) = occurrences(res, local).ok_or("the name is gone")?;
    let text = file.sql(db);
    let known = known_ranges(res);
    for tok in lex(text) {
        let Some(word) = tok.word() else { continue };
        let same = if tok.is_quoted() { word == old } else { word.eq_ignore_ascii_case(&old) };
        if !same || ranges.iter().any(|r| inside(tok.range, r)) {
            continue;
        }
        // Another symbol spelled the same (a column `o`, another scope's alias `o`) is fine; a
        // use the resolution index does not know is not.
        if !known.iter().any(|r| inside(tok.range, r) && !ranges.contains(r)) {
            let line = text.get(..tok.range.start as usize).map_or(0, |before| before.matches('\n').count()) + 1;
            return Err(format!(
                "`{old}` on line {line} is a use Rocky cannot resolve; rename by hand (or fix the query first)"
            ));
        }
    }
    Ok(())
}

/// The edits renaming `local` to `new_name`, or why not.
pub(super) fn rename(
    db: &dyn Db,
    file: ModelFile,
    res: &Resolutions,
    local: Local,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    prepare(db, file, res, local)?;
    let ident = sql_identifier(new_name)?;
    let (old, ranges) = occurrences(res, local).ok_or("the name is gone")?;
    if old == new_name {
        return Ok(Vec::new());
    }
    if !old.eq_ignore_ascii_case(new_name) {
        // The new name must not already name a table in this file: it could capture references.
        let text = file.sql(db);
        let visible = res.tables.iter().filter_map(|b| match &b.alias {
            Some((alias, _)) => Some(alias.clone()),
            None => b.name_range.and_then(|r| text.get(r.start as usize..r.end as usize)).map(|n| {
                let last = n.rsplit('.').next().unwrap_or(n);
                last.trim_matches('"').to_string()
            }),
        });
        let taken = visible.chain(res.ctes.iter().map(|c| c.name.clone())).any(|n| n.eq_ignore_ascii_case(new_name));
        if taken {
            return Err(format!("`{new_name}` already names a table or CTE in this file; pick another name"));
        }
        if matches!(local, Local::Cte(_)) && model_named(db, new_name).is_some() {
            return Err(format!("`{new_name}` is a model: a CTE of that name would hide it; pick another name"));
        }
    }
    let path = file.path(db).clone();
    let mut edits: Vec<TextEdit> =
        ranges.into_iter().map(|range| TextEdit { path: path.clone(), range, new_text: ident.clone() }).collect();
    edits.sort_by_key(|e| e.range);
    edits.dedup();
    Ok(edits)
}
