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

/// For every model or source column, the models that read it (one step downstream).
///
/// Keyed by table and lower-cased column name, so a lineage walk finds a column's readers in
/// O(log n) per step however large the project (hover walks it on every request).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DownstreamIndex {
    consumers: std::collections::BTreeMap<ColumnRef, Vec<ColumnConsumer>>,
}

impl DownstreamIndex {
    /// The readers of `table.column`; the column matches case-insensitively.
    pub fn consumers_of(&self, table: &LineageTable, column: &str) -> &[ColumnConsumer] {
        let key = Self::key(table.clone(), column);
        self.consumers.get(&key).map(Vec::as_slice).unwrap_or_default()
    }

    fn key(table: LineageTable, column: &str) -> ColumnRef {
        ColumnRef { table, column: column.to_lowercase() }
    }

    fn add(&mut self, column: &ColumnRef, consumer: ColumnConsumer) {
        let key = Self::key(column.table.clone(), &column.column);
        self.consumers.entry(key).or_default().push(consumer);
    }
}

/// Inverts every model's lineage. Depends on all lineages: computed on demand (hover, lineage
/// commands), never on the keystroke path. Each `model_lineage` backdates when unchanged, so
/// edits that keep a model's lineage don't rebuild it.
#[salsa::tracked(returns(ref))]
pub fn downstream_index(db: &dyn crate::base::Db) -> DownstreamIndex {
    let mut index = DownstreamIndex::default();
    for &file in db.project().models(db) {
        let lineage = super::model_lineage(db, file);
        for col in &lineage.columns {
            for input in &col.inputs {
                let consumer = ColumnConsumer {
                    model: lineage.model.clone(),
                    column: Some(col.column.clone()),
                    kind: Some(input.kind),
                };
                index.add(&input.column, consumer);
            }
        }
        for key in &lineage.key_columns {
            index.add(key, ColumnConsumer { model: lineage.model.clone(), column: None, kind: None });
        }
    }
    for list in index.consumers.values_mut() {
        list.sort();
        list.dedup();
    }
    index
}
