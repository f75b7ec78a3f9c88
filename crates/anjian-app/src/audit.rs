//! Audit trail browsing and verification.

use crate::{App, Caller, Result};
use anjian_domain::scope::Permission;
use anjian_store::audit::{AuditEntry, AuditFilter, AuditReport};

impl App {
    pub fn list_audit(&self, caller: &Caller, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        caller.require(Permission::ViewAudit)?;
        Ok(self.store.list_audit(&caller.scope, f)?)
    }

    pub fn verify_audit(&self, caller: Option<&Caller>) -> Result<AuditReport> {
        if let Some(c) = caller {
            c.require(Permission::ViewAudit)?;
        }
        Ok(self.store.verify_audit()?)
    }
}
