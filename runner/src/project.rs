//! Opening a project, the same way for every command: find and load it (through the loader),
//! locate its state file by the shared rule, and, for commands that type-check, load the
//! schema cache into the analysis.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rocky_analysis::config::ProjectConfig;
use rocky_loader::{LoadedProject, SchemaCacheLoad};
use rocky_state::{Located, RetryPolicy, StateFile, StateOrigin};

use crate::cli::GlobalArgs;
use crate::commands::Failure;

/// How long `rocky check` waits for a state file another process holds before it checks
/// without the cache (it never fails because of the cache).
const CACHE_READ_WAIT: Duration = Duration::from_secs(1);

/// A loaded project and its state file.
pub struct Project {
    pub loaded: LoadedProject,
    /// The state file (it may not exist yet); default retry policy for writers.
    pub state: StateFile,
    /// How the state file was chosen.
    pub located: Located,
    /// Whether `--state-path` (rather than `[state] path`) chose it, for messages.
    pub state_path_from_cli: bool,
    /// Cached schemas older than this count as missing: `--cache-ttl`, else
    /// `[cache.schemas] ttl_seconds` (which defaults to one day).
    pub ttl_seconds: u64,
    /// How long to wait for a warehouse file another process holds (`--lock-wait`).
    pub lock_wait: Duration,
}

/// The folder a command starts from: `PATH` relative to `-C DIR` (like `git -C`), else `DIR`,
/// else the working directory.
pub fn start_dir(global: &GlobalArgs, path: Option<&Path>) -> PathBuf {
    let base = global.project_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    match path {
        Some(p) => base.join(p),
        None => base,
    }
}

/// The working directory the state-file rule uses: `-C DIR` when given (as `git -C` would
/// change into it), else the process's.
fn working_dir(global: &GlobalArgs) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match &global.project_dir {
        Some(dir) if dir.is_dir() => std::path::absolute(dir).unwrap_or_else(|_| cwd.join(dir)),
        _ => cwd,
    }
}

/// Finds and loads the project at or above `start`, and locates its state file (its warnings
/// are printed once on stderr). Does not read the state file.
pub fn open(global: &GlobalArgs, start: &Path) -> Result<Project, Failure> {
    let loaded = rocky_loader::load_project(start).map_err(|e| Failure::usage(e.to_string(), e.hint()))?;
    let cwd = working_dir(global);
    // A relative `--state-path` is relative to the working directory (`-C DIR` when given).
    let located = rocky_loader::locate_project_state(&loaded.root, &loaded.config, global.state_path.as_deref(), &cwd);
    for warning in &located.warnings {
        eprintln!("warning: {warning}");
    }
    let ttl_seconds = global.cache_ttl.unwrap_or(loaded.config.schema_cache.ttl_seconds);
    Ok(Project {
        state: StateFile::new(&located.path),
        state_path_from_cli: global.state_path.is_some(),
        located,
        ttl_seconds,
        lock_wait: global.lock_wait.map(Duration::from_secs).unwrap_or(crate::warehouse::DEFAULT_LOCK_WAIT),
        loaded,
    })
}

impl Project {
    /// The parsed rocky.toml.
    pub fn config(&self) -> &ProjectConfig {
        &self.loaded.config
    }

    /// The folder holding rocky.toml.
    pub fn root(&self) -> &Path {
        &self.loaded.root
    }

    /// Reads the schema cache (waiting a little for a busy file) and hands its fresh entries to
    /// the analysis. A file that cannot be read is "no cache" with one warning on stderr.
    pub fn load_schema_cache(&mut self) -> SchemaCacheLoad {
        let reader = StateFile::new(self.state.path()).with_retry(RetryPolicy::with_total_wait(CACHE_READ_WAIT));
        let load = rocky_loader::load_schema_cache(&reader, self.ttl_seconds, now_ms());
        if let Some(warning) = &load.warning {
            eprintln!("warning: {warning}");
        }
        self.loaded.host.set_source_schemas(load.snapshot.clone());
        load
    }

    /// How the state file was chosen, in words.
    pub fn state_origin(&self) -> &'static str {
        match self.located.origin {
            StateOrigin::Explicit if self.state_path_from_cli => "--state-path",
            StateOrigin::Explicit => "[state] path in rocky.toml",
            StateOrigin::ModelsDir | StateOrigin::NewInModelsDir => "the models folder",
            StateOrigin::LegacyWorkingDir => "the working directory (legacy location)",
            StateOrigin::BothExistUsingWorkingDir => "the working directory (a second file is in the models folder)",
            StateOrigin::NewInWorkingDir => "the working directory",
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
