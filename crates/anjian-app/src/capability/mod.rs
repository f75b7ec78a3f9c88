//! Grassroots emergency capability (乡村应急能力创建): the county's checklists (a township's
//! "六有", a village's "三有", shipped as data and edited by the 安委办), the yearly
//! self-assessment of each township and village with evidence per item, submitted by the
//! township for itself and its villages, and the county's acceptance (达标/未达标, the day,
//! the inspectors). The loop is [`anjian_domain::capability::CapabilityFlow`].

use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::capability::{
    AcceptanceResult, CapabilityAction, CapabilityFacts, CapabilityFlow, ItemCheck, Level,
};
use anjian_domain::scope::Permission;
use anjian_domain::workflow::{offered, transition};
use anjian_domain::{RegionCode, RegionLevel, Scope, ValidationErrors};
use anjian_store::attachments::Attachment;
use anjian_store::capability::{Assessment, AssessmentFilter, CapabilityItem};
use serde::{Deserialize, Serialize};

mod flow;
mod import;
mod ledger;
pub use flow::{CapabilityActionInput, ItemAnswer};
pub use import::{ACCEPTANCE_IMPORT, SELF_ASSESSMENT_IMPORT};

/// The shipped checklists (`data/capability_items.tsv`): level, code, name, description.
pub fn default_capability_items() -> Vec<(Level, &'static str, &'static str, &'static str)> {
    include_str!("../../data/capability_items.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (level, code, name, description) = (f.next()?, f.next()?, f.next()?, f.next()?);
            Some((Level::parse(level)?, code, name, description))
        })
        .collect()
}

/// Inserts any shipped checklist item missing from the store; keeps edited ones.
pub fn ensure_capability_items(app: &App) -> Result<usize> {
    let existing = app.store.list_capability_items()?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut added = 0;
    for (i, (level, code, name, description)) in default_capability_items().into_iter().enumerate()
    {
        if existing.iter().any(|t| t.level == level && t.code == code) {
            continue;
        }
        app.store.save_capability_item(
            &change,
            &CapabilityItem {
                level,
                code: code.to_string(),
                name: name.to_string(),
                description: description.to_string(),
                sort_order: (i as i64 + 1) * 10,
                active: true,
            },
        )?;
        added += 1;
    }
    Ok(added)
}

/// A checklist item as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityItemInput {
    /// township（乡镇“六有”）或 village（村“三有”）
    pub level: String,
    /// 代码（字母、数字、下划线）
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A new assessment: the place and the year.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CapabilityAssessmentInput)]
pub struct AssessmentInput {
    /// 乡镇（街道）或村（社区）的区划代码
    pub region_code: String,
    pub year: i64,
}

/// An assessment with its names, labels, files and the steps the caller may take.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssessmentView {
    #[serde(flatten)]
    pub assessment: Assessment,
    pub place_name: String,
    pub township_name: String,
    pub level_label: &'static str,
    pub status_label: &'static str,
    /// 达标 / 未达标, once accepted.
    pub result_label: String,
    /// Items self-assessed as met, of all items.
    pub met: usize,
    pub total: usize,
    pub files: Vec<Attachment>,
    /// The steps the caller may take now (`save`, `submit`, `accept`, `return`).
    pub allowed_actions: Vec<&'static str>,
}

impl App {
    /// The checklists, both levels (active and retired items).
    pub fn capability_items(&self) -> Result<Vec<CapabilityItem>> {
        Ok(self.store.list_capability_items()?)
    }

    /// Adds or edits a checklist item (安委办: county configuration). Assessments already
    /// opened keep the items they were opened with.
    pub fn save_capability_item(&self, caller: &Caller, input: &CapabilityItemInput) -> Result<()> {
        if !caller.can(Permission::ConfigureCounty) {
            return Err(caller.refuse("修改乡村应急能力创建标准"));
        }
        let mut e = ValidationErrors::new();
        let level = Level::parse(input.level.trim());
        if level.is_none() {
            e.add("level", "请选择适用层级（乡镇或村）");
        }
        let code = input.code.trim();
        if code.is_empty()
            || code.len() > 40
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            e.add("code", "代码为1至40位字母、数字或下划线");
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 30 {
            e.add("name", "请填写项目名称（不超过30个字）");
        }
        if input.description.chars().count() > 500 {
            e.add("description", "说明不超过500个字");
        }
        e.into_result()?;
        let Some(level) = level else {
            return Err(ValidationErrors::single("level", "请选择适用层级").into());
        };
        Ok(self.store.save_capability_item(
            &caller.change(&Scope::system(), self),
            &CapabilityItem {
                level,
                code: code.to_string(),
                name: name.to_string(),
                description: input.description.trim().to_string(),
                sort_order: input.sort_order,
                active: input.active,
            },
        )?)
    }

    /// Whether the caller opens assessments at all (townships for themselves, the 安委办 for
    /// any); which places is [`App::open_capability_assessment`]'s business.
    pub fn may_open_capability_assessments(caller: &Caller) -> bool {
        caller.can(Permission::Supervise)
            && caller.scope.writable
            && (caller.can(Permission::DecideAsCountyOffice) || caller.role.belongs_to_township())
    }

    /// Whether the caller acts for the township of `township_code` (its own users, or the
    /// 安委办 entering the self-assessment for it).
    pub(crate) fn acts_for_township(caller: &Caller, township_code: &str) -> bool {
        caller.can(Permission::DecideAsCountyOffice)
            || (caller.role.belongs_to_township() && caller.scope.admits_region(township_code))
    }

    pub(crate) fn capability_facts(caller: &Caller, a: &Assessment) -> CapabilityFacts {
        CapabilityFacts {
            state: a.status,
            actor_acts_for_township: Self::acts_for_township(caller, &a.township_code),
            unanswered: a.items.iter().filter(|i| i.met.is_none()).count(),
        }
    }

    /// Opens the assessment of a township or village for a year, with its level's active
    /// checklist items unanswered: the township itself, or the 安委办 for it.
    pub fn open_capability_assessment(
        &self,
        caller: &Caller,
        input: &AssessmentInput,
    ) -> Result<Assessment> {
        let a = self.new_capability_assessment(caller, input)?;
        let mut scope = caller.scope.clone();
        scope.writable = true;
        self.store
            .create_capability_assessment(&caller.change(&scope, self), &a)
            .map_err(|e| match e {
                anjian_store::StoreError::Duplicate(_) => AppError::Validation(
                    ValidationErrors::single("region_code", "该乡镇（村）本年度已有自评记录"),
                ),
                e => e.into(),
            })
    }

    /// A new assessment of the place and year with its level's active items unanswered,
    /// checked (the place, the caller acting for its township), not yet written.
    pub(crate) fn new_capability_assessment(
        &self,
        caller: &Caller,
        input: &AssessmentInput,
    ) -> Result<Assessment> {
        let mut e = ValidationErrors::new();
        if !(2000..=2100).contains(&input.year) {
            e.add("year", "年度不正确");
        }
        let code = input.region_code.trim();
        let region = match RegionCode::parse(code) {
            Err(m) => {
                e.add("region_code", m);
                None
            }
            Ok(r) => match (r.level(), self.store.get_region(&caller.scope, r.as_str())) {
                (RegionLevel::Township | RegionLevel::Village, Ok(_)) => Some(r),
                (RegionLevel::Township | RegionLevel::Village, Err(_)) => {
                    e.add("region_code", "该区划不存在或不在您的管辖范围内");
                    None
                }
                _ => {
                    e.add("region_code", "请选择乡镇（街道）或村（社区）");
                    None
                }
            },
        };
        e.into_result()?;
        let Some(region) = region else {
            return Err(ValidationErrors::single("region_code", "请选择乡镇或村").into());
        };
        let level = if region.level() == RegionLevel::Township {
            Level::Township
        } else {
            Level::Village
        };
        let township_code = format!("{}000", &region.as_str()[..9]);
        if !caller.can(Permission::Supervise) || !Self::acts_for_township(caller, &township_code) {
            return Err(caller.refuse("为该乡镇（村）填报能力创建自评"));
        }
        let items: Vec<ItemCheck> = self
            .store
            .list_capability_items()?
            .into_iter()
            .filter(|i| i.level == level && i.active)
            .map(|i| ItemCheck {
                code: i.code,
                name: i.name,
                ..ItemCheck::default()
            })
            .collect();
        if items.is_empty() {
            return Err(ValidationErrors::single(
                "region_code",
                format!("尚未设置{}的创建标准", level.label()),
            )
            .into());
        }
        Ok(Assessment {
            region_code: region.as_str().to_string(),
            township_code,
            level,
            year: input.year,
            items,
            ..Assessment::default()
        })
    }

    /// One page of the assessments in the caller's scope.
    pub fn capability_assessments_page(
        &self,
        caller: &Caller,
        f: &AssessmentFilter,
        k: &Keyset,
    ) -> Result<Page<AssessmentView>> {
        let page = self
            .store
            .list_capability_assessments(&caller.scope, f, k)?;
        let names = self.place_names(caller, &page.items)?;
        crate::page_of(page, |a| {
            Ok(self.assessment_view(caller, a, &names, Vec::new()))
        })
    }

    /// Every assessment in the caller's scope under the filter.
    pub(crate) fn all_assessments(
        &self,
        caller: &Caller,
        f: &AssessmentFilter,
    ) -> Result<Vec<Assessment>> {
        crate::every(
            |k| self.store.list_capability_assessments(&caller.scope, f, k),
            Ok,
        )
    }

    /// One assessment with its files and the steps the caller may take.
    pub fn capability_assessment(&self, caller: &Caller, id: i64) -> Result<AssessmentView> {
        let a = self.store.get_capability_assessment(&caller.scope, id)?;
        let files = self.store.capability_files(&caller.scope, id)?;
        let names = self.place_names(caller, std::slice::from_ref(&a))?;
        Ok(self.assessment_view(caller, a, &names, files))
    }

    /// The names of the places and townships of these assessments.
    pub(crate) fn place_names(
        &self,
        caller: &Caller,
        list: &[Assessment],
    ) -> Result<std::collections::HashMap<String, String>> {
        self.region_names(
            caller,
            list.iter()
                .flat_map(|a| [a.region_code.as_str(), a.township_code.as_str()]),
        )
    }

    pub(crate) fn assessment_view(
        &self,
        caller: &Caller,
        a: Assessment,
        names: &std::collections::HashMap<String, String>,
        files: Vec<Attachment>,
    ) -> AssessmentView {
        let name = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
        // A submission carries its answers (the page's form sends them with it): whether
        // every item is answered is checked on the record as it will be saved, so submitting
        // is offered whenever the graph and the actor allow it.
        let facts = CapabilityFacts {
            unanswered: 0,
            ..Self::capability_facts(caller, &a)
        };
        let allowed_actions =
            offered::<CapabilityFlow>(&facts, &caller.actor_in_region(&a.region_code))
                .into_iter()
                .map(CapabilityAction::as_str)
                .collect();
        AssessmentView {
            place_name: name(&a.region_code),
            township_name: name(&a.township_code),
            level_label: a.level.label(),
            status_label: a.status.label(),
            result_label: a.result.map(AcceptanceResult::label).unwrap_or("").into(),
            met: a.items.iter().filter(|i| i.met == Some(true)).count(),
            total: a.items.len(),
            files,
            allowed_actions,
            assessment: a,
        }
    }

    /// Checks that the caller may take `action` on the assessment now.
    pub(crate) fn capability_step(
        caller: &Caller,
        a: &Assessment,
        action: CapabilityAction,
    ) -> Result<()> {
        transition::<CapabilityFlow>(
            &Self::capability_facts(caller, a),
            action,
            &caller.actor_in_region(&a.region_code),
        )?;
        Ok(())
    }
}
