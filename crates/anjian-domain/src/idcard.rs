//! 居民身份证号码 (resident identity card number), GB 11643-1999, ISO 7064 MOD 11-2.

use chrono::NaiveDate;
use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// A valid 18-character ID-card number (upper-case X).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdCardNo(String);

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(CHECK[(sum % 11) as usize] as char)
}

impl IdCardNo {
    /// Parses an 18-digit number, or converts a legacy 15-digit one.
    /// `today` bounds the birth date (no future births).
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, String> {
        let s = raw.trim().to_uppercase();
        let s = if s.len() == 15 && s.chars().all(|c| c.is_ascii_digit()) {
            let body = format!("{}19{}", &s[..6], &s[6..]);
            let c = check_char(&body).ok_or("身份证号码格式不正确")?;
            format!("{body}{c}")
        } else {
            s
        };
        if !s.is_ascii() {
            return Err("身份证号码只能包含数字和字母 X".into());
        }
        if s.len() != 18 {
            return Err(format!("身份证号码应为18位，实为{}位", s.chars().count()));
        }
        if !s[..17].chars().all(|c| c.is_ascii_digit()) {
            return Err("身份证号码前17位应为数字".into());
        }
        let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d")
            .map_err(|_| "身份证号码中的出生日期无效".to_string())?;
        if birth > today || birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(birth) {
            return Err("身份证号码中的出生日期超出合理范围".into());
        }
        let expected = check_char(&s[..17]).ok_or("身份证号码格式不正确")?;
        let found = s.chars().nth(17).unwrap_or(' ');
        if expected != found {
            return Err(format!(
                "身份证号码校验位不符（应为 {expected}，实为 {found}）"
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A masked form for logs and lists (personal information protection).
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").ok()
    }

    /// True when the sequence number is odd (male).
    pub fn is_male(&self) -> bool {
        self.0[16..17]
            .parse::<u32>()
            .map(|d| d % 2 == 1)
            .unwrap_or(false)
    }
}

impl fmt::Display for IdCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
    }

    #[test]
    fn domain_md_worked_example() {
        // domain.md 6.2: S = 167, 167 mod 11 = 2 -> X.
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert!(IdCardNo::parse("11010519491231002X", today()).is_ok());
        assert!(IdCardNo::parse("11010519491231002x", today()).is_ok());
    }

    #[test]
    fn domain_md_second_vector_is_male() {
        assert_eq!(check_char("36098219850615123"), Some('9'));
        let id = IdCardNo::parse("360982198506151239", today()).unwrap();
        assert!(id.is_male());
        assert_eq!(id.masked(), "360982********1239");
    }

    #[test]
    fn legacy_15_digit_is_converted() {
        let id = IdCardNo::parse("110105491231002", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn rejects_bad_dates_and_checks() {
        assert!(IdCardNo::parse("110105194902300020", today()).is_err()); // Feb 30
        assert!(IdCardNo::parse("360982198506151230", today()).is_err());
        assert!(IdCardNo::parse("360982208506151239", today()).is_err()); // 2085
        assert!(IdCardNo::parse("36098219850615123", today()).is_err());
    }

    proptest! {
        #[test]
        fn completed_numbers_validate(region in 110000u32..660000, days in 0i64..40000, seq in 0u32..1000) {
            let birth = NaiveDate::from_ymd_opt(1910, 1, 1).unwrap_or_default() + chrono::Duration::days(days);
            prop_assume!(birth <= today());
            let body = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
            let c = check_char(&body).unwrap_or('?');
            let full = format!("{body}{c}");
            prop_assert!(IdCardNo::parse(&full, today()).is_ok());
            // Changing the check character is always detected.
            let other = CHECK.iter().map(|b| *b as char).find(|x| *x != c).unwrap_or('?');
            let bad = format!("{body}{other}");
            prop_assert!(IdCardNo::parse(&bad, today()).is_err());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,25}") {
            let _ = IdCardNo::parse(&s, today());
        }
    }
}
