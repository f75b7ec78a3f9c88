//! A year of demo hazards, each walked through its closed loop: general hazards spread over
//! the sectors (fire safety most of all, since it is checked in every public place), found
//! more often during the 百日攻坚 campaign, and the year's major hazards (一单四制) on a fixed
//! schedule, so that the 2022 report states figures of the source report's magnitudes.

use super::*;
use anjian_domain::hazard::{Level, Source, Status};
use anjian_store::hazards::{HazardFields, HazardHistory};

/// The sectors of the general hazards: (sector, weight per mille, percent found at public
/// places without an enterprise).
const SECTORS: [(&str, u32, u64); 18] = [
    ("fire", 330, 10),
    ("industry_trade", 90, 0),
    ("commerce", 80, 0),
    ("construction", 80, 0),
    ("road", 60, 50),
    ("self_built", 43, 100),
    ("culture_tourism", 40, 0),
    ("special_equipment", 40, 0),
    ("campus", 40, 0),
    ("hazchem", 35, 0),
    ("health", 30, 0),
    ("agriculture", 30, 0),
    ("urban", 30, 60),
    ("mines", 20, 0),
    ("alcohol_fuel", 20, 0),
    ("gas", 12, 20),
    ("fireworks", 10, 0),
    ("water", 10, 30),
];

/// The general hazards found in each period (first day, last day, how many): late 2021
/// (carried into the year), 2022 before the campaign, the campaign, the rest of 2022.
const PERIODS: [(&str, &str, usize); 4] = [
    ("2021-10-08", "2021-12-31", 450),
    ("2022-01-04", "2022-05-31", 1500),
    ("2022-06-01", "2022-09-08", 1650),
    ("2022-09-09", "2022-12-20", 1150),
];

/// How a major hazard stands at the end of 2022.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    /// Closed (销号) within its deadline.
    InTime,
    /// Open, its deadline after the year's end.
    NotDue,
    /// Open past its deadline.
    Overdue,
}

/// The major hazards: (sector, found between, deadline in days, outcome, how many). All are
/// 危化, 建筑施工 or 消防, as in the source report's list; the 消防 ones are listed by the
/// government (挂牌督办, `listings`).
const MAJORS: [(&str, &str, &str, u32, Outcome, usize); 12] = [
    // Found late in 2021, closed early in 2022 (carried over).
    ("fire", "2021-11-20", "2021-12-20", 120, Outcome::InTime, 3),
    // 2022 before the campaign; one of them left overdue.
    ("fire", "2022-03-01", "2022-05-20", 90, Outcome::InTime, 3),
    (
        "hazchem",
        "2022-03-01",
        "2022-05-20",
        90,
        Outcome::InTime,
        1,
    ),
    ("fire", "2022-04-01", "2022-04-30", 60, Outcome::Overdue, 1),
    // During the campaign.
    ("fire", "2022-06-01", "2022-09-08", 90, Outcome::InTime, 10),
    (
        "hazchem",
        "2022-06-01",
        "2022-09-08",
        120,
        Outcome::InTime,
        2,
    ),
    (
        "construction",
        "2022-06-01",
        "2022-09-08",
        60,
        Outcome::InTime,
        2,
    ),
    // After it.
    ("fire", "2022-09-13", "2022-10-20", 60, Outcome::InTime, 2),
    (
        "construction",
        "2022-09-13",
        "2022-10-20",
        60,
        Outcome::InTime,
        1,
    ),
    // Found late in the year: not yet due at its end.
    ("fire", "2022-11-01", "2022-12-10", 90, Outcome::NotDue, 1),
    (
        "hazchem",
        "2022-11-01",
        "2022-12-10",
        120,
        Outcome::NotDue,
        1,
    ),
    (
        "construction",
        "2022-11-01",
        "2022-12-10",
        90,
        Outcome::NotDue,
        1,
    ),
];

/// No event after the day before the demo's clock (2023-01-10).
const LAST_DAY: &str = "2023-01-09";

/// Where a hazard of a sector is found: fire-safety hazards at shops, hotels, hospitals and
/// schools as well as the fire sector's own premises; others at their sector's enterprises.
fn enterprise_sectors(sector: &str) -> Vec<&str> {
    match sector {
        "fire" => vec!["fire", "commerce", "culture_tourism", "health", "campus"],
        s => vec![s],
    }
}

/// A source for a hazard found at an enterprise (public places: by regulators and the
/// public). A quarter of the 危化 hazards are assigned from above (上级交办).
fn source_of(rng: &mut Rng, sector: &str, public: bool) -> &'static str {
    if public {
        return ["public_report", "media", "higher_assignment", "inspection"][rng.below(4)];
    }
    let hazchem = sector == "hazchem";
    match (rng.below(100), hazchem) {
        (0..=39, true) | (0..=54, false) => "inspection",
        (40..=59, true) | (55..=79, false) => "self_check",
        (60..=84, true) | (92..=96, false) => "higher_assignment",
        (85..=89, true) | (80..=85, false) => "public_report",
        (90..=91, true) | (86..=87, false) => "media",
        (92..=95, true) | (88..=91, false) => "transfer",
        _ => "lower_report",
    }
}

fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| AppError::Internal(e.to_string()))
}

/// A day in `[from, to]` drawn at random.
fn between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as usize + 1;
    from + chrono::Duration::days(rng.below(span) as i64)
}

/// One hazard to write: where, what, and how its loop ends.
struct Plan<'a> {
    found: NaiveDate,
    sector: &'a str,
    enterprise: Option<usize>,
    town: usize,
    major: bool,
    source: &'static str,
    days: u32,
    final_status: &'static str,
    late: bool,
}

/// The enterprises of the county and its townships, for placing hazards, and the calendar
/// their deadlines are counted on.
struct Places<'a> {
    list: &'a [NewEnterprise],
    ids: &'a [i64],
    towns: &'a [Town],
    calendar: anjian_domain::calendar::Calendar,
}

/// A year of hazards (2022, with some found late in 2021 and carried over), each walked
/// through its closed loop to a final state; a few are left open and so are overdue.
pub(super) fn hazards(
    app: &App,
    rng: &mut Rng,
    list: &[NewEnterprise],
    ids: &[i64],
    towns: &[Town],
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<usize> {
    let at = Places {
        list,
        ids,
        towns,
        calendar: anjian_domain::calendar::Calendar::shipped(),
    };
    // Enterprises still on the register, by sector.
    let of_sector = |sector: &str| -> Vec<usize> {
        let wanted = enterprise_sectors(sector);
        list.iter()
            .enumerate()
            .filter(|(_, e)| {
                e.status != EnterpriseStatus::Closed && wanted.contains(&e.sectors[0].as_str())
            })
            .map(|(i, _)| i)
            .collect()
    };
    let pools: Vec<Vec<usize>> = SECTORS.iter().map(|(s, _, _)| of_sector(s)).collect();
    let weight_sum: u32 = SECTORS.iter().map(|s| s.1).sum();
    let mut plans = Vec::new();
    for (from, to, n) in PERIODS {
        let (from, to) = (day(from)?, day(to)?);
        for _ in 0..n {
            let found = between(rng, from, to);
            let mut w = rng.below(weight_sum as usize) as u32;
            let k = SECTORS
                .iter()
                .position(|s| {
                    let hit = w < s.1;
                    w = w.saturating_sub(s.1);
                    hit
                })
                .unwrap_or(0);
            let (sector, _, public_share) = SECTORS[k];
            let public = rng.chance(public_share) || pools[k].is_empty();
            let enterprise = (!public).then(|| pools[k][rng.below(pools[k].len())]);
            let source = source_of(rng, sector, public);
            let final_status = match rng.below(100) {
                0..=89 => "closed",
                90..=93 => "reported",
                94..=96 => "rectifying",
                97..=98 => "ordered",
                _ => "registered",
            };
            plans.push(Plan {
                found,
                sector,
                enterprise,
                town: rng.below(towns.len()),
                major: false,
                source,
                days: [7u32, 10, 15, 30][rng.below(4)],
                final_status,
                late: rng.chance(6),
            });
        }
    }
    for (sector, from, to, days, outcome, n) in MAJORS {
        let pool = of_sector(sector);
        let (from, to) = (day(from)?, day(to)?);
        for _ in 0..n {
            plans.push(Plan {
                found: between(rng, from, to),
                sector,
                enterprise: pool.get(rng.below(pool.len().max(1))).copied(),
                town: rng.below(towns.len()),
                major: true,
                source: [
                    "inspection",
                    "inspection",
                    "higher_assignment",
                    "public_report",
                ][rng.below(4)],
                days,
                final_status: if outcome == Outcome::InTime {
                    "closed"
                } else {
                    "rectifying"
                },
                late: false,
            });
        }
    }
    let mut items = Vec::with_capacity(plans.len());
    for p in &plans {
        items.push(history(rng, p, &at, items.len())?);
    }
    items.sort_by_key(|a| a.fields.found_on);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let total = items.len();
    let ids = app
        .store
        .load_hazards(&change, &items, |done| progress("隐患", done, total))?;
    Ok(ids.len())
}

/// A hazard and its timeline up to its final status, with plausible dates (none after
/// [`LAST_DAY`]: a loop that would end later stops where the demo's clock is).
fn history(rng: &mut Rng, p: &Plan<'_>, at: &Places<'_>, seq: usize) -> Result<HazardHistory> {
    let stamp = |d: NaiveDate, hour: u32| {
        format!(
            "{}T{:02}:{:02}:00.000Z",
            d,
            hour.saturating_sub(8),
            10 + hour % 40
        )
    };
    let (region, enterprise_id, unit, person) = match p.enterprise {
        Some(i) => {
            let e = &at.list[i];
            (
                e.region_code.as_str().to_string(),
                Some(at.ids[i]),
                e.name.clone(),
                e.principal.clone().unwrap_or_default(),
            )
        }
        None => {
            let (tcode, tname, villages) = &at.towns[p.town];
            let region = rng
                .pick(villages)
                .map(|v| v.0.clone())
                .unwrap_or(tcode.clone());
            (
                region,
                None,
                format!("{tname}人民政府"),
                words::person_name(&mut |k| rng.below(k)),
            )
        }
    };
    let descs = hazard_words::descriptions(p.sector);
    let description = descs[rng.below(descs.len())].to_string();
    let deadline = at
        .calendar
        .add_calendar_days(p.found, p.days)
        .unwrap_or(p.found);
    let self_check = p.source == "self_check";
    // The loop up to the final status.
    let mut steps: Vec<(&str, &str)> = vec![("create", "registered")];
    if p.final_status != "registered" {
        if !self_check {
            steps.push(("order", "ordered"));
        }
        if p.final_status != "ordered" {
            steps.push(("start", "rectifying"));
            if p.final_status != "rectifying" {
                steps.push(("report", "reported"));
                if rng.chance(8) {
                    steps.push(("reject", "rectifying"));
                    steps.push(("report", "reported"));
                }
                if p.final_status == "closed" {
                    steps.push(("pass", "closed"));
                }
            }
        }
    }
    let total = (deadline - p.found).num_days().max(1);
    let last = day(LAST_DAY)?;
    let n = steps.len() as i64;
    let mut events = Vec::new();
    let mut prev: Option<String> = None;
    let mut status = "registered";
    let mut closed_on = None;
    for (k, (action, to)) in steps.iter().enumerate() {
        let offset = if k == 0 {
            0
        } else {
            (total * k as i64 / n).max(k as i64)
                + if p.late && *action == "pass" {
                    total / 2 + 3
                } else {
                    0
                }
        };
        let d = p.found + chrono::Duration::days(offset);
        if d > last {
            break;
        }
        if *to == "closed" {
            closed_on = Some(d);
        }
        let note = match *action {
            "reject" => "复查发现整改不到位，退回重新整改".to_string(),
            "report" => "已按要求完成整改，申请复查".to_string(),
            "pass" => "经复查整改合格，予以销号".to_string(),
            _ => String::new(),
        };
        events.push((
            stamp(d, 9 + k as u32),
            action.to_string(),
            prev.clone(),
            to.to_string(),
            note,
        ));
        prev = Some(to.to_string());
        status = to;
    }
    let found_on = p.found.to_string();
    let campaign = (found_on.as_str() >= "2022-06-01" && found_on.as_str() <= "2022-09-08")
        .then(|| work::DEMO_CAMPAIGN.to_string());
    let fields = HazardFields {
        region_code: region,
        enterprise_id,
        department_id: None,
        sector: p.sector.to_string(),
        level: if p.major {
            Level::Major
        } else {
            Level::General
        },
        source: Source::parse(p.source)
            .ok_or_else(|| AppError::Internal(format!("demo source {}", p.source)))?,
        description,
        location: [
            "生产车间",
            "仓库",
            "办公区",
            "厂区道路",
            "配电房",
            "储罐区",
            "营业场所",
        ][rng.below(7)]
        .into(),
        found_on: p.found,
        deadline: (status != "registered" || !self_check).then_some(deadline),
        deadline_basis: Some("calendar_days".into()),
        deadline_rule: if self_check {
            format!("企业自定整改期限：自{found_on}起{}日", p.days)
        } else {
            format!("责令限期整改：自{found_on}起{}日", p.days)
        },
        status: Status::parse(status)
            .ok_or_else(|| AppError::Internal(format!("demo status {status}")))?,
        responsible_unit: unit,
        responsible_person: person,
        measures: hazard_words::MEASURES[rng.below(hazard_words::MEASURES.len())].into(),
        funds_planned: Some(if p.major {
            50_000 + rng.below(400) as i64 * 1000
        } else {
            200 + rng.below(100) as i64 * 100
        }),
        funds_spent: (status == "closed").then(|| {
            if p.major {
                40_000 + rng.below(400) as i64 * 1000
            } else {
                150 + rng.below(100) as i64 * 100
            }
        }),
        emergency_plan: if p.major {
            "专项应急预案（已备案）".into()
        } else {
            String::new()
        },
        campaign,
        closed_on,
        point: None,
    };
    let case = p.major.then(|| {
        let standard = match fields.sector.as_str() {
            "hazchem" => "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
            "fireworks" => "烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）",
            "mines" => "金属非金属矿山重大事故隐患判定标准",
            "construction" => "房屋市政工程生产安全重大事故隐患判定标准（2022版）",
            "fire" | "commerce" | "culture_tourism" | "health" | "campus" => {
                "重大火灾隐患判定方法（GB 35181-2017）"
            }
            _ => "工贸企业重大生产安全事故隐患判定标准（2017版）",
        };
        let seq = seq % 40 + 1;
        [
            standard.to_string(),
            format!("第{}条", ["三", "四", "五", "六", "七", "八"][rng.below(6)]),
            format!(
                "{DEMO_COUNTY_NAME}安委办{}年第{}次专题会议",
                fields.found_on.year(),
                seq % 12 + 1
            ),
            format!("清安办交〔{}〕{}号", fields.found_on.year(), seq),
            dept_for(&fields.sector),
        ]
    });
    Ok(HazardHistory {
        fields,
        events,
        case,
    })
}
