//! Run ids sort by start time (so the newest run is the last key) and are unique across processes.

/// `<13-digit millis>-<8 hex chars>`, e.g. `1764063483000-3fa9c2d1`. Fixed width, so string order
/// is time order.
pub fn new_run_id(now_ms: u64) -> String {
    format!("{now_ms:013}-{:08x}", fastrand::u32(..))
}
