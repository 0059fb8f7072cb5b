//! `rocky branch create|delete|list|show`. A branch is a record in the state file; `rocky run
//! --branch NAME` builds its models into schemas `branch__NAME__<schema>`, and `delete` drops
//! those schemas before forgetting the branch.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};

use rocky_state::{branch_schema_prefix, validate_branch_name, Branch};
use serde_json::json;

use super::time_format::{ago, timestamp};
use super::{connect, print_json, say, CommandResult, Failure};
use crate::cli::{BranchAction, BranchArgs, GlobalArgs};
use crate::exit;
use crate::project::{self, now_ms, Project};

/// Runs `rocky branch …`.
pub fn run(global: &GlobalArgs, args: &BranchArgs) -> CommandResult {
    // Validate before touching anything: names reach SQL as part of schema names.
    if let BranchAction::Create { name, .. } | BranchAction::Delete { name, .. } | BranchAction::Show { name, .. } =
        &args.action
    {
        validate_branch_name(name)
            .map_err(|e| Failure::usage(e.to_string(), "e.g. `rocky branch create fix-price`"))?;
    }
    let project = project::open(global, &project::start_dir(global, None))?;
    match &args.action {
        BranchAction::Create { name, json } => create(&project, name, *json),
        BranchAction::Delete { name, yes, json } => delete(&project, name, *yes, *json),
        BranchAction::List { json } => list(&project, *json),
        BranchAction::Show { name, json } => show(&project, name, *json),
    }
}

/// Who is creating the branch: the OS account of the effective user (`whoami` reads it from the
/// user database, so it is right under `sudo` and where `$USER` is unset, e.g. in containers and
/// CI), else `$USER` / `$USERNAME`, else `unknown`.
fn current_user() -> String {
    whoami::username()
        .ok()
        .into_iter()
        .chain(["USER", "USERNAME"].iter().filter_map(|v| std::env::var(v).ok()))
        .find(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The prefix every schema of the branch starts with: `branch__NAME__`.
fn schema_prefix_of(branch: &Branch) -> String {
    format!("{}__", branch.schema_prefix)
}

fn create(project: &Project, name: &str, as_json: bool) -> CommandResult {
    let branch = Branch {
        name: name.to_string(),
        schema_prefix: branch_schema_prefix(name),
        created_at_ms: now_ms(),
        created_by: current_user(),
    };
    project.state.create_branch(&branch)?;
    if as_json {
        print_json(&json!({"version": 1, "created": branch}));
    } else {
        say!("created branch {name}: its models build into schemas {}<schema>", schema_prefix_of(&branch));
        say!("build it with `rocky run --branch {name}`");
    }
    Ok(exit::OK)
}

/// The recorded branch, or a "not found" failure that says how to create it.
fn find(project: &Project, name: &str) -> Result<Branch, Failure> {
    let found = if project.state.exists() { project.state.branch(name)? } else { None };
    found.ok_or_else(|| {
        Failure::usage(
            format!("no branch `{name}` in {}", project.state.path().display()),
            format!("create it with `rocky branch create {name}`, or list branches with `rocky branch list`"),
        )
    })
}

fn show(project: &Project, name: &str, as_json: bool) -> CommandResult {
    let branch = find(project, name)?;
    if as_json {
        print_json(&json!({"version": 1, "branch": branch}));
    } else {
        say!("branch {}", branch.name);
        say!("  schemas     {}<schema>", schema_prefix_of(&branch));
        say!("  created     {} ({})", timestamp(branch.created_at_ms), ago(branch.created_at_ms, now_ms()));
        say!("  created by  {}", branch.created_by);
    }
    Ok(exit::OK)
}

fn list(project: &Project, as_json: bool) -> CommandResult {
    let branches = if project.state.exists() { project.state.branches()? } else { Vec::new() };
    if as_json {
        print_json(&json!({"version": 1, "branches": branches}));
    } else if branches.is_empty() {
        say!("no branches; create one with `rocky branch create NAME`");
    } else {
        let now = now_ms();
        for b in &branches {
            say!(
                "{}  schemas {}<schema>  created {} by {}",
                b.name,
                schema_prefix_of(b),
                ago(b.created_at_ms, now),
                b.created_by
            );
        }
    }
    Ok(exit::OK)
}

/// Whether `schema` belongs to the branch with `prefix` (`branch__NAME__`), not to a longer
/// branch name sharing it (`others`). Case-insensitive: schema-cache keys are lower-cased.
fn in_branch_schema(schema: &str, prefix: &str, others: &[String]) -> bool {
    let schema = schema.to_lowercase();
    schema.starts_with(&prefix.to_lowercase()) && !others.iter().any(|o| schema.starts_with(&o.to_lowercase()))
}

fn delete(project: &Project, name: &str, yes: bool, as_json: bool) -> CommandResult {
    let branch = find(project, name)?;
    let prefix = schema_prefix_of(&branch);
    // A longer branch name can share this prefix (`a` and `a__b`): leave that branch's schemas alone.
    let others: Vec<String> = project
        .state
        .branches()?
        .iter()
        .filter(|b| b.name != branch.name)
        .map(schema_prefix_of)
        .filter(|p| p.starts_with(&prefix))
        .collect();
    // No warehouse yet: the branch has no schemas to drop.
    let warehouse = connect::open_existing(project)?;
    let schemas: Vec<(String, String)> = match &warehouse {
        None => Vec::new(),
        Some(w) => w
            .list_schemas()
            .map_err(connect::failure)?
            .into_iter()
            .filter(|(_, s)| in_branch_schema(s, &prefix, &others))
            .collect(),
    };
    let names: Vec<String> = schemas.iter().map(|(_, s)| s.clone()).collect();

    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::usage(
                format!("deleting branch `{name}` drops {} schemas and needs confirmation", schemas.len()),
                format!("run it on a terminal to be asked, or pass --yes: `rocky branch delete {name} --yes`"),
            ));
        }
        let listed = if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) };
        eprint!("Drop {} schemas{listed} and forget branch {name}? [y/N] ", schemas.len());
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            eprintln!("nothing deleted");
            return Ok(exit::OK);
        }
    }
    if let Some(w) = &warehouse {
        for (catalog, schema) in &schemas {
            connect::drop_schema(w.as_ref(), catalog, schema)?;
        }
    }
    drop(warehouse);
    // The dropped tables must not linger in the schema cache (the editor would still offer them):
    // the schemas dropped now, and any cached from an earlier build whose schema is already gone.
    let mut cached_schemas: BTreeSet<(String, String)> = schemas.iter().cloned().collect();
    for table in project.state.read_schema_cache()? {
        let mut parts = table.key.splitn(3, '.');
        if let (Some(catalog), Some(schema), Some(_)) = (parts.next(), parts.next(), parts.next()) {
            if in_branch_schema(schema, &prefix, &others) {
                cached_schemas.insert((catalog.to_string(), schema.to_string()));
            }
        }
    }
    let cached_schemas: Vec<(String, String)> = cached_schemas.into_iter().collect();
    let uncached = project.state.delete_cached_schemas(&cached_schemas)?;
    project.state.delete_branch(name)?;
    if as_json {
        print_json(&json!({
            "version": 1, "deleted": name, "dropped_schemas": names, "removed_cache_entries": uncached,
        }));
    } else {
        let listed = if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) };
        say!("deleted branch {name}; dropped {} schemas{listed}; removed {uncached} schema-cache entries", names.len());
    }
    Ok(exit::OK)
}
