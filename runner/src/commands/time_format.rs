//! Times as people read them: absolute UTC timestamps, ages ("3 min ago") and durations.

/// `2026-04-20 09:15:02 UTC`.
pub fn timestamp(ms: u64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms as i64) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => format!("{ms} ms after the epoch"),
    }
}

/// How long ago `then_ms` was at `now_ms`: `just now`, `42 s ago`, `3 min ago`, `5 h ago`,
/// `2 days ago`.
pub fn ago(then_ms: u64, now_ms: u64) -> String {
    if then_ms > now_ms {
        return "in the future (check the clock)".into();
    }
    let s = (now_ms - then_ms) / 1000;
    match s {
        0..=4 => "just now".into(),
        5..=59 => format!("{s} s ago"),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        86_400..=172_799 => "1 day ago".into(),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// `350 ms`, `4.2 s`, `3 min 5 s`.
pub fn duration(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms} ms"),
        1000..=59_999 => format!("{:.1} s", ms as f64 / 1000.0),
        _ => format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

/// A TTL in words: `86400 s (1 day)`.
pub fn ttl(seconds: u64) -> String {
    match seconds {
        0 => "0 s (everything is stale)".into(),
        s if s.is_multiple_of(86_400) => format!("{s} s ({} day{})", s / 86_400, if s == 86_400 { "" } else { "s" }),
        s if s.is_multiple_of(3600) => format!("{s} s ({} h)", s / 3600),
        s => format!("{s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_durations_read_naturally() {
        let now = 1_000_000_000;
        assert_eq!(ago(now - 1_000, now), "just now");
        assert_eq!(ago(now - 42_000, now), "42 s ago");
        assert_eq!(ago(now - 180_000, now), "3 min ago");
        assert_eq!(ago(now - 2 * 86_400_000, now), "2 days ago");
        assert_eq!(duration(350), "350 ms");
        assert_eq!(duration(4_200), "4.2 s");
        assert_eq!(duration(185_000), "3 min 5 s");
        assert_eq!(timestamp(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(ttl(86_400), "86400 s (1 day)");
    }
}
