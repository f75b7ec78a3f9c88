//! The demo county's shape: how many enterprises of each sector, which industries were
//! newly assigned to a department, and the seeded random stream everything is drawn from.

/// SplitMix64: small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n >= 1).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

/// How many enterprises per sector (sums to 3,000).
pub(super) const ENTERPRISES_PER_SECTOR: [(&str, usize); 18] = [
    ("commerce", 394),
    ("industry_trade", 460),
    ("construction", 250),
    ("fire", 260),
    ("road", 210),
    ("culture_tourism", 200),
    ("special_equipment", 150),
    ("agriculture", 150),
    ("campus", 130),
    ("health", 120),
    ("hazchem", 120),
    ("gas", 80),
    ("urban", 80),
    ("fireworks", 186),
    ("mines", 45),
    ("alcohol_fuel", 95),
    ("water", 40),
    ("e_salute", 30),
];

/// The first enterprises of the 烟花爆竹 sector are its producers (生产企业), the others
/// retail outlets (零售经营网点), as in a county with a handful of factories and a shop in
/// every township.
pub(super) const FIREWORKS_PRODUCERS: usize = 6;

/// Newly assigned industries (新兴行业领域): the government's decision of 2022 named the
/// department supervising each (sector code, name, department short name, note). The first
/// two are in the shipped sector catalogue; the others are added to the demo's.
pub(super) const NEW_INDUSTRIES: [(&str, &str, &str, &str); 12] = [
    (
        "e_salute",
        "电子礼炮",
        "",
        "按照业务相近原则明确电子礼炮新业态安全监管职责",
    ),
    (
        "alcohol_fuel",
        "醇基燃料",
        "",
        "明确醇基燃料生产、经营、使用环节监管职责",
    ),
    (
        "ebike_charging",
        "电动自行车集中充电场所",
        "消防大队",
        "明确电动自行车集中充电场所消防安全监管职责",
    ),
    (
        "script_venues",
        "剧本娱乐经营场所",
        "文广新旅局",
        "明确剧本杀等剧本娱乐经营场所安全监管职责",
    ),
    (
        "escape_rooms",
        "密室逃脱类场所",
        "文广新旅局",
        "明确密室逃脱类场所安全监管职责",
    ),
    (
        "homestays",
        "乡村民宿",
        "文广新旅局",
        "明确乡村民宿安全监管职责",
    ),
    (
        "campsites",
        "露营地",
        "文广新旅局",
        "明确露营地安全监管职责",
    ),
    (
        "thrill_attractions",
        "玻璃栈道等网红游乐项目",
        "市场监管局",
        "明确玻璃栈道、网红桥等游乐项目安全监管职责",
    ),
    (
        "trampoline_parks",
        "蹦床公园",
        "教体局",
        "明确蹦床公园等室内运动场所安全监管职责",
    ),
    (
        "energy_storage",
        "新型储能电站",
        "发改委",
        "明确新型储能电站安全监管职责",
    ),
    (
        "rooftop_pv",
        "分布式光伏发电",
        "发改委",
        "明确分布式光伏发电项目安全监管职责",
    ),
    (
        "ev_charging",
        "电动汽车充换电站",
        "发改委",
        "明确电动汽车充换电站安全监管职责",
    ),
];

/// The decision that assigned them.
pub(super) const NEW_INDUSTRY_DECISION: (&str, &str) = ("清府办字〔2022〕18号", "2022-03-15");

/// The decision's title.
pub(super) const NEW_INDUSTRY_DOC_TITLE: &str = "《关于明确新兴行业领域安全监管职责的通知》";

/// The day of the departments' 三定方案: they hold their other sectors from it.
pub(super) const SANDING_DAY: &str = "2019-03-28";

/// The `i`th demo department's 三定方案: title and number.
pub(super) fn sanding_doc(i: usize, full_name: &str) -> (String, String) {
    (
        format!("《{full_name}职能配置、内设机构和人员编制规定》"),
        format!("清办字〔2019〕{}号", 20 + i),
    )
}
