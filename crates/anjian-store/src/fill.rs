//! An import's `fill`: the caller's code run inside the store's write transaction, pushing
//! rows as it reads them, answering whether to keep them. Its answer is carried out of the
//! transaction here: a `false` or an error of the caller's own rolls everything back.

use crate::{Result, StoreError};

/// What an import's fill answered, carried out of its transaction.
pub(crate) struct Fill<E> {
    failed: Option<E>,
    kept_back: bool,
}

impl<E: From<StoreError>> Fill<E> {
    pub(crate) fn new() -> Self {
        Self {
            failed: None,
            kept_back: false,
        }
    }

    /// Inside the transaction: go on to commit, or the error that rolls it back.
    pub(crate) fn take(&mut self, answered: std::result::Result<bool, E>) -> Result<()> {
        match answered {
            Ok(true) => Ok(()),
            Ok(false) => {
                self.kept_back = true;
                Err(StoreError::Conflict("import kept back".into()))
            }
            Err(e) => {
                self.failed = Some(e);
                Err(StoreError::Conflict("import failed".into()))
            }
        }
    }

    /// After the transaction: the fill's own error, `empty` when it kept its rows back, or
    /// what the transaction answered.
    pub(crate) fn answer<T>(self, written: Result<T>, empty: T) -> std::result::Result<T, E> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.kept_back {
            return Ok(empty);
        }
        Ok(written?)
    }
}
