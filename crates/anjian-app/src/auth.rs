//! Authentication: Argon2 password hashes, lockout after repeated failures,
//! per-address throttling, web sessions (with CSRF token) and API tokens.

use crate::{App, AppError, Caller, Result};
use anjian_domain::Scope;
use anjian_store::sessions::Session;
use anjian_store::users::User;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

pub const MIN_PASSWORD_LEN: usize = 8;

/// Checks the password policy: at least 8 characters with letters and digits.
pub fn check_password_policy(pw: &str) -> std::result::Result<(), String> {
    if pw.chars().count() < MIN_PASSWORD_LEN {
        return Err(format!("密码至少{MIN_PASSWORD_LEN}位"));
    }
    if pw.chars().count() > 128 {
        return Err("密码不能超过128位".into());
    }
    if !pw.chars().any(|c| c.is_ascii_digit()) || !pw.chars().any(|c| c.is_alphabetic()) {
        return Err("密码须同时包含字母和数字".into());
    }
    Ok(())
}

pub fn hash_password(pw: &str) -> Result<String> {
    hash_password_with(pw, &anjian_domain::entropy::OsEntropy)
}

/// Argon2id with a salt from the given randomness.
pub fn hash_password_with(
    pw: &str,
    entropy: &dyn anjian_domain::entropy::Entropy,
) -> Result<String> {
    let mut bytes = [0u8; 16];
    entropy.fill(&mut bytes).map_err(AppError::Internal)?;
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

pub(crate) fn verify_password(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A random 256-bit token, hex-encoded.
pub fn random_token() -> Result<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    Ok(hex::encode(b))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Failed logins per client address in a sliding window (in memory, per instance;
/// the per-account lockout in the store holds across instances).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

pub const THROTTLE_WINDOW_MINUTES: i64 = 10;
pub const THROTTLE_MAX_FAILURES: usize = 20;

impl Throttle {
    fn recent(&self, ip: &str, now: DateTime<Utc>) -> usize {
        let Ok(mut m) = self.failures.lock() else {
            return 0;
        };
        let cutoff = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
        let v = m.entry(ip.to_string()).or_default();
        v.retain(|t| *t > cutoff);
        v.len()
    }
    fn fail(&self, ip: &str, now: DateTime<Utc>) {
        if let Ok(mut m) = self.failures.lock() {
            if m.len() > 100_000 {
                m.clear();
            }
            m.entry(ip.to_string()).or_default().push(now);
        }
    }
}

/// Verified sessions kept in memory for a few seconds, so that a request does not read
/// the session, the user and the user's sites from the store each time.
///
/// An entry is used only while (a) the store's [`auth_generation`] is the one read before
/// the entry's own read — every logout, token revocation, user or department change,
/// password change of this process moves it, so those take effect at once — (b) it is
/// younger than the configured lifetime (`AuthConfig::session_cache_secs`), which bounds
/// how long a change made by *another* process sharing the store (several instances on
/// PostgreSQL) can go unseen, and (c) the session has not expired by the clock.
///
/// [`auth_generation`]: anjian_store::Store::auth_generation
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, CachedSession>>,
}

#[derive(Debug, Clone)]
struct CachedSession {
    session: Session,
    caller: Caller,
    generation: u64,
    verified_at: DateTime<Utc>,
    /// When the session was last used as recorded in the store (for the idle timeout).
    seen: DateTime<Utc>,
    /// The idle timeout and absolute lifetime in force when the entry was read.
    limits: (Duration, Duration),
}

/// How stale the recorded last use of a session may be before it is written again.
const TOUCH_EVERY_SECS: i64 = 60;

/// Entries kept at most; the cache is emptied when full (sessions are re-read).
const SESSION_CACHE_MAX: usize = 10_000;

impl SessionCache {
    fn get(
        &self,
        hash: &str,
        generation: u64,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> Option<CachedSession> {
        let m = self.entries.lock().ok()?;
        let e = m.get(hash)?;
        let fresh = e.generation == generation
            && now >= e.verified_at
            && now - e.verified_at < lifetime
            && e.session.expires_at > anjian_store::ts(now)
            && now - e.seen < Duration::seconds(TOUCH_EVERY_SECS)
            && crate::security::session_live(
                crate::security::parse_ts(&e.session.created_at),
                e.seen,
                now,
                e.limits,
            )
            .is_ok();
        fresh.then(|| e.clone())
    }

    fn put(&self, hash: String, entry: CachedSession) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= SESSION_CACHE_MAX {
                m.clear();
            }
            m.insert(hash, entry);
        }
    }
}

/// What a successful login returns.
#[derive(Debug, Clone)]
pub struct LoginOk {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub caller: Caller,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

const BAD_CREDENTIALS: &str = "用户名或密码错误";

impl App {
    /// Checks credentials and opens a session or API token.
    pub fn login(
        &self,
        username: &str,
        password: &str,
        kind: SessionKind,
        ip: &str,
        request_id: &str,
    ) -> Result<LoginOk> {
        let now = self.clock.now();
        let user = self.check_credentials(username, password, ip, request_id)?;
        let policy = self.security_policy()?;
        let change = anjian_store::Change {
            scope: &Scope::system(),
            actor_id: Some(user.id),
            actor: user.username.clone(),
            at: now,
            request_id: request_id.to_string(),
            ip: ip.to_string(),
        };
        let token = random_token()?;
        let csrf_token = random_token()?;
        let hours = match kind {
            SessionKind::Web => self.auth.web_session_hours,
            SessionKind::Api => self.auth.api_token_hours,
        };
        let (_, max) = policy.session_limits(kind.as_str());
        let expires_at = now + Duration::hours(hours).min(max);
        let session = Session {
            token_hash: token_hash(&token),
            user_id: user.id,
            kind: kind.as_str().into(),
            csrf_token: csrf_token.clone(),
            created_at: anjian_store::ts(now),
            expires_at: anjian_store::ts(expires_at),
            revoked_at: None,
            ip: ip.to_string(),
        };
        self.store.create_session(&change, &session)?;
        let due = self.password_change_due(&user, &policy, now);
        let mut caller = self.caller_for(user, request_id, ip)?;
        caller.password_change_required = due;
        Ok(LoginOk {
            token,
            csrf_token,
            expires_at,
            caller,
        })
    }

    /// Checks a username and password with the account lockout and the per-address throttle.
    /// Used by login and by a user changing their own password.
    pub fn check_credentials(
        &self,
        username: &str,
        password: &str,
        ip: &str,
        request_id: &str,
    ) -> Result<User> {
        let now = self.clock.now();
        let now_ts = anjian_store::ts(now);
        if self.throttle.recent(ip, now) >= THROTTLE_MAX_FAILURES {
            return Err(AppError::Locked(format!(
                "登录失败次数过多，请{THROTTLE_WINDOW_MINUTES}分钟后再试"
            )));
        }
        let username = username.trim();
        let mut errs = anjian_domain::ValidationErrors::new();
        if username.is_empty() {
            errs.add("username", "请输入用户名");
        }
        if password.is_empty() {
            errs.add("password", "请输入密码");
        }
        errs.into_result()?;
        let scope = Scope::system();
        let change = anjian_store::Change {
            scope: &scope,
            actor_id: None,
            actor: username.chars().take(64).collect(),
            at: now,
            request_id: request_id.to_string(),
            ip: ip.to_string(),
        };
        let Some((user, hash)) = self.store.user_for_login(username)? else {
            // Same work as a real check, so timing does not reveal which usernames exist.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy = DUMMY.get_or_init(|| hash_password("dummy-password-1").unwrap_or_default());
            let _ = verify_password(password, dummy);
            self.throttle.fail(ip, now);
            return Err(AppError::Unauthorized(BAD_CREDENTIALS.into()));
        };
        let locked = |until: &str| {
            AppError::Locked(format!(
                "账号因连续登录失败已被锁定，请于 {} 后再试或联系管理员解锁",
                local_time(until)
            ))
        };
        if let Some(until) = user.locked_until.as_deref()
            && until > now_ts.as_str()
        {
            self.throttle.fail(ip, now);
            return Err(locked(until));
        }
        // Count the attempt before checking the password: parallel guesses beyond the
        // threshold are refused without being checked.
        let attempts = self.store.count_login_attempt(user.id, &now_ts)?;
        let until = anjian_store::ts(now + Duration::minutes(self.auth.lockout_minutes));
        if attempts > self.auth.lockout_threshold {
            self.throttle.fail(ip, now);
            return Err(locked(&until));
        }
        if !verify_password(password, &hash) {
            self.throttle.fail(ip, now);
            let lock = (attempts >= self.auth.lockout_threshold).then_some(until.as_str());
            self.store
                .record_login_failure(&change, user.id, attempts, lock)?;
            if lock.is_some() {
                return Err(AppError::Locked(format!(
                    "连续{}次登录失败，账号已锁定至 {}",
                    self.auth.lockout_threshold,
                    local_time(&until)
                )));
            }
            return Err(AppError::Unauthorized(BAD_CREDENTIALS.into()));
        }
        self.store.reset_login_failures(user.id)?;
        if !user.active {
            return Err(AppError::Unauthorized("账号已停用，请联系管理员".into()));
        }
        Ok(user)
    }

    /// The caller behind a session cookie or bearer token, with the session's CSRF token.
    pub fn authenticate(
        &self,
        token: &str,
        request_id: &str,
        ip: &str,
    ) -> Result<(Caller, Session)> {
        if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::Unauthorized("登录已失效，请重新登录".into()));
        }
        let now = self.clock.now();
        let hash = token_hash(token);
        let lifetime = Duration::seconds(self.auth.session_cache_secs);
        // Read before the store, so that a change committed meanwhile invalidates what
        // this read puts in the cache.
        let generation = self.store.auth_generation();
        if self.auth.session_cache_secs > 0
            && let Some(hit) = self.sessions.get(&hash, generation, now, lifetime)
        {
            let caller = Caller {
                request_id: request_id.to_string(),
                ip: ip.to_string(),
                ..hit.caller
            };
            return Ok((caller, hit.session));
        }
        let now_ts = anjian_store::ts(now);
        let (session, user, seen) = self
            .store
            .session_user_seen(&hash, &now_ts)?
            .ok_or_else(|| AppError::Unauthorized("登录已失效，请重新登录".into()))?;
        let policy = self.security_policy()?;
        let limits = policy.session_limits(&session.kind);
        let created = crate::security::parse_ts(&session.created_at);
        let mut seen = seen.as_deref().map_or(created, crate::security::parse_ts);
        crate::security::session_live(created, seen, now, limits)
            .map_err(|m| AppError::Unauthorized(m.into()))?;
        if now - seen >= Duration::seconds(TOUCH_EVERY_SECS) {
            self.store.touch_session(&hash, &now_ts)?;
            seen = now;
        }
        let due = self.password_change_due(&user, &policy, now);
        let mut caller = self.caller_for(user, request_id, ip)?;
        caller.password_change_required = due;
        if self.auth.session_cache_secs > 0 {
            self.sessions.put(
                hash,
                CachedSession {
                    session: session.clone(),
                    caller: caller.clone(),
                    generation,
                    verified_at: now,
                    seen,
                    limits,
                },
            );
        }
        Ok((caller, session))
    }

    /// Ends a session or revokes an API token.
    pub fn logout(&self, caller: &Caller, token: &str) -> Result<()> {
        let scope = Scope::system();
        let change = caller.change(&scope, self);
        self.store.revoke_session(&change, &token_hash(token))?;
        Ok(())
    }
}

/// `2022-06-01T02:15:00.000Z` shown in China time as `2022-06-01 10:15`.
pub fn local_time(ts: &str) -> String {
    DateTime::parse_from_rfc3339(ts)
        .map(|d| {
            d.with_timezone(&anjian_domain::clock::china_offset())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| ts.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_password_policy("abc12345").is_ok());
        assert!(check_password_policy("abcdefgh").is_err());
        assert!(check_password_policy("1234567").is_err());
    }

    #[test]
    fn hashes_verify() {
        let h = hash_password("Secret123").unwrap_or_default();
        assert!(verify_password("Secret123", &h));
        assert!(!verify_password("Secret124", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn local_time_is_china_time() {
        assert_eq!(local_time("2022-06-01T02:15:00.000Z"), "2022-06-01 10:15");
    }
}
