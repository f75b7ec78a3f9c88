//! 包片包线: the county leaders, the townships (包片) and sectors (包线) each answers for, with
//! dated changes, so that "who was responsible for township T (sector S) on day D" has one
//! answer. The 安委办 maintains them; everyone in government reads them.

mod ledger;
pub use ledger::LEADER_IMPORT;

use crate::{App, AppError, Caller, Result};
use anjian_domain::leader::{AreaKind, Span, handover, responsible_on};
use anjian_domain::scope::Permission;
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::leaders::{
    AssignmentFilter, AssignmentInput, Leader, LeaderAssignment, LeaderInput,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A leader as a form or the API submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaderDraft {
    pub name: String,
    /// 职务, e.g. 副市长.
    pub post: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// The user account (role 县领导) the leader signs in with.
    #[serde(default)]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub sort_order: Option<i64>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// An assignment as a form or the API submits it: dates as `YYYY-MM-DD` text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentDraft {
    pub leader_id: i64,
    /// `township` (包片) or `sector` (包线).
    pub kind: String,
    /// The township's region code, or the sector's code.
    pub target: String,
    /// The document that made the assignment.
    pub basis: String,
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// Which assignments to show: dates as typed.
#[derive(Debug, Clone, Default)]
pub struct AssignmentQuery {
    pub leader_id: Option<i64>,
    pub kind: Option<String>,
    pub target: Option<String>,
    /// In force on this day (`YYYY-MM-DD`).
    pub as_of: Option<String>,
}

/// An assignment with the names a page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    #[serde(flatten)]
    pub assignment: LeaderAssignment,
    pub leader_name: String,
    pub leader_post: String,
    /// 包片 or 包线.
    pub kind_label: String,
    /// The township's or the sector's name.
    pub target_name: String,
}

impl AssignmentView {
    /// "2022-01-01 至今" or "2022-01-01 至 2022-06-30".
    pub fn period(&self) -> String {
        match self.assignment.valid_to {
            Some(t) => format!("{} 至 {t}", self.assignment.valid_from),
            None => format!("{} 至今", self.assignment.valid_from),
        }
    }
}

/// A leader-role user's own areas, for his dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct MyAreas {
    pub leader: Leader,
    pub areas: Vec<AssignmentView>,
}

/// The names of the targets: townships and sectors by code.
pub(crate) struct TargetNames {
    townships: BTreeMap<String, String>,
    sectors: BTreeMap<String, String>,
}

impl TargetNames {
    pub(crate) fn name(&self, kind: AreaKind, code: &str) -> String {
        let map = match kind {
            AreaKind::Township => &self.townships,
            AreaKind::Sector => &self.sectors,
        };
        map.get(code).cloned().unwrap_or_else(|| code.to_string())
    }

    /// The code of a target typed as its code or its name.
    pub(crate) fn code(&self, kind: AreaKind, typed: &str) -> Option<String> {
        let typed = typed.trim();
        let map = match kind {
            AreaKind::Township => &self.townships,
            AreaKind::Sector => &self.sectors,
        };
        map.iter()
            .find(|(c, n)| c.as_str() == typed || n.as_str() == typed)
            .map(|(c, _)| c.clone())
    }

    pub(crate) fn of(&self, kind: AreaKind) -> &BTreeMap<String, String> {
        match kind {
            AreaKind::Township => &self.townships,
            AreaKind::Sector => &self.sectors,
        }
    }
}

/// The 12-digit county a caller works in (its home region's county).
pub(crate) fn county_of(caller: &Caller) -> Result<String> {
    RegionCode::parse(&caller.user.region_code)
        .ok()
        .and_then(|r| r.county())
        .map(|c| c.as_str().to_string())
        .ok_or_else(|| AppError::BadRequest("用户的所属区划不在县级或以下，无法确定所在县".into()))
}

fn kind_of(e: &mut ValidationErrors, field: &str, typed: &str) -> Option<AreaKind> {
    let k = AreaKind::from_words(typed);
    if k.is_none() {
        e.add(field, "类别应为包片（乡镇）或包线（行业领域）");
    }
    k
}

fn optional_date(e: &mut ValidationErrors, field: &str, typed: Option<&str>) -> Option<NaiveDate> {
    match typed.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => e.check(field, parse_date(d)),
        None => None,
    }
}

impl App {
    /// The township and sector names of the caller's county.
    pub(crate) fn target_names(&self, county: &str) -> Result<TargetNames> {
        let prefix = county.get(..6).unwrap_or(county).to_string();
        let townships = self
            .store
            .list_regions(&Scope::system(), None, Some("township"))?
            .into_iter()
            .filter(|r| r.level == "township" && r.code.starts_with(&prefix))
            .map(|r| (r.code, r.name))
            .collect();
        let sectors = self
            .store
            .list_sectors()?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
        Ok(TargetNames { townships, sectors })
    }

    /// The county leaders, in their order.
    pub fn leaders(&self, caller: &Caller) -> Result<Vec<Leader>> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self.store.list_leaders(&caller.scope)?)
    }

    pub fn leader(&self, caller: &Caller, id: i64) -> Result<Leader> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self.store.get_leader(&caller.scope, id)?)
    }

    fn validate_leader(
        &self,
        caller: &Caller,
        county: &str,
        d: &LeaderDraft,
        id: Option<i64>,
    ) -> Result<LeaderInput> {
        let mut e = ValidationErrors::new();
        let name = required_text(&mut e, "name", "姓名", &d.name, 30);
        let post = required_text(&mut e, "post", "职务", &d.post, 40);
        let phone = match d.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => e.check("phone", anjian_domain::phone::parse_phone(p)),
            None => None,
        };
        if let Some(u) = d.user_id {
            match self.store.get_user(&caller.scope, u) {
                Ok(user) if user.role == anjian_domain::Role::Leader.as_str() => {}
                Ok(_) => e.add("user_id", "关联的账号须为“县领导”角色"),
                Err(_) => e.add("user_id", "关联的账号不存在"),
            }
        }
        let others = self.store.list_leaders(&caller.scope)?;
        if !name.is_empty()
            && others
                .iter()
                .any(|l| l.name == name && l.county_code == county && Some(l.id) != id)
        {
            e.add("name", "同名领导已在名单中");
        }
        if let Some(u) = d.user_id
            && others
                .iter()
                .any(|l| l.user_id == Some(u) && Some(l.id) != id)
        {
            e.add("user_id", "该账号已关联其他领导");
        }
        e.into_result()?;
        Ok(LeaderInput {
            county_code: county.to_string(),
            name,
            post,
            phone,
            user_id: d.user_id,
            sort_order: d.sort_order.unwrap_or(100),
            active: d.active.unwrap_or(true),
        })
    }

    /// Adds a leader to the county's list (安委办).
    pub fn create_leader(&self, caller: &Caller, d: &LeaderDraft) -> Result<Leader> {
        caller.require(Permission::ManageOrganisation)?;
        let county = county_of(caller)?;
        let input = self.validate_leader(caller, &county, d, None)?;
        Ok(self
            .store
            .create_leader(&caller.change(&caller.scope, self), &input)?)
    }

    /// Changes a leader's name, post, phone, account, order or whether he is on the list.
    pub fn update_leader(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &LeaderDraft,
    ) -> Result<Leader> {
        caller.require(Permission::ManageOrganisation)?;
        let current = self.store.get_leader(&caller.scope, id)?;
        let input = self.validate_leader(caller, &current.county_code, d, Some(id))?;
        Ok(self
            .store
            .update_leader(&caller.change(&caller.scope, self), id, version, &input)?)
    }

    /// Checks an assignment: the leader, the target in the county, the basis, the dates,
    /// and the handover it makes (refused when the target already has a later one).
    fn validate_assignment(
        &self,
        caller: &Caller,
        county: &str,
        names: &TargetNames,
        d: &AssignmentDraft,
    ) -> Result<AssignmentInput> {
        let mut e = ValidationErrors::new();
        match self.store.get_leader(&caller.scope, d.leader_id) {
            Ok(l) if l.county_code == county && l.active => {}
            Ok(_) => e.add("leader_id", "该领导不在本县名单中或已停用"),
            Err(_) => e.add("leader_id", "请选择领导"),
        }
        let kind = kind_of(&mut e, "kind", &d.kind);
        let target = kind.and_then(|k| {
            let c = names.code(k, &d.target);
            if c.is_none() {
                e.add(
                    "target",
                    format!("{}“{}”不存在", k.target_label(), d.target.trim()),
                );
            }
            c
        });
        let basis = required_text(&mut e, "basis", "依据文件", &d.basis, 200);
        let from = e.check("valid_from", parse_date(&d.valid_from));
        let to = optional_date(&mut e, "valid_to", d.valid_to.as_deref());
        if let (Some(k), Some(t), Some(f)) = (kind, &target, from) {
            let existing: Vec<(i64, Span)> = self
                .store
                .list_assignments(
                    &caller.scope,
                    &AssignmentFilter {
                        kind: Some(k),
                        target: Some(t.clone()),
                        ..Default::default()
                    },
                )?
                .iter()
                .map(|a| (a.id, a.span()))
                .collect();
            if let Err(err) = handover(&existing, Span { from: f, to }) {
                let (field, msg) = err.message();
                e.add(field, msg);
            }
        }
        e.into_result()?;
        let (Some(kind), Some(target), Some(valid_from)) = (kind, target, from) else {
            return Err(ValidationErrors::single("kind", "类别不正确").into());
        };
        Ok(AssignmentInput {
            county_code: county.to_string(),
            leader_id: d.leader_id,
            kind,
            target,
            basis,
            valid_from,
            valid_to: to,
        })
    }

    /// Assigns a leader to a township (包片) or a sector (包线) from a day; the target's
    /// current leader's assignment ends the day before (安委办).
    pub fn assign_leader(&self, caller: &Caller, d: &AssignmentDraft) -> Result<AssignmentView> {
        caller.require(Permission::ManageOrganisation)?;
        let county = county_of(caller)?;
        let names = self.target_names(&county)?;
        let input = self.validate_assignment(caller, &county, &names, d)?;
        let saved = self
            .store
            .assign_leader(&caller.change(&caller.scope, self), &input)?;
        self.assignment_view(caller, &names, saved)
    }

    /// Ends an assignment on a day (the leader answers for the target up to that day).
    pub fn end_assignment(
        &self,
        caller: &Caller,
        id: i64,
        last_day: &str,
    ) -> Result<AssignmentView> {
        caller.require(Permission::ManageOrganisation)?;
        let current = self.store.get_assignment(&caller.scope, id)?;
        let day = parse_date(last_day).map_err(|m| ValidationErrors::single("valid_to", m))?;
        if day < current.valid_from {
            return Err(ValidationErrors::single("valid_to", "终止日期不能早于起始日期").into());
        }
        let saved = self
            .store
            .end_assignment(&caller.change(&caller.scope, self), id, day)?;
        let names = self.target_names(&saved.county_code)?;
        self.assignment_view(caller, &names, saved)
    }

    fn assignment_view(
        &self,
        caller: &Caller,
        names: &TargetNames,
        a: LeaderAssignment,
    ) -> Result<AssignmentView> {
        let leaders = self.store.list_leaders(&caller.scope)?;
        Ok(view(&leaders, names, a))
    }

    /// Assignments in the caller's county, with names: by leader, kind, target, and those in
    /// force on a day.
    pub fn assignments(&self, caller: &Caller, q: &AssignmentQuery) -> Result<Vec<AssignmentView>> {
        caller.require(Permission::ViewCountyWork)?;
        let mut e = ValidationErrors::new();
        let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(k) => kind_of(&mut e, "kind", k),
            None => None,
        };
        let as_of = optional_date(&mut e, "as_of", q.as_of.as_deref());
        e.into_result()?;
        let f = AssignmentFilter {
            leader_id: q.leader_id,
            kind,
            target: q.target.clone().filter(|t| !t.trim().is_empty()),
            as_of,
        };
        let list = self.store.list_assignments(&caller.scope, &f)?;
        let leaders = self.store.list_leaders(&caller.scope)?;
        let names = self.target_names(&county_of(caller)?)?;
        Ok(list
            .into_iter()
            .map(|a| view(&leaders, &names, a))
            .collect())
    }

    /// Who answered for a township or a sector on a day: one assignment or none.
    pub fn responsible_leader(
        &self,
        caller: &Caller,
        kind: AreaKind,
        target: &str,
        on: NaiveDate,
    ) -> Result<Option<AssignmentView>> {
        caller.require(Permission::ViewCountyWork)?;
        let list = self.store.list_assignments(
            &caller.scope,
            &AssignmentFilter {
                kind: Some(kind),
                target: Some(target.to_string()),
                ..Default::default()
            },
        )?;
        let spans: Vec<(i64, Span)> = list.iter().map(|a| (a.id, a.span())).collect();
        let Some(id) = responsible_on(&spans, on) else {
            return Ok(None);
        };
        let leaders = self.store.list_leaders(&caller.scope)?;
        let names = self.target_names(&county_of(caller)?)?;
        Ok(list
            .into_iter()
            .find(|a| a.id == id)
            .map(|a| view(&leaders, &names, a)))
    }

    /// The leader answering for each township (or sector) on a day, by target code.
    pub fn area_leaders(
        &self,
        caller: &Caller,
        kind: AreaKind,
        on: NaiveDate,
    ) -> Result<BTreeMap<String, AssignmentView>> {
        let q = AssignmentQuery {
            kind: Some(kind.as_str().into()),
            as_of: Some(on.to_string()),
            ..Default::default()
        };
        Ok(self
            .assignments(caller, &q)?
            .into_iter()
            .map(|v| (v.assignment.target.clone(), v))
            .collect())
    }

    /// A leader-role user's own areas today, when his account is linked to a leader.
    pub fn my_areas(&self, caller: &Caller) -> Result<Option<MyAreas>> {
        if !caller.can(Permission::ViewCountyWork) {
            return Ok(None);
        }
        let Some(leader) = self.store.leader_of_user(&caller.scope, caller.user.id)? else {
            return Ok(None);
        };
        let areas = self.assignments(
            caller,
            &AssignmentQuery {
                leader_id: Some(leader.id),
                as_of: Some(self.clock.today().to_string()),
                ..Default::default()
            },
        )?;
        Ok(Some(MyAreas { leader, areas }))
    }

    /// Leader accounts (role 县领导) a leader may be linked to: (id, name).
    pub fn leader_accounts(&self, caller: &Caller) -> Result<Vec<(i64, String)>> {
        caller.require(Permission::ManageOrganisation)?;
        Ok(self
            .store
            .list_users(&caller.scope)?
            .into_iter()
            .filter(|u| u.role == anjian_domain::Role::Leader.as_str())
            .map(|u| (u.id, u.display_name))
            .collect())
    }

    /// The townships and sectors of the caller's county a leader may be assigned to, by kind:
    /// (code, name).
    pub fn assignment_targets(&self, caller: &Caller) -> Result<Vec<(AreaKind, String, String)>> {
        caller.require(Permission::ViewCountyWork)?;
        let names = self.target_names(&county_of(caller)?)?;
        Ok(AreaKind::ALL
            .iter()
            .flat_map(|k| {
                names
                    .of(*k)
                    .iter()
                    .map(move |(c, n)| (*k, c.clone(), n.clone()))
            })
            .collect())
    }
}

fn view(leaders: &[Leader], names: &TargetNames, a: LeaderAssignment) -> AssignmentView {
    let l = leaders.iter().find(|l| l.id == a.leader_id);
    AssignmentView {
        leader_name: l.map(|l| l.name.clone()).unwrap_or_default(),
        leader_post: l.map(|l| l.post.clone()).unwrap_or_default(),
        kind_label: a.kind.label().to_string(),
        target_name: names.name(a.kind, &a.target),
        assignment: a,
    }
}
