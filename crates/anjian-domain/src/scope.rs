//! Roles and scopes. A scope says which records a caller may see and whether
//! it may change them; the store applies it to every read and write.

use crate::region::RegionCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 安委办 administrator: the whole region, configuration.
    Admin,
    /// County leader: read-only, the whole region.
    Leader,
    /// Department user: its sectors, region-wide.
    Department,
    /// Inspector (执法人员) of a department: its department's sectors.
    Inspector,
    /// Township user: its township and villages.
    Township,
    /// Enterprise user: its own enterprise.
    Enterprise,
    /// Stationed supervisor (派驻监督员): assigned sites.
    Supervisor,
}

pub const ALL_ROLES: [Role; 7] = [
    Role::Admin,
    Role::Leader,
    Role::Department,
    Role::Inspector,
    Role::Township,
    Role::Enterprise,
    Role::Supervisor,
];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Department => "department",
            Role::Inspector => "inspector",
            Role::Township => "township",
            Role::Enterprise => "enterprise",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_ROLES.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "安委办管理员",
            Role::Leader => "县领导（只读）",
            Role::Department => "部门用户",
            Role::Inspector => "执法人员",
            Role::Township => "乡镇（街道）用户",
            Role::Enterprise => "企业用户",
            Role::Supervisor => "派驻监督员",
        }
    }

    /// What a user of this role is attached to besides a region.
    pub fn attachment(self) -> Attachment {
        match self {
            Role::Department | Role::Inspector => Attachment::Department,
            Role::Enterprise => Attachment::Enterprise,
            Role::Supervisor => Attachment::Sites,
            Role::Admin | Role::Leader | Role::Township => Attachment::Region,
        }
    }

    /// A user of this role belongs to a township (乡镇、街道), not to a county or village.
    pub fn belongs_to_township(self) -> bool {
        self == Role::Township
    }

    /// What this role may do, independent of the record. The one place where roles are
    /// mapped to duties: the application and the web pages ask this (or a workflow's
    /// [`crate::workflow::Workflow::may`], which asks it) and never list roles themselves.
    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match p {
            ManageOrganisation | ManageUsers | ViewAudit | ConfigureCounty
            | ActForAnyDepartment | DecideAsCountyOffice => self == Admin,
            ViewOrganisation | ViewEnterprises => true,
            EditEnterprises => matches!(self, Admin | Department | Township),
            ExportEnterprises => !matches!(self, Enterprise | Supervisor),
            EditHazards => matches!(self, Admin | Department | Inspector | Township | Enterprise),
            Supervise | OpenCases => matches!(self, Admin | Department | Inspector | Township),
            Enforce => matches!(self, Admin | Department | Inspector),
            ViewEnforcement => matches!(self, Admin | Department | Inspector | Leader),
            DirectRemediation => matches!(self, Admin | Department | Township),
            DecideAsAgency => matches!(self, Admin | Department),
            RegisterOwnHazardsOnly | WorkOwnHazards => self == Enterprise,
            ViewCountyWork => !matches!(self, Enterprise | Supervisor),
            AnswerForOwnUnit => matches!(self, Department | Township),
            CheckInAtSites => self == Supervisor,
            ManageForestGrid => matches!(self, Admin | Department | Township),
            ManageEmergencyResources => matches!(self, Admin | Department | Township),
            RecordTraining => matches!(self, Admin | Department | Township),
            Dispatch => matches!(self, Admin | Department | Township),
            ViewMonitoring => !matches!(self, Supervisor),
            ConfigureMonitoring => matches!(self, Admin | Department | Township),
            HandleAlarms | SendReadings => {
                matches!(self, Admin | Department | Township | Inspector | Enterprise)
            }
        }
    }
}

/// What a user is attached to besides a region: it decides which of the user's fields are
/// required and how the scope is narrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    /// The region only (安委办, leaders, townships).
    Region,
    /// A department: the scope is the department's sectors.
    Department,
    /// One enterprise: the scope is that enterprise.
    Enterprise,
    /// The sites a stationed supervisor is assigned to.
    Sites,
}

/// A duty a role may hold. Record-level rules (the record is in the caller's writable scope,
/// the caller owns it, the case was commissioned) are the workflows' business; these are the
/// role-level halves they build on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ManageOrganisation,
    ManageUsers,
    ViewAudit,
    ViewOrganisation,
    ViewEnterprises,
    EditEnterprises,
    ExportEnterprises,
    /// The county's configuration (安委办): campaigns, the work-item catalogue, the ranking
    /// rule, the report template, the capability checklists (“六有”“三有”), the assessment
    /// rubrics.
    ConfigureCounty,
    /// Act in any department's name (安委办); department users and inspectors act in their
    /// own department's name only.
    ActForAnyDepartment,
    /// Decisions reserved to the 安委办: approving, extending and de-listing 挂牌督办,
    /// assigning 举报 for verification, the target-responsibility letters (责任状) signed in
    /// the county's name, the acceptance of grassroots emergency capability (验收), and scoring
    /// and approving the assessment and answering its objections.
    DecideAsCountyOffice,
    /// Change hazards at all (regulators, and an enterprise on its own).
    EditHazards,
    /// Supervise enterprises in the field (安委办, departments, inspectors, townships): register
    /// hazards found by inspection, order and verify rectification, record inspections, work
    /// records and 举报.
    Supervise,
    /// Open a penalty case (enforcers; a township only under a 委托执法 commission, which the
    /// use case checks).
    OpenCases,
    /// Run penalty cases, 行刑衔接 transfers and decision publicity (执法: 安委办,
    /// departments, inspectors).
    Enforce,
    /// See enforcement deadlines (enforcers, and county leaders reading).
    ViewEnforcement,
    /// Direct remediation (督办): propose 挂牌督办, decide in 一单四制 cases, and act for a
    /// hazard that has no enterprise (安委办, departments, townships).
    DirectRemediation,
    /// Decide as the head of an agency (安委办, departments): approve transfers and rewards,
    /// issue bulletins, draft enforcement plans, organise random draws, verify listings.
    DecideAsAgency,
    /// An enterprise registers only its own self-check hazards.
    RegisterOwnHazardsOnly,
    /// An enterprise works its own hazards (rectifies, reports, closes its general self-check
    /// hazards).
    WorkOwnHazards,
    /// The county's own work beyond single records: the responsibility system, 一单四制 and
    /// 挂牌督办 lists, statistics, ranking, campaigns, work records, the calendar (everyone in
    /// government; not enterprises or stationed supervisors, whose menus show their own).
    ViewCountyWork,
    /// A township or a department answers for its own unit in the year's assessment (考核):
    /// submits evidence for hand-scored items and files objections (复核申请).
    AnswerForOwnUnit,
    /// A stationed supervisor checks in at the sites it is stationed at (驻点签到) and
    /// registers what it finds there.
    CheckInAtSites,
    /// Keep the forest-fire grid (森林防灭火): the season's chain of responsible persons,
    /// hills, checkpoints and their registers, patrols, the duty roster, and the equipment
    /// and its handovers (安委办, departments, townships, each in its writable scope).
    ManageForestGrid,
    /// Keep emergency resources (应急资源: teams, experts, supplies, depots, shelters) and
    /// record their periodic checks (安委办, departments, townships, each its own).
    ManageEmergencyResources,
    /// Record the training a unit organised (培训班, 理论中心组学习: the 安委办, departments and
    /// townships, each as its own organiser) and its attendees and files.
    RecordTraining,
    /// Send a one-key dispatch (一键调度) to the chain of a record or place, record a
    /// confirmation taken by phone, and end a dispatch (安委办, departments, townships in
    /// their scope). The notifiers themselves are the county's configuration
    /// ([`Permission::ConfigureCounty`]).
    Dispatch,
    /// See online monitoring (在线监测): objects, points, readings and alarms in scope.
    ViewMonitoring,
    /// Keep the monitored objects and their points and thresholds (安委办, departments,
    /// townships, at their places).
    ConfigureMonitoring,
    /// Acknowledge and dispose of alarms (regulators in scope, and an enterprise its own).
    HandleAlarms,
    /// Send readings over the HTTP batch endpoint (a gateway's account: an enterprise's own
    /// points, a regulator's in scope).
    SendReadings,
}

/// What a caller may see and change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Scope {
    /// Region subtree prefixes (see [`RegionCode::subtree_prefix`]); empty means nothing.
    pub region_prefixes: Vec<String>,
    /// Sector codes; `None` means every sector.
    pub sectors: Option<Vec<String>>,
    /// Enterprise ids; `None` means every enterprise inside regions and sectors.
    pub enterprise_ids: Option<Vec<i64>>,
    /// Whether records inside the scope may be changed.
    pub writable: bool,
}

impl Scope {
    /// Sees nothing, changes nothing.
    pub fn nothing() -> Self {
        Self {
            region_prefixes: vec![],
            sectors: Some(vec![]),
            enterprise_ids: Some(vec![]),
            writable: false,
        }
    }

    /// Everything under a region.
    pub fn region(root: &RegionCode, writable: bool) -> Self {
        Self {
            region_prefixes: vec![root.subtree_prefix().to_string()],
            sectors: None,
            enterprise_ids: None,
            writable,
        }
    }

    /// The scope a user of `role` in `region` has: a department's users see the department's
    /// sectors, an enterprise user its enterprise, a stationed supervisor the assigned sites;
    /// leaders, inspectors, enterprises and supervisors change nothing through the base scope
    /// (inspectors' and enterprises' field work widens it per record, see
    /// [`Permission::EditHazards`]).
    pub fn of_role(
        role: Role,
        region: &RegionCode,
        department_sectors: Vec<String>,
        enterprise_id: Option<i64>,
        site_ids: &[i64],
    ) -> Self {
        let base = Self::region(region, true);
        match role.attachment() {
            Attachment::Region if role.can(Permission::EditEnterprises) => base,
            Attachment::Region => base.read_only(),
            Attachment::Department => Scope {
                sectors: Some(department_sectors),
                writable: role.can(Permission::DecideAsAgency),
                ..base
            },
            Attachment::Enterprise => Scope {
                enterprise_ids: Some(enterprise_id.into_iter().collect()),
                ..base
            }
            .read_only(),
            Attachment::Sites => Scope {
                enterprise_ids: Some(site_ids.to_vec()),
                ..base
            }
            .read_only(),
        }
    }

    /// The system itself (CLI, background jobs): everything, writable.
    pub fn system() -> Self {
        Self {
            region_prefixes: vec![String::new()],
            sectors: None,
            enterprise_ids: None,
            writable: true,
        }
    }

    pub fn read_only(mut self) -> Self {
        self.writable = false;
        self
    }

    pub fn admits_region(&self, code: &str) -> bool {
        self.region_prefixes
            .iter()
            .any(|p| code.starts_with(p.as_str()))
    }

    pub fn admits_sectors<S: AsRef<str>>(&self, sectors: &[S]) -> bool {
        match &self.sectors {
            None => true,
            Some(allowed) => sectors
                .iter()
                .any(|s| allowed.iter().any(|a| a == s.as_ref())),
        }
    }

    pub fn admits_enterprise_id(&self, id: Option<i64>) -> bool {
        match (&self.enterprise_ids, id) {
            (None, _) => true,
            (Some(ids), Some(id)) => ids.contains(&id),
            (Some(_), None) => false,
        }
    }

    /// Whether a record with this region, sectors and enterprise lies inside the scope.
    pub fn admits<S: AsRef<str>>(
        &self,
        region: &str,
        sectors: &[S],
        enterprise_id: Option<i64>,
    ) -> bool {
        self.admits_region(region)
            && self.admits_sectors(sectors)
            && self.admits_enterprise_id(enterprise_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn region_scope_is_a_subtree() {
        let s = Scope::region(&rc("360982100000"), true);
        assert!(s.admits_region("360982100200"));
        assert!(!s.admits_region("360982101200"));
        assert!(s.admits::<&str>("360982100200", &["fire"], None));
    }

    #[test]
    fn sector_and_enterprise_limits() {
        let mut s = Scope::region(&rc("360982000000"), false);
        s.sectors = Some(vec!["mine".into()]);
        assert!(s.admits("360982100200", &["mine", "fire"], Some(3)));
        assert!(!s.admits("360982100200", &["fire"], Some(3)));
        s.enterprise_ids = Some(vec![3]);
        assert!(s.admits("360982100200", &["mine"], Some(3)));
        assert!(!s.admits("360982100200", &["mine"], Some(4)));
        assert!(!Scope::nothing().admits::<&str>("360982100200", &[], None));
    }

    #[test]
    fn only_admin_configures() {
        for r in ALL_ROLES {
            assert_eq!(r.can(Permission::ManageUsers), r == Role::Admin);
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(!Role::Leader.can(Permission::EditEnterprises));
    }
}
