//! 统计用区划代码: 12-digit statistical division codes (domain.md 6.3),
//! plus 15-digit grid codes (village code + 3-digit grid number) below villages.
//!
//! Structure: `PP CC XX TTT VVV` = province, prefecture, county, township, village.
//! A level's code has zeros in every position below it, so the code of a region
//! is a prefix-closed tree: a region's subtree is every code starting with its
//! significant prefix ([`RegionCode::subtree_prefix`]).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
    Grid,
}

impl RegionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
            RegionLevel::Grid => "grid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "province" => RegionLevel::Province,
            "city" => RegionLevel::City,
            "county" => RegionLevel::County,
            "township" => RegionLevel::Township,
            "village" => RegionLevel::Village,
            "grid" => RegionLevel::Grid,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省",
            RegionLevel::City => "市",
            RegionLevel::County => "县（市、区）",
            RegionLevel::Township => "乡镇（街道）",
            RegionLevel::Village => "村（社区）",
            RegionLevel::Grid => "网格",
        }
    }

    /// Number of significant leading characters of a code at this level.
    pub fn prefix_len(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
            RegionLevel::Grid => 15,
        }
    }
}

/// A validated statistical division code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

impl RegionCode {
    /// Validates structure and level ranges (domain.md 6.3).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if !(s.len() == 12 || s.len() == 15) || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err("区划代码应为12位数字（统计用区划代码），网格为15位".into());
        }
        let (p, c, x, t, v) = (&s[0..2], &s[2..4], &s[4..6], &s[6..9], &s[9..12]);
        if !PROVINCES.contains(&num(p)) {
            return Err(format!("区划代码前两位“{p}”不是有效的省级代码"));
        }
        let pref = num(c);
        if !(pref <= 70 || pref == 90) {
            return Err(format!(
                "区划代码第3-4位“{c}”不是有效的地级代码（01-70 或 90）"
            ));
        }
        let town = num(t);
        if town >= 600 {
            return Err(format!("区划代码第7-9位“{t}”超出乡级代码范围（001-599）"));
        }
        let vil = num(v);
        if vil >= 600 {
            return Err(format!("区划代码第10-12位“{v}”超出村级代码范围（001-599）"));
        }
        // Lower positions may be non-zero only when every higher one is.
        let parts = [num(c), num(x), town, vil];
        if parts.windows(2).any(|w| w[1] != 0 && w[0] == 0) {
            return Err("区划代码层级不连续：下级代码非零时上级代码不能为零".into());
        }
        if s.len() == 15 {
            if vil == 0 {
                return Err("网格代码应为所属村（社区）12位代码加3位网格编号".into());
            }
            if num(&s[12..15]) == 0 {
                return Err("网格编号（第13-15位）不能为000".into());
            }
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        let s = &self.0;
        if s.len() == 15 {
            RegionLevel::Grid
        } else if &s[9..12] != "000" {
            RegionLevel::Village
        } else if &s[6..9] != "000" {
            RegionLevel::Township
        } else if &s[4..6] != "00" {
            RegionLevel::County
        } else if &s[2..4] != "00" {
            RegionLevel::City
        } else {
            RegionLevel::Province
        }
    }

    /// The significant prefix: every code in this region's subtree starts with it.
    pub fn subtree_prefix(&self) -> &str {
        &self.0[..self.level().prefix_len()]
    }

    /// True when `other` is this region or lies below it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.subtree_prefix())
    }

    /// The structural parent (the code with the lowest significant part zeroed).
    pub fn parent(&self) -> Option<RegionCode> {
        let s = &self.0;
        let p = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => format!("{}0000000000", &s[..2]),
            RegionLevel::County => format!("{}00000000", &s[..4]),
            RegionLevel::Township => format!("{}000000", &s[..6]),
            RegionLevel::Village => format!("{}000", &s[..9]),
            RegionLevel::Grid => s[..12].to_string(),
        };
        Some(RegionCode(p))
    }

    /// The county (level 3) this code belongs to, if it is at or below county level.
    pub fn county(&self) -> Option<RegionCode> {
        if self.level() < RegionLevel::County {
            return None;
        }
        Some(RegionCode(format!("{}000000", &self.0[..6])))
    }

    /// The township this code belongs to, if at or below township level.
    pub fn township(&self) -> Option<RegionCode> {
        if self.level() < RegionLevel::Township {
            return None;
        }
        Some(RegionCode(format!("{}000", &self.0[..9])))
    }

    /// Classification of a township or village by its code range (domain.md 6.3).
    pub fn kind_label(&self) -> &'static str {
        match self.level() {
            RegionLevel::Township => match num(&self.0[6..9]) {
                1..=99 => "街道",
                100..=199 => "镇",
                200..=399 => "乡",
                _ => "类似乡级单位",
            },
            RegionLevel::Village => match num(&self.0[9..12]) {
                1..=199 => "居民委员会",
                200..=399 => "村民委员会",
                400..=499 => "类似居民委员会",
                _ => "类似村民委员会",
            },
            l => l.label(),
        }
    }

    /// Expands a 6-digit GB/T 2260 code to 12 digits; passes 12/15-digit codes through.
    pub fn parse_loose(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.len() == 6 && s.chars().all(|c| c.is_ascii_digit()) {
            return Self::parse(&format!("{s}000000"));
        }
        if s.len() == 9 && s.chars().all(|c| c.is_ascii_digit()) {
            return Self::parse(&format!("{s}000"));
        }
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(r: RegionCode) -> String {
        r.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn levels_and_prefixes() {
        assert_eq!(rc("360000000000").level(), RegionLevel::Province);
        assert_eq!(rc("360900000000").level(), RegionLevel::City);
        let county = rc("360982000000");
        assert_eq!(county.level(), RegionLevel::County);
        assert_eq!(county.subtree_prefix(), "360982");
        let town = rc("360982100000");
        assert_eq!(town.level(), RegionLevel::Township);
        assert_eq!(town.kind_label(), "镇");
        let vil = rc("360982100200");
        assert_eq!(vil.level(), RegionLevel::Village);
        assert_eq!(vil.kind_label(), "村民委员会");
        assert_eq!(vil.parent(), Some(town.clone()));
        assert_eq!(town.parent(), Some(county.clone()));
        assert!(county.contains(&vil));
        assert!(!rc("360982101000").contains(&vil));
        let grid = rc("360982100200003");
        assert_eq!(grid.level(), RegionLevel::Grid);
        assert_eq!(grid.parent(), Some(vil));
        assert_eq!(grid.county(), Some(county));
    }

    #[test]
    fn real_codes_from_domain_md() {
        // "...102200" (a 村委会 at 200) and "...210500" (村委会 at 500 after reorganisation).
        assert!(RegionCode::parse("350322102200").is_ok());
        assert!(RegionCode::parse("350322210500").is_ok());
        assert!(RegionCode::parse("350322111000").is_ok());
    }

    #[test]
    fn rejects_bad_structure() {
        assert!(RegionCode::parse("99098200000").is_err()); // 11 digits
        assert!(RegionCode::parse("990982000000").is_err()); // province 99
        assert!(RegionCode::parse("360982700000").is_err()); // township 700
        assert!(RegionCode::parse("360982100600").is_err()); // village 600
        assert!(RegionCode::parse("360900100000").is_err()); // township under no county
        assert!(RegionCode::parse("36098210020A").is_err());
        assert!(RegionCode::parse("360982100000001").is_err()); // grid under a township
        assert!(RegionCode::parse("360982100200000").is_err()); // grid 000
        assert!(RegionCode::parse("").is_err());
    }

    #[test]
    fn loose_parse_expands_gbt2260() {
        assert_eq!(
            RegionCode::parse_loose("360982").map(|r| r.level()),
            Ok(RegionLevel::County)
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = RegionCode::parse(&s);
            let _ = RegionCode::parse_loose(&s);
        }

        #[test]
        fn parent_chain_contains_child(t in 1u32..600, v in 1u32..600) {
            let code = format!("360982{t:03}{v:03}");
            let r = RegionCode::parse(&code).unwrap();
            let mut p = r.parent();
            while let Some(parent) = p {
                prop_assert!(parent.contains(&r));
                prop_assert!(RegionCode::parse(parent.as_str()).is_ok());
                p = parent.parent();
            }
        }
    }
}
