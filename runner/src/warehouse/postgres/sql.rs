//! PostgreSQL's statements: the catalog queries (pg_catalog, so types come as the server prints
//! them with `format_type`: `integer`, `numeric(12,2)`, `character varying(40)`) and the
//! strategies' DML. Pure text: identifiers quoted, values as literals.

use crate::warehouse::{quote_ident, quote_literal, quote_table, TableName, WarehouseColumn};

/// Relation kinds Rocky reads: tables, views, materialized views, partitioned and foreign tables.
const RELKINDS: &str = "('r', 'v', 'm', 'p', 'f')";

/// Every column of the tables and views of schema `schema` (compared case-insensitively, as
/// Rocky's keys are), or only of `table`: rows of `(database, schema, table, column, type,
/// nullable 't'/'f')` in column order.
pub fn columns(schema: &str, table: Option<&str>) -> String {
    let table_filter =
        table.map(|t| format!(" AND lower(c.relname) = lower({})", quote_literal(t))).unwrap_or_default();
    format!(
        "SELECT current_database(), n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid \
         WHERE c.relkind IN {RELKINDS} AND a.attnum > 0 AND NOT a.attisdropped \
         AND lower(n.nspname) = lower({}){table_filter} \
         ORDER BY n.nspname, c.relname, a.attnum",
        quote_literal(schema)
    )
}

/// User schemas of the database.
pub const SCHEMAS: &str = "SELECT current_database(), nspname FROM pg_catalog.pg_namespace \
     WHERE nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast') \
     AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' ORDER BY 2";

/// Tables and views of one schema.
pub fn tables(schema: &str) -> String {
    format!(
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN {RELKINDS} AND lower(n.nspname) = lower({}) ORDER BY 1",
        quote_literal(schema)
    )
}

/// Puts the relation `temp` (just built) in the place of `target`, server-side in one PL/pgSQL
/// block (no round trips): the old relation, whatever its kind, is dropped, `temp` renamed, and
/// the views that depended on the old one (directly or through other views, found through
/// `pg_depend` → `pg_rewrite`) are dropped first and created again from their definitions after.
/// PostgreSQL binds a view to its tables, so without this a rebuilt table would take them along.
/// Sent in the same simple-query message as the build, it runs in that statement's implicit
/// transaction: all or nothing.
pub fn swap_in(temp: &TableName, target: &TableName) -> String {
    let body = format!(
        "DECLARE
  old regclass := to_regclass({old});
  kind \"char\";
  old_name text;
  deps text[] := '{{}}';
  defs text[] := '{{}}';
  v record;
BEGIN
  IF old IS NOT NULL THEN
    SELECT c.relkind, old::text INTO kind, old_name FROM pg_catalog.pg_class c WHERE c.oid = old;
    FOR v IN
      WITH RECURSIVE d(oid, depth) AS (
        SELECT r.ev_class, 1 FROM pg_catalog.pg_depend p JOIN pg_catalog.pg_rewrite r ON r.oid = p.objid
        WHERE p.classid = 'pg_catalog.pg_rewrite'::regclass AND p.refobjid = old AND r.ev_class <> old
        UNION ALL
        SELECT r.ev_class, d.depth + 1 FROM d JOIN pg_catalog.pg_depend p ON p.refobjid = d.oid
        JOIN pg_catalog.pg_rewrite r ON r.oid = p.objid
        WHERE p.classid = 'pg_catalog.pg_rewrite'::regclass AND r.ev_class <> d.oid AND d.depth < 100)
      SELECT format('%I.%I', n.nspname, c.relname) AS name, rtrim(pg_catalog.pg_get_viewdef(c.oid), E'; \\n') AS def
      FROM d JOIN pg_catalog.pg_class c ON c.oid = d.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'v' GROUP BY c.oid, n.nspname, c.relname ORDER BY max(d.depth), 1
    LOOP
      deps := deps || v.name;
      defs := defs || v.def;
    END LOOP;
    FOR i IN REVERSE coalesce(array_length(deps, 1), 0)..1 LOOP
      EXECUTE 'DROP VIEW IF EXISTS ' || deps[i];
    END LOOP;
    EXECUTE CASE kind WHEN 'v' THEN 'DROP VIEW ' WHEN 'm' THEN 'DROP MATERIALIZED VIEW ' ELSE 'DROP TABLE ' END || old_name;
  END IF;
  EXECUTE {rename};
  FOR i IN 1..coalesce(array_length(deps, 1), 0) LOOP
    EXECUTE 'CREATE VIEW ' || deps[i] || ' AS ' || defs[i];
  END LOOP;
END",
        old = quote_literal(&quote_table_local(target)),
        rename = quote_literal(&format!("ALTER TABLE {} RENAME TO {}", quote_table_local(temp), quote_ident(&target.table))),
    );
    let mut tag = "$rocky$".to_string();
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$rocky{n}$");
    }
    format!("DO {tag}\n{body}\n{tag}")
}

/// Appends the rows of `sql` newer than `watermark` into `target`'s `columns`, by name (the
/// literal is cast to the column's type by the server).
pub fn insert_newer(target: &TableName, sql: &str, ts: &str, watermark: &str, columns: &[WarehouseColumn]) -> String {
    let cols = column_list(columns, "");
    format!(
        "INSERT INTO {} ({cols})\nSELECT {cols} FROM (\n{sql}\n) AS \"rocky_new\"\nWHERE {} > {}\n",
        quote_table(target),
        quote_ident(ts),
        quote_literal(watermark)
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
    let on: Vec<String> = unique_key
        .iter()
        .map(|k| format!("\"rocky_target\".{k} IS NOT DISTINCT FROM \"rocky_source\".{k}", k = quote_ident(k)))
        .collect();
    let matched = if update_columns.is_empty() {
        "WHEN MATCHED THEN DO NOTHING".to_string()
    } else {
        let set: Vec<String> =
            update_columns.iter().map(|c| format!("{c} = \"rocky_source\".{c}", c = quote_ident(c))).collect();
        format!("WHEN MATCHED THEN UPDATE SET {}", set.join(", "))
    };
    format!(
        "MERGE INTO {} AS \"rocky_target\"\nUSING (\n{sql}\n) AS \"rocky_source\"\nON {}\n{matched}\nWHEN NOT MATCHED THEN INSERT ({}) VALUES ({})\n",
        quote_table(target),
        on.join(" AND "),
        column_list(columns, ""),
        column_list(columns, "\"rocky_source\".")
    )
}

fn column_list(columns: &[WarehouseColumn], prefix: &str) -> String {
    columns.iter().map(|c| format!("{prefix}{}", quote_ident(&c.name))).collect::<Vec<_>>().join(", ")
}

/// `"schema"."table"` (PostgreSQL resolves `regclass` within the current database).
fn quote_table_local(target: &TableName) -> String {
    format!("{}.{}", quote_ident(&target.schema), quote_ident(&target.table))
}
