//! Hazard use cases: registration, the closed loop of actions, lists and ledgers.

use crate::{App, AppError, Caller, Result};
use anjian_domain::calendar::Basis;
use anjian_domain::hazard::{self, Action, Actor, Facts, Five, Level, Source, Status};
use anjian_domain::scope::Permission;
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{RegionCode, RegionLevel, Scope, ValidationErrors};
use anjian_store::enterprises::Page;
use anjian_store::hazards::{EventInput, Hazard, HazardEvent, HazardFields, HazardFilter};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A hazard as registered through the API or a form (product.md contract fields first).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HazardInput {
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub region_code: String,
    pub sector: String,
    pub level: String,
    pub source: String,
    pub description: String,
    pub found_on: String,
    /// The rectification deadline (`YYYY-MM-DD`); or give `deadline_days` and `deadline_basis`.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds_planned: Option<i64>,
    #[serde(default)]
    pub emergency_plan: Option<String>,
    #[serde(default)]
    pub campaign: Option<String>,
}

/// An action on a hazard, with what that action needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub action: String,
    /// If given, the action applies only to this version (else 409).
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds_planned: Option<i64>,
    #[serde(default)]
    pub funds_spent: Option<i64>,
    #[serde(default)]
    pub emergency_plan: Option<String>,
}

/// A hazard with what the reader needs around it.
#[derive(Debug, Clone, Serialize)]
pub struct HazardView {
    #[serde(flatten)]
    pub hazard: Hazard,
    pub overdue: bool,
    pub status_label: &'static str,
    pub level_label: &'static str,
    pub source_label: &'static str,
    pub allowed_actions: Vec<&'static str>,
}

const DEADLINE_RULE_ORDER: &str = "责令限期整改";

fn opt_text(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    max: usize,
) -> String {
    anjian_domain::validation::optional_text(e, field, label, v.as_deref(), max).unwrap_or_default()
}

fn money(e: &mut ValidationErrors, field: &str, v: Option<i64>) -> Option<i64> {
    match v {
        Some(n) if !(0..=10_000_000_000).contains(&n) => {
            e.add(field, "金额应为 0 到 100 亿元之间的整数（元）");
            None
        }
        other => other,
    }
}

/// Which of the 五落实 a hazard's fields record.
pub(crate) fn five_of(f: &HazardFields) -> Five {
    Five {
        responsible_unit: !f.responsible_unit.is_empty(),
        responsible_person: !f.responsible_person.is_empty(),
        measures: !f.measures.is_empty(),
        funds: f.funds_planned.is_some(),
        deadline: f.deadline.is_some(),
        emergency_plan: !f.emergency_plan.is_empty(),
    }
}

impl App {
    fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The filter with today's date from the clock, which decides what is overdue.
    fn as_of_today(&self, f: &HazardFilter) -> HazardFilter {
        HazardFilter {
            today: self.today().to_string(),
            ..f.clone()
        }
    }

    /// Resolves a deadline given as a date or as days on a basis, from `start`.
    fn resolve_deadline(
        &self,
        e: &mut ValidationErrors,
        start: NaiveDate,
        date: &Option<String>,
        days: Option<u32>,
        basis: &Option<String>,
        rule: &str,
    ) -> Result<Option<(String, String, String)>> {
        if let Some(d) = date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let Some(d) = e.check("deadline", parse_date(d)) else {
                return Ok(None);
            };
            if d < start {
                e.add("deadline", "整改期限不能早于发现日期");
                return Ok(None);
            }
            return Ok(Some((d.to_string(), "date".into(), rule.to_string())));
        }
        let Some(n) = days else { return Ok(None) };
        let Some(basis) = Basis::parse(basis.as_deref().unwrap_or("calendar_days")) else {
            e.add(
                "deadline_basis",
                "期限计算方式应为 calendar_days（日）或 working_days（工作日）",
            );
            return Ok(None);
        };
        match self.calendar()?.deadline(start, n, basis, rule) {
            Some(d) => Ok(Some((
                d.due.to_string(),
                basis.as_str().into(),
                format!("{rule}：自{start}起{n}{}", basis.label()),
            ))),
            None => {
                e.add("deadline_days", "天数超出范围");
                Ok(None)
            }
        }
    }

    fn validate_hazard(&self, caller: &Caller, input: &HazardInput) -> Result<HazardFields> {
        let lk = self.hazard_lookups(false)?;
        self.validate_hazard_with(caller, input, &lk)
    }

    /// What validating a hazard looks up, loaded once (per registration, or per import
    /// for every row): sectors, campaigns and, for imports, every region code.
    pub(crate) fn hazard_lookups(&self, all_regions: bool) -> Result<HazardLookups> {
        Ok(HazardLookups {
            sectors: self.store.list_sectors()?,
            campaigns: self.store.list_campaigns(&Scope::system())?,
            regions: if all_regions {
                Some(self.store.all_region_codes()?.into_iter().collect())
            } else {
                None
            },
        })
    }

    fn validate_hazard_with(
        &self,
        caller: &Caller,
        input: &HazardInput,
        lk: &HazardLookups,
    ) -> Result<HazardFields> {
        let mut e = ValidationErrors::new();
        let region = e.check(
            "region_code",
            RegionCode::parse(&input.region_code).map_err(|m| format!("所在区划：{m}")),
        );
        if let Some(r) = &region {
            if r.level() < RegionLevel::Township {
                e.add("region_code", "所在区划应为乡镇（街道）或村（社区）、网格");
            } else if !match &lk.regions {
                Some(set) => set.contains(r.as_str()),
                None => self.store.region_exists(r.as_str())?,
            } {
                e.add("region_code", format!("区划 {r} 不存在"));
            }
        }
        let sector = input.sector.trim().to_string();
        if !lk.sectors.iter().any(|s| s.code == sector && s.active) {
            e.add("sector", format!("行业领域“{sector}”不存在"));
        }
        let level = Level::parse(input.level.trim());
        if level.is_none() {
            e.add("level", "隐患等级应为 general（一般）或 major（重大）");
        }
        let source = Source::parse(input.source.trim());
        if source.is_none() {
            e.add("source", "隐患来源应为 inspection、self_check、public_report、media、transfer、higher_assignment 或 lower_report");
        }
        let description =
            required_text(&mut e, "description", "隐患描述", &input.description, 2000);
        let found_on = e.check("found_on", parse_date(&input.found_on));
        if let Some(f) = found_on
            && f > self.today()
        {
            e.add("found_on", "发现日期不能晚于今天");
        }
        let deadline = match found_on {
            Some(start) => self.resolve_deadline(
                &mut e,
                start,
                &input.deadline,
                input.deadline_days,
                &input.deadline_basis,
                DEADLINE_RULE_ORDER,
            )?,
            None => None,
        };
        if let Some(eid) = input.enterprise_id {
            match self.store.get_enterprise(&Scope::system(), eid) {
                Ok(ent) => {
                    if let Some(r) = &region
                        && !r.contains(
                            &RegionCode::parse(&ent.region_code).map_err(AppError::Internal)?,
                        )
                        && r.as_str() != ent.region_code
                    {
                        e.add(
                            "region_code",
                            format!("与企业所在区划（{}）不一致", ent.region_name),
                        );
                    }
                }
                Err(_) => e.add("enterprise_id", "企业不存在"),
            }
        }
        if let Some(d) = input.department_id
            && self.store.get_department(&Scope::system(), d).is_err()
        {
            e.add("department_id", "部门不存在");
        }
        // Enterprises register their own self-check hazards only.
        if caller.can(Permission::RegisterOwnHazardsOnly) {
            if input.enterprise_id != caller.user.enterprise_id {
                e.add("enterprise_id", "企业用户只能登记本企业的隐患");
            }
            if source != Some(Source::SelfCheck) {
                e.add(
                    "source",
                    "企业用户登记的隐患来源应为 self_check（企业自查）",
                );
            }
        }
        let location = opt_text(&mut e, "location", "隐患部位", &input.location, 200);
        let responsible_unit = opt_text(
            &mut e,
            "responsible_unit",
            "整改责任单位",
            &input.responsible_unit,
            100,
        );
        let responsible_person = opt_text(
            &mut e,
            "responsible_person",
            "整改责任人",
            &input.responsible_person,
            30,
        );
        let measures = opt_text(&mut e, "measures", "整改措施", &input.measures, 2000);
        let emergency_plan = opt_text(
            &mut e,
            "emergency_plan",
            "应急预案",
            &input.emergency_plan,
            2000,
        );
        let funds_planned = money(&mut e, "funds_planned", input.funds_planned);
        let campaign = input
            .campaign
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(60).collect::<String>());
        crate::work::check_campaign_in(
            &mut e,
            &input.region_code,
            campaign.as_deref(),
            &lk.campaigns,
        );
        e.into_result()?;
        let (Some(region), Some(level), Some(source), Some(found_on)) =
            (region, level, source, found_on)
        else {
            return Err(ValidationErrors::single("_", "数据无效").into());
        };
        let (deadline, deadline_basis, deadline_rule) = match deadline {
            Some((d, b, r)) => (Some(d), Some(b), r),
            None => (None, None, String::new()),
        };
        Ok(HazardFields {
            region_code: region.as_str().to_string(),
            enterprise_id: input.enterprise_id,
            department_id: input.department_id.or(caller.user.department_id),
            sector,
            level: level.as_str().into(),
            source: source.as_str().into(),
            description,
            location,
            found_on: found_on.to_string(),
            deadline,
            deadline_basis,
            deadline_rule,
            status: Status::Registered.as_str().into(),
            responsible_unit,
            responsible_person,
            measures,
            funds_planned,
            funds_spent: None,
            emergency_plan,
            campaign,
            closed_on: None,
        })
    }

    fn require_hazard_writer(&self, caller: &Caller) -> Result<Scope> {
        let s = caller.hazard_scope();
        if s.writable {
            Ok(s)
        } else {
            Err(AppError::Forbidden("您的角色无权登记或处理隐患".into()))
        }
    }

    pub fn create_hazard(&self, caller: &Caller, input: &HazardInput) -> Result<HazardView> {
        let scope = self.require_hazard_writer(caller)?;
        let f = self.validate_hazard(caller, input)?;
        if !scope.admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id) {
            return Err(AppError::Forbidden(
                "该隐患的区划、行业领域或企业不在您的管辖范围内".into(),
            ));
        }
        let ev = EventInput {
            action: "create".into(),
            note: String::new(),
            data: None,
        };
        let h = self
            .store
            .create_hazard(&caller.change(&scope, self), &f, &ev)?;
        Ok(self.view(caller, h))
    }

    fn actor(&self, caller: &Caller, h: &Hazard) -> Actor {
        caller.actor(&h.region_code, &h.sector, h.enterprise_id)
    }

    fn facts(h: &Hazard) -> Result<Facts> {
        let f = h.fields();
        Ok(Facts {
            status: Status::parse(&h.status)
                .ok_or_else(|| AppError::Internal(format!("status {}", h.status)))?,
            level: Level::parse(&h.level)
                .ok_or_else(|| AppError::Internal(format!("level {}", h.level)))?,
            source: Source::parse(&h.source)
                .ok_or_else(|| AppError::Internal(format!("source {}", h.source)))?,
            has_enterprise: h.enterprise_id.is_some(),
            five: five_of(&f),
        })
    }

    /// Whether the hazard is handled under 一单四制 (an open major case).
    fn under_major_case(&self, h: &Hazard) -> bool {
        h.level == "major"
            && self
                .store
                .get_major_case(&Scope::system(), h.id)
                .ok()
                .and_then(|(c, _)| anjian_domain::major::CaseState::parse(&c.state))
                .is_some_and(|s| s.is_open())
    }

    /// What the caller may do to this hazard now.
    pub fn allowed_actions(&self, caller: &Caller, h: &Hazard) -> Vec<Action> {
        let Ok(mut facts) = Self::facts(h) else {
            return vec![];
        };
        if self.under_major_case(h) {
            let who = self.actor(caller, h);
            return if hazard::transition(&facts, Action::Note, &who).is_ok() {
                vec![Action::Note]
            } else {
                vec![]
            };
        }
        // Start may supply the missing 五落实 itself; offer it whenever the rest allows it.
        facts.five = Five::all(true);
        let who = self.actor(caller, h);
        hazard::ACTIONS
            .into_iter()
            .filter(|a| hazard::transition(&facts, *a, &who).is_ok())
            .collect()
    }

    pub fn hazard_view(&self, caller: &Caller, h: Hazard) -> HazardView {
        self.view(caller, h)
    }

    fn view(&self, caller: &Caller, h: Hazard) -> HazardView {
        let status = Status::parse(&h.status).unwrap_or(Status::Registered);
        let deadline = h.deadline.as_deref().and_then(|d| parse_date(d).ok());
        HazardView {
            overdue: hazard::is_overdue(status, deadline, self.today()),
            status_label: status.label(),
            level_label: Level::parse(&h.level).map(Level::label).unwrap_or(""),
            source_label: Source::parse(&h.source).map(Source::label).unwrap_or(""),
            allowed_actions: self
                .allowed_actions(caller, &h)
                .into_iter()
                .map(Action::as_str)
                .collect(),
            hazard: h,
        }
    }

    pub fn get_hazard(&self, caller: &Caller, id: i64) -> Result<(HazardView, Vec<HazardEvent>)> {
        let (h, events) = self.store.hazard_with_events(&caller.scope, id)?;
        Ok((self.view(caller, h), events))
    }

    pub fn list_hazards(&self, caller: &Caller, f: &HazardFilter) -> Result<Page<HazardView>> {
        let f = self.as_of_today(f);
        let page = self.store.list_hazards(&caller.scope, &f)?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|h| self.view(caller, h))
                .collect(),
            next: page.next,
        })
    }

    /// The matching hazards' total and, of those, the overdue ones (one pass).
    pub fn count_hazards_and_overdue(
        &self,
        caller: &Caller,
        f: &HazardFilter,
    ) -> Result<(i64, i64)> {
        let f = self.as_of_today(f);
        Ok(self.store.count_hazards_and_overdue(&caller.scope, &f)?)
    }

    /// Applies one action of the closed loop.
    pub fn hazard_action(
        &self,
        caller: &Caller,
        id: i64,
        input: &ActionInput,
    ) -> Result<HazardView> {
        let action = Action::parse(input.action.trim()).ok_or_else(|| {
            AppError::Validation(ValidationErrors::single(
                "action",
                "操作应为 order、fix_on_site、start、report、pass、reject、extend 或 note",
            ))
        })?;
        let h = self.store.get_hazard(&caller.scope, id)?;
        if let Some(v) = input.version
            && v != h.version
        {
            return Err(AppError::Conflict(
                "该隐患已被他人处理，请刷新后重试".into(),
            ));
        }
        if action != Action::Note && self.under_major_case(&h) {
            return Err(AppError::Conflict(
                "该隐患为重大事故隐患，请按“一单四制”办理（认定、交办、五落实、台账、销号）".into(),
            ));
        }
        let mut f = h.fields();
        let mut e = ValidationErrors::new();
        let note = opt_text(&mut e, "note", "说明", &input.note, 2000);
        let today = self.today();
        let mut data = serde_json::Map::new();
        // The 五落实 may be completed together with the action.
        let mut set =
            |v: &Option<String>, field: &str, label: &str, max: usize, target: &mut String| {
                if v.is_some() {
                    *target = opt_text(&mut e, field, label, v, max);
                }
            };
        set(
            &input.responsible_unit,
            "responsible_unit",
            "整改责任单位",
            100,
            &mut f.responsible_unit,
        );
        set(
            &input.responsible_person,
            "responsible_person",
            "整改责任人",
            30,
            &mut f.responsible_person,
        );
        set(
            &input.measures,
            "measures",
            "整改措施",
            2000,
            &mut f.measures,
        );
        set(
            &input.emergency_plan,
            "emergency_plan",
            "应急预案",
            2000,
            &mut f.emergency_plan,
        );
        if input.funds_planned.is_some() {
            f.funds_planned = money(&mut e, "funds_planned", input.funds_planned);
        }
        if input.funds_spent.is_some() {
            f.funds_spent = money(&mut e, "funds_spent", input.funds_spent);
        }
        let wants_deadline = matches!(action, Action::Order | Action::Extend);
        if wants_deadline || input.deadline.is_some() || input.deadline_days.is_some() {
            let rule = if action == Action::Extend {
                "延期"
            } else {
                DEADLINE_RULE_ORDER
            };
            match self.resolve_deadline(
                &mut e,
                today,
                &input.deadline,
                input.deadline_days,
                &input.deadline_basis,
                rule,
            )? {
                Some((d, b, r)) => {
                    if action == Action::Extend
                        && f.deadline.as_deref().is_some_and(|old| d.as_str() <= old)
                    {
                        e.add("deadline", "延期后的期限应晚于原期限");
                    }
                    data.insert("deadline".into(), d.clone().into());
                    if let Some(old) = &f.deadline {
                        data.insert("previous_deadline".into(), old.clone().into());
                    }
                    f.deadline = Some(d);
                    f.deadline_basis = Some(b);
                    f.deadline_rule = r;
                }
                None if (wants_deadline && f.deadline.is_none() || action == Action::Extend)
                    && !e.fields.contains_key("deadline")
                    && !e.fields.contains_key("deadline_days") =>
                {
                    e.add("deadline", "请设置整改期限（日期，或天数加计算方式）");
                }
                None => {}
            }
        }
        if matches!(action, Action::Reject | Action::Extend | Action::Note) && note.is_empty() {
            e.add(
                "note",
                match action {
                    Action::Reject => "请填写复查不合格的原因",
                    Action::Extend => "请填写延期理由",
                    _ => "请填写整改进展",
                },
            );
        }
        e.into_result()?;
        let mut facts = Self::facts(&h)?;
        facts.five = five_of(&f);
        let next = hazard::transition(&facts, action, &self.actor(caller, &h))?;
        f.status = next.as_str().into();
        if next == Status::Closed {
            f.closed_on = Some(today.to_string());
        }
        let ev = EventInput {
            action: action.as_str().into(),
            note,
            data: (!data.is_empty()).then_some(serde_json::Value::Object(data)),
        };
        let scope = caller.hazard_scope();
        let h = self
            .store
            .update_hazard(&caller.change(&scope, self), id, h.version, &f, &ev)?;
        Ok(self.view(caller, h))
    }
}

impl App {
    /// Attaches an evidence file to a hazard: allowed to whoever may record progress on it
    /// now; the file is checked by content and size before anything is written.
    pub fn attach_hazard_file(
        &self,
        caller: &Caller,
        id: i64,
        name: &str,
        data: Vec<u8>,
        note: &str,
    ) -> Result<anjian_store::attachments::Attachment> {
        let h = self.store.get_hazard(&caller.scope, id)?;
        let facts = Self::facts(&h)?;
        if hazard::transition(&facts, Action::Note, &self.actor(caller, &h)).is_err() {
            return Err(AppError::Forbidden(
                "您无权为该隐患上传材料（已销号或不在您的职责范围内）".into(),
            ));
        }
        let file_name = anjian_domain::files::clean_name(name);
        let content_type = anjian_domain::files::check_file(&file_name, &data)
            .map_err(|m| AppError::Validation(ValidationErrors::single("file", m)))?;
        let note: String = note.trim().chars().take(200).collect();
        let sha256 = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&data))
        };
        let a = anjian_store::attachments::NewAttachment {
            file_name,
            content_type: content_type.into(),
            sha256,
            data,
            note,
        };
        let scope = caller.hazard_scope();
        Ok(self
            .store
            .attach_to_hazard(&caller.change(&scope, self), id, &a)?)
    }

    pub fn hazard_attachments(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<Vec<anjian_store::attachments::Attachment>> {
        Ok(self.store.hazard_attachments(&caller.scope, id)?)
    }

    pub fn attachment(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(anjian_store::attachments::Attachment, Vec<u8>)> {
        Ok(self.store.attachment_data(&caller.scope, id)?)
    }
}

/// Lookups for validating hazards (see [`App::hazard_lookups`]).
pub(crate) struct HazardLookups {
    sectors: Vec<anjian_store::sectors::Sector>,
    campaigns: Vec<anjian_store::work::Campaign>,
    regions: Option<std::collections::HashSet<String>>,
}

/// Columns of a hazard import (Chinese headers; the codes work too). Levels, sources and
/// sectors may be given by code or by their Chinese names; the enterprise by its USCC.
pub const HAZARD_IMPORT_COLUMNS: [(&str, &str); 14] = [
    ("region_code", "所在区划代码"),
    ("sector", "行业领域"),
    ("level", "隐患等级"),
    ("source", "隐患来源"),
    ("description", "隐患描述"),
    ("found_on", "发现日期"),
    ("deadline", "整改期限"),
    ("uscc", "企业统一社会信用代码"),
    ("location", "隐患部位"),
    ("responsible_unit", "整改责任单位"),
    ("responsible_person", "整改责任人"),
    ("measures", "整改措施"),
    ("funds_planned", "整改资金（元）"),
    ("campaign", "专项行动"),
];

fn label_of(k: &str) -> &str {
    HAZARD_IMPORT_COLUMNS
        .iter()
        .find(|(key, _)| *key == k)
        .map(|(_, l)| *l)
        .unwrap_or(k)
}

impl App {
    /// Imports hazards from a table: every row is validated like a registration (region,
    /// sector, level, source, dates, enterprise, campaign, the caller's scope); each bad
    /// row is reported with its number; with any bad row nothing is written unless
    /// `skip_invalid`. The valid rows are written in one transaction.
    pub fn import_hazards(
        &self,
        caller: &Caller,
        t: &crate::import::Table,
        skip_invalid: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<crate::import::ImportReport> {
        let scope = self.require_hazard_writer(caller)?;
        let col = |k: &str| {
            let mut names = vec![k, label_of(k)];
            match k {
                "level" => names.push("等级"),
                "source" => names.push("来源"),
                "region_code" => names.push("区划代码"),
                _ => {}
            }
            t.col(&names)
        };
        let missing: Vec<&str> = [
            "region_code",
            "sector",
            "level",
            "source",
            "description",
            "found_on",
        ]
        .into_iter()
        .filter(|k| col(k).is_none())
        .map(label_of)
        .collect();
        if !missing.is_empty() {
            return Err(AppError::BadRequest(format!(
                "缺少必填列：{}",
                missing.join("、")
            )));
        }
        let lookups = self.hazard_lookups(true)?;
        let sectors = &lookups.sectors;
        let cell = |cells: &[String], k: &str| -> String {
            col(k)
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let opt = |s: String| Some(s).filter(|x| !x.is_empty());
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for (rownum, cells) in &t.rows {
            let mut pre = ValidationErrors::new();
            let sector_text = cell(cells, "sector");
            let sector = sectors
                .iter()
                .find(|s| s.code == sector_text || s.name == sector_text)
                .map(|s| s.code.clone())
                .unwrap_or(sector_text);
            let level = match cell(cells, "level").as_str() {
                "一般隐患" => "general".to_string(),
                "重大隐患" => "major".to_string(),
                other => other.to_string(),
            };
            let enterprise_id = match opt(cell(cells, "uscc")) {
                None => None,
                Some(u) => match self.store.enterprise_id_by_uscc(&u.to_uppercase())? {
                    Some(id) => Some(id),
                    None => {
                        pre.add("uscc", format!("统一社会信用代码“{u}”未在企业库中登记"));
                        None
                    }
                },
            };
            let funds_text = cell(cells, "funds_planned").replace(',', "");
            let funds_planned = if funds_text.is_empty() {
                None
            } else {
                match funds_text.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 => Some(v as i64),
                    _ => {
                        pre.add(
                            "funds_planned",
                            format!("应为不小于0的整数（元），实为“{funds_text}”"),
                        );
                        None
                    }
                }
            };
            let campaign = opt(cell(cells, "campaign"));
            let region_code = cell(cells, "region_code");
            let input = HazardInput {
                enterprise_id,
                region_code,
                sector,
                level,
                source: cell(cells, "source"),
                description: cell(cells, "description"),
                found_on: cell(cells, "found_on"),
                deadline: opt(cell(cells, "deadline")),
                location: opt(cell(cells, "location")),
                responsible_unit: opt(cell(cells, "responsible_unit")),
                responsible_person: opt(cell(cells, "responsible_person")),
                measures: opt(cell(cells, "measures")),
                funds_planned,
                campaign,
                ..HazardInput::default()
            };
            let mut errors = match self.validate_hazard_with(caller, &input, &lookups) {
                Ok(f) if pre.is_empty() => {
                    if scope.admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id) {
                        ok.push(f);
                        continue;
                    }
                    ValidationErrors::single(
                        "region_code",
                        "该隐患的区划、行业领域或企业不在您的管辖范围内",
                    )
                }
                Ok(_) => ValidationErrors::new(),
                Err(AppError::Validation(v)) => v,
                Err(e) => return Err(e),
            };
            for (f, msgs) in pre.fields {
                for m in msgs {
                    errors.add(&f, m);
                }
            }
            bad.push(crate::import::RowError {
                row: *rownum,
                errors: errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let label = if f == "enterprise_id" {
                            "企业"
                        } else {
                            label_of(f)
                        };
                        m.iter().map(move |m| format!("{label}：{m}"))
                    })
                    .collect(),
            });
        }
        let ev = EventInput {
            action: "create".into(),
            note: "批量导入".into(),
            data: None,
        };
        crate::import::ImportReport::finish(t.rows.len(), ok, bad, skip_invalid, |ok| {
            let total = ok.len();
            Ok(self
                .store
                .create_hazards(&caller.change(&scope, self), &ok, &ev, |n| {
                    progress(n, total)
                })?
                .len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_in_place_needs_all_five() {
        let mut f = HazardFields {
            region_code: String::new(),
            enterprise_id: None,
            department_id: None,
            sector: String::new(),
            level: "major".into(),
            source: "inspection".into(),
            description: String::new(),
            location: String::new(),
            found_on: String::new(),
            deadline: Some("2022-07-01".into()),
            deadline_basis: None,
            deadline_rule: String::new(),
            status: "ordered".into(),
            responsible_unit: "某公司".into(),
            responsible_person: "张三".into(),
            measures: "更换".into(),
            funds_planned: Some(0),
            funds_spent: None,
            emergency_plan: "预案".into(),
            campaign: None,
            closed_on: None,
        };
        assert!(five_of(&f).in_place());
        f.emergency_plan.clear();
        assert!(!five_of(&f).in_place());
    }
}
