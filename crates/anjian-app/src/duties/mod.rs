//! 职责清单: each member unit's duties as dated items with the document that set them. The
//! items naming a sector are the departments' sectors (a department's sector list, edited on
//! the organisation page, starts and ends such items), so they alone answer "who supervises
//! sector S on day D" with one department ([`App::who_supervises`]) and make a department
//! user's sectors ([`App::scope_of`]). The 安委办 maintains them; government reads them.

mod ledger;
pub use ledger::DUTY_IMPORT;

use crate::{App, Caller, Result};
use anjian_domain::duty::{Claim, DocKind, supervisor_on};
use anjian_domain::scope::Permission;
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{RegionCode, ValidationErrors};
use anjian_store::departments::Department;
use anjian_store::duties::{DutyFilter, DutyInput, DutyItem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A duty item as a form or the API submits it: dates as `YYYY-MM-DD` text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyDraft {
    pub department_id: i64,
    /// The duty in the document's words.
    pub content: String,
    /// sanding（三定方案）| committee（安委会决定）| division（任务分工）| other
    pub doc_kind: String,
    #[serde(default)]
    pub doc_title: String,
    #[serde(default)]
    pub doc_no: String,
    #[serde(default)]
    pub decided_on: Option<String>,
    /// The sector the duty makes the department supervise.
    #[serde(default)]
    pub sector_code: Option<String>,
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
}

impl From<DutyItem> for DutyDraft {
    fn from(d: DutyItem) -> Self {
        Self {
            department_id: d.department_id,
            content: d.content,
            doc_kind: d.doc_kind.as_str().into(),
            doc_title: d.doc_title,
            doc_no: d.doc_no,
            decided_on: d.decided_on.map(|x| x.to_string()),
            sector_code: d.sector_code,
            valid_from: d.valid_from.to_string(),
            valid_to: d.valid_to.map(|x| x.to_string()),
        }
    }
}

/// Which duties to show: as typed.
#[derive(Debug, Clone, Default)]
pub struct DutyQuery {
    pub department_id: Option<i64>,
    pub sector_code: Option<String>,
    pub as_of: Option<String>,
}

/// A duty item with the names a page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyView {
    #[serde(flatten)]
    pub item: DutyItem,
    pub department_name: String,
    pub doc_kind_label: String,
    pub sector_name: Option<String>,
}

/// One line of a department's duty list: a duty item, with the document behind it in words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyLine {
    pub duty_id: i64,
    pub content: String,
    /// The deciding document in words: kind, title, number.
    pub basis: String,
    pub decided_on: Option<NaiveDate>,
    pub sector_code: Option<String>,
    pub sector_name: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// In force on the day asked about (today when none).
    pub in_force: bool,
}

/// Who supervises a sector on a day, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Supervision {
    pub sector_code: String,
    pub sector_name: String,
    pub on: NaiveDate,
    pub department_id: i64,
    pub department_name: String,
    /// The duty item that answers.
    pub duty_id: i64,
    /// The deciding document in words.
    pub basis: String,
    /// Other departments holding the sector that day (their items started earlier).
    pub also: Vec<String>,
}

fn basis_of(kind: DocKind, title: &str, no: &str) -> String {
    [kind.label(), title.trim(), no.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn optional_date(e: &mut ValidationErrors, field: &str, typed: Option<&str>) -> Option<NaiveDate> {
    match typed.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => e.check(field, parse_date(d)),
        None => None,
    }
}

impl App {
    fn duty_view(
        &self,
        deps: &[Department],
        sectors: &[(String, String)],
        item: DutyItem,
    ) -> DutyView {
        DutyView {
            department_name: deps
                .iter()
                .find(|d| d.id == item.department_id)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            doc_kind_label: item.doc_kind.label().into(),
            sector_name: item.sector_code.as_ref().map(|c| sector_name(sectors, c)),
            item,
        }
    }

    pub(crate) fn sector_names(&self) -> Result<Vec<(String, String)>> {
        Ok(self
            .store
            .list_sectors()?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect())
    }

    /// Duty items of the caller's county: by department, sector, and those in force on a day.
    pub fn duties(&self, caller: &Caller, q: &DutyQuery) -> Result<Vec<DutyView>> {
        caller.require(Permission::ViewCountyWork)?;
        let mut e = ValidationErrors::new();
        let as_of = optional_date(&mut e, "as_of", q.as_of.as_deref());
        e.into_result()?;
        let f = DutyFilter {
            department_id: q.department_id,
            sector_code: q.sector_code.clone().filter(|s| !s.trim().is_empty()),
            as_of,
        };
        let deps = self
            .store
            .list_departments(&caller.scope, self.clock.today())?;
        let sectors = self.sector_names()?;
        Ok(self
            .store
            .list_duties(&caller.scope, &f)?
            .into_iter()
            .map(|i| self.duty_view(&deps, &sectors, i))
            .collect())
    }

    pub fn duty(&self, caller: &Caller, id: i64) -> Result<DutyView> {
        caller.require(Permission::ViewCountyWork)?;
        let item = self.store.get_duty(&caller.scope, id)?;
        let deps = self
            .store
            .list_departments(&caller.scope, self.clock.today())?;
        Ok(self.duty_view(&deps, &self.sector_names()?, item))
    }

    /// Checks a duty item against the county's departments and sectors; `deps` are those in
    /// the caller's scope.
    fn validate_duty(
        &self,
        deps: &[Department],
        sectors: &[(String, String)],
        d: &DutyDraft,
    ) -> std::result::Result<DutyInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let dept = deps.iter().find(|x| x.id == d.department_id);
        let county = dept.and_then(|x| {
            RegionCode::parse(&x.region_code)
                .ok()
                .and_then(|r| r.county())
                .map(|c| c.as_str().to_string())
        });
        if county.is_none() {
            e.add("department_id", "部门不存在或不在本县");
        }
        let content = required_text(&mut e, "content", "职责内容", &d.content, 1000);
        let kind = DocKind::from_words(&d.doc_kind);
        if kind.is_none() {
            e.add(
                "doc_kind",
                "文件类别应为三定方案、安委会决定、任务分工或其他文件",
            );
        }
        let doc_title = d.doc_title.trim().to_string();
        let doc_no = d.doc_no.trim().to_string();
        if doc_title.chars().count() > 200 {
            e.add("doc_title", "文件名称不能超过200个字");
        }
        if doc_no.chars().count() > 60 {
            e.add("doc_no", "文号不能超过60个字");
        }
        let decided_on = optional_date(&mut e, "decided_on", d.decided_on.as_deref());
        let sector_code = match d
            .sector_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => match sectors.iter().find(|(c, n)| c == s || n == s) {
                Some((c, _)) => Some(c.clone()),
                None => {
                    e.add("sector_code", format!("行业领域“{s}”不存在"));
                    None
                }
            },
            None => None,
        };
        let from = e.check("valid_from", parse_date(&d.valid_from));
        let to = optional_date(&mut e, "valid_to", d.valid_to.as_deref());
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("valid_to", "终止日期不能早于起始日期");
        }
        e.into_result()?;
        match (county, kind, from) {
            (Some(county_code), Some(doc_kind), Some(valid_from)) => Ok(DutyInput {
                county_code,
                department_id: d.department_id,
                content,
                doc_kind,
                doc_title,
                doc_no,
                decided_on,
                sector_code,
                valid_from,
                valid_to: to,
            }),
            _ => Err(ValidationErrors::single(
                "department_id",
                "部门不存在或不在本县",
            )),
        }
    }

    /// Adds a duty item to a department's list (安委办).
    pub fn create_duty(&self, caller: &Caller, d: &DutyDraft) -> Result<DutyView> {
        caller.require(Permission::ManageOrganisation)?;
        let deps = self
            .store
            .list_departments(&caller.scope, self.clock.today())?;
        let sectors = self.sector_names()?;
        let input = self.validate_duty(&deps, &sectors, d)?;
        let saved = self
            .store
            .create_duty(&caller.change(&caller.scope, self), &input)?;
        Ok(self.duty_view(&deps, &sectors, saved))
    }

    /// Changes a duty item (its text, document, sector or period; ending it is setting its
    /// last day) if `version` is still the one read.
    pub fn update_duty(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &DutyDraft,
    ) -> Result<DutyView> {
        caller.require(Permission::ManageOrganisation)?;
        self.store.get_duty(&caller.scope, id)?;
        let deps = self
            .store
            .list_departments(&caller.scope, self.clock.today())?;
        let sectors = self.sector_names()?;
        let input = self.validate_duty(&deps, &sectors, d)?;
        let saved =
            self.store
                .update_duty(&caller.change(&caller.scope, self), id, version, &input)?;
        Ok(self.duty_view(&deps, &sectors, saved))
    }

    /// A department's duty list: its duty items (those naming a sector are the sectors it
    /// supervises), each with the document behind it; with `as_of`, only what was in force
    /// that day.
    pub fn department_duties(
        &self,
        caller: &Caller,
        department_id: i64,
        as_of: Option<&str>,
    ) -> Result<Vec<DutyLine>> {
        caller.require(Permission::ViewCountyWork)?;
        let mut e = ValidationErrors::new();
        let day = optional_date(&mut e, "as_of", as_of);
        e.into_result()?;
        let on = day.unwrap_or_else(|| self.clock.today());
        self.store
            .get_department(&caller.scope, department_id, on)?;
        let sectors = self.sector_names()?;
        let items = self.store.list_duties(
            &caller.scope,
            &DutyFilter {
                department_id: Some(department_id),
                as_of: day,
                ..Default::default()
            },
        )?;
        Ok(items
            .into_iter()
            .map(|i| DutyLine {
                duty_id: i.id,
                in_force: i.valid_from <= on && i.valid_to.is_none_or(|t| on <= t),
                basis: basis_of(i.doc_kind, &i.doc_title, &i.doc_no),
                sector_name: i.sector_code.as_ref().map(|c| sector_name(&sectors, c)),
                content: i.content,
                decided_on: i.decided_on,
                sector_code: i.sector_code,
                valid_from: i.valid_from,
                valid_to: i.valid_to,
            })
            .collect())
    }

    /// Who supervises a sector on a day: among the duty items naming the sector in force that
    /// day, the latest decision ([`anjian_domain::duty::supervisor_on`]); `None` when nobody
    /// does.
    pub fn who_supervises(
        &self,
        caller: &Caller,
        sector: &str,
        on: NaiveDate,
    ) -> Result<Option<Supervision>> {
        caller.require(Permission::ViewCountyWork)?;
        let sectors = self.sector_names()?;
        let Some((code, name)) = sectors
            .iter()
            .find(|(c, n)| c == sector.trim() || n == sector.trim())
            .cloned()
        else {
            return Err(
                ValidationErrors::single("sector", format!("行业领域“{sector}”不存在")).into(),
            );
        };
        let deps = self.store.list_departments(&caller.scope, on)?;
        let items = self.store.list_duties(
            &caller.scope,
            &DutyFilter {
                sector_code: Some(code.clone()),
                as_of: Some(on),
                ..Default::default()
            },
        )?;
        let order = |id: i64| {
            deps.iter()
                .find(|d| d.id == id)
                .map(|d| d.sort_order)
                .unwrap_or(i64::MAX)
        };
        let claims: Vec<Claim> = items
            .iter()
            .map(|i| Claim {
                department_id: i.department_id,
                from: i.valid_from,
                to: i.valid_to,
                order: order(i.department_id),
            })
            .collect();
        let Some(item) = supervisor_on(&claims, on).and_then(|k| items.get(k)) else {
            return Ok(None);
        };
        let dept_name = |id: i64| {
            deps.iter()
                .find(|d| d.id == id)
                .map(|d| d.name.clone())
                .unwrap_or_default()
        };
        let mut also: Vec<String> = claims
            .iter()
            .filter(|c| c.in_force(on) && c.department_id != item.department_id)
            .map(|c| dept_name(c.department_id))
            .collect();
        also.sort();
        also.dedup();
        Ok(Some(Supervision {
            sector_code: code,
            sector_name: name,
            on,
            department_id: item.department_id,
            department_name: dept_name(item.department_id),
            duty_id: item.id,
            basis: basis_of(item.doc_kind, &item.doc_title, &item.doc_no),
            also,
        }))
    }
}

fn sector_name(sectors: &[(String, String)], code: &str) -> String {
    sectors
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| code.to_string())
}
