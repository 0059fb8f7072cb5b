//! Watermarks of incremental models: the last value of the incremental column that was loaded.

use crate::store::WATERMARKS;
use crate::{StateError, StateFile, Watermark};

impl StateFile {
    pub fn watermark(&self, model: &str) -> Result<Option<Watermark>, StateError> {
        self.get_json(WATERMARKS, "watermark", model)
    }

    /// Set (or replace) a model's watermark.
    pub fn set_watermark(&self, model: &str, value: &str, at_ms: u64) -> Result<(), StateError> {
        self.put_json(WATERMARKS, model, &Watermark { value: value.to_string(), updated_at_ms: at_ms })
    }

    /// Every model's watermark, ordered by model name.
    pub fn watermarks(&self) -> Result<Vec<(String, Watermark)>, StateError> {
        self.all_json(WATERMARKS, "watermark")
    }
}
