//! The rows of a campaign's ledgers: read from what was typed with their definition's rules,
//! written in the caller's scope, shown with their values in words.

use super::CampaignView;
use super::resolve::Resolver;
use crate::hazards::HazardInput;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::campaign::{Data, FieldKind, ObjectType};
use anjian_domain::scope::Permission;
use anjian_store::campaigns::{CampaignObject, CampaignObjectFilter, CampaignObjectInput};
use anjian_store::paging::{Keyset, Page};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A row as typed: each field's value by its key, in words or as JSON (a number, true or
/// false); blank or absent means not filled.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRowInput {
    /// Values by field key: text as typed ("120.5", "是", "2022-06-01", a township or
    /// village by name or code, an enterprise by name or 统一社会信用代码).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, serde_json::Value>,
    /// 登记日期 (YYYY-MM-DD; today when blank).
    #[serde(default)]
    pub recorded_on: Option<String>,
}

impl CampaignRowInput {
    /// The values as text (what a form or a sheet would hold).
    pub fn typed(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|(k, v)| {
                let t = match v {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), t)
            })
            .collect()
    }
}

/// One field of a row, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = CampaignFieldText)]
pub struct FieldText {
    pub key: String,
    pub label: String,
    /// The value as shown (a place or an enterprise by name; numbers as decimals).
    pub text: String,
    /// The value as one would type it again (a form's value).
    pub typed: String,
    pub unit: String,
    /// text, number, date, choice, yesno, region, enterprise or attachment.
    pub kind: String,
}

/// A row with its values in words and what the caller may do with it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignRowView {
    pub record: CampaignObject,
    pub campaign_name: String,
    pub object_name: String,
    pub fields: Vec<FieldText>,
    /// Hazards registered on the row.
    pub hazards: Vec<i64>,
    /// A hazard condition of the object type holds (a house graded C/D).
    pub calls_for_hazard: bool,
    pub may_edit: bool,
}

/// Whether the caller fills rows of this object type (the 安委办 always may).
pub fn may_fill(caller: &Caller, ot: &ObjectType) -> bool {
    caller.scope.writable
        && (caller.can(Permission::ConfigureCounty) || ot.fill.contains(&caller.role))
}

fn object_type<'a>(view: &'a CampaignView, key: &str) -> Result<&'a ObjectType> {
    view.definition.object(key).ok_or(AppError::NotFound)
}

impl App {
    /// Reads a typed row under `view`'s object type `ot`: its values, place, enterprise,
    /// title and 登记日期; `keep` are the row's stored values kept as they are (its files).
    pub(crate) fn read_campaign_row(
        &self,
        view: &CampaignView,
        ot: &ObjectType,
        typed: &BTreeMap<String, String>,
        recorded_on: Option<&str>,
        resolver: &Resolver<'_>,
        keep: &Data,
    ) -> Result<std::result::Result<CampaignObjectInput, ValidationErrors>> {
        let mut typed = typed.clone();
        for f in &ot.fields {
            if matches!(f.kind, FieldKind::Attachment) {
                typed.remove(&f.key);
            }
        }
        let mut e = ValidationErrors::new();
        let day = match recorded_on.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(self.clock.today()),
            Some(s) => e.check("recorded_on", anjian_domain::validation::parse_date(s)),
        };
        let data = ot.read(&typed, resolver);
        resolver.finish()?;
        let mut data = match data {
            Ok(d) => d,
            Err(errs) => {
                e.merge(errs);
                return Ok(Err(e));
            }
        };
        for f in &ot.fields {
            if matches!(f.kind, FieldKind::Attachment)
                && let Some(v) = keep.get(&f.key)
            {
                data.insert(f.key.clone(), v.clone());
            }
        }
        let Some(day) = day else {
            return Ok(Err(e));
        };
        if day > self.clock.today() {
            e.add("recorded_on", "登记日期不能晚于今天");
            return Ok(Err(e));
        }
        let region = ot
            .region_field()
            .and_then(|f| data.get(&f.key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_default();
        let enterprise_id = ot
            .enterprise_field()
            .and_then(|f| data.get(&f.key))
            .and_then(|v| v.as_i64());
        Ok(Ok(CampaignObjectInput {
            campaign: view.definition.code.clone(),
            object_type: ot.key.clone(),
            definition_id: view.record.id,
            region_code: region,
            sector: view.definition.sector.clone(),
            enterprise_id,
            title: ot.title_of(&data),
            data,
            recorded_on: day,
        }))
    }

    /// Adds a row to a ledger: read with the campaign's latest definition and written in the
    /// caller's scope.
    pub fn create_campaign_row(
        &self,
        caller: &Caller,
        campaign: &str,
        object: &str,
        input: &CampaignRowInput,
    ) -> Result<CampaignRowView> {
        let view = self.campaign(caller, campaign, None)?;
        let ot = object_type(&view, object)?;
        if !may_fill(caller, ot) {
            return Err(AppError::Forbidden(format!("您不能填报“{}”台账", ot.name)));
        }
        let resolver = Resolver::new(self, caller, Vec::new())?;
        let row = self
            .read_campaign_row(
                &view,
                ot,
                &input.typed(),
                input.recorded_on.as_deref(),
                &resolver,
                &Data::new(),
            )?
            .map_err(AppError::Validation)?;
        let saved = self
            .store
            .create_campaign_object(&caller.change(&caller.scope, self), &row)?;
        self.campaign_row_view(caller, saved)
    }

    /// Changes a row if `version` still matches; it keeps the definition version it was
    /// recorded under, and its files.
    pub fn update_campaign_row(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        input: &CampaignRowInput,
    ) -> Result<CampaignRowView> {
        let before = self.store.get_campaign_object(&caller.scope, id)?;
        let view = self.campaign_of_row(caller, &before)?;
        let ot = object_type(&view, &before.object_type)?;
        if !may_fill(caller, ot) {
            return Err(AppError::Forbidden(format!("您不能修改“{}”台账", ot.name)));
        }
        let files: Vec<i64> = before
            .data
            .values()
            .filter_map(serde_json::Value::as_i64)
            .collect();
        let resolver = Resolver::new(self, caller, files)?;
        let row = self
            .read_campaign_row(
                &view,
                ot,
                &input.typed(),
                input.recorded_on.as_deref(),
                &resolver,
                &before.data,
            )?
            .map_err(AppError::Validation)?;
        let saved = self.store.update_campaign_object(
            &caller.change(&caller.scope, self),
            id,
            version,
            &row,
        )?;
        self.campaign_row_view(caller, saved)
    }

    /// Deletes a row entered by mistake (refused while hazards are linked to it).
    pub fn delete_campaign_row(&self, caller: &Caller, id: i64, version: i64) -> Result<()> {
        let before = self.store.get_campaign_object(&caller.scope, id)?;
        let view = self.campaign_of_row(caller, &before)?;
        let ot = object_type(&view, &before.object_type)?;
        if !may_fill(caller, ot) {
            return Err(AppError::Forbidden(format!(
                "您不能删除“{}”台账的记录",
                ot.name
            )));
        }
        self.store
            .delete_campaign_object(&caller.change(&caller.scope, self), id, version)
            .map_err(|e| match e {
                anjian_store::StoreError::Conflict(what) if what == "hazards" => {
                    AppError::Conflict("该记录已登记隐患，不能删除".into())
                }
                other => other.into(),
            })
    }

    /// A row in the caller's scope, with its values in words.
    pub fn campaign_row(&self, caller: &Caller, id: i64) -> Result<CampaignRowView> {
        let o = self.store.get_campaign_object(&caller.scope, id)?;
        self.campaign_row_view(caller, o)
    }

    /// The definition version a row was recorded under.
    fn campaign_of_row(&self, caller: &Caller, o: &CampaignObject) -> Result<CampaignView> {
        self.campaign(caller, &o.campaign, Some(o.definition_version))
    }

    fn campaign_row_view(&self, caller: &Caller, o: CampaignObject) -> Result<CampaignRowView> {
        let view = self.campaign_of_row(caller, &o)?;
        let latest = self.campaign(caller, &o.campaign, None)?;
        let mut v = self.row_words(caller, &view, &latest, o)?;
        v.hazards = self
            .store
            .campaign_object_hazards(&caller.scope, v.record.id)?;
        Ok(v)
    }

    /// A row's values in words under its definition version (no hazards read).
    pub(crate) fn row_words(
        &self,
        caller: &Caller,
        view: &CampaignView,
        latest: &CampaignView,
        o: CampaignObject,
    ) -> Result<CampaignRowView> {
        let ot = object_type(view, &o.object_type)?;
        let fields = ot
            .fields
            .iter()
            .map(|f| {
                let v = o.data.get(&f.key);
                let typed = v.map(|v| f.text_of(v)).unwrap_or_default();
                let text = match (&f.kind, v) {
                    (FieldKind::Region, Some(_)) => o.region_name.clone(),
                    (FieldKind::Enterprise, Some(_)) => {
                        o.enterprise_name.clone().unwrap_or_else(|| typed.clone())
                    }
                    (FieldKind::Attachment, Some(_)) => "已上传".into(),
                    _ => typed.clone(),
                };
                FieldText {
                    key: f.key.clone(),
                    label: f.label.clone(),
                    text,
                    typed,
                    unit: f.unit().to_string(),
                    kind: f.kind.code().to_string(),
                }
            })
            .collect();
        // The latest definition's hazard rules (a rule added later applies to old rows).
        let calls_for_hazard = latest
            .definition
            .object(&o.object_type)
            .is_some_and(|t| t.hazard_when.iter().any(|c| c.holds(&o.data)));
        Ok(CampaignRowView {
            campaign_name: view.definition.name.clone(),
            object_name: ot.name.clone(),
            fields,
            hazards: Vec::new(),
            calls_for_hazard,
            may_edit: may_fill(caller, ot),
            record: o,
        })
    }

    /// A page of a ledger's rows in the caller's scope, newest first.
    pub fn campaign_rows_page(
        &self,
        caller: &Caller,
        f: &CampaignObjectFilter,
        k: &Keyset,
    ) -> Result<Page<CampaignRowView>> {
        let latest = self.campaign(caller, &f.campaign, None)?;
        object_type(&latest, &f.object_type)?;
        let page = self.store.list_campaign_objects(&caller.scope, f, k)?;
        let mut versions: BTreeMap<i64, CampaignView> = BTreeMap::new();
        let mut items = Vec::with_capacity(page.items.len());
        for o in page.items {
            let view = match versions.entry(o.definition_version) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(self.campaign(caller, &o.campaign, Some(o.definition_version))?)
                }
            };
            items.push(self.row_words(caller, view, &latest, o)?);
        }
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// A hazard found on a row, as the registration form opens with it: the row's place,
    /// sector and enterprise, its title as the hazard's location, and a description naming
    /// the campaign and the values that call for a hazard (a house appraised D). A row
    /// outside the caller's scope answers like a missing one; a caller who may not register
    /// hazards or fill the ledger is refused.
    pub fn campaign_row_hazard_draft(&self, caller: &Caller, id: i64) -> Result<HazardInput> {
        let row = self.campaign_row(caller, id)?;
        if !row.may_edit || !caller.hazard_scope().writable {
            return Err(caller.refuse("在台账记录上登记隐患"));
        }
        let latest = self.campaign(caller, &row.record.campaign, None)?;
        let findings: Vec<String> = latest
            .definition
            .object(&row.record.object_type)
            .map(|t| {
                t.hazard_when
                    .iter()
                    .filter(|c| c.holds(&row.record.data))
                    .filter_map(|c| row.fields.iter().find(|f| f.key == c.field))
                    .map(|f| format!("{}为“{}{}”", f.label, f.text, f.unit))
                    .collect()
            })
            .unwrap_or_default();
        let mut description = format!("{}（{}）排查发现", row.campaign_name, row.object_name);
        if findings.is_empty() {
            description.push('：');
        } else {
            description.push_str(&format!("{}：", findings.join("，")));
        }
        let self_check = caller.can(Permission::RegisterOwnHazardsOnly);
        Ok(HazardInput {
            enterprise_id: row.record.enterprise_id,
            region_code: row.record.region_code.clone(),
            sector: row.record.sector.clone().unwrap_or_default(),
            level: "general".into(),
            source: if self_check {
                "self_check"
            } else {
                "inspection"
            }
            .into(),
            description,
            found_on: self.clock.today().to_string(),
            location: Some(row.record.title.clone()),
            ..Default::default()
        })
    }

    /// Registers a hazard found on a row and links it to the row: the row is checked first
    /// (in scope, fillable by the caller), then the hazard is registered with the normal
    /// rules and linked. Answers the hazard's id.
    pub fn create_hazard_on_campaign_row(
        &self,
        caller: &Caller,
        id: i64,
        input: &HazardInput,
    ) -> Result<i64> {
        self.campaign_row_hazard_draft(caller, id)?;
        let h = self.create_hazard(caller, input)?;
        self.link_campaign_row_hazard(caller, id, h.hazard.id)?;
        Ok(h.hazard.id)
    }

    /// Links a hazard registered on a row (both in the caller's writable scope).
    pub fn link_campaign_row_hazard(&self, caller: &Caller, id: i64, hazard_id: i64) -> Result<()> {
        Ok(self.store.link_campaign_object_hazard(
            &caller.change(&caller.scope, self),
            id,
            hazard_id,
        )?)
    }
}
