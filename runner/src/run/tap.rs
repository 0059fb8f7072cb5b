//! The write tap: every table the run describes goes into the schema cache, and each built
//! model's real columns are compared with what the analysis inferred (drift).

use std::collections::{BTreeMap, BTreeSet};

use rocky_analysis::dialect::Dialect;
use rocky_analysis::ModelSchema;

pub use crate::warehouse::cached_table;
use crate::warehouse::{DescribedTable, Warehouse, WarehouseColumn, WarehouseError};

/// What describing the sources found.
pub struct SourceScan {
    /// Every table of every schema a source lives in (one query per schema).
    pub tables: Vec<DescribedTable>,
    /// Source keys with no table in the warehouse.
    pub missing: BTreeSet<String>,
}

/// Describes the schemas holding `sources` (keys `catalog.schema.table`), one query per schema.
pub fn describe_sources(wh: &dyn Warehouse, sources: &BTreeSet<String>) -> Result<SourceScan, WarehouseError> {
    let mut schemas: BTreeMap<(String, String), ()> = BTreeMap::new();
    for key in sources {
        let mut parts = key.splitn(3, '.');
        if let (Some(c), Some(s), Some(_)) = (parts.next(), parts.next(), parts.next()) {
            schemas.insert((c.to_string(), s.to_string()), ());
        }
    }
    let mut tables = Vec::new();
    for (catalog, schema) in schemas.keys() {
        tables.extend(wh.describe_schema(catalog, schema)?);
    }
    let found: BTreeSet<String> = tables.iter().map(|t| t.name.key()).collect();
    let missing = sources.iter().filter(|k| !found.contains(&k.to_lowercase())).cloned().collect();
    Ok(SourceScan { tables, missing })
}

/// Differences between the inferred schema and the built table, one sentence each. Unknown
/// inferred types are not drift; extra warehouse columns count only when the inferred schema is
/// complete.
///
/// Nullability: a column the warehouse says is NOT NULL (a constraint, or what DuckDB proves for
/// a view) but the analysis infers nullable is drift. The other way round DESCRIBE proves
/// nothing (a `CREATE TABLE … AS` column is always nullable), so a column inferred NOT NULL is
/// drift only when the built table holds a NULL in it (`holding_nulls`, from the data).
///
/// The warehouse's type text is read, and types are printed, in the adapter's dialect
/// (`Dialect::parse_type` / `type_name`), so PostgreSQL's `character varying(40)` is compared as
/// the type it is and messages use the warehouse's names.
pub fn drift(
    dialect: Dialect,
    inferred: &ModelSchema,
    actual: &[WarehouseColumn],
    holding_nulls: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    for col in &inferred.columns {
        match actual.iter().find(|a| a.name.eq_ignore_ascii_case(&col.name)) {
            None => out.push(format!("column {} inferred, but the warehouse table has no such column", col.name)),
            Some(a) => {
                if col.ty.contains_unknown() {
                    continue;
                }
                let real = dialect.parse_type(&a.type_string);
                if real != col.ty {
                    let (inferred, real) = (dialect.type_name(&col.ty), dialect.type_name(&real));
                    out.push(format!("column {} inferred {inferred}, warehouse says {real}", col.name));
                }
                if col.nullable && !a.nullable {
                    out.push(format!("column {} inferred nullable, warehouse says NOT NULL", col.name));
                }
                if !col.nullable && holding_nulls.iter().any(|n| n.eq_ignore_ascii_case(&a.name)) {
                    out.push(format!("column {} inferred NOT NULL, but the built table holds NULLs in it", col.name));
                }
            }
        }
    }
    if !inferred.open {
        for a in actual {
            if inferred.column(&a.name).is_none() {
                out.push(format!("column {} is in the warehouse ({}) but was not inferred", a.name, a.type_string));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocky_analysis::{OutputColumn, Type};

    fn wcol(name: &str, ty: &str) -> WarehouseColumn {
        WarehouseColumn { name: name.into(), type_string: ty.into(), nullable: true }
    }

    fn icol(name: &str, ty: &str, nullable: bool) -> OutputColumn {
        OutputColumn { name: name.into(), ty: Type::parse(ty), nullable }
    }

    #[test]
    fn drift_compares_nullability_where_the_warehouse_can_tell() {
        let inferred = ModelSchema {
            columns: vec![icol("id", "INTEGER", false), icol("maybe", "INTEGER", true), icol("sure", "INTEGER", false)],
            open: false,
        };
        let strict = WarehouseColumn { nullable: false, ..wcol("maybe", "INTEGER") };
        let actual = vec![wcol("id", "INTEGER"), strict, wcol("SURE", "INTEGER")];
        assert_eq!(
            drift(Dialect::DuckDb, &inferred, &actual, &["SURE".to_string()]),
            vec![
                "column maybe inferred nullable, warehouse says NOT NULL",
                "column sure inferred NOT NULL, but the built table holds NULLs in it",
            ],
            "a nullable CTAS column inferred NOT NULL (id) is not drift without a NULL in it"
        );
    }

    #[test]
    fn drift_compares_names_and_types_but_not_unknowns() {
        let inferred = ModelSchema {
            columns: vec![
                OutputColumn { name: "id".into(), ty: Type::parse("INTEGER"), nullable: false },
                OutputColumn { name: "price".into(), ty: Type::parse("DECIMAL(18,2)"), nullable: true },
                OutputColumn { name: "blob".into(), ty: Type::Unknown, nullable: true },
                OutputColumn { name: "gone".into(), ty: Type::parse("VARCHAR"), nullable: true },
            ],
            open: false,
        };
        let actual = vec![wcol("ID", "INTEGER"), wcol("price", "DOUBLE"), wcol("blob", "JSON"), wcol("extra", "DATE")];
        assert_eq!(
            drift(Dialect::DuckDb, &inferred, &actual, &[]),
            vec![
                "column price inferred DECIMAL(18,2), warehouse says DOUBLE",
                "column gone inferred, but the warehouse table has no such column",
                "column extra is in the warehouse (DATE) but was not inferred",
            ]
        );
        let same = ModelSchema { columns: inferred.columns[..1].to_vec(), open: false };
        assert!(drift(Dialect::DuckDb, &same, &[wcol("id", "INT")], &[]).is_empty(), "INT and INTEGER are one type");
    }
}
