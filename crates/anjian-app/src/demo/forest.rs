//! The demo county's forest-fire prevention (森林防灭火) of 2022: the 2021—2022 and
//! 2022—2023 fire seasons; three state forest farms; the chain of each of the sixteen rural
//! townships (a 林长 for the township, a 网格员 for each forested village, a 护林员 on every
//! hill), six checkpoints each season with their staff and daily registers; weekly patrols
//! in the seasons (a few finding illegal use of fire or a hazard); the county's duty roster;
//! and the equipment of the source report — 12 drones and 45 high-lift pumps bought for 245
//! 万元 and 120 pumps donated by a state-owned company, handed to the 16 townships and the 3
//! farms. The report's "添置了防火勘察无人机**架、高扬程消防水泵**台 … 发放到**个乡镇、
//! *个国有林场" is counted from these records.

use super::{Rng, Town};
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::forest::{Acquisition, EquipmentKind, FarmKind, Finding, Level, WardenRole};
use anjian_store::forest::{
    CheckpointInput, CheckpointLogInput, DutyInput, EquipmentInput, FarmInput, HandoverInput,
    PatchInput, PatrolInput, Recipient, SeasonInput, WardenInput,
};
use chrono::{Duration, NaiveDate};

/// The rural townships (镇、乡) of the demo, by index: the forested ones.
const FOREST_TOWNS: std::ops::RangeInclusive<usize> = 4..=19;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "胡", "朱", "林", "何", "罗", "钟",
    "邹", "熊", "袁", "彭", "曾", "肖", "邓", "谢", "傅", "易", "晏", "聂", "简", "漆",
];
const GIVEN: &[&str] = &[
    "春生", "木根", "水生", "冬林", "国华", "建平", "小兵", "桂林", "德明", "火根", "志刚", "新民",
    "长青", "金发", "秋华", "满生", "细毛", "海平", "红梅", "玉兰",
];
const HILLS: &[&str] = &[
    "后龙山",
    "大坳山",
    "松树岭",
    "杉木坑",
    "茶子山",
    "鸡公岭",
    "老虎坳",
    "竹山坞",
    "黄泥岗",
    "石峰尖",
    "樟树垅",
    "枫树坳",
];
const SPECIES: &[&str] = &["马尾松", "杉木", "油茶", "樟树", "毛竹", "湿地松"];
const FARMS: &[(&str, FarmKind, usize)] = &[
    ("阁山国有林场", FarmKind::ForestFarm, 9),
    ("洲上国有林场", FarmKind::ForestFarm, 17),
    ("太平国有农场", FarmKind::Farm, 16),
];
const ILLEGAL_FIRE: &[&str] = &[
    "发现村民在林缘焚烧田埂杂草，当场制止并扑灭余火，批评教育",
    "发现祭祀人员在坟前烧纸燃香，收缴火种并劝离",
    "发现游客在林区野炊，责令熄灭并登记身份信息，移交乡镇处理",
];
const HAZARDS: &[&str] = &[
    "防火隔离带杂草未清理，已报乡镇安排清理",
    "林区高压线下方枯枝堆积，已告知供电所处理",
    "防火宣传牌损毁，已登记更换",
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(SURNAMES).copied().unwrap_or("王"),
        rng.pick(GIVEN).copied().unwrap_or("林")
    )
}

fn phone(rng: &mut Rng) -> String {
    format!("13{}{:08}", 5 + rng.below(5), rng.below(100_000_000))
}

/// Writes the forest records; answers how many.
pub(super) fn generate(app: &App, seed: u64, towns: &[Town]) -> Result<usize> {
    // A stream of its own, so the rest of the demo stays as it was.
    let mut rng = Rng::new(seed ^ 0xF0_4E_57);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let county = super::DEMO_COUNTY_CODE.to_string();
    let mut n = 0;

    let seasons = [
        ("2021—2022年度森林防火期", "2021-10-01", "2022-04-30"),
        ("2022—2023年度森林防火期", "2022-09-12", "2023-04-30"),
    ]
    .iter()
    .map(|(name, from, to)| {
        app.store.create_forest_season(
            &change,
            &SeasonInput {
                region_code: county.clone(),
                name: (*name).into(),
                starts_on: day(from),
                ends_on: day(to),
            },
        )
    })
    .collect::<std::result::Result<Vec<_>, _>>()?;
    n += seasons.len();

    let mut farms = Vec::new();
    for (name, kind, town) in FARMS {
        let Some((code, ..)) = towns.get(*town) else {
            continue;
        };
        farms.push(app.store.create_forest_farm(
            &change,
            &FarmInput {
                region_code: code.clone(),
                name: (*name).into(),
                kind: *kind,
                note: String::new(),
            },
        )?);
        n += 1;
    }

    // The chain: the county's 林长 (the vice-mayor in charge), then each township's.
    let forest_towns: Vec<&Town> = towns
        .iter()
        .enumerate()
        .filter(|(i, _)| FOREST_TOWNS.contains(i))
        .map(|(_, t)| t)
        .collect();
    let mut hills = Vec::new();
    for (code, _, villages) in &forest_towns {
        let forested = 2 + rng.below(3);
        for (vcode, vname) in villages.iter().take(forested) {
            // Distinct hill names in a village: a refused duplicate would use up an id on
            // PostgreSQL and not on SQLite, and the demo must be the same on both.
            let first = rng.below(HILLS.len());
            for k in 0..(2 + rng.below(3)) {
                let hill = HILLS[(first + k) % HILLS.len()];
                let p = app.store.create_forest_patch(
                    &change,
                    &PatchInput {
                        region_code: vcode.clone(),
                        name: format!("{vname}{hill}"),
                        area_centi_mu: ((300 + rng.below(2400)) * 100 + rng.below(100)) as i64,
                        species: rng.pick(SPECIES).copied().unwrap_or("杉木").into(),
                        farm_id: None,
                        note: String::new(),
                    },
                )?;
                hills.push((code.clone(), p));
                n += 1;
            }
        }
        // A farm's hills lie at the township.
        for f in farms.iter().filter(|f| f.region_code == *code) {
            for k in 1..=3 {
                let p = app.store.create_forest_patch(
                    &change,
                    &PatchInput {
                        region_code: code.clone(),
                        name: format!("{}第{k}林班", f.name),
                        area_centi_mu: ((2000 + rng.below(5000)) * 100) as i64,
                        species: rng.pick(SPECIES).copied().unwrap_or("杉木").into(),
                        farm_id: Some(f.id),
                        note: String::new(),
                    },
                )?;
                hills.push((code.clone(), p));
                n += 1;
            }
        }
    }

    // Each hill's ranger, the same in both seasons.
    let rangers: Vec<(String, String)> = hills
        .iter()
        .map(|_| (person(&mut rng), phone(&mut rng)))
        .collect();
    let mut checkpoints = Vec::new();
    for season in &seasons {
        let w = |level: Level,
                 role: WardenRole,
                 region: &str,
                 patch: Option<i64>,
                 checkpoint: Option<i64>,
                 name: String,
                 post: &str,
                 phone: String|
         -> Result<()> {
            app.store.create_forest_warden(
                &change,
                &WardenInput {
                    season_id: season.id,
                    level,
                    region_code: region.into(),
                    patch_id: patch,
                    checkpoint_id: checkpoint,
                    role,
                    name,
                    post: post.into(),
                    phone,
                },
            )?;
            Ok(())
        };
        let mut prng = Rng::new(seed ^ 0xF0_4E_58);
        w(
            Level::County,
            WardenRole::ForestChief,
            &county,
            None,
            None,
            "郑伟".into(),
            "副市长",
            phone(&mut prng),
        )?;
        n += 1;
        for (code, _, villages) in &forest_towns {
            w(
                Level::Township,
                WardenRole::ForestChief,
                code,
                None,
                None,
                person(&mut prng),
                "乡镇长",
                phone(&mut prng),
            )?;
            w(
                Level::Township,
                WardenRole::Supervisor,
                code,
                None,
                None,
                person(&mut prng),
                "分管副乡镇长",
                phone(&mut prng),
            )?;
            n += 2;
            for (vcode, _) in villages {
                if !hills.iter().any(|(_, p)| p.region_code == *vcode) {
                    continue;
                }
                w(
                    Level::Village,
                    WardenRole::ForestChief,
                    vcode,
                    None,
                    None,
                    person(&mut prng),
                    "村党支部书记",
                    phone(&mut prng),
                )?;
                w(
                    Level::Village,
                    WardenRole::Grid,
                    vcode,
                    None,
                    None,
                    person(&mut prng),
                    "村委委员",
                    phone(&mut prng),
                )?;
                n += 2;
            }
        }
        for ((_, p), (name, tel)) in hills.iter().zip(&rangers) {
            w(
                Level::Patch,
                WardenRole::Ranger,
                &p.region_code,
                Some(p.id),
                None,
                name.clone(),
                "生态护林员",
                tel.clone(),
            )?;
            n += 1;
        }
        // Six checkpoints at the main entrances to the mountains, two staff each.
        for (i, (code, name, _)) in forest_towns.iter().rev().take(6).enumerate() {
            let cp = app.store.create_forest_checkpoint(
                &change,
                &CheckpointInput {
                    season_id: season.id,
                    region_code: code.clone(),
                    name: format!("{name}进山路口防火检查站"),
                    location: format!("{name}林区{}号进山路口", i + 1),
                },
            )?;
            for _ in 0..2 {
                w(
                    Level::Checkpoint,
                    WardenRole::CheckpointStaff,
                    code,
                    None,
                    Some(cp.id),
                    person(&mut prng),
                    "乡镇干部",
                    phone(&mut prng),
                )?;
                n += 1;
            }
            checkpoints.push((season.clone(), cp));
            n += 1;
        }
    }

    // The registers: every day of the seasons within 2022, more on the festival days.
    let year_end = day("2022-12-31");
    for (season, cp) in &checkpoints {
        let mut d = season.starts_on.max(day("2022-01-01"));
        let last = season.ends_on.min(year_end);
        while d <= last {
            let busy = matches!(
                d.format("%m-%d").to_string().as_str(),
                "04-03" | "04-04" | "04-05" | "10-01" | "10-02" | "10-03"
            );
            let people = (8 + rng.below(30)) * if busy { 6 } else { 1 };
            app.store.record_checkpoint_log(
                &change,
                &CheckpointLogInput {
                    checkpoint_id: cp.id,
                    logged_on: d,
                    people: people as i64,
                    vehicles: (people / 3 + rng.below(5)) as i64,
                    fire_sources: if busy || rng.chance(15) {
                        (1 + rng.below(6)) as i64
                    } else {
                        0
                    },
                    on_duty: String::new(),
                    note: if busy {
                        "清明/国庆期间进山人员多，加强登记和火种收缴".into()
                    } else {
                        String::new()
                    },
                },
            )?;
            n += 1;
            d += Duration::days(1);
        }
    }

    // Weekly patrols of every hill in the seasons of 2022.
    let windows = [
        (day("2022-01-03"), day("2022-04-30")),
        (day("2022-09-12"), year_end),
    ];
    for ((_, p), (ranger, _)) in hills.iter().zip(&rangers) {
        for (from, to) in windows {
            let mut d = from + Duration::days(rng.below(7) as i64);
            while d <= to {
                let finding = match rng.below(400) {
                    0..=2 => Finding::IllegalFire,
                    3..=6 => Finding::Hazard,
                    _ => Finding::None,
                };
                let details = match finding {
                    Finding::IllegalFire => rng.pick(ILLEGAL_FIRE).copied().unwrap_or(""),
                    Finding::Hazard => rng.pick(HAZARDS).copied().unwrap_or(""),
                    _ => "",
                };
                let start = 8 + rng.below(6);
                app.store.record_patrol(
                    &change,
                    &PatrolInput {
                        region_code: p.region_code.clone(),
                        patch_id: Some(p.id),
                        patroller: ranger.clone(),
                        patrolled_on: d,
                        from_time: format!("{start:02}:00"),
                        to_time: format!("{:02}:30", start + 2),
                        route: format!("{}山脚—山顶—林缘农田", p.name),
                        finding,
                        details: details.into(),
                    },
                )?;
                n += 1;
                d += Duration::days(7);
            }
        }
    }

    // The county's duty roster in the seasons of 2022.
    let leaders = ["郑伟", "李明", "陈晓燕", "刘海涛"];
    for (from, to) in windows {
        let mut d = from;
        let mut k = 0usize;
        while d <= to {
            app.store.set_forest_duty(
                &change,
                &DutyInput {
                    region_code: county.clone(),
                    duty_on: d,
                    leader: leaders
                        .get(k % leaders.len())
                        .copied()
                        .unwrap_or("郑伟")
                        .into(),
                    leader_phone: phone(&mut rng),
                    officer: person(&mut rng),
                    officer_phone: phone(&mut rng),
                },
            )?;
            n += 1;
            k += 1;
            d += Duration::days(1);
        }
    }

    // Equipment (costs in 分): 245 万元 for 12 drones and 45 high-lift pumps, 120 pumps donated.
    let bought = [
        (
            EquipmentKind::Drone,
            "大疆 M30T 防火勘察无人机",
            8,
            112_000_000,
            "2022-03-15",
            "",
        ),
        (
            EquipmentKind::HighLiftPump,
            "3寸高扬程森林消防水泵",
            30,
            54_000_000,
            "2022-03-28",
            "",
        ),
        (
            EquipmentKind::Drone,
            "大疆 M300 RTK 无人机",
            4,
            61_000_000,
            "2022-10-10",
            "",
        ),
        (
            EquipmentKind::HighLiftPump,
            "高扬程接力水泵",
            15,
            18_000_000,
            "2022-10-20",
            "",
        ),
    ];
    let mut equipment = Vec::new();
    for (kind, model, qty, cost, on, _) in bought {
        equipment.push(app.store.create_forest_equipment(
            &change,
            &EquipmentInput {
                region_code: county.clone(),
                kind,
                model: model.into(),
                quantity: qty,
                acquisition: Acquisition::Purchased,
                donor: String::new(),
                cost_fen: cost,
                acquired_on: day(on),
                note: "县财政森林防灭火专项资金".into(),
            },
        )?);
        n += 1;
    }
    equipment.push(app.store.create_forest_equipment(
        &change,
        &EquipmentInput {
            region_code: county.clone(),
            kind: EquipmentKind::Pump,
            model: "汽油抽水泵".into(),
            quantity: 120,
            acquisition: Acquisition::Donated,
            donor: "驻市国有企业江西盐矿有限公司".into(),
            cost_fen: 0,
            acquired_on: day("2022-10-25"),
            note: String::new(),
        },
    )?);
    n += 1;

    // Handovers: every unit to a township or a farm, round the 19 recipients.
    let mut recipients: Vec<Recipient> = forest_towns
        .iter()
        .map(|(code, ..)| Recipient::Township(code.clone()))
        .collect();
    recipients.extend(farms.iter().map(|f| Recipient::Farm(f.id)));
    let mut next = 0usize;
    for q in &equipment {
        let mut left = q.quantity;
        let share = (q.quantity / recipients.len() as i64).max(1);
        while left > 0 {
            let Some(to) = recipients.get(next % recipients.len()) else {
                break;
            };
            let qty = share.min(left);
            app.store.hand_over_equipment(
                &change,
                &HandoverInput {
                    equipment_id: q.id,
                    recipient: to.clone(),
                    quantity: qty,
                    handed_on: q.acquired_on + Duration::days(7),
                    received_by: person(&mut rng),
                    note: String::new(),
                },
            )?;
            left -= qty;
            next += 1;
            n += 1;
        }
    }
    Ok(n)
}
