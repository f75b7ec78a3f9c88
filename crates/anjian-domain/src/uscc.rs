//! 统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.
//!
//! 18 characters over a 31-symbol alphabet (no I, O, S, V, Z); position 18 is a
//! mod-31 check character with weights `3^(i-1) mod 31`. Codes issued in early
//! pilot areas can be legal yet fail the checksum: the format is a hard error,
//! the checksum a soft one that a user may override explicitly (domain.md 6.1).

use std::fmt;

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a string is not an acceptable USCC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccError {
    /// Wrong length or characters: never acceptable.
    Format(String),
    /// Well-formed but the check character differs: acceptable only with an override.
    Checksum { expected: char, found: char },
}

impl fmt::Display for UsccError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsccError::Format(m) => f.write_str(m),
            UsccError::Checksum { expected, found } => write!(
                f,
                "统一社会信用代码校验位不符（按 GB 32100 计算应为 {expected}，实为 {found}）；如为早期试点赋码，请勾选“确认校验位例外”后保存"
            ),
        }
    }
}

/// A well-formed USCC (upper case). `checksum_ok` is false only for an accepted override.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uscc {
    code: String,
    checksum_ok: bool,
}

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// Computes the check character for the first 17 characters (must be in the alphabet).
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let v = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(v as usize)
}

/// Checks the embedded GB 11714 organisation code (positions 9-17). Informational only.
pub fn org_code_ok(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0u32;
    for (c, w) in chars[8..16].iter().zip(W) {
        let v = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        sum += v * w;
    }
    let c9 = 11 - sum % 11;
    let expected = match c9 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('?'),
    };
    chars[16] == expected
}

impl Uscc {
    /// Parses strictly: format and checksum must both hold.
    pub fn parse(raw: &str) -> Result<Self, UsccError> {
        Self::parse_with(raw, false)
    }

    /// Parses; when `allow_bad_checksum` is set, a checksum mismatch is accepted
    /// (and remembered: [`Uscc::checksum_ok`] is then false).
    pub fn parse_with(raw: &str, allow_bad_checksum: bool) -> Result<Self, UsccError> {
        let code: String = raw.trim().to_uppercase();
        let n = code.chars().count();
        if n != 18 {
            return Err(UsccError::Format(format!(
                "统一社会信用代码应为18位，实为{n}位"
            )));
        }
        for (i, c) in code.chars().enumerate() {
            let ok = if (2..8).contains(&i) {
                c.is_ascii_digit()
            } else {
                value_of(c).is_some()
            };
            if !ok {
                return Err(UsccError::Format(if (2..8).contains(&i) {
                    format!(
                        "统一社会信用代码第{}位应为数字（登记管理机关行政区划码）",
                        i + 1
                    )
                } else {
                    format!(
                        "统一社会信用代码第{}位字符“{c}”不合法（不使用 I、O、S、V、Z）",
                        i + 1
                    )
                }));
            }
        }
        let expected = check_char(&code[..17])
            .ok_or_else(|| UsccError::Format("统一社会信用代码格式不正确".into()))?;
        let found = code.chars().nth(17).unwrap_or(' ');
        if expected != found {
            if allow_bad_checksum {
                return Ok(Self {
                    code,
                    checksum_ok: false,
                });
            }
            return Err(UsccError::Checksum { expected, found });
        }
        Ok(Self {
            code,
            checksum_ok: true,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn checksum_ok(&self) -> bool {
        self.checksum_ok
    }

    /// Builds a valid code from its first 17 characters (demo data, tests).
    pub fn complete(first17: &str) -> Option<Self> {
        let c = check_char(first17)?;
        Some(Self {
            code: format!("{first17}{c}"),
            checksum_ok: true,
        })
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

/// The GB 11714 check character for an 8-character organisation-code body.
pub fn org_check_char(body8: &str) -> Option<char> {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    if body8.chars().count() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in body8.chars().zip(W) {
        sum += c.to_digit(36)? * w;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        d => char::from_digit(d, 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn domain_md_worked_example_1() {
        // domain.md 6.1: S = 1640, 1640 mod 31 = 28, check = 3.
        assert_eq!(check_char("91350100M000100Y4"), Some('3'));
        let u = Uscc::parse("91350100M000100Y43").unwrap();
        assert!(u.checksum_ok());
        assert!(org_code_ok("91350100M000100Y43"));
    }

    #[test]
    fn domain_md_worked_example_2() {
        assert_eq!(check_char("91360982MA35ABCD4"), Some('5'));
        assert!(Uscc::parse("91360982MA35ABCD45").is_ok());
        assert!(org_code_ok("91360982MA35ABCD45"));
    }

    #[test]
    fn domain_md_org_code_examples() {
        // domain.md 6.1: M000100Y -> 4, MA35ABCD -> 4 (GB 11714).
        assert_eq!(org_check_char("M000100Y"), Some('4'));
        assert_eq!(org_check_char("MA35ABCD"), Some('4'));
        assert_eq!(org_check_char("MA35"), None);
    }

    #[test]
    fn domain_md_negative_example() {
        assert_eq!(
            Uscc::parse("911100001000013410"),
            Err(UsccError::Checksum {
                expected: '9',
                found: '0'
            })
        );
        // Accepted only with the explicit override, and remembered as such.
        let u = Uscc::parse_with("911100001000013410", true).unwrap();
        assert!(!u.checksum_ok());
    }

    #[test]
    fn lowercase_is_normalised_and_format_is_hard() {
        assert!(Uscc::parse("91350100m000100y43").is_ok());
        assert!(matches!(
            Uscc::parse("91350100M000100Y4"),
            Err(UsccError::Format(_))
        ));
        assert!(matches!(
            Uscc::parse("9135010OM000100Y43"),
            Err(UsccError::Format(_))
        ));
        assert!(matches!(
            Uscc::parse_with("91350100I000100Y43", true),
            Err(UsccError::Format(_))
        ));
        assert!(matches!(
            Uscc::parse("91350100M000100Y4３"),
            Err(UsccError::Format(_))
        ));
    }

    fn body() -> impl Strategy<Value = String> {
        let sym = proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>());
        let digit = proptest::sample::select("0123456789".chars().collect::<Vec<_>>());
        (
            proptest::collection::vec(sym.clone(), 2),
            proptest::collection::vec(digit, 6),
            proptest::collection::vec(sym, 9),
        )
            .prop_map(|(a, b, c)| a.into_iter().chain(b).chain(c).collect())
    }

    proptest! {
        #[test]
        fn completed_codes_always_validate(b in body()) {
            let u = Uscc::complete(&b).unwrap_or_else(|| panic!("complete"));
            prop_assert!(Uscc::parse(u.as_str()).is_ok());
        }

        #[test]
        fn any_single_substitution_is_detected(b in body(), pos in 0usize..18, k in 1usize..31) {
            // mod 31 with weights coprime to 31 detects every single-character change.
            let u = Uscc::complete(&b).unwrap_or_else(|| panic!("complete"));
            let mut chars: Vec<char> = u.as_str().chars().collect();
            let alphabet: Vec<char> = ALPHABET.chars().collect();
            let idx = alphabet.iter().position(|c| *c == chars[pos]).unwrap_or(0);
            let new = alphabet[(idx + k) % 31];
            if (2..8).contains(&pos) && !new.is_ascii_digit() {
                return Ok(());
            }
            chars[pos] = new;
            let s: String = chars.into_iter().collect();
            prop_assert!(Uscc::parse(&s).is_err());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Uscc::parse(&s);
            let _ = Uscc::parse_with(&s, true);
        }
    }
}
