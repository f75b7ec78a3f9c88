//! The demo county's 2022 training (教育培训): six classes organised by the 应急管理局, the
//! 住建局, the 市场监管局 and the 安委办's townships, 850 attendee person-times in all, as the
//! source report's magnitudes have them (培训班*期，培训人员***人次); five 理论中心组学习
//! sessions of the 应急管理局's party group and of townships; and the certificates
//! (安全生产知识和管理能力考核合格证) of the principals and safety managers of the enterprises of
//! the sectors that need them (危化、矿山、烟花爆竹、建筑施工、道路运输 …), issued over three
//! years before the demo's clock (2023-01-10) and valid for three, so some have expired and
//! some expire within weeks.

use super::Rng;
use super::Town;
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::enterprise::NewEnterprise;
use anjian_domain::training::{Attendee, HolderRole, SessionKind};
use anjian_store::training::{CertificateInput, Organiser, SessionInput};
use chrono::{Duration, NaiveDate};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "罗", "钟", "邹", "熊", "袁", "彭", "曾", "肖", "邓", "谢", "傅", "易", "晏", "聂",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "平", "刚", "桂英", "建华", "文", "辉", "红", "志强", "海", "斌", "晨", "鹏",
    "国平", "小兵", "春生", "水根", "冬梅",
];

/// Who a class is for: its attendees' units.
#[derive(Clone, Copy)]
enum Audience {
    /// Enterprises of these sectors (their principals and safety managers).
    Enterprises(&'static [&'static str]),
    /// The townships' safety staff (安监站).
    Townships,
    /// The departments' inspectors.
    Inspectors,
}

/// A class: organiser (department index), topic, first day, days, hours, trainers, place,
/// attendees, audience.
type Class = (
    usize,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static str,
    &'static str,
    usize,
    Audience,
);

const CLASSES: [Class; 6] = [
    (
        0,
        "新《安全生产法》宣贯培训",
        "2022-03-16",
        1,
        60,
        "市应急管理局政策法规股 刘建华；江西应急管理职业学院 邓文",
        "市行政中心三楼会议室",
        195,
        Audience::Enterprises(&["hazchem", "mines", "fireworks", "industry_trade"]),
    ),
    (
        4,
        "醇基燃料餐饮从业人员安全培训",
        "2022-04-21",
        1,
        35,
        "市市场监管局特种设备股 胡海；市消防救援大队 彭鹏",
        "市市场监管局培训室",
        118,
        Audience::Enterprises(&["alcohol_fuel", "fire", "special_equipment"]),
    ),
    (
        0,
        "应急管理综合行政执法人员业务培训",
        "2022-05-24",
        3,
        240,
        "省应急管理厅执法监督处 谢斌；市司法局 易红",
        "市应急管理局五楼会议室",
        62,
        Audience::Inspectors,
    ),
    (
        0,
        "乡镇（街道）安全生产分管领导和安监站长培训",
        "2022-06-09",
        2,
        120,
        "市应急管理局 曾志强、邹文",
        "市委党校报告厅",
        176,
        Audience::Townships,
    ),
    (
        0,
        "危险化学品企业主要负责人和安全管理人员培训",
        "2022-08-17",
        2,
        160,
        "江西应急管理职业学院 钟国平；市应急管理局危化股 熊勇",
        "盐化工业城管委会会议室",
        168,
        Audience::Enterprises(&["hazchem"]),
    ),
    (
        1,
        "建筑施工企业安全生产管理人员培训",
        "2022-10-12",
        1,
        80,
        "市住建局质安站 袁磊、傅晨",
        "市住建局会议室",
        131,
        Audience::Enterprises(&["construction", "gas"]),
    ),
];

/// 理论中心组学习: organiser (a department index, or a township by its place), topic, day.
const STUDIES: [(Option<usize>, &str, &str); 5] = [
    (
        Some(0),
        "学习习近平总书记关于安全生产重要论述",
        "2022-02-22",
    ),
    (None, "学习新修订《中华人民共和国安全生产法》", "2022-04-07"),
    (
        Some(0),
        "学习《地方党政领导干部安全生产责任制规定》",
        "2022-06-28",
    ),
    (None, "学习《江西省安全生产条例》", "2022-09-15"),
    (
        Some(0),
        "学习党的二十大报告关于推进国家安全体系和能力现代化的论述",
        "2022-11-10",
    ),
];

/// Sectors whose principals and safety managers need the certificate (《安全生产法》第二十七条).
const CERTIFIED_SECTORS: &[&str] = &[
    "hazchem",
    "mines",
    "fireworks",
    "construction",
    "road",
    "water",
    "industry_trade",
];

/// Most enterprises whose staff hold certificates in the demo.
const CERTIFIED_ENTERPRISES: usize = 320;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(SURNAMES).copied().unwrap_or("王"),
        rng.pick(GIVEN).copied().unwrap_or("明")
    )
}

fn phone(rng: &mut Rng) -> Option<String> {
    // Most sign-in sheets carry a mobile number.
    rng.chance(80)
        .then(|| format!("13{}{:08}", 5 + rng.below(5), rng.below(100_000_000)))
}

pub(super) fn generate(
    app: &App,
    seed: u64,
    towns: &[Town],
    departments: &[(i64, &'static [&'static str])],
    department_names: &[&str],
    list: &[NewEnterprise],
    ids: &[i64],
) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0x7472_6169_6e69);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let mut n = 0usize;
    let dept = |i: usize| departments.get(i).map(|d| d.0);
    let enterprises_of = |sectors: &[&str]| -> Vec<&NewEnterprise> {
        list.iter()
            .filter(|e| e.sectors.iter().any(|s| sectors.contains(&s.as_str())))
            .collect()
    };

    for (d, topic, first, days, hours, trainers, place, count, audience) in CLASSES {
        let Some(dept_id) = dept(d) else { continue };
        let mut attendees = Vec::with_capacity(count);
        match audience {
            Audience::Enterprises(sectors) => {
                let mut pool = enterprises_of(sectors);
                if pool.is_empty() {
                    pool = list.iter().collect();
                }
                for i in 0..count {
                    let unit = pool
                        .get((i / 2 + rng.below(3)) % pool.len().max(1))
                        .map(|e| e.name.clone())
                        .unwrap_or_default();
                    attendees.push(Attendee {
                        name: person(&mut rng),
                        unit,
                        phone: phone(&mut rng),
                    });
                }
            }
            Audience::Townships => {
                for i in 0..count {
                    let unit = towns
                        .get(i % towns.len().max(1))
                        .map(|t| format!("{}安监站", t.1))
                        .unwrap_or_default();
                    attendees.push(Attendee {
                        name: person(&mut rng),
                        unit,
                        phone: phone(&mut rng),
                    });
                }
            }
            Audience::Inspectors => {
                for i in 0..count {
                    let unit = department_names
                        .get(i % department_names.len().clamp(1, 6))
                        .map(|d| format!("清江市{d}"))
                        .unwrap_or_default();
                    attendees.push(Attendee {
                        name: person(&mut rng),
                        unit,
                        phone: phone(&mut rng),
                    });
                }
            }
        }
        let starts_on = day(first);
        app.store.create_training_session(
            &change,
            &SessionInput {
                organiser: Organiser::Department(dept_id),
                kind: SessionKind::Class,
                topic: topic.into(),
                starts_on,
                ends_on: starts_on + Duration::days(days - 1),
                hours_tenths: hours,
                trainers: trainers.into(),
                place: place.into(),
                note: String::new(),
            },
            &attendees,
        )?;
        n += 1;
    }

    for (i, (d, topic, on)) in STUDIES.into_iter().enumerate() {
        let (organiser, members_unit) = match d.and_then(dept) {
            Some(id) => (
                Organiser::Department(id),
                "清江市应急管理局党组理论学习中心组".to_string(),
            ),
            None => match towns.get(i % towns.len().max(1)) {
                Some(t) => (
                    Organiser::Township(t.0.clone()),
                    format!("{}党委理论学习中心组", t.1),
                ),
                None => continue,
            },
        };
        let members: Vec<Attendee> = (0..9 + rng.below(5))
            .map(|_| Attendee {
                name: person(&mut rng),
                unit: members_unit.clone(),
                phone: None,
            })
            .collect();
        app.store.create_training_session(
            &change,
            &SessionInput {
                organiser,
                kind: SessionKind::Study,
                topic: topic.into(),
                starts_on: day(on),
                ends_on: day(on),
                hours_tenths: 20,
                trainers: String::new(),
                place: "中心组学习会议室".into(),
                note: "专题学习并交流研讨".into(),
            },
            &members,
        )?;
        n += 1;
    }

    // Certificates: a principal and one or two safety managers per enterprise, issued from
    // November 2019 to December 2022, valid three years.
    let first_issue = day("2019-11-01");
    let span = (day("2022-12-20") - first_issue).num_days().max(1) as usize;
    let mut certs = Vec::new();
    let mut serial = 0usize;
    for (e, id) in list
        .iter()
        .zip(ids)
        .filter(|(e, _)| {
            e.sectors
                .iter()
                .any(|s| CERTIFIED_SECTORS.contains(&s.as_str()))
        })
        .take(CERTIFIED_ENTERPRISES)
    {
        let issuer = match e.sectors.first().map(String::as_str) {
            Some("mines") => "江西省应急管理厅",
            Some("construction") => "江西省住房和城乡建设厅",
            Some("road") | Some("water") => "宜春市交通运输局",
            _ => "宜春市应急管理局",
        };
        let principal = e
            .principal
            .clone()
            .or_else(|| e.legal_rep.clone())
            .unwrap_or_else(|| person(&mut rng));
        let managers = 1 + rng.below(2);
        let mut holders = vec![(principal, HolderRole::Principal)];
        for _ in 0..managers {
            holders.push((person(&mut rng), HolderRole::SafetyManager));
        }
        for (holder, role) in holders {
            serial += 1;
            let issued_on = first_issue + Duration::days(rng.below(span) as i64);
            let expires_on = issued_on
                .checked_add_months(chrono::Months::new(36))
                .and_then(|d| d.pred_opt())
                .unwrap_or(issued_on + Duration::days(1095));
            certs.push(CertificateInput {
                enterprise_id: *id,
                holder_name: holder,
                role,
                cert_no: format!(
                    "36098{}{}{:05}",
                    if role == HolderRole::Principal { 1 } else { 2 },
                    chrono::Datelike::year(&issued_on),
                    serial
                ),
                issued_on,
                expires_on,
                issuer: issuer.into(),
                note: String::new(),
            });
        }
    }
    n += app.store.create_certificates(&change, &certs)?;
    Ok(n)
}
