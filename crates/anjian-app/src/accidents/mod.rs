//! The accident register (事故台账): 生产安全事故, 火灾 and 森林火灾 with their computed level,
//! 补报 history, reporting chain (迟报), 谎报/瞒报 flags, the linked 举报 and the investigation.
//!
//! Who does what ([`may`], asked by the use cases and by the pages alike): regulators who
//! supervise (安委办, departments, inspectors, townships) register accidents, record 补报 and
//! the chain's times; the agencies (安委办, departments) set the 谎报/瞒报 flags, link a 举报 and
//! extend or close the investigation; everyone in government reads in their scope (a township
//! its own, a department its sectors).

mod changes;
mod control;
mod ledger;
pub use changes::{CloseDraft, ExtendDraft, FlagsDraft, LinkReportDraft, LinksDraft, UpdateDraft};
pub use control::{ControlTargetsInput, ControlTargetsView, control_targets_key};
pub use ledger::ACCIDENT_IMPORT;

use crate::{App, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::accident::{
    self, Category, LinkKind, LinkState, hundredths_text, level_of, link_hours, link_state,
    parse_hundredths, parse_time, supplement_window_days, type_from_words, type_label,
};
use anjian_domain::leader::AreaKind;
use anjian_domain::scope::Permission;
use anjian_domain::validation::required_text;
use anjian_store::accidents::{Accident, AccidentFilter, AccidentInput, AccidentUpdate, Figures};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize};

/// A number as typed: a JSON number or string (kept as text so a form can show it back and
/// a decimal is read exactly).
pub(crate) fn num_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Typed {
        Text(String),
        Number(serde_json::Number),
        Nothing(()),
    }
    Ok(match Typed::deserialize(d)? {
        Typed::Text(s) => s,
        Typed::Number(n) => n.to_string(),
        Typed::Nothing(()) => String::new(),
    })
}

/// An accident as a form or the API submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccidentDraft {
    /// production（生产安全事故）| fire（火灾）| forest_fire（森林火灾）
    pub category: String,
    /// 发生时间, `YYYY-MM-DD HH:MM`.
    pub occurred_at: String,
    pub place: String,
    /// The township (region code or name); the enterprise's when empty.
    #[serde(default)]
    pub township: String,
    /// The enterprise (name, 统一社会信用代码 or number), if any.
    #[serde(default)]
    pub enterprise: String,
    /// The sector (code or name); 消防 for a fire and 森林防灭火 for a forest fire when empty.
    #[serde(default)]
    pub sector: String,
    /// GB 6441 class (e.g. 坍塌) for a production accident, the fire's or forest fire's type.
    pub accident_type: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub deaths: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub missing: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub serious_injuries: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub minor_injuries: String,
    /// 直接经济损失 in 元, up to two decimals.
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub direct_loss_yuan: String,
    /// 受害森林面积 in 公顷, up to two decimals (forest fires).
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub forest_area_ha: String,
    /// 简要经过.
    #[serde(default)]
    pub account: String,
    /// When the unit reported to the county (`YYYY-MM-DD HH:MM`), if it has.
    #[serde(default)]
    pub unit_reported_at: String,
    /// When the county reported upward, if it has.
    #[serde(default)]
    pub county_reported_at: String,
    /// 经度 (decimal degrees, WGS-84); with `lat`, both or neither.
    #[serde(default)]
    pub lng: String,
    /// 纬度 (decimal degrees, WGS-84).
    #[serde(default)]
    pub lat: String,
}

/// Which accidents to list: as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct AccidentQuery {
    pub year: Option<String>,
    /// production | fire | forest_fire (or the words)
    pub category: Option<String>,
    /// general | large | major | extra_major (or 一般 …)
    pub level: Option<String>,
    /// A sector's code or name.
    pub sector: Option<String>,
    /// A township's region code.
    pub region: Option<String>,
    /// Only investigations still open.
    pub open: Option<bool>,
}

/// What may be done to an accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AccidentAction)]
pub enum Action {
    /// 补报 (casualties, loss).
    Update,
    /// The chain's report times.
    Links,
    /// 谎报 / 瞒报.
    Flags,
    /// Link a concealed-accident 举报.
    LinkReport,
    /// Extend the investigation (once).
    Extend,
    /// Close the investigation (结案).
    Close,
}

/// Whether the caller may take `action` on `a`: the one place the use cases and the pages ask.
pub fn may(caller: &Caller, a: &Accident, action: Action) -> bool {
    let open = a.closed_on.is_none();
    caller.scope.writable
        && match action {
            Action::Update | Action::Links => caller.can(Permission::Supervise),
            Action::Flags | Action::LinkReport => caller.can(Permission::DecideAsAgency),
            Action::Extend => {
                caller.can(Permission::DecideAsAgency) && open && a.extended_due.is_none()
            }
            Action::Close => caller.can(Permission::DecideAsAgency) && open,
        }
}

/// An accident with the words and the computed states a page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccidentView {
    #[serde(flatten)]
    pub record: Accident,
    pub category_label: String,
    pub type_label: String,
    pub level_label: String,
    pub sector_name: String,
    pub township_name: String,
    /// The loss in 元 with two decimals.
    pub loss_yuan: String,
    /// The burned forest in 公顷 with two decimals.
    pub forest_area_ha: String,
    /// The 补报 window in days and its last day.
    pub window_days: i64,
    pub window_ends: NaiveDate,
    /// The unit's link (1 hour) and the county's (2 hours) at the time of reading.
    pub unit_link: LinkState,
    pub county_link: LinkState,
    /// 迟报: a link late or missing past its limit.
    pub late: bool,
    /// The investigation's due day (the extended one if extended).
    pub due: NaiveDate,
    /// 调查中 / 已延期 / 已逾期 / 已结案.
    pub investigation_label: String,
    pub overdue: bool,
    /// What the caller may do now.
    pub actions: Vec<Action>,
}

/// An accident's page: the view, its 补报 history and the linked 举报.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccidentDetail {
    #[serde(flatten)]
    pub view: AccidentView,
    pub updates: Vec<AccidentUpdate>,
    /// The linked 举报's content and day, if one is linked and visible.
    pub report: Option<LinkedReport>,
}

/// The 举报 that revealed an accident.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkedReport {
    pub id: i64,
    pub received_on: NaiveDate,
    pub content: String,
}

fn count(e: &mut ValidationErrors, field: &str, label: &str, typed: &str) -> i64 {
    let t = typed.trim();
    if t.is_empty() {
        return 0;
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=100_000).contains(&n) => n,
        _ => {
            e.add(field, format!("{label}应为0到100000之间的整数"));
            0
        }
    }
}

fn hundredths(e: &mut ValidationErrors, field: &str, label: &str, typed: &str) -> i64 {
    match parse_hundredths(typed) {
        Ok(v) => v,
        Err(m) => {
            e.add(field, format!("{label}{m}"));
            0
        }
    }
}

pub(crate) fn optional_time(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    typed: &str,
) -> Option<NaiveDateTime> {
    let t = typed.trim();
    if t.is_empty() {
        return None;
    }
    let v = parse_time(t);
    if v.is_none() {
        e.add(
            field,
            format!("{label}应写作“年-月-日 时:分”，如2022-03-14 23:30"),
        );
    }
    v
}

/// Reads the figures of a draft (or of a 补报, each field falling back to `base` when empty).
pub(crate) fn figures(
    e: &mut ValidationErrors,
    category: Option<Category>,
    typed: [&str; 6],
    base: Option<Figures>,
) -> Figures {
    let pick = |v: &str, old: i64, read: &mut dyn FnMut(&str) -> i64| match (v.trim(), base) {
        ("", Some(_)) => old,
        (v, _) => read(v),
    };
    let b = base.unwrap_or_default();
    let f = Figures {
        deaths: pick(typed[0], b.deaths, &mut |v| {
            count(e, "deaths", "死亡人数", v)
        }),
        missing: pick(typed[1], b.missing, &mut |v| {
            count(e, "missing", "失踪人数", v)
        }),
        serious_injuries: pick(typed[2], b.serious_injuries, &mut |v| {
            count(e, "serious_injuries", "重伤人数", v)
        }),
        minor_injuries: pick(typed[3], b.minor_injuries, &mut |v| {
            count(e, "minor_injuries", "轻伤人数", v)
        }),
        loss_fen: pick(typed[4], b.loss_fen, &mut |v| {
            hundredths(e, "direct_loss_yuan", "直接经济损失", v)
        }),
        forest_area_centi_ha: pick(typed[5], b.forest_area_centi_ha, &mut |v| {
            hundredths(e, "forest_area_ha", "受害森林面积", v)
        }),
    };
    if f.forest_area_centi_ha > 0 && category.is_some_and(|c| c != Category::ForestFire) {
        e.add("forest_area_ha", "受害森林面积只用于森林火灾");
    }
    f
}

impl App {
    /// Checks an accident and computes its level and the investigation's due day.
    pub(crate) fn validate_accident(
        &self,
        caller: &Caller,
        d: &AccidentDraft,
    ) -> Result<std::result::Result<AccidentInput, ValidationErrors>> {
        let mut e = ValidationErrors::new();
        let category = Category::from_words(&d.category);
        if category.is_none() {
            e.add("category", "类别应为生产安全事故、火灾或森林火灾");
        }
        let now = self.clock.local_now();
        let occurred_at = match d.occurred_at.trim() {
            "" => {
                e.add("occurred_at", "请填写事故发生时间");
                None
            }
            t => optional_time(&mut e, "occurred_at", "发生时间", t),
        };
        if occurred_at.is_some_and(|t| t > now) {
            e.add("occurred_at", "发生时间不能晚于现在");
        }
        let place = required_text(&mut e, "place", "事故地点", &d.place, 200);
        let account = d.account.trim().to_string();
        if account.chars().count() > 2000 {
            e.add("account", "简要经过不能超过2000个字");
        }
        let county = crate::leaders::county_of(caller)?;
        let names = self.target_names(&county)?;
        let mut region = String::new();
        let enterprise_id = match self.resolve_enterprise(caller, &d.enterprise)? {
            Ok(Some(id)) => {
                region = self.get_enterprise(caller, id)?.region_code;
                Some(id)
            }
            Ok(None) => None,
            Err(m) => {
                e.add("enterprise", m);
                None
            }
        };
        match d.township.trim() {
            "" if enterprise_id.is_some() || !e.is_empty() => {}
            "" => e.add("township", "请选择事故发生的乡镇（街道）"),
            t => match names.code(AreaKind::Township, t) {
                Some(c) if caller.scope.admits_region(&c) => {
                    if region.is_empty() || !region.starts_with(c.get(..9).unwrap_or(&c)) {
                        if region.is_empty() {
                            region = c;
                        } else {
                            e.add("township", "所选乡镇（街道）与企业所在地不一致");
                        }
                    }
                }
                _ => e.add(
                    "township",
                    format!("乡镇（街道）“{t}”不存在或不在管辖范围内"),
                ),
            },
        }
        let sector_typed = match (d.sector.trim(), category) {
            ("", Some(Category::Fire)) => "fire",
            ("", Some(Category::ForestFire)) => "forest_fire",
            (s, _) => s,
        };
        let sector = match sector_typed {
            "" => {
                e.add("sector", "请选择行业领域");
                String::new()
            }
            s => match names.code(AreaKind::Sector, s) {
                Some(c)
                    if caller
                        .scope
                        .sectors
                        .as_ref()
                        .is_none_or(|own| own.contains(&c)) =>
                {
                    c
                }
                Some(_) => {
                    e.add("sector", "该行业领域不在本部门监管范围内");
                    String::new()
                }
                None => {
                    e.add("sector", format!("行业领域“{s}”不存在"));
                    String::new()
                }
            },
        };
        let type_code = match category {
            Some(c) => match type_from_words(c, &d.accident_type) {
                Some(t) => t.to_string(),
                None => {
                    e.add(
                        "accident_type",
                        match c {
                            Category::Production => {
                                "事故类别应为GB 6441的类别，如物体打击、高处坠落、坍塌"
                            }
                            Category::Fire => "火灾类型应为电气火灾、用火不慎、吸烟、放火、自燃、生产作业或其他火灾",
                            Category::ForestFire => "起火原因应为祭祀用火、农事用火、野外吸烟、雷击、电力线路或其他原因",
                        },
                    );
                    String::new()
                }
            },
            None => String::new(),
        };
        let f = figures(
            &mut e,
            category,
            [
                &d.deaths,
                &d.missing,
                &d.serious_injuries,
                &d.minor_injuries,
                &d.direct_loss_yuan,
                &d.forest_area_ha,
            ],
            None,
        );
        let unit = optional_time(
            &mut e,
            "unit_reported_at",
            "单位报告时间",
            &d.unit_reported_at,
        );
        let county_at = optional_time(
            &mut e,
            "county_reported_at",
            "县级上报时间",
            &d.county_reported_at,
        );
        check_links(&mut e, occurred_at, unit, county_at, now);
        let point = self.check_coordinates(&mut e, &region, &d.lng, &d.lat)?;
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let (Some(category), Some(occurred_at)) = (category, occurred_at) else {
            return Ok(Err(ValidationErrors::single("category", "类别不正确")));
        };
        Ok(Ok(AccidentInput {
            region_code: region,
            enterprise_id,
            sector,
            category,
            type_code,
            occurred_at,
            place,
            account,
            level: level_of(category, &f.for_level()),
            figures: f,
            unit_reported_at: unit,
            county_reported_at: county_at,
            investigation_due: accident::investigation_due(&*self.calendar()?, occurred_at.date()),
            point,
        }))
    }

    /// Registers an accident; its level is computed.
    pub fn create_accident(&self, caller: &Caller, d: &AccidentDraft) -> Result<AccidentView> {
        caller.require(Permission::Supervise)?;
        let input = self.validate_accident(caller, d)??;
        let a = self
            .store
            .create_accident(&caller.change(&caller.scope, self), &input)?;
        self.accident_view(caller, a)
    }

    /// An accident in the caller's scope; out of scope answers like missing.
    pub fn accident(&self, caller: &Caller, id: i64) -> Result<AccidentDetail> {
        caller.require(Permission::ViewCountyWork)?;
        let a = self.store.get_accident(&caller.scope, id)?;
        let updates = self.store.accident_updates(&caller.scope, id)?;
        let report = match a.report_id {
            Some(r) => self
                .store
                .get_report(&caller.scope, r)
                .ok()
                .map(|r| LinkedReport {
                    id: r.id,
                    received_on: r.received_on,
                    content: r.content,
                }),
            None => None,
        };
        Ok(AccidentDetail {
            view: self.accident_view(caller, a)?,
            updates,
            report,
        })
    }

    pub(crate) fn accident_view(&self, caller: &Caller, a: Accident) -> Result<AccidentView> {
        let county = a.county_code.clone();
        let names = self.target_names(&county)?;
        Ok(view_of(
            caller,
            &names,
            self.clock.local_now(),
            self.clock.today(),
            a,
        ))
    }

    fn accident_filter(&self, caller: &Caller, q: &AccidentQuery) -> Result<AccidentFilter> {
        let mut e = ValidationErrors::new();
        let mut f = AccidentFilter {
            open_only: q.open.unwrap_or(false),
            ..AccidentFilter::default()
        };
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(y) = given(&q.year) {
            match y.parse::<i32>().ok().and_then(|y| {
                Some((
                    NaiveDate::from_ymd_opt(y, 1, 1)?,
                    NaiveDate::from_ymd_opt(y, 12, 31)?,
                ))
            }) {
                Some((from, to)) => {
                    f.from = Some(from);
                    f.to = Some(to);
                }
                None => e.add("year", "年度应为四位数字"),
            }
        }
        if let Some(c) = given(&q.category) {
            f.category = Category::from_words(&c);
            if f.category.is_none() {
                e.add("category", "类别应为生产安全事故、火灾或森林火灾");
            }
        }
        if let Some(l) = given(&q.level) {
            f.level = accident::Level::from_words(&l);
            if f.level.is_none() {
                e.add("level", "等级应为一般、较大、重大或特别重大");
            }
        }
        if let Some(s) = given(&q.sector) {
            let names = self.target_names(&crate::leaders::county_of(caller)?)?;
            match names.code(AreaKind::Sector, &s) {
                Some(c) => f.sector = Some(c),
                None => e.add("sector", format!("行业领域“{s}”不存在")),
            }
        }
        if let Some(r) = given(&q.region) {
            match anjian_domain::RegionCode::parse(&r) {
                Ok(c) => f.region_prefix = Some(c.subtree_prefix().to_string()),
                Err(m) => e.add("region", m),
            }
        }
        e.into_result()?;
        Ok(f)
    }

    /// One page of the accidents in the caller's scope, newest first.
    pub fn accident_page(
        &self,
        caller: &Caller,
        q: &AccidentQuery,
        k: &Keyset,
    ) -> Result<Page<AccidentView>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = self.accident_filter(caller, q)?;
        let names = self.target_names(&crate::leaders::county_of(caller)?)?;
        let (now, today) = (self.clock.local_now(), self.clock.today());
        crate::page_of(self.store.list_accidents(&caller.scope, &f, k)?, |a| {
            Ok(view_of(caller, &names, now, today, a))
        })
    }

    /// Every accident in the caller's scope matching the query.
    pub fn accidents(&self, caller: &Caller, q: &AccidentQuery) -> Result<Vec<AccidentView>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = self.accident_filter(caller, q)?;
        let names = self.target_names(&crate::leaders::county_of(caller)?)?;
        let (now, today) = (self.clock.local_now(), self.clock.today());
        crate::every(
            |k| self.store.list_accidents(&caller.scope, &f, k),
            |a| Ok(view_of(caller, &names, now, today, a)),
        )
    }
}

/// The chain's times: not before the accident, not in the future, the county's not before
/// the unit's.
pub(crate) fn check_links(
    e: &mut ValidationErrors,
    occurred_at: Option<NaiveDateTime>,
    unit: Option<NaiveDateTime>,
    county: Option<NaiveDateTime>,
    now: NaiveDateTime,
) {
    for (field, t) in [("unit_reported_at", unit), ("county_reported_at", county)] {
        if let (Some(t), Some(o)) = (t, occurred_at)
            && t < o
        {
            e.add(field, "报告时间不能早于事故发生时间");
        }
        if t.is_some_and(|t| t > now) {
            e.add(field, "报告时间不能晚于现在");
        }
    }
    if let (Some(u), Some(c)) = (unit, county)
        && c < u
    {
        e.add("county_reported_at", "县级上报时间不能早于单位报告时间");
    }
}

fn view_of(
    caller: &Caller,
    names: &crate::leaders::TargetNames,
    now: NaiveDateTime,
    today: NaiveDate,
    a: Accident,
) -> AccidentView {
    let window_days = supplement_window_days(a.category, &a.sector);
    let unit_link = link_state(
        Some(a.occurred_at),
        link_hours(LinkKind::Unit),
        a.unit_reported_at,
        now,
    );
    let county_link = link_state(
        a.unit_reported_at,
        link_hours(LinkKind::County),
        a.county_reported_at,
        now,
    );
    let due = a.extended_due.unwrap_or(a.investigation_due);
    let overdue = match a.closed_on {
        Some(c) => c > due,
        None => today > due,
    };
    let investigation_label = match (a.closed_on, a.extended_due) {
        (Some(_), _) => "已结案",
        (None, _) if overdue => "已逾期",
        (None, Some(_)) => "已延期",
        (None, None) => "调查中",
    }
    .to_string();
    let actions = [
        Action::Update,
        Action::Links,
        Action::Flags,
        Action::LinkReport,
        Action::Extend,
        Action::Close,
    ]
    .into_iter()
    .filter(|x| may(caller, &a, *x))
    .collect();
    AccidentView {
        category_label: a.category.label().into(),
        type_label: type_label(a.category, &a.type_code).to_string(),
        level_label: a.level.label().into(),
        sector_name: names.name(AreaKind::Sector, &a.sector),
        township_name: names.name(
            AreaKind::Township,
            &format!("{}000", a.region_code.get(..9).unwrap_or(&a.region_code)),
        ),
        loss_yuan: hundredths_text(a.loss_fen),
        forest_area_ha: hundredths_text(a.forest_area_centi_ha),
        window_days,
        window_ends: a.occurred_on + Duration::days(window_days),
        late: unit_link.is_late() || county_link.is_late(),
        unit_link,
        county_link,
        due,
        investigation_label,
        overdue,
        actions,
        record: a,
    }
}
