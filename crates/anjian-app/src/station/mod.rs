//! Stationed safety supervisors (派驻安全生产监督管理员): the dispatching units station
//! supervisors at enterprises and key places; a supervisor checks in at each visit (the
//! site's checklist, findings, photos) and turns findings into hazards; the units and the
//! 安委办 see which sites went unvisited in a week, spot check the supervisors and rate them
//! monthly. The report's figures come from these records (`station_figures`).

pub mod checklist;
pub mod roster;

use crate::hazards::checked_file;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::scope::{Permission, Role};
use anjian_domain::station::{
    self as rules, CheckAnswer, CheckItem, PlaceKind, Posting, Rating, Site, Span,
};
use anjian_domain::validation::parse_date;
use anjian_store::attachments::Attachment;
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::station::{
    Assignment, AssignmentFilter, AssignmentInput, KeyPlace, KeyPlaceInput, SpotCheck,
    SpotCheckInput, StationRating, Unit, Visit, VisitInput, Week,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A key place as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KeyPlaceDraft {
    pub region_code: String,
    #[serde(default)]
    pub sector: String,
    pub name: String,
    /// 类别 (code or words: 建筑施工工地、矿山井口 …).
    pub kind: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub note: String,
}

/// An assignment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssignmentDraft {
    /// The supervisor's user id.
    pub supervisor_id: String,
    /// The dispatching unit: `township:{code}` or `department:{id}`; empty for the caller's
    /// own unit (a township's or a department's user).
    #[serde(default)]
    pub unit: String,
    /// The site: `enterprise:{id}` or `place:{id}`.
    pub site: String,
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub note: String,
}

/// A check-in as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VisitDraft {
    pub assignment_id: i64,
    /// `YYYY-MM-DD HH:MM`; empty for now.
    #[serde(default)]
    pub visited_at: String,
    /// Item key → 正常 / 有问题 / 不适用 (codes or words).
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    #[serde(default)]
    pub findings: String,
}

/// A spot check as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpotCheckDraft {
    pub assignment_id: i64,
    #[serde(default)]
    pub visit_id: Option<i64>,
    pub checked_on: String,
    /// 监督员是否在岗 (是/否).
    pub present: String,
    /// 驻点记录是否真实 (是/否).
    pub record_true: String,
    #[serde(default)]
    pub follow_up: String,
    #[serde(default)]
    pub note: String,
}

/// A finding turned into a hazard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VisitHazardDraft {
    /// Defaults to the visit's findings.
    #[serde(default)]
    pub description: String,
    /// general / major (一般隐患 / 重大隐患).
    pub level: String,
    #[serde(default)]
    pub deadline: String,
}

/// A site of today for its supervisor: the assignment, whether it was visited today, and
/// the checklist a visit there answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TodaySite {
    pub assignment: Assignment,
    pub visited_today: bool,
    pub last_visit: Option<String>,
    pub checklist: Vec<CheckItem>,
}

/// A posting of a week that went unvisited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnvisitedSite {
    pub assignment: Assignment,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A week's coverage: the postings owed a visit and those that went without.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    pub week_start: NaiveDate,
    pub label: String,
    /// Postings that owed a visit in the week (so far).
    pub owed: usize,
    pub visited: usize,
    pub unvisited: Vec<UnvisitedSite>,
}

/// The figures of a period, as the report states them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StationFigures {
    pub townships: usize,
    pub departments: usize,
    pub supervisors: usize,
    /// 驻守生产经营单位、重点地段 (家、处).
    pub sites: usize,
    pub visits: usize,
    pub problems: i64,
    pub spot_checks: usize,
    pub spot_checks_failed: usize,
}

/// 是/否 as typed (a checkbox's `on` is 是).
fn yes_no(field: &'static str, s: &str, e: &mut ValidationErrors) -> bool {
    let read = match s.trim() {
        "on" => Some(true),
        other => anjian_domain::validation::yes_no(other),
    };
    read.unwrap_or_else(|| {
        e.add(field, "请选择“是”或“否”");
        false
    })
}

fn parse_site(s: &str) -> Option<Site> {
    let (kind, id) = s.trim().split_once(':')?;
    let id = id.trim().parse::<i64>().ok()?;
    match kind {
        "enterprise" => Some(Site::Enterprise(id)),
        "place" => Some(Site::Place(id)),
        _ => None,
    }
}

impl App {
    /// A supervisor acts on their own assignments only.
    fn require_supervisor(&self, caller: &Caller) -> Result<i64> {
        if caller.can(Permission::CheckInAtSites) {
            Ok(caller.user.id)
        } else {
            Err(caller.refuse("以派驻监督员身份签到"))
        }
    }

    /// The units that station supervisors (townships, departments, the 安委办) manage
    /// assignments, spot checks and ratings in their writable scope.
    fn require_station_manager(&self, caller: &Caller) -> Result<()> {
        if caller.scope.writable && caller.can(Permission::DirectRemediation) {
            Ok(())
        } else {
            Err(caller.refuse("管理派驻监督员"))
        }
    }

    /// The caller's own id when it is a supervisor (its assignments are visible to it).
    fn own(caller: &Caller) -> Option<i64> {
        caller
            .can(Permission::CheckInAtSites)
            .then_some(caller.user.id)
    }

    pub fn create_key_place(&self, caller: &Caller, d: &KeyPlaceDraft) -> Result<KeyPlace> {
        self.require_station_manager(caller)?;
        let mut e = ValidationErrors::new();
        let name = d.name.trim();
        if name.is_empty() {
            e.add("name", "请填写重点地段名称");
        } else if name.chars().count() > 100 {
            e.add("name", "名称不能超过100个字");
        }
        let kind = PlaceKind::from_words(&d.kind);
        if kind.is_none() {
            let all: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.label()).collect();
            e.add("kind", format!("类别应为：{}", all.join("、")));
        }
        let region = d.region_code.trim();
        if anjian_domain::RegionCode::parse(region).is_err() {
            e.add("region_code", "请选择所在乡镇（村）");
        }
        let sector = d.sector.trim();
        e.into_result()?;
        let input = KeyPlaceInput {
            region_code: region.to_string(),
            sector: (!sector.is_empty()).then(|| sector.to_string()),
            name: name.to_string(),
            kind: kind.unwrap_or(PlaceKind::Other),
            location: d.location.trim().chars().take(200).collect(),
            note: d.note.trim().chars().take(500).collect(),
        };
        Ok(self
            .store
            .create_key_place(&caller.change(&caller.scope, self), &input)?)
    }

    pub fn key_places(&self, caller: &Caller) -> Result<Vec<KeyPlace>> {
        Ok(self.store.key_places(&caller.scope)?)
    }

    /// Stations a supervisor at a site. The unit is the caller's own (a township, a
    /// department) unless the 安委办 names one; a township stations at sites in its township.
    pub fn create_station_assignment(
        &self,
        caller: &Caller,
        d: &AssignmentDraft,
    ) -> Result<Assignment> {
        let input = self.station_assignment_input(caller, d)?;
        self.store
            .create_station_assignment(&caller.change(&caller.scope, self), &input)
            .map_err(|err| match err {
                anjian_store::StoreError::Invalid(f) if f == "supervisor_id" => {
                    ValidationErrors::single("supervisor_id", "该用户不是本县在用的派驻监督员")
                        .into()
                }
                other => other.into(),
            })
    }

    /// An assignment as typed, checked (the unit, the site in the caller's scope, the days)
    /// but not written.
    pub(crate) fn station_assignment_input(
        &self,
        caller: &Caller,
        d: &AssignmentDraft,
    ) -> Result<AssignmentInput> {
        self.require_station_manager(caller)?;
        let mut e = ValidationErrors::new();
        let supervisor_id = d.supervisor_id.trim().parse::<i64>().ok();
        if supervisor_id.is_none() {
            e.add("supervisor_id", "请选择派驻监督员");
        }
        let site = parse_site(&d.site);
        if site.is_none() {
            e.add("site", "请选择驻守的企业或重点地段");
        }
        let starts_on = e.check("starts_on", parse_date(&d.starts_on));
        let ends_on = match d.ends_on.trim() {
            "" => None,
            s => e.check("ends_on", parse_date(s)),
        };
        if let Some(s) = starts_on
            && let Err(m) = (Span {
                starts_on: s,
                ends_on,
            })
            .check()
        {
            e.add("ends_on", m);
        }
        let unit = match d.unit.trim() {
            "" => match (caller.user.department_id, caller.role) {
                (Some(id), _) => Some(Unit::Department(id)),
                (None, anjian_domain::scope::Role::Township) => {
                    Some(Unit::Township(caller.user.region_code.clone()))
                }
                _ => {
                    e.add("unit", "请选择派出单位（乡镇或部门）");
                    None
                }
            },
            s => match s.split_once(':') {
                Some(("township", code)) if anjian_domain::RegionCode::parse(code).is_ok() => {
                    Some(Unit::Township(code.to_string()))
                }
                Some(("department", id)) => match id.parse::<i64>() {
                    Ok(id) => Some(Unit::Department(id)),
                    Err(_) => {
                        e.add("unit", "派出单位无法识别");
                        None
                    }
                },
                _ => {
                    e.add("unit", "派出单位无法识别");
                    None
                }
            },
        };
        e.into_result()?;
        let (Some(supervisor_id), Some(site), Some(starts_on), Some(unit)) =
            (supervisor_id, site, starts_on, unit)
        else {
            return Err(AppError::BadRequest("派驻信息不完整".into()));
        };
        // A township stations supervisors at sites in its own township.
        if let Unit::Township(code) = &unit {
            let region = match site {
                Site::Enterprise(id) => self.store.get_enterprise(&caller.scope, id)?.region_code,
                Site::Place(id) => self.store.get_key_place(&caller.scope, id)?.region_code,
            };
            let prefix = code.get(..9).unwrap_or(code);
            if !region.starts_with(prefix) {
                return Err(ValidationErrors::single(
                    "site",
                    "乡镇只能向本乡镇的企业或重点地段派驻监督员",
                )
                .into());
            }
        }
        Ok(AssignmentInput {
            supervisor_id,
            unit,
            site,
            starts_on,
            ends_on,
            note: d.note.trim().chars().take(500).collect(),
        })
    }

    /// Ends an assignment (the supervisor leaves the site on `ends_on`).
    pub fn end_station_assignment(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        ends_on: &str,
    ) -> Result<Assignment> {
        self.require_station_manager(caller)?;
        let day = parse_date(ends_on).map_err(|m| ValidationErrors::single("ends_on", m))?;
        self.store
            .end_station_assignment(&caller.change(&caller.scope, self), id, version, day)
            .map_err(|err| match err {
                anjian_store::StoreError::Invalid(_) => {
                    ValidationErrors::single("ends_on", "派驻结束日期不能早于开始日期").into()
                }
                other => other.into(),
            })
    }

    pub fn station_assignment(&self, caller: &Caller, id: i64) -> Result<Assignment> {
        Ok(self
            .store
            .get_station_assignment(&caller.scope, Self::own(caller), id)?)
    }

    pub fn station_assignments(
        &self,
        caller: &Caller,
        f: &AssignmentFilter,
    ) -> Result<Vec<Assignment>> {
        Ok(self
            .store
            .station_assignments(&caller.scope, Self::own(caller), f)?)
    }

    /// A supervisor's sites of today, with the checklist of each.
    pub fn station_today(&self, caller: &Caller) -> Result<Vec<TodaySite>> {
        let me = self.require_supervisor(caller)?;
        let today = self.clock.today();
        let f = AssignmentFilter {
            from: Some(today),
            to: Some(today),
            supervisor_id: Some(me),
            ..Default::default()
        };
        let assignments = self
            .store
            .station_assignments(&caller.scope, Some(me), &f)?;
        let since = today - chrono::Duration::days(60);
        let visits = self
            .store
            .visits(&caller.scope, Some(me), since, today, None)?;
        Ok(assignments
            .into_iter()
            .map(|a| {
                let mine: Vec<&Visit> = visits.iter().filter(|v| v.assignment_id == a.id).collect();
                TodaySite {
                    visited_today: mine.iter().any(|v| v.day == today),
                    last_visit: mine
                        .last()
                        .map(|v| anjian_domain::minute::text(v.visited_at)),
                    checklist: checklist::items(a.sector.as_deref()),
                    assignment: a,
                }
            })
            .collect())
    }

    /// A supervisor checks in at a site of theirs: the checklist answered item by item, the
    /// findings, and photos (each checked: its content must be the image its name says).
    pub fn check_in(
        &self,
        caller: &Caller,
        d: &VisitDraft,
        photos: Vec<(String, Vec<u8>)>,
    ) -> Result<(Visit, Vec<Attachment>)> {
        let me = self.require_supervisor(caller)?;
        let a = self
            .store
            .get_station_assignment(&caller.scope, Some(me), d.assignment_id)?;
        if a.supervisor_id != me {
            return Err(AppError::NotFound);
        }
        let mut e = ValidationErrors::new();
        let visited_at = match d.visited_at.trim() {
            "" => Some(self.clock.local_now()),
            s => e.check(
                "visited_at",
                anjian_domain::minute::parse(s)
                    .ok_or_else(|| "时间格式应为 YYYY-MM-DD HH:MM".to_string()),
            ),
        };
        if let Some(t) = visited_at {
            if t > self.clock.local_now() + chrono::Duration::minutes(5) {
                e.add("visited_at", "签到时间不能晚于现在");
            } else if !(Span {
                starts_on: a.starts_on,
                ends_on: a.ends_on,
            })
            .covers(t.date())
            {
                e.add("visited_at", "签到日期不在派驻期间内");
            }
        }
        let items = checklist::items(a.sector.as_deref());
        let mut answers = Vec::new();
        for (k, v) in &d.answers {
            match CheckAnswer::from_words(v) {
                Some(ans) => answers.push((k.clone(), ans)),
                None if v.trim().is_empty() => {}
                None => e.add(
                    "checklist",
                    format!("检查项的结果“{v}”无法识别，应为正常、有问题或不适用"),
                ),
            }
        }
        for (f, m) in rules::check_answers(&items, &answers, &d.findings) {
            e.add(f, m);
        }
        let findings: String = d.findings.trim().chars().take(2000).collect();
        let mut files = Vec::new();
        for (name, data) in photos {
            match checked_file(&name, data, "驻点检查照片") {
                Ok(f) if f.content_type.starts_with("image/") => files.push(f),
                Ok(_) => e.add(
                    "photos",
                    format!("“{name}”不是照片，请上传 JPG 或 PNG 图片"),
                ),
                Err(m) => e.add("photos", m),
            }
        }
        e.into_result()?;
        let input = VisitInput {
            assignment_id: a.id,
            visited_at: visited_at.unwrap_or_else(|| self.clock.local_now()),
            checklist: answers,
            findings,
        };
        Ok(self
            .store
            .record_visit(&caller.change(&caller.scope, self), &input, &files)?)
    }

    pub fn visit(&self, caller: &Caller, id: i64) -> Result<(Visit, Vec<Attachment>, Vec<i64>)> {
        let own = Self::own(caller);
        let v = self.store.get_visit(&caller.scope, own, id)?;
        let photos = self.store.visit_photos(&caller.scope, own, id)?;
        let hazards = self.store.visit_hazards(&caller.scope, own, id)?;
        Ok((v, photos, hazards))
    }

    pub fn visits(
        &self,
        caller: &Caller,
        from: NaiveDate,
        to: NaiveDate,
        assignment_id: Option<i64>,
    ) -> Result<Vec<Visit>> {
        Ok(self
            .store
            .visits(&caller.scope, Self::own(caller), from, to, assignment_id)?)
    }

    pub fn visit_photo(&self, caller: &Caller, id: i64) -> Result<(Attachment, Vec<u8>)> {
        Ok(self
            .store
            .visit_photo(&caller.scope, Self::own(caller), id)?)
    }

    /// The supervisor turns a visit's findings into a hazard at the site (source 监督检查),
    /// registered on the supervisor's behalf in the site's scope and linked to the visit.
    pub fn visit_to_hazard(
        &self,
        caller: &Caller,
        visit_id: i64,
        d: &VisitHazardDraft,
    ) -> Result<crate::hazards::HazardView> {
        let me = self.require_supervisor(caller)?;
        let v = self.store.get_visit(&caller.scope, Some(me), visit_id)?;
        if v.supervisor_id != me {
            return Err(AppError::NotFound);
        }
        let mut e = ValidationErrors::new();
        let description = match d.description.trim() {
            "" => v.findings.trim().to_string(),
            s => s.to_string(),
        };
        if description.is_empty() {
            e.add("description", "请填写隐患描述");
        }
        let level = anjian_domain::hazard::Level::parse(d.level.trim());
        if level.is_none() {
            e.add("level", "隐患等级应为一般隐患或重大隐患");
        }
        let deadline = match d.deadline.trim() {
            "" => None,
            s => match parse_date(s) {
                Ok(x) if x >= v.day => Some(x),
                Ok(_) => {
                    e.add("deadline", "整改期限不能早于检查日期");
                    None
                }
                Err(m) => {
                    e.add("deadline", m);
                    None
                }
            },
        };
        let Some(sector) = v.sector.clone() else {
            e.add("sector", "该重点地段未设行业领域，请在隐患台账中登记");
            return Err(e.into());
        };
        e.into_result()?;
        let fields = HazardFields {
            region_code: v.region_code.clone(),
            enterprise_id: v.enterprise_id,
            department_id: None,
            sector: sector.clone(),
            level: level.unwrap_or(anjian_domain::hazard::Level::General),
            source: anjian_domain::hazard::Source::Inspection,
            description,
            location: v.site_name.clone(),
            found_on: v.day,
            deadline,
            deadline_basis: deadline.map(|_| "date".to_string()),
            deadline_rule: if deadline.is_some() {
                format!("派驻监督员驻点检查（签到记录 {}）责令限期整改", v.id)
            } else {
                String::new()
            },
            status: anjian_domain::hazard::Status::Registered,
            responsible_unit: v.site_name.clone(),
            responsible_person: String::new(),
            measures: String::new(),
            funds_planned: None,
            funds_spent: None,
            emergency_plan: String::new(),
            campaign: None,
            closed_on: None,
            point: None,
        };
        let ev = EventInput {
            action: "create".into(),
            note: format!("由派驻监督员驻点检查（签到记录 {}）发现的问题转入", v.id),
            data: Some(serde_json::json!({ "station_visit_id": v.id })),
        };
        // The supervisor registers at the visit's site only.
        let mut site = anjian_domain::Scope::region(
            &anjian_domain::RegionCode::parse(&v.region_code)
                .map_err(|_| AppError::Internal("visit region".into()))?,
            true,
        );
        site.sectors = Some(vec![sector]);
        site.enterprise_ids = v.enterprise_id.map(|id| vec![id]);
        let h = self
            .store
            .hazard_from_visit(&caller.change(&site, self), v.id, &fields, &ev)?;
        // Shown in the site's scope (a key place's hazard has no enterprise, so the
        // supervisor's enterprise-bound scope would not admit it).
        let mut at_site = caller.clone();
        at_site.scope = site.read_only();
        self.hazard_view(&at_site, h)
    }

    /// The supervisor confirms the summary of the week beginning `monday`.
    pub fn confirm_week(&self, caller: &Caller, monday: &str, note: &str) -> Result<Week> {
        self.require_supervisor(caller)?;
        let day = parse_date(monday).map_err(|m| ValidationErrors::single("week_start", m))?;
        let (monday, _) = rules::week_of(day);
        if monday > self.clock.today() {
            return Err(ValidationErrors::single("week_start", "该周尚未开始").into());
        }
        let note: String = note.trim().chars().take(1000).collect();
        Ok(self
            .store
            .confirm_week(&caller.change(&caller.scope, self), monday, &note)?)
    }

    pub fn confirmed_weeks(
        &self,
        caller: &Caller,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Week>> {
        let me = self.require_supervisor(caller)?;
        Ok(self.store.confirmed_weeks(me, from, to)?)
    }

    /// Which postings of the week holding `day` (in the caller's scope) went without a visit
    /// by their supervisor, as of today.
    pub fn station_coverage(&self, caller: &Caller, day: NaiveDate) -> Result<Coverage> {
        let (monday, sunday) = rules::week_of(day);
        let own = Self::own(caller);
        let f = AssignmentFilter {
            from: Some(monday),
            to: Some(sunday),
            ..Default::default()
        };
        let assignments = self.store.station_assignments(&caller.scope, own, &f)?;
        let visits = self
            .store
            .visits(&caller.scope, own, monday, sunday, None)?;
        let postings: Vec<Posting> = assignments
            .iter()
            .filter_map(|a| {
                Some(Posting {
                    assignment_id: a.id,
                    supervisor_id: a.supervisor_id,
                    site: a.site()?,
                    span: Span {
                        starts_on: a.starts_on,
                        ends_on: a.ends_on,
                    },
                })
            })
            .collect();
        let seen: Vec<(i64, Site, NaiveDate)> = visits
            .iter()
            .filter_map(|v| {
                Some((
                    v.supervisor_id,
                    Site::of(v.enterprise_id, v.place_id)?,
                    v.day,
                ))
            })
            .collect();
        let today = self.clock.today();
        let owed = postings
            .iter()
            .filter(|p| p.span.overlaps(monday, sunday) && p.span.starts_on.max(monday) <= today)
            .count();
        let out = rules::unvisited(monday, &postings, &seen, today);
        let by_id: BTreeMap<i64, &Assignment> = assignments.iter().map(|a| (a.id, a)).collect();
        let unvisited: Vec<UnvisitedSite> = out
            .iter()
            .filter_map(|u| {
                Some(UnvisitedSite {
                    assignment: (*by_id.get(&u.assignment_id)?).clone(),
                    from: u.from,
                    to: u.to,
                })
            })
            .collect();
        Ok(Coverage {
            week_start: monday,
            label: rules::week_label(monday),
            owed,
            visited: owed.saturating_sub(unvisited.len()),
            unvisited,
        })
    }

    /// Records a spot check (抽查) of an assignment: passed only when the supervisor was there
    /// and the record true; a failed one states its follow-up.
    pub fn create_spot_check(&self, caller: &Caller, d: &SpotCheckDraft) -> Result<SpotCheck> {
        self.require_station_manager(caller)?;
        let mut e = ValidationErrors::new();
        let checked_on = e.check("checked_on", parse_date(&d.checked_on));
        if checked_on.is_some_and(|c| c > self.clock.today()) {
            e.add("checked_on", "抽查日期不能晚于今天");
        }
        let present = yes_no("present", &d.present, &mut e);
        let record_true = yes_no("record_true", &d.record_true, &mut e);
        let result = rules::spot_result(present, record_true);
        let follow_up: String = d.follow_up.trim().chars().take(1000).collect();
        if e.is_empty() && result == rules::SpotResult::Fail && follow_up.is_empty() {
            e.add(
                "follow_up",
                "抽查不合格，请填写处理意见（整改要求、约谈、调整人员等）",
            );
        }
        e.into_result()?;
        let input = SpotCheckInput {
            assignment_id: d.assignment_id,
            visit_id: d.visit_id,
            checked_on: checked_on.unwrap_or_else(|| self.clock.today()),
            present,
            record_true,
            result,
            follow_up,
            note: d.note.trim().chars().take(1000).collect(),
        };
        self.store
            .create_spot_check(&caller.change(&caller.scope, self), &input)
            .map_err(|err| match err {
                anjian_store::StoreError::Invalid(f) if f == "visit_id" => {
                    ValidationErrors::single("visit_id", "所选签到记录不属于该派驻").into()
                }
                other => other.into(),
            })
    }

    pub fn spot_checks(
        &self,
        caller: &Caller,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpotCheck>> {
        Ok(self
            .store
            .spot_checks(&caller.scope, Self::own(caller), from, to)?)
    }

    /// Rates a supervisor for a month.
    pub fn rate_supervisor(
        &self,
        caller: &Caller,
        supervisor_id: i64,
        month: &str,
        rating: &str,
        remarks: &str,
        version: Option<i64>,
    ) -> Result<StationRating> {
        self.require_station_manager(caller)?;
        let mut e = ValidationErrors::new();
        let month = e.check("month", rules::parse_month(month));
        let r = Rating::from_words(rating);
        if r.is_none() {
            e.add("rating", "评价应为优秀、称职、基本称职或不称职");
        }
        if month.is_some_and(|m| m > self.clock.today()) {
            e.add("month", "不能评价尚未开始的月份");
        }
        e.into_result()?;
        let (Some(month), Some(r)) = (month, r) else {
            return Err(AppError::BadRequest("评价信息不完整".into()));
        };
        Ok(self.store.rate_supervisor(
            &caller.change(&caller.scope, self),
            supervisor_id,
            month,
            r,
            remarks.trim(),
            version,
        )?)
    }

    /// The supervisors a unit may station: the active 派驻监督员 of the caller's county, as
    /// (user id, name), by name.
    pub fn station_supervisors(&self, caller: &Caller) -> Result<Vec<(i64, String)>> {
        Ok(self
            .supervisor_users(caller)?
            .into_iter()
            .map(|(id, _, name)| (id, name))
            .collect())
    }

    /// (user id, user name, name) of the active 派驻监督员 of the caller's county, by name.
    pub(crate) fn supervisor_users(&self, caller: &Caller) -> Result<Vec<(i64, String, String)>> {
        self.require_station_manager(caller)?;
        let Some(county) = crate::leaders::county_of(caller)
            .ok()
            .and_then(|c| anjian_domain::RegionCode::parse(&c).ok())
        else {
            return Ok(Vec::new());
        };
        let scope = anjian_domain::Scope::region(&county, false);
        let mut list: Vec<(i64, String, String)> = self
            .store
            .list_users(&scope)?
            .into_iter()
            .filter(|u| u.active && Role::parse(&u.role) == Some(Role::Supervisor))
            .map(|u| (u.id, u.username, u.display_name))
            .collect();
        list.sort_by(|a, b| a.2.cmp(&b.2));
        Ok(list)
    }

    /// 派驻花名册 of a period as Excel: each assignment running in it with its supervisor,
    /// unit, site and days.
    pub fn station_roster_ledger(&self, caller: &Caller, f: &AssignmentFilter) -> Result<Vec<u8>> {
        let list = self.station_assignments(caller, f)?;
        let headers = [
            "监督员",
            "派出单位",
            "驻守企业（重点地段）",
            "所在地",
            "开始日期",
            "结束日期",
            "备注",
        ];
        let widths = [16.0, 16.0, 30.0, 16.0, 12.0, 12.0, 30.0];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|a| {
                vec![
                    a.supervisor_name,
                    a.unit_name,
                    a.site_name,
                    a.region_name,
                    a.starts_on.to_string(),
                    a.ends_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "至今".into()),
                    a.note,
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "派驻监督员花名册",
            &headers,
            &widths,
            &rows,
        )
    }

    pub fn station_ratings(&self, caller: &Caller, month: &str) -> Result<Vec<StationRating>> {
        let month = rules::parse_month(month).map_err(|m| ValidationErrors::single("month", m))?;
        Ok(self.store.ratings(&caller.scope, month)?)
    }

    /// The figures of `[from, to]` in the caller's scope: the units that stationed
    /// supervisors, the supervisors and the sites of the assignments running in the period,
    /// the visits, the problems found, the spot checks and those failed.
    pub fn station_figures(
        &self,
        caller: &Caller,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<StationFigures> {
        let f = AssignmentFilter {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        };
        let own = Self::own(caller);
        let a = self.store.station_assignments(&caller.scope, own, &f)?;
        let visits = self.store.visits(&caller.scope, own, from, to, None)?;
        let spots = self.store.spot_checks(&caller.scope, own, from, to)?;
        let townships: BTreeSet<&str> = a
            .iter()
            .filter_map(|x| x.unit_region_code.as_deref())
            .collect();
        let departments: BTreeSet<i64> = a.iter().filter_map(|x| x.unit_department_id).collect();
        let supervisors: BTreeSet<i64> = a.iter().map(|x| x.supervisor_id).collect();
        let sites: BTreeSet<Site> = a.iter().filter_map(Assignment::site).collect();
        Ok(StationFigures {
            townships: townships.len(),
            departments: departments.len(),
            supervisors: supervisors.len(),
            sites: sites.len(),
            visits: visits.len(),
            problems: visits.iter().map(|v| v.problems).sum(),
            spot_checks: spots.len(),
            spot_checks_failed: spots
                .iter()
                .filter(|s| s.result == rules::SpotResult::Fail)
                .count(),
        })
    }
}
