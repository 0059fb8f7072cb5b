//! Name resolution of the token-level context ([`super::cursor`]) against the project: which
//! model, cached source, CTE or subquery a FROM entry reads, and the columns each provides. Works
//! while the SQL does not parse: column names come from select lists' tokens, types from type
//! inference when it ran, else from the tables plain column references name.

use sqlparser::tokenizer::Token;

use super::cursor::{RelationKind, Scan, SelectItem};
use super::{Analysis, Cancellable};
use crate::base::{Db, ModelFile};
use crate::diagnostics::TextRange;
use crate::hir;

impl Analysis {
    /// Runs `f` on the model file at `path`; the default result for files that are not models.
    pub(super) fn with_model<T: Default>(
        &self,
        path: &str,
        f: impl FnOnce(&dyn Db, ModelFile) -> T + std::panic::UnwindSafe,
    ) -> Cancellable<T> {
        let path = path.to_string();
        self.with_db(move |db| model_file(db, &path).map(|file| f(db, file)).unwrap_or_default())
    }
}

/// A type's display string, unless it is unknown (then editors show nothing rather than UNKNOWN).
fn known(dialect: crate::dialect::Dialect, ty: &crate::types::Type) -> Option<String> {
    (!ty.is_unknown()).then(|| dialect.type_name(ty))
}

/// Applies a column list (`cte(a, b)`, `alias(a, b)`): it renames the first columns; names beyond
/// the known columns are added without a type.
fn rename(columns: &mut Vec<ColumnInfo>, names: &[String]) {
    for (i, name) in names.iter().enumerate() {
        match columns.get_mut(i) {
            Some(c) => c.name = name.clone(),
            None => columns.push(ColumnInfo { name: name.clone(), ty: None }),
        }
    }
}

/// A model file by project-relative path.
pub(super) fn model_file(db: &dyn Db, path: &str) -> Option<ModelFile> {
    hir::files_by_path(db).get(path).copied().filter(|m| m.path(db) == path)
}

/// What a FROM entry reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Model(ModelFile),
    Source(String),
    /// Index into [`Scan::ctes`].
    Cte(usize),
    /// A subquery (its first SELECT, when it has one).
    Derived(Option<usize>),
    Unknown,
}

/// A column visible through a FROM entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ColumnInfo {
    pub name: String,
    /// The type's display string, when known.
    pub ty: Option<String>,
}

/// Resolves the names of one model's text against the project: FROM entries to models, sources
/// and CTEs, and those to their columns.
pub(super) struct Resolver<'a> {
    pub db: &'a dyn Db,
    pub scan: &'a Scan,
    /// Select items with their inferred types (empty while the text does not parse).
    pub items: &'a [hir::ItemDef],
    text: &'a str,
    /// Relations left to expand: `select * from a, a, a` over a self-referencing CTE would
    /// otherwise expand exponentially in the nesting depth.
    budget: std::cell::Cell<u32>,
}

/// Most relation expansions one request does.
const EXPANSION_BUDGET: u32 = 2_000;

/// How deep CTEs and subqueries are followed for `*` (bounds work on self-referencing CTEs).
const MAX_EXPANSION: u32 = 8;

impl<'a> Resolver<'a> {
    pub fn new(db: &'a dyn Db, file: ModelFile, scan: &'a Scan) -> Self {
        Resolver {
            db,
            scan,
            items: &hir::model_resolutions(db, file).items,
            text: file.sql(db),
            budget: std::cell::Cell::new(EXPANSION_BUDGET),
        }
    }

    /// The text of a range of the scanned model.
    pub fn scan_text(&self, range: TextRange) -> String {
        self.text.get(range.start as usize..range.end as usize).unwrap_or("").to_string()
    }

    /// What a written table name refers to (CTEs first, as DuckDB binds them).
    pub fn target_of_parts(&self, parts: &[String]) -> Target {
        if let [name] = parts {
            if let Some(c) = self.scan.ctes.iter().position(|c| c.name.eq_ignore_ascii_case(name)) {
                return Target::Cte(c);
            }
        }
        let lower: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        match hir::resolve_table(self.db, &lower) {
            hir::TableTarget::Model(m) => Target::Model(m),
            hir::TableTarget::Source(key) if hir::lookup_source(self.db, &key).is_some() => Target::Source(key),
            _ => Target::Unknown,
        }
    }

    pub fn target(&self, rel: usize) -> Target {
        match self.scan.relations.get(rel).map(|r| &r.kind) {
            Some(RelationKind::Named(parts)) => self.target_of_parts(parts),
            Some(RelationKind::Derived(sel)) => Target::Derived(*sel),
            _ => Target::Unknown,
        }
    }

    pub fn relation_columns(&self, rel: usize) -> Vec<ColumnInfo> {
        let mut columns = self.target_columns(&self.target(rel), 0);
        if let Some(r) = self.scan.relations.get(rel) {
            rename(&mut columns, &r.alias_columns);
        }
        columns
    }

    pub fn target_columns(&self, target: &Target, depth: u32) -> Vec<ColumnInfo> {
        let left = self.budget.get();
        if left == 0 {
            return Vec::new();
        }
        self.budget.set(left - 1);
        match target {
            Target::Model(m) => hir::model_schema(self.db, *m)
                .columns
                .iter()
                .map(|c| ColumnInfo { name: c.name.clone(), ty: known(*hir::project_dialect(self.db), &c.ty) })
                .collect(),
            Target::Source(key) => hir::lookup_source(self.db, key)
                .map(|s| {
                    let dialect = *hir::project_dialect(self.db);
                    s.columns.iter().map(|(n, t, _)| ColumnInfo { name: n.clone(), ty: known(dialect, t) }).collect()
                })
                .unwrap_or_default(),
            Target::Cte(c) => {
                let Some(cte) = self.scan.ctes.get(*c) else { return Vec::new() };
                let mut cols = cte.select.map(|s| self.select_columns(s, depth + 1)).unwrap_or_default();
                let names: Vec<String> = cte.columns.iter().map(|(n, _)| n.clone()).collect();
                rename(&mut cols, &names);
                cols
            }
            Target::Derived(Some(sel)) => self.select_columns(*sel, depth + 1),
            Target::Derived(None) | Target::Unknown => Vec::new(),
        }
    }

    /// The output columns of one SELECT as far as tokens (and inference, for types) tell.
    pub fn select_columns(&self, sel: usize, depth: u32) -> Vec<ColumnInfo> {
        if depth > MAX_EXPANSION {
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in self.scan.select_items(sel) {
            if item.star {
                out.extend(self.star_columns(sel, item.range, depth));
            } else if let Some(name) = item.name.clone() {
                out.push(ColumnInfo { name, ty: self.item_column_type(sel, &item, depth) });
            }
        }
        out
    }

    /// A select item's type: from inference, else (while the SQL does not parse) the type of
    /// the column a plain reference names.
    pub fn item_column_type(&self, sel: usize, item: &SelectItem, depth: u32) -> Option<String> {
        if let Some(t) = self.item_type(item.range) {
            return Some(t);
        }
        let (qualifier, column) = item.source.as_ref()?;
        let relations: Vec<usize> = match qualifier {
            Some(q) => vec![self.relation_named(Some(sel), std::slice::from_ref(q))?],
            None => self.scan.selects.get(sel)?.relations.clone(),
        };
        relations.into_iter().find_map(|r| {
            let mut columns = self.target_columns(&self.target(r), depth + 1);
            rename(&mut columns, &self.scan.relations[r].alias_columns);
            columns.into_iter().find(|c| c.name.eq_ignore_ascii_case(column)).and_then(|c| c.ty)
        })
    }

    /// The columns a `*` select item at `range` of SELECT `sel` stands for.
    pub fn select_columns_of_star(&self, sel: usize, range: TextRange) -> Vec<ColumnInfo> {
        self.star_columns(sel, range, 0)
    }

    /// `*` or `q.*` of a select item at `range`.
    fn star_columns(&self, sel: usize, range: TextRange, depth: u32) -> Vec<ColumnInfo> {
        let Some(info) = self.scan.selects.get(sel) else { return Vec::new() };
        let text_start = range.start;
        let qualifier = self.scan.toks.iter().find(|t| t.range.start == text_start).and_then(|t| {
            if matches!(t.token, Token::Word(_)) {
                t.word()
            } else {
                None
            }
        });
        info.relations
            .iter()
            .filter(|&&r| {
                qualifier
                    .is_none_or(|q| self.scan.relations[r].visible_name().is_some_and(|v| v.eq_ignore_ascii_case(q)))
            })
            .flat_map(|&r| {
                let mut columns = self.target_columns(&self.target(r), depth + 1);
                rename(&mut columns, &self.scan.relations[r].alias_columns);
                columns
            })
            .collect()
    }

    /// The inferred type of the select item covering `range`.
    pub fn item_type(&self, range: TextRange) -> Option<String> {
        self.items
            .iter()
            .filter(|it| it.range.start >= range.start && it.range.end <= range.end && !it.range.is_empty())
            .max_by_key(|it| it.range.len())
            .filter(|it| !it.ty.is_unknown())
            .map(|it| hir::project_dialect(self.db).type_name(&it.ty))
    }

    /// The SELECTs whose FROM entries are visible from `sel`, innermost first.
    pub fn scope_chain(&self, sel: Option<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = sel;
        while let Some(s) = cur {
            if out.contains(&s) || out.len() > 64 {
                break;
            }
            out.push(s);
            cur = self.scan.selects.get(s).and_then(|i| i.parent);
        }
        out
    }

    /// The FROM entry a qualifier (`o`, `orders`, `raw.orders`) names, searching outward.
    pub fn relation_named(&self, sel: Option<usize>, parts: &[String]) -> Option<usize> {
        for s in self.scope_chain(sel) {
            for &r in &self.scan.selects[s].relations {
                let rel = &self.scan.relations[r];
                let hit = match (parts, &rel.alias, &rel.kind) {
                    ([q], Some(a), _) => a.eq_ignore_ascii_case(q),
                    (_, None, RelationKind::Named(written)) => {
                        written.len() >= parts.len()
                            && written[written.len() - parts.len()..]
                                .iter()
                                .zip(parts)
                                .all(|(a, b)| a.eq_ignore_ascii_case(b))
                    }
                    _ => false,
                };
                if hit {
                    return Some(r);
                }
            }
        }
        None
    }
}
