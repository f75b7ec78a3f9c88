//! What a 等保 2.0 level-3 assessment asks of accounts: the password policy (length, character
//! classes, history, expiry), session idle timeout and absolute lifetime, and the audit
//! retention floor, all administrator settings (see [`SECURITY_SETTINGS`]).

use crate::{App, AppError, Result};
use anjian_domain::ValidationErrors;
use chrono::{DateTime, Duration, Utc};

pub const PASSWORD_MIN_LENGTH: &str = "password_min_length";
pub const PASSWORD_MIN_CLASSES: &str = "password_min_classes";
pub const PASSWORD_HISTORY: &str = "password_history";
pub const PASSWORD_MAX_AGE_DAYS: &str = "password_max_age_days";
pub const SESSION_IDLE_MINUTES: &str = "session_idle_minutes";
pub const SESSION_MAX_HOURS: &str = "session_max_hours";
pub const API_TOKEN_IDLE_HOURS: &str = "api_token_idle_hours";
pub const API_TOKEN_MAX_HOURS: &str = "api_token_max_hours";
pub const AUDIT_RETENTION_DAYS: &str = "audit_retention_days";

/// The security settings with their allowed values, the default first. `0` turns a limit
/// off (expiry, API token idle timeout) or, for the audit retention, means "kept for ever";
/// no retention below 180 days can be chosen.
pub const SECURITY_SETTINGS: [(&str, &[&str]); 9] = [
    (PASSWORD_MIN_LENGTH, &["8", "10", "12", "14", "16"]),
    (PASSWORD_MIN_CLASSES, &["3", "2", "4"]),
    (PASSWORD_HISTORY, &["5", "3", "10", "0"]),
    (PASSWORD_MAX_AGE_DAYS, &["0", "90", "30", "60", "180"]),
    (SESSION_IDLE_MINUTES, &["30", "10", "15", "60", "120"]),
    (SESSION_MAX_HOURS, &["12", "4", "8", "24"]),
    (API_TOKEN_IDLE_HOURS, &["0", "1", "8", "24", "72"]),
    (API_TOKEN_MAX_HOURS, &["168", "8", "24", "72", "720"]),
    (AUDIT_RETENTION_DAYS, &["0", "180", "365", "1095", "1825"]),
];

/// The security settings in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityPolicy {
    pub password_min_length: usize,
    pub password_min_classes: usize,
    /// Earlier passwords (the current one included) that may not be chosen again; 0: off.
    pub password_history: i64,
    /// Days after which a password must be changed; 0: never.
    pub password_max_age_days: i64,
    /// Minutes a web session may stay unused.
    pub session_idle_minutes: i64,
    /// Hours a web session lasts at most from login.
    pub session_max_hours: i64,
    /// Hours an API token may stay unused; 0: no idle timeout.
    pub api_token_idle_hours: i64,
    /// Hours an API token lasts at most from login.
    pub api_token_max_hours: i64,
    /// Days audit entries are kept at least; 0: for ever (nothing deletes audit entries).
    pub audit_retention_days: i64,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self::from_values(&[])
    }
}

impl SecurityPolicy {
    /// The policy from set values; a missing or unknown value counts as the default.
    pub fn from_values(values: &[(String, String)]) -> Self {
        let get = |key: &str| -> i64 {
            let allowed = SECURITY_SETTINGS
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, a)| *a)
                .unwrap_or(&[]);
            let default = allowed.first().and_then(|d| d.parse().ok()).unwrap_or(0);
            values
                .iter()
                .find(|(k, _)| k == key)
                .filter(|(_, v)| allowed.contains(&v.as_str()))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(default)
        };
        Self {
            password_min_length: usize::try_from(get(PASSWORD_MIN_LENGTH)).unwrap_or(8),
            password_min_classes: usize::try_from(get(PASSWORD_MIN_CLASSES)).unwrap_or(3),
            password_history: get(PASSWORD_HISTORY),
            password_max_age_days: get(PASSWORD_MAX_AGE_DAYS),
            session_idle_minutes: get(SESSION_IDLE_MINUTES),
            session_max_hours: get(SESSION_MAX_HOURS),
            api_token_idle_hours: get(API_TOKEN_IDLE_HOURS),
            api_token_max_hours: get(API_TOKEN_MAX_HOURS),
            audit_retention_days: get(AUDIT_RETENTION_DAYS),
        }
    }

    /// Length and character classes (upper case, lower case, digits, other characters).
    pub fn check_password(&self, pw: &str) -> std::result::Result<(), String> {
        let n = pw.chars().count();
        if n < self.password_min_length {
            return Err(format!("密码至少{}位", self.password_min_length));
        }
        if n > 128 {
            return Err("密码不能超过128位".into());
        }
        if character_classes(pw) < self.password_min_classes {
            return Err(format!(
                "密码须包含大写字母、小写字母、数字、特殊字符中的至少{}类",
                self.password_min_classes
            ));
        }
        Ok(())
    }

    /// The password rule in words, for the forms that set one; `changing` adds that a
    /// recently used password is refused.
    pub fn password_rule(&self, changing: bool) -> String {
        format!(
            "密码至少{}位，须包含大写字母、小写字母、数字、特殊字符中的至少{}类{}。",
            self.password_min_length,
            self.password_min_classes,
            if changing && self.password_history > 0 {
                format!("，不能与最近{}次使用过的密码相同", self.password_history)
            } else {
                String::new()
            }
        )
    }

    /// The idle timeout and the absolute lifetime of a session of the given kind
    /// (`"web"` or `"api"`); an idle timeout of zero is off.
    pub fn session_limits(&self, kind: &str) -> (Duration, Duration) {
        if kind == "api" {
            (
                Duration::hours(self.api_token_idle_hours),
                Duration::hours(self.api_token_max_hours),
            )
        } else {
            (
                Duration::minutes(self.session_idle_minutes),
                Duration::hours(self.session_max_hours),
            )
        }
    }
}

/// How many of the four classes (A-Z, a-z, 0-9, anything else) a password uses.
pub fn character_classes(pw: &str) -> usize {
    let upper = pw.chars().any(|c| c.is_ascii_uppercase());
    let lower = pw.chars().any(|c| c.is_ascii_lowercase());
    let digit = pw.chars().any(|c| c.is_ascii_digit());
    let other = pw.chars().any(|c| !c.is_ascii_alphanumeric());
    [upper, lower, digit, other].iter().filter(|b| **b).count()
}

/// Whether a session that started at `created` and was last used at `seen` is still live at
/// `now`; otherwise the Chinese reason.
pub fn session_live(
    created: DateTime<Utc>,
    seen: DateTime<Utc>,
    now: DateTime<Utc>,
    (idle, max): (Duration, Duration),
) -> std::result::Result<(), &'static str> {
    if now >= created + max {
        return Err("登录已超过最长有效期，请重新登录");
    }
    if idle > Duration::zero() && now >= seen + idle {
        return Err("长时间未操作，登录已失效，请重新登录");
    }
    Ok(())
}

/// Parses a stored timestamp; a bad one counts as the Unix epoch (so limits refuse it).
pub(crate) fn parse_ts(ts: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(ts)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(DateTime::UNIX_EPOCH)
}

impl App {
    /// The security settings in force (one store read).
    pub fn security_policy(&self) -> Result<SecurityPolicy> {
        let keys: Vec<&str> = SECURITY_SETTINGS.iter().map(|(k, _)| *k).collect();
        Ok(SecurityPolicy::from_values(&self.store.settings_in(&keys)?))
    }

    /// Checks a new password against the policy and, for an existing user, the history.
    pub(crate) fn check_new_password(&self, user_id: Option<i64>, pw: &str) -> Result<()> {
        let policy = self.security_policy()?;
        policy
            .check_password(pw)
            .map_err(|m| AppError::Validation(ValidationErrors::single("password", m)))?;
        if let Some(id) = user_id
            && policy.password_history > 0
        {
            let earlier = self.store.password_history(id, policy.password_history)?;
            let mut hashes = earlier;
            if let Some(current) = self.store.password_hash(id)? {
                hashes.push(current);
            }
            if hashes.iter().any(|h| crate::auth::verify_password(pw, h)) {
                return Err(ValidationErrors::single(
                    "password",
                    format!(
                        "新密码不能与最近{}次使用过的密码相同",
                        policy.password_history
                    ),
                )
                .into());
            }
        }
        Ok(())
    }

    /// Whether the user must choose a new password now: flagged (first login after an
    /// administrator or `anjian user add` set it) or expired by the expiry setting.
    pub(crate) fn password_change_due(
        &self,
        user: &anjian_store::users::User,
        policy: &SecurityPolicy,
        now: DateTime<Utc>,
    ) -> bool {
        if user.must_change_password {
            return true;
        }
        if policy.password_max_age_days <= 0 {
            return false;
        }
        let set = user
            .password_changed_at
            .as_deref()
            .unwrap_or(&user.created_at);
        now >= parse_ts(set) + Duration::days(policy.password_max_age_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_length() {
        let p = SecurityPolicy::default();
        assert_eq!(p.password_min_length, 8);
        assert_eq!(p.password_min_classes, 3);
        assert!(p.check_password("Abcdefg1").is_ok());
        assert!(p.check_password("abcdefg1!").is_ok());
        assert_eq!(
            p.check_password("abcdefg1"),
            Err("密码须包含大写字母、小写字母、数字、特殊字符中的至少3类".into())
        );
        assert_eq!(p.check_password("Ab1"), Err("密码至少8位".into()));
        let strict = SecurityPolicy::from_values(&[
            (PASSWORD_MIN_LENGTH.into(), "12".into()),
            (PASSWORD_MIN_CLASSES.into(), "4".into()),
            (PASSWORD_HISTORY.into(), "7".into()),
        ]);
        assert!(strict.check_password("Abcdefgh1234").is_err());
        assert!(strict.check_password("Abcdefgh123!").is_ok());
        // A value outside the allowed list counts as the default.
        assert_eq!(strict.password_history, 5);
    }

    #[test]
    fn idle_and_absolute_limits() {
        let t0 = parse_ts("2022-06-01T00:00:00.000Z");
        let p = SecurityPolicy::default();
        let web = p.session_limits("web");
        assert!(session_live(t0, t0, t0 + Duration::minutes(29), web).is_ok());
        assert!(session_live(t0, t0, t0 + Duration::minutes(30), web).is_err());
        let later = t0 + Duration::hours(11);
        assert!(session_live(t0, later, later + Duration::minutes(5), web).is_ok());
        assert!(session_live(t0, later, t0 + Duration::hours(12), web).is_err());
        // API tokens: no idle timeout by default, seven days at most.
        let api = p.session_limits("api");
        assert!(session_live(t0, t0, t0 + Duration::days(6), api).is_ok());
        assert!(session_live(t0, t0, t0 + Duration::days(7), api).is_err());
    }

    #[test]
    fn audit_retention_cannot_be_set_below_180_days() {
        let (_, allowed) = SECURITY_SETTINGS
            .iter()
            .find(|(k, _)| *k == AUDIT_RETENTION_DAYS)
            .copied()
            .unwrap_or_default();
        assert!(!allowed.is_empty());
        for v in allowed {
            let days: i64 = v.parse().unwrap_or(-1);
            assert!(days == 0 || days >= 180, "{v}");
        }
    }
}
