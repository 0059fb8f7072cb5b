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

/// One reader of a column: a model's output column derived from it, or a key use.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct ColumnConsumer {
    pub model: String,
    /// The output column derived from it; `None` when it is only a filter/join/group key there.
    pub column: Option<String>,
    pub kind: Option<DerivationKind>,
}

/// The readers of `table.column` one step downstream: every output column of a model that
/// reads the table and derives from the column, and every model that uses it only as a key. The
/// column matches case-insensitively. Sorted, without duplicates.
pub fn column_consumers(db: &dyn crate::base::Db, table: &LineageTable, column: &str) -> Vec<ColumnConsumer> {
    let is_it = |c: &ColumnRef| c.table == *table && c.column.eq_ignore_ascii_case(column);
    let mut out = Vec::new();
    for &reader in super::readers_index(db).of_table(db, table) {
        let lineage = super::model_lineage(db, reader);
        for col in &lineage.columns {
            out.extend(col.inputs.iter().filter(|i| is_it(&i.column)).map(|i| ColumnConsumer {
                model: lineage.model.clone(),
                column: Some(col.column.clone()),
                kind: Some(i.kind),
            }));
        }
        if lineage.key_columns.iter().any(is_it) {
            out.push(ColumnConsumer { model: lineage.model.clone(), column: None, kind: None });
        }
    }
    out.sort();
    out.dedup();
    out
}
