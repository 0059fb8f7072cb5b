use crate::types::Type;

/// One output column of a model or query. No spans inside: equality means "nothing a dependent
/// model can observe changed", which is what lets salsa stop re-checking at this boundary.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct OutputColumn {
    pub name: String,
    #[serde(serialize_with = "crate::types::serialize_type")]
    pub ty: Type,
    pub nullable: bool,
}

/// A model's inferred output schema.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct ModelSchema {
    pub columns: Vec<OutputColumn>,
    /// More columns may exist than are listed (`SELECT *` over a table whose columns are not
    /// known); readers then accept unknown names as Unknown instead of reporting them.
    pub open: bool,
}

impl ModelSchema {
    /// Case-insensitive lookup, as DuckDB resolves identifiers.
    pub fn column(&self, name: &str) -> Option<&OutputColumn> {
        self.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }
}
