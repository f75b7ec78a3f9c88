//! The demo county's campaign and its year of work records (工作记录): the field actions
//! the annual report counts, spread over townships, departments and months, with totals
//! of the magnitudes the source report gives.

use super::{Rng, Town};
use crate::{App, AppError, Result};
use anjian_domain::Scope;
use anjian_store::work::{Campaign, WorkRecord};
use chrono::NaiveDate;

/// The 2022 campaign the demo's hazards and records are tagged with.
pub const DEMO_CAMPAIGN: &str = "bairi2022";

/// Who records an item: townships, departments, both, or the county itself.
#[derive(Clone, Copy)]
enum By {
    Towns,
    Depts,
    County,
}

/// (item, recorded by, number of records, approximate total, first month, last month).
/// The campaigns' objects (自建房, 燃气, 打非治违, 尾矿库) are their ledgers' rows now
/// (`demo::campaigns`); what stays here is really counted as a total.
const PLAN: &[(&str, By, usize, i64, u32, u32)] = &[
    ("letter_township", By::Towns, 20, 20, 2, 2),
    ("letter_department", By::Depts, 25, 25, 2, 2),
    ("letter_enterprise", By::County, 62, 62, 2, 3),
    ("landslide_cleared", By::Depts, 30, 125_600, 5, 9),
    ("guardrail_metres", By::Depts, 24, 8640, 3, 11),
    ("road_enforcement", By::Depts, 48, 48, 1, 12),
    ("road_violations", By::Depts, 60, 2316, 1, 12),
    ("fire_three_stops", By::Depts, 20, 35, 2, 12),
    ("mine_closed", By::Depts, 3, 3, 4, 9),
    ("caustic_seized", By::Depts, 2, 2350, 7, 7),
    ("projects_inspected", By::Depts, 30, 65, 1, 12),
    ("stop_work_notices", By::Depts, 6, 6, 3, 11),
    ("school_bus_tested", By::Depts, 2, 38, 2, 8),
    ("shuttle_bus_tested", By::Depts, 4, 262, 2, 8),
    ("video_conferences", By::County, 42, 42, 1, 12),
    ("boards", By::Towns, 40, 85, 6, 6),
    ("booklets", By::County, 4, 3200, 6, 11),
    ("leaflets", By::Towns, 40, 56_400, 6, 11),
    ("films", By::County, 7, 7, 6, 11),
    ("township_standard", By::Towns, 15, 15, 10, 12),
    ("safety_funds", By::County, 24, 38_650_000, 1, 12),
    ("video_system", By::Towns, 20, 20, 3, 9),
    ("disaster_response", By::County, 3, 3, 1, 7),
    ("people_evacuated", By::Towns, 45, 2640, 5, 7),
    ("people_relocated", By::Towns, 30, 1318, 5, 7),
    ("referred_violations", By::Towns, 20, 36, 1, 12),
    ("forest_funds", By::County, 3, 2_450_000, 2, 6),
    ("forest_drones", By::County, 2, 12, 3, 5),
    ("forest_pumps", By::County, 3, 45, 3, 5),
    ("donated_pumps", By::County, 1, 150, 4, 4),
    ("equipment_to_township", By::Towns, 20, 200, 5, 6),
    ("equipment_to_farm", By::County, 4, 4, 5, 6),
    ("townships_held_accountable", By::Towns, 3, 3, 8, 11),
    ("warning_interviews", By::Towns, 6, 6, 8, 11),
];

/// Items the county now keeps as records of their own (约谈问责 in `demo::responsibility`,
/// 责任状 and 能力创建 in `demo::letters` and `demo::capability`, 自然灾害应对 in
/// `demo::disasters`, 森林防灭火 equipment in `demo::forest`): their lines of the plan are still drawn, so that the rest of the year
/// comes out as before, but no work record is written for them.
const SUPERSEDED: [&str; 15] = [
    "forest_funds",
    "forest_drones",
    "forest_pumps",
    "donated_pumps",
    "equipment_to_township",
    "equipment_to_farm",
    "townships_held_accountable",
    "warning_interviews",
    "letter_township",
    "letter_department",
    "letter_enterprise",
    "township_standard",
    "disaster_response",
    "people_evacuated",
    "people_relocated",
];

const FARMS: [&str; 4] = [
    "国营云山林场",
    "国营大岭垦殖场",
    "国营西坑林场",
    "国营青石农场",
];

/// Splits `total` into `n` positive shares (n ≤ total) that add up exactly.
fn shares(rng: &mut Rng, n: usize, total: i64) -> Vec<i64> {
    let n = n.max(1);
    if total <= n as i64 {
        return (0..n).map(|i| i64::from((i as i64) < total)).collect();
    }
    let weights: Vec<i64> = (0..n).map(|_| 5 + rng.below(10) as i64).collect();
    let sum: i64 = weights.iter().sum();
    let mut out: Vec<i64> = weights.iter().map(|w| (total * w / sum).max(1)).collect();
    let diff = total - out.iter().sum::<i64>();
    if let Some(last) = out.last_mut() {
        *last = (*last + diff).max(1);
    }
    out
}

pub(super) fn generate(
    app: &App,
    rng: &mut Rng,
    towns: &[Town],
    departments: &[i64],
) -> Result<usize> {
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    app.store.create_campaign(
        &change,
        &Campaign {
            county_code: super::DEMO_COUNTY_CODE.into(),
            code: DEMO_CAMPAIGN.into(),
            name: "安全生产大检查“百日攻坚”专项行动".into(),
            starts_on: day(2022, 6, 1)?,
            ends_on: day(2022, 9, 8)?,
            units: "安委会各成员单位\n各乡镇（街道）".into(),
            description: "全面排查整治各行业领域重大风险隐患，严厉打击非法违法行为".into(),
            ..Campaign::default()
        },
    )?;
    let items = app.store.list_work_item_types()?;
    let mut list = Vec::new();
    for (code, by, n, total, m1, m2) in PLAN {
        let sector = items
            .iter()
            .find(|t| t.code == *code)
            .and_then(|t| t.sector.clone());
        let n = match by {
            By::Towns => (*n).min(if *code == "township_standard" {
                15
            } else {
                towns.len().max(1) * 4
            }),
            By::Depts => *n,
            By::County => *n,
        };
        for (i, q) in shares(rng, n, *total).into_iter().enumerate() {
            let month = m1 + rng.below((m2 - m1 + 1) as usize) as u32;
            let dd = 1 + rng.below(28);
            let done_on = day(2022, month, dd as u32)?;
            let (region, department_id, place) = match by {
                By::Towns => {
                    // One record per township first, then anywhere.
                    let (tcode, tname, villages) = &towns[if i < towns.len() {
                        i
                    } else {
                        rng.below(towns.len())
                    }];
                    let place = rng
                        .pick(villages)
                        .map(|v| format!("{tname}{}", v.1))
                        .unwrap_or_else(|| tname.clone());
                    (tcode.clone(), None, place)
                }
                By::Depts => {
                    let d = departments[if *code == "letter_department" {
                        i % departments.len()
                    } else {
                        rng.below(departments.len())
                    }];
                    (super::DEMO_COUNTY_CODE.to_string(), Some(d), String::new())
                }
                By::County => {
                    let place = if *code == "equipment_to_farm" {
                        FARMS[i % FARMS.len()].to_string()
                    } else {
                        String::new()
                    };
                    (super::DEMO_COUNTY_CODE.to_string(), None, place)
                }
            };
            // Letters and capability acceptances are records of their own now
            // (`demo::letters`, `demo::capability`); the draws above keep the stream as it was.
            if SUPERSEDED.contains(code) {
                continue;
            }
            let campaign = (done_on >= day(2022, 6, 1)? && done_on <= day(2022, 9, 8)?)
                .then(|| DEMO_CAMPAIGN.to_string());
            if SUPERSEDED.contains(code) {
                continue;
            }
            list.push(WorkRecord {
                region_code: region,
                department_id,
                sector: sector.clone(),
                item_code: code.to_string(),
                done_on,
                quantity: q,
                campaign,
                place,
                ..WorkRecord::default()
            });
        }
    }
    Ok(app.store.create_work_records(&change, &list)?)
}

/// A day of the demo's plan.
fn day(year: i32, month: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, d)
        .ok_or_else(|| AppError::Internal(format!("demo date {year}-{month}-{d}")))
}
