//! Files a failed `CREATE TABLE … AS` left behind. Spark aborts a failing write while some of its
//! tasks are still running, and a task that finishes after the abort can recreate part of the
//! table's directory; Spark then refuses every later `CREATE` of that name
//! (`LOCATION_ALREADY_EXISTS`) until someone removes the directory by hand. When the directory is
//! the new table's own default location and holds nothing a table would read (only the aborted
//! write's hidden `_temporary` files), the adapter removes it itself — Spark Connect offers no
//! file operations, so through a managed table pointed at it and dropped — and creates the table
//! once more. Anything else is reported, with what to do.

use std::sync::atomic::Ordering;

use rocky_spark_connect::SparkError;

use super::{sql, SparkWarehouse, BUILD_COUNTER};
use crate::warehouse::{quote_table, TableName, WarehouseError};

impl SparkWarehouse {
    /// `CREATE TABLE target AS query`, clearing the files of an earlier failed build of
    /// `target` when Spark finds them in the way.
    pub(super) fn create_table(&self, target: &TableName, query: &str) -> Result<(), SparkError> {
        let create = sql::create_table(target, self.shared.table_format.as_deref(), query);
        let first = self.shared.block_on(self.session.sql_tagged(&create, &self.tag));
        let mut e = match first {
            Ok(_) => return Ok(()),
            Err(e) if e.error_class.as_deref() == Some("LOCATION_ALREADY_EXISTS") => e,
            Err(e) => return Err(e),
        };
        let Some(location) = leftover_location(&e.message, target) else { return Err(e) };
        if let Err(clear) = self.clear_location(target, location) {
            e.message.push_str(&format!(" (Rocky left it alone: {})", clear.detail()));
            return Err(e);
        }
        self.shared.block_on(self.session.sql_tagged(&create, &self.tag)).map(|_| ())
    }

    /// Deletes directory `location` (which no table owns) in `target`'s schema: a managed table
    /// is created, pointed at it and dropped, and Spark deletes a dropped managed table's files.
    /// The directory the table was created with stays empty; created and dropped once more, the
    /// table takes that one with it too.
    fn clear_location(&self, target: &TableName, location: &str) -> Result<(), WarehouseError> {
        let holder = TableName {
            table: format!("rocky_leftovers_{}_{}", std::process::id(), BUILD_COUNTER.fetch_add(1, Ordering::Relaxed)),
            ..target.clone()
        };
        // Committed data is never touched: only what a failed write leaves (hidden files).
        let count = sql::count_data_files(location);
        let files = self.run(&count)?;
        if files.scalar() != Some("0") {
            let detail =
                format!("{location} holds data files ({}), not only an aborted write's", files.scalar().unwrap_or("?"));
            return Err(WarehouseError::Statement { sql: count, detail });
        }
        let drop = format!("DROP TABLE IF EXISTS {}", quote_table(&holder));
        self.run(&sql::create_placeholder(&holder))?;
        let moved = self.run(&sql::set_location(&holder, location));
        self.run(&drop)?;
        moved?;
        self.run(&sql::create_placeholder(&holder))?;
        self.run(&drop).map(|_| ())
    }
}

/// The directory a `LOCATION_ALREADY_EXISTS` message names, when it is `target`'s own default
/// location (`…/<schema>.db/<table>`, Spark's lower-case names): anything else is left alone.
fn leftover_location<'m>(message: &'m str, target: &TableName) -> Option<&'m str> {
    let start = message.find("location '")? + "location '".len();
    let location = &message[start..];
    let location = &location[..location.find('\'')?];
    let expected = format!("/{}.db/{}", target.schema.to_lowercase(), target.table.to_lowercase());
    let trimmed = location.trim_end_matches('/');
    (trimmed.to_lowercase().ends_with(&expected) && !location.contains("..")).then_some(location)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(schema: &str, name: &str) -> TableName {
        TableName { catalog: "spark_catalog".into(), schema: schema.into(), table: name.into() }
    }

    #[test]
    fn only_the_targets_own_default_location_is_recognized() {
        let message = "[LOCATION_ALREADY_EXISTS] Cannot name the managed table as `spark_catalog`.`m`.`fresh`, \
                       as its associated location 'file:/tmp/w/m.db/fresh' already exists. Please pick …";
        assert_eq!(leftover_location(message, &table("m", "fresh")), Some("file:/tmp/w/m.db/fresh"));
        assert_eq!(leftover_location(message, &table("M", "Fresh")), Some("file:/tmp/w/m.db/fresh"));
        assert_eq!(leftover_location(message, &table("m", "other")), None, "another table's directory");
        assert_eq!(leftover_location(message, &table("x", "fresh")), None, "another schema's directory");
        let parent = message.replace("m.db/fresh'", "m.db'");
        assert_eq!(leftover_location(&parent, &table("m", "fresh")), None, "never the schema's directory");
        let sneaky = message.replace("w/m.db/fresh'", "w/../m.db/fresh'");
        assert_eq!(leftover_location(&sneaky, &table("m", "fresh")), None);
        assert_eq!(leftover_location("location 'unterminated", &table("m", "fresh")), None);
        assert_eq!(leftover_location("no location here", &table("m", "fresh")), None);
    }
}
