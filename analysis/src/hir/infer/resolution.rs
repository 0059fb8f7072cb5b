//! The resolution index: what every identifier of a model's SQL resolved to, recorded by the
//! inference walker for the IDE (hover, definition, references, rename, hints). It carries spans,
//! so it lives only in [`super::ModelInference`] (which changes on every edit anyway) and never in
//! the schema, lineage or dependency results that dependents read.

use crate::diagnostics::TextRange;
use crate::hir::LineageInput;
use crate::types::Type;

/// Where a column's value is defined.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ColumnDef {
    /// An output column of another model (a plain reference, or `*` passing it through).
    Model { model: String, column: String },
    /// A column of a source table (`key` is the schema-cache key).
    Source { key: String, column: String },
    /// A select item of this model's SQL: index into [`Resolutions::items`].
    Item(usize),
    /// Nothing known (open relation without origin, table function, VALUES, …).
    #[default]
    Unknown,
}

/// What a table reference or FROM item binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingTarget {
    Model(String),
    /// A source table by schema-cache key.
    Source(String),
    /// A CTE: index into [`Resolutions::ctes`].
    Cte(usize),
    /// A parenthesised subquery or join.
    Derived,
    /// A table function, UNNEST, PIVOT, …
    Function,
    /// A name that resolves to nothing.
    Unknown,
}

/// One FROM item (or `TABLE name`): the name as written, its alias, and what it binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableBinding {
    /// The whole table name as written (`raw.orders`); `None` for subqueries and functions.
    pub name_range: Option<TextRange>,
    pub target: BindingTarget,
    /// `AS o`: the alias and its range.
    pub alias: Option<(String, TextRange)>,
}

/// A CTE definition `name AS (…)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CteBinding {
    pub name: String,
    pub name_range: TextRange,
    /// From the name to the closing parenthesis.
    pub range: TextRange,
    /// Its columns: name, type, nullable.
    pub columns: Vec<(String, Type, bool)>,
}

/// One column reference in an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnUse {
    /// The column name identifier (without qualifier or struct fields).
    pub range: TextRange,
    /// The name as written.
    pub name: String,
    /// The qualifier's range (`o` of `o.id`) and the binding it names, if any.
    pub qualifier: Option<(TextRange, Option<usize>)>,
    pub def: ColumnDef,
    pub ty: Type,
    pub nullable: bool,
    /// A `USING (…)` join key: it names the column of both sides at once.
    pub join_key: bool,
}

/// One select item (one per alias of `AS (a, b)` items), or a `*` expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemDef {
    /// The output name.
    pub name: String,
    /// The whole item (expression and alias).
    pub range: TextRange,
    /// The alias identifier, when the item has one.
    pub alias_range: Option<TextRange>,
    /// Which SELECT list it belongs to (items of one SELECT share the number).
    pub select: usize,
    /// An unaliased plain column reference (`SELECT o.amount`): its index in
    /// [`Resolutions::columns`]; the item's name is that column's name, so a rename flows on.
    pub passthrough: Option<usize>,
    pub ty: Type,
    pub nullable: bool,
    pub lineage: Vec<LineageInput>,
}

/// A `*` / `t.*` select item and how many columns it expanded to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StarDef {
    /// The `*` itself.
    pub range: TextRange,
    /// `t` of `t.*`: its range and the binding it names, if any.
    pub qualifier: Option<(TextRange, Option<usize>)>,
    pub select: usize,
    pub columns: Vec<String>,
    /// More columns may exist (an open relation).
    pub open: bool,
}

/// A function call's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionUse {
    pub range: TextRange,
    /// Lower-cased name.
    pub name: String,
}

/// Every resolution of one model's SQL.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Resolutions {
    pub tables: Vec<TableBinding>,
    pub ctes: Vec<CteBinding>,
    pub columns: Vec<ColumnUse>,
    pub items: Vec<ItemDef>,
    pub stars: Vec<StarDef>,
    pub functions: Vec<FunctionUse>,
    /// The model's output columns (table names, after de-duplication) and where each is defined.
    pub outputs: Vec<(String, ColumnDef)>,
}

/// The lengths of a [`Resolutions`]' lists at one moment, to forget a trial walk.
#[derive(Clone, Copy, Debug)]
pub struct ResolutionMark([usize; 6]);

impl Resolutions {
    pub fn mark(&self) -> ResolutionMark {
        ResolutionMark([
            self.tables.len(),
            self.ctes.len(),
            self.columns.len(),
            self.items.len(),
            self.stars.len(),
            self.functions.len(),
        ])
    }

    /// Forgets everything recorded since `mark`.
    pub fn truncate(&mut self, mark: ResolutionMark) {
        let [tables, ctes, columns, items, stars, functions] = mark.0;
        self.tables.truncate(tables);
        self.ctes.truncate(ctes);
        self.columns.truncate(columns);
        self.items.truncate(items);
        self.stars.truncate(stars);
        self.functions.truncate(functions);
    }
}
