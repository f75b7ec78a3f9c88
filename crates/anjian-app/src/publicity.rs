//! The publicity (公示) of penalty decisions within the configured working days (三项制度,
//! 国办发〔2018〕118号): what is due, what was published where, withdrawals.

use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::publicity::{PublicityAction, PublicityFlow};
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::transition;
use anjian_store::publicity::Publicity;
use serde::{Deserialize, Serialize};

/// Setting: working days after a penalty decision within which it must be published.
pub const DECISION_PUBLICITY_WORKING_DAYS: &str = "decision_publicity_working_days";

/// Setting: whether simple-procedure (当场) decisions are published too (`true`, the default,
/// or `false`: many provinces publish general-procedure decisions only).
pub const PUBLISH_SIMPLE_DECISIONS: &str = "publish_simple_decisions";

/// 行政处罚法 art. 48: a published decision changed, revoked, confirmed unlawful or void is
/// withdrawn within three days; art. 85 makes them working days.
pub const WITHDRAW_WORKING_DAYS: u32 = 3;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionPublicity {
    pub case_id: i64,
    pub party_name: String,
    pub decided_on: String,
    pub due: String,
    pub publicity: Option<Publicity>,
    pub overdue: bool,
    /// When the decision was overturned after publication: the day its publicity must be
    /// withdrawn by (art. 48), and whether that has passed.
    pub withdraw_due: Option<String>,
    pub withdraw_overdue: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicityInput {
    pub published_on: String,
    pub channel: String,
    #[serde(default)]
    pub url: Option<String>,
}

impl App {
    fn publicity_days(&self) -> Result<u32> {
        Ok(self
            .store
            .setting(DECISION_PUBLICITY_WORKING_DAYS)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(7))
    }

    fn publish_simple(&self) -> Result<bool> {
        Ok(self.store.setting(PUBLISH_SIMPLE_DECISIONS)?.as_deref() != Some("false"))
    }

    /// Decided cases with their publicity due date and record; `overdue` when unpublished past
    /// due; an overturned decision's withdrawal due (art. 48).
    pub fn decision_publicity(&self, caller: &Caller) -> Result<Vec<DecisionPublicity>> {
        let cases = anjian_store::paging::all_pages(|k| {
            self.store.list_cases(&caller.scope, None, None, k)
        })?;
        self.decision_publicity_of(&cases)
    }

    /// [`App::decision_publicity`] of these cases (read in the caller's scope).
    pub(crate) fn decision_publicity_of(
        &self,
        cases: &[anjian_store::cases::Case],
    ) -> Result<Vec<DecisionPublicity>> {
        let simple_too = self.publish_simple()?;
        let cases: Vec<_> = cases
            .iter()
            .filter(|c| c.decided_on.is_some())
            .filter(|c| simple_too || c.procedure != "simple")
            .collect();
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let records = if ids.is_empty() {
            Vec::new()
        } else {
            self.store.publicity_of(&ids)?
        };
        let days = self.publicity_days()?;
        let today = self.clock.today();
        let mut out = Vec::new();
        for c in cases {
            let Some(decided) = c.decided_on else {
                continue;
            };
            let due = Some(self.add_working_days(decided, days)?);
            let publicity = records.iter().find(|p| p.case_id == c.id).cloned();
            let withdraw_due = match (&publicity, c.overturned_on) {
                (Some(_), Some(on)) => Some(self.add_working_days(on, WITHDRAW_WORKING_DAYS)?),
                _ => None,
            };
            let withdraw_overdue = withdraw_due.is_some_and(|d| {
                publicity
                    .as_ref()
                    .is_some_and(|p| p.withdrawn_on.is_none_or(|w| w > d))
                    && today > d
            });
            out.push(DecisionPublicity {
                withdraw_due: withdraw_due.map(|d| d.to_string()),
                withdraw_overdue,
                overdue: publicity.is_none() && due.is_some_and(|d| today > d),
                case_id: c.id,
                party_name: c.party_name.clone(),
                decided_on: decided.to_string(),
                due: due
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                publicity,
            });
        }
        Ok(out)
    }

    pub fn publish_decision(
        &self,
        caller: &Caller,
        case_id: i64,
        input: &PublicityInput,
    ) -> Result<Publicity> {
        caller.require_enforcer()?;
        let (c, _) = self.store.get_case(&caller.scope, case_id)?;
        let Some(decided) = c.decided_on else {
            return Err(AppError::Conflict("案件尚未作出处罚决定，无需公示".into()));
        };
        let mut e = ValidationErrors::new();
        let day = match parse_date(input.published_on.trim()) {
            Ok(d) if d > self.clock.today() => {
                e.add("published_on", "公示日期不能晚于今天");
                None
            }
            Ok(d) if d < decided => {
                e.add("published_on", "公示日期不能早于决定日期");
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                e.add("published_on", m);
                None
            }
        };
        let channel = input.channel.trim();
        if channel.is_empty() || channel.chars().count() > 100 {
            e.add("channel", "请填写公示载体（如政府网站、信用中国）");
        }
        let url = input.url.clone().unwrap_or_default();
        if url.chars().count() > 500 {
            e.add("url", "网址过长");
        }
        e.into_result()?;
        let Some(day) = day else {
            return Err(ValidationErrors::single("published_on", "请填写公示日期").into());
        };
        let scope = caller.hazard_scope();
        self.store
            .publish_decision(
                &caller.change(&scope, self),
                case_id,
                day,
                channel,
                url.trim(),
            )
            .map_err(|err| match err {
                anjian_store::StoreError::Duplicate(_) => {
                    AppError::Conflict("该决定已登记公示".into())
                }
                other => other.into(),
            })
    }

    pub fn withdraw_publicity(
        &self,
        caller: &Caller,
        case_id: i64,
        on: &str,
        reason: &str,
    ) -> Result<Publicity> {
        caller.require_enforcer()?;
        let mut e = ValidationErrors::new();
        let day = parse_date(on.trim()).ok();
        if day.is_none() {
            e.add("withdrawn_on", "日期格式应为 YYYY-MM-DD");
        }
        if reason.trim().is_empty() {
            e.add("reason", "请填写撤下公示的原因（如决定被撤销、变更）");
        }
        e.into_result()?;
        let Some(day) = day else {
            return Err(ValidationErrors::single("withdrawn_on", "请填写撤下日期").into());
        };
        let (c, _) = self.store.get_case(&caller.scope, case_id)?;
        let Some(p) = self.store.publicity_of(&[case_id])?.into_iter().next() else {
            return Err(AppError::Conflict("该决定未公示或已撤下".into()));
        };
        transition::<PublicityFlow>(
            &p.state(),
            PublicityAction::Withdraw,
            &caller.actor(&c.region_code, &c.sector, c.enterprise_id),
        )?;
        let scope = caller.hazard_scope();
        self.store
            .withdraw_publicity(&caller.change(&scope, self), case_id, day, reason.trim())
            .map_err(|err| match err {
                anjian_store::StoreError::Conflict(_) => {
                    AppError::Conflict("该决定未公示或已撤下".into())
                }
                other => other.into(),
            })
    }
}
