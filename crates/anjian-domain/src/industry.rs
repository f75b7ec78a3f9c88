//! 国民经济行业分类 GB/T 4754-2017: a section letter plus up to four digits
//! (门类 A, 大类 "C26", 中类 "C266", 小类 "C2661"). Validates that the 大类
//! falls within its 门类's range (domain.md 6.4).

/// (section letter, name, first 大类, last 大类)
pub const SECTIONS: &[(char, &str, u32, u32)] = &[
    ('A', "农、林、牧、渔业", 1, 5),
    ('B', "采矿业", 6, 12),
    ('C', "制造业", 13, 43),
    ('D', "电力、热力、燃气及水生产和供应业", 44, 46),
    ('E', "建筑业", 47, 50),
    ('F', "批发和零售业", 51, 52),
    ('G', "交通运输、仓储和邮政业", 53, 60),
    ('H', "住宿和餐饮业", 61, 62),
    ('I', "信息传输、软件和信息技术服务业", 63, 65),
    ('J', "金融业", 66, 69),
    ('K', "房地产业", 70, 70),
    ('L', "租赁和商务服务业", 71, 72),
    ('M', "科学研究和技术服务业", 73, 75),
    ('N', "水利、环境和公共设施管理业", 76, 79),
    ('O', "居民服务、修理和其他服务业", 80, 82),
    ('P', "教育", 83, 83),
    ('Q', "卫生和社会工作", 84, 85),
    ('R', "文化、体育和娱乐业", 86, 90),
    ('S', "公共管理、社会保障和社会组织", 91, 96),
    ('T', "国际组织", 97, 97),
];

/// Validates an industry code such as `C2661`, `C26`, `B` (upper-cased).
/// A bare 2–4 digit code gets its section letter inferred from the 大类 range.
pub fn parse_industry(raw: &str) -> Result<String, String> {
    let s = raw.trim().to_uppercase();
    if s.is_empty() || !s.is_ascii() {
        return Err("行业代码格式应为门类字母加2-4位数字，如 C2661".into());
    }
    let (letter, digits) = match s.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => (Some(c), &s[1..]),
        _ => (None, s.as_str()),
    };
    if digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() == 1 {
        return Err("行业代码格式应为门类字母加2-4位数字，如 C2661".into());
    }
    if digits.is_empty() {
        return match letter.and_then(section) {
            Some(_) => Ok(s),
            None => Err(format!("行业门类“{s}”不存在（应为 A-T）")),
        };
    }
    let major: u32 = digits[..2].parse().unwrap_or(0);
    let inferred = SECTIONS
        .iter()
        .find(|(_, _, lo, hi)| (*lo..=*hi).contains(&major));
    let Some((sec, _, lo, hi)) = inferred else {
        return Err(format!("行业大类“{}”不存在（应为 01-97）", &digits[..2]));
    };
    match letter {
        Some(l) if l != *sec => {
            let ok = section(l).is_some();
            if ok {
                Err(format!(
                    "行业大类 {} 不属于门类 {l}（门类 {sec} 的大类范围为 {lo:02}-{hi:02}）",
                    &digits[..2]
                ))
            } else {
                Err(format!("行业门类“{l}”不存在（应为 A-T）"))
            }
        }
        _ => Ok(format!("{sec}{digits}")),
    }
}

/// The name of a section letter.
pub fn section(letter: char) -> Option<&'static str> {
    SECTIONS
        .iter()
        .find(|(l, ..)| *l == letter)
        .map(|(_, n, ..)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_codes() {
        assert_eq!(parse_industry("c2661"), Ok("C2661".into()));
        assert_eq!(parse_industry("B10"), Ok("B10".into()));
        assert_eq!(parse_industry("2661"), Ok("C2661".into()));
        assert_eq!(parse_industry("K"), Ok("K".into()));
        assert_eq!(parse_industry("E4710"), Ok("E4710".into()));
    }

    #[test]
    fn invalid_codes() {
        assert!(parse_industry("A2661").is_err()); // 26 is manufacturing
        assert!(parse_industry("Z01").is_err());
        assert!(parse_industry("C99").is_err());
        assert!(parse_industry("C2").is_err());
        assert!(parse_industry("C26611").is_err());
        assert!(parse_industry("").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,8}") {
            let _ = parse_industry(&s);
        }
    }
}
