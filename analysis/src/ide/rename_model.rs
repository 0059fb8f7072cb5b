//! Rename of a model: every table reference to it across the project (bare names, and the table
//! part of qualified references when its target table follows its name), qualifiers that name
//! it, `depends_on` entries, and where the name comes from — the sidecar's `name`, or the file
//! stem (then the model file and its sidecar are renamed, which only the editor can do).

use std::collections::BTreeSet;

use super::cursor::lex;
use super::navigation::{locate, model_at, model_named, Symbol, TextEdit};
use super::rename::sql_identifier;
use super::{Analysis, Cancellable};
use crate::base::{Db, ModelFile};
use crate::config::parse_model_config;
use crate::diagnostics::TextRange;
use crate::hir::{self, BindingTarget};

/// A model a rename at some position would rename, and the range of its name there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ModelNameAt {
    pub model: String,
    pub range: TextRange,
}

/// A file to move (project-relative paths).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FileRename {
    pub from: String,
    pub to: String,
}

/// What renaming a model changes: text edits (in the files as they are now) and file moves,
/// applied after the edits.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ModelRename {
    pub edits: Vec<TextEdit>,
    pub files: Vec<FileRename>,
}

impl Analysis {
    /// The model a rename at `offset` of `path` renames: a table reference to a model (or a
    /// qualifier naming one), the start of a model's own query (where "go to definition"
    /// lands: a comment header or the first keyword), or the `name` value in its sidecar.
    pub fn model_name_at(&self, path: &str, offset: u32) -> Cancellable<Option<ModelNameAt>> {
        let path = path.to_string();
        self.with_db(move |db| model_name_at(db, &path, offset))
    }

    /// Renames model `model` to `new_name` (see the module docs). Refuses an invalid or taken
    /// name, a name set in a `_defaults.toml`, and — when `can_rename_files` is false — a model
    /// named by its file.
    pub fn rename_model(
        &self,
        model: &str,
        new_name: &str,
        can_rename_files: bool,
    ) -> Cancellable<Result<ModelRename, String>> {
        let (model, new_name) = (model.to_string(), new_name.to_string());
        self.with_db(move |db| rename_model(db, &model, &new_name, can_rename_files))
    }
}

fn model_name_at(db: &dyn Db, path: &str, offset: u32) -> Option<ModelNameAt> {
    let Some(file) = model_at(db, path) else { return sidecar_name_at(db, path, offset) };
    let sql = file.sql(db);
    if let Some((_, res, symbol, range)) = locate(db, path, offset) {
        let binding = match symbol {
            Symbol::Table(t) => res.tables.get(t),
            Symbol::Alias(t) => res.tables.get(t).filter(|b| b.alias.is_none()),
            _ => None,
        };
        return match &binding?.target {
            BindingTarget::Model(m) => {
                Some(ModelNameAt { model: m.clone(), range: last_word(sql, range).map_or(range, |(r, _)| r) })
            }
            _ => None,
        };
    }
    // Its own file: before or on the query's first token (a comment header, `select`, `with`).
    let first = lex(sql).into_iter().find(|t| !t.is_trivia()).map(|t| t.range)?;
    (offset <= first.end).then(|| ModelNameAt { model: hir::model_settings(db, file).name.clone(), range: first })
}

/// The model whose sidecar is `path`, when `offset` is on its `name` value.
fn sidecar_name_at(db: &dyn Db, path: &str, offset: u32) -> Option<ModelNameAt> {
    let file = hir::files_by_path(db).get(path).copied()?;
    let (sidecar, range) = sidecar_name(db, file)?;
    (sidecar == path && range.start <= offset && offset <= range.end)
        .then(|| ModelNameAt { model: hir::model_settings(db, file).name.clone(), range })
}

/// The sidecar path and the range of its `name = "…"` value, when the sidecar sets it.
fn sidecar_name(db: &dyn Db, file: ModelFile) -> Option<(String, TextRange)> {
    let sidecar = file.sidecar(db).as_ref()?;
    let name = parse_model_config(&sidecar.path, &sidecar.text).0.name?;
    Some((sidecar.path.clone(), name.range))
}

/// The last identifier in `range` of `text` (the table part of `schema.table`) and whether it
/// is quoted.
fn last_word(text: &str, range: TextRange) -> Option<(TextRange, bool)> {
    let slice = text.get(range.start as usize..range.end as usize)?;
    let word = lex(slice).into_iter().rev().find(|t| t.word().is_some())?;
    let r = TextRange::new(range.start + word.range.start, range.start + word.range.end);
    Some((r, word.is_quoted()))
}

/// A valid model name: it becomes a file name and a bare table name in SQL.
fn check_name(name: &str) -> Result<(), String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid model name: use letters, digits and `_`, starting with a letter or `_` (it becomes the file name)"
        ))
    }
}

/// `path` with its file stem replaced by `stem` (the extension kept).
fn with_stem(path: &str, stem: &str) -> String {
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    let renamed = if ext.is_empty() { stem.to_string() } else { format!("{stem}.{ext}") };
    if dir.is_empty() {
        renamed
    } else {
        format!("{dir}/{renamed}")
    }
}

fn rename_model(db: &dyn Db, old: &str, new_name: &str, can_rename_files: bool) -> Result<ModelRename, String> {
    let file = model_named(db, old).ok_or_else(|| format!("there is no model `{old}`"))?;
    let settings = hir::model_settings(db, file);
    let old = settings.name.clone();
    check_name(new_name)?;
    if old == new_name {
        return Ok(ModelRename::default());
    }
    if let Some(other) = model_named(db, new_name).filter(|f| *f != file) {
        return Err(format!("`{new_name}` is already the name of a model ({}); pick another name", other.path(db)));
    }
    // The target's table follows the name unless it is configured.
    let target_follows = settings.config.target.table.is_none();
    if target_follows {
        let mut target = settings.target.clone();
        target.table = new_name.to_string();
        if let Some(other) = hir::model_index(db).by_target(&target.key()).filter(|f| *f != file) {
            return Err(format!(
                "`{target}` is already the target of the model in {}; pick another name",
                other.path(db)
            ));
        }
    }

    let mut edits: BTreeSet<(String, TextRange, String)> = BTreeSet::new();
    let mut files = Vec::new();
    match sidecar_name(db, file) {
        Some((sidecar, range)) => {
            edits.insert((sidecar, range, format!("\"{new_name}\"")));
        }
        None if settings.config.name.is_some() => {
            return Err(format!(
                "`{old}` gets its name from `name` in a `_defaults.toml`; give it its own name in its sidecar first"
            ));
        }
        None if !can_rename_files => {
            return Err(format!(
                "`{old}` is named after its file, and this editor cannot rename files for a language server: rename {} to {new_name}.sql yourself, or set `name = \"{new_name}\"` in its sidecar",
                file.path(db)
            ));
        }
        None => {
            let to = with_stem(file.path(db), new_name);
            if hir::files_by_path(db).get(&to).is_some_and(|f| *f != file) {
                return Err(format!("{to} already exists; pick another name"));
            }
            files.push(FileRename { from: file.path(db).clone(), to });
            if let Some(sidecar) = file.sidecar(db) {
                files.push(FileRename { from: sidecar.path.clone(), to: with_stem(&sidecar.path, new_name) });
            }
        }
    }

    let ident = sql_identifier(new_name)?;
    let quoted = format!("\"{new_name}\"");
    for &reader in hir::readers_index(db).of_model(file) {
        let res = hir::model_resolutions(db, reader);
        let sql = reader.sql(db);
        let path = reader.path(db);
        let qualifiers: Vec<(TextRange, Option<usize>)> =
            res.columns.iter().map(|c| c.qualifier).chain(res.stars.iter().map(|s| s.qualifier)).flatten().collect();
        for (t, b) in res.tables.iter().enumerate() {
            let is_it = matches!(&b.target, BindingTarget::Model(m) if m.eq_ignore_ascii_case(&old));
            let Some(name_range) = b.name_range.filter(|_| is_it) else { continue };
            let qualified = lex(sql.get(name_range.start as usize..name_range.end as usize).unwrap_or(""))
                .iter()
                .filter(|t| t.word().is_some())
                .count()
                > 1;
            if qualified && !target_follows {
                continue; // names the configured target, which does not change
            }
            let mut ranges = vec![name_range];
            if b.alias.is_none() {
                ranges.extend(qualifiers.iter().filter(|(_, q)| *q == Some(t)).map(|(r, _)| *r));
            }
            for range in ranges {
                if let Some((word, was_quoted)) = last_word(sql, range) {
                    let text = if was_quoted { quoted.clone() } else { ident.clone() };
                    edits.insert((path.clone(), word, text));
                }
            }
        }
    }
    for &m in db.project().models(db) {
        let config = &hir::model_settings(db, m).config;
        let (Some(list), Some(from)) = (&config.depends_on, &config.depends_on_file) else { continue };
        for entry in list.iter().filter(|e| e.value.eq_ignore_ascii_case(&old)) {
            edits.insert((from.clone(), entry.range, quoted.clone()));
        }
    }
    let edits = edits.into_iter().map(|(path, range, new_text)| TextEdit { path, range, new_text }).collect();
    Ok(ModelRename { edits, files })
}
