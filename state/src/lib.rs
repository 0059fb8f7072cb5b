//! The state file. Filled by the runner issue.
