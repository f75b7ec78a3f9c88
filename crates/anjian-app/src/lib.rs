//! Use cases of anjian. Each takes the [`App`] context and a [`Caller`],
//! checks permission, applies the domain rules and makes one atomic store
//! call per change (record + audit together). The web layer and the CLI both
//! call these; neither touches the store directly.

pub mod accidents;
pub mod accountability;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod campaigns;
pub mod capability;
pub mod cases;
pub mod catalogue;
pub mod commissions;
pub mod dashboard;
pub mod demo;
pub mod disasters;
pub mod dispatch;
pub mod divisions;
pub mod documents;
pub mod docx;
pub mod docx_fill;
pub mod draws;
pub mod duties;
pub mod emergency;
pub mod enterprises;
mod error;
pub mod export;
pub mod forest;
pub mod hazards;
pub mod import;
pub mod inspections;
pub mod leaders;
pub mod ledgers;
pub mod letters;
pub mod listings;
mod lookups;
pub mod major;
pub mod map;
pub mod monitoring;
pub mod organisation;
pub mod plans;
pub mod publicity;
pub mod ranking;
pub mod records;
/// Test support: the store itself, for fixtures (the `testing` feature, dev-dependencies only).
#[cfg(feature = "testing")]
pub mod testing {
    pub use anjian_store as store;

    impl crate::App {
        /// The store under the app, to seed and inspect fixtures.
        pub fn store_for_tests(&self) -> &std::sync::Arc<anjian_store::Store> {
            &self.store
        }
    }
}
pub mod reports;
pub mod risk;
pub mod risk_steering;
pub mod security;
pub mod station;
pub mod stats;
mod step_day;
pub mod telemetry;
pub mod todos;
pub mod training;
pub mod transfers;
pub mod users;
pub mod work;

use anjian_domain::scope::{Attachment, Permission};
use anjian_domain::workflow::Actor;
use anjian_domain::{Clock, RegionCode, Role, Scope};
use anjian_store::users::User;
use anjian_store::{Change, Store};
use std::sync::Arc;

pub use anjian_store::paging::{Keyset, Page};
pub use error::{AppError, Result};

/// Rows on one page of a list (web pages and API lists page by keyset, `after=`).
pub const PAGE_SIZE: i64 = 50;

/// Every item, page after page, each turned into its view: nothing is cut.
pub(crate) fn every<T, V>(
    page: impl FnMut(&Keyset) -> std::result::Result<Page<T>, anjian_store::StoreError>,
    view: impl FnMut(T) -> Result<V>,
) -> Result<Vec<V>> {
    anjian_store::paging::all_pages(page)?
        .into_iter()
        .map(view)
        .collect()
}

/// One page, each item turned into its view.
pub(crate) fn page_of<T, V>(page: Page<T>, view: impl FnMut(T) -> Result<V>) -> Result<Page<V>> {
    Ok(Page {
        items: page.items.into_iter().map(view).collect::<Result<_>>()?,
        next: page.next,
    })
}

/// Tunable security settings.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Failed logins before the account is locked.
    pub lockout_threshold: i64,
    pub lockout_minutes: i64,
    pub web_session_hours: i64,
    pub api_token_hours: i64,
    /// Seconds a verified session is reused from memory (0: read it from the store on
    /// every request). Changes made through this process take effect at once; this bounds
    /// how long one made by another process sharing the store goes unseen.
    pub session_cache_secs: i64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            lockout_threshold: 5,
            lockout_minutes: 15,
            web_session_hours: 12,
            api_token_hours: 24 * 7,
            session_cache_secs: 5,
        }
    }
}

/// The application context: store, clock and settings.
#[derive(Clone)]
pub struct App {
    /// The store is the use cases' own: callers (web, CLI) go through `App` methods.
    pub(crate) store: Arc<Store>,
    pub clock: Arc<dyn Clock>,
    pub auth: AuthConfig,
    pub throttle: Arc<auth::Throttle>,
    /// Verified sessions reused for a few seconds (see [`auth::SessionCache`]).
    pub sessions: Arc<auth::SessionCache>,
    /// Randomness for salts and draw secrets (seeded for the deterministic demo).
    pub entropy: Arc<dyn anjian_domain::entropy::Entropy>,
    /// Operational counters (`GET /metrics`).
    pub telemetry: Arc<telemetry::Telemetry>,
}

/// An authenticated user making a request, with the scope their role grants.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub role: Role,
    /// Read scope (writable flag set when the role may change records in it).
    pub scope: Scope,
    pub request_id: String,
    pub ip: String,
    /// The user must choose a new password before anything else (first login after an
    /// administrator set it, or expired); set by authentication.
    pub password_change_required: bool,
}

impl Caller {
    /// Whether the caller's role holds the duty (record-level rules are the workflows').
    pub fn can(&self, p: Permission) -> bool {
        self.role.can(p)
    }

    /// Fails with `Forbidden` unless the role has the permission.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(self.refuse("执行此操作"))
        }
    }

    /// A refusal that names the caller's real role: "您当前的角色是“县领导（只读）”，无权查看执法排名".
    pub fn refuse(&self, what: &str) -> AppError {
        AppError::Forbidden(format!("您当前的角色是“{}”，无权{what}", self.role.label()))
    }

    /// The change context for a write in this caller's scope.
    pub fn change<'a>(&self, scope: &'a Scope, app: &App) -> Change<'a> {
        Change {
            scope,
            actor_id: Some(self.user.id),
            actor: self.user.username.clone(),
            at: app.clock.now(),
            request_id: self.request_id.clone(),
            ip: self.ip.clone(),
        }
    }

    /// The caller's scope for hazards and the field work around them: regulators and the
    /// enterprise itself may change them (inspectors too: hazards are their field work).
    pub fn hazard_scope(&self) -> Scope {
        let mut s = self.scope.clone();
        s.writable = self.can(Permission::EditHazards);
        s
    }

    /// The caller as the actor of a workflow step on a record with this region, sector and
    /// enterprise.
    pub fn actor(&self, region: &str, sector: &str, enterprise_id: Option<i64>) -> Actor {
        let s = self.hazard_scope();
        Actor::new(
            self.role,
            s.writable && s.admits(region, &[sector], enterprise_id),
            self.user.enterprise_id,
            enterprise_id,
        )
    }

    /// The caller as the actor on a record that belongs to a region (a plan, a draw): no
    /// sector or enterprise of its own.
    pub fn actor_in_region(&self, region: &str) -> Actor {
        Actor::new(
            self.role,
            self.scope.writable && self.scope.admits_region(region),
            self.user.enterprise_id,
            None,
        )
    }

    /// An enforcement officer (安委办, department, inspector).
    pub fn is_enforcer(&self) -> bool {
        self.can(Permission::Enforce)
    }

    /// Fails with `Forbidden` unless the caller is an enforcement officer.
    pub fn require_enforcer(&self) -> Result<()> {
        if self.is_enforcer() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "仅负有监管职责的部门和执法人员可以办理".into(),
            ))
        }
    }

    /// The department a caller must act for: their own unless they may act for any.
    pub fn bound_department(&self) -> Option<i64> {
        self.user
            .department_id
            .filter(|_| !self.can(Permission::ActForAnyDepartment))
    }

    /// Whether the caller acts for this department (`None`: the 安委办 itself): its own, or
    /// any when the role may act for any department.
    pub fn acts_for(&self, department: Option<i64>) -> bool {
        if self.can(Permission::ActForAnyDepartment) {
            return true;
        }
        department.is_some() && self.user.department_id == department
    }

    /// The caller's scope for changing enterprise records (read-only unless the role edits them).
    pub fn enterprise_write_scope(&self) -> Scope {
        let mut s = self.scope.clone();
        s.writable = self.can(Permission::EditEnterprises);
        s
    }
}

impl App {
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            auth: AuthConfig::default(),
            throttle: Arc::new(auth::Throttle::default()),
            sessions: Arc::new(auth::SessionCache::default()),
            entropy: Arc::new(anjian_domain::entropy::OsEntropy),
            telemetry: Arc::new(telemetry::Telemetry::default()),
        }
    }

    /// The same app with another source of randomness (the demo's seeded stream).
    pub fn with_entropy(mut self, e: Arc<dyn anjian_domain::entropy::Entropy>) -> Self {
        self.entropy = e;
        self
    }

    /// A change made by the system itself (CLI, demo, background jobs).
    pub fn system_change<'a>(&self, scope: &'a Scope, actor: &str) -> Change<'a> {
        Change::system(scope, actor, self.clock.now())
    }

    /// The region this instance serves (the root of every admin's scope).
    pub fn root_region(&self) -> Result<Option<RegionCode>> {
        Ok(self
            .store
            .setting(anjian_store::settings::ROOT_REGION)?
            .and_then(|c| RegionCode::parse(&c).ok()))
    }

    /// The display name of the instance (e.g. "樟树市").
    pub fn instance_name(&self) -> Result<String> {
        if let Some(n) = self.store.setting(anjian_store::settings::INSTANCE_NAME)? {
            return Ok(n);
        }
        Ok(match self.root_region()? {
            Some(r) => self
                .store
                .get_region(&Scope::system(), r.as_str())
                .map(|r| r.name)
                .unwrap_or_default(),
            None => String::new(),
        })
    }

    /// The scope a user's role grants (computed from the store at each request).
    pub fn scope_of(&self, user: &User) -> Result<(Role, Scope)> {
        let role = Role::parse(&user.role)
            .ok_or_else(|| AppError::Internal(format!("unknown role {}", user.role)))?;
        let region = RegionCode::parse(&user.region_code).map_err(AppError::Internal)?;
        // A department supervises the sectors its duty items (职责清单) name on the day: an item
        // naming a sector brings the sector's records into the department's scope from its
        // first day until its last (the department's own sector list is kept as such items).
        let sectors = match (role.attachment(), user.department_id) {
            (Attachment::Department, Some(d)) => {
                self.store.duty_sectors_in_force(d, self.clock.today())?
            }
            _ => Vec::new(),
        };
        // A stationed supervisor sees the enterprises it is assigned to on the user and
        // those it is stationed at on the day (派驻安排).
        let mut sites = user.site_ids.clone();
        if role.attachment() == Attachment::Sites && user.id > 0 {
            sites.extend(
                self.store
                    .stationed_enterprises(user.id, self.clock.today())?,
            );
            sites.sort_unstable();
            sites.dedup();
        }
        let scope = Scope::of_role(role, &region, sectors, user.enterprise_id, &sites);
        Ok((role, scope))
    }

    /// The system acting as the instance's 安委办 (CLI reports, jobs): the root region's
    /// whole scope, read and write.
    pub fn system_caller(&self, actor: &str) -> Result<Caller> {
        let root = self.root_region()?.ok_or_else(|| {
            AppError::BadRequest("尚未设置本级区划（请先导入区划或生成演示数据）".into())
        })?;
        let user = User {
            id: 0,
            username: actor.to_string(),
            display_name: actor.to_string(),
            role: "admin".into(),
            region_code: root.as_str().to_string(),
            department_id: None,
            enterprise_id: None,
            phone: None,
            active: true,
            failed_logins: 0,
            locked_until: None,
            last_login_at: None,
            version: 1,
            created_at: String::new(),
            must_change_password: false,
            password_changed_at: None,
            cert_no: None,
            cert_valid_until: None,
            site_ids: Vec::new(),
        };
        let mut c = self.caller_for(user, actor, "")?;
        c.user.id = 0;
        Ok(c)
    }

    /// A caller for a user (after authentication).
    pub fn caller_for(&self, user: User, request_id: &str, ip: &str) -> Result<Caller> {
        let (role, scope) = self.scope_of(&user)?;
        Ok(Caller {
            user,
            role,
            scope,
            request_id: request_id.to_string(),
            ip: ip.to_string(),
            password_change_required: false,
        })
    }
}
