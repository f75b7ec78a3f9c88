//! Names for pages: regions, departments and users shown by name, read with the system's
//! scope because a record in the caller's scope may name a unit outside it (a department of
//! the county, the county above a township). Only names leave here, never records.

use crate::{App, Caller, Result};
use anjian_domain::scope::Permission;
use anjian_domain::{RegionCode, RegionLevel, Scope};
use std::collections::HashMap;

impl App {
    /// Every department of the instance (for names and pickers).
    pub fn all_departments(
        &self,
        caller: &Caller,
    ) -> Result<Vec<crate::records::organisation::Department>> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self
            .store
            .list_departments(&Scope::system(), self.clock.today())?)
    }

    /// (id, name) of every department, for filter pickers.
    pub fn department_options(&self, caller: &Caller) -> Result<Vec<(String, String)>> {
        Ok(self
            .all_departments(caller)?
            .into_iter()
            .map(|d| (d.id.to_string(), d.name))
            .collect())
    }

    /// A department's name, or an empty string if there is none with this id.
    pub fn department_name(&self, caller: &Caller, id: i64) -> Result<String> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self
            .store
            .get_department(&Scope::system(), id, self.clock.today())
            .map(|d| d.name)
            .unwrap_or_default())
    }

    /// A region's name, or an empty string.
    pub fn region_name(&self, caller: &Caller, code: &str) -> Result<String> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self
            .store
            .get_region(&Scope::system(), code)
            .map(|r| r.name)
            .unwrap_or_default())
    }

    /// Names of these regions (codes without a region are left out).
    pub fn region_names<'a>(
        &self,
        caller: &Caller,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, String>> {
        caller.require(Permission::ViewOrganisation)?;
        let mut names = HashMap::new();
        for c in codes {
            if names.contains_key(c) {
                continue;
            }
            if let Ok(r) = self.store.get_region(&Scope::system(), c) {
                names.insert(c.to_string(), r.name);
            }
        }
        Ok(names)
    }

    /// The names from the county down to this region ("樟树市 / 洋湖乡 / 某村").
    pub fn region_path(&self, caller: &Caller, code: &str) -> Result<Vec<String>> {
        caller.require(Permission::ViewOrganisation)?;
        let mut path = Vec::new();
        let mut code = RegionCode::parse(code).ok();
        while let Some(c) = code {
            if c.level() < RegionLevel::County {
                break;
            }
            if let Ok(r) = self.store.get_region(&Scope::system(), c.as_str()) {
                path.push(r.name);
            }
            code = c.parent();
        }
        path.reverse();
        Ok(path)
    }

    /// Display names of every user, by id (the officers named on a draw).
    pub fn user_names(&self, caller: &Caller) -> Result<HashMap<i64, String>> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self
            .store
            .list_users(&Scope::system())?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect())
    }

    /// Each account's person as pages name them: "姓名（单位）" by username, the unit being the
    /// user's department, else the township of a township user, else the role (安委办, 县领导).
    /// A record keeps the account that acted; pages show the person (a score's scorer, an
    /// objection's applicant and answerer).
    pub(crate) fn person_labels(&self) -> Result<HashMap<String, String>> {
        let departments = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
        let users = self.store.list_users(&Scope::system())?;
        let mut out = HashMap::with_capacity(users.len());
        for u in users {
            let role = anjian_domain::scope::Role::parse(&u.role);
            let unit = match (u.department_id, role) {
                (Some(d), _) => departments
                    .iter()
                    .find(|x| x.id == d)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                (None, Some(anjian_domain::scope::Role::Township)) => self
                    .store
                    .get_region(&Scope::system(), &u.region_code)
                    .map(|r| r.name)
                    .unwrap_or_default(),
                (None, Some(anjian_domain::scope::Role::Admin)) => "安委办".to_string(),
                (None, Some(anjian_domain::scope::Role::Leader)) => "县领导".to_string(),
                _ => String::new(),
            };
            let label = if unit.is_empty() {
                u.display_name.clone()
            } else {
                format!("{}（{unit}）", u.display_name)
            };
            out.insert(u.username, label);
        }
        Ok(out)
    }

    /// The person behind an account (see [`App::person_labels`]); the account name itself if
    /// there is no such user (a system step, an account since removed).
    pub(crate) fn person_of(labels: &HashMap<String, String>, username: &str) -> String {
        labels
            .get(username)
            .cloned()
            .unwrap_or_else(|| username.to_string())
    }

    /// Whether a region with this code exists (system use: CLI).
    pub fn region_exists(&self, code: &str) -> Result<bool> {
        Ok(self.store.region_exists(code)?)
    }

    /// Sets the region this instance serves, and its display name (system use: CLI, once).
    pub fn set_root_region(
        &self,
        code: &RegionCode,
        name: Option<&str>,
        actor: &str,
    ) -> Result<()> {
        let scope = Scope::system();
        let ch = self.system_change(&scope, actor);
        self.store
            .set_setting(&ch, anjian_store::settings::ROOT_REGION, code.as_str())?;
        if let Some(n) = name {
            self.store
                .set_setting(&ch, anjian_store::settings::INSTANCE_NAME, n)?;
        }
        Ok(())
    }

    /// The years the working-day calendar holds.
    pub fn calendar_years(&self) -> Result<Vec<i32>> {
        Ok(self.store.calendar_years()?)
    }

    /// Cheap liveness check for `/healthz`.
    pub fn ping(&self) -> Result<()> {
        Ok(self.store.ping()?)
    }

    /// Whether indexed reads are answered in-process (SQLite) rather than over a network.
    pub fn reads_are_local(&self) -> bool {
        self.store.reads_are_local()
    }

    /// Runs `f` (one request's work) with the kept figures, lists and settings it reads
    /// answered from one look at the data generation, taken by the first of them, and
    /// looked at again after any write it makes (see `anjian_store::memo::one_look`).
    pub fn with_one_look<T>(&self, f: impl FnOnce() -> T) -> T {
        self.store.with_one_look(f)
    }
}
