//! Inspections (监督检查): checklist templates, inspection records and their findings.

use crate::db::Value;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Template {
    pub id: i64,
    pub sector: String,
    pub name: String,
    /// JSON array of `{code, text, basis}`.
    pub items: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Inspection {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub site: String,
    pub department_id: Option<i64>,
    pub sector: String,
    pub kind: String,
    pub enforcement: bool,
    pub inspected_on: NaiveDate,
    /// JSON array of names: the people without a certificate of the roster (experts,
    /// township staff), and every person of an inspection recorded before the roster.
    pub inspectors: String,
    /// The certified officers, as the roster held them on the day (empty before the roster).
    pub officers: Vec<Officer>,
    pub template_id: Option<i64>,
    /// JSON array of `{code, text, basis, result, note}`.
    pub checklist: String,
    pub summary: String,
    pub campaign: Option<String>,
    pub created_at: String,
}

/// An officer of an inspection as the roster held them when it was recorded: the name and
/// certificate number stay as they were, whatever the user record says later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Officer {
    /// The officer's user id.
    pub id: i64,
    pub name: String,
    /// 执法证号
    pub cert_no: String,
    /// The certificate's last valid day.
    #[serde(default)]
    pub cert_valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub id: i64,
    pub inspection_id: i64,
    pub item_code: String,
    pub description: String,
    pub hazard_id: Option<i64>,
}

/// A validated inspection to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub site: String,
    pub department_id: Option<i64>,
    pub sector: String,
    pub kind: String,
    pub enforcement: bool,
    pub inspected_on: NaiveDate,
    pub inspectors: String,
    pub officers: Vec<Officer>,
    pub template_id: Option<i64>,
    pub checklist: String,
    pub summary: String,
    pub campaign: Option<String>,
    /// (item code, description)
    pub findings: Vec<(String, String)>,
}

crate::table_row! {
    table "inspections", key id;
    fn row -> Inspection {
        id: i64 = "i.id",
        county_code: text = "i.county_code",
        region_code: text = "i.region_code",
        region_name: text = "COALESCE(r.name, '')",
        enterprise_id: opt_i64 = "i.enterprise_id",
        enterprise_name: opt_text = "e.name",
        site: text = "i.site",
        department_id: opt_i64 = "i.department_id",
        sector: text = "i.sector",
        kind: text = "i.kind",
        enforcement: bool = "i.enforcement",
        inspected_on: date = "i.inspected_on",
        inspectors: text = "i.inspectors",
        officers: json = "i.officers",
        template_id: opt_i64 = "i.template_id",
        checklist: text = "i.checklist",
        summary: text = "i.summary",
        campaign: opt_text = "i.campaign",
        created_at: text = "i.created_at",
    }
}
const FROM: &str = "inspections i LEFT JOIN regions r ON r.code = i.region_code LEFT JOIN enterprises e ON e.id = i.enterprise_id";

crate::table_row! {
    table "inspection_findings", key id, cols FINDING_COLS;
    fn finding_row(Row) -> Finding {
        id: i64,
        inspection_id: i64,
        item_code: text,
        description: text,
        hazard_id: opt_i64,
    }
}

fn scope_pred(scope: &Scope, p: &mut Vec<Value>) -> String {
    let mut parts = vec![scope_sql::regions(scope, "i.region_code", p)];
    if let Some(s) = &scope.sectors {
        parts.push(scope_sql::in_list("i.sector", s, p));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(scope_sql::in_list("i.enterprise_id", ids, p));
    }
    parts.join(" AND ")
}

fn get_in(tx: &mut dyn crate::db::Tx, scope: &Scope, id: i64) -> Result<Inspection> {
    let mut p = Vec::new();
    let cond = scope_pred(scope, &mut p);
    p.push(id.into());
    row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM {FROM} WHERE {cond} AND i.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

crate::table_row! {
    table "checklist_templates", key id, cols TEMPLATE_COLS;
    fn template_row -> Template {
        id: i64,
        sector: text,
        name: text,
        items: text,
        version: i64,
    }
}

impl Store {
    pub fn list_templates(&self, sector: Option<&str>) -> Result<Vec<Template>> {
        let (sql, p): (String, Vec<Value>) = match sector {
            Some(s) => (
                format!(
                    "SELECT {TEMPLATE_COLS} FROM checklist_templates WHERE sector = ? ORDER BY id"
                ),
                vec![s.into()],
            ),
            None => (
                format!("SELECT {TEMPLATE_COLS} FROM checklist_templates ORDER BY sector, id"),
                vec![],
            ),
        };
        self.db()
            .read(|tx| tx.query(&sql, &p)?.iter().map(template_row).collect())
    }

    pub fn get_template(&self, id: i64) -> Result<Template> {
        self.db().read(|tx| {
            template_row(&tx.query_one(
                &format!("SELECT {TEMPLATE_COLS} FROM checklist_templates WHERE id = ?"),
                &params![id],
            )?)
        })
    }

    /// Creates or replaces a template (by sector and name), audited.
    pub fn save_template(
        &self,
        change: &Change<'_>,
        sector: &str,
        name: &str,
        items: &str,
    ) -> Result<Template> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let existing = tx.query_opt(&format!("SELECT {TEMPLATE_COLS} FROM checklist_templates WHERE sector = ? AND name = ?"), &params![sector, name])?;
            let before = existing.as_ref().map(template_row).transpose()?;
            let id = match &before {
                Some(t) => {
                    tx.execute("UPDATE checklist_templates SET items = ?, version = version + 1, updated_at = ? WHERE id = ?", &params![items, now.as_str(), t.id])?;
                    t.id
                }
                None => tx.scalar_i64(
                    "INSERT INTO checklist_templates (sector, name, items, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
                    &params![sector, name, items, now.as_str()],
                )?,
            };
            let after = template_row(&tx.query_one(&format!("SELECT {TEMPLATE_COLS} FROM checklist_templates WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "template.save", "checklist_template", &id.to_string(), "", before.as_ref(), Some(&after))?;
            Ok(after)
        })
    }

    /// Records an inspection with its findings, in the writable scope.
    pub fn create_inspection(&self, change: &Change<'_>, i: &NewInspection) -> Result<Inspection> {
        change.require_writable()?;
        if !change
            .scope
            .admits(&i.region_code, &[i.sector.as_str()], i.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&i.region_code)?;
        let now = change.ts();
        let officers = serde_json::to_string(&i.officers)
            .map_err(|e| StoreError::Invalid(format!("officers: {e}")))?;
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO inspections (county_code, region_code, enterprise_id, site, department_id, sector, kind, enforcement, inspected_on, inspectors, \
                 officers, template_id, checklist, summary, campaign, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![
                    county.as_str(),
                    i.region_code.as_str(),
                    i.enterprise_id,
                    i.site.as_str(),
                    i.department_id,
                    i.sector.as_str(),
                    i.kind.as_str(),
                    i.enforcement,
                    i.inspected_on,
                    i.inspectors.as_str(),
                    officers.as_str(),
                    i.template_id,
                    i.checklist.as_str(),
                    i.summary.as_str(),
                    i.campaign.clone(),
                    change.actor_id,
                    now.as_str()
                ],
            )?;
            for (code, desc) in &i.findings {
                tx.execute("INSERT INTO inspection_findings (inspection_id, item_code, description) VALUES (?, ?, ?)", &params![id, code.as_str(), desc.as_str()])?;
            }
            let saved = get_in(tx, &Scope::system(), id)?;
            crate::audit::append_json(tx, change, "inspection.create", "inspection", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_inspection(&self, scope: &Scope, id: i64) -> Result<(Inspection, Vec<Finding>)> {
        self.db().read(|tx| {
            let i = get_in(tx, scope, id)?;
            let f = tx
                .query(&format!("SELECT {FINDING_COLS} FROM inspection_findings WHERE inspection_id = ? ORDER BY id"), &params![id])?
                .into_iter()
                .map(finding_row)
                .collect::<Result<_>>()?;
            Ok((i, f))
        })
    }

    pub fn list_inspections(
        &self,
        scope: &Scope,
        enterprise_id: Option<i64>,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Inspection>> {
        let mut p = Vec::new();
        let mut cond = scope_pred(scope, &mut p);
        if let Some(e) = enterprise_id {
            cond.push_str(" AND i.enterprise_id = ?");
            p.push(e.into());
        }
        self.db().read(|tx| {
            crate::paging::read_page(tx, &COLS.to_string(), FROM, "i.id", &cond, p, k, row, |i| {
                i.id
            })
        })
    }

    /// Turns a finding into a hazard in one step: the hazard (with its event and audit
    /// entry) and the finding's link are written together; a finding converts once.
    pub fn hazard_from_finding(
        &self,
        change: &Change<'_>,
        inspection_id: i64,
        finding_id: i64,
        f: &crate::hazards::HazardFields,
        ev: &crate::hazards::EventInput,
    ) -> Result<crate::hazards::Hazard> {
        change.require_writable()?;
        if !change
            .scope
            .admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            get_in(tx, change.scope, inspection_id)?;
            let h = crate::hazards::insert_hazard(tx, change, f, ev)?;
            let n = tx.execute(
                "UPDATE inspection_findings SET hazard_id = ? WHERE id = ? AND inspection_id = ? AND hazard_id IS NULL",
                &params![h.id, finding_id, inspection_id],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("finding missing or already converted".into()));
            }
            Ok(h)
        })
    }
}
