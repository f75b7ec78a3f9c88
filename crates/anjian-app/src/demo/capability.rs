//! The demo county's grassroots emergency capability (乡村应急能力创建) in 2022: every
//! township assesses itself against the “六有” in the autumn, and two of its villages against
//! the “三有”; the 安委办 accepts fifteen townships as 达标 between October and December,
//! finds three 未达标, returns one for more evidence and has one still to inspect. Written
//! through the use cases, each step on its own day.

use super::Town;
use super::letters::on_day;
use crate::capability::{AssessmentInput, CapabilityActionInput, ItemAnswer};
use crate::{App, Result};
use anjian_domain::capability::Level;
use chrono::NaiveDate;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, d).unwrap_or_default()
}

/// What happens to a township's assessment (by its place in the list).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pass,
    Fail,
    Returned,
    Waiting,
}

fn outcome(n: usize) -> Outcome {
    match n {
        3 | 9 | 16 => Outcome::Fail,
        12 => Outcome::Returned,
        19 => Outcome::Waiting,
        _ => Outcome::Pass,
    }
}

const INSPECTORS: [&str; 4] = [
    "王建国、刘芳、杨帆",
    "王建国、钟敏",
    "刘芳、袁涛、胡强",
    "王建国、袁涛",
];

pub(super) fn generate(app: &App, towns: &[Town]) -> Result<usize> {
    let caller = app.system_caller("demo")?;
    let items = app.capability_items()?;
    let mut count = 0;
    for (n, (code, name, villages)) in towns.iter().enumerate() {
        let result = outcome(n);
        let mut places: Vec<(String, Level)> = vec![(code.clone(), Level::Township)];
        places.extend(
            villages
                .iter()
                .filter(|(c, _)| &c[9..12] != "001")
                .take(2)
                .map(|(c, _)| (c.clone(), Level::Village)),
        );
        for (k, (place, level)) in places.iter().enumerate() {
            let opened = on_day(app, day(8, 1 + (n % 20) as u32));
            let a = opened.open_capability_assessment(
                &caller,
                &AssessmentInput {
                    region_code: place.clone(),
                    year: 2022,
                },
            )?;
            // The self-assessment: a township that fails falls short on its team and its
            // drills; a village short of equipment now and then.
            let answers: Vec<ItemAnswer> = items
                .iter()
                .filter(|i| i.level == *level && i.active)
                .map(|i| {
                    let short = match level {
                        Level::Township => {
                            result == Outcome::Fail && matches!(i.code.as_str(), "team" | "drills")
                        }
                        Level::Village => (n + k) % 4 == 0 && i.code == "equipment",
                    };
                    ItemAnswer {
                        code: i.code.clone(),
                        met: Some(!short),
                        note: if short {
                            format!("{}尚未完全达到，正在整改", i.name)
                        } else {
                            format!("{name}已按要求落实{}", i.name)
                        },
                    }
                })
                .collect();
            let filled = on_day(app, day(9, 1 + (n % 25) as u32));
            let mut a = filled.capability_action(
                &caller,
                a.id,
                &CapabilityActionInput {
                    action: "save".into(),
                    version: a.version,
                    items: answers,
                    ..CapabilityActionInput::default()
                },
            )?;
            // Evidence for the first two items.
            for it in a.items.clone().iter().take(2) {
                let file = format!(
                    "%PDF-1.4\n% {name} {} 佐证材料\ntrailer << >>\n%%EOF\n",
                    it.name
                );
                a = filled
                    .attach_capability_file(
                        &caller,
                        a.id,
                        &it.code,
                        &format!("{}-{}.pdf", name, it.name),
                        file.into_bytes(),
                    )?
                    .0;
            }
            if result == Outcome::Waiting && k == 0 {
                count += 1;
                continue;
            }
            let submitted_on = day(9, 26 + (n % 4) as u32);
            let submitted = on_day(app, submitted_on);
            a = submitted.capability_action(
                &caller,
                a.id,
                &CapabilityActionInput {
                    action: "submit".into(),
                    version: a.version,
                    ..CapabilityActionInput::default()
                },
            )?;
            let visit = day(10 + (n % 3) as u32, 10 + (n % 15) as u32);
            let inspected = on_day(app, visit);
            if result == Outcome::Returned && k == 0 {
                inspected.capability_action(
                    &caller,
                    a.id,
                    &CapabilityActionInput {
                        action: "return".into(),
                        version: a.version,
                        reason: Some("应急演练记录和物资台账佐证材料不全，请补充后重新提交".into()),
                        ..CapabilityActionInput::default()
                    },
                )?;
                count += 1;
                continue;
            }
            let pass = match level {
                Level::Township => result != Outcome::Fail,
                Level::Village => (n + k) % 4 != 0,
            };
            inspected.capability_action(
                &caller,
                a.id,
                &CapabilityActionInput {
                    action: "accept".into(),
                    version: a.version,
                    result: Some(if pass { "pass" } else { "fail" }.into()),
                    accepted_on: Some(visit.to_string()),
                    inspectors: Some(INSPECTORS[n % INSPECTORS.len()].into()),
                    remarks: Some(if pass {
                        "经现场查验和资料审核，达到创建标准".into()
                    } else {
                        "应急队伍建设和培训演练未达到创建标准，限期整改后重新申请验收".into()
                    }),
                    ..CapabilityActionInput::default()
                },
            )?;
            count += 1;
        }
    }
    Ok(count)
}
