//! The accident register's rules: 生产安全事故 (国务院令第493号《生产安全事故报告和调查处理条例》),
//! 火灾 (公安部2007年火灾等级标准调整) and 森林火灾 (《森林防火条例》2008).
//!
//! - [`level`]: the level is computed from the casualties, the loss and (forest fires) the
//!   burned area, the highest criterion winning, "以上包括本数、以下不包括本数".
//! - [`timing`]: the time limits: the unit's report within 1 hour and the county's within 2
//!   (迟报, counted in clock hours), the 补报 window (30 days, 7 for road traffic and fires)
//!   and the investigation's 60 days with one extension of at most 60.

pub mod level;
pub mod timing;

pub use level::{Figures, Level, level_of};
pub use timing::{
    LinkState, investigation_due, link_hours, link_state, max_extension, parse_time,
    supplement_counted, supplement_window_days, time_text,
};

coded! {
    /// Which register an accident is in.
    #[schema(as = AccidentCategory)]
    Category {
        /// 生产安全事故 (493号令).
        Production = "production", "生产安全事故" | "安全生产事故" | "事故";
        /// 火灾事故.
        Fire = "fire", "火灾" | "火灾事故";
        /// 森林火灾.
        ForestFire = "forest_fire", "森林火灾" | "山火";
    }
}

coded! {
    /// A fire's short type (起火原因类别 as the fire statistics group them).
    FireType {
        Electrical = "electrical", "电气火灾" | "电气";
        Careless = "careless", "用火不慎";
        Smoking = "smoking", "吸烟";
        Arson = "arson", "放火";
        Spontaneous = "spontaneous", "自燃";
        Production = "production", "生产作业";
        Other = "other", "其他火灾" | "其他" | "其它";
    }
}

coded! {
    /// A forest fire's cause (森林火灾的起火原因).
    ForestFireType {
        Sacrifice = "sacrifice", "祭祀用火" | "上坟烧纸";
        Agricultural = "agricultural", "农事用火" | "烧荒" | "烧秸秆";
        Smoking = "smoking", "野外吸烟";
        Lightning = "lightning", "雷击";
        Power = "power", "电力线路";
        Other = "other", "其他原因" | "其他" | "其它";
    }
}

coded! {
    /// The reporting chain's links (493号令 第九条、第十条).
    #[schema(as = AccidentLinkKind)]
    LinkKind {
        /// 事故单位 → 县级应急管理部门 (1 hour, art. 9).
        Unit = "unit", "事故单位报告" | "单位报告";
        /// 县级 → 上一级 (2 hours, art. 10).
        County = "county", "县级上报" | "向上级报告";
    }
}

/// The type's words for a category: GB 6441 for production accidents, the short lists for
/// fires and forest fires. Returns the stored code.
pub fn type_from_words(category: Category, words: &str) -> Option<&'static str> {
    match category {
        Category::Production => {
            crate::accident_type::AccidentType::from_words(words).map(|t| t.as_str())
        }
        Category::Fire => FireType::from_words(words).map(|t| t.as_str()),
        Category::ForestFire => ForestFireType::from_words(words).map(|t| t.as_str()),
    }
}

/// The label of a stored type code for a category (the code itself when unknown).
pub fn type_label(category: Category, code: &str) -> &str {
    let label = match category {
        Category::Production => crate::accident_type::AccidentType::parse(code).map(|t| t.label()),
        Category::Fire => FireType::parse(code).map(|t| t.label()),
        Category::ForestFire => ForestFireType::parse(code).map(|t| t.label()),
    };
    label.unwrap_or(code)
}

/// The labels a form offers for a category's type.
pub fn type_choices(category: Category) -> Vec<(&'static str, &'static str)> {
    match category {
        Category::Production => crate::accident_type::AccidentType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
        Category::Fire => FireType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
        Category::ForestFire => ForestFireType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
    }
}

use crate::decimal::DecimalError;
pub use crate::decimal::hundredths_text;

/// Reads an exact decimal with at most two places ("1234.56", "1,234.5", "0") as hundredths
/// (元 → 分, 公顷 → 0.01 公顷), without floating point; empty reads as 0, negative or finer
/// values are refused.
pub fn parse_hundredths(s: &str) -> Result<i64, String> {
    if s.trim().is_empty() {
        return Ok(0);
    }
    crate::decimal::parse_hundredths(s).map_err(|e| {
        match e {
            DecimalError::Malformed => "应为不小于0的数，最多两位小数",
            DecimalError::TooFine => "最多两位小数",
            DecimalError::TooLarge => "数值过大",
        }
        .to_string()
    })
}

/// The sector code of road traffic (道路交通), whose 补报 window is 7 days.
pub const ROAD_SECTOR: &str = "road";

/// A responsible party named when an investigation closes: a person or a unit, and the
/// measure (处理意见).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = AccidentParty)]
pub struct Party {
    pub name: String,
    /// true for a unit (单位), false for a person.
    #[serde(default)]
    pub unit: bool,
    /// 处理意见, e.g. 移送司法机关、罚款、撤职.
    #[serde(default)]
    pub measure: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_and_types_read_back() {
        for c in Category::ALL {
            assert_eq!(Category::from_words(c.label()), Some(*c));
            for (code, label) in type_choices(*c) {
                assert_eq!(type_from_words(*c, label), Some(code));
                assert_eq!(type_label(*c, code), label);
            }
        }
        assert_eq!(type_from_words(Category::Production, "电气火灾"), None);
        assert_eq!(type_from_words(Category::Fire, "电气"), Some("electrical"));
    }

    #[test]
    fn decimals_read_exactly_as_hundredths() {
        assert_eq!(parse_hundredths("9999999.99"), Ok(999_999_999));
        assert_eq!(parse_hundredths("1,000.5"), Ok(100_050));
        assert_eq!(parse_hundredths("0.99"), Ok(99));
        assert_eq!(parse_hundredths(""), Ok(0));
        assert!(parse_hundredths("1.234").is_err());
        assert!(parse_hundredths("-1").is_err());
        assert!(parse_hundredths("1e3").is_err());
        assert_eq!(hundredths_text(100_050), "1000.50");
    }
}
