//! Gathering queued writes for a while without being woken by each one: the recorder and the
//! describer work in batches, and a thread blocked on the queue would be woken (a context
//! switch on a busy machine) by every model the run finishes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `first`, then whatever `rx` holds once `window` has passed or `ending` is set (the sender
/// sets it and unparks the thread, [`end`]), at most `max` in all.
pub fn gather<T>(rx: &Receiver<T>, first: T, window: Duration, max: usize, ending: &AtomicBool) -> Vec<T> {
    let until = Instant::now() + window;
    while !ending.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= until {
            break;
        }
        std::thread::park_timeout(until - now);
    }
    std::iter::once(first).chain(rx.try_iter().take(max.saturating_sub(1))).collect()
}

/// Tells the gathering thread that nothing more is coming: it stops waiting at once.
pub fn end<T>(ending: &AtomicBool, thread: &JoinHandle<T>) {
    ending.store(true, Ordering::SeqCst);
    thread.thread().unpark();
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;
    use std::sync::{mpsc, Arc};
    use std::time::{Duration, Instant};

    use super::{end, gather};

    #[test]
    fn gathers_what_was_queued_in_the_window_at_most_max() {
        let (tx, rx) = mpsc::channel();
        for i in 1..=5 {
            tx.send(i).unwrap();
        }
        let never = AtomicBool::new(false);
        assert_eq!(gather(&rx, 0, Duration::from_millis(20), 4, &never), [0, 1, 2, 3]);
        assert_eq!(rx.try_iter().collect::<Vec<_>>(), [4, 5], "the rest stays queued");
    }

    #[test]
    fn ending_stops_the_wait_at_once() {
        let (tx, rx) = mpsc::channel::<u32>();
        let ending = Arc::new(AtomicBool::new(false));
        let thread_ending = ending.clone();
        let started = Instant::now();
        let handle = std::thread::spawn(move || gather(&rx, 0, Duration::from_secs(30), usize::MAX, &thread_ending));
        tx.send(1).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        end(&ending, &handle);
        assert_eq!(handle.join().unwrap(), [0, 1]);
        assert!(started.elapsed() < Duration::from_secs(10), "waited for the window: {:?}", started.elapsed());
    }
}
