//! Retry with exponential backoff and jitter while another handle holds the state file.

use std::time::{Duration, Instant};

/// How long to keep retrying when the file is open elsewhere ("Database already open").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First wait.
    pub initial_delay: Duration,
    /// Upper bound of a single wait.
    pub max_delay: Duration,
    /// Give up (with [`crate::StateError::Busy`]) once this much time has passed.
    pub total_wait: Duration,
}

impl Default for RetryPolicy {
    /// 1 ms doubling up to 25 ms, about 10 s in total. Short steps: a failed attempt costs a
    /// couple of system calls, and holders keep the file for one transaction only.
    fn default() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(25),
            total_wait: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// Try once, never wait.
    pub fn no_retry() -> Self {
        RetryPolicy { initial_delay: Duration::ZERO, max_delay: Duration::ZERO, total_wait: Duration::ZERO }
    }

    /// The default backoff, but giving up after `total`.
    pub fn with_total_wait(total: Duration) -> Self {
        RetryPolicy { total_wait: total, ..RetryPolicy::default() }
    }
}

/// One call's progress through a [`RetryPolicy`].
pub(crate) struct Backoff<'a> {
    policy: &'a RetryPolicy,
    start: Instant,
    delay: Duration,
}

impl<'a> Backoff<'a> {
    pub(crate) fn new(policy: &'a RetryPolicy) -> Self {
        Backoff { policy, start: Instant::now(), delay: policy.initial_delay }
    }

    /// Sleep before the next attempt (the delay doubles, with ±50 % jitter so that competing
    /// processes spread out); `false` once the policy's total wait is used up.
    pub(crate) fn wait(&mut self) -> bool {
        let waited = self.start.elapsed();
        if waited >= self.policy.total_wait {
            return false;
        }
        let jittered = self.delay.mul_f64(0.5 + fastrand::f64());
        std::thread::sleep(jittered.min(self.policy.total_wait - waited));
        let floor = Duration::from_millis(1);
        self.delay = (self.delay * 2).clamp(floor, self.policy.max_delay.max(floor));
        true
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}
