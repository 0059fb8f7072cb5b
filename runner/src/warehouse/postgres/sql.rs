//! PostgreSQL's statements: the catalog queries (pg_catalog, so types come as the server prints
//! them with `format_type`: `integer`, `numeric(12,2)`, `character varying(40)`) and the
//! strategies' DML. Pure text: identifiers quoted, values as literals.

use crate::run::sql::column_list;
use crate::warehouse::{quote_ident, quote_literal, quote_table, TableName, WarehouseColumn};

/// Relation kinds Rocky reads: tables, views, materialized views, partitioned and foreign tables.
const RELKINDS: &str = "('r', 'v', 'm', 'p', 'f')";

/// Every column of the tables and views of schema `schema` (compared case-insensitively, as
/// Rocky's keys are), or only of `table`: rows of `(database, schema, table, column, type,
/// nullable 't'/'f')` in column order.
pub fn columns(schema: &str, table: Option<&str>) -> String {
    let table_filter =
        table.map(|t| format!(" AND lower(c.relname) = lower({})", quote_literal(t))).unwrap_or_default();
    columns_where(&format!("lower(n.nspname) = lower({}){table_filter}", quote_literal(schema)))
}

/// [`columns`] of several tables at once (`(schema, table)` pairs, compared as there).
pub fn columns_of(tables: &[&TableName]) -> String {
    let pairs: Vec<String> = tables
        .iter()
        .map(|t| format!("(lower({}), lower({}))", quote_literal(&t.schema), quote_literal(&t.table)))
        .collect();
    columns_where(&format!("(lower(n.nspname), lower(c.relname)) IN ({})", pairs.join(", ")))
}

fn columns_where(filter: &str) -> String {
    format!(
        "SELECT current_database(), n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid \
         WHERE c.relkind IN {RELKINDS} AND a.attnum > 0 AND NOT a.attisdropped AND {filter} \
         ORDER BY n.nspname, c.relname, a.attnum"
    )
}

/// User schemas of the database.
pub const SCHEMAS: &str = "SELECT current_database(), nspname FROM pg_catalog.pg_namespace \
     WHERE nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast') \
     AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' ORDER BY 2";

/// Functions of the user schemas (not procedures): name, parameter types (a JSON array), result
/// type (empty for a set-returning one, which a query reads in FROM).
pub const USER_FUNCTIONS: &str = "SELECT p.proname, \
     array_to_json(ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) AS t))::text, \
     CASE WHEN p.proretset THEN '' ELSE pg_catalog.format_type(p.prorettype, NULL) END \
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
     WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%' \
     AND p.prokind IN ('f', 'a', 'w') ORDER BY 1, 2";

/// Tables and views of one schema.
pub fn tables(schema: &str) -> String {
    format!(
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN {RELKINDS} AND lower(n.nspname) = lower({}) ORDER BY 1",
        quote_literal(schema)
    )
}

/// Whether `target` exists, and its kind and whether views depend on it: one row
/// `(relkind, 't'/'f')`, or none. Asked again when a swap found [`relations`]' answer stale.
pub fn relation(target: &TableName) -> String {
    format!(
        "SELECT c.relkind::text, {HAS_VIEWS} FROM pg_catalog.pg_class c WHERE c.oid = to_regclass({})",
        quote_literal(&quote_table_local(target))
    )
}

/// Every relation of schema `schema` (exact name): rows `(name, relkind, 't'/'f' whether views
/// depend on it)`, the [`relation`] probe for a whole schema at once. The swaps of one schema's
/// models start from this list instead of probing before each build.
pub fn relations(schema: &str) -> String {
    format!(
        "SELECT c.relname, c.relkind::text, {HAS_VIEWS} \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = {}",
        quote_literal(schema)
    )
}

/// Whether views (other than the relation's own rule) depend on relation `c`.
const HAS_VIEWS: &str = "EXISTS (SELECT 1 FROM pg_catalog.pg_depend p JOIN pg_catalog.pg_rewrite r ON r.oid = p.objid \
     WHERE p.classid = 'pg_catalog.pg_rewrite'::regclass AND p.refobjid = c.oid AND r.ev_class <> c.oid)";

/// The views that depend on `target`, directly or through other views (found through
/// `pg_depend` → `pg_rewrite`), as `("schema"."name", definition)`, those that depend on others
/// after them. PostgreSQL binds a view to its tables, so a rebuilt table would take them along:
/// they are dropped and created again from their definitions in the same transaction.
pub fn dependent_views(target: &TableName) -> String {
    format!(
        "WITH RECURSIVE old(oid) AS (SELECT to_regclass({old})::oid), \
         d(oid, depth) AS ( \
           SELECT r.ev_class, 1 FROM pg_catalog.pg_depend p JOIN pg_catalog.pg_rewrite r ON r.oid = p.objid \
           WHERE p.classid = 'pg_catalog.pg_rewrite'::regclass AND p.refobjid = (SELECT oid FROM old) \
           AND r.ev_class <> (SELECT oid FROM old) \
           UNION ALL \
           SELECT r.ev_class, d.depth + 1 FROM d JOIN pg_catalog.pg_depend p ON p.refobjid = d.oid \
           JOIN pg_catalog.pg_rewrite r ON r.oid = p.objid \
           WHERE p.classid = 'pg_catalog.pg_rewrite'::regclass AND r.ev_class <> d.oid AND d.depth < 100) \
         SELECT format('%I.%I', n.nspname, c.relname), rtrim(pg_catalog.pg_get_viewdef(c.oid), E'; \\n') \
         FROM d JOIN pg_catalog.pg_class c ON c.oid = d.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'v' GROUP BY c.oid, n.nspname, c.relname \
         ORDER BY max(d.depth), 1",
        old = quote_literal(&quote_table_local(target))
    )
}

/// `MERGE` (PostgreSQL ≥ 15) on `unique_key`; new rows are inserted by column name.
pub fn merge(
    target: &TableName,
    sql: &str,
    unique_key: &[String],
    update_columns: &[String],
    columns: &[WarehouseColumn],
) -> String {
    let (on, matched) = crate::run::sql::merge_match(unique_key, update_columns);
    format!(
        "MERGE INTO {} AS \"rocky_target\"\nUSING (\n{sql}\n) AS \"rocky_source\"\nON {on}\n{matched}\nWHEN NOT MATCHED THEN INSERT ({}) VALUES ({})\n",
        quote_table(target),
        column_list(columns, ""),
        column_list(columns, "\"rocky_source\".")
    )
}

/// `"schema"."table"` (PostgreSQL resolves `regclass` within the current database).
fn quote_table_local(target: &TableName) -> String {
    format!("{}.{}", quote_ident(&target.schema), quote_ident(&target.table))
}
