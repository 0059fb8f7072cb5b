//! `rocky seed [--force]`: runs `data/seed.sql` on the local warehouse when source tables the
//! models read are missing (always with `--force`), then caches the columns of the sources'
//! schemas so `rocky check` types them.

use std::collections::BTreeSet;

use super::{connect, say, CommandResult, Failure};
use crate::cli::{GlobalArgs, SeedArgs};
use crate::exit;
use crate::project::{self, now_ms};
use crate::run::tap::{cached_table, describe_sources};
use crate::warehouse::TableName;

/// The seed script, relative to the project root.
pub const SEED_FILE: &str = "data/seed.sql";

/// Runs `rocky seed`.
pub fn run(global: &GlobalArgs, args: &SeedArgs) -> CommandResult {
    let mut project = project::open(global, &project::start_dir(global, None))?;
    let models = project
        .loaded
        .host
        .analysis()
        .models()
        .map_err(|_| Failure::error("the analysis was interrupted", "run the command again"))?;
    let sources: BTreeSet<String> = models.iter().flat_map(|m| m.sources.iter().cloned()).collect();

    let warehouse = connect::open(&project)?;
    let before = describe_sources(warehouse.as_ref(), &sources).map_err(connect::failure)?;
    if before.missing.is_empty() && !args.force {
        say!("all {} source tables exist; nothing to do (`rocky seed --force` runs {SEED_FILE} anyway)", sources.len());
        return Ok(exit::OK);
    }
    let seed_path = project.root().join(SEED_FILE);
    if !seed_path.is_file() {
        return Err(Failure::usage(
            format!("{} does not exist; missing source tables: {}", seed_path.display(), join(&before.missing)),
            format!(
                "write {SEED_FILE} to create them (CREATE TABLE …; INSERT …), or load them into the warehouse another way"
            ),
        ));
    }
    let script = rocky_loader::read_text(&seed_path)
        .map_err(|e| Failure::error(format!("cannot read {}: {e}", seed_path.display()), e.hint()))?;
    let tables_before = connect::all_tables(warehouse.as_ref())?;
    warehouse.execute_script(&script).map_err(|e| {
        let mut f = connect::failure(e);
        f.message = format!("{SEED_FILE} failed: {}", f.message);
        f
    })?;
    let created: Vec<String> = connect::all_tables(warehouse.as_ref())?
        .iter()
        .filter(|t| !tables_before.contains(t))
        .map(TableName::to_string)
        .collect();
    let listed = if created.is_empty() { String::new() } else { format!(": {}", created.join(", ")) };
    say!("ran {SEED_FILE}: created {} tables{listed}", created.len());

    // Cache the sources' schemas, so `rocky check` types the sources right away.
    let after = describe_sources(warehouse.as_ref(), &sources).map_err(connect::failure)?;
    // The seed may define macros the models call: cached beside the tables.
    let now = now_ms();
    let catalog = connect::warehouse_catalog(warehouse.as_ref(), now);
    drop(warehouse);
    if project.config().schema_cache.enabled && !after.tables.is_empty() {
        let entries: Vec<_> = after.tables.iter().map(|t| cached_table(&t.name, &t.columns, now)).collect();
        project.state.write_schemas(&entries)?;
        say!("cached the columns of {} tables in {}", entries.len(), project.state.path().display());
    }
    if let Some(catalog) = catalog.filter(|_| project.config().schema_cache.enabled) {
        catalog.write(&project.state)?;
        if !catalog.functions.is_empty() || !catalog.types.is_empty() {
            let (functions, types) = (catalog.functions.len(), catalog.types.len());
            say!("cached {functions} warehouse functions (macros, UDFs) and {types} types the models may use");
        }
    }
    if !after.missing.is_empty() {
        return Err(Failure::error(
            format!("{SEED_FILE} ran, but source tables the models read are still missing: {}", join(&after.missing)),
            format!("create them in {SEED_FILE}, or fix the table names in the models"),
        ));
    }
    say!("next: `rocky run` builds the models");
    Ok(exit::OK)
}

fn join(keys: &BTreeSet<String>) -> String {
    keys.iter().cloned().collect::<Vec<_>>().join(", ")
}
