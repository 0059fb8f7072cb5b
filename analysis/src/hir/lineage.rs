//! Column lineage types: which input columns each output column derives from, and how.

/// How an output column derives from an input column. Ordered from "closest to a copy" to
/// "furthest"; when several paths exist the furthest one is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivationKind {
    /// The same column under the same name.
    Copy,
    /// The same column under another name.
    Rename,
    /// A CAST / TRY_CAST / `::` of the column.
    Cast,
    /// Any other expression over the column.
    Expression,
    /// An aggregate over the column.
    Aggregate,
    /// A window function over the column.
    Window,
}

/// The table a lineage edge reaches: a model by name or a source by schema-cache key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum LineageTable {
    Model(String),
    Source(String),
}

/// A column of a model or source.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct ColumnRef {
    pub table: LineageTable,
    pub column: String,
}

/// One input of an output column.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct LineageInput {
    pub column: ColumnRef,
    pub kind: DerivationKind,
}

/// The direct inputs of one output column (one step; follow them upstream for the full chain).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ColumnLineage {
    pub column: String,
    pub inputs: Vec<LineageInput>,
}

/// Column lineage of one model.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct ModelLineage {
    pub model: String,
    /// One entry per output column, in output order.
    pub columns: Vec<ColumnLineage>,
    /// Columns read only as filter, join or grouping keys (WHERE, ON, GROUP BY, HAVING, QUALIFY).
    pub key_columns: Vec<ColumnRef>,
}
