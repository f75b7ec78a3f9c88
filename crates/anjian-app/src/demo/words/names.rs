//! Names, codes, addresses and phone numbers made from the vocabulary by the pick sequence.

use super::*;

/// Picks one item from a slice; returns "" for an empty slice.
pub(super) fn choose(pick: &mut dyn FnMut(usize) -> usize, items: &[&'static str]) -> &'static str {
    if items.is_empty() {
        return "";
    }
    let i = pick(items.len()) % items.len();
    items.get(i).copied().unwrap_or("")
}

/// Uniform integer in `lo..=hi` (returns `lo` if the range is empty).
pub(super) fn number(pick: &mut dyn FnMut(usize) -> usize, lo: usize, hi: usize) -> usize {
    let span = hi.saturating_sub(lo).saturating_add(1);
    lo + pick(span) % span
}

/// Township name without its 街道/镇/乡 suffix ("临江镇" -> "临江").
pub(super) fn town_stem(town: &str) -> &str {
    for suffix in ["街道", "镇", "乡"] {
        if let Some(stem) = town.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return stem;
        }
    }
    town
}

/// Per-sector business words (used with a legal form) and individual-business
/// shop words (used without one). `None` for unknown sectors.
pub(super) fn profile(sector: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    let p: (&'static [&'static str], &'static [&'static str]) = match sector {
        "mines" => (&["矿业", "石业", "建材", "砂石", "盐化"], &[]),
        "hazchem" => (
            &[
                "化工",
                "精细化工",
                "医药化工",
                "化学",
                "工业气体",
                "石油化工",
            ],
            &["加油站"],
        ),
        "fireworks" => (
            &["烟花", "烟花爆竹", "花炮", "鞭炮烟花"],
            &["烟花爆竹经营部", "烟花爆竹零售点"],
        ),
        "road" => (
            &["运输", "汽车运输", "客运", "物流", "公共交通", "出租车"],
            &["货运部"],
        ),
        "water" => (&["航运", "船务", "港务", "水运"], &["船务部"]),
        "construction" => (
            &[
                "建筑工程",
                "建设工程",
                "建工",
                "路桥工程",
                "装饰工程",
                "市政工程",
            ],
            &[],
        ),
        "fire" => (
            &["商业管理", "酒店管理", "娱乐", "百货"],
            &["宾馆", "大酒店", "KTV", "网吧", "足浴店"],
        ),
        "gas" => (
            &["燃气", "天然气", "液化气", "能源"],
            &["液化气供应站", "瓶装液化气站"],
        ),
        "special_equipment" => (&["电梯", "锅炉", "起重机械", "机械设备", "压力容器"], &[]),
        "industry_trade" => (
            &[
                "机械制造",
                "木业",
                "家具",
                "粮油",
                "食品",
                "纺织",
                "铝业",
                "药业",
                "水泥",
            ],
            &[],
        ),
        "agriculture" => (
            &["农业发展", "生态农业", "农机", "养殖"],
            &["种养专业合作社", "家庭农场", "农机专业合作社"],
        ),
        "commerce" => (
            &["商贸", "物流", "仓储", "超市连锁", "电子商务"],
            &["超市", "商行", "批发部", "饭店"],
        ),
        "culture_tourism" => (
            &["旅游开发", "文化传媒", "酒店管理", "体育发展"],
            &["宾馆", "农家乐", "民宿", "酒店", "网吧"],
        ),
        "urban" => (
            &["物业管理", "环卫", "供水", "市政园林", "广告"],
            &["餐馆", "烧烤店"],
        ),
        "forest_fire" => (&["林业开发", "苗木", "油茶"], &["林场", "油茶专业合作社"]),
        "self_built" => (
            &["置业", "酒店管理"],
            &["宾馆", "民宿", "饭店", "出租屋", "小吃店"],
        ),
        "e_salute" => (&["庆典用品", "电子科技"], &["电子礼炮经营部", "庆典用品店"]),
        "alcohol_fuel" => (&["新能源", "生物科技", "醇基燃料"], &["燃料经营部"]),
        _ => return None,
    };
    Some(p)
}

pub(super) fn campus_name(
    pick: &mut dyn FnMut(usize) -> usize,
    county: &str,
    town: &str,
    trade: &str,
) -> String {
    let stem = town_stem(town);
    match pick(6) {
        0 => format!("{county}{stem}中学"),
        1 => format!("{county}{stem}中心小学"),
        2 => format!("{county}{town}中心幼儿园"),
        3 => format!("{county}{town}{}小学", choose(pick, VILLAGE_STEMS)),
        4 => format!("{county}{trade}幼儿园"),
        _ => {
            let ordinal = choose(pick, &["第一", "第二", "第三", "第四", "第五", "实验"]);
            let kind = choose(pick, &["中学", "小学", "初级中学"]);
            format!("{county}{ordinal}{kind}")
        }
    }
}

pub(super) fn health_name(
    pick: &mut dyn FnMut(usize) -> usize,
    county: &str,
    town: &str,
    trade: &str,
) -> String {
    match pick(6) {
        0 if town.ends_with("街道") => format!("{county}{town}社区卫生服务中心"),
        0 => format!("{county}{town}卫生院"),
        1 => format!("{county}{town}{}村卫生室", choose(pick, VILLAGE_STEMS)),
        2 => format!("{county}{trade}医院"),
        3 => format!("{county}{trade}诊所"),
        4 => format!("{county}{trade}护理院"),
        _ => {
            let kind = choose(pick, &["中医", "口腔", "骨科", "妇产", "眼科", "康复"]);
            format!("{county}{trade}{kind}医院")
        }
    }
}

/// A plausible enterprise name for a sector.
pub fn enterprise_name(
    pick: &mut dyn FnMut(usize) -> usize,
    county: &str,
    town: &str,
    sector: &str,
) -> String {
    let trade = choose(pick, TRADE_NAMES);
    match sector {
        "campus" => return campus_name(pick, county, town, trade),
        "health" => return health_name(pick, county, town, trade),
        _ => {}
    }
    let Some((biz, shops)) = profile(sector) else {
        return format!("{county}{trade}商贸有限公司");
    };
    if !shops.is_empty() && pick(3) == 0 {
        // Individual business (个体户) style, e.g. "樟树市临江镇鑫源饭店".
        return format!("{county}{town}{trade}{}", choose(pick, shops));
    }
    let with_town = !town.is_empty() && pick(2) == 0;
    let word = choose(pick, biz);
    let form = choose(pick, LEGAL_FORMS);
    if with_town {
        format!("{county}{town}{trade}{word}{form}")
    } else {
        format!("{county}{trade}{word}{form}")
    }
}

/// Candidate GB/T 4754-2017 小类 codes per sector.
pub(super) fn industry_codes(sector: &str) -> &'static [&'static str] {
    match sector {
        "mines" => &["B1011", "B1012", "B1019", "B1030", "B1099"],
        "hazchem" => &[
            "C2614", "C2611", "C2613", "C2619", "C2641", "F5162", "F5265",
        ],
        "fireworks" => &["C2672", "C2672", "C2671", "F5299"],
        "road" => &["G5431", "G5435", "G5411", "G5413", "G5421", "G5441"],
        "water" => &["G5512", "G5513", "G5523", "G5532"],
        "construction" => &[
            "E4710", "E4790", "E4812", "E4813", "E4822", "E5011", "E5012",
        ],
        "fire" => &["H6110", "H6210", "R9011", "R9013", "F5211", "F5212"],
        "gas" => &["D4511", "D4512"],
        "special_equipment" => &["C3411", "C3435", "E4920", "K7020"],
        "industry_trade" => &[
            "C3011", "C3311", "C1311", "C2730", "C2740", "C2110", "C1711", "C3252", "C1331",
        ],
        "campus" => &["P8310", "P8321", "P8331", "P8334", "P8336"],
        "agriculture" => &["A0111", "A0141", "A0313", "A0321", "A0412", "A0512"],
        "health" => &[
            "Q8411", "Q8412", "Q8421", "Q8423", "Q8424", "Q8425", "Q8514",
        ],
        "commerce" => &["F5299", "G5990", "F5212", "G5920", "G5960", "G6020"],
        "culture_tourism" => &["H6110", "H6130", "R8930", "R9020", "L7291"],
        "urban" => &["K7020", "N7820", "D4610", "N7810", "E4813"],
        "forest_fire" => &["A0212", "A0220", "A0241", "A0162"],
        "self_built" => &["H6210", "H6130", "F5299", "K7040"],
        "e_salute" => &["C3989", "F5299"],
        "alcohol_fuel" => &["C2669", "F5295"],
        _ => &["F5299"],
    }
}

/// A plausible GB/T 4754-2017 小类 code for a sector.
pub fn industry_code(pick: &mut dyn FnMut(usize) -> usize, sector: &str) -> &'static str {
    let code = choose(pick, industry_codes(sector));
    if code.is_empty() { "F5299" } else { code }
}

/// A person's full name: surname plus one or two given-name characters.
pub fn person_name(pick: &mut dyn FnMut(usize) -> usize) -> String {
    let mut name = String::from(choose(pick, SURNAMES));
    name.push_str(choose(pick, GIVEN_CHARS));
    if pick(3) != 0 {
        name.push_str(choose(pick, GIVEN_CHARS));
    }
    name
}

/// A street or village address inside a township.
pub fn address(pick: &mut dyn FnMut(usize) -> usize, town: &str, village: &str) -> String {
    let urban = town.ends_with("街道");
    if village.is_empty() || (urban && pick(2) == 0) || (!urban && pick(3) == 0) {
        let road = choose(pick, ROADS);
        return format!("{town}{road}{}号", number(pick, 1, 288));
    }
    if urban {
        let building = number(pick, 1, 30);
        let unit = number(pick, 1, 4);
        format!("{town}{village}社区{building}栋{unit}单元")
    } else {
        format!("{town}{village}村{}组", number(pick, 1, 15))
    }
}

/// An 11-digit mobile number starting with 13x/15x/18x/19x.
pub fn mobile(pick: &mut dyn FnMut(usize) -> usize) -> String {
    let prefix = choose(pick, MOBILE_PREFIXES);
    let mut s = String::from(if prefix.is_empty() { "138" } else { prefix });
    for _ in 0..8 {
        let d = (pick(10) % 10) as u32;
        s.push(char::from_digit(d, 10).unwrap_or('0'));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    pub(super) fn lcg(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed;
        move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n.max(1)
        }
    }

    pub(super) fn distinct(items: &[&str]) -> bool {
        items.iter().collect::<HashSet<_>>().len() == items.len()
    }

    #[test]
    pub(super) fn townships_are_distinct_and_ordered() {
        let names: Vec<&str> = TOWNSHIPS.iter().map(|t| t.0).collect();
        assert!(distinct(&names));
        for (i, (name, kind)) in TOWNSHIPS.iter().enumerate() {
            let want = if i < 4 {
                "街道"
            } else if i < 17 {
                "镇"
            } else {
                "乡"
            };
            assert_eq!(*kind, want);
            assert!(name.ends_with(kind));
        }
    }

    #[test]
    pub(super) fn word_lists_are_large_and_distinct() {
        assert!(VILLAGE_STEMS.len() >= 120 && distinct(VILLAGE_STEMS));
        assert!(VILLAGE_STEMS.iter().all(|v| v.chars().count() == 2));
        assert!(TRADE_NAMES.len() >= 80 && distinct(TRADE_NAMES));
        assert!(SURNAMES.len() >= 60 && distinct(SURNAMES));
        assert!(GIVEN_CHARS.len() >= 100 && distinct(GIVEN_CHARS));
    }

    #[test]
    pub(super) fn departments_and_sectors_are_consistent() {
        let full: Vec<&str> = DEPARTMENTS.iter().map(|d| d.0).collect();
        let short: Vec<&str> = DEPARTMENTS.iter().map(|d| d.1).collect();
        assert!(distinct(&full) && distinct(&short));
        let codes: Vec<&str> = SECTORS.iter().map(|s| s.0).collect();
        assert!(distinct(&codes));
        for d in DEPARTMENTS.iter() {
            for code in d.5.iter() {
                assert!(
                    codes.contains(code),
                    "{} supervises unknown sector {}",
                    d.0,
                    code
                );
            }
        }
        assert!(
            DEPARTMENTS
                .iter()
                .any(|d| d.0 == "应急管理局" && d.1 == "应急局")
        );
    }

    pub(super) fn letter_range(letter: char) -> Option<(u32, u32)> {
        Some(match letter {
            'A' => (1, 5),
            'B' => (6, 12),
            'C' => (13, 43),
            'D' => (44, 46),
            'E' => (47, 50),
            'F' => (51, 52),
            'G' => (53, 60),
            'H' => (61, 62),
            'I' => (63, 65),
            'J' => (66, 69),
            'K' => (70, 70),
            'L' => (71, 72),
            'M' => (73, 75),
            'N' => (76, 79),
            'O' => (80, 82),
            'P' => (83, 83),
            'Q' => (84, 85),
            'R' => (86, 90),
            'S' => (91, 96),
            _ => return None,
        })
    }

    pub(super) fn valid_code(code: &str) -> bool {
        let mut chars = code.chars();
        let Some(letter) = chars.next() else {
            return false;
        };
        let digits: String = chars.collect();
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        let major: u32 = digits.get(0..2).and_then(|s| s.parse().ok()).unwrap_or(0);
        matches!(letter_range(letter), Some((lo, hi)) if major >= lo && major <= hi)
    }

    #[test]
    pub(super) fn industry_codes_match_their_letter() {
        let mut pick = lcg(7);
        for (sector, _) in SECTORS.iter().chain([("unknown", "")].iter()) {
            for code in industry_codes(sector) {
                assert!(valid_code(code), "{sector}: {code}");
            }
            for _ in 0..20 {
                let code = industry_code(&mut pick, sector);
                assert!(valid_code(code), "{sector}: {code}");
            }
        }
    }

    #[test]
    pub(super) fn enterprise_names_are_mostly_distinct() {
        let mut pick = lcg(2024);
        let mut seen = HashSet::new();
        for i in 0..1000 {
            let sector = SECTORS[i % SECTORS.len()].0;
            let town = TOWNSHIPS[pick(TOWNSHIPS.len())].0;
            let name = enterprise_name(&mut pick, "樟树市", town, sector);
            assert!(name.starts_with("樟树市"));
            seen.insert(name);
        }
        assert!(seen.len() >= 900, "only {} distinct", seen.len());
        assert!(enterprise_name(&mut pick, "樟树市", "", "nope").ends_with("商贸有限公司"));
    }

    #[test]
    pub(super) fn people_addresses_and_phones() {
        let mut pick = lcg(1);
        for _ in 0..200 {
            let n = person_name(&mut pick).chars().count();
            assert!((2..=3).contains(&n));
            let m = mobile(&mut pick);
            assert_eq!(m.len(), 11);
            assert!(m.chars().all(|c| c.is_ascii_digit()));
            assert!(["13", "15", "18", "19"].iter().any(|p| m.starts_with(p)));
            let a = address(&mut pick, "洲上乡", "石塘");
            assert!(a.starts_with("洲上乡") && (a.ends_with('号') || a.ends_with('组')));
            let b = address(&mut pick, "淦阳街道", "");
            assert!(b.ends_with('号'));
        }
    }

    #[test]
    pub(super) fn deterministic_given_pick_sequence() {
        let (mut a, mut b) = (lcg(99), lcg(99));
        for (sector, _) in SECTORS.iter() {
            assert_eq!(
                enterprise_name(&mut a, "樟树市", "临江镇", sector),
                enterprise_name(&mut b, "樟树市", "临江镇", sector)
            );
        }
    }
}
