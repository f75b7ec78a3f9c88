//! Alarms as officials work them: the county's list by level, one alarm with what happened
//! to it, its acknowledgement (overdue past the county's minutes for its level), and its
//! disposal: a false alarm with its reason, handled on the spot with the measures, or a
//! hazard registered from it in one transaction and linked both ways (the hazard's page
//! names the alarm, the alarm the hazard), which then runs the hazard's loop.

use super::level_label;
use crate::hazards::HazardInput;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::clock::{china_day_start, china_offset};
use anjian_domain::monitoring::{Disposal, Level, check_disposal};
use anjian_domain::scope::Permission;
use anjian_store::monitoring::{Alarm, AlarmEvent, AlarmFigures, AlarmFilter};
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which alarms to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::IntoParams)]
pub struct AlarmQuery {
    /// Only those not yet disposed of.
    #[serde(default)]
    pub pending: Option<bool>,
    /// blue, yellow, orange, red (or their words).
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub object_id: Option<i64>,
    /// Opened in this year.
    #[serde(default)]
    pub year: Option<i32>,
}

/// An alarm as listed.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AlarmView {
    pub alarm: Alarm,
    /// 红色预警 …
    pub level_label: String,
    /// 测点报警, 监测项目升级预警 …
    pub target_label: String,
    /// The item's words (库水位 …).
    pub item_label: String,
    /// Not acknowledged and past its limit.
    pub ack_overdue: bool,
    pub disposal_label: Option<String>,
}

/// One alarm with what happened to it and what the caller may do.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AlarmDetail {
    pub view: AlarmView,
    pub events: Vec<AlarmEvent>,
    pub may_handle: bool,
    /// The hazard registration a 转为隐患 would make (its description, place, sector).
    pub hazard_description: String,
}

/// A disposal as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DisposalInput {
    /// false_alarm, on_site, hazard (or 误报, 现场处置, 转为隐患).
    pub disposal: String,
    /// The reason (false alarm) or measures (on the spot); for a hazard, a note.
    #[serde(default)]
    pub note: String,
    pub version: i64,
    /// For a hazard: its description (the alarm's when empty), level (general when empty)
    /// and sector (the enterprise's first when empty).
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub sector: String,
}

fn item_label(a: &Alarm) -> String {
    anjian_domain::monitoring::PointKind::parse(&a.item)
        .map(|k| k.label().to_string())
        .unwrap_or_default()
}

impl App {
    pub(crate) fn alarm_view(&self, a: Alarm) -> AlarmView {
        let now = anjian_store::ts(self.clock.now());
        AlarmView {
            level_label: level_label(Some(a.level)).to_string(),
            target_label: a.target.label().to_string(),
            item_label: item_label(&a),
            ack_overdue: a.acknowledged_at.is_none() && a.ack_due_at < now,
            disposal_label: a.disposal.map(|d| d.label().to_string()),
            alarm: a,
        }
    }

    /// The alarms the caller sees, newest first.
    pub fn monitoring_alarms(&self, caller: &Caller, q: &AlarmQuery) -> Result<Vec<AlarmView>> {
        if !caller.can(Permission::ViewMonitoring) {
            return Err(caller.refuse("查看在线监测报警"));
        }
        let level = match q.level.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(w) => Some(Level::from_words(w).ok_or_else(|| {
                ValidationErrors::single("level", "预警级别应为蓝色、黄色、橙色或红色")
            })?),
        };
        let (from, to) = match q.year {
            None => (None, None),
            Some(y) if (2000..=2100).contains(&y) => (Some(year_start(y)), Some(year_start(y + 1))),
            Some(_) => {
                return Err(ValidationErrors::single("year", "年度应在2000至2100之间").into());
            }
        };
        let list = self.store.monitoring_alarms(
            &caller.scope,
            &AlarmFilter {
                pending_only: q.pending.unwrap_or(false),
                level,
                object_id: q.object_id,
                from,
                to,
                hazard_id: None,
                limit: 2_000,
            },
        )?;
        Ok(list.into_iter().map(|a| self.alarm_view(a)).collect())
    }

    /// The caller's alarms awaiting acknowledgement (to-dos): highest level first, then
    /// oldest; none for those who do not handle alarms.
    pub fn alarm_todos(&self, caller: &Caller) -> Result<Vec<AlarmView>> {
        if !caller.can(Permission::HandleAlarms) || !caller.can(Permission::ViewMonitoring) {
            return Ok(Vec::new());
        }
        let mut list: Vec<AlarmView> = self
            .store
            .monitoring_alarms(
                &caller.scope,
                &AlarmFilter {
                    pending_only: true,
                    limit: 500,
                    ..Default::default()
                },
            )?
            .into_iter()
            .filter(|a| a.acknowledged_at.is_none())
            .map(|a| self.alarm_view(a))
            .collect();
        list.sort_by(|a, b| {
            b.alarm
                .level
                .cmp(&a.alarm.level)
                .then_with(|| a.alarm.opened_at.cmp(&b.alarm.opened_at))
        });
        Ok(list)
    }

    /// The alarms a hazard was registered from (for its page).
    pub fn alarms_of_hazard(&self, caller: &Caller, hazard_id: i64) -> Result<Vec<AlarmView>> {
        if !caller.can(Permission::ViewMonitoring) {
            return Ok(Vec::new());
        }
        let list = self.store.monitoring_alarms(
            &caller.scope,
            &AlarmFilter {
                hazard_id: Some(hazard_id),
                limit: 20,
                ..Default::default()
            },
        )?;
        Ok(list.into_iter().map(|a| self.alarm_view(a)).collect())
    }

    /// One alarm.
    pub fn monitoring_alarm(&self, caller: &Caller, id: i64) -> Result<AlarmDetail> {
        if !caller.can(Permission::ViewMonitoring) {
            return Err(caller.refuse("查看在线监测报警"));
        }
        let (a, events) = self.store.monitoring_alarm(&caller.scope, id)?;
        let may_handle = caller.can(Permission::HandleAlarms) && a.disposed_at.is_none();
        let view = self.alarm_view(a);
        Ok(AlarmDetail {
            hazard_description: hazard_description(&view),
            view,
            events,
            may_handle,
        })
    }

    /// The caller's scope for handling alarms: writable for those whose role handles them
    /// (an enterprise its own alarms, as it works its own hazards), whatever the scope is
    /// for other records.
    fn alarm_handler_scope(&self, caller: &Caller) -> Result<anjian_domain::Scope> {
        caller.require(Permission::HandleAlarms)?;
        let mut s = caller.scope.clone();
        s.writable = true;
        Ok(s)
    }

    /// Acknowledges an alarm (签收).
    pub fn acknowledge_alarm(&self, caller: &Caller, id: i64, version: i64) -> Result<AlarmDetail> {
        let scope = self.alarm_handler_scope(caller)?;
        self.store
            .acknowledge_alarm(&caller.change(&scope, self), id, version)
            .map_err(|e| match e {
                anjian_store::StoreError::Conflict(k) if k == "acknowledged" => {
                    AppError::Conflict("该报警已签收".into())
                }
                other => other.into(),
            })?;
        self.monitoring_alarm(caller, id)
    }

    /// Disposes of an alarm; for a hazard, answers with the alarm linked to the new hazard.
    pub fn dispose_alarm(
        &self,
        caller: &Caller,
        id: i64,
        d: &DisposalInput,
    ) -> Result<AlarmDetail> {
        let scope = self.alarm_handler_scope(caller)?;
        let disposal = Disposal::from_words(&d.disposal).ok_or_else(|| {
            ValidationErrors::single("disposal", "请选择处置方式：误报、现场处置或转为隐患")
        })?;
        check_disposal(disposal, &d.note)?;
        let change = caller.change(&scope, self);
        let done = if disposal == Disposal::Hazard {
            let detail = self.monitoring_alarm(caller, id)?;
            let input = self.alarm_hazard_input(caller, &detail, d)?;
            if !caller.hazard_scope().writable {
                return Err(caller.refuse("登记隐患"));
            }
            let f = self.validate_hazard(caller, &input)?;
            self.store
                .dispose_alarm_as_hazard(&change, id, d.version, &f, d.note.trim())
                .map(|_| ())
        } else {
            self.store
                .dispose_alarm(&change, id, d.version, disposal, d.note.trim())
                .map(|_| ())
        };
        done.map_err(|e| match e {
            anjian_store::StoreError::Conflict(k) if k == "disposed" => {
                AppError::Conflict("该报警已处置".into())
            }
            anjian_store::StoreError::Forbidden => {
                AppError::Forbidden("该隐患的区划、行业领域或企业不在您的管辖范围内".into())
            }
            other => other.into(),
        })?;
        self.monitoring_alarm(caller, id)
    }

    fn alarm_hazard_input(
        &self,
        caller: &Caller,
        detail: &AlarmDetail,
        d: &DisposalInput,
    ) -> Result<HazardInput> {
        let a = &detail.view.alarm;
        let sector = match d.sector.trim() {
            "" => match a.enterprise_id {
                Some(e) => self
                    .get_enterprise(caller, e)?
                    .sectors
                    .first()
                    .cloned()
                    .unwrap_or_default(),
                None => String::new(),
            },
            s => s.to_string(),
        };
        let description = match d.description.trim() {
            "" => detail.hazard_description.clone(),
            t => t.to_string(),
        };
        let self_check = caller.can(Permission::RegisterOwnHazardsOnly);
        Ok(HazardInput {
            enterprise_id: a.enterprise_id,
            region_code: a.region_code.clone(),
            sector,
            level: match d.level.trim() {
                "" => "general".into(),
                l => l.to_string(),
            },
            source: if self_check {
                "self_check"
            } else {
                "inspection"
            }
            .into(),
            description,
            found_on: opened_day(&a.opened_at)
                .unwrap_or_else(|| self.clock.today())
                .to_string(),
            location: Some(a.object_name.clone()),
            ..Default::default()
        })
    }

    /// The year's figures (ponds monitored, alarms by level, acknowledgement times).
    pub fn monitoring_figures(&self, caller: &Caller, year: i32) -> Result<AlarmFigures> {
        if !caller.can(Permission::ViewMonitoring) {
            return Err(caller.refuse("查看在线监测"));
        }
        if !(2000..=2100).contains(&year) {
            return Err(ValidationErrors::single("year", "年度应在2000至2100之间").into());
        }
        Ok(self.store.monitoring_figures(
            &caller.scope,
            &year_start(year),
            &year_start(year + 1),
        )?)
    }
}

/// The first instant of a year in China Standard Time, as stored.
pub(crate) fn year_start(y: i32) -> String {
    NaiveDate::from_ymd_opt(y, 1, 1)
        .map(|d| anjian_store::ts(china_day_start(d)))
        .unwrap_or_default()
}

fn opened_day(ts: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.with_timezone(&china_offset()).date_naive())
}

/// "在线监测报警：1号尾矿库 库水位 W1（红色预警，最高值 215.30 m）".
fn hazard_description(v: &AlarmView) -> String {
    let a = &v.alarm;
    let what = match (&a.point_name, a.peak_value) {
        (Some(p), Some(x)) => format!(
            "{} {}（{}，峰值 {:.2} {}）",
            v.item_label,
            p,
            v.level_label,
            x,
            a.unit.as_deref().unwrap_or("")
        ),
        _ => format!("{}（{}）", v.target_label, v.level_label),
    };
    format!(
        "在线监测报警：{} {}，经核实存在安全隐患",
        a.object_name, what
    )
}

impl App {
    /// 监测报警台账 (Excel): one row per alarm the caller sees, opened in `year`.
    pub fn monitoring_alarm_ledger(&self, caller: &Caller, year: i32) -> Result<Vec<u8>> {
        let list = self.monitoring_alarms(
            caller,
            &AlarmQuery {
                year: Some(year),
                ..Default::default()
            },
        )?;
        let headers = [
            "报警编号",
            "所在乡镇",
            "企业",
            "监测对象",
            "类型",
            "监测项目",
            "测点",
            "最高级别",
            "初始级别",
            "报警时间",
            "峰值",
            "恢复时间",
            "应签收时间",
            "签收时间",
            "签收人",
            "处置方式",
            "处置说明",
            "处置时间",
            "转隐患编号",
        ];
        let widths = [
            8.0, 12.0, 20.0, 18.0, 14.0, 12.0, 14.0, 10.0, 10.0, 17.0, 10.0, 17.0, 17.0, 17.0,
            12.0, 10.0, 30.0, 17.0, 10.0,
        ];
        let t = |s: &Option<String>| {
            s.as_deref()
                .map(crate::auth::local_time)
                .unwrap_or_default()
        };
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|v| {
                let a = &v.alarm;
                vec![
                    a.id.to_string(),
                    a.region_name.clone(),
                    a.enterprise_name.clone().unwrap_or_default(),
                    a.object_name.clone(),
                    v.target_label.clone(),
                    v.item_label.clone(),
                    a.point_name.clone().unwrap_or_default(),
                    v.level_label.clone(),
                    level_label(Some(a.first_level)).to_string(),
                    crate::auth::local_time(&a.opened_at),
                    a.peak_value
                        .map(|x| format!("{x:.2}{}", a.unit.as_deref().unwrap_or("")))
                        .unwrap_or_default(),
                    t(&a.cleared_at),
                    crate::auth::local_time(&a.ack_due_at),
                    t(&a.acknowledged_at),
                    a.acknowledged_by_name.clone(),
                    v.disposal_label.clone().unwrap_or_default(),
                    a.disposal_note.clone(),
                    t(&a.disposed_at),
                    a.hazard_id.map(|h| h.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &format!("{year}年在线监测报警台账"),
            &headers,
            &widths,
            &rows,
        )
    }
}
