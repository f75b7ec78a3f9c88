//! The full-process record of a case (执法全过程记录).

use super::*;

/// One line of a case's full-process record (执法全过程记录).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordEntry {
    pub at: String,
    pub actor: String,
    pub what: String,
    /// The audit entry's sequence number and hash (its place in the tamper-evident chain).
    pub seq: i64,
    pub hash: String,
}

/// The full-process record of a case: every step, document and evidence file, each tied to
/// its audit entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseRecord {
    pub case_id: i64,
    pub entries: Vec<RecordEntry>,
    pub documents: Vec<anjian_store::documents::Document>,
    pub evidence: Vec<anjian_store::attachments::Attachment>,
}

impl App {
    pub fn case_record(&self, caller: &Caller, id: i64) -> Result<CaseRecord> {
        let (c, _) = self.store.get_case(&caller.scope, id)?;
        let documents = self.documents(caller, Some(("case", id)))?;
        let evidence = match c.hazard_id {
            Some(h) => self
                .store
                .hazard_attachments(&caller.scope, h)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let mut targets = vec![("case".to_string(), id.to_string())];
        targets.extend(
            documents
                .iter()
                .map(|d| ("document".to_string(), d.id.to_string())),
        );
        let mut entries = Vec::new();
        for (entity, entity_id) in targets {
            let f = anjian_store::audit::AuditFilter {
                entity: Some(entity),
                entity_id: Some(entity_id),
                limit: 500,
                ..Default::default()
            };
            for a in self.store.list_audit(&Scope::system(), &f)? {
                let what = match a.action.as_str() {
                    "case.create" => "立案/当场决定".to_string(),
                    "document.issue" => format!(
                        "制发文书 {}",
                        documents
                            .iter()
                            .find(|d| d.id.to_string() == a.entity_id)
                            .map(|d| d.doc_no.as_str())
                            .unwrap_or("")
                    ),
                    "document.serve" => "登记送达".to_string(),
                    "case.publicity" => "登记公示".to_string(),
                    "case.publicity_withdraw" => "撤下公示".to_string(),
                    other => other
                        .strip_prefix("case.")
                        .and_then(CaseAction::parse)
                        .map(|x| x.label().to_string())
                        .unwrap_or_else(|| other.to_string()),
                };
                entries.push(RecordEntry {
                    at: crate::auth::local_time(&a.at),
                    actor: a.actor,
                    what,
                    seq: a.seq,
                    hash: a.hash,
                });
            }
        }
        entries.sort_by_key(|e| e.seq);
        Ok(CaseRecord {
            case_id: id,
            entries,
            documents,
            evidence,
        })
    }
}
