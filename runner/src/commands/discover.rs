//! `rocky discover [--with-schemas]`: what the warehouse holds; with `--with-schemas`, every
//! table's columns (one query per schema) are written into the schema cache, so `rocky check`
//! and the editor type sources without a warehouse.

use serde_json::json;

use super::{connect, print_json, say, CommandResult, Failure};
use crate::cli::{DiscoverArgs, GlobalArgs};
use crate::exit;
use crate::project::{self, now_ms};
use crate::run::tap::cached_table;

/// Runs `rocky discover`.
pub fn run(global: &GlobalArgs, args: &DiscoverArgs) -> CommandResult {
    let project = project::open(global, &project::start_dir(global, None))?;
    let Some(warehouse) = connect::open_existing(&project)? else {
        let path = project.config().adapter.path.clone().unwrap_or_default();
        return Err(Failure::usage(
            format!("the warehouse {} does not exist yet", project.root().join(path).display()),
            "create it with `rocky seed` (runs data/seed.sql) or `rocky run`, or fix `path` in [adapter] of rocky.toml",
        ));
    };
    let schemas = warehouse.list_schemas().map_err(connect::failure)?;
    let mut listing = Vec::new();
    for (catalog, schema) in &schemas {
        let tables = warehouse.list_tables(catalog, schema).map_err(connect::failure)?;
        listing.push((catalog.clone(), schema.clone(), tables));
    }
    let table_count: usize = listing.iter().map(|(_, _, t)| t.len()).sum();

    // With --with-schemas: DESCRIBE every schema that has tables, then write them in one go.
    let enabled = project.config().schema_cache.enabled;
    let mut cached = None;
    if args.with_schemas && enabled {
        let now = now_ms();
        let mut entries = Vec::new();
        for (catalog, schema, tables) in &listing {
            if tables.is_empty() {
                continue;
            }
            for t in warehouse.describe_schema(catalog, schema).map_err(connect::failure)? {
                entries.push(cached_table(&t.name, &t.columns, now));
            }
        }
        let catalog = connect::warehouse_catalog(warehouse.as_ref(), now);
        drop(warehouse);
        project.state.write_schemas(&entries)?;
        if let Some(catalog) = &catalog {
            catalog.write(&project.state)?;
        }
        let columns: usize = entries.iter().map(|e| e.columns.len()).sum();
        let schemas_described = listing.iter().filter(|(_, _, t)| !t.is_empty()).count();
        let (functions, types) = catalog.map_or((0, 0), |c| (c.functions.len(), c.types.len()));
        cached = Some((entries.len(), columns, schemas_described, functions, types));
    }

    if args.json {
        let schemas: Vec<_> = listing.iter().map(|(c, s, t)| json!({"catalog": c, "schema": s, "tables": t})).collect();
        let cache = match cached {
            Some((tables, columns, schemas, functions, types)) => json!({
                "written": true, "path": project.state.path(), "tables": tables, "columns": columns, "schemas": schemas,
                "functions": functions, "types": types,
            }),
            None => json!({"written": false, "enabled": enabled}),
        };
        print_json(&json!({"version": 1, "schemas": schemas, "tables": table_count, "schema_cache": cache}));
        return Ok(exit::OK);
    }
    say!("{} schemas, {table_count} tables", listing.len());
    for (catalog, schema, tables) in &listing {
        let shown = if tables.is_empty() { "(no tables)".to_string() } else { tables.join(", ") };
        say!("  {catalog}.{schema}: {shown}");
    }
    match cached {
        Some((tables, columns, schemas, functions, types)) => say!(
            "\ncached {tables} tables ({columns} columns) from {schemas} schemas, {functions} warehouse functions and \
             {types} types in {}",
            project.state.path().display()
        ),
        None if args.with_schemas => {
            say!("\nthe schema cache is disabled ([cache.schemas] enabled = false in rocky.toml): nothing was written")
        }
        None => say!("\ncache their columns for `rocky check` and the editor with `rocky discover --with-schemas`"),
    }
    Ok(exit::OK)
}
