//! Sessions (web cookies) and API tokens. Only SHA-256 hashes of tokens are stored.

use crate::users::{User, user_by_id};
use crate::{Change, Result, Store, StoreError, params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub token_hash: String,
    pub user_id: i64,
    pub kind: String,
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub ip: String,
}

crate::table_row! {
    table "sessions";
    fn row(Row) -> Session {
        token_hash: text,
        user_id: i64,
        kind: text,
        csrf_token: text,
        created_at: text,
        expires_at: text,
        revoked_at: opt_text,
        ip: text,
    }
}

impl Store {
    /// Stores a new session and audits the login.
    pub fn create_session(&self, change: &Change<'_>, s: &Session) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
                &params![s.token_hash.as_str(), s.user_id, s.kind.as_str(), s.csrf_token.as_str(), s.created_at.as_str(), s.expires_at.as_str(), s.ip.as_str()],
            )?;
            tx.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", &params![s.created_at.as_str(), s.user_id])?;
            crate::audit::append(
                tx,
                change,
                "auth.login",
                "user",
                &s.user_id.to_string(),
                "",
                None,
                Some(serde_json::json!({"kind": s.kind, "expires_at": s.expires_at, "token": &s.token_hash[..12.min(s.token_hash.len())]})),
            )
        })
    }

    /// The live session for a token hash and its (active) user.
    pub fn session_user(&self, token_hash: &str, now: &str) -> Result<Option<(Session, User)>> {
        self.db().read(|tx| {
            let Some(r) = tx.query_opt(
                &format!("SELECT {COLS} FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?"),
                &params![token_hash, now],
            )?
            else {
                return Ok(None);
            };
            let s = row(r)?;
            let u = user_by_id(tx, s.user_id)?;
            Ok(if u.active { Some((s, u)) } else { None })
        })
    }

    /// Revokes one session or token (logout); audited.
    pub fn revoke_session(&self, change: &Change<'_>, token_hash: &str) -> Result<()> {
        let now = change.ts();
        self.write_auth(|tx| {
            let Some(r) = tx.query_opt("SELECT user_id, kind FROM sessions WHERE token_hash = ? AND revoked_at IS NULL", &params![token_hash])? else {
                return Err(StoreError::NotFound);
            };
            tx.execute("UPDATE sessions SET revoked_at = ? WHERE token_hash = ?", &params![now.as_str(), token_hash])?;
            crate::audit::append(
                tx,
                change,
                "auth.logout",
                "user",
                &r.i64(0)?.to_string(),
                "",
                None,
                Some(serde_json::json!({"kind": r.text(1)?, "token": &token_hash[..12.min(token_hash.len())]})),
            )
        })
    }

    /// Revokes every live session and token of a user; returns how many.
    pub fn revoke_user_sessions(&self, change: &Change<'_>, user_id: i64) -> Result<u64> {
        change.require_writable()?;
        let now = change.ts();
        self.write_auth(|tx| {
            let n = tx.execute(
                "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                &params![now.as_str(), user_id],
            )?;
            crate::audit::append(
                tx,
                change,
                "auth.revoke_all",
                "user",
                &user_id.to_string(),
                "",
                None,
                Some(serde_json::json!({"revoked": n})),
            )?;
            Ok(n)
        })
    }
}
