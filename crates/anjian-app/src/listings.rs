//! 挂牌督办 use cases: proposal, approval, listing with announcement, extension,
//! de-listing request, verification and 摘牌销案 with announcement; yearly figures
//! that count carried-over listings in the year they are de-listed.

use crate::{App, AppError, Caller, Result};
use anjian_domain::listing::{self, ListingAction, ListingState};
use anjian_domain::scope::Permission;
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::offered;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::listings::{Listing, ListingEvent};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingProposal {
    /// The major hazard to list; region, sector and enterprise are taken from it.
    #[serde(default)]
    pub hazard_id: Option<i64>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    pub deadline: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingStep {
    pub action: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doc_no: Option<String>,
    #[serde(default)]
    pub announced_on: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingView {
    #[serde(flatten)]
    pub listing: Listing,
    pub state_label: &'static str,
    pub carried_over: bool,
    pub overdue: bool,
    pub allowed_actions: Vec<&'static str>,
}

/// 挂牌督办 figures of a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ListingFigures {
    /// Listed (挂牌) in the year.
    pub listed: usize,
    /// De-listed (摘牌) in the year, including those listed in earlier years.
    pub delisted: usize,
    /// Of the de-listed, listed in an earlier year.
    pub delisted_carried_over: usize,
    /// Still listed at the end of the year.
    pub open_at_year_end: usize,
}

impl App {
    fn listing_view(&self, caller: &Caller, l: Listing) -> Result<ListingView> {
        let today = self.clock.today();
        let state = l.state;
        let who = caller.actor(&l.region_code, &l.sector, l.enterprise_id);
        let facts = listing::ListingFacts {
            state,
            has_enterprise: l.enterprise_id.is_some(),
        };
        let allowed = offered::<listing::ListingFlow>(&facts, &who)
            .into_iter()
            .map(ListingAction::as_str)
            .collect();
        Ok(ListingView {
            carried_over: l.listed_on.is_some_and(|d| d.year() < today.year()),
            overdue: matches!(state, ListingState::Listed | ListingState::DelistRequested)
                && l.deadline < today,
            state_label: state.label(),
            allowed_actions: allowed,
            listing: l,
        })
    }

    pub fn propose_listing(&self, caller: &Caller, p: &ListingProposal) -> Result<ListingView> {
        if !caller.can(Permission::DirectRemediation) {
            return Err(AppError::Forbidden(
                "仅安委办、负有监管职责的部门和乡镇可提请挂牌督办".into(),
            ));
        }
        let mut e = ValidationErrors::new();
        let title =
            anjian_domain::validation::required_text(&mut e, "title", "督办事项", &p.title, 200);
        let deadline = e.check("deadline", parse_date(&p.deadline));
        let (region, sector, enterprise, mut unit) = match p.hazard_id {
            Some(hid) => {
                let h = self.store.get_hazard(&caller.scope, hid)?;
                if h.level != anjian_domain::hazard::Level::Major {
                    e.add("hazard_id", "只有重大事故隐患可以挂牌督办");
                }
                (
                    h.region_code.clone(),
                    h.sector.clone(),
                    h.enterprise_id,
                    if h.responsible_unit.is_empty() {
                        h.enterprise_name.clone().unwrap_or_default()
                    } else {
                        h.responsible_unit.clone()
                    },
                )
            }
            None => (
                p.region_code.clone().unwrap_or_default(),
                p.sector.clone().unwrap_or_default(),
                p.enterprise_id,
                String::new(),
            ),
        };
        if let Some(u) = p
            .responsible_unit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            unit = u.to_string();
        }
        if unit.is_empty() {
            e.add("responsible_unit", "请填写整改责任单位");
        }
        if anjian_domain::RegionCode::parse(&region).is_err()
            || !self.store.region_exists(&region)?
        {
            e.add("region_code", "请指定有效的区划");
        }
        if !self.store.list_sectors()?.iter().any(|s| s.code == sector) {
            e.add("sector", "请指定有效的行业领域");
        }
        if let Some(d) = deadline
            && d <= self.clock.today()
        {
            e.add("deadline", "整改期限应晚于今天");
        }
        e.into_result()?;
        let Some(deadline) = deadline else {
            return Err(ValidationErrors::single("deadline", "请填写整改期限").into());
        };
        let l = Listing {
            id: 0,
            county_code: String::new(),
            region_code: region,
            hazard_id: p.hazard_id,
            enterprise_id: enterprise,
            sector,
            title,
            responsible_unit: unit,
            state: ListingState::Proposed,
            proposed_on: self.clock.today(),
            approved_on: None,
            doc_no: String::new(),
            listed_on: None,
            listing_announced_on: None,
            listing_channel: String::new(),
            deadline,
            extensions: 0,
            verified_on: None,
            delisted_on: None,
            delisting_announced_on: None,
            delisting_channel: String::new(),
            version: 1,
        };
        let scope = caller.hazard_scope();
        let saved = self
            .store
            .create_listing(&caller.change(&scope, self), &l)
            .map_err(|e| match e {
                anjian_store::StoreError::Forbidden => {
                    AppError::Forbidden("该事项不在您的管辖范围内".into())
                }
                other => other.into(),
            })?;
        self.listing_view(caller, saved)
    }

    pub fn listing(&self, caller: &Caller, id: i64) -> Result<(ListingView, Vec<ListingEvent>)> {
        let (l, events) = self.store.get_listing(&caller.scope, id)?;
        Ok((self.listing_view(caller, l)?, events))
    }

    pub fn listings(&self, caller: &Caller, year: Option<i32>) -> Result<Vec<ListingView>> {
        self.store
            .list_listings(&caller.scope, year)?
            .into_iter()
            .map(|l| self.listing_view(caller, l))
            .collect()
    }

    pub fn listing_step(
        &self,
        caller: &Caller,
        id: i64,
        step: &ListingStep,
    ) -> Result<ListingView> {
        let action = ListingAction::parse(step.action.trim()).ok_or_else(|| {
            AppError::Validation(ValidationErrors::single(
                "action",
                "操作应为 approve、list、extend、request_delist、verify、reject 或 delist",
            ))
        })?;
        let (mut l, _) = self.store.get_listing(&caller.scope, id)?;
        if let Some(v) = step.version
            && v != l.version
        {
            return Err(AppError::Conflict(
                "该挂牌事项已被他人办理，请刷新后重试".into(),
            ));
        }
        let version = l.version;
        let state = l.state;
        let next = listing::transition(
            &listing::ListingFacts {
                state,
                has_enterprise: l.enterprise_id.is_some(),
            },
            action,
            &caller.actor(&l.region_code, &l.sector, l.enterprise_id),
        )?;
        let today = self.clock.today();
        let mut e = ValidationErrors::new();
        let note = step
            .note
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        let announcement = |e: &mut ValidationErrors| -> (Option<NaiveDate>, String) {
            let on = match step.announced_on.as_deref().map(parse_date) {
                Some(Ok(d)) => Some(d),
                Some(Err(m)) => {
                    e.add("announced_on", m);
                    None
                }
                None => {
                    e.add("announced_on", "请填写公告日期");
                    None
                }
            };
            let ch = step
                .channel
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .to_string();
            if ch.is_empty() {
                e.add("channel", "请填写公告渠道（如 政府网站、报纸、电视）");
            }
            (on, ch)
        };
        match action {
            ListingAction::Approve => l.approved_on = Some(today),
            ListingAction::List => {
                l.doc_no = step
                    .doc_no
                    .as_deref()
                    .map(str::trim)
                    .unwrap_or_default()
                    .to_string();
                if l.doc_no.is_empty() {
                    e.add("doc_no", "请填写挂牌督办通知书文号");
                }
                let (on, ch) = announcement(&mut e);
                l.listed_on = Some(today);
                l.listing_announced_on = on;
                l.listing_channel = ch;
            }
            ListingAction::Extend => {
                match step.deadline.as_deref().map(parse_date) {
                    Some(Ok(d)) if d > l.deadline => l.deadline = d,
                    Some(Ok(_)) => e.add("deadline", "延期后的期限应晚于原期限"),
                    Some(Err(m)) => e.add("deadline", m),
                    None => e.add("deadline", "请填写延期后的期限"),
                }
                if note.is_empty() {
                    e.add("note", "请填写延期理由");
                }
                l.extensions += 1;
            }
            ListingAction::RequestDelist => {
                if note.is_empty() {
                    e.add("note", "请说明整改完成及评估情况");
                }
            }
            ListingAction::Verify => l.verified_on = Some(today),
            ListingAction::Reject => {
                if note.is_empty() {
                    e.add("note", "请填写核查不合格的原因");
                }
            }
            ListingAction::Delist => {
                let (on, ch) = announcement(&mut e);
                l.delisted_on = Some(today);
                l.delisting_announced_on = on;
                l.delisting_channel = ch;
            }
        }
        e.into_result()?;
        l.state = next;
        let scope = caller.hazard_scope();
        let saved = self.store.update_listing(
            &caller.change(&scope, self),
            id,
            version,
            &l,
            action.as_str(),
            &note,
        )?;
        self.listing_view(caller, saved)
    }

    /// Listed and de-listed in a year (carried-over listings count when de-listed).
    pub fn listing_figures(&self, caller: &Caller, year: i32) -> Result<ListingFigures> {
        let in_year = |d: &Option<NaiveDate>| d.is_some_and(|d| d.year() == year);
        let all = self.store.list_listings(&caller.scope, None)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31)
            .ok_or_else(|| ValidationErrors::single("year", "年度不正确"))?;
        Ok(ListingFigures {
            listed: all.iter().filter(|l| in_year(&l.listed_on)).count(),
            delisted: all.iter().filter(|l| in_year(&l.delisted_on)).count(),
            delisted_carried_over: all
                .iter()
                .filter(|l| in_year(&l.delisted_on) && l.listed_on.is_some_and(|d| d.year() < year))
                .count(),
            open_at_year_end: all
                .iter()
                .filter(|l| {
                    l.listed_on.is_some_and(|d| d <= end) && l.delisted_on.is_none_or(|d| d > end)
                })
                .count(),
        })
    }

    /// All listings (system; demo).
    pub fn all_listings(&self) -> Result<Vec<Listing>> {
        Ok(self.store.list_listings(&Scope::system(), None)?)
    }
}
