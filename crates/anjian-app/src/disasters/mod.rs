//! Natural-disaster responses (自然灾害应对): the 安委办 records each event (寒潮、强降雨 …),
//! its rounds of response, and checks (核定) the figures each township reports for itself
//! (people evacuated in advance, relocated, houses damaged, loss). The report's
//! "成功应对冰雪、强降雨自然灾害N轮，紧急避险转移人口N人，紧急转移安置人口N人" is counted from
//! them (`disasters.responses`, `disasters.people_evacuated`, `disasters.people_relocated`).

mod ledger;
pub use ledger::DISASTER_FIGURES_IMPORT;

use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::disaster::{
    self, DisasterFigureStatus, DisasterKind, DisasterResponseLevel, DisasterWarning, parse_minute,
    parse_people, parse_yuan,
};
use anjian_domain::leader::AreaKind;
use anjian_domain::scope::{Permission, Role};
use anjian_domain::validation::{parse_date, required_text};
use anjian_store::disasters::{
    DisasterEvent, DisasterEventInput, DisasterFigure, DisasterFigureInput, DisasterFilter,
    DisasterRound, DisasterRoundInput,
};
use serde::{Deserialize, Deserializer, Serialize};

/// Who keeps the events and rounds and checks the townships' figures: the 安委办.
pub fn may_keep(role: Role) -> bool {
    role.can(Permission::DecideAsCountyOffice)
}

/// Who reports a township's figures: the township's own users (their scope decides which
/// township), and the 安委办 on a township's behalf.
pub fn may_report(role: Role) -> bool {
    role.belongs_to_township() || may_keep(role)
}

/// A JSON number or text, kept as typed text (a head count or an amount of 元 can come from
/// a form or from a JSON client).
fn number_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Null => Ok(String::new()),
        other => Err(serde::de::Error::custom(format!(
            "应为数字或文本，而不是 {other}"
        ))),
    }
}

fn opt_number_text<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    Ok(Some(number_text(d)?).filter(|s| !s.trim().is_empty()))
}

/// An event as a form or the API submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterEventDraft {
    /// cold_wave（寒潮/低温雨雪冰冻）| heavy_rain（强降雨/暴雨洪涝）| typhoon | geological |
    /// drought | heat | wind_hail | earthquake | other
    pub kind: String,
    pub name: String,
    /// YYYY-MM-DD
    pub start_on: String,
    /// YYYY-MM-DD; empty while the event goes on.
    #[serde(default)]
    pub end_on: Option<String>,
    /// blue | yellow | orange | red (蓝/黄/橙/红色预警); empty if none.
    #[serde(default)]
    pub warning_level: Option<String>,
    /// iv | iii | ii | i (Ⅳ/Ⅲ/Ⅱ/Ⅰ级应急响应); empty if none.
    #[serde(default)]
    pub response_level: Option<String>,
    #[serde(default)]
    pub summary: String,
}

impl From<&DisasterEvent> for DisasterEventDraft {
    fn from(e: &DisasterEvent) -> Self {
        Self {
            kind: e.kind.as_str().into(),
            name: e.name.clone(),
            start_on: e.start_on.to_string(),
            end_on: e.end_on.map(|d| d.to_string()),
            warning_level: e.warning_level.map(|w| w.as_str().into()),
            response_level: e.response_level.map(|r| r.as_str().into()),
            summary: e.summary.clone(),
        }
    }
}

/// A round of response as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterRoundDraft {
    /// YYYY-MM-DD HH:MM (local time)
    pub started_at: String,
    /// YYYY-MM-DD HH:MM; empty while the response goes on.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// iv | iii | ii | i
    pub response_level: String,
    /// 简要情况
    #[serde(default)]
    pub account: String,
}

impl From<&DisasterRound> for DisasterRoundDraft {
    fn from(r: &DisasterRound) -> Self {
        Self {
            started_at: anjian_domain::minute::text(r.started_at),
            ended_at: r.ended_at.map(anjian_domain::minute::text),
            response_level: r.response_level.as_str().into(),
            account: r.account.clone(),
        }
    }
}

/// A township's figures as submitted (numbers as JSON numbers or text).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterFigureDraft {
    /// 紧急避险转移（人）
    #[serde(deserialize_with = "number_text")]
    #[schema(value_type = i64)]
    pub evacuated: String,
    /// 紧急转移安置（人）
    #[serde(deserialize_with = "number_text")]
    #[schema(value_type = i64)]
    pub relocated: String,
    /// 损坏房屋（间），可空
    #[serde(default, deserialize_with = "opt_number_text")]
    #[schema(value_type = Option<i64>)]
    pub houses_damaged: Option<String>,
    /// 直接经济损失（元，最多两位小数），可空
    #[serde(default, deserialize_with = "opt_number_text")]
    #[schema(value_type = Option<String>, example = "125000.50")]
    pub loss_yuan: Option<String>,
    #[serde(default)]
    pub note: String,
}

impl From<&DisasterFigure> for DisasterFigureDraft {
    fn from(f: &DisasterFigure) -> Self {
        Self {
            evacuated: f.evacuated.to_string(),
            relocated: f.relocated.to_string(),
            houses_damaged: f.houses_damaged.map(|h| h.to_string()),
            loss_yuan: f.loss_fen.map(disaster::yuan_text),
            note: f.note.clone(),
        }
    }
}

/// Which events to list: as typed.
#[derive(Debug, Clone, Default)]
pub struct DisasterQuery {
    pub year: Option<String>,
    pub kind: Option<String>,
}

/// An event with the words a page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterEventView)]
pub struct DisasterEventView {
    #[serde(flatten)]
    pub event: DisasterEvent,
    pub kind_label: String,
    pub warning_label: Option<String>,
    pub response_label: Option<String>,
}

impl From<DisasterEvent> for DisasterEventView {
    fn from(event: DisasterEvent) -> Self {
        Self {
            kind_label: event.kind.label().into(),
            warning_label: event.warning_level.map(|w| w.label().into()),
            response_label: event.response_level.map(|r| r.label().into()),
            event,
        }
    }
}

/// A round with its level in words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterRoundView)]
pub struct DisasterRoundView {
    #[serde(flatten)]
    pub round: DisasterRound,
    pub response_label: String,
}

impl From<DisasterRound> for DisasterRoundView {
    fn from(round: DisasterRound) -> Self {
        Self {
            response_label: round.response_level.label().into(),
            round,
        }
    }
}

/// A township's figures with their status in words and the loss in 元.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterFigureView)]
pub struct DisasterFigureView {
    #[serde(flatten)]
    pub figure: DisasterFigure,
    pub status_label: String,
    /// 直接经济损失（元，两位小数）
    pub loss_yuan: Option<String>,
}

impl From<DisasterFigure> for DisasterFigureView {
    fn from(figure: DisasterFigure) -> Self {
        Self {
            status_label: figure.status.label().into(),
            loss_yuan: figure.loss_fen.map(disaster::yuan_text),
            figure,
        }
    }
}

/// One township of an event's table: its figures if reported, and what the caller may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterTownshipRow)]
pub struct DisasterTownshipRow {
    pub region_code: String,
    pub region_name: String,
    pub figure: Option<DisasterFigureView>,
    /// The caller may report (or correct) this township's figures.
    pub may_report: bool,
    /// The caller may check them (reported, not yet checked).
    pub may_check: bool,
}

/// An event with its rounds and the townships' figures the caller sees.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterEventDetail)]
pub struct DisasterEventDetail {
    pub event: DisasterEventView,
    pub rounds: Vec<DisasterRoundView>,
    /// Every township in the caller's scope, with its figures if reported.
    pub townships: Vec<DisasterTownshipRow>,
    /// Sums over the figures shown (reported and checked).
    pub evacuated_total: i64,
    pub relocated_total: i64,
    /// Sums over the checked figures only (what the statistics count).
    pub evacuated_checked: i64,
    pub relocated_checked: i64,
    /// The caller may change the event and its rounds and check figures.
    pub may_keep: bool,
}

fn coded<T: Copy>(
    e: &mut ValidationErrors,
    field: &str,
    typed: &str,
    read: impl Fn(&str) -> Option<T>,
    msg: &str,
) -> Option<T> {
    let v = read(typed);
    if v.is_none() {
        e.add(field, msg);
    }
    v
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

const KIND_MSG: &str =
    "灾种应为寒潮/低温雨雪冰冻、强降雨/暴雨洪涝、台风、地质灾害、干旱、高温、大风冰雹、地震或其他";
const WARNING_MSG: &str = "预警等级应为蓝色、黄色、橙色或红色预警";
const LEVEL_MSG: &str = "响应等级应为Ⅳ级、Ⅲ级、Ⅱ级或Ⅰ级应急响应";

impl App {
    pub(crate) fn validate_disaster_event(
        &self,
        caller: &Caller,
        d: &DisasterEventDraft,
    ) -> Result<std::result::Result<DisasterEventInput, ValidationErrors>> {
        let mut e = ValidationErrors::new();
        let kind = coded(&mut e, "kind", &d.kind, DisasterKind::from_words, KIND_MSG);
        let name = required_text(&mut e, "name", "名称", &d.name, 60);
        let start_on = e.check("start_on", parse_date(&d.start_on));
        let end_on = given(&d.end_on).and_then(|s| e.check("end_on", parse_date(s)));
        if let Some(s) = start_on {
            if s > self.clock.today() {
                e.add("start_on", "开始日期不能晚于今天");
            }
            if let Err(m) = disaster::check_period(s, end_on) {
                e.add("end_on", m);
            }
        }
        let warning_level = given(&d.warning_level).and_then(|w| {
            coded(
                &mut e,
                "warning_level",
                w,
                DisasterWarning::from_words,
                WARNING_MSG,
            )
        });
        let response_level = given(&d.response_level).and_then(|r| {
            coded(
                &mut e,
                "response_level",
                r,
                DisasterResponseLevel::from_words,
                LEVEL_MSG,
            )
        });
        let summary = d.summary.trim().to_string();
        if summary.chars().count() > 2000 {
            e.add("summary", "简要情况不能超过2000个字");
        }
        let county = crate::leaders::county_of(caller)?;
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let (Some(kind), Some(start_on)) = (kind, start_on) else {
            return Ok(Err(ValidationErrors::single("kind", KIND_MSG)));
        };
        Ok(Ok(DisasterEventInput {
            county_code: county,
            kind,
            name,
            start_on,
            end_on,
            warning_level,
            response_level,
            summary,
        }))
    }

    fn validate_disaster_round(
        &self,
        event: &DisasterEvent,
        d: &DisasterRoundDraft,
    ) -> std::result::Result<DisasterRoundInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let started = e.check("started_at", parse_minute(&d.started_at));
        let ended = given(&d.ended_at).and_then(|s| e.check("ended_at", parse_minute(s)));
        let level = coded(
            &mut e,
            "response_level",
            &d.response_level,
            DisasterResponseLevel::from_words,
            LEVEL_MSG,
        );
        let account = d.account.trim().to_string();
        if account.chars().count() > 2000 {
            e.add("account", "简要情况不能超过2000个字");
        }
        if let Some(s) = started {
            if s.date() > self.clock.today() {
                e.add("started_at", "响应开始时间不能晚于今天");
            }
            for (f, m) in disaster::check_round(event.start_on, event.end_on, s, ended) {
                e.add(f, m);
            }
        }
        e.into_result()?;
        match (started, level) {
            (Some(started_at), Some(response_level)) => Ok(DisasterRoundInput {
                started_at,
                ended_at: ended,
                response_level,
                account,
            }),
            _ => Err(ValidationErrors::single("started_at", "响应开始时间不正确")),
        }
    }

    /// Checks a township's figures; `region_field` names the township's field in messages.
    pub(crate) fn validate_disaster_figure(
        event_id: i64,
        region_code: &str,
        d: &DisasterFigureDraft,
    ) -> std::result::Result<DisasterFigureInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let evacuated = e.check("evacuated", parse_people(&d.evacuated));
        let relocated = e.check("relocated", parse_people(&d.relocated));
        let houses_damaged = given(&d.houses_damaged).and_then(|h| {
            e.check(
                "houses_damaged",
                parse_people(h).map_err(|m| m.replace("人数", "房屋间数")),
            )
        });
        let loss_fen = given(&d.loss_yuan).and_then(|l| e.check("loss_yuan", parse_yuan(l)));
        let note = d.note.trim().to_string();
        if note.chars().count() > 500 {
            e.add("note", "备注不能超过500个字");
        }
        e.into_result()?;
        match (evacuated, relocated) {
            (Some(evacuated), Some(relocated)) => Ok(DisasterFigureInput {
                event_id,
                region_code: region_code.to_string(),
                evacuated,
                relocated,
                houses_damaged,
                loss_fen,
                note,
            }),
            _ => Err(ValidationErrors::single("evacuated", "人数不正确")),
        }
    }

    fn require_keep(caller: &Caller) -> Result<()> {
        if may_keep(caller.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "自然灾害应对记录由安委办（应急管理局）登记和核定".into(),
            ))
        }
    }

    /// Records an event (安委办).
    pub fn create_disaster_event(
        &self,
        caller: &Caller,
        d: &DisasterEventDraft,
    ) -> Result<DisasterEventView> {
        Self::require_keep(caller)?;
        let input = self.validate_disaster_event(caller, d)??;
        Ok(self
            .store
            .create_disaster_event(&caller.change(&caller.scope, self), &input)?
            .into())
    }

    /// Corrects an event if `version` is still the one read (安委办).
    pub fn update_disaster_event(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &DisasterEventDraft,
    ) -> Result<DisasterEventView> {
        Self::require_keep(caller)?;
        self.store.get_disaster_event(&caller.scope, id)?;
        let input = self.validate_disaster_event(caller, d)??;
        Ok(self
            .store
            .update_disaster_event(&caller.change(&caller.scope, self), id, version, &input)?
            .into())
    }

    /// Deletes an event entered by mistake, with its rounds, while no township has reported
    /// for it (安委办).
    pub fn delete_disaster_event(&self, caller: &Caller, id: i64, version: i64) -> Result<()> {
        Self::require_keep(caller)?;
        self.store
            .delete_disaster_event(&caller.change(&caller.scope, self), id, version)
            .map_err(|e| match e {
                anjian_store::StoreError::Conflict(k) if k == "figures" => {
                    AppError::Conflict("已有乡镇报送该灾害过程的数据，不能删除".into())
                }
                e => e.into(),
            })
    }

    /// An event in the caller's county; out of scope answers like missing.
    pub fn disaster_event(&self, caller: &Caller, id: i64) -> Result<DisasterEventView> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self.store.get_disaster_event(&caller.scope, id)?.into())
    }

    /// An event with its rounds and every township of the caller's scope with its figures.
    pub fn disaster_event_detail(&self, caller: &Caller, id: i64) -> Result<DisasterEventDetail> {
        caller.require(Permission::ViewCountyWork)?;
        let event = self.store.get_disaster_event(&caller.scope, id)?;
        let rounds = self.store.disaster_rounds(&caller.scope, id)?;
        let figures = self.store.disaster_figures(&caller.scope, id)?;
        let names = self.target_names(&event.county_code)?;
        let keep = may_keep(caller.role) && caller.scope.writable;
        let report = may_report(caller.role) && caller.scope.writable;
        let mut townships: Vec<DisasterTownshipRow> = names
            .of(AreaKind::Township)
            .iter()
            .filter(|(code, _)| caller.scope.admits_region(code))
            .map(|(code, name)| {
                let figure = figures
                    .iter()
                    .find(|f| &f.region_code == code)
                    .cloned()
                    .map(DisasterFigureView::from);
                DisasterTownshipRow {
                    region_code: code.clone(),
                    region_name: name.clone(),
                    may_report: report,
                    may_check: keep
                        && figure
                            .as_ref()
                            .is_some_and(|f| f.figure.status == DisasterFigureStatus::Reported),
                    figure,
                }
            })
            .collect();
        // Rows of townships no longer on the list stay visible.
        for f in &figures {
            if !townships.iter().any(|t| t.region_code == f.region_code) {
                townships.push(DisasterTownshipRow {
                    region_code: f.region_code.clone(),
                    region_name: f.region_name.clone(),
                    figure: Some(f.clone().into()),
                    may_report: false,
                    may_check: keep && f.status == DisasterFigureStatus::Reported,
                });
            }
        }
        let sum = |pick: fn(&DisasterFigure) -> i64, checked: bool| {
            figures
                .iter()
                .filter(|f| !checked || f.status == DisasterFigureStatus::Checked)
                .map(pick)
                .sum::<i64>()
        };
        Ok(DisasterEventDetail {
            evacuated_total: sum(|f| f.evacuated, false),
            relocated_total: sum(|f| f.relocated, false),
            evacuated_checked: sum(|f| f.evacuated, true),
            relocated_checked: sum(|f| f.relocated, true),
            event: event.into(),
            rounds: rounds.into_iter().map(Into::into).collect(),
            townships,
            may_keep: keep,
        })
    }

    fn disaster_filter(q: &DisasterQuery) -> Result<DisasterFilter> {
        let mut e = ValidationErrors::new();
        let mut f = DisasterFilter::default();
        if let Some(y) = given(&q.year) {
            match y.parse::<i32>().ok().and_then(|y| {
                Some((
                    chrono::NaiveDate::from_ymd_opt(y, 1, 1)?,
                    chrono::NaiveDate::from_ymd_opt(y, 12, 31)?,
                ))
            }) {
                Some((from, to)) if y.len() == 4 => {
                    f.from = Some(from);
                    f.to = Some(to);
                }
                _ => e.add("year", "年度应为四位数字"),
            }
        }
        if let Some(k) = given(&q.kind) {
            f.kind = coded(&mut e, "kind", k, DisasterKind::from_words, KIND_MSG);
        }
        e.into_result()?;
        Ok(f)
    }

    /// One page of the events in the caller's county, newest first.
    pub fn disaster_events_page(
        &self,
        caller: &Caller,
        q: &DisasterQuery,
        k: &Keyset,
    ) -> Result<Page<DisasterEventView>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = Self::disaster_filter(q)?;
        crate::page_of(
            self.store.list_disaster_events(&caller.scope, &f, k)?,
            |e| Ok(e.into()),
        )
    }

    /// Every event matching the query.
    pub fn disaster_events(
        &self,
        caller: &Caller,
        q: &DisasterQuery,
    ) -> Result<Vec<DisasterEventView>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = Self::disaster_filter(q)?;
        crate::every(
            |k| self.store.list_disaster_events(&caller.scope, &f, k),
            |e| Ok(e.into()),
        )
    }

    /// The kinds of the events begun in `[from, to]` as a report names them (冰雪、强降雨),
    /// in order of their start.
    pub fn disaster_kinds_phrase(
        &self,
        caller: &Caller,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<String> {
        let f = DisasterFilter {
            from: Some(from),
            to: Some(to),
            kind: None,
        };
        let mut list = anjian_store::paging::all_pages(|k| {
            self.store.list_disaster_events(&caller.scope, &f, k)
        })?;
        list.sort_by_key(|e| (e.start_on, e.id));
        let kinds: Vec<DisasterKind> = list.iter().map(|e| e.kind).collect();
        Ok(disaster::kinds_phrase(&kinds))
    }

    /// The rounds of an event, in order of their start.
    pub fn disaster_rounds(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<Vec<DisasterRoundView>> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self
            .store
            .disaster_rounds(&caller.scope, event_id)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Adds a round of response to an event (安委办).
    pub fn add_disaster_round(
        &self,
        caller: &Caller,
        event_id: i64,
        d: &DisasterRoundDraft,
    ) -> Result<DisasterRoundView> {
        Self::require_keep(caller)?;
        let event = self.store.get_disaster_event(&caller.scope, event_id)?;
        let input = self.validate_disaster_round(&event, d)?;
        Ok(self
            .store
            .add_disaster_round(&caller.change(&caller.scope, self), event_id, &input)?
            .into())
    }

    /// Corrects a round (安委办); the round must belong to the event.
    pub fn update_disaster_round(
        &self,
        caller: &Caller,
        event_id: i64,
        round_id: i64,
        version: i64,
        d: &DisasterRoundDraft,
    ) -> Result<DisasterRoundView> {
        Self::require_keep(caller)?;
        let event = self.store.get_disaster_event(&caller.scope, event_id)?;
        let round = self.store.get_disaster_round(&caller.scope, round_id)?;
        if round.event_id != event_id {
            return Err(AppError::NotFound);
        }
        let input = self.validate_disaster_round(&event, d)?;
        Ok(self
            .store
            .update_disaster_round(
                &caller.change(&caller.scope, self),
                round_id,
                version,
                &input,
            )?
            .into())
    }

    /// Deletes a round entered by mistake (安委办).
    pub fn delete_disaster_round(
        &self,
        caller: &Caller,
        event_id: i64,
        round_id: i64,
        version: i64,
    ) -> Result<()> {
        Self::require_keep(caller)?;
        let round = self.store.get_disaster_round(&caller.scope, round_id)?;
        if round.event_id != event_id {
            return Err(AppError::NotFound);
        }
        Ok(self.store.delete_disaster_round(
            &caller.change(&caller.scope, self),
            round_id,
            version,
        )?)
    }

    /// The township's code from its code or name, if it is a township of the event's county.
    fn township_of(&self, county: &str, typed: &str) -> Result<Option<String>> {
        Ok(self.target_names(county)?.code(AreaKind::Township, typed))
    }

    /// Reports (or corrects) a township's figures for an event: a township for itself, the
    /// 安委办 for any. A township outside the caller's scope answers like a missing one.
    /// `version` is the row's version as read (none for a first report).
    pub fn report_disaster_figure(
        &self,
        caller: &Caller,
        event_id: i64,
        township: &str,
        version: Option<i64>,
        d: &DisasterFigureDraft,
    ) -> Result<DisasterFigureView> {
        caller.require(Permission::ViewCountyWork)?;
        let event = self.store.get_disaster_event(&caller.scope, event_id)?;
        let code = self
            .township_of(&event.county_code, township)?
            .filter(|c| caller.scope.admits_region(c))
            .ok_or(AppError::NotFound)?;
        if !may_report(caller.role) {
            return Err(AppError::Forbidden(
                "各乡镇（街道）报送本乡镇的转移、安置人数".into(),
            ));
        }
        let input = Self::validate_disaster_figure(event_id, &code, d)?;
        Ok(self
            .store
            .report_disaster_figure(&caller.change(&caller.scope, self), &input, version)?
            .into())
    }

    /// Checks (核定) a township's figures (安委办).
    pub fn check_disaster_figure(
        &self,
        caller: &Caller,
        event_id: i64,
        township: &str,
        version: i64,
    ) -> Result<DisasterFigureView> {
        caller.require(Permission::ViewCountyWork)?;
        let event = self.store.get_disaster_event(&caller.scope, event_id)?;
        let code = self
            .township_of(&event.county_code, township)?
            .filter(|c| caller.scope.admits_region(c))
            .ok_or(AppError::NotFound)?;
        let figure = self
            .store
            .disaster_figures(&caller.scope, event_id)?
            .into_iter()
            .find(|f| f.region_code == code)
            .ok_or(AppError::NotFound)?;
        Self::require_keep(caller)?;
        if figure.status == DisasterFigureStatus::Checked {
            return Err(AppError::Conflict("该乡镇的数据已核定".into()));
        }
        Ok(self
            .store
            .check_disaster_figure(&caller.change(&caller.scope, self), figure.id, version)?
            .into())
    }

    /// The townships' figures of an event that the caller sees.
    pub fn disaster_figures(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<Vec<DisasterFigureView>> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self
            .store
            .disaster_figures(&caller.scope, event_id)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
