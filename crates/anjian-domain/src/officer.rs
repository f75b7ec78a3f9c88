//! Law-enforcement officers (执法人员) and their certificates (执法证).
//!
//! 《行政处罚法》第四十二条: 执法人员不得少于两人，并应当主动出示执法证件. An enforcement
//! inspection therefore names at least [`TEAM_MIN`] officers, each holding a certificate
//! valid on the day of the inspection. The number and its validity end date are kept on the
//! officer's user record; the rule here is pure, the app supplies the roster.

use chrono::NaiveDate;

/// The fewest certified officers an enforcement inspection may have.
pub const TEAM_MIN: usize = 2;

/// The refusal of an enforcement inspection without enough certified officers.
pub const TEAM_RULE: &str = "行政执法检查须有两名以上持有效执法证的执法人员";

/// The shortest and longest certificate number accepted, in characters.
pub const CERT_NO_CHARS: std::ops::RangeInclusive<usize> = 4..=30;

/// Checks a certificate number (执法证号): trimmed, 4 to 30 characters, no spaces or control
/// characters. Numbers are issued by provinces in several shapes (`赣36098201001`,
/// `36-0982-0001`), so no more is asked of them.
pub fn parse_cert_no(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("请填写执法证号".into());
    }
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("执法证号不能含空格、换行或其他控制字符".into());
    }
    let n = s.chars().count();
    if !CERT_NO_CHARS.contains(&n) {
        return Err(format!(
            "执法证号应为{}至{}个字符",
            CERT_NO_CHARS.start(),
            CERT_NO_CHARS.end()
        ));
    }
    Ok(s.to_string())
}

/// An officer's standing on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Active, with a certificate valid that day.
    Valid,
    /// The account is disabled.
    Inactive,
    /// No certificate on record.
    NoCertificate,
    /// The certificate ran out before that day (its last valid day).
    Expired(NaiveDate),
}

/// What the roster holds of one officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Certificate<'a> {
    pub number: Option<&'a str>,
    /// The last day the certificate is valid.
    pub valid_until: Option<NaiveDate>,
}

impl Certificate<'_> {
    /// Whether the certificate is valid on `on` (its last day included). A number without an
    /// end date is not valid: the roster asks for both.
    pub fn valid_on(&self, on: NaiveDate) -> bool {
        self.number.is_some_and(|n| !n.is_empty()) && self.valid_until.is_some_and(|u| u >= on)
    }
}

/// An officer's standing on `on`.
pub fn standing(active: bool, cert: Certificate<'_>, on: NaiveDate) -> Standing {
    if !active {
        return Standing::Inactive;
    }
    match (cert.number.filter(|n| !n.is_empty()), cert.valid_until) {
        (Some(_), Some(u)) if u >= on => Standing::Valid,
        (Some(_), Some(u)) => Standing::Expired(u),
        _ => Standing::NoCertificate,
    }
}

/// Why an officer named `name` may not take part on `on`; `None` when they may.
pub fn refusal(name: &str, s: Standing, on: NaiveDate) -> Option<String> {
    match s {
        Standing::Valid => None,
        Standing::Inactive => Some(format!("{name}的账号已停用，不能作为执法人员")),
        Standing::NoCertificate => Some(format!("{name}未登记执法证，不能作为执法人员")),
        Standing::Expired(u) => Some(format!("{name}的执法证已于{u}到期，{on}不能持证执法")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn certificate_numbers() {
        assert_eq!(
            parse_cert_no(" 赣36098201001 ").ok(),
            Some("赣36098201001".into())
        );
        assert!(parse_cert_no("36-0982-0001").is_ok());
        assert!(parse_cert_no("").is_err());
        assert!(parse_cert_no("   ").is_err());
        assert!(parse_cert_no("abc").is_err(), "too short");
        assert!(parse_cert_no(&"1".repeat(31)).is_err(), "too long");
        assert!(parse_cert_no("1234\u{7}5678").is_err(), "control character");
        assert!(parse_cert_no("1234 5678").is_err(), "space inside");
        assert!(parse_cert_no("1234\n5678").is_err());
    }

    #[test]
    fn standing_on_a_day() {
        let cert = Certificate {
            number: Some("赣001"),
            valid_until: Some(d("2022-06-30")),
        };
        assert_eq!(standing(true, cert, d("2022-06-30")), Standing::Valid);
        assert!(cert.valid_on(d("2022-06-30")));
        assert_eq!(
            standing(true, cert, d("2022-07-01")),
            Standing::Expired(d("2022-06-30"))
        );
        assert!(!cert.valid_on(d("2022-07-01")));
        assert_eq!(standing(false, cert, d("2022-06-01")), Standing::Inactive);
        let none = Certificate {
            number: None,
            valid_until: Some(d("2030-01-01")),
        };
        assert_eq!(
            standing(true, none, d("2022-06-01")),
            Standing::NoCertificate
        );
        let undated = Certificate {
            number: Some("赣001"),
            valid_until: None,
        };
        assert_eq!(
            standing(true, undated, d("2022-06-01")),
            Standing::NoCertificate
        );
        assert!(!undated.valid_on(d("2022-06-01")));
        let m = refusal("杨帆", Standing::Expired(d("2022-06-30")), d("2022-07-01"));
        assert!(m.is_some_and(|m| m.contains("杨帆") && m.contains("2022-06-30")));
        assert_eq!(refusal("杨帆", Standing::Valid, d("2022-07-01")), None);
    }
}
