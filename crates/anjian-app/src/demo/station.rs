//! The demo county's stationed supervisors (派驻安全生产监督管理员) of the 2022 特护期
//! (9月22日—10月31日): 18 townships station 160 supervisors at 230 enterprises and key places
//! of their own townships, 22 departments station 190 at 196 enterprises of their sectors, as
//! the source report's magnitudes have them (全市18个乡镇、22个市直单位共派驻监督员350人，驻守
//! 426家（处）). Each posting is visited weekly (a few weeks are missed, so the coverage page has
//! gaps), a visit now and then finds a problem, the 安委办 spot checks 60 postings (4 fail) and
//! each supervisor is rated for October. The demo account 派驻监督员 聂红 is stationed at its
//! sites with no end, so its phone shows today's sites.

use super::{Rng, Town};
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::enterprise::NewEnterprise;
use anjian_domain::station::{CheckAnswer, PlaceKind, Rating, Site, SpotResult};
use anjian_store::station::{AssignmentInput, KeyPlaceInput, SpotCheckInput, Unit, VisitInput};
use anjian_store::users::UserInput;
use chrono::{Duration, NaiveDate};

const TOWNSHIPS: usize = 18;
const DEPARTMENTS: usize = 22;
const TOWN_SUPERVISORS: usize = 160;
const TOWN_SITES: usize = 230;
const DEPT_SUPERVISORS: usize = 190;
const DEPT_SITES: usize = 196;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "罗", "钟", "邹", "熊", "袁", "彭", "曾", "肖", "邓", "谢", "傅", "易",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "平", "刚", "桂英", "建华", "文", "辉", "红", "志强", "海", "斌", "晨", "鹏",
];
const PLACES: &[(&str, PlaceKind, &str)] = &[
    (
        "安置小区建设工地",
        PlaceKind::ConstructionSite,
        "construction",
    ),
    ("采石场井口", PlaceKind::MineEntrance, "mines"),
    ("国道急弯陡坡路段", PlaceKind::Road, "road"),
    ("渡口码头", PlaceKind::Water, "water"),
    ("集贸市场", PlaceKind::Crowded, "fire"),
];
const FINDINGS: &[&str] = &[
    "疏散通道堆放杂物",
    "灭火器压力不足",
    "动火作业未办理审批",
    "临边防护缺失",
    "配电箱未接地",
    "应急照明不亮",
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// Splits `total` over `n` parts as evenly as the stream likes (each at least one).
fn split(rng: &mut Rng, total: usize, n: usize) -> Vec<usize> {
    let mut parts = vec![1usize; n];
    for _ in n..total {
        let i = rng.below(n);
        if let Some(p) = parts.get_mut(i) {
            *p += 1;
        }
    }
    parts
}

/// One posting to create.
struct Post {
    supervisor: i64,
    unit: Unit,
    site: Site,
}

pub(super) fn generate(
    app: &App,
    seed: u64,
    towns: &[Town],
    departments: &[(i64, &'static [&'static str])],
    list: &[NewEnterprise],
    ids: &[i64],
    paizhu: Option<(i64, Vec<i64>)>,
) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0x5741_7469_6f6e);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let hash = crate::auth::hash_password_with(super::DEMO_PASSWORD, app.entropy.as_ref())?;
    let mut n_user = 0usize;
    let mut supervisor = |rng: &mut Rng, region: &str| -> Result<i64> {
        n_user += 1;
        let name = format!(
            "{}{}",
            rng.pick(SURNAMES).copied().unwrap_or("王"),
            rng.pick(GIVEN).copied().unwrap_or("明")
        );
        Ok(app.store.create_user_with(
            &change,
            &UserInput {
                username: format!("pz{n_user:03}"),
                display_name: format!("派驻监督员 {name}"),
                role: "supervisor".into(),
                region_code: region.into(),
                department_id: None,
                enterprise_id: None,
                phone: Some(format!("139{:08}", 7_970_000 + n_user)),
                active: true,
                site_ids: Vec::new(),
                cert_no: None,
                cert_valid_until: None,
            },
            &hash,
            false,
        )?)
    };
    let mut used = std::collections::BTreeSet::new();
    let mut posts: Vec<Post> = Vec::new();
    let mut n = 0usize;

    // Townships: sites in the township, enterprises first, then key places it names.
    let town_sups = split(&mut rng, TOWN_SUPERVISORS, TOWNSHIPS);
    let town_sites = split(&mut rng, TOWN_SITES - TOWN_SUPERVISORS, TOWNSHIPS);
    for (t, (code, tname, villages)) in towns.iter().take(TOWNSHIPS).enumerate() {
        let prefix = code.get(..9).unwrap_or(code);
        let sups = town_sups.get(t).copied().unwrap_or(1);
        let sites_wanted = sups + town_sites.get(t).copied().unwrap_or(0);
        let mut sites: Vec<Site> = list
            .iter()
            .zip(ids)
            .filter(|(e, id)| e.region_code.as_str().starts_with(prefix) && !used.contains(*id))
            .map(|(_, id)| Site::Enterprise(*id))
            .take(sites_wanted.saturating_sub(2))
            .collect();
        let mut k = 0usize;
        while sites.len() < sites_wanted {
            let (what, kind, sector) = PLACES[k % PLACES.len()];
            let village = villages.get(k % villages.len().max(1));
            let region = village.map(|v| v.0.clone()).unwrap_or_else(|| code.clone());
            let vname = village.map(|v| v.1.as_str()).unwrap_or("");
            let p = app.store.create_key_place(
                &change,
                &KeyPlaceInput {
                    region_code: region,
                    sector: Some(sector.into()),
                    name: format!("{tname}{vname}{what}"),
                    kind,
                    location: format!("{tname}{vname}"),
                    note: String::new(),
                },
            )?;
            n += 1;
            sites.push(Site::Place(p.id));
            k += 1;
        }
        for s in &sites {
            if let Site::Enterprise(id) = s {
                used.insert(*id);
            }
        }
        let ids_sup: Vec<i64> = (0..sups)
            .map(|_| supervisor(&mut rng, code))
            .collect::<Result<_>>()?;
        for (i, site) in sites.into_iter().enumerate() {
            posts.push(Post {
                supervisor: ids_sup.get(i % ids_sup.len().max(1)).copied().unwrap_or(0),
                unit: Unit::Township(code.clone()),
                site,
            });
        }
    }

    // Departments: enterprises of their sectors anywhere in the county, not yet posted.
    let dept_sups = split(&mut rng, DEPT_SUPERVISORS, DEPARTMENTS);
    let dept_extra = split(
        &mut rng,
        DEPT_SITES - DEPT_SUPERVISORS + DEPARTMENTS,
        DEPARTMENTS,
    );
    for (d, (dept, sectors)) in departments.iter().take(DEPARTMENTS).enumerate() {
        let sups = dept_sups.get(d).copied().unwrap_or(1);
        // Each department's sites: its supervisors', and a few with a second.
        let wanted = sups + dept_extra.get(d).copied().unwrap_or(1) - 1;
        let mut sites: Vec<Site> = Vec::new();
        for pass in 0..2 {
            for (e, id) in list.iter().zip(ids) {
                if sites.len() >= wanted {
                    break;
                }
                let fits = pass == 1 || e.sectors.iter().any(|s| sectors.contains(&s.as_str()));
                if fits && !used.contains(id) {
                    used.insert(*id);
                    sites.push(Site::Enterprise(*id));
                }
            }
        }
        let ids_sup: Vec<i64> = (0..sups)
            .map(|_| supervisor(&mut rng, super::DEMO_COUNTY_CODE))
            .collect::<Result<_>>()?;
        for (i, site) in sites.into_iter().enumerate() {
            posts.push(Post {
                supervisor: ids_sup.get(i % ids_sup.len().max(1)).copied().unwrap_or(0),
                unit: Unit::Department(*dept),
                site,
            });
        }
    }

    let (start, end) = (day("2022-09-22"), day("2022-10-31"));
    let mut assignments = Vec::with_capacity(posts.len());
    for p in &posts {
        let a = app.store.create_station_assignment(
            &change,
            &AssignmentInput {
                supervisor_id: p.supervisor,
                unit: p.unit.clone(),
                site: p.site,
                starts_on: start,
                ends_on: Some(end),
                note: "2022年特护期派驻".into(),
            },
        )?;
        assignments.push(a);
        n += 1;
    }
    // 聂红 (the demo's supervisor account) at its sites, for the township of each, with no
    // end.
    if let Some((id, sites)) = paizhu {
        for e in sites {
            let Some(region) = ids
                .iter()
                .position(|x| *x == e)
                .and_then(|i| list.get(i))
                .map(|x| x.region_code.as_str().to_string())
            else {
                continue;
            };
            let town = format!("{}000", region.get(..9).unwrap_or(&region));
            let a = app.store.create_station_assignment(
                &change,
                &AssignmentInput {
                    supervisor_id: id,
                    unit: Unit::Township(town),
                    site: Site::Enterprise(e),
                    starts_on: start,
                    ends_on: None,
                    note: "特护期后继续驻守".into(),
                },
            )?;
            assignments.push(a);
            n += 1;
        }
    }

    // Weekly visits (one in twenty missed), a problem in one visit of twelve.
    for a in &assignments {
        let items = crate::station::checklist::items(a.sector.as_deref());
        let mut week = start;
        while week <= end {
            if !rng.chance(5) {
                let at = week + Duration::days(rng.below(5) as i64);
                if at <= end {
                    let problem = rng.chance(8);
                    let mut checklist: Vec<(String, CheckAnswer)> = items
                        .iter()
                        .map(|i| (i.key.clone(), CheckAnswer::Normal))
                        .collect();
                    let mut findings = String::new();
                    if problem && let Some(slot) = checklist.get_mut(rng.below(items.len().max(1)))
                    {
                        slot.1 = CheckAnswer::Problem;
                        findings = rng.pick(FINDINGS).copied().unwrap_or("").to_string();
                    }
                    let visited_at = at
                        .and_hms_opt(8 + rng.below(9) as u32, (rng.below(4) * 15) as u32, 0)
                        .unwrap_or_default();
                    let mut as_sup = change.clone();
                    as_sup.actor_id = Some(a.supervisor_id);
                    app.store.record_visit(
                        &as_sup,
                        &VisitInput {
                            assignment_id: a.id,
                            visited_at,
                            checklist,
                            findings,
                        },
                        &[],
                    )?;
                    n += 1;
                }
            }
            week += Duration::days(7);
        }
    }

    // The 安委办's spot checks: 60 postings, 4 found wanting.
    for (i, a) in assignments
        .iter()
        .take(posts.len())
        .enumerate()
        .filter(|(i, _)| i % 7 == 3)
        .take(60)
    {
        let fail = i % 15 == 3;
        let (present, record_true) = if fail {
            (i % 2 == 0, false)
        } else {
            (true, true)
        };
        app.store.create_spot_check(
            &change,
            &SpotCheckInput {
                assignment_id: a.id,
                visit_id: None,
                checked_on: start + Duration::days((i % 38) as i64),
                present,
                record_true,
                result: if fail {
                    SpotResult::Fail
                } else {
                    SpotResult::Pass
                },
                follow_up: if fail {
                    "通报派出单位，约谈监督员，限期补正驻点记录".into()
                } else {
                    String::new()
                },
                note: String::new(),
            },
        )?;
        n += 1;
    }

    // October's ratings, one per supervisor.
    let mut rated = std::collections::BTreeSet::new();
    for a in &assignments {
        if !rated.insert(a.supervisor_id) {
            continue;
        }
        let r = match rng.below(20) {
            0 => Rating::Basic,
            1..=5 => Rating::Excellent,
            _ => Rating::Competent,
        };
        app.store
            .rate_supervisor(&change, a.supervisor_id, day("2022-10-01"), r, "", None)?;
        n += 1;
    }
    Ok(n)
}
