//! User administration.

use crate::auth::check_password_policy;
use crate::{App, AppError, Caller, Result};
use anjian_domain::scope::{Attachment, Permission};
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{RegionCode, RegionLevel, Role, Scope, ValidationErrors};
use anjian_store::Change;
use anjian_store::users::{User, UserInput};
use serde::Deserialize;

/// A user as entered by an administrator or on the command line.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub password: Option<String>,
    /// Home region: the county for county-wide roles, the township for township users.
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub site_ids: Vec<i64>,
    /// 执法证号 of a law-enforcement officer (安委办, departments, inspectors and townships
    /// only); given with `cert_valid_until`, or neither. Left out, an update clears it.
    #[serde(default)]
    pub cert_no: Option<String>,
    /// The certificate's last valid day, `YYYY-MM-DD`.
    #[serde(default)]
    pub cert_valid_until: Option<String>,
    /// Optimistic concurrency: the version an edit is based on (updates only).
    #[serde(default)]
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

/// Who creates a user: the password rule and whether the first login must change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// The demo county and test fixtures: baseline rule, no forced change.
    Seed,
    /// `anjian user add`.
    Cli,
    /// An administrator.
    Admin,
}

/// One live session or API token of a user, as the sessions page shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionInfo {
    /// The first 16 characters of the token's hash: names the session for revocation.
    pub id: String,
    pub kind: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub ip: String,
    /// The session of the request that asked.
    pub current: bool,
}

/// The handle of a session (what [`SessionInfo::id`] holds).
pub fn session_handle(token_hash: &str) -> String {
    token_hash.chars().take(16).collect()
}

/// A unique value already taken, as the field it belongs to.
fn duplicate(e: anjian_store::StoreError) -> AppError {
    match e {
        anjian_store::StoreError::Duplicate(what) if what.contains("cert_no") => {
            ValidationErrors::single("cert_no", "该执法证号已登记在其他用户名下").into()
        }
        anjian_store::StoreError::Duplicate(_) => {
            ValidationErrors::single("username", "用户名已存在").into()
        }
        other => other.into(),
    }
}

/// The law-enforcement certificate of a user record: number and last valid day, both or
/// neither, and only for the roles that inspect.
fn certificate(
    e: &mut ValidationErrors,
    u: &NewUser,
    role: Option<Role>,
) -> (Option<String>, Option<chrono::NaiveDate>) {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let (no, until) = (given(&u.cert_no), given(&u.cert_valid_until));
    let cert_no = no.and_then(|n| e.check("cert_no", anjian_domain::officer::parse_cert_no(n)));
    let valid_until = until.and_then(|d| match parse_date(d) {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(
                "cert_valid_until",
                "执法证有效期至应为有效日期（YYYY-MM-DD）",
            );
            None
        }
    });
    match (no, until) {
        (Some(_), None) => e.add("cert_valid_until", "登记执法证号须同时填写执法证有效期至"),
        (None, Some(_)) => e.add("cert_no", "填写了执法证有效期至，请同时填写执法证号"),
        _ => {}
    }
    if (no.is_some() || until.is_some()) && role.is_some_and(|r| !r.can(Permission::Supervise)) {
        e.add(
            "cert_no",
            "只有安委办、监管部门、执法人员和乡镇用户可以登记执法证",
        );
    }
    (cert_no, valid_until)
}

/// A user's account name (2–40 letters, digits or `. _ -`) and display name (the account name
/// when left empty), with their messages.
pub(crate) fn check_names(
    e: &mut ValidationErrors,
    username: &str,
    display_name: &str,
) -> (String, String) {
    let username = username.trim().to_string();
    if username.len() < 2
        || username.len() > 40
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        e.add("username", "用户名须为2-40位字母、数字或 . _ -");
    }
    let display_name = if display_name.trim().is_empty() {
        username.clone()
    } else {
        required_text(e, "display_name", "姓名", display_name, 30)
    };
    (username, display_name)
}

impl App {
    /// Checks a user record against its role's needs; fills the default region.
    ///
    /// `creating` checks the initial password: against the security settings, or for
    /// `Origin::Seed` (the demo county, test fixtures) against the baseline rule only.
    fn validate_user(&self, u: &NewUser, creating: Option<Origin>) -> Result<UserInput> {
        let mut e = ValidationErrors::new();
        let (username, display_name) = check_names(&mut e, &u.username, &u.display_name);
        let role = Role::parse(u.role.trim());
        if role.is_none() {
            e.add(
                "role",
                "角色应为 admin、leader、department、inspector、township、enterprise 或 supervisor",
            );
        }
        if let Some(origin) = creating {
            match u.password.as_deref() {
                Some(p) if origin == Origin::Seed => {
                    e.check("password", check_password_policy(p));
                }
                Some(p) => {
                    e.check("password", self.security_policy()?.check_password(p));
                }
                None => e.add("password", "请设置初始密码"),
            }
        }
        let region = match u
            .region_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(r) => e.check("region_code", RegionCode::parse(r)),
            None => self.root_region()?,
        };
        match &region {
            None => e.add("region_code", "请指定所属区划（尚未设置本系统的根区划）"),
            Some(r) => {
                if !self.store.region_exists(r.as_str())? {
                    e.add("region_code", format!("区划 {r} 不存在"));
                }
                if role.is_some_and(Role::belongs_to_township) && r.level() != RegionLevel::Township
                {
                    e.add("region_code", "乡镇用户的所属区划应为乡镇（街道）");
                }
            }
        }
        if let Some(role) = role {
            match role.attachment() {
                Attachment::Department => match u.department_id {
                    None => e.add("department_id", "部门用户和执法人员须指定所属部门"),
                    Some(d)
                        if self
                            .store
                            .get_department(&Scope::system(), d, self.clock.today())
                            .is_err() =>
                    {
                        e.add("department_id", "所属部门不存在")
                    }
                    _ => {}
                },
                Attachment::Enterprise => match u.enterprise_id {
                    None => e.add("enterprise_id", "企业用户须指定所属企业"),
                    Some(id) if self.store.get_enterprise(&Scope::system(), id).is_err() => {
                        e.add("enterprise_id", "所属企业不存在")
                    }
                    _ => {}
                },
                Attachment::Sites => {
                    for id in &u.site_ids {
                        if self.store.get_enterprise(&Scope::system(), *id).is_err() {
                            e.add("site_ids", format!("派驻单位 {id} 不存在"));
                        }
                    }
                }
                Attachment::Region => {}
            }
        }
        let phone = match u.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => e.check("phone", anjian_domain::phone::parse_phone(p)),
            None => None,
        };
        let (cert_no, cert_valid_until) = certificate(&mut e, u, role);
        e.into_result()?;
        let (Some(role), Some(region)) = (role, region) else {
            return Err(ValidationErrors::single("role", "角色无效").into());
        };
        Ok(UserInput {
            username,
            display_name,
            role: role.as_str().into(),
            region_code: region.as_str().into(),
            department_id: (role.attachment() == Attachment::Department)
                .then_some(u.department_id)
                .flatten(),
            enterprise_id: (role.attachment() == Attachment::Enterprise)
                .then_some(u.enterprise_id)
                .flatten(),
            phone,
            active: u.active,
            site_ids: if role.attachment() == Attachment::Sites {
                u.site_ids.clone()
            } else {
                vec![]
            },
            cert_no,
            cert_valid_until,
        })
    }

    fn insert_user(&self, change: &Change<'_>, u: &NewUser, origin: Origin) -> Result<i64> {
        let input = self.validate_user(u, Some(origin))?;
        let hash = crate::auth::hash_password_with(
            u.password.as_deref().unwrap_or_default(),
            self.entropy.as_ref(),
        )?;
        self.store
            .create_user_with(change, &input, &hash, origin != Origin::Seed)
            .map_err(duplicate)
    }

    /// Creates a user as the system for seeding (the demo county, test fixtures): the baseline
    /// password rule, and no forced change at first login. `actor` names who for the audit trail.
    pub fn add_user_system(&self, actor: &str, u: &NewUser) -> Result<i64> {
        let scope = Scope::system();
        self.insert_user(&self.system_change(&scope, actor), u, Origin::Seed)
    }

    /// Creates a user from the command line (`anjian user add`): the password policy in
    /// force, and the user must choose a new password at first login.
    pub fn add_user_cli(&self, actor: &str, u: &NewUser) -> Result<i64> {
        let scope = Scope::system();
        self.insert_user(&self.system_change(&scope, actor), u, Origin::Cli)
    }

    /// Creates a user (admin): the password policy in force, and the user must choose a new
    /// password at first login.
    pub fn create_user(&self, caller: &Caller, u: &NewUser) -> Result<i64> {
        caller.require(Permission::ManageUsers)?;
        self.insert_user(&caller.change(&caller.scope, self), u, Origin::Admin)
    }

    pub fn list_users(&self, caller: &Caller) -> Result<Vec<User>> {
        caller.require(Permission::ManageUsers)?;
        Ok(self.store.list_users(&caller.scope)?)
    }

    pub fn get_user(&self, caller: &Caller, id: i64) -> Result<User> {
        if caller.user.id == id {
            return Ok(caller.user.clone());
        }
        caller.require(Permission::ManageUsers)?;
        Ok(self.store.get_user(&caller.scope, id)?)
    }

    pub fn update_user(&self, caller: &Caller, id: i64, version: i64, u: &NewUser) -> Result<()> {
        caller.require(Permission::ManageUsers)?;
        let current = self.store.get_user(&caller.scope, id)?;
        let mut u = u.clone();
        u.username = current.username;
        let input = self.validate_user(&u, None)?;
        if id == caller.user.id && (!input.active || input.role != "admin") {
            return Err(ValidationErrors::single(
                "role",
                "不能停用自己的账号或取消自己的管理员角色",
            )
            .into());
        }
        self.store
            .update_user(&caller.change(&caller.scope, self), id, version, &input)
            .map_err(duplicate)
    }

    /// Sets a new password: an admin for users in scope (who must then choose their own at
    /// the next login), or a user for themself (who must give the current password, and may
    /// not reuse one of the last N).
    pub fn set_password(
        &self,
        caller: &Caller,
        id: i64,
        new_password: &str,
        current: Option<&str>,
    ) -> Result<()> {
        if caller.user.id != id {
            caller.require(Permission::ManageUsers)?;
            self.store.get_user(&caller.scope, id)?;
        } else {
            // The same lockout as login: a stolen token cannot guess the current password.
            match self.check_credentials(
                &caller.user.username,
                current.unwrap_or_default(),
                &caller.ip,
                &caller.request_id,
            ) {
                Ok(_) => {}
                Err(AppError::Unauthorized(_)) | Err(AppError::Validation(_)) => {
                    return Err(
                        ValidationErrors::single("current_password", "当前密码不正确").into(),
                    );
                }
                Err(e) => return Err(e),
            }
        }
        self.check_new_password(Some(id), new_password)?;
        let hash = crate::auth::hash_password_with(new_password, self.entropy.as_ref())?;
        let own = caller.user.id == id;
        let scope = if own {
            Scope::system()
        } else {
            caller.scope.clone()
        };
        Ok(self
            .store
            .set_password_with(&caller.change(&scope, self), id, &hash, !own)?)
    }

    /// Revokes every session and API token of a user.
    pub fn revoke_tokens(&self, caller: &Caller, id: i64) -> Result<u64> {
        if caller.user.id != id {
            caller.require(Permission::ManageUsers)?;
            self.store.get_user(&caller.scope, id)?;
        }
        let scope = Scope::system();
        Ok(self
            .store
            .revoke_user_sessions(&caller.change(&scope, self), id)?)
    }

    /// A user's live sessions and API tokens (the user's own, or any in scope for an admin).
    pub fn list_sessions(
        &self,
        caller: &Caller,
        id: i64,
        current_token: &str,
    ) -> Result<Vec<SessionInfo>> {
        if caller.user.id != id {
            caller.require(Permission::ManageUsers)?;
            self.store.get_user(&caller.scope, id)?;
        }
        let current = session_handle(&crate::auth::token_hash(current_token));
        let now = anjian_store::ts(self.clock.now());
        Ok(self
            .store
            .user_sessions(id, &now)?
            .into_iter()
            .map(|(s, seen)| {
                let handle = session_handle(&s.token_hash);
                SessionInfo {
                    current: handle == current,
                    id: handle,
                    kind: s.kind,
                    last_seen_at: seen.unwrap_or_else(|| s.created_at.clone()),
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                    ip: s.ip,
                }
            })
            .collect())
    }

    /// Revokes one session or API token of a user (the user's own, or any in scope for an
    /// admin); refused at once on its next use. Audited.
    pub fn revoke_session(&self, caller: &Caller, id: i64, handle: &str) -> Result<()> {
        if caller.user.id != id {
            caller.require(Permission::ManageUsers)?;
            self.store.get_user(&caller.scope, id)?;
        }
        if handle.len() != 16 || !handle.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let scope = Scope::system();
        Ok(self
            .store
            .revoke_user_session(&caller.change(&scope, self), id, handle)?)
    }
}
