//! The four risk grades of 风险分级管控 and their colours (红、橙、黄、蓝).
//!
//! Shared by the risk points (an assessed point's grade), the enterprise's grade (from its points
//! or set by the regulator) and the supervision they steer (inspection frequency, draw weights).
//! Declared from the lowest to the highest, so `Ord` and `max()` follow severity.

coded! {
    /// 风险等级: 重大 (red), 较大 (orange), 一般 (yellow), 低 (blue).
    #[schema(as = RiskGrade)]
    Grade {
        /// 低风险 (蓝色).
        Low = "low", "低风险" | "低" | "蓝" | "蓝色" | "四级";
        /// 一般风险 (黄色).
        General = "general", "一般风险" | "一般" | "黄" | "黄色" | "三级";
        /// 较大风险 (橙色).
        Large = "large", "较大风险" | "较大" | "橙" | "橙色" | "二级";
        /// 重大风险 (红色).
        Major = "major", "重大风险" | "重大" | "红" | "红色" | "一级";
    }
}

impl Grade {
    /// The colour's name as officials say it: 红色、橙色、黄色、蓝色.
    pub fn colour_label(self) -> &'static str {
        match self {
            Grade::Major => "红色",
            Grade::Large => "橙色",
            Grade::General => "黄色",
            Grade::Low => "蓝色",
        }
    }

    /// The colour for drawing (四色图), as a CSS/SVG colour.
    pub fn colour(self) -> &'static str {
        match self {
            Grade::Major => "#e02020",
            Grade::Large => "#f08c00",
            Grade::General => "#f5d90a",
            Grade::Low => "#1f6fd6",
        }
    }

    /// From the highest to the lowest, the order lists and legends use.
    pub fn descending() -> [Grade; 4] {
        [Grade::Major, Grade::Large, Grade::General, Grade::Low]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_the_grades_and_the_highest_wins() {
        assert!(Grade::Major > Grade::Large && Grade::Large > Grade::General);
        assert!(Grade::General > Grade::Low);
        let highest = [Grade::General, Grade::Major, Grade::Low].into_iter().max();
        assert_eq!(highest, Some(Grade::Major));
    }

    #[test]
    fn grades_read_from_colours_and_levels() {
        assert_eq!(Grade::from_words("红色"), Some(Grade::Major));
        assert_eq!(Grade::from_words("橙"), Some(Grade::Large));
        assert_eq!(Grade::from_words("一般风险"), Some(Grade::General));
        assert_eq!(Grade::from_words("蓝色"), Some(Grade::Low));
        assert_eq!(Grade::from_words("紫色"), None);
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(*g));
        }
    }
}
