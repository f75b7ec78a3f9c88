//! Deterministic Chinese vocabulary for the demo county.
//!
//! All township, village, enterprise and person names in this module are
//! invented for demonstration purposes. They are plausible Jiangxi-style
//! names but do not claim to describe real places, organisations or people.
//!
//! Randomness is injected by the caller through `pick`, which must return a
//! uniform index in `0..n` for the given `n >= 1`. Every function here is a
//! pure function of the pick sequence, so the demo data is reproducible.

mod names;
pub use names::*;

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
