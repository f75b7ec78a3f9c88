//! The demo county's emergency resources (应急资源) at the end of 2022: the county's
//! comprehensive rescue team and its departments' professional teams, 15 experts, a county
//! depot, and for every township a 30-strong flood and rescue team (the “六有” standard's
//! 有队伍), a depot with its boats, life jackets, generators and pumps, and two shelters;
//! coordinates around the county seat; each last checked in the second half of 2022, so a
//! few fall due at the end of the year.

use super::{Rng, Town};
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::emergency::ResourceKind;
use anjian_store::emergency::ResourceInput;
use chrono::{Duration, NaiveDate};

/// The county seat (WGS-84, micro-degrees).
const CENTRE: (i64, i64) = (115_540_000, 28_060_000);

const EXPERT_FIELDS: &[&str] = &[
    "危险化学品",
    "非煤矿山",
    "防汛抗旱",
    "地质灾害",
    "森林防灭火",
    "建筑施工",
    "消防",
    "医疗救护",
    "特种设备",
    "道路交通",
    "气象",
    "水利工程",
    "电力",
    "燃气",
    "烟花爆竹",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "胡", "朱", "林", "何", "罗",
];
const GIVEN: &[&str] = &[
    "建国", "志强", "海涛", "晓明", "国平", "文华", "立新", "卫东", "春华", "德胜",
];
const SUPPLIES: &[(&str, i64, &str)] = &[
    ("冲锋舟", 2, "艘"),
    ("救生衣", 60, "件"),
    ("移动发电机", 2, "台"),
    ("抽水泵", 4, "台"),
    ("编织袋", 2000, "条"),
];

fn phone(rng: &mut Rng) -> String {
    format!("13{}{:08}", 5 + rng.below(5), rng.below(100_000_000))
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(SURNAMES).copied().unwrap_or("王"),
        rng.pick(GIVEN).copied().unwrap_or("建国")
    )
}

/// A point about `spread` micro-degrees around `at`.
fn near(rng: &mut Rng, at: (i64, i64), spread: usize) -> (i64, i64) {
    let d = |rng: &mut Rng| rng.below(2 * spread + 1) as i64 - spread as i64;
    (at.0 + d(rng), at.1 + d(rng))
}

fn checked(rng: &mut Rng) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2022, 7, 1).map(|d| d + Duration::days(rng.below(180) as i64))
}

#[allow(clippy::too_many_arguments)]
fn resource(
    region: &str,
    department_id: Option<i64>,
    kind: ResourceKind,
    name: String,
    members: Option<i64>,
    speciality: &str,
    quantity: Option<(i64, &str)>,
    capacity: Option<i64>,
) -> ResourceInput {
    ResourceInput {
        region_code: region.into(),
        department_id,
        kind,
        name,
        members,
        speciality: speciality.into(),
        quantity: quantity.map(|q| q.0),
        unit: quantity.map(|q| q.1.to_string()).unwrap_or_default(),
        capacity,
        depot_id: None,
        contact: String::new(),
        phone: String::new(),
        address: String::new(),
        point: None,
        last_checked_on: None,
        note: String::new(),
    }
}

/// Writes the resources; answers how many.
pub(super) fn generate(
    app: &App,
    seed: u64,
    towns: &[Town],
    departments: &[(i64, &'static [&'static str])],
) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0xE3_E6_C0);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let county = super::DEMO_COUNTY_CODE;
    let mut list: Vec<ResourceInput> = Vec::new();
    let finish = |mut r: ResourceInput, rng: &mut Rng, at: (i64, i64)| {
        r.contact = person(rng);
        r.phone = phone(rng);
        r.point = Some(near(rng, at, 4_000));
        r.last_checked_on = checked(rng);
        r
    };
    // The county's teams.
    let mut county_teams = vec![
        (None, "市综合应急救援大队", 60, "综合应急救援"),
        (None, "市森林消防专业队", 40, "森林灭火"),
    ];
    if let Some((d, _)) = departments.first() {
        county_teams.push((Some(*d), "危险化学品应急救援队", 25, "危险化学品泄漏处置"));
    }
    for (dept, name, members, speciality) in county_teams {
        let r = resource(
            county,
            dept,
            ResourceKind::Team,
            name.into(),
            Some(members),
            speciality,
            None,
            None,
        );
        list.push(finish(r, &mut rng, CENTRE));
    }
    for (i, field) in EXPERT_FIELDS.iter().enumerate() {
        let name = format!(
            "{}（{}）",
            person(&mut rng),
            if i % 3 == 0 {
                "高级工程师"
            } else {
                "工程师"
            }
        );
        let r = resource(
            county,
            None,
            ResourceKind::Expert,
            name,
            None,
            field,
            None,
            None,
        );
        list.push(finish(r, &mut rng, CENTRE));
    }
    let mut depot = resource(
        county,
        None,
        ResourceKind::Depot,
        "市应急物资储备库".into(),
        None,
        "",
        None,
        Some(1200),
    );
    depot.address = "市工业园区应急路1号".into();
    list.push(finish(depot, &mut rng, CENTRE));
    let written = app.store.create_emergency_resources(&change, &list)?;
    let mut n = written;

    // Each township: a team, a depot with its supplies, two shelters.
    for (i, (code, name, villages)) in towns.iter().enumerate() {
        // Townships lie in a ring around the seat.
        let angle = i as f64 / towns.len().max(1) as f64 * std::f64::consts::TAU;
        let at = (
            CENTRE.0 + (angle.cos() * 150_000.0) as i64,
            CENTRE.1 + (angle.sin() * 120_000.0) as i64,
        );
        let team = resource(
            code,
            None,
            ResourceKind::Team,
            format!("{name}防汛抢险应急队"),
            Some(30),
            "防汛抢险、地质灾害转移",
            None,
            None,
        );
        let team = finish(team, &mut rng, at);
        let mut depot = resource(
            code,
            None,
            ResourceKind::Depot,
            format!("{name}应急物资储备点"),
            None,
            "",
            None,
            Some(80 + rng.below(120) as i64),
        );
        depot.address = format!("{name}人民政府院内");
        let depot = finish(depot, &mut rng, at);
        let saved = app.store.create_emergency_resources(&change, &[team])?;
        let depot = app.store.create_emergency_resource(&change, &depot)?;
        n += saved + 1;
        let mut rest = Vec::new();
        for (item, qty, unit) in SUPPLIES {
            let mut r = resource(
                code,
                None,
                ResourceKind::Supply,
                (*item).into(),
                None,
                "",
                Some((*qty, unit)),
                None,
            );
            r.depot_id = Some(depot.id);
            rest.push(finish(r, &mut rng, at));
        }
        for (k, (_, vname)) in villages.iter().take(2).enumerate() {
            let what = if k == 0 {
                "中心小学"
            } else {
                "村民活动中心"
            };
            let r = resource(
                code,
                None,
                ResourceKind::Shelter,
                format!("{vname}{what}避难场所"),
                None,
                "",
                None,
                Some(150 + rng.below(350) as i64),
            );
            rest.push(finish(r, &mut rng, at));
        }
        n += app.store.create_emergency_resources(&change, &rest)?;
    }
    Ok(n)
}
