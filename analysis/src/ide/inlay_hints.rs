//! Inlay hints: the inferred type after every select item.

use super::navigation::model_at;
use super::{Analysis, Cancellable};
use crate::diagnostics::TextRange;
use crate::dialect::Dialect;
use crate::hir;
use crate::types::Type;

/// A label the editor shows after byte `offset`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InlayHint {
    /// Show the label after this byte.
    pub offset: u32,
    pub label: String,
    pub tooltip: Option<String>,
}

/// The compact type label used by hints and hover tables: the warehouse's type name, with a
/// trailing `?` when the value may be NULL — `BIGINT` (never NULL), `VARCHAR?` (nullable); on
/// PostgreSQL `bigint`, `character varying(40)?`.
pub(super) fn type_label(dialect: Dialect, ty: &Type, nullable: bool) -> String {
    let name = dialect.type_name(ty);
    if nullable {
        format!("{name}?")
    } else {
        name
    }
}

impl Analysis {
    /// Type hints for a model file, sorted by offset, optionally only those inside `range`:
    /// - after every select item of every SELECT (CTEs, subqueries, both sides of set operations),
    ///   its type as [`type_label`] prints it (`BIGINT`, `VARCHAR?`); none when the type is
    ///   Unknown (uncached source, unknown table or function);
    /// - after every `*` / `t.*`, the number of columns it expands to (`3 columns`, `1 column`),
    ///   their names in the tooltip; none when the expansion is open (unknown columns).
    pub fn inlay_hints(&self, path: &str, range: Option<TextRange>) -> Cancellable<Vec<InlayHint>> {
        let path = path.to_string();
        self.with_db(move |db| {
            let Some(file) = model_at(db, &path) else { return Vec::new() };
            let res = hir::model_resolutions(db, file);
            let dialect = *hir::project_dialect(db);
            let mut hints: Vec<InlayHint> = Vec::new();
            for item in &res.items {
                if item.range.is_empty() || item.ty.is_unknown() {
                    continue;
                }
                let null = if item.nullable { "nullable" } else { "never NULL" };
                hints.push(InlayHint {
                    offset: item.range.end,
                    label: type_label(dialect, &item.ty, item.nullable),
                    tooltip: Some(format!("`{}`: {} ({null})", item.name, dialect.type_name(&item.ty))),
                });
            }
            for star in &res.stars {
                if star.open || star.range.is_empty() {
                    continue;
                }
                let n = star.columns.len();
                hints.push(InlayHint {
                    offset: star.range.end,
                    label: format!("{n} column{}", if n == 1 { "" } else { "s" }),
                    tooltip: Some(star.columns.join(", ")),
                });
            }
            if let Some(r) = range {
                hints.retain(|h| r.start <= h.offset && h.offset <= r.end);
            }
            hints.sort_by_key(|h| h.offset);
            hints
        })
    }
}
