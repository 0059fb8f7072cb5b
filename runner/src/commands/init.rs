//! `rocky init NAME`: writes a small, runnable example project into a new folder, so
//! `rocky init shop && cd shop && rocky seed && rocky run` works end to end.

use std::path::{Path, PathBuf};

use super::{say, CommandResult, Failure};
use crate::cli::{GlobalArgs, InitAdapter, InitArgs};
use crate::exit;

/// The example project's files on DuckDB: (path inside the project, contents).
const FILES: [(&str, &str); 9] = [
    ("rocky.toml", include_str!("init_template/rocky.toml")),
    (".gitignore", include_str!("init_template/gitignore")),
    ("data/seed.sql", include_str!("init_template/seed.sql")),
    ("models/staging/stg_customers.sql", include_str!("init_template/stg_customers.sql")),
    ("models/staging/stg_customers.toml", include_str!("init_template/stg_customers.toml")),
    ("models/staging/stg_orders.sql", include_str!("init_template/stg_orders.sql")),
    ("models/staging/stg_orders.toml", include_str!("init_template/stg_orders.toml")),
    ("models/marts/customer_orders.sql", include_str!("init_template/customer_orders.sql")),
    ("models/marts/customer_orders.toml", include_str!("init_template/customer_orders.toml")),
];

/// What differs on PostgreSQL (no `CREATE OR REPLACE TABLE` in the seed, no `GROUP BY ALL`);
/// `{{NAME}}` in rocky.toml is the project name, which is also the database's.
const POSTGRES_FILES: [(&str, &str); 4] = [
    ("rocky.toml", include_str!("init_template/postgres/rocky.toml")),
    (".gitignore", include_str!("init_template/postgres/gitignore")),
    ("data/seed.sql", include_str!("init_template/postgres/seed.sql")),
    ("models/marts/customer_orders.sql", include_str!("init_template/postgres/customer_orders.sql")),
];

/// What differs on Spark (its seed's types and `USING parquet`, a Spark Connect rocky.toml, no
/// `GROUP BY ALL` so the example reads the same on every warehouse but DuckDB).
const SPARK_FILES: [(&str, &str); 4] = [
    ("rocky.toml", include_str!("init_template/spark/rocky.toml")),
    (".gitignore", include_str!("init_template/postgres/gitignore")),
    ("data/seed.sql", include_str!("init_template/spark/seed.sql")),
    ("models/marts/customer_orders.sql", include_str!("init_template/postgres/customer_orders.sql")),
];

/// The files of the example for `adapter`.
fn files(adapter: InitAdapter, name: &str) -> Vec<(&'static str, String)> {
    FILES
        .iter()
        .map(|(path, text)| {
            let overrides: &[(&str, &str)] = match adapter {
                InitAdapter::Duckdb => &[],
                InitAdapter::Postgres => &POSTGRES_FILES,
                InitAdapter::Spark => &SPARK_FILES,
            };
            let text = overrides.iter().find(|(p, _)| p == path).map_or(text, |(_, t)| t);
            (*path, text.replace("{{NAME}}", name))
        })
        .collect()
}

/// Longest accepted project folder name.
const MAX_NAME_LEN: usize = 64;

/// Accepts 1–64 letters, digits, `.`, `_` or `-`, not starting with `.` or `-` (a plain folder
/// name: no paths).
fn validate_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the project name is empty".into());
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(format!(
            "the project name is {} characters long; the limit is {MAX_NAME_LEN}",
            name.chars().count()
        ));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Err(format!("the project name `{name}` contains {c:?}"));
    }
    if name.starts_with(['.', '-']) {
        return Err(format!("the project name `{name}` starts with {:?}", &name[..1]));
    }
    Ok(())
}

/// Runs `rocky init` (in `-C DIR` when given, else the working directory).
pub fn run(global: &GlobalArgs, args: &InitArgs) -> CommandResult {
    validate_name(&args.name)
        .map_err(|m| Failure::usage(m, "use 1-64 letters, digits, `.`, `_` or `-`, e.g. `rocky init shop`"))?;
    let parent = global.project_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !parent.is_dir() {
        return Err(Failure::usage(
            format!("the folder {} does not exist", parent.display()),
            "create it first, or run `rocky init NAME` where the project should go",
        ));
    }
    let dir = parent.join(&args.name);
    let dir = dir.as_path();
    if dir.exists() {
        let empty = dir.is_dir() && std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Failure::usage(
                format!("{} already exists and is not an empty folder", dir.display()),
                "pick another name; `rocky init` never overwrites files",
            ));
        }
    }
    let write_failed = |path: &Path, e: std::io::Error| {
        Failure::error(format!("cannot write {}: {e}", path.display()), "check the folder's permissions and free space")
    };
    for (rel, text) in files(args.adapter, &args.name) {
        let path = dir.join(rel);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| write_failed(folder, e))?;
        }
        std::fs::write(&path, text).map_err(|e| write_failed(&path, e))?;
    }
    let shown = &args.name;
    say!("created the example project {shown}: 3 models (a view, an incremental model, a table) over 2 source tables");
    say!("\nnext:");
    say!("  cd {shown}");
    match args.adapter {
        InitAdapter::Duckdb => say!("  rocky seed     # load data/seed.sql into warehouse.duckdb"),
        InitAdapter::Postgres => {
            say!("  createdb {shown}   # the database (connection: PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass)");
            say!("  rocky seed     # load data/seed.sql into it");
        }
        InitAdapter::Spark => {
            say!("  # a Spark Connect server on sc://localhost:15002 (or SPARK_REMOTE / url in rocky.toml)");
            say!("  rocky seed     # create the raw tables on it from data/seed.sql");
        }
    }
    say!("  rocky run      # build the models (and cache the source schemas)");
    say!("  rocky check    # type-check every model; your editor's language server shows the same");
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::validate_name;

    #[test]
    fn names_are_validated() {
        for ok in ["shop", "my-project", "a.b_c", "x1"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a/b", "a b", "a'b", ".hidden", "-x", &"n".repeat(65)] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}
