//! Deterministic Chinese vocabulary for the demo county.
//!
//! All township, village, enterprise and person names in this module are
//! invented for demonstration purposes. They are plausible Jiangxi-style
//! names but do not claim to describe real places, organisations or people.
//!
//! Randomness is injected by the caller through `pick`, which must return a
//! uniform index in `0..n` for the given `n >= 1`. Every function here is a
//! pure function of the pick sequence, so the demo data is reproducible.

/// 20 township records: (name, kind). 4 sub-districts, 13 towns, 3 townships.
pub const TOWNSHIPS: [(&str, &str); 20] = [
    ("淦阳街道", "街道"),
    ("福城街道", "街道"),
    ("药都街道", "街道"),
    ("江滨街道", "街道"),
    ("临江镇", "镇"),
    ("永泰镇", "镇"),
    ("清溪镇", "镇"),
    ("石门镇", "镇"),
    ("枫岭镇", "镇"),
    ("阁山镇", "镇"),
    ("仁和镇", "镇"),
    ("观上镇", "镇"),
    ("义成镇", "镇"),
    ("店下镇", "镇"),
    ("金田镇", "镇"),
    ("中洲镇", "镇"),
    ("太平镇", "镇"),
    ("洲上乡", "乡"),
    ("双金乡", "乡"),
    ("荷塘乡", "乡"),
];

/// Village / community name stems (two characters each).
pub const VILLAGE_STEMS: &[&str] = &[
    "枫林", "石塘", "桥头", "上湖", "下湖", "新村", "老屋", "田心", "塘背", "港口", "洲头", "河东",
    "河西", "山下", "坪上", "岭背", "竹园", "樟坑", "荷塘", "长岗", "高坪", "杨柳", "东湖", "西坑",
    "南岸", "北岭", "大塘", "小塘", "黄泥", "白沙", "青山", "红星", "联合", "团结", "胜利", "和平",
    "光明", "建新", "前进", "红旗", "朝阳", "东风", "金星", "民主", "合心", "友爱", "永丰", "长丰",
    "丰收", "新塘", "新屋", "下坊", "上坊", "中坊", "陈家", "李家", "刘家", "黄家", "杨家", "熊家",
    "胡家", "邹家", "聂家", "周家", "吴家", "罗家", "袁家", "敖家", "涂家", "彭家", "万家", "余家",
    "徐家", "程家", "湖塘", "湖背", "港背", "港下", "江边", "沙湖", "沙港", "泥湾", "柏树", "松山",
    "桐木", "桃源", "梅岭", "杏园", "杉林", "竹山", "莲塘", "荷花", "芦洲", "蒲塘", "柳溪", "花园",
    "茶园", "药圃", "药湖", "香樟", "樟岭", "樟溪", "石桥", "石岭", "石坑", "石湾", "岗上", "岗下",
    "坑口", "垅上", "垅下", "塘头", "塘尾", "坊前", "坊后", "店前", "店后", "圩上", "墟头", "渡口",
    "埠头", "洲尾", "洲心", "湾里", "湾头", "铺前", "庙前", "寺前", "亭下", "牌楼", "坝上", "堤下",
    "桥东", "桥西",
];

/// Departments: (full name, short name, is_member_unit, has_supervision_duty,
/// is_industry_authority, supervised sector codes). The county name is
/// prefixed by the caller.
/// (full name, short name, member unit, supervision duty, industry authority, sectors).
pub type DepartmentSpec = (
    &'static str,
    &'static str,
    bool,
    bool,
    bool,
    &'static [&'static str],
);

pub const DEPARTMENTS: [DepartmentSpec; 25] = [
    (
        "应急管理局",
        "应急局",
        true,
        true,
        true,
        &["mines", "hazchem", "fireworks", "industry_trade"],
    ),
    (
        "住房和城乡建设局",
        "住建局",
        true,
        true,
        true,
        &["construction", "gas", "self_built"],
    ),
    ("交通运输局", "交通局", true, true, true, &["road", "water"]),
    ("消防救援大队", "消防大队", true, true, true, &["fire"]),
    (
        "市场监督管理局",
        "市场监管局",
        true,
        true,
        true,
        &["special_equipment", "e_salute", "alcohol_fuel"],
    ),
    ("教育体育局", "教体局", true, true, true, &["campus"]),
    (
        "农业农村局",
        "农业农村局",
        true,
        true,
        true,
        &["agriculture"],
    ),
    ("卫生健康委员会", "卫健委", true, true, true, &["health"]),
    (
        "商务局",
        "商务局",
        true,
        true,
        true,
        &["commerce", "alcohol_fuel"],
    ),
    (
        "文化广电新闻出版旅游局",
        "文广新旅局",
        true,
        true,
        true,
        &["culture_tourism"],
    ),
    ("城市管理局", "城管局", true, true, true, &["urban"]),
    ("林业局", "林业局", true, true, true, &["forest_fire"]),
    (
        "公安局",
        "公安局",
        true,
        true,
        true,
        &["road", "fireworks", "e_salute"],
    ),
    ("自然资源局", "自然资源局", true, true, true, &["mines"]),
    ("水利局", "水利局", true, true, true, &[]),
    (
        "工业和信息化局",
        "工信局",
        true,
        true,
        true,
        &["industry_trade"],
    ),
    ("发展和改革委员会", "发改委", true, true, false, &[]),
    ("生态环境局", "生态环境局", true, true, false, &[]),
    ("民政局", "民政局", true, true, true, &[]),
    ("人力资源和社会保障局", "人社局", true, false, false, &[]),
    ("财政局", "财政局", true, false, false, &[]),
    ("气象局", "气象局", true, true, false, &[]),
    ("供电公司", "供电公司", true, false, false, &[]),
    ("邮政管理局", "邮管局", true, true, true, &["commerce"]),
    ("宣传部", "宣传部", true, false, false, &[]),
];

/// Sector catalogue: (code, Chinese name).
pub const SECTORS: [(&str, &str); 20] = [
    ("mines", "非煤矿山"),
    ("hazchem", "危险化学品"),
    ("fireworks", "烟花爆竹"),
    ("road", "道路交通"),
    ("water", "水上交通"),
    ("construction", "建筑施工"),
    ("fire", "消防"),
    ("gas", "城镇燃气"),
    ("special_equipment", "特种设备"),
    ("industry_trade", "工贸（粉尘防爆）"),
    ("campus", "校园"),
    ("agriculture", "农业农村"),
    ("health", "卫生健康"),
    ("commerce", "商贸物流"),
    ("culture_tourism", "文体旅游"),
    ("urban", "城市运行"),
    ("forest_fire", "森林防灭火"),
    ("self_built", "自建房"),
    ("e_salute", "电子礼炮"),
    ("alcohol_fuel", "醇基燃料"),
];

/// Brand-like two-character trade names (字号).
const TRADE_NAMES: &[&str] = &[
    "鑫源", "华泰", "恒通", "宏达", "金盛", "顺发", "兴隆", "永安", "昌盛", "瑞丰", "天诚", "嘉禾",
    "联创", "富民", "金鹏", "博远", "泰和", "丰源", "华兴", "宏图", "正邦", "银河", "新锐", "中盛",
    "利民", "长青", "汇丰", "明达", "振兴", "盛达", "鸿运", "同兴", "金源", "宝丰", "润泽", "天翔",
    "隆鑫", "信诚", "锦程", "远航", "凯达", "金诺", "德润", "腾飞", "众鑫", "福达", "祥和", "万利",
    "安泰", "宏盛", "和顺", "益民", "华瑞", "东升", "金桥", "绿源", "赣通", "江南", "赣中", "袁河",
    "樟洲", "金阳", "荣昌", "友谊", "大成", "通达", "恒丰", "百川", "鼎盛", "骏达", "晨光", "卓越",
    "新华", "宏源", "聚福", "鹏程", "兴旺", "华康", "金帆", "永盛", "伟业", "森茂", "欣荣", "诚信",
    "立信", "天宇", "佳和", "金城", "恒昌", "宏远",
];

/// Legal-form suffixes, weighted towards the plain limited company.
const LEGAL_FORMS: &[&str] = &[
    "有限公司",
    "有限公司",
    "有限公司",
    "有限责任公司",
    "股份有限公司",
];

const SURNAMES: &[&str] = &[
    "刘", "黄", "杨", "熊", "胡", "邹", "聂", "晏", "王", "李", "张", "陈", "吴", "周", "徐", "孙",
    "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "丁", "魏",
    "叶", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚", "谭",
    "廖", "付", "万", "涂", "喻", "敖", "龚", "江", "易", "肖", "邱", "饶", "简",
];

const GIVEN_CHARS: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀", "霞", "平", "刚", "桂", "英", "华", "文", "辉", "建", "国", "海", "林", "斌", "波", "玲",
    "红", "新", "春", "云", "峰", "鹏", "志", "宇", "浩", "俊", "婷", "燕", "慧", "琴", "萍", "兰",
    "飞", "亮", "东", "晨", "欣", "雪", "梅", "龙", "坤", "鑫", "凯", "昊", "佳", "怡", "丹", "颖",
    "宁", "思", "雨", "博", "振", "荣", "生", "福", "贵", "根", "水", "发", "德", "金", "银", "保",
    "安", "庆", "乐", "民", "晓", "小", "永", "清", "正", "成", "良", "和", "智", "祥", "卫", "彬",
    "莉", "娟", "霖", "琳", "嘉", "航", "轩", "泽",
];

const ROADS: &[&str] = &[
    "沿江路",
    "建设路",
    "人民路",
    "解放路",
    "药都大道",
    "中山路",
    "府前路",
    "滨江大道",
    "迎宾大道",
    "站前路",
    "新华路",
    "工业大道",
    "环城路",
    "兴业路",
    "商贸街",
    "老街",
    "育才路",
    "健康路",
    "朝阳路",
    "袁河路",
];

const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "184", "185", "186",
    "187", "188", "189", "191", "193", "195", "198", "199",
];

/// Picks one item from a slice; returns "" for an empty slice.
fn choose(pick: &mut dyn FnMut(usize) -> usize, items: &[&'static str]) -> &'static str {
    if items.is_empty() {
        return "";
    }
    let i = pick(items.len()) % items.len();
    items.get(i).copied().unwrap_or("")
}

/// Uniform integer in `lo..=hi` (returns `lo` if the range is empty).
fn number(pick: &mut dyn FnMut(usize) -> usize, lo: usize, hi: usize) -> usize {
    let span = hi.saturating_sub(lo).saturating_add(1);
    lo + pick(span) % span
}

/// Township name without its 街道/镇/乡 suffix ("临江镇" -> "临江").
fn town_stem(town: &str) -> &str {
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
fn profile(sector: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
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

fn campus_name(
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

fn health_name(
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
fn industry_codes(sector: &str) -> &'static [&'static str] {
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

    fn lcg(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed;
        move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n.max(1)
        }
    }

    fn distinct(items: &[&str]) -> bool {
        items.iter().collect::<HashSet<_>>().len() == items.len()
    }

    #[test]
    fn townships_are_distinct_and_ordered() {
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
    fn word_lists_are_large_and_distinct() {
        assert!(VILLAGE_STEMS.len() >= 120 && distinct(VILLAGE_STEMS));
        assert!(VILLAGE_STEMS.iter().all(|v| v.chars().count() == 2));
        assert!(TRADE_NAMES.len() >= 80 && distinct(TRADE_NAMES));
        assert!(SURNAMES.len() >= 60 && distinct(SURNAMES));
        assert!(GIVEN_CHARS.len() >= 100 && distinct(GIVEN_CHARS));
    }

    #[test]
    fn departments_and_sectors_are_consistent() {
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

    fn letter_range(letter: char) -> Option<(u32, u32)> {
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

    fn valid_code(code: &str) -> bool {
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
    fn industry_codes_match_their_letter() {
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
    fn enterprise_names_are_mostly_distinct() {
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
    fn people_addresses_and_phones() {
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
    fn deterministic_given_pick_sequence() {
        let (mut a, mut b) = (lcg(99), lcg(99));
        for (sector, _) in SECTORS.iter() {
            assert_eq!(
                enterprise_name(&mut a, "樟树市", "临江镇", sector),
                enterprise_name(&mut b, "樟树市", "临江镇", sector)
            );
        }
    }
}
