//! Branches: named copies of the project's schemas (`branch__<name>`), recorded so `rocky branch
//! list` and the runner agree on which exist.

use redb::ReadableTable;

use crate::store::BRANCHES;
use crate::{validate_branch_name, Branch, StateError, StateFile};

impl StateFile {
    /// Record a new branch. Refuses an invalid name and a name that already exists.
    pub fn create_branch(&self, b: &Branch) -> Result<(), StateError> {
        validate_branch_name(&b.name)?;
        self.write(|txn| {
            let mut table = txn.open_table(BRANCHES)?;
            if table.get(b.name.as_str())?.is_some() {
                return Err(StateError::BranchExists { name: b.name.clone() }.into());
            }
            table.insert(b.name.as_str(), self.encode(b)?.as_slice())?;
            Ok(())
        })
    }

    /// Forget a branch; `false` if it did not exist (a missing file is not created).
    pub fn delete_branch(&self, name: &str) -> Result<bool, StateError> {
        if self.branch(name)?.is_none() {
            return Ok(false);
        }
        self.write(|txn| Ok(txn.open_table(BRANCHES)?.remove(name)?.is_some()))
    }

    /// All branches, ordered by name.
    pub fn branches(&self) -> Result<Vec<Branch>, StateError> {
        Ok(self.all_json(BRANCHES, "branch")?.into_iter().map(|(_, b)| b).collect())
    }

    pub fn branch(&self, name: &str) -> Result<Option<Branch>, StateError> {
        self.get_json(BRANCHES, "branch", name)
    }
}
