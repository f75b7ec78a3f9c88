//! Users, their roles and the anchors of their scopes.

use crate::db::Tx;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub phone: Option<String>,
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub last_login_at: Option<String>,
    pub version: i64,
    pub created_at: String,
    /// The user must set a new password before doing anything else.
    pub must_change_password: bool,
    /// When the password was last set (`None`: before migration 0028; `created_at` counts).
    pub password_changed_at: Option<String>,
    /// The law-enforcement certificate number (执法证号), for the officers' roster.
    pub cert_no: Option<String>,
    /// The certificate's last valid day.
    pub cert_valid_until: Option<NaiveDate>,
    /// Enterprises assigned to a stationed supervisor.
    pub site_ids: Vec<i64>,
}

/// The fields of a user that an administrator sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub phone: Option<String>,
    pub active: bool,
    pub site_ids: Vec<i64>,
    /// 执法证号 and its last valid day: both or neither.
    pub cert_no: Option<String>,
    pub cert_valid_until: Option<NaiveDate>,
}

crate::table_row! {
    table "users", key id;
    fn row -> User {
        id: i64,
        username: text,
        display_name: text,
        role: checked(anjian_domain::Role::parse),
        region_code: text,
        department_id: opt_i64,
        enterprise_id: opt_i64,
        phone: opt_text,
        active: bool,
        failed_logins: i64,
        locked_until: opt_text,
        last_login_at: opt_text,
        version: i64,
        created_at: text,
        must_change_password: bool,
        password_changed_at: opt_text,
        cert_no: opt_text,
        cert_valid_until: opt_date,
    }
    rest { site_ids: Vec::new() }
}

pub(crate) fn load_sites(tx: &mut dyn Tx, u: &mut User) -> Result<()> {
    u.site_ids = tx
        .query(
            "SELECT enterprise_id FROM user_sites WHERE user_id = ? ORDER BY enterprise_id",
            &params![u.id],
        )?
        .iter()
        .map(|r| r.i64(0))
        .collect::<Result<_>>()?;
    Ok(())
}

pub(crate) fn user_by_id(tx: &mut dyn Tx, id: i64) -> Result<User> {
    let mut u = row(&tx.query_one(
        &format!("SELECT {COLS} FROM users WHERE id = ?"),
        &params![id],
    )?)?;
    load_sites(tx, &mut u)?;
    Ok(u)
}

/// Keeps a password hash in the user's history.
fn remember_password(tx: &mut dyn Tx, id: i64, hash: &str, at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO password_history (user_id, password_hash, set_at) VALUES (?, ?, ?)",
        &params![id, hash, at],
    )
    .map(|_| ())
}

fn write_sites(tx: &mut dyn Tx, id: i64, sites: &[i64]) -> Result<()> {
    tx.execute("DELETE FROM user_sites WHERE user_id = ?", &params![id])?;
    for s in sites {
        tx.execute(
            "INSERT INTO user_sites (user_id, enterprise_id) VALUES (?, ?)",
            &params![id, *s],
        )?;
    }
    Ok(())
}

impl Store {
    /// Creates a user with an already-hashed password; returns the id.
    pub fn create_user(
        &self,
        change: &Change<'_>,
        u: &UserInput,
        password_hash: &str,
    ) -> Result<i64> {
        self.create_user_with(change, u, password_hash, false)
    }

    /// Creates a user; `must_change_password` makes the first login ask for a new password.
    /// The hash starts the user's password history.
    pub fn create_user_with(
        &self,
        change: &Change<'_>,
        u: &UserInput,
        password_hash: &str,
        must_change_password: bool,
    ) -> Result<i64> {
        change.require_writable()?;
        if !change.scope.admits_region(&u.region_code) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| insert_in(tx, change, u, password_hash, must_change_password))
    }

    /// Users whose home region lies in the scope.
    pub fn list_users(&self, scope: &Scope) -> Result<Vec<User>> {
        let mut p = Vec::new();
        let cond = scope_sql::regions(scope, "region_code", &mut p);
        self.db().read(|tx| {
            let mut users = tx
                .query(
                    &format!("SELECT {COLS} FROM users WHERE {cond} ORDER BY id"),
                    &p,
                )?
                .iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            for u in &mut users {
                load_sites(tx, u)?;
            }
            Ok(users)
        })
    }

    /// The people an inspection may name as its officers: users whose home region lies in
    /// the scope and, given a department, who belong to it; by name. The caller decides who
    /// of them qualifies (role, account, certificate).
    pub fn roster(&self, scope: &Scope, department_id: Option<i64>) -> Result<Vec<User>> {
        let mut p = Vec::new();
        let mut cond = scope_sql::regions(scope, "region_code", &mut p);
        if let Some(d) = department_id {
            cond.push_str(" AND department_id = ?");
            p.push(d.into());
        }
        self.db().read(|tx| {
            let mut users = tx
                .query(
                    &format!("SELECT {COLS} FROM users WHERE {cond} ORDER BY display_name, id"),
                    &p,
                )?
                .iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            for u in &mut users {
                load_sites(tx, u)?;
            }
            Ok(users)
        })
    }

    pub fn get_user(&self, scope: &Scope, id: i64) -> Result<User> {
        let u = self.db().read(|tx| user_by_id(tx, id))?;
        if scope.admits_region(&u.region_code) {
            Ok(u)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Updates a user's attributes if `version` still matches.
    pub fn update_user(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        u: &UserInput,
    ) -> Result<()> {
        change.require_writable()?;
        let now = change.ts();
        self.write_auth(|tx| {
            let before = user_by_id(tx, id)?;
            if !change.scope.admits_region(&before.region_code) {
                return Err(StoreError::NotFound);
            }
            if !change.scope.admits_region(&u.region_code) {
                return Err(StoreError::Forbidden);
            }
            let n = tx.execute(
                "UPDATE users SET display_name = ?, role = ?, region_code = ?, department_id = ?, enterprise_id = ?, phone = ?, active = ?, \
                 cert_no = ?, cert_valid_until = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![
                    u.display_name.as_str(),
                    u.role.as_str(),
                    u.region_code.as_str(),
                    u.department_id,
                    u.enterprise_id,
                    u.phone.clone(),
                    u.active,
                    u.cert_no.clone(),
                    u.cert_valid_until,
                    now.as_str(),
                    id,
                    version
                ],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            write_sites(tx, id, &u.site_ids)?;
            if !u.active {
                tx.execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", &params![now.as_str(), id])?;
            }
            crate::audit::append_json(tx, change, "user.update", "user", &id.to_string(), "", Some(&before), Some(u))
        })
    }

    /// Replaces a user's password hash, clears any lockout and revokes their sessions.
    pub fn set_password(&self, change: &Change<'_>, id: i64, password_hash: &str) -> Result<()> {
        self.set_password_with(change, id, password_hash, false)
    }

    /// Replaces a user's password hash (kept in the history), clears any lockout, revokes
    /// their sessions, and sets whether the next login must choose a new password.
    pub fn set_password_with(
        &self,
        change: &Change<'_>,
        id: i64,
        password_hash: &str,
        must_change_password: bool,
    ) -> Result<()> {
        change.require_writable()?;
        let now = change.ts();
        self.write_auth(|tx| {
            let u = user_by_id(tx, id)?;
            if !change.scope.admits_region(&u.region_code) && change.actor_id != Some(id) {
                return Err(StoreError::NotFound);
            }
            tx.execute(
                "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, must_change_password = ?, password_changed_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                &params![password_hash, must_change_password, now.as_str(), now.as_str(), id],
            )?;
            remember_password(tx, id, password_hash, &now)?;
            tx.execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", &params![now.as_str(), id])?;
            crate::audit::append(tx, change, "user.password", "user", &id.to_string(), "", None, Some(serde_json::json!({"username": u.username, "must_change_password": must_change_password})))
        })
    }

    /// The user and password hash for a login attempt (no scope: authentication precedes it).
    pub fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        self.db().read(|tx| {
            let Some(r) = tx.query_opt(
                &format!("SELECT {COLS}, password_hash FROM users WHERE username = ?"),
                &params![username],
            )?
            else {
                return Ok(None);
            };
            let mut u = row(&r)?;
            load_sites(tx, &mut u)?;
            // The hash follows the declared columns.
            Ok(Some((u, r.text(COLUMNS.len())?)))
        })
    }

    /// A user's current password hash.
    pub fn password_hash(&self, id: i64) -> Result<Option<String>> {
        self.db().read(|tx| {
            tx.query_opt("SELECT password_hash FROM users WHERE id = ?", &params![id])?
                .map(|r| r.text(0))
                .transpose()
        })
    }

    /// The hashes of a user's last `n` passwords, newest first (the current one included).
    pub fn password_history(&self, id: i64, n: i64) -> Result<Vec<String>> {
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY id DESC {}",
                    crate::db::limit(n.clamp(1, 100))
                ),
                &params![id],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect()
        })
    }

    /// Counts a login attempt before the password is checked, atomically, so parallel
    /// guesses cannot all pass the lockout threshold. A lock that has expired is cleared
    /// and the count starts again. Returns the count including this attempt.
    pub fn count_login_attempt(&self, id: i64, now: &str) -> Result<i64> {
        self.write(|tx| {
            tx.scalar_i64(
                "UPDATE users SET \
                 failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1 ELSE failed_logins + 1 END, \
                 locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN NULL ELSE locked_until END \
                 WHERE id = ? RETURNING failed_logins",
                &params![now, now, id],
            )
        })
    }

    /// Records a failed password check (audited); sets the lock when `locked_until` is given.
    pub fn record_login_failure(
        &self,
        change: &Change<'_>,
        id: i64,
        attempts: i64,
        locked_until: Option<&str>,
    ) -> Result<()> {
        self.write(|tx| {
            if let Some(until) = locked_until {
                tx.execute(
                    "UPDATE users SET locked_until = ? WHERE id = ?",
                    &params![until, id],
                )?;
            }
            let action = if locked_until.is_some() {
                "auth.locked"
            } else {
                "auth.login_failed"
            };
            crate::audit::append(
                tx,
                change,
                action,
                "user",
                &id.to_string(),
                "",
                None,
                Some(serde_json::json!({"failed_logins": attempts, "locked_until": locked_until})),
            )
        })
    }

    /// Clears the failure count after a successful password check.
    pub fn reset_login_failures(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                &params![id],
            )
            .map(|_| ())
        })
    }
}

/// Inserts a user inside a write transaction (see [`Store::create_user_with`]).
pub(crate) fn insert_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    u: &UserInput,
    password_hash: &str,
    must_change_password: bool,
) -> Result<i64> {
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO users (username, display_name, password_hash, role, region_code, department_id, enterprise_id, phone, active, created_at, updated_at, must_change_password, password_changed_at, cert_no, cert_valid_until) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![
            u.username.as_str(),
            u.display_name.as_str(),
            password_hash,
            u.role.as_str(),
            u.region_code.as_str(),
            u.department_id,
            u.enterprise_id,
            u.phone.clone(),
            u.active,
            now.as_str(),
            now.as_str(),
            must_change_password,
            now.as_str(),
            u.cert_no.clone(),
            u.cert_valid_until
        ],
    )?;
    write_sites(tx, id, &u.site_ids)?;
    remember_password(tx, id, password_hash, &now)?;
    crate::audit::append_json(
        tx,
        change,
        "user.create",
        "user",
        &id.to_string(),
        "",
        None::<&()>,
        Some(u),
    )?;
    Ok(id)
}
