//! A row's page beyond its values: its history from the audit trail (who changed which
//! field, from what to what), its files, and the places a form offers.

use super::rows::may_fill;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::campaign::FieldKind;
use anjian_store::attachments::Attachment;
use anjian_store::audit::AuditFilter;
use serde::Serialize;

/// One change of a row, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = CampaignRowChange)]
pub struct RowChange {
    pub at: String,
    pub actor: String,
    /// 登记、修改、上传附件、关联隐患.
    pub what: String,
    /// "字段：旧值 → 新值", one per field changed.
    pub changes: Vec<String>,
}

fn data_of(json: Option<&str>) -> serde_json::Map<String, serde_json::Value> {
    json.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .and_then(|v| v.get("data").and_then(|d| d.as_object()).cloned())
        .unwrap_or_default()
}

impl App {
    /// A row's history, newest first, from the audit trail (read in the caller's scope,
    /// after the row itself is found in it).
    pub fn campaign_row_history(&self, caller: &Caller, id: i64) -> Result<Vec<RowChange>> {
        let row = self.store.get_campaign_object(&caller.scope, id)?;
        let view = self.campaign(caller, &row.campaign, Some(row.definition_version))?;
        let ot = view
            .definition
            .object(&row.object_type)
            .ok_or(AppError::NotFound)?;
        let entries = self.store.list_audit(
            &caller.scope,
            &AuditFilter {
                entity: Some("campaign_object".into()),
                entity_id: Some(id.to_string()),
                limit: 200,
                ..Default::default()
            },
        )?;
        let names = self.person_labels()?;
        Ok(entries
            .into_iter()
            .map(|e| {
                let before = data_of(e.before.as_deref());
                let after = data_of(e.after.as_deref());
                let mut changes = Vec::new();
                for f in &ot.fields {
                    let (b, a) = (before.get(&f.key), after.get(&f.key));
                    if b == a || e.action.ends_with(".create") {
                        continue;
                    }
                    let text = |v: Option<&serde_json::Value>| match (v, &f.kind) {
                        (None, _) => "（空）".to_string(),
                        (Some(_), FieldKind::Attachment) => "附件".to_string(),
                        (Some(v), _) => f.text_of(v),
                    };
                    changes.push(format!("{}：{} → {}", f.label, text(b), text(a)));
                }
                let what = match e.action.rsplit('.').next().unwrap_or("") {
                    "create" => "登记",
                    "update" => "修改",
                    "attach" => "上传附件",
                    "link_hazard" => "关联隐患",
                    "delete" => "删除",
                    _ => "变更",
                };
                RowChange {
                    at: e.at.get(..16).unwrap_or(&e.at).replace('T', " "),
                    actor: names.get(&e.actor).cloned().unwrap_or(e.actor),
                    what: what.into(),
                    changes,
                }
            })
            .collect())
    }

    /// Stores a file in an attachment field of a row (checked by content and size first).
    pub fn attach_campaign_file(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        field: &str,
        name: &str,
        data: Vec<u8>,
    ) -> Result<Attachment> {
        let row = self.store.get_campaign_object(&caller.scope, id)?;
        let latest = self.campaign(caller, &row.campaign, None)?;
        let ot = latest
            .definition
            .object(&row.object_type)
            .ok_or(AppError::NotFound)?;
        if !may_fill(caller, ot) {
            return Err(AppError::Forbidden(format!("您不能修改“{}”台账", ot.name)));
        }
        if !ot
            .field(field)
            .is_some_and(|f| matches!(f.kind, FieldKind::Attachment))
        {
            return Err(AppError::NotFound);
        }
        let file = crate::hazards::checked_file(name, data, "")
            .map_err(|m| AppError::Validation(ValidationErrors::single(field, m)))?;
        let (_, a) = self.store.attach_to_campaign_object(
            &caller.change(&caller.scope, self),
            id,
            version,
            field,
            &file,
        )?;
        Ok(a)
    }

    /// The files of a row in the caller's scope.
    pub fn campaign_row_files(&self, caller: &Caller, id: i64) -> Result<Vec<Attachment>> {
        Ok(self.store.campaign_object_attachments(&caller.scope, id)?)
    }

    /// The townships and villages a form offers for a row's place, in the caller's scope:
    /// (code, "乡镇" or "乡镇 村").
    pub fn campaign_places(&self, caller: &Caller) -> Result<Vec<(String, String)>> {
        let regions = self.store.list_regions(&caller.scope, None, None)?;
        let names: std::collections::HashMap<&str, &str> = regions
            .iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect();
        Ok(regions
            .iter()
            .filter(|r| matches!(r.level.as_str(), "township" | "village"))
            .map(|r| {
                let label = match (r.level.as_str(), r.parent_code.as_deref()) {
                    ("village", Some(p)) => {
                        format!("{} {}", names.get(p).copied().unwrap_or(""), r.name)
                    }
                    _ => r.name.clone(),
                };
                (r.code.clone(), label)
            })
            .collect())
    }
}
