//! Accident levels, computed from the figures, never typed.
//!
//! 国务院令第493号 第三条 (and the same thresholds for 火灾, 公安部2007年): 特别重大 30 deaths,
//! 100 serious injuries (急性工业中毒 included) or 1亿元 direct loss and above; 重大 10, 50,
//! 5000万元; 较大 3, 10, 1000万元; 一般 below. 森林防火条例 第四十条: 特别重大 1000公顷 burned
//! forest, 30 deaths or 100 serious injuries and above; 重大 100公顷, 10, 50; 较大 1公顷, 3, 10;
//! 一般 below. "以上包括本数，所称以下不包括本数" (493号令 第三条; 森林防火条例 第四十条), so
//! every band is `[lower, upper)` and the highest criterion reached gives the level.

use super::Category;

coded! {
    /// 事故等级, least severe first (so `max` is the more severe).
    #[schema(as = AccidentLevel)]
    Level {
        General = "general", "一般" | "一般事故";
        Large = "large", "较大" | "较大事故";
        Major = "major", "重大" | "重大事故";
        ExtraMajor = "extra_major", "特别重大" | "特别重大事故";
    }
}

/// The figures a level is read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub deaths: i64,
    /// 重伤 (including 急性工业中毒).
    pub serious_injuries: i64,
    /// 直接经济损失 in 分.
    pub loss_fen: i64,
    /// 受害森林面积 in hundredths of a 公顷 (forest fires only).
    pub forest_area_centi_ha: i64,
}

/// 1 万元 in 分.
const WAN_YUAN: i64 = 10_000 * 100;

/// The band a count falls in for lower bounds `[large, major, extra_major]` ("以上包括本数").
fn band(value: i64, bounds: [i64; 3]) -> Level {
    if value >= bounds[2] {
        Level::ExtraMajor
    } else if value >= bounds[1] {
        Level::Major
    } else if value >= bounds[0] {
        Level::Large
    } else {
        Level::General
    }
}

/// The level of an accident of `category` with `f`: the highest criterion reached.
pub fn level_of(category: Category, f: &Figures) -> Level {
    let deaths = band(f.deaths, [3, 10, 30]);
    let injuries = band(f.serious_injuries, [10, 50, 100]);
    match category {
        Category::Production | Category::Fire => {
            let loss = band(
                f.loss_fen,
                [1000 * WAN_YUAN, 5000 * WAN_YUAN, 10_000 * WAN_YUAN],
            );
            deaths.max(injuries).max(loss)
        }
        Category::ForestFire => {
            let area = band(f.forest_area_centi_ha, [100, 100 * 100, 1000 * 100]);
            deaths.max(injuries).max(area)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;

    fn deaths(n: i64) -> Figures {
        Figures {
            deaths: n,
            ..Figures::default()
        }
    }
    fn injuries(n: i64) -> Figures {
        Figures {
            serious_injuries: n,
            ..Figures::default()
        }
    }
    fn loss(fen: i64) -> Figures {
        Figures {
            loss_fen: fen,
            ..Figures::default()
        }
    }
    fn area(centi_ha: i64) -> Figures {
        Figures {
            forest_area_centi_ha: centi_ha,
            ..Figures::default()
        }
    }

    #[test]
    fn guowuyuanling_493_art_3_deaths_thresholds_include_the_number() {
        for (n, want) in [
            (0, General),
            (2, General),
            (3, Large),
            (9, Large),
            (10, Major),
            (29, Major),
            (30, ExtraMajor),
        ] {
            assert_eq!(
                level_of(Category::Production, &deaths(n)),
                want,
                "{n} deaths"
            );
        }
    }

    #[test]
    fn guowuyuanling_493_art_3_serious_injuries_thresholds_include_the_number() {
        for (n, want) in [
            (9, General),
            (10, Large),
            (49, Large),
            (50, Major),
            (99, Major),
            (100, ExtraMajor),
        ] {
            assert_eq!(
                level_of(Category::Production, &injuries(n)),
                want,
                "{n} injured"
            );
        }
    }

    #[test]
    fn guowuyuanling_493_art_3_direct_loss_thresholds_in_wan_yuan() {
        // 999.99万元 = 9,999,900元 = 999,990,000分; 1000万元 = 1,000,000,000分.
        for (fen, want) in [
            (999_990_000, General),
            (1_000_000_000, Large),
            (4_999_990_000, Large),
            (5_000_000_000, Major),
            (9_999_990_000, Major),
            (10_000_000_000, ExtraMajor),
        ] {
            assert_eq!(level_of(Category::Production, &loss(fen)), want, "{fen} 分");
        }
        // One 分 below 1000万元 is still 一般.
        assert_eq!(level_of(Category::Production, &loss(999_999_999)), General);
    }

    #[test]
    fn guowuyuanling_493_art_3_the_highest_criterion_gives_the_level() {
        let f = Figures {
            deaths: 2,
            serious_injuries: 50,
            loss_fen: 1_000_000_000,
            forest_area_centi_ha: 0,
        };
        assert_eq!(level_of(Category::Production, &f), Major);
        let f = Figures {
            deaths: 30,
            serious_injuries: 0,
            loss_fen: 0,
            forest_area_centi_ha: 0,
        };
        assert_eq!(level_of(Category::Production, &f), ExtraMajor);
        // The burned area does not count for a production accident.
        assert_eq!(level_of(Category::Production, &area(100_000)), General);
    }

    #[test]
    fn gonganbu_2007_fire_levels_use_the_same_thresholds() {
        for (f, want) in [
            (deaths(2), General),
            (deaths(3), Large),
            (deaths(10), Major),
            (deaths(30), ExtraMajor),
            (injuries(9), General),
            (injuries(10), Large),
            (injuries(50), Major),
            (injuries(100), ExtraMajor),
            (loss(999_990_000), General),
            (loss(1_000_000_000), Large),
            (loss(5_000_000_000), Major),
            (loss(10_000_000_000), ExtraMajor),
        ] {
            assert_eq!(level_of(Category::Fire, &f), want, "{f:?}");
        }
    }

    #[test]
    fn senlin_fanghuo_tiaoli_art_40_burned_area_in_hectares() {
        // 0.99公顷 = 99 hundredths.
        for (centi, want) in [
            (0, General),
            (99, General),
            (100, Large),
            (9_999, Large),
            (10_000, Major),
            (99_999, Major),
            (100_000, ExtraMajor),
        ] {
            assert_eq!(
                level_of(Category::ForestFire, &area(centi)),
                want,
                "{centi}/100 公顷"
            );
        }
    }

    #[test]
    fn senlin_fanghuo_tiaoli_art_40_casualties_and_the_highest_criterion() {
        for (f, want) in [
            (deaths(2), General),
            (deaths(3), Large),
            (deaths(9), Large),
            (deaths(10), Major),
            (deaths(29), Major),
            (deaths(30), ExtraMajor),
            (injuries(9), General),
            (injuries(10), Large),
            (injuries(49), Large),
            (injuries(50), Major),
            (injuries(99), Major),
            (injuries(100), ExtraMajor),
        ] {
            assert_eq!(level_of(Category::ForestFire, &f), want, "{f:?}");
        }
        let f = Figures {
            deaths: 1,
            serious_injuries: 0,
            loss_fen: 0,
            forest_area_centi_ha: 150,
        };
        assert_eq!(level_of(Category::ForestFire, &f), Large);
        // The loss does not set a forest fire's level.
        assert_eq!(
            level_of(Category::ForestFire, &loss(10_000_000_000)),
            General
        );
    }

    #[test]
    fn levels_order_by_severity_and_read_back() {
        assert!(General < Large && Large < Major && Major < ExtraMajor);
        for l in Level::ALL {
            assert_eq!(Level::from_words(l.label()), Some(*l));
        }
    }
}
