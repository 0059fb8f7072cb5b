//! `rocky run`: build the selected models in the warehouse, in dependency order.
//!
//! Steps: open the project and its schema cache → pick the models (`--models`) → open the
//! warehouse and describe the sources they read (one query per schema; the write tap stores the
//! result in the schema cache and hands it to the analysis) → refuse when `rocky check` would
//! report errors → compile every model through the analysis → build on the scheduler, recording
//! every model and watermark in the state file, while the first connection describes and probes
//! the built targets as they are built (write tap, drift) → summary or JSON.

mod args;
mod build;
mod built_tables;
pub mod data_tests;
mod gather;
mod plan;
mod recorder;
mod report;
mod scheduler;
mod select;
pub(crate) mod sql;
pub mod tap;
mod warehouse_check;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Instant;

use rocky_analysis::config::Strategy;
use rocky_analysis::ide::{CompileOptions, ModelInfo, TargetMapping};
use rocky_analysis::SourceSchemaSnapshot;
use rocky_state::{ModelRun, ModelStatus, RunRecord, RunStatus, StateFile};
use sha2::Digest;

pub use args::{DestinationArgs, RunArgs, DEFAULT_SHADOW_SCHEMA};
pub use build::BuildMode;
pub use plan::{plan, PlannedModel};
pub use report::{ModelOutcome, Status};
pub use select::{select, SelectError};
pub use tap::drift;

use self::built_tables::{BuiltModel, CacheWrites, Describer};
use self::recorder::{Recorder, StateWrite};
use self::report::Reporter;
use self::scheduler::{End, Event};
use self::warehouse_check::Gap;
use crate::cli::{ColorChoice, GlobalArgs};
use crate::commands::Failure;
use crate::exit;
use crate::project::{self, now_ms, Project};
use crate::warehouse::{self, Warehouse};

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;
/// Exit code of a run where some models were built and others failed or were skipped.
pub const EXIT_PARTIAL: u8 = 2;

/// Concurrency when neither `--concurrency` nor the pipeline sets one.
pub const DEFAULT_CONCURRENCY: u32 = 4;

/// Runs `rocky run`; returns the exit code.
pub fn execute(global: &GlobalArgs, args: &RunArgs) -> u8 {
    let clock = Instant::now();
    match execute_inner(global, args) {
        Ok(code) => code,
        Err(refused) => {
            // A tool reading `--json` gets a document even when nothing ran.
            if args.json {
                let elapsed_ms = clock.elapsed().as_millis() as u64;
                let mut out = std::io::stdout().lock();
                let dest = &args.destination;
                let shadow = dest.shadow.then(|| dest.shadow_schema.as_deref().unwrap_or(DEFAULT_SHADOW_SCHEMA));
                let destination = (dest.branch.as_deref(), shadow);
                let _ =
                    report::write_refused(&mut out, destination, &refused.failure, &refused.diagnostics, elapsed_ms);
            }
            refused.failure.report()
        }
    }
}

/// Why a run did not start, and the project's errors when that is the reason.
struct Refused {
    failure: Failure,
    /// `rocky check --format json` diagnostics.
    diagnostics: Vec<serde_json::Value>,
}

impl From<Failure> for Refused {
    fn from(failure: Failure) -> Self {
        Refused { failure, diagnostics: Vec::new() }
    }
}

/// Where this run builds, from `--branch` / `--shadow`.
struct Destination {
    mapping: TargetMapping,
    branch: Option<String>,
    shadow_schema: Option<String>,
}

impl Destination {
    /// How the state file records where the run builds (see [`RunRecord::branch`]).
    fn recorded(&self) -> Option<String> {
        self.branch.clone().or_else(|| self.shadow_schema.as_deref().map(RunRecord::shadow_destination))
    }
}

fn destination(project: &Project, args: &DestinationArgs) -> Result<Destination, Failure> {
    if let Some(name) = &args.branch {
        rocky_state::validate_branch_name(name).map_err(|e| Failure::usage(e.to_string(), ""))?;
        // Unlike other state-file failures, this one stops the run: building a branch into the
        // wrong place would overwrite production tables.
        let found = project
            .state
            .branch(name)
            .map_err(|e| Failure::usage(format!("cannot look up branch `{name}`: {e}"), "the run did not start"))?;
        let Some(branch) = found else {
            return Err(Failure::usage(
                format!("branch `{name}` does not exist"),
                format!("create it with `rocky branch create {name}`"),
            ));
        };
        return Ok(Destination {
            mapping: TargetMapping::SchemaPrefix(branch.schema_prefix),
            branch: Some(name.clone()),
            shadow_schema: None,
        });
    }
    if args.shadow {
        let schema = args.shadow_schema.clone().unwrap_or_else(|| DEFAULT_SHADOW_SCHEMA.to_string());
        rocky_state::validate_branch_name(&schema).map_err(|e| {
            Failure::usage(format!("invalid --shadow-schema: {e}").replace("branch name", "schema name"), "")
        })?;
        return Ok(Destination {
            mapping: TargetMapping::Shadow { schema: schema.clone() },
            branch: None,
            shadow_schema: Some(schema),
        });
    }
    Ok(Destination { mapping: TargetMapping::Configured, branch: None, shadow_schema: None })
}

/// Where `--branch` / `--shadow` put the models (also where `rocky test` looks for them).
pub fn destination_mapping(project: &Project, args: &DestinationArgs) -> Result<TargetMapping, Failure> {
    destination(project, args).map(|d| d.mapping)
}

/// The model names `--models` selects (every model without it).
pub fn selected_models(
    analysis: &rocky_analysis::Analysis,
    pattern: Option<&str>,
) -> Result<BTreeSet<String>, Failure> {
    let names: Vec<String> = analysis.models().unwrap_or_default().into_iter().map(|m| m.name).collect();
    match pattern {
        Some(pattern) => {
            let dag = analysis.dag().unwrap_or_default();
            select::select(&names, &dag.edges, pattern)
                .map_err(|e| Failure::usage(e.to_string(), "list the models with `rocky check --format json`"))
        }
        None => Ok(names.into_iter().collect()),
    }
}

/// The key a model's watermark is stored under: its name for normal runs, `name@<target>` for
/// branch and shadow builds, so they never move production's watermark.
fn watermark_key(model: &PlannedModel, mapping: &TargetMapping) -> String {
    match mapping {
        TargetMapping::Configured => model.name.clone(),
        _ => format!("{}@{}", model.name, model.target.key()),
    }
}

/// Sources read by `selected` models, including those of ephemeral models they inline.
fn sources_read(models: &[ModelInfo], selected: &BTreeSet<String>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &ModelInfo> = models.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = selected.iter().map(String::as_str).collect();
    while let Some(name) = stack.pop() {
        let Some(m) = by_name.get(name) else { continue };
        if !seen.insert(name) {
            continue;
        }
        out.extend(m.sources.iter().cloned());
        for up in &m.depends_on {
            if by_name.get(up.as_str()).is_some_and(|u| matches!(u.strategy, Strategy::Ephemeral)) {
                stack.push(up);
            }
        }
    }
    out
}

fn sql_hash(sql: &str) -> String {
    let digest = sha2::Sha256::digest(sql.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The errors that refuse a run (or a test) of the `selected` models: those in the selected models
/// and every model they read (directly or not), and those that belong to no model (rocky.toml,
/// load problems). Errors in other models do not stop this run; they are counted in a warning.
/// Printed on stderr as `rocky check` prints them, and returned as its JSON diagnostics.
pub fn project_errors(
    global: &GlobalArgs,
    project: &Project,
    analysis: &rocky_analysis::Analysis,
    selected: &BTreeSet<String>,
) -> Vec<serde_json::Value> {
    errors_or_gaps(global, project, analysis, selected, false).0
}

/// [`project_errors`], except that with `gaps`, models whose only errors are in their SQL are
/// returned as analysis gaps for the warehouse to judge (`warehouse_check`) when nothing else
/// refuses the run.
fn errors_or_gaps(
    global: &GlobalArgs,
    project: &Project,
    analysis: &rocky_analysis::Analysis,
    selected: &BTreeSet<String>,
    gaps: bool,
) -> (Vec<serde_json::Value>, BTreeMap<String, Gap>) {
    let models = analysis.models().unwrap_or_default();
    let relevant = with_upstream(&models, selected);
    let files = |keep: bool| -> BTreeSet<String> {
        models
            .iter()
            .filter(|m| relevant.contains(&m.name) == keep)
            .flat_map(|m| std::iter::once(m.path.clone()).chain(m.sidecar_path.clone()))
            .collect()
    };
    let (ours, others) = (files(true), files(false));
    let (mut kept, mut elsewhere) = (Vec::new(), 0usize);
    for d in analysis.all_diagnostics().unwrap_or_default() {
        if others.contains(&d.file) && !ours.contains(&d.file) {
            elsewhere += usize::from(d.severity == rocky_analysis::Severity::Error);
        } else {
            kept.push(d);
        }
    }
    if elsewhere > 0 {
        eprintln!(
            "warning: {elsewhere} error(s) in models this run neither builds nor reads are left for later (`rocky check` shows them)"
        );
    }
    let (kept, gaps) = match gaps && project.loaded.problems.is_empty() {
        true => warehouse_check::split(analysis, &models, &relevant, kept),
        false => (kept, BTreeMap::new()),
    };
    let errors = crate::check::write_errors(
        &mut std::io::stderr().lock(),
        project.root(),
        &project.loaded.problems,
        analysis,
        kept,
        color_on_stderr(global),
    );
    (errors, gaps)
}

/// `selected` and every model they read, directly or through others.
fn with_upstream(models: &[ModelInfo], selected: &BTreeSet<String>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &ModelInfo> = models.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut out = BTreeSet::new();
    let mut stack: Vec<&str> = selected.iter().map(String::as_str).collect();
    while let Some(name) = stack.pop() {
        if out.insert(name.to_string()) {
            if let Some(m) = by_name.get(name) {
                stack.extend(m.depends_on.iter().map(String::as_str));
            }
        }
    }
    out
}

fn color_on_stderr(global: &GlobalArgs) -> bool {
    match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn execute_inner(global: &GlobalArgs, args: &RunArgs) -> Result<u8, Refused> {
    let clock = Instant::now();
    let mut project = project::open(global, &project::start_dir(global, args.path.as_deref()))?;
    let cache = project.load_schema_cache();
    let dest = destination(&project, &args.destination)?;
    let config = project.config().clone();
    let cache_enabled = config.schema_cache.enabled;
    // The warehouse opens while the models are inferred.
    let opening = {
        let (adapter, root, lock_wait) = (config.adapter.clone(), project.root().to_path_buf(), project.lock_wait);
        std::thread::spawn(move || warehouse::open(&adapter, &root, lock_wait))
    };

    // Which models.
    let models = project.loaded.host.analysis().models().unwrap_or_default();
    let selected = selected_models(&project.loaded.host.analysis(), args.models.as_deref())?;

    // The warehouse, and the sources the selected models read (the write tap's first half).
    let wh = opening.join().unwrap_or_else(|p| std::panic::resume_unwind(p)).map_err(|e| match e {
        warehouse::WarehouseError::Unsupported(_) => Failure::usage(e.to_string(), ""),
        _ => crate::commands::connect::failure(e),
    })?;
    // The build connections open while the project is checked (where the adapter can).
    let wanted = run_concurrency(args, &config).clamp(1, selected.len().max(1) as u32);
    let early = wh.connector().map(|connect| std::thread::spawn(move || (0..wanted).map(|_| connect()).collect()));
    let sources = sources_read(&models, &selected);
    let scan = tap::describe_sources(wh.as_ref(), &sources).map_err(|e| Failure::error(e.to_string(), ""))?;
    let started_ms = now_ms();
    let mut cache_write = Pending(None);
    if !scan.tables.is_empty() {
        let cached: Vec<_> = scan.tables.iter().map(|t| tap::cached_table(&t.name, &t.columns, started_ms)).collect();
        if cache_enabled {
            // Written while the project is checked; waited for before the state file is read again.
            let (state, cached) = (project.state.clone(), cached.clone());
            cache_write = Pending(Some(std::thread::spawn(move || {
                if let Err(e) = state.write_schemas(&cached) {
                    eprintln!("warning: could not write the schema cache: {e}");
                }
            })));
        }
        // Type-check against what the warehouse holds right now.
        let mut snapshot: SourceSchemaSnapshot = cache.snapshot.clone();
        for t in &cached {
            snapshot.insert(rocky_loader::source_table(t));
        }
        project.loaded.host.set_source_schemas(snapshot);
    }

    // Refuse to run a project `rocky check` rejects.
    let analysis = project.loaded.host.analysis();
    let (errors, gaps) = errors_or_gaps(global, &project, &analysis, &selected, true);
    if !errors.is_empty() {
        let failure = Failure::error(
            format!("the project has {} error(s); nothing was built", errors.len()),
            "fix them (`rocky check` shows them too), then run again",
        );
        return Err(Refused { failure, diagnostics: errors });
    }
    let models = analysis.models().unwrap_or_default();
    let opts = CompileOptions { targets: dest.mapping.clone() };
    let gap_names: BTreeSet<String> = gaps.keys().cloned().collect();
    let mut plan = plan::plan(&analysis, &models, &selected, &opts, !args.no_tests, &gap_names)
        .map_err(|e| Failure::error(e.to_string(), ""))?;
    let unparsed: BTreeSet<String> = gaps.values().filter(|g| g.unparsed).map(|g| g.model.clone()).collect();
    warehouse_check::wait_for_all_but_downstream(&mut plan, &unparsed);
    let (rejected, gap_warnings) = warehouse_check::ask_up_front(wh.as_ref(), &analysis, &models, &plan, &gaps, &opts);
    if !rejected.is_empty() {
        let errors = crate::check::write_errors(
            &mut std::io::stderr().lock(),
            project.root(),
            &[],
            &analysis,
            rejected,
            color_on_stderr(global),
        );
        let failure = Failure::error(
            format!("the project has {} error(s); nothing was built", errors.len()),
            "the warehouse rejects these queries too: fix them (`rocky check` shows them too), then run again",
        );
        return Err(Refused { failure, diagnostics: errors });
    }
    drop(analysis);
    let at: HashMap<&str, usize> = plan.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect();
    let gaps: HashMap<usize, Arc<Gap>> =
        gaps.into_iter().filter_map(|(name, g)| at.get(name.as_str()).map(|&i| (i, Arc::new(g)))).collect();
    drop(at);

    // Models reading a missing source fail without running.
    let mut prefailed: BTreeMap<usize, String> = BTreeMap::new();
    let seed_hint = project.root().join("data").join("seed.sql").is_file();
    for source in &scan.missing {
        let hint = if seed_hint { "; load the example data with `rocky seed`" } else { "" };
        eprintln!("warning: source `{source}` does not exist in the warehouse{hint}");
    }
    for (i, m) in plan.iter().enumerate() {
        if let Some(s) = m.sources.iter().find(|s| scan.missing.contains(*s)) {
            prefailed.insert(i, format!("source `{s}` does not exist in the warehouse"));
        }
    }
    // Models whose strategy the warehouse cannot build (e.g. `merge` on plain Spark tables).
    for (i, m) in plan.iter().enumerate() {
        if let Some(reason) = wh.refuses(&m.strategy) {
            prefailed.entry(i).or_insert(reason);
        }
    }
    // Models reading an upstream model this run does not build, whose table is not there.
    let mut exists: BTreeMap<String, bool> = BTreeMap::new();
    for (i, m) in plan.iter().enumerate() {
        for (up, table) in &m.unselected_upstream {
            let built = *exists.entry(table.key()).or_insert_with(|| !matches!(wh.describe_table(table), Ok(None)));
            if !built && !prefailed.contains_key(&i) {
                prefailed.insert(
                    i,
                    format!(
                        "upstream model `{up}` is not built (`{}` does not exist); build it too with `rocky run --models +{}`",
                        table.key(),
                        m.name
                    ),
                );
            }
        }
    }
    // Target schemas, created up front on one connection (concurrent DDL on one schema conflicts).
    let schemas: BTreeSet<(String, String)> =
        plan.iter().map(|m| (m.target.catalog.clone(), m.target.schema.clone())).collect();
    for (catalog, schema) in &schemas {
        if let Err(e) = wh.create_schema_if_missing(catalog, schema) {
            for (i, m) in plan.iter().enumerate() {
                if &m.target.catalog == catalog && &m.target.schema == schema {
                    prefailed.entry(i).or_insert_with(|| e.to_string());
                }
            }
        }
    }

    // Run history: state failures are warnings from here on.
    let run_id = rocky_state::new_run_id(started_ms);
    let record = RunRecord {
        id: run_id.clone(),
        started_at_ms: started_ms,
        finished_at_ms: None,
        status: RunStatus::Running,
        trigger: if std::env::var_os("CI").is_some() { "ci".into() } else { "cli".into() },
        branch: dest.recorded(),
        models: Vec::new(),
    };
    let reporter = Reporter::new(plan.len(), args.json);
    for w in gap_warnings {
        reporter.warn(w);
    }
    drop(cache_write);
    let watermarks = stored_watermarks(&project.state, &plan, &dest.mapping, &reporter);
    let concurrency = run_concurrency(args, &config).clamp(1, plan.len().max(1) as u32) as usize;
    let mut opened: Vec<Result<Box<dyn Warehouse>, warehouse::WarehouseError>> = match early.map(|t| t.join()) {
        Some(Ok(opened)) => opened,
        _ => Vec::new(),
    };
    opened.truncate(concurrency);
    let mut connections: Vec<Box<dyn Warehouse>> = Vec::new();
    for c in opened.into_iter().chain(std::iter::repeat_with(|| wh.connect_another())).take(concurrency) {
        match c {
            Ok(c) => connections.push(c),
            // Not recorded yet: the recorder starts the run in the history.
            Err(e) => return Err(Failure::error(e.to_string(), "").into()),
        }
    }

    let recorder = Recorder::start(project.state.clone(), record, reporter.clone());
    let plan = Arc::new(plan);
    // The first connection describes and probes the built tables while the builds go on.
    let cache_writes = cache_enabled.then(|| CacheWrites { recorder: recorder.writer(), branch: dest.recorded() });
    let describer = Describer::start(wh, plan.clone(), cache_writes);
    let mut outcomes: Vec<Option<ModelOutcome>> = vec![None; plan.len()];
    let settings = scheduler::Settings { full_refresh: args.full_refresh, watermarks, prefailed, gaps: gaps.clone() };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(concurrency + 1)
        .enable_all()
        .build()
        .map_err(|e| Failure::error(format!("cannot start the scheduler: {e}"), ""))?;
    let end = runtime.block_on(scheduler::run(plan.clone(), connections, settings, |i, event| {
        let m = &plan[i];
        match event {
            Event::Started => reporter.started(&m.name),
            Event::Interrupted { running } => reporter.warn(format!(
                "interrupted: no more models start; cancelling {running} running model(s) (Ctrl-C again to stop waiting)"
            )),
            Event::Skipped { because } => {
                let o = outcome(m, Status::Skipped, None, 0, Some(format!("skipped: upstream model `{because}` failed")));
                reporter.finished(&o);
                recorder.send(StateWrite::Model(Box::new(model_run(&o, now_ms()))));
                outcomes[i] = Some(o);
            }
            Event::Finished { result, started_at_ms, duration_ms } => {
                let o = match result {
                    Ok(built) => {
                        let failure = built.failure();
                        let status = if failure.is_some() { Status::Failed } else { Status::Succeeded };
                        let mut o = outcome(m, status, built.rows, duration_ms, failure);
                        o.mode = Some(built.mode);
                        o.tests = built.tests;
                        describer.send(BuiltModel { index: i, mode: built.mode, columns: built.columns });
                        if let Some(value) = built.watermark {
                            let key = watermark_key(m, &dest.mapping);
                            recorder.send(StateWrite::Watermark { key, value, at_ms: now_ms() });
                        }
                        o
                    }
                    Err(error) => outcome(m, Status::Failed, None, duration_ms, Some(error)),
                };
                reporter.finished(&o);
                let mut run = model_run(&o, started_at_ms);
                // An analysis gap the warehouse accepted: warned about, and kept in the history.
                if let Some(gap) = gaps.get(&i).filter(|g| g.accepted().is_some()) {
                    reporter.warn(gap.warning());
                    run.warnings.push(gap.warning());
                }
                recorder.send(StateWrite::Model(Box::new(run)));
                outcomes[i] = Some(o);
            }
        }
    }));
    let abandoned = matches!(end, End::Interrupted { abandoned: true });
    if abandoned {
        runtime.shutdown_background();
    } else {
        drop(runtime);
        // The write tap for the built targets, and the drift check.
        let (tables, problems) = describer.finish();
        for p in problems {
            reporter.warn(p);
        }
        for (i, table) in tables {
            let (m, Some(o)) = (&plan[i], outcomes[i].as_mut()) else { continue };
            // A gap model's schema is the warehouse's own: no drift to compare.
            if !gaps.contains_key(&i) {
                o.drift = tap::drift(config.adapter.dialect(), &m.schema, &table.columns, &table.holding_nulls);
            }
            for d in &o.drift {
                reporter.warn(format!("{}: analysis/warehouse drift: {d}", m.name));
            }
        }
    }
    let outcomes: Vec<ModelOutcome> = outcomes
        .into_iter()
        .enumerate()
        .map(|(i, o)| o.unwrap_or_else(|| outcome(&plan[i], Status::NotStarted, None, 0, None)))
        .collect();
    let counts = report::Counts::of(&outcomes);
    let (status, code) = if end != End::Completed {
        (RunStatus::Interrupted, EXIT_INTERRUPTED)
    } else if counts.failed + counts.skipped == 0 {
        (RunStatus::Succeeded, exit::OK)
    } else if counts.succeeded == 0 {
        (RunStatus::Failed, exit::ERRORS)
    } else {
        (RunStatus::Partial, EXIT_PARTIAL)
    };
    recorder.finish(status, now_ms());
    let warnings = reporter.finish();
    let elapsed_ms = clock.elapsed().as_millis() as u64;
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let doc = report::RunDocument {
            version: 1,
            run_id: &run_id,
            status: status.as_str(),
            branch: dest.branch.as_deref(),
            shadow_schema: dest.shadow_schema.as_deref(),
            duration_ms: elapsed_ms,
            models: &outcomes,
            warnings: &warnings,
            summary: counts,
        };
        serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from).and_then(|_| writeln!(out))
    } else {
        report::write_summary(&mut out, &outcomes, status.as_str(), elapsed_ms)
    };
    let _ = written.and_then(|_| out.flush());
    Ok(code)
}

/// `--concurrency`, else the pipeline's, else [`DEFAULT_CONCURRENCY`].
fn run_concurrency(args: &RunArgs, config: &rocky_analysis::config::ProjectConfig) -> u32 {
    args.concurrency.or_else(|| config.pipelines.iter().find_map(|p| p.concurrency)).unwrap_or(DEFAULT_CONCURRENCY)
}

/// A state write on a thread of its own, waited for when dropped (also when the run is refused).
struct Pending(Option<std::thread::JoinHandle<()>>);

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// The stored watermark of every incremental model in the plan.
fn stored_watermarks(
    state: &StateFile,
    plan: &[PlannedModel],
    mapping: &TargetMapping,
    reporter: &Reporter,
) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    if !plan.iter().any(|m| matches!(m.strategy, Strategy::Incremental { .. })) {
        return out;
    }
    let all: HashMap<String, String> = match state.watermarks() {
        Ok(w) => w.into_iter().map(|(k, w)| (k, w.value)).collect(),
        Err(e) => {
            reporter.warn(format!("could not read watermarks (incremental models use their tables' maximum): {e}"));
            return out;
        }
    };
    for (i, m) in plan.iter().enumerate() {
        if let Some(v) = all.get(&watermark_key(m, mapping)) {
            out.insert(i, v.clone());
        }
    }
    out
}

fn outcome(
    m: &PlannedModel,
    status: Status,
    rows: Option<u64>,
    duration_ms: u64,
    error: Option<String>,
) -> ModelOutcome {
    ModelOutcome {
        name: m.name.clone(),
        target: m.target.to_string(),
        strategy: m.strategy.name(),
        status,
        mode: None,
        rows,
        duration_ms,
        sql_hash: sql_hash(&m.sql),
        error,
        drift: Vec::new(),
        tests: Vec::new(),
    }
}

fn model_run(o: &ModelOutcome, started_at_ms: u64) -> ModelRun {
    ModelRun {
        model: o.name.clone(),
        target: o.target.clone(),
        strategy: o.strategy.to_string(),
        sql_hash: o.sql_hash.clone(),
        rows: o.rows,
        started_at_ms,
        duration_ms: o.duration_ms,
        status: match o.status {
            Status::Succeeded => ModelStatus::Succeeded,
            Status::Failed => ModelStatus::Failed,
            Status::Skipped | Status::NotStarted => ModelStatus::Skipped,
        },
        error: o.error.clone(),
        tests: o.tests.iter().map(data_tests::TestOutcome::record).collect(),
        warnings: Vec::new(),
    }
}
