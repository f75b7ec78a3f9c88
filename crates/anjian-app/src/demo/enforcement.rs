//! The demo county's enforcement year (2022): approved annual plans, inspections with
//! their findings and documents, penalty cases of both procedures in their final steps
//! (`cases`), transfers to public security, rewarded reports, and commissioned township
//! cases (`commissioned`). All drawn from the seeded generator, so the same seed gives the
//! same year; how many of each follows the plan below, so every seed's year has the source
//! report's magnitudes.

use super::Rng;
use super::cases::{Cases, Opened};
use crate::{App, AppError, Result};
use anjian_domain::Scope;
use anjian_store::documents::NewDocument;
use anjian_store::inspections::{NewInspection, Officer};
use anjian_store::plans::Plan;
use anjian_store::reports::Report;
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
    pub short: &'static str,
    pub sectors: Vec<String>,
    pub duty: bool,
}

/// The departments' certified officers (执法人员), named in the inspections they made: four
/// for the 应急管理局, two for each other inspecting department, in the order of
/// [`INSPECTIONS`].
pub(super) const INSPECTORS: [&str; 32] = [
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
    "彭立群",
    "曾宪文",
    "萧雅琴",
    "田永康",
    "董建平",
    "潘晓峰",
    "蒋文静",
    "蔡国华",
];

/// The last valid day of the demo officers' certificates.
const CERT_VALID_UNTIL: &str = "2026-12-31";

/// The certified officers of each inspecting department, as user accounts (role
/// `inspector`) with their 执法证号, and as an inspection keeps them.
fn officers(app: &App, depts: &[Dept]) -> Result<Vec<(&'static str, Vec<Officer>)>> {
    let until = day(CERT_VALID_UNTIL)?;
    let mut names = INSPECTORS.iter();
    let mut rosters: Vec<(&'static str, Vec<Officer>)> = Vec::new();
    for (short, _, _, _) in INSPECTIONS {
        if rosters.iter().any(|(s, _)| *s == short) {
            continue;
        }
        let Some(d) = depts.iter().find(|d| d.short == short) else {
            continue;
        };
        let n = rosters.len() + 1;
        let size = if short == "应急局" { 4 } else { 2 };
        let mut team = Vec::new();
        for k in 1..=size {
            let Some(name) = names.next() else { break };
            let cert_no = format!("赣{}{n:02}{k:03}", &super::DEMO_COUNTY_CODE[..6]);
            let id = app.add_user_system(
                "demo",
                &crate::users::NewUser {
                    username: format!("zf{n:02}{k:02}"),
                    display_name: name.to_string(),
                    role: "inspector".into(),
                    password: Some(super::DEMO_PASSWORD.into()),
                    department_id: Some(d.id),
                    active: true,
                    cert_no: Some(cert_no.clone()),
                    cert_valid_until: Some(CERT_VALID_UNTIL.into()),
                    ..Default::default()
                },
            )?;
            team.push(Officer {
                id,
                name: name.to_string(),
                cert_no,
                cert_valid_until: Some(until),
            });
        }
        rosters.push((short, team));
    }
    Ok(rosters)
}

pub(super) const FINDINGS: [&str; 16] = [
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

pub(super) const CASE_FACTS: [(&str, &str); 6] = [
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

pub(super) fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| AppError::Internal(e.to_string()))
}

pub(super) fn in_campaign(d: NaiveDate) -> Option<String> {
    let s = d.to_string();
    (s.as_str() >= "2022-06-01" && s.as_str() <= "2022-09-08")
        .then(|| super::work::DEMO_CAMPAIGN.to_string())
}

/// A working day of 2022 drawn at random (weekends moved to Monday).
pub(super) fn workday(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1) as usize;
    let mut d = from + chrono::Duration::days(rng.below(span) as i64);
    while d.weekday().num_days_from_monday() >= 5 {
        d += chrono::Duration::days(1);
    }
    d
}

/// The year's inspections per department and sector: (department, sector, during the
/// campaign, the rest of the year). During the 百日攻坚 campaign (2022-06-01 to 09-08) every
/// department inspects more: eleven inspections in twelve find a violation that is filed as a
/// general-procedure case (立案调查), the twelfth is fined on the spot. The rest of the year
/// one inspection in 22 is filed and one in six fined on the spot. The 应急管理局 keeps its
/// own proportions all year (`emergency_outcome`).
const INSPECTIONS: [(&str, &str, usize, usize); 25] = [
    ("应急局", "hazchem", 50, 120),
    ("应急局", "fireworks", 45, 105),
    ("应急局", "mines", 15, 45),
    ("应急局", "industry_trade", 50, 130),
    ("住建局", "construction", 90, 80),
    ("住建局", "gas", 10, 20),
    ("交通局", "road", 100, 40),
    ("交通局", "water", 20, 10),
    ("消防大队", "fire", 200, 80),
    ("市场监管局", "special_equipment", 90, 30),
    ("市场监管局", "e_salute", 10, 5),
    ("市场监管局", "alcohol_fuel", 30, 10),
    ("教体局", "campus", 60, 20),
    ("农业农村局", "agriculture", 60, 15),
    ("卫健委", "health", 50, 15),
    ("商务局", "commerce", 90, 25),
    ("商务局", "alcohol_fuel", 30, 5),
    ("文广新旅局", "culture_tourism", 80, 20),
    ("城管局", "urban", 40, 15),
    ("公安局", "road", 60, 15),
    ("公安局", "fireworks", 10, 10),
    ("公安局", "e_salute", 10, 5),
    ("自然资源局", "mines", 40, 15),
    ("工信局", "industry_trade", 80, 20),
    ("邮管局", "commerce", 30, 10),
];

/// What the `i`-th inspection of a 应急管理局 sector leads to: (general case, simple case).
/// One in six 危化 and 烟花爆竹 inspections is filed (立案), one in twelve of the mines and one
/// in eighteen of the 工贸 ones; of the others, every second one ends in a fine on the spot.
fn emergency_outcome(sector: &str, i: usize) -> (bool, bool) {
    let every = match sector {
        "hazchem" | "fireworks" => 6,
        "mines" => 12,
        _ => 18,
    };
    let general = i % every == 3;
    (general, !general && i % 2 == 1)
}

pub(super) fn generate(app: &App, rng: &mut Rng, ents: &[Ent], depts: &[Dept]) -> Result<usize> {
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let county = super::DEMO_COUNTY_CODE;
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

    // Inspections, their findings, the 现场检查记录 and, with findings, the 责令限期整改指令书;
    // the cases they lead to.
    let mut cases = Cases::new(app, &change);
    let campaign = (day("2022-06-01")?, day("2022-09-08")?);
    let before = (day("2022-01-04")?, day("2022-05-31")?);
    let after = (day("2022-09-09")?, day("2022-12-23")?);
    let rosters = officers(app, depts)?;
    for (short, sector, during, rest) in INSPECTIONS {
        let Some(d) = depts.iter().find(|d| d.short == short) else {
            continue;
        };
        let pool: Vec<usize> = ents
            .iter()
            .enumerate()
            .filter(|(_, e)| e.sector == sector)
            .map(|(i, _)| i)
            .collect();
        if pool.is_empty() {
            continue;
        }
        let team = rosters
            .iter()
            .find(|(s, _)| *s == short)
            .map(|(_, t)| t.as_slice())
            .unwrap_or_default();
        if team.len() < 2 {
            continue;
        }
        let prefix = app.document_prefix(d.id)?;
        let emergency = short == "应急局";
        for i in 0..during + rest {
            let during_campaign = i < during;
            let on = if during_campaign {
                workday(rng, campaign.0, campaign.1)
            } else if rng.below(254) < 148 {
                workday(rng, before.0, before.1)
            } else {
                workday(rng, after.0, after.1)
            };
            let (general, simple) = if emergency {
                emergency_outcome(sector, i)
            } else if during_campaign {
                (i % 12 != 11, i % 12 == 11)
            } else {
                let j = i - during;
                (j % 22 == 5, j % 22 != 5 && j % 6 == 1)
            };
            let ei = pool[rng.below(pool.len())];
            let e = &ents[ei];
            let kind = [
                "routine", "routine", "special", "random", "recheck", "joint",
            ][rng.below(6)];
            // Two officers of the department, holding certificates valid all year.
            let a = rng.below(team.len());
            let b = (a + 1 + rng.below(team.len() - 1)) % team.len();
            // A case is opened on a violation found.
            let n_findings = match [0, 0, 1, 1, 2, 2, 3, 4][rng.below(8)] {
                0 if general || simple => 1,
                n => n,
            };
            let findings: Vec<(String, String)> = (0..n_findings)
                .map(|_| {
                    (
                        String::new(),
                        FINDINGS[rng.below(FINDINGS.len())].to_string(),
                    )
                })
                .collect();
            let campaign_code = in_campaign(on);
            let inspection = app.store.create_inspection(
                &change,
                &NewInspection {
                    region_code: e.region.clone(),
                    enterprise_id: Some(e.id),
                    site: String::new(),
                    department_id: Some(d.id),
                    sector: sector.to_string(),
                    kind: kind.into(),
                    enforcement: matches!(kind, "random" | "joint") || rng.chance(60),
                    inspected_on: on,
                    inspectors: "[]".into(),
                    officers: vec![team[a].clone(), team[b].clone()],
                    template_id: None,
                    checklist: "[]".into(),
                    summary: if n_findings == 0 {
                        "未发现问题".into()
                    } else {
                        format!("发现问题{n_findings}项，已责令整改")
                    },
                    campaign: campaign_code,
                    findings,
                },
            )?;
            let issue = |doc_type: &str, word: &str, title: &str| -> Result<()> {
                let body =
                    app.document_text_for(doc_type, "inspection", inspection.id, d.id, on)?;
                app.store.issue_document(
                    &change,
                    &NewDocument {
                        region_code: e.region.clone(),
                        sector: sector.to_string(),
                        enterprise_id: Some(e.id),
                        department_id: d.id,
                        doc_type: doc_type.into(),
                        year: 2022,
                        pattern: format!("{prefix}{word}〔{{year}}〕{{seq}}号"),
                        entity: "inspection".into(),
                        entity_id: inspection.id,
                        title: format!("{title}（{}）", e.name),
                        body,
                        issued_on: on,
                    },
                )?;
                Ok(())
            };
            issue("inspection_record", "检记", "现场检查记录")?;
            if n_findings > 0 {
                issue("rectification_order", "责改", "责令限期整改指令书")?;
            }
            if general || simple {
                cases.open(
                    rng,
                    &Opened {
                        inspection_id: inspection.id,
                        ent: e,
                        ei,
                        department_id: d.id,
                        prefix: &prefix,
                        on,
                        general,
                        emergency,
                    },
                )?;
            }
            written += 1;
        }
    }
    written += cases.written;

    // Transfers to public security (行刑衔接).
    for (case_id, ei, decided, crime) in &cases.to_transfer {
        let e = &ents[*ei];
        let facts = if crime.contains("成品油") {
            "无证非法储存、销售成品油，涉嫌非法经营"
        } else {
            "拒不执行停产停业决定，继续冒险作业"
        };
        super::cases::transfer(
            app,
            &change,
            (
                *case_id,
                &e.region,
                &e.sector,
                Some(e.id),
                &format!("{}主要负责人", e.name),
            ),
            *decided,
            crime,
            facts,
        )?;
        written += 1;
    }

    // Reports from the public: received, verified, some rewarded and paid. A rewarded report
    // led to a penalty case (and so counts in the case's campaign): half of them to cases of
    // the campaign. It came in before the case was decided and was paid after.
    let last_paid = day("2022-12-15")?;
    let linkable = |during: bool| -> Vec<&super::cases::Decided> {
        cases
            .decided
            .iter()
            .filter(|c| c.3 == during && c.2 <= last_paid)
            .collect()
    };
    let (during, outside) = (linkable(true), linkable(false));
    let (start, end) = (day("2022-01-04")?, day("2022-12-23")?);
    let mut rewarded = 0usize;
    for n in 0..48 {
        let paid = n % 4 != 0 && n % 5 == 1;
        let linked = if paid {
            let pool = if rewarded.is_multiple_of(2) {
                &during
            } else {
                &outside
            };
            rewarded += 1;
            pool.get((n * 7) % pool.len().max(1)).copied()
        } else {
            None
        };
        let (e, received) = match linked {
            Some((_, ei, decided, _)) => (&ents[*ei], *decided - chrono::Duration::days(40)),
            None => (&ents[rng.below(ents.len())], workday(rng, start, end)),
        };
        let r = app.store.create_report(
            &change,
            &Report {
                region_code: e.region.clone(),
                sector: e.sector.clone(),
                enterprise_id: Some(e.id),
                channel: ["12350热线", "信函", "网站", "来访"][rng.below(4)].into(),
                received_on: received,
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
        let verified = received + chrono::Duration::days(10);
        let settled = linked.map(|c| c.2).unwrap_or(verified);
        let next = Report {
            status: if linked.is_some() {
                anjian_domain::report::ReportState::Paid
            } else if n % 3 == 2 {
                anjian_domain::report::ReportState::Unfounded
            } else {
                anjian_domain::report::ReportState::Verified
            },
            verified_on: Some(verified),
            verify_note: if n % 3 == 2 && linked.is_none() {
                "经核查，举报内容不属实".into()
            } else {
                "经核查，举报属实，已责令整改".into()
            },
            reward_fen: linked.map(|_| 50_000 + (n as i64 % 4) * 25_000),
            reward_formula: if linked.is_some() {
                "一般隐患举报奖励（县级规则）".into()
            } else {
                String::new()
            },
            approved_by: if linked.is_some() {
                "安委办".into()
            } else {
                String::new()
            },
            approved_on: linked.map(|_| settled + chrono::Duration::days(5)),
            paid_on: linked.map(|_| settled + chrono::Duration::days(12)),
            case_id: linked.map(|c| c.0),
            ..r
        };
        app.store.update_report(&change, &next, "demo")?;
        written += 1;
    }

    // 委托执法: the agencies commission every township; townships then fine on the spot.
    written += super::commissioned::generate(app, rng, &change, ents)?;
    Ok(written)
}
