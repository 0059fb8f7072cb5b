//! Branch names reach SQL as part of schema names, so they are validated strictly.

use crate::BranchNameError;

/// Longest accepted branch name.
pub const MAX_BRANCH_NAME_LEN: usize = 64;

/// Accept 1–64 characters of `[A-Za-z0-9._-]`; otherwise say which character at which (1-based)
/// position is wrong.
pub fn validate_branch_name(name: &str) -> Result<(), BranchNameError> {
    if name.is_empty() {
        return Err(BranchNameError::Empty);
    }
    if let Some((index, ch)) =
        name.chars().enumerate().find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(BranchNameError::BadCharacter { name: name.to_string(), ch, position: index + 1 });
    }
    let len = name.chars().count();
    if len > MAX_BRANCH_NAME_LEN {
        return Err(BranchNameError::TooLong { len, max: MAX_BRANCH_NAME_LEN });
    }
    Ok(())
}

/// The schema prefix of a branch's tables: `branch__<name>`.
pub fn branch_schema_prefix(name: &str) -> String {
    format!("branch__{name}")
}
