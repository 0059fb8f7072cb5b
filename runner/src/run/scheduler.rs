//! Builds the plan in dependency order: a model starts once every upstream model in the plan is
//! built, at most `concurrency` at once, each on its own warehouse connection (DuckDB calls
//! block, so they run on tokio's blocking threads). With one connection the whole plan is built
//! on one thread of its own, model after model, which only reports to the caller ([`serial`]): no
//! hop between threads between two builds. A failure skips everything downstream of it; Ctrl-C
//! stops starting models and cancels the running statements (those models fail as interrupted);
//! a second Ctrl-C stops waiting for them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::task::JoinSet;

use super::build::{build, Built};
use super::plan::PlannedModel;
use super::warehouse_check::Gap;
use crate::project::now_ms;
use crate::warehouse::Warehouse;

/// What happened to a model.
pub enum Event {
    Started,
    Finished {
        result: Result<Built, String>,
        started_at_ms: u64,
        duration_ms: u64,
    },
    /// Not built because the named upstream model failed.
    Skipped {
        because: String,
    },
    /// Ctrl-C: no more models start.
    Interrupted {
        running: usize,
    },
}

/// How the schedule ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Completed,
    /// Ctrl-C; running models were let finish (`abandoned`: a second Ctrl-C did not wait).
    Interrupted {
        abandoned: bool,
    },
}

/// Inputs besides the plan.
pub struct Settings {
    pub full_refresh: bool,
    /// Stored watermark per plan index.
    pub watermarks: HashMap<usize, String>,
    /// Models that fail without running, with the reason (a missing source, a schema that could
    /// not be created).
    pub prefailed: BTreeMap<usize, String>,
    /// Models the analysis reports errors in: the warehouse is asked first (`warehouse_check`).
    pub gaps: HashMap<usize, Arc<Gap>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Done,
}

type Pool = Arc<Mutex<Vec<Box<dyn Warehouse>>>>;

/// Which models wait for which, and which can start.
struct Dag {
    waiting_on: Vec<usize>,
    downstream: Vec<Vec<usize>>,
    state: Vec<State>,
    /// Lowest plan index first: the DAG order, so output is stable for a given project.
    ready: BTreeSet<usize>,
}

impl Dag {
    fn new(plan: &[PlannedModel]) -> Dag {
        let index: HashMap<&str, usize> = plan.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect();
        let mut waiting_on = vec![0usize; plan.len()];
        let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); plan.len()];
        for (i, m) in plan.iter().enumerate() {
            for up in &m.upstream {
                if let Some(&u) = index.get(up.as_str()) {
                    waiting_on[i] += 1;
                    downstream[u].push(i);
                }
            }
        }
        let ready = (0..plan.len()).filter(|&i| waiting_on[i] == 0).collect();
        Dag { waiting_on, downstream, state: vec![State::Waiting; plan.len()], ready }
    }

    /// The next model to start, marked running.
    fn start_next(&mut self) -> Option<usize> {
        let i = self.ready.pop_first()?;
        self.state[i] = State::Running;
        Some(i)
    }

    /// Model `i` is done: its downstream models may start (`ok`), or are skipped.
    fn finished(&mut self, i: usize, ok: bool, plan: &[PlannedModel], on_event: &mut impl FnMut(usize, Event)) {
        self.state[i] = State::Done;
        if !ok {
            self.skip_downstream(i, plan, on_event);
            return;
        }
        for &d in &self.downstream[i] {
            self.waiting_on[d] -= 1;
            if self.waiting_on[d] == 0 && self.state[d] == State::Waiting {
                self.ready.insert(d);
            }
        }
    }

    /// Marks everything downstream of failed model `failed` as skipped.
    fn skip_downstream(&mut self, failed: usize, plan: &[PlannedModel], on_event: &mut impl FnMut(usize, Event)) {
        let mut stack = self.downstream[failed].clone();
        while let Some(d) = stack.pop() {
            if self.state[d] != State::Waiting {
                continue;
            }
            self.state[d] = State::Done;
            on_event(d, Event::Skipped { because: plan[failed].name.clone() });
            stack.extend(self.downstream[d].iter().copied());
        }
    }
}

/// Whether a build counts as done for its downstream models (a table whose blocking tests
/// failed is written but not trusted downstream).
fn succeeded(result: &Result<Built, String>) -> bool {
    result.as_ref().is_ok_and(|b| b.failure().is_none())
}

/// Runs the plan; `on_event(plan index, event)` is called on the calling task, in order.
pub async fn run(
    plan: Arc<Vec<PlannedModel>>,
    mut connections: Vec<Box<dyn Warehouse>>,
    settings: Settings,
    mut on_event: impl FnMut(usize, Event),
) -> End {
    if connections.len() == 1 {
        if let Some(conn) = connections.pop() {
            return serial(plan, conn, settings, on_event).await;
        }
    }
    let concurrency = connections.len().max(1);
    let interrupters: Vec<_> = connections.iter().map(|c| c.interrupter()).collect();
    let pool: Pool = Arc::new(Mutex::new(connections));
    let settings = Arc::new(settings);
    let mut dag = Dag::new(&plan);
    let mut running: JoinSet<(usize, Result<Built, String>, u64, u64)> = JoinSet::new();
    let mut interrupted = false;
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    loop {
        while !interrupted && running.len() < concurrency {
            let Some(i) = dag.start_next() else { break };
            on_event(i, Event::Started);
            if let Some(reason) = settings.prefailed.get(&i) {
                let result = Err(reason.clone());
                on_event(i, Event::Finished { result, started_at_ms: now_ms(), duration_ms: 0 });
                dag.finished(i, false, &plan, &mut on_event);
                continue;
            }
            let (plan, pool, settings) = (plan.clone(), pool.clone(), settings.clone());
            running.spawn_blocking(move || {
                let started_at_ms = now_ms();
                let clock = Instant::now();
                let result = build_on_pool(&pool, &plan[i], &settings, i);
                (i, result, started_at_ms, clock.elapsed().as_millis() as u64)
            });
        }
        if running.is_empty() {
            break;
        }
        tokio::select! {
            joined = running.join_next() => {
                let Some(Ok((i, result, started_at_ms, duration_ms))) = joined else { continue };
                let ok = succeeded(&result);
                on_event(i, Event::Finished { result, started_at_ms, duration_ms });
                dag.finished(i, ok, &plan, &mut on_event);
            }
            _ = &mut ctrl_c => {
                if interrupted {
                    return End::Interrupted { abandoned: true };
                }
                interrupted = true;
                on_event(0, Event::Interrupted { running: running.len() });
                for stop in &interrupters {
                    stop();
                }
                ctrl_c = Box::pin(tokio::signal::ctrl_c());
            }
        }
    }
    if interrupted {
        End::Interrupted { abandoned: false }
    } else {
        End::Completed
    }
}

/// One connection: a thread of its own builds the whole plan, model after model, and sends its
/// events here, where `on_event` is called in order while this task waits for Ctrl-C. The builds
/// never wait for the caller's bookkeeping (progress, history, the write tap).
async fn serial(
    plan: Arc<Vec<PlannedModel>>,
    conn: Box<dyn Warehouse>,
    settings: Settings,
    mut on_event: impl FnMut(usize, Event),
) -> End {
    let interrupter = conn.interrupter();
    let stop = Arc::new(AtomicBool::new(false));
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Event)>();
    let builder = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            build_serially(&plan, conn.as_ref(), &settings, &stop, |i, e| {
                let _ = tx.send((i, e));
            });
            // Closed before the channel, so the caller finds it closed once the thread ends.
            drop(conn);
        })
    };
    let (mut interrupted, mut running) = (false, 0usize);
    loop {
        tokio::select! {
            event = rx.recv() => {
                let Some((i, event)) = event else { break };
                match &event {
                    Event::Started => running += 1,
                    Event::Finished { .. } => running = running.saturating_sub(1),
                    _ => {}
                }
                on_event(i, event);
            }
            _ = &mut ctrl_c => {
                if interrupted {
                    return End::Interrupted { abandoned: true };
                }
                interrupted = true;
                stop.store(true, Ordering::SeqCst);
                on_event(0, Event::Interrupted { running });
                interrupter();
                ctrl_c = Box::pin(tokio::signal::ctrl_c());
            }
        }
    }
    // The channel closed: the thread is ending.
    let _ = builder.join();
    if interrupted {
        End::Interrupted { abandoned: false }
    } else {
        End::Completed
    }
}

/// Builds the plan on `conn`, model after model, until it is done or `stop` is set.
fn build_serially(
    plan: &[PlannedModel],
    conn: &dyn Warehouse,
    settings: &Settings,
    stop: &AtomicBool,
    mut on_event: impl FnMut(usize, Event),
) {
    let mut dag = Dag::new(plan);
    while !stop.load(Ordering::SeqCst) {
        let Some(i) = dag.start_next() else { break };
        on_event(i, Event::Started);
        let started_at_ms = now_ms();
        let clock = Instant::now();
        let result = match settings.prefailed.get(&i) {
            Some(reason) => Err(reason.clone()),
            None => build_one(conn, &plan[i], settings, i),
        };
        let ok = succeeded(&result);
        let duration_ms = if settings.prefailed.contains_key(&i) { 0 } else { clock.elapsed().as_millis() as u64 };
        on_event(i, Event::Finished { result, started_at_ms, duration_ms });
        dag.finished(i, ok, plan, &mut on_event);
    }
}

/// Takes a connection, builds, gives it back.
fn build_on_pool(pool: &Pool, model: &PlannedModel, settings: &Settings, i: usize) -> Result<Built, String> {
    let conn = pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let Some(conn) = conn else { return Err("no free warehouse connection (internal error)".into()) };
    let result = build_one(conn.as_ref(), model, settings, i);
    pool.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
    result
}

/// Builds plan model `i` on `conn`. A panic in a build is that model's failure.
fn build_one(conn: &dyn Warehouse, model: &PlannedModel, settings: &Settings, i: usize) -> Result<Built, String> {
    let watermark = settings.watermarks.get(&i).map(String::as_str);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(gap) = settings.gaps.get(&i) {
            gap.ask(conn, &model.sql)?;
        }
        build(conn, model, settings.full_refresh, watermark).map_err(|e| e.to_string())
    }));
    match result {
        Ok(r) => r,
        Err(_) => Err("the build panicked (a bug in Rocky; please report it)".into()),
    }
}
