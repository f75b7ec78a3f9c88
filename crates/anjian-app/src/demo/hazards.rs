//! A year of demo hazards, each walked through its closed loop.

use super::*;
use anjian_domain::hazard::{Level, Source, Status};

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
    use anjian_store::hazards::{HazardFields, HazardHistory};
    let cal = anjian_domain::calendar::Calendar::shipped();
    let day = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| AppError::Internal(e.to_string()))
    };
    let start = day("2021-10-08")?;
    let end = day("2022-12-20")?;
    let span = (end - start).num_days().max(1) as usize;
    let campaign_from = day("2022-06-01")?;
    let campaign_to = day("2022-09-08")?;
    let at = |d: NaiveDate, hour: u32| {
        format!(
            "{}T{:02}:{:02}:00.000Z",
            d,
            hour.saturating_sub(8),
            10 + hour % 40
        )
    };
    let mut items = Vec::new();
    for _ in 0..1800 {
        let found = start + chrono::Duration::days(rng.below(span) as i64);
        let public = rng.chance(10);
        let (enterprise_id, region, sector, unit, person) = if public || list.is_empty() {
            let (tcode, tname, villages) = &towns[rng.below(towns.len())];
            let region = rng
                .pick(villages)
                .map(|v| v.0.clone())
                .unwrap_or(tcode.clone());
            let sector = ["fire", "road", "urban", "gas", "water", "self_built"][rng.below(6)];
            (
                None,
                region,
                sector.to_string(),
                format!("{tname}人民政府"),
                words::person_name(&mut |k| rng.below(k)),
            )
        } else {
            let i = rng.below(list.len());
            let e = &list[i];
            (
                Some(ids[i]),
                e.region_code.as_str().to_string(),
                e.sectors[0].clone(),
                e.name.clone(),
                e.principal.clone().unwrap_or_default(),
            )
        };
        let major = rng.chance(2) && !public;
        let source = if public {
            ["public_report", "media", "higher_assignment", "inspection"][rng.below(4)]
        } else {
            match rng.below(100) {
                0..=54 => "inspection",
                55..=79 => "self_check",
                80..=85 => "public_report",
                86..=87 => "media",
                88..=91 => "transfer",
                92..=96 => "higher_assignment",
                _ => "lower_report",
            }
        };
        let descs = hazard_words::descriptions(&sector);
        let description = descs[rng.below(descs.len())].to_string();
        let days = if major {
            [60u32, 90, 120][rng.below(3)]
        } else {
            [7u32, 10, 15, 30][rng.below(4)]
        };
        let deadline = cal.add_calendar_days(found, days).unwrap_or(found);
        let final_status = match rng.below(100) {
            0..=89 => "closed",
            90..=93 => "reported",
            94..=96 => "rectifying",
            97..=98 => "ordered",
            _ => "registered",
        };
        let self_check = source == "self_check";
        // The loop up to the final status, with plausible dates.
        let mut steps: Vec<(&str, &str)> = vec![("create", "registered")];
        if final_status != "registered" {
            if !self_check {
                steps.push(("order", "ordered"));
            }
            if final_status != "ordered" {
                steps.push(("start", "rectifying"));
                if final_status != "rectifying" {
                    steps.push(("report", "reported"));
                    if rng.chance(8) {
                        steps.push(("reject", "rectifying"));
                        steps.push(("report", "reported"));
                    }
                    if final_status == "closed" {
                        steps.push(("pass", "closed"));
                    }
                }
            }
        }
        let late = rng.chance(6);
        let total = (deadline - found).num_days().max(1);
        let mut events = Vec::new();
        let mut prev: Option<String> = None;
        let mut closed_on = None;
        let n = steps.len() as i64;
        for (k, (action, to)) in steps.iter().enumerate() {
            let offset = if k == 0 {
                0
            } else {
                (total * k as i64 / n).max(k as i64)
                    + if late && *action == "pass" {
                        total / 2 + 3
                    } else {
                        0
                    }
            };
            let d = found + chrono::Duration::days(offset);
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
                at(d, 9 + k as u32),
                action.to_string(),
                prev.clone(),
                to.to_string(),
                note,
            ));
            prev = Some(to.to_string());
        }
        let fields = HazardFields {
            region_code: region,
            enterprise_id,
            department_id: None,
            sector,
            level: if major { Level::Major } else { Level::General },
            source: Source::parse(source)
                .ok_or_else(|| AppError::Internal(format!("demo source {source}")))?,
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
            found_on: found,
            deadline: (final_status != "registered" || !self_check).then_some(deadline),
            deadline_basis: Some("calendar_days".into()),
            deadline_rule: if self_check {
                format!("企业自定整改期限：自{found}起{days}日")
            } else {
                format!("责令限期整改：自{found}起{days}日")
            },
            status: Status::parse(final_status)
                .ok_or_else(|| AppError::Internal(format!("demo status {final_status}")))?,
            responsible_unit: unit,
            responsible_person: person,
            measures: hazard_words::MEASURES[rng.below(hazard_words::MEASURES.len())].into(),
            funds_planned: Some(if major {
                50_000 + rng.below(400) as i64 * 1000
            } else {
                200 + rng.below(100) as i64 * 100
            }),
            funds_spent: (final_status == "closed").then(|| {
                if major {
                    40_000 + rng.below(400) as i64 * 1000
                } else {
                    150 + rng.below(100) as i64 * 100
                }
            }),
            emergency_plan: if major {
                "专项应急预案（已备案）".into()
            } else {
                String::new()
            },
            campaign: (found >= campaign_from && found <= campaign_to)
                .then(|| work::DEMO_CAMPAIGN.to_string()),
            closed_on,
        };
        let case = major.then(|| {
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
            let seq = items.len() % 40 + 1;
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
        items.push(HazardHistory {
            fields,
            events,
            case,
        });
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
