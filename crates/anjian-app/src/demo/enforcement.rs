//! The demo county's enforcement year (2022): approved annual plans, inspections with
//! their findings and documents, penalty cases of both procedures in their final steps,
//! transfers to public security, rewarded reports, and commissioned township cases. All
//! drawn from the seeded generator, so the same seed gives the same year.

use super::Rng;
use crate::{App, AppError, Result};
use anjian_domain::Scope;
use anjian_store::cases::Case;
use anjian_store::commissions::Commission;
use anjian_store::documents::NewDocument;
use anjian_store::inspections::NewInspection;
use anjian_store::plans::Plan;
use anjian_store::reports::Report;
use anjian_store::transfers::Transfer;
use chrono::{Datelike, NaiveDate};

/// An enterprise as the generator needs it: id, region, first sector, name.
pub(super) struct Ent {
    pub id: i64,
    pub region: String,
    pub sector: String,
    pub name: String,
}

/// A department: id, short name, sectors, whether it has a supervision duty.
pub(super) struct Dept {
    pub id: i64,
    pub sectors: Vec<String>,
    pub duty: bool,
}

const INSPECTORS: [&str; 24] = [
    "刘建华",
    "陈志刚",
    "黄小明",
    "周晓燕",
    "吴国平",
    "徐海涛",
    "孙丽华",
    "胡文斌",
    "朱振宇",
    "高建军",
    "林秀英",
    "何志强",
    "郭新民",
    "马俊杰",
    "罗红梅",
    "梁永胜",
    "宋德明",
    "郑晓东",
    "谢春生",
    "韩立新",
    "唐国庆",
    "冯志远",
    "邓海燕",
    "曹文华",
];

const FINDINGS: [&str; 16] = [
    "安全生产责任制未覆盖全员",
    "未按规定开展安全生产教育培训",
    "特种作业人员未持证上岗",
    "隐患排查治理台账记录不全",
    "应急预案未按规定组织演练",
    "安全警示标志设置不规范",
    "消防设施未定期维护保养",
    "疏散通道堆放杂物",
    "电气线路私拉乱接",
    "危险作业未执行审批制度",
    "劳动防护用品配备不足",
    "有限空间作业未检测通风",
    "安全出口数量不足",
    "可燃气体报警装置失效",
    "设备安全防护装置缺失",
    "未建立安全风险分级管控制度",
];

const CASE_FACTS: [(&str, &str); 6] = [
    (
        "未按规定对从业人员进行安全生产教育和培训",
        "《安全生产法》第九十七条第（三）项",
    ),
    ("未采取措施消除事故隐患", "《安全生产法》第一百零二条"),
    (
        "特种作业人员未按规定取得资格上岗作业",
        "《安全生产法》第九十七条第（七）项",
    ),
    (
        "未在有较大危险因素的设施上设置明显的安全警示标志",
        "《安全生产法》第九十九条第（一）项",
    ),
    (
        "未按规定制定生产安全事故应急救援预案或者未定期组织演练",
        "《安全生产法》第九十七条第（六）项",
    ),
    (
        "违反操作规程储存危险物品",
        "《危险化学品安全管理条例》第八十条",
    ),
];

fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| AppError::Internal(e.to_string()))
}

fn in_campaign(d: NaiveDate) -> Option<String> {
    let s = d.to_string();
    (s.as_str() >= "2022-06-01" && s.as_str() <= "2022-09-08")
        .then(|| super::work::DEMO_CAMPAIGN.to_string())
}

/// A working day of 2022 drawn at random (weekends moved to Monday).
fn workday(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1) as usize;
    let mut d = from + chrono::Duration::days(rng.below(span) as i64);
    while d.weekday().num_days_from_monday() >= 5 {
        d += chrono::Duration::days(1);
    }
    d
}

pub(super) fn generate(app: &App, rng: &mut Rng, ents: &[Ent], depts: &[Dept]) -> Result<usize> {
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let county = super::DEMO_COUNTY_CODE;
    let (start, end) = (day("2022-01-04")?, day("2022-12-23")?);
    let mut written = 0usize;

    // Annual plans, approved by the government in January.
    for (i, d) in depts
        .iter()
        .filter(|d| d.duty && !d.sectors.is_empty())
        .enumerate()
    {
        use anjian_domain::plan::{PlanCategory, PlanLine};
        let lines: Vec<PlanLine> = d
            .sectors
            .iter()
            .flat_map(|s| {
                (1..=12).flat_map(move |month| {
                    [(PlanCategory::Key, 3), (PlanCategory::General, 2)].map(
                        |(category, planned)| PlanLine {
                            sector: s.clone(),
                            category,
                            month,
                            planned,
                        },
                    )
                })
            })
            .collect();
        let p = app.store.save_plan(
            &change,
            &Plan {
                region_code: county.into(),
                department_id: d.id,
                year: 2022,
                title: "2022年度安全生产监督检查计划".into(),
                lines,
                key_enterprise_ids: Vec::new(),
                random_share_percent: 30,
                ..Plan::default()
            },
        )?;
        app.store.approve_plan(
            &change,
            p.id,
            p.version,
            "清江市人民政府",
            chrono::NaiveDate::from_ymd_opt(2022, 1, 20).unwrap_or_default(),
            &format!("清府字〔2022〕{}号", 3 + i),
        )?;
        written += 1;
    }

    // Inspections, their findings, the 现场检查记录 and, with findings, the 责令限期整改指令书.
    let mut inspected: Vec<(i64, usize, i64, NaiveDate, Option<String>, usize)> = Vec::new();
    let enforcing: Vec<&Dept> = depts
        .iter()
        .filter(|d| d.duty && !d.sectors.is_empty())
        .collect();
    let prefixes: Vec<String> = enforcing
        .iter()
        .map(|d| app.document_prefix(d.id))
        .collect::<Result<_>>()?;
    for _ in 0..1480 {
        let di = rng.below(enforcing.len());
        let d = enforcing[di];
        let sector = d.sectors[rng.below(d.sectors.len())].clone();
        let pool: Vec<usize> = ents
            .iter()
            .enumerate()
            .filter(|(_, e)| e.sector == sector)
            .map(|(i, _)| i)
            .collect();
        let Some(&ei) = rng.pick(&pool) else { continue };
        let e = &ents[ei];
        let on = workday(rng, start, end);
        let kind = [
            "routine", "routine", "special", "random", "recheck", "joint",
        ][rng.below(6)];
        let a = rng.below(INSPECTORS.len());
        let b = (a + 1 + rng.below(INSPECTORS.len() - 1)) % INSPECTORS.len();
        let n_findings = [0, 0, 1, 1, 2, 2, 3, 4][rng.below(8)];
        let findings: Vec<(String, String)> = (0..n_findings)
            .map(|_| {
                (
                    String::new(),
                    FINDINGS[rng.below(FINDINGS.len())].to_string(),
                )
            })
            .collect();
        let campaign = in_campaign(on);
        let i = app.store.create_inspection(
            &change,
            &NewInspection {
                region_code: e.region.clone(),
                enterprise_id: Some(e.id),
                site: String::new(),
                department_id: Some(d.id),
                sector: sector.clone(),
                kind: kind.into(),
                enforcement: matches!(kind, "random" | "joint") || rng.chance(60),
                inspected_on: on,
                inspectors: serde_json::json!([INSPECTORS[a], INSPECTORS[b]]).to_string(),
                template_id: None,
                checklist: "[]".into(),
                summary: if n_findings == 0 {
                    "未发现问题".into()
                } else {
                    format!("发现问题{n_findings}项，已责令整改")
                },
                campaign: campaign.clone(),
                findings,
            },
        )?;
        let issue = |doc_type: &str, word: &str, title: &str| -> Result<()> {
            app.store.issue_document(
                &change,
                &NewDocument {
                    region_code: e.region.clone(),
                    sector: sector.clone(),
                    enterprise_id: Some(e.id),
                    department_id: d.id,
                    doc_type: doc_type.into(),
                    year: 2022,
                    pattern: format!("{}{word}〔{{year}}〕{{seq}}号", prefixes[di]),
                    entity: "inspection".into(),
                    entity_id: i.id,
                    title: format!("{title}（{}）", e.name),
                    body: String::new(),
                    issued_on: on.to_string(),
                },
            )?;
            Ok(())
        };
        issue("inspection_record", "检记", "现场检查记录")?;
        if n_findings > 0 {
            issue("rectification_order", "责改", "责令限期整改指令书")?;
        }
        inspected.push((i.id, ei, d.id, on, campaign, di));
        written += 1;
    }

    // Penalty cases: general-procedure cases from inspections with findings, and
    // simple-procedure fines on the spot.
    let mut general_cases = Vec::new();
    for (n, (iid, ei, dept, on, campaign, di)) in inspected.iter().enumerate() {
        let general = n % 22 == 5;
        let simple = !general && n % 6 == 1;
        if !general && !simple {
            continue;
        }
        let e = &ents[*ei];
        let (facts, basis) = CASE_FACTS[rng.below(CASE_FACTS.len())];
        let registered = *on + chrono::Duration::days(if general { 2 } else { 0 });
        let fine_fen = if general {
            (10 + rng.below(90) as i64) * 100_000
        } else {
            (5 + rng.below(25) as i64) * 10_000
        };
        let measures = if general {
            match rng.below(10) {
                0 => "fine,stop_production",
                1 => "fine,suspend_licence",
                2 => "close",
                _ => "fine",
            }
        } else if rng.chance(20) {
            "warning"
        } else {
            "fine"
        };
        let decided = registered
            + chrono::Duration::days(if general {
                35 + rng.below(40) as i64
            } else {
                0
            });
        let status = if general {
            ["decided", "served", "executed", "closed", "closed"][rng.below(5)]
        } else {
            ["served", "executed", "closed"][rng.below(3)]
        };
        let ds = |d: NaiveDate| Some(d.to_string());
        let c = Case {
            id: 0,
            county_code: county.into(),
            region_code: e.region.clone(),
            department_id: Some(*dept),
            enterprise_id: Some(e.id),
            sector: e.sector.clone(),
            procedure: if general { "general" } else { "simple" }.into(),
            party_kind: "organisation".into(),
            party_name: e.name.clone(),
            facts: facts.into(),
            legal_basis: basis.into(),
            fine_fen: if measures == "warning" || measures == "close" {
                0
            } else {
                fine_fen
            },
            measures: measures.into(),
            major: general && (fine_fen >= 5_000_000 || measures != "fine"),
            status: anjian_domain::cases::CaseStatus::parse(status)
                .ok_or_else(|| AppError::Internal(format!("demo case status {status}")))?,
            registered_on: registered.to_string(),
            notified_on: general.then(|| (registered + chrono::Duration::days(25)).to_string()),
            legal_review: if general {
                "经法制审核，事实清楚、证据确凿、适用依据正确、程序合法".into()
            } else {
                String::new()
            },
            legal_reviewed_on: general
                .then(|| (registered + chrono::Duration::days(30)).to_string()),
            decided_on: ds(decided),
            served_on: (status != "decided")
                .then(|| (decided + chrono::Duration::days(2)).to_string()),
            executed_on: matches!(status, "executed" | "closed")
                .then(|| (decided + chrono::Duration::days(12)).to_string()),
            closed_on: (status == "closed")
                .then(|| (decided + chrono::Duration::days(20)).to_string()),
            hazard_id: None,
            inspection_id: Some(*iid),
            campaign: campaign.clone(),
            discussed_on: (general && (fine_fen >= 5_000_000 || measures != "fine"))
                .then(|| (registered + chrono::Duration::days(32)).to_string()),
            extension_days: 0,
            examined_on: general.then(|| (registered + chrono::Duration::days(20)).to_string()),
            version: 1,
        };
        // A case decided after its agency's period (30 days for work-safety cases under
        // 原总局令第15号) carries the extension its head approved, in steps of 30 days.
        let mut c = c;
        if general && let Some(rule) = app.decision_rule(&c)? {
            let took = u32::try_from((decided - registered).num_days()).unwrap_or(0);
            if took > rule.base_days {
                let needed = (took - rule.base_days).div_ceil(30) * 30;
                c.extension_days = i64::from(needed.min(rule.head_cap_days - rule.base_days));
            }
        }
        let saved = app.store.create_case(&change, &c, "demo")?;
        if general {
            app.store.issue_document(
                &change,
                &NewDocument {
                    region_code: e.region.clone(),
                    sector: e.sector.clone(),
                    enterprise_id: Some(e.id),
                    department_id: *dept,
                    doc_type: "penalty_decision".into(),
                    year: 2022,
                    pattern: format!("{}罚〔{{year}}〕{{seq}}号", prefixes[*di]),
                    entity: "case".into(),
                    entity_id: saved.id,
                    title: format!("行政处罚决定书（{}）", e.name),
                    body: String::new(),
                    issued_on: decided.to_string(),
                },
            )?;
            general_cases.push((saved.id, *ei, decided));
        }
        written += 1;
    }

    // Transfers to public security from a few general cases.
    for (k, (case_id, ei, decided)) in general_cases.iter().enumerate().filter(|(k, _)| k % 5 == 2)
    {
        let e = &ents[*ei];
        let report_on = *decided + chrono::Duration::days(1);
        let t = app.store.create_transfer(
            &change,
            &Transfer {
                region_code: e.region.clone(),
                sector: e.sector.clone(),
                enterprise_id: Some(e.id),
                case_id: Some(*case_id),
                subject: format!("{}主要负责人", e.name),
                crime_type: if k % 2 == 0 {
                    "重大责任事故罪（危险作业）".into()
                } else {
                    "非法经营罪".into()
                },
                facts: "拒不执行停产停业决定，继续冒险作业".into(),
                officers: serde_json::json!(["刘建华", "陈志刚"]).to_string(),
                report_on: report_on.to_string(),
                ..Transfer::default()
            },
        )?;
        let done = Transfer {
            status: anjian_domain::transfer::TransferState::Transferred,
            decided_on: Some((report_on + chrono::Duration::days(2)).to_string()),
            decided_at: Some(format!("{} 16:30", report_on + chrono::Duration::days(2))),
            decided_by: "王立新".into(),
            decided_as: "principal".into(),
            transferred_on: Some((report_on + chrono::Duration::days(3)).to_string()),
            transferred_at: Some(format!("{} 10:00", report_on + chrono::Duration::days(3))),
            police_unit: "清江市公安局".into(),
            ..t
        };
        app.store.update_transfer(&change, &done, "transfer")?;
        written += 1;
    }

    // Reports from the public: received, verified, some rewarded and paid.
    for n in 0..48 {
        let e = &ents[rng.below(ents.len())];
        let received = workday(rng, start, end);
        let r = app.store.create_report(
            &change,
            &Report {
                region_code: e.region.clone(),
                sector: e.sector.clone(),
                enterprise_id: Some(e.id),
                channel: ["12350热线", "信函", "网站", "来访"][rng.below(4)].into(),
                received_on: received.to_string(),
                anonymous: n % 4 == 0,
                reporter_name: if n % 4 == 0 {
                    String::new()
                } else {
                    "群众".into()
                },
                category: if n % 3 == 0 {
                    "illegal".into()
                } else {
                    "general".into()
                },
                content: format!("反映{}存在{}", e.name, FINDINGS[rng.below(FINDINGS.len())]),
                ..Report::default()
            },
        )?;
        let paid = n % 4 != 0 && n % 5 == 1;
        // A rewarded report led to a penalty case (and so counts in the case's campaign).
        let case_id = if paid && !general_cases.is_empty() {
            Some(general_cases[(n * 7) % general_cases.len()].0)
        } else {
            None
        };
        let verified = received + chrono::Duration::days(10);
        let next = Report {
            status: if paid {
                anjian_domain::report::ReportState::Paid
            } else if n % 3 == 2 {
                anjian_domain::report::ReportState::Unfounded
            } else {
                anjian_domain::report::ReportState::Verified
            },
            verified_on: Some(verified.to_string()),
            verify_note: if n % 3 == 2 {
                "经核查，举报内容不属实".into()
            } else {
                "经核查，举报属实，已责令整改".into()
            },
            reward_fen: paid.then_some(50_000 + (n as i64 % 4) * 25_000),
            reward_formula: if paid {
                "一般隐患举报奖励（县级规则）".into()
            } else {
                String::new()
            },
            approved_by: if paid {
                "安委办".into()
            } else {
                String::new()
            },
            approved_on: paid.then(|| (verified + chrono::Duration::days(5)).to_string()),
            paid_on: paid.then(|| (verified + chrono::Duration::days(12)).to_string()),
            case_id,
            ..r
        };
        app.store.update_report(&change, &next, "demo")?;
        written += 1;
    }

    // 委托执法: three agencies commission every township; townships then fine on the spot.
    let towns: Vec<String> = {
        let mut t: Vec<String> = ents
            .iter()
            .map(|e| format!("{}000", &e.region[..9]))
            .collect();
        t.sort();
        t.dedup();
        t
    };
    let agencies = [
        (
            "清江市公安局交通管理大队（交警）",
            "交警",
            &[
                ("JT-01", "农村道路违规载人", 200.0),
                ("JT-02", "驾驶无牌无证车辆", 200.0),
                ("JT-03", "未戴安全头盔", 50.0),
            ][..],
        ),
        (
            "清江市农业农村局（农机）",
            "农机",
            &[
                ("NJ-01", "拖拉机违规载人", 200.0),
                ("NJ-02", "农机未年检上路", 200.0),
            ][..],
        ),
        (
            "清江市交通运输局（运管）",
            "运管",
            &[("YG-01", "非法营运载客", 2000.0)][..],
        ),
    ];
    for (ti, town) in towns.iter().enumerate() {
        for (agency, short, items) in &agencies {
            let json: Vec<serde_json::Value> = items
                .iter()
                .map(|(c, n, m)| serde_json::json!({"code": c, "name": n, "legal_basis": "", "max_fine_yuan": m}))
                .collect();
            let c = app.store.create_commission(
                &change,
                &Commission {
                    region_code: town.clone(),
                    agency: agency.to_string(),
                    agreement_no: format!("清{short}委〔2022〕{}号", ti + 1),
                    items: serde_json::Value::Array(json).to_string(),
                    valid_from: "2022-01-01".into(),
                    valid_to: "2022-12-31".into(),
                    ..Commission::default()
                },
            )?;
            if *short != "交警" {
                continue;
            }
            for _ in 0..(6 + rng.below(8)) {
                let on = workday(rng, start, end);
                let (code, name, _) = items[rng.below(items.len())];
                let case = Case {
                    id: 0,
                    county_code: county.into(),
                    region_code: town.clone(),
                    department_id: None,
                    enterprise_id: None,
                    sector: "road".into(),
                    procedure: "simple".into(),
                    party_kind: "person".into(),
                    party_name: super::words::person_name(&mut |k| rng.below(k)),
                    facts: name.into(),
                    legal_basis: "《道路交通安全法》".into(),
                    fine_fen: 5_000 * (1 + rng.below(4) as i64),
                    measures: "fine".into(),
                    major: false,
                    status: anjian_domain::cases::CaseStatus::Executed,
                    registered_on: on.to_string(),
                    notified_on: None,
                    legal_review: String::new(),
                    legal_reviewed_on: None,
                    decided_on: Some(on.to_string()),
                    served_on: Some(on.to_string()),
                    executed_on: Some(on.to_string()),
                    closed_on: None,
                    hazard_id: None,
                    inspection_id: None,
                    campaign: in_campaign(on),
                    discussed_on: None,
                    extension_days: 0,
                    examined_on: None,
                    version: 1,
                };
                app.store
                    .create_case_with(&change, &case, "demo", Some((c.id, code, agency)))?;
                written += 1;
            }
        }
    }
    Ok(written)
}
