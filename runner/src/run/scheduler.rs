//! Builds the plan in dependency order: a model starts once every upstream model in the plan is
//! built, at most `concurrency` at once, each on its own warehouse connection (DuckDB calls
//! block, so they run on tokio's blocking threads). A failure skips everything downstream of it;
//! Ctrl-C stops starting models and cancels the running statements (those models fail as
//! interrupted); a second Ctrl-C stops waiting for them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
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

/// Runs the plan; `on_event(plan index, event)` is called on the calling task, in order.
pub async fn run(
    plan: Arc<Vec<PlannedModel>>,
    connections: Vec<Box<dyn Warehouse>>,
    settings: Settings,
    mut on_event: impl FnMut(usize, Event),
) -> End {
    let concurrency = connections.len().max(1);
    let interrupters: Vec<_> = connections.iter().map(|c| c.interrupter()).collect();
    let pool: Pool = Arc::new(Mutex::new(connections));
    let settings = Arc::new(settings);
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
    let mut state = vec![State::Waiting; plan.len()];
    // Lowest plan index first: the DAG order, so output is stable for a given project.
    let mut ready: BTreeSet<usize> = (0..plan.len()).filter(|&i| waiting_on[i] == 0).collect();
    let mut running: JoinSet<(usize, Result<Built, String>, u64, u64)> = JoinSet::new();
    let mut interrupted = false;
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    loop {
        while !interrupted && running.len() < concurrency {
            let Some(i) = ready.pop_first() else { break };
            state[i] = State::Running;
            on_event(i, Event::Started);
            if let Some(reason) = settings.prefailed.get(&i) {
                let result = Err(reason.clone());
                on_event(i, Event::Finished { result, started_at_ms: now_ms(), duration_ms: 0 });
                state[i] = State::Done;
                skip_downstream(i, &plan, &downstream, &mut state, &mut on_event);
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
                state[i] = State::Done;
                // A table whose blocking tests failed is written but not trusted downstream.
                let ok = result.as_ref().is_ok_and(|b| b.failure().is_none());
                on_event(i, Event::Finished { result, started_at_ms, duration_ms });
                if ok {
                    for &d in &downstream[i] {
                        waiting_on[d] -= 1;
                        if waiting_on[d] == 0 && state[d] == State::Waiting {
                            ready.insert(d);
                        }
                    }
                } else {
                    skip_downstream(i, &plan, &downstream, &mut state, &mut on_event);
                }
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

/// Takes a connection, builds, gives it back. A panic in a build is that model's failure.
fn build_on_pool(pool: &Pool, model: &PlannedModel, settings: &Settings, i: usize) -> Result<Built, String> {
    let conn = pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let Some(conn) = conn else { return Err("no free warehouse connection (internal error)".into()) };
    let watermark = settings.watermarks.get(&i).map(String::as_str);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(gap) = settings.gaps.get(&i) {
            gap.ask(conn.as_ref(), &model.sql)?;
        }
        build(conn.as_ref(), model, settings.full_refresh, watermark).map_err(|e| e.to_string())
    }));
    pool.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
    match result {
        Ok(r) => r,
        Err(_) => Err("the build panicked (a bug in Rocky; please report it)".into()),
    }
}

/// Marks everything downstream of failed model `failed` as skipped.
fn skip_downstream(
    failed: usize,
    plan: &[PlannedModel],
    downstream: &[Vec<usize>],
    state: &mut [State],
    on_event: &mut impl FnMut(usize, Event),
) {
    let mut stack = downstream[failed].clone();
    while let Some(d) = stack.pop() {
        if state[d] != State::Waiting {
            continue;
        }
        state[d] = State::Done;
        on_event(d, Event::Skipped { because: plan[failed].name.clone() });
        stack.extend(downstream[d].iter().copied());
    }
}
