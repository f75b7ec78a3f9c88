//! The demo county's target-responsibility letters (目标管理责任状): in February 2022 the
//! 市人民政府 signs with every township and every department with supervision duty, the
//! 市安委会 with thirty key enterprises; early January 2023 the first letters of the next
//! year. Indicators reference real metrics, with targets set the way a county sets them
//! (round numbers near what the unit did the year before), so the tracking reads a mix of
//! 已达成 and 未达成 for 2022 and 有风险 for the year just begun. Every letter has its
//! signed scan. Written through the use cases, on a clock set to each letter's day.

use super::Town;
use crate::letters::{IndicatorInput, LetterInput};
use crate::{App, Result};
use anjian_domain::FixedClock;
use anjian_domain::enterprise::{EnterpriseStatus, NewEnterprise};
use anjian_domain::period::Period;
use anjian_store::stats::StatFilter;
use chrono::NaiveDate;
use std::sync::Arc;

/// A department of the demo: id and whether it has supervision duty.
pub(super) type Dept = (i64, bool);

fn ind(text: &str) -> IndicatorInput {
    IndicatorInput {
        text: text.into(),
        ..IndicatorInput::default()
    }
}

fn measured(text: &str, metric: &str, cmp: &str, target: f64, per: Option<&str>) -> IndicatorInput {
    IndicatorInput {
        text: text.into(),
        metric: Some(metric.into()),
        comparator: Some(cmp.into()),
        target: Some(target),
        per_metric: per.map(str::to_string),
    }
}

/// A target near `done`: a little below it (met) or, for every `miss`-th unit, above it
/// (missed), in round numbers.
fn target_near(done: i64, n: usize, miss: usize, step: i64) -> f64 {
    let t = if n % miss == miss - 1 {
        (done * 12 / 10 / step + 1) * step
    } else {
        (done * 9 / 10 / step).max(1) * step
    };
    t as f64
}

/// The demo's signed scan: a one-page PDF naming the letter.
fn scan(title: &str, who: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n% {who} {title}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Thirty operating key or above-scale enterprises, spread over the register: mostly ones
/// that report hazards of their own (a county signs with the enterprises it works with), a
/// few that do not.
fn signing_enterprises(
    list: &[NewEnterprise],
    ids: &[i64],
    reports: impl Fn(i64) -> Result<bool>,
) -> Result<Vec<i64>> {
    let eligible: Vec<i64> = list
        .iter()
        .zip(ids)
        .filter(|(e, _)| e.status == EnterpriseStatus::Operating && (e.is_key || e.above_scale))
        .map(|(_, id)| *id)
        .collect();
    let (mut active, mut quiet) = (Vec::new(), Vec::new());
    for id in eligible {
        if reports(id)? {
            active.push(id);
        } else {
            quiet.push(id);
        }
    }
    let spread = |v: Vec<i64>, n: usize| -> Vec<i64> {
        let step = (v.len() / n.max(1)).max(1);
        v.into_iter().step_by(step).take(n).collect()
    };
    let mut out = spread(active, 25);
    let more = 30 - out.len();
    out.extend(spread(quiet, more));
    out.sort_unstable();
    Ok(out)
}

pub(super) fn generate(
    app: &App,
    towns: &[Town],
    departments: &[Dept],
    list: &[NewEnterprise],
    ids: &[i64],
) -> Result<usize> {
    let caller = app.system_caller("demo")?;
    let year = Period::year(2022).ok_or_else(|| crate::AppError::Internal("2022".into()))?;
    // What a unit did in 2022, for setting round targets near it.
    let done = |f: &StatFilter, id: &str| -> Result<i64> {
        Ok(app
            .metric_values(&caller, &year, f, Some(&[id.to_string()]))?
            .first()
            .and_then(|v| v.raw)
            .unwrap_or(0))
    };
    let enterprises = signing_enterprises(list, ids, |id| {
        let f = StatFilter {
            enterprise_id: Some(id),
            ..StatFilter::default()
        };
        Ok(done(&f, "hazards.found_self_check")? > 0)
    })?;
    let mut letters: Vec<(NaiveDate, LetterInput)> = Vec::new();
    for (n, (code, _, _)) in towns.iter().enumerate() {
        let f = StatFilter {
            region_prefix: Some(code[..9].to_string()),
            ..StatFilter::default()
        };
        let found = target_near(done(&f, "hazards.found")?, n, 5, 10);
        // A ceiling on the hazards still overdue at the year's end: most townships kept
        // under it, every fourth did not.
        let overdue = done(&f, "hazards.open_overdue")?;
        let ceiling = if n % 4 == 3 {
            (overdue - 1).max(0)
        } else {
            (overdue / 5 + 1) * 5
        } as f64;
        letters.push((
            day(2022, 2, 10 + (n % 5) as u32),
            LetterInput {
                year: 2022,
                issuer: "市人民政府".into(),
                counterpart_kind: "township".into(),
                township_code: Some(code.clone()),
                title: "2022年度安全生产和消防工作目标管理责任状".into(),
                indicators: vec![
                    ind("不发生较大及以上生产安全事故和有影响的火灾事故"),
                    measured(
                        &format!("全年排查登记安全隐患不少于{found}条"),
                        "hazards.found",
                        "ge",
                        found,
                        None,
                    ),
                    measured(
                        "隐患整改率不低于90%",
                        "hazards.found_closed",
                        "ge",
                        90.0,
                        Some("hazards.found"),
                    ),
                    measured(
                        &format!("年底逾期未整改隐患不超过{ceiling}条"),
                        "hazards.open_overdue",
                        "le",
                        ceiling,
                        None,
                    ),
                    ind("落实乡村应急管理能力创建“六有”要求"),
                ],
                ..LetterInput::default()
            },
        ));
    }
    for (n, (id, _)) in departments.iter().filter(|d| d.1).enumerate() {
        let f = StatFilter {
            department_id: Some(*id),
            ..StatFilter::default()
        };
        let inspections = done(&f, "inspections.count")?;
        let target = if inspections == 0 {
            12.0
        } else {
            target_near(inspections, n, 4, 5)
        };
        letters.push((
            day(2022, 2, 15 + (n % 4) as u32),
            LetterInput {
                year: 2022,
                issuer: "市人民政府".into(),
                counterpart_kind: "department".into(),
                department_id: Some(*id),
                title: "2022年度安全生产工作目标管理责任状".into(),
                indicators: vec![
                    ind("按照“三管三必须”要求履行行业领域安全监管职责"),
                    measured(
                        &format!("全年开展监督检查不少于{target}次"),
                        "inspections.count",
                        "ge",
                        target,
                        None,
                    ),
                    measured(
                        "重大隐患按期整改销号，无逾期未完成治理的重大隐患",
                        "major.overdue",
                        "le",
                        0.0,
                        None,
                    ),
                    ind("按时报送安全生产工作总结和统计报表"),
                ],
                ..LetterInput::default()
            },
        ));
    }
    for (n, id) in enterprises.iter().enumerate() {
        let f = StatFilter {
            enterprise_id: Some(*id),
            ..StatFilter::default()
        };
        let own = done(&f, "hazards.found_self_check")?;
        let target = if own == 0 {
            2.0
        } else {
            target_near(own, n, 3, 1)
        };
        letters.push((
            day(2022, 3, 1 + (n % 20) as u32),
            LetterInput {
                year: 2022,
                issuer: "市安全生产委员会".into(),
                counterpart_kind: "enterprise".into(),
                enterprise_id: Some(*id),
                title: "2022年度企业安全生产主体责任书".into(),
                indicators: vec![
                    ind("不发生一般及以上生产安全事故"),
                    measured(
                        &format!("企业自查自报隐患不少于{target}条"),
                        "hazards.found_self_check",
                        "ge",
                        target,
                        None,
                    ),
                    measured(
                        "隐患整改率达到100%",
                        "hazards.found_closed",
                        "eq",
                        100.0,
                        Some("hazards.found"),
                    ),
                    measured("无逾期未整改隐患", "hazards.open_overdue", "le", 0.0, None),
                ],
                ..LetterInput::default()
            },
        ));
    }
    // The next year has begun: its first letters are being tracked (有风险 until reached).
    for (n, id) in enterprises.iter().take(5).enumerate() {
        letters.push((
            day(2023, 1, 5 + n as u32 % 3),
            LetterInput {
                year: 2023,
                issuer: "市安全生产委员会".into(),
                counterpart_kind: "enterprise".into(),
                enterprise_id: Some(*id),
                title: "2023年度企业安全生产主体责任书".into(),
                indicators: vec![
                    ind("不发生一般及以上生产安全事故"),
                    measured(
                        "企业自查自报隐患不少于12条",
                        "hazards.found_self_check",
                        "ge",
                        12.0,
                        None,
                    ),
                    measured("无逾期未整改隐患", "hazards.open_overdue", "le", 0.0, None),
                ],
                ..LetterInput::default()
            },
        ));
    }
    let mut written = 0;
    for (signed, mut input) in letters {
        input.signed_on = signed.to_string();
        let on = on_day(app, signed);
        let l = on.create_letter(&caller, &input)?;
        let file = scan(&l.title, &l.counterpart_name);
        on.attach_letter_scan(
            &caller,
            l.id,
            &format!("{}-{}.pdf", l.counterpart_name, l.year),
            file,
        )?;
        written += 1;
    }
    Ok(written)
}

/// The app with its clock on `d` (09:00 China time), so a record's dates and audit times are
/// the day it was made.
pub(super) fn on_day(app: &App, d: NaiveDate) -> App {
    App {
        clock: Arc::new(FixedClock::at_date(d)),
        ..app.clone()
    }
}
