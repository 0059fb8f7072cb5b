//! DuckDB's built-in views (`duckdb_tables`, `information_schema.columns`,
//! `pg_catalog.pg_class`…): every DuckDB database has them, so a query reading one is typed from
//! the catalog generated from `duckdb_functions.jsonl` (`duckdb_columns()` of the engine), not
//! reported as an unknown table.

use super::resolution::ColumnDef;
use super::scope::Column;
use super::walker::Infer;
use crate::functions::Catalog;
use crate::hir::LineageTable;
use crate::types::Type;

impl Infer<'_> {
    /// The columns of the built-in view `parts` (lower case) names, with the source key it is
    /// known by (`system.main.duckdb_tables`): a bare name is looked up in `main`, then
    /// `pg_catalog` (DuckDB's search path); `information_schema` must be named.
    pub(super) fn system_view(&self, parts: &[String]) -> Option<(String, Vec<Column>)> {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            return None;
        }
        let catalog = Catalog::duckdb();
        let (schema, name, columns) = match parts {
            [name] => ["main", "pg_catalog"]
                .into_iter()
                .find_map(|s| catalog.system_view(s, name).map(|c| (s.to_string(), name, c)))?,
            [schema, name] => (schema.clone(), name, catalog.system_view(schema, name)?),
            [system, schema, name] if system == "system" => (schema.clone(), name, catalog.system_view(schema, name)?),
            _ => return None,
        };
        let key = format!("system.{schema}.{name}");
        let columns = columns
            .iter()
            .map(|c| {
                let def = ColumnDef::Source { key: key.clone(), column: c.name.clone() };
                Column::stored(LineageTable::Source(key.clone()), def, &c.name, Type::parse(&c.type_string), c.nullable)
            })
            .collect();
        Some((key, columns))
    }
}
