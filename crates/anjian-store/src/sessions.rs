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
        Ok(self
            .session_user_seen(token_hash, now)?
            .map(|(s, u, _)| (s, u)))
    }

    /// The live session for a token hash, its (active) user, and when the session was last
    /// used (`None`: not since login).
    pub fn session_user_seen(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<(Session, User, Option<String>)>> {
        self.db().read(|tx| {
            let Some(r) = tx.query_opt(
                &format!("SELECT {COLS}, last_seen_at FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?"),
                &params![token_hash, now],
            )?
            else {
                return Ok(None);
            };
            let seen = r.opt_text(COLUMNS.len())?;
            let s = row(r)?;
            let u = user_by_id(tx, s.user_id)?;
            Ok(if u.active { Some((s, u, seen)) } else { None })
        })
    }

    /// Records that a session was used (for the idle timeout). Not audited: it is not a change
    /// of state anyone acts on, and it happens at most once a minute per session.
    pub fn touch_session(&self, token_hash: &str, now: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                &params![now, token_hash],
            )
            .map(|_| ())
        })
    }

    /// A user's live sessions and tokens, newest first, each with when it was last used.
    pub fn user_sessions(&self, user_id: i64, now: &str) -> Result<Vec<(Session, Option<String>)>> {
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {COLS}, last_seen_at FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, token_hash"),
                &params![user_id, now],
            )?
            .into_iter()
            .map(|r| {
                let seen = r.opt_text(COLUMNS.len())?;
                Ok((row(r)?, seen))
            })
            .collect()
        })
    }

    /// Revokes one live session of a user named by the first 16 characters of its token hash
    /// (what the sessions page shows); audited. `NotFound` when there is none.
    pub fn revoke_user_session(
        &self,
        change: &Change<'_>,
        user_id: i64,
        handle: &str,
    ) -> Result<()> {
        let now = change.ts();
        self.write_auth(|tx| {
            let Some(r) = tx.query_opt(
                "SELECT token_hash, kind FROM sessions WHERE user_id = ? AND substr(token_hash, 1, 16) = ? AND revoked_at IS NULL",
                &params![user_id, handle],
            )?
            else {
                return Err(StoreError::NotFound);
            };
            let hash = r.text(0)?;
            tx.execute("UPDATE sessions SET revoked_at = ? WHERE token_hash = ?", &params![now.as_str(), hash.as_str()])?;
            crate::audit::append(
                tx,
                change,
                "auth.revoke_session",
                "user",
                &user_id.to_string(),
                "",
                None,
                Some(serde_json::json!({"kind": r.text(1)?, "token": &hash[..12.min(hash.len())]})),
            )
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
