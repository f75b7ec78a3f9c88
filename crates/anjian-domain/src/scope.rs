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

    /// What this role may do, independent of scope.
    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        match p {
            ManageOrganisation | ManageUsers | ViewAudit => self == Role::Admin,
            ViewOrganisation => true,
            ViewEnterprises => true,
            EditEnterprises => matches!(self, Role::Admin | Role::Department | Role::Township),
            ExportEnterprises => !matches!(self, Role::Enterprise | Role::Supervisor),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ManageOrganisation,
    ManageUsers,
    ViewAudit,
    ViewOrganisation,
    ViewEnterprises,
    EditEnterprises,
    ExportEnterprises,
}

/// What a caller may see and change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
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
        RegionCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
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
