//! Enterprise registry use cases.

use crate::{App, AppError, Caller, Result};
use anjian_domain::enterprise::{EnterpriseInput, NewEnterprise};
use anjian_domain::scope::Permission;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::audit::{AuditEntry, AuditFilter};
use anjian_store::enterprises::{Enterprise, EnterpriseFilter, Page};

/// Reference data needed to validate enterprises (loaded once per request or import).
pub struct Refs {
    pub sectors: Vec<String>,
    pub department_ids: Vec<i64>,
}

impl Refs {
    pub fn load(app: &App) -> Result<Self> {
        Ok(Self {
            sectors: app
                .store
                .list_sectors()?
                .into_iter()
                .filter(|s| s.active)
                .map(|s| s.code)
                .collect(),
            department_ids: app
                .store
                .list_departments(&Scope::system(), app.clock.today())?
                .into_iter()
                .map(|d| d.id)
                .collect(),
        })
    }
}

/// Domain validation plus the checks that need the store (region, sectors,
/// departments exist; USCC not registered to another enterprise).
pub fn validate(
    app: &App,
    refs: &Refs,
    input: &EnterpriseInput,
    existing_id: Option<i64>,
) -> Result<NewEnterprise, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let v = input.validate(app.clock.today());
    let v = match v {
        Ok(v) => Some(v),
        Err(e) => {
            errs.merge(e);
            None
        }
    };
    let mut point = None;
    if input.lng.is_some() || input.lat.is_some() {
        match app.check_coordinates(
            &mut errs,
            input.region_code.trim(),
            input.lng.as_deref().unwrap_or(""),
            input.lat.as_deref().unwrap_or(""),
        ) {
            Ok(p) => point = Some(p),
            Err(e) => errs.add("lng", format!("无法核对坐标：{e}")),
        }
    }
    if let Some(v) = &v {
        match app.store.region_exists(v.region_code.as_str()) {
            Ok(true) => {}
            Ok(false) => errs.add(
                "region_code",
                format!("所属区划 {} 不存在，请先维护区划", v.region_code),
            ),
            Err(e) => errs.add("region_code", format!("无法核对区划：{e}")),
        }
        for s in &v.sectors {
            if !refs.sectors.contains(s) {
                errs.add("sector", format!("行业领域“{s}”不存在或已停用"));
            }
        }
        for d in &v.department_ids {
            if !refs.department_ids.contains(d) {
                errs.add("department_ids", format!("监管部门 {d} 不存在"));
            }
        }
        match app.store.enterprise_id_by_uscc(&v.uscc) {
            Ok(Some(id)) if Some(id) != existing_id => errs.add("uscc", "该统一社会信用代码已登记"),
            Ok(_) => {}
            Err(e) => errs.add("uscc", format!("无法核对统一社会信用代码：{e}")),
        }
    }
    errs.into_result()?;
    let mut v = v.ok_or_else(|| ValidationErrors::single("_", "数据无效"))?;
    v.point = point;
    Ok(v)
}

fn map_duplicate(e: AppError) -> AppError {
    match e {
        AppError::Conflict(m) if m.contains("uscc") => {
            AppError::Validation(ValidationErrors::single("uscc", "该统一社会信用代码已登记"))
        }
        other => other,
    }
}

/// A department may add or remove only the sectors it supervises; the enterprise's other
/// sectors (supervised by other departments) are kept as they were.
pub(crate) fn merge_sectors(
    caller: &Caller,
    v: &mut NewEnterprise,
    current: Option<&[String]>,
) -> Result<()> {
    let Some(allowed) = caller.scope.sectors.as_ref() else {
        return Ok(());
    };
    let foreign: Vec<&String> = v
        .sectors
        .iter()
        .filter(|s| !allowed.contains(s))
        .filter(|s| current.is_none_or(|c| !c.contains(s)))
        .collect();
    if !foreign.is_empty() {
        let names = foreign
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("、");
        return Err(AppError::Forbidden(format!(
            "行业领域 {names} 不在本部门的监管范围内"
        )));
    }
    if let Some(cur) = current {
        let mut merged: Vec<String> = cur
            .iter()
            .filter(|s| !allowed.contains(s))
            .cloned()
            .collect();
        merged.extend(v.sectors.iter().filter(|s| allowed.contains(s)).cloned());
        v.sectors = merged;
    }
    Ok(())
}

/// Explains a scope refusal in terms of the record (which field put it outside).
fn scope_check(caller: &Caller, v: &NewEnterprise) -> Result<()> {
    let s = caller.enterprise_write_scope();
    if !s.writable {
        return Err(caller.refuse("登记或修改企业信息"));
    }
    let mut errs = ValidationErrors::new();
    if !s.admits_region(v.region_code.as_str()) {
        errs.add("region_code", "所属区划不在您的管辖范围内");
    }
    if !s.admits_sectors(&v.sectors) {
        errs.add("sector", "行业领域不在本部门的监管范围内");
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            errs.fields
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join("；"),
        ))
    }
}

/// The enterprises in a caller's scope as the home page counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseOverview {
    pub total: i64,
    pub key: i64,
    pub above_scale: i64,
    pub suspended: i64,
    pub closed: i64,
    /// (sector code, name, enterprises) for the sectors with any, in the sectors' order.
    pub by_sector: Vec<(String, String, i64)>,
}

impl App {
    pub fn list_enterprises(
        &self,
        caller: &Caller,
        f: &EnterpriseFilter,
    ) -> Result<Page<Enterprise>> {
        caller.require(Permission::ViewEnterprises)?;
        Ok(self.store.list_enterprises(&caller.scope, f)?)
    }

    /// The enterprises in scope as the home page counts them: all, key, above scale,
    /// suspended, closed, and per sector (the sectors with any), read in one statement.
    pub fn enterprise_overview(&self, caller: &Caller) -> Result<EnterpriseOverview> {
        caller.require(Permission::ViewEnterprises)?;
        let all = EnterpriseFilter {
            limit: 1,
            ..Default::default()
        };
        let sectors = self.list_sectors(caller)?;
        let mut filters = vec![
            all.clone(),
            EnterpriseFilter {
                is_key: Some(true),
                ..all.clone()
            },
            EnterpriseFilter {
                above_scale: Some(true),
                ..all.clone()
            },
            EnterpriseFilter {
                status: Some("suspended".into()),
                ..all.clone()
            },
            EnterpriseFilter {
                status: Some("closed".into()),
                ..all.clone()
            },
        ];
        filters.extend(sectors.iter().map(|s| EnterpriseFilter {
            sector: Some(s.code.clone()),
            ..all.clone()
        }));
        let counts = self.store.count_enterprises_each(&caller.scope, &filters)?;
        let n = |i: usize| counts.get(i).copied().unwrap_or(0);
        Ok(EnterpriseOverview {
            total: n(0),
            key: n(1),
            above_scale: n(2),
            suspended: n(3),
            closed: n(4),
            by_sector: sectors
                .into_iter()
                .enumerate()
                .map(|(i, s)| (s.code, s.name, n(5 + i)))
                .filter(|(_, _, count)| *count > 0)
                .collect(),
        })
    }

    pub fn count_enterprises(&self, caller: &Caller, f: &EnterpriseFilter) -> Result<i64> {
        caller.require(Permission::ViewEnterprises)?;
        Ok(self.store.count_enterprises(&caller.scope, f)?)
    }

    /// The enterprise a user means by what they typed in a form: its full name, its 统一社会
    /// 信用代码, a picker's "名称（信用代码）", or a unique part of the name, in the caller's
    /// scope. `Ok(None)` for nothing typed; a message in words when nothing or several match
    /// (an enterprise outside the scope reads as not found).
    pub fn resolve_enterprise(
        &self,
        caller: &Caller,
        typed: &str,
    ) -> Result<std::result::Result<Option<i64>, String>> {
        let t = typed.trim();
        if t.is_empty() {
            return Ok(Ok(None));
        }
        // The record number (as the enterprise pages and older links show it).
        if t.len() < 18 && t.chars().all(|c| c.is_ascii_digit()) {
            return Ok(match t.parse::<i64>() {
                Ok(id) if self.get_enterprise(caller, id).is_ok() => Ok(Some(id)),
                _ => Err(format!("未找到编号为 {t} 的企业")),
            });
        }
        // A picker's "名称（代码）": the code decides.
        let code = t
            .rsplit_once('（')
            .and_then(|(_, c)| c.strip_suffix('）'))
            .map(str::trim)
            .filter(|c| c.len() == 18)
            .unwrap_or(t)
            .to_ascii_uppercase();
        if code.len() == 18 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
            if let Some(id) = self.store.enterprise_id_by_uscc(&code)?
                && self.get_enterprise(caller, id).is_ok()
            {
                return Ok(Ok(Some(id)));
            }
            return Ok(Err(format!("未找到统一社会信用代码为 {code} 的企业")));
        }
        let found = self
            .list_enterprises(
                caller,
                &EnterpriseFilter {
                    q: Some(t.to_string()),
                    limit: 10,
                    ..Default::default()
                },
            )?
            .items;
        if let Some(e) = found.iter().find(|e| e.name == t) {
            return Ok(Ok(Some(e.id)));
        }
        Ok(match found.as_slice() {
            [one] => Ok(Some(one.id)),
            [] => Err(format!(
                "未找到名称含“{t}”的企业，请输入企业全称或统一社会信用代码"
            )),
            _ => Err(format!(
                "名称含“{t}”的企业有多家（如 {}），请从候选中选择或输入全称",
                found
                    .iter()
                    .take(3)
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        })
    }

    /// Up to eight enterprises whose name, code or address contains `q`, as a picker offers
    /// them: "名称（统一社会信用代码）".
    pub fn suggest_enterprises(&self, caller: &Caller, q: &str) -> Result<Vec<String>> {
        let q = q.trim();
        if q.chars().count() < 2 {
            return Ok(vec![]);
        }
        Ok(self
            .list_enterprises(
                caller,
                &EnterpriseFilter {
                    q: Some(q.to_string()),
                    limit: 8,
                    ..Default::default()
                },
            )?
            .items
            .into_iter()
            .map(|e| format!("{}（{}）", e.name, e.uscc))
            .collect())
    }

    pub fn get_enterprise(&self, caller: &Caller, id: i64) -> Result<Enterprise> {
        caller.require(Permission::ViewEnterprises)?;
        Ok(self.store.get_enterprise(&caller.scope, id)?)
    }

    /// The change history of an enterprise (from the audit trail), newest first.
    pub fn enterprise_history(&self, caller: &Caller, id: i64) -> Result<Vec<AuditEntry>> {
        // Visibility of the record governs visibility of its history.
        let e = self.get_enterprise(caller, id)?;
        let f = AuditFilter {
            entity: Some("enterprise".into()),
            entity_id: Some(e.id.to_string()),
            limit: 200,
            ..Default::default()
        };
        let mut items = self.store.list_audit(&Scope::system(), &f)?;
        if !caller.can(Permission::ViewAudit) {
            // Who changed what, and when; not the officials' addresses or request ids.
            for e in &mut items {
                e.ip.clear();
                e.request_id.clear();
                e.actor_id = None;
            }
        }
        Ok(items)
    }

    pub fn create_enterprise(
        &self,
        caller: &Caller,
        input: &EnterpriseInput,
    ) -> Result<Enterprise> {
        caller.require(Permission::EditEnterprises)?;
        let refs = Refs::load(self)?;
        let mut v = validate(self, &refs, input, None)?;
        merge_sectors(caller, &mut v, None)?;
        scope_check(caller, &v)?;
        let scope = caller.enterprise_write_scope();
        let id = self
            .store
            .create_enterprise(&caller.change(&scope, self), &v)
            .map_err(|e| map_duplicate(e.into()))?;
        Ok(self.store.get_enterprise(&caller.scope, id)?)
    }

    pub fn update_enterprise(
        &self,
        caller: &Caller,
        id: i64,
        input: &EnterpriseInput,
    ) -> Result<Enterprise> {
        caller.require(Permission::EditEnterprises)?;
        let current = self.get_enterprise(caller, id)?;
        // The version the edit was based on is required: a lost race is a 409, never a silent overwrite.
        let Some(version) = input.version else {
            return Err(ValidationErrors::single(
                "version",
                "修改时须提供读取时的版本号 version（当前为 {}）"
                    .replace("{}", &current.version.to_string()),
            )
            .into());
        };
        let refs = Refs::load(self)?;
        let mut v = validate(self, &refs, input, Some(id))?;
        merge_sectors(caller, &mut v, Some(&current.sectors))?;
        scope_check(caller, &v)?;
        let scope = caller.enterprise_write_scope();
        self.store
            .update_enterprise(&caller.change(&scope, self), id, version, &v)
            .map_err(|e| map_duplicate(e.into()))
    }
}

/// The input form of an existing enterprise (for edit forms).
pub fn to_input(e: &Enterprise) -> EnterpriseInput {
    EnterpriseInput {
        name: e.name.clone(),
        uscc: e.uscc.clone(),
        uscc_override: e.uscc_warning.is_some(),
        region_code: e.region_code.clone(),
        address: e.address.clone(),
        sector: None,
        sectors: e.sectors.clone(),
        industry_code: e.industry_code.clone(),
        department_ids: e.department_ids.clone(),
        above_scale: e.above_scale,
        is_key: e.is_key,
        legal_rep: e.legal_rep.clone(),
        legal_rep_phone: e.legal_rep_phone.clone(),
        principal: e.principal.clone(),
        principal_phone: e.principal_phone.clone(),
        principal_id_no: e.principal_id_no.clone(),
        status: Some(e.status.clone()),
        risk_grade: e.risk_grade.clone(),
        licences: e
            .licences
            .iter()
            .map(|l| anjian_domain::enterprise::LicenceInput {
                kind: l.kind.clone(),
                number: l.number.clone(),
                issuer: l.issuer.clone(),
                valid_from: l.valid_from.map(|d| d.to_string()),
                valid_to: l.valid_to.map(|d| d.to_string()),
            })
            .collect(),
        lng: e.lng_micro.map(anjian_domain::emergency::degrees_text),
        lat: e.lat_micro.map(anjian_domain::emergency::degrees_text),
        version: Some(e.version),
    }
}

/// Personal ID numbers are shown in full only to callers who may edit the record.
pub fn redact(mut e: Enterprise, can_edit: bool) -> Enterprise {
    if !can_edit {
        e.principal_id_no = e.principal_id_no.map(|s| {
            if s.len() == 18 && s.is_ascii() {
                format!("{}********{}", &s[..6], &s[14..])
            } else {
                "***".into()
            }
        });
    }
    e
}
