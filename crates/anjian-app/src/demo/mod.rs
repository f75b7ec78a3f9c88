//! The deterministic demo county (organisation part): regions down to grids,
//! the sector catalogue, ~25 departments, ~3,000 enterprises and a user for
//! every role. Same seed, same records.

mod codes;
mod draws;
mod hazards;
mod listings;
use codes::*;
use draws::*;
use hazards::*;
use listings::*;

mod accidents;
pub mod assessments;
mod campaigns;
mod capability;
mod cases;
mod commissioned;
mod county;
mod disasters;
mod dispatch;
mod emergency;
mod forest;
mod letters;
mod map;
pub mod monitoring;
mod responsibility;
mod risk;
mod station;
mod training;
pub use county::Rng;
use county::*;
mod enforcement;
mod hazard_words;
pub mod province;
pub mod words;
pub mod work;

use crate::users::NewUser;
use crate::{App, AppError, Result};
use anjian_domain::duty::{DocKind, sector_duty_text};
use anjian_domain::enterprise::{EnterpriseStatus, Licence, NewEnterprise};
use anjian_domain::uscc::{check_char, org_check_char};
use anjian_domain::{RegionCode, Scope};
use anjian_store::departments::DepartmentInput;
use anjian_store::duties::DutyInput;
use anjian_store::regions::RegionInput;
use chrono::NaiveDate;

pub const DEMO_COUNTY_CODE: &str = "360982000000";
pub const DEMO_COUNTY_NAME: &str = "清江市";
pub const DEMO_PASSWORD: &str = "anjian2022";

/// The app demo data is generated with: a fixed day after the demo year (2023-01-10) and a
/// seeded random stream, so the same seed gives the same store, timestamps and salts
/// included.
pub fn demo_app(store: std::sync::Arc<anjian_store::Store>, seed: u64) -> App {
    let day = NaiveDate::from_ymd_opt(2023, 1, 10).unwrap_or_default();
    App::new(
        store,
        std::sync::Arc::new(anjian_domain::FixedClock::at_date(day))
            as std::sync::Arc<dyn anjian_domain::Clock>,
    )
    .with_entropy(std::sync::Arc::new(
        anjian_domain::entropy::SeededEntropy::new(seed),
    ))
}

/// A township: code, name, and its villages (code, name).
pub(crate) type Town = (String, String, Vec<(String, String)>);

/// A demo account: username, display name, role, region, department, enterprise, sites.
type Account<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Vec<i64>,
);

/// What was created, with the demo accounts to print.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub townships: usize,
    pub villages: usize,
    pub grids: usize,
    pub departments: usize,
    pub enterprises: usize,
    pub hazards: usize,
    pub work_records: usize,
    pub enforcement_records: usize,
    /// Leaders and their areas, duty items (besides those holding the departments' sectors,
    /// written with the departments), 约谈 and 问责 records.
    pub responsibility_records: usize,
    /// The 2022 accidents, fires and forest fires, and their 补报.
    pub accidents: usize,
    pub accounts: Vec<(String, String, String)>,
}

/// Fills an empty store with the demo county: its organisation, its enterprises and a year
/// of records. The store is a throw-away one being generated, so its many small commits do
/// not each wait for the disk ([`anjian_store::Store::with_relaxed_sync`]).
pub fn generate(
    app: &App,
    seed: u64,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<DemoSummary> {
    if !app.all_regions()?.is_empty() {
        return Err(AppError::BadRequest(
            "演示数据只能写入空库：当前库中已有区划数据".into(),
        ));
    }
    app.store
        .with_relaxed_sync(|| generate_county(app, seed, progress))
}

fn generate_county(
    app: &App,
    seed: u64,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<DemoSummary> {
    let mut rng = Rng::new(seed);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let mut summary = DemoSummary::default();
    crate::catalogue::ensure_defaults(app)?;

    // Regions.
    let rc = |s: &str| RegionCode::parse(s).map_err(AppError::Internal);
    let mut regions = vec![
        RegionInput {
            code: rc("360000000000")?,
            name: "江西省".into(),
            parent_code: None,
        },
        RegionInput {
            code: rc("360900000000")?,
            name: "宜春市".into(),
            parent_code: Some(rc("360000000000")?),
        },
        RegionInput {
            code: rc(DEMO_COUNTY_CODE)?,
            name: DEMO_COUNTY_NAME.into(),
            parent_code: Some(rc("360900000000")?),
        },
    ];
    let mut seq = [0usize; 3];
    let mut towns: Vec<Town> = Vec::new();
    for (i, (name, kind)) in words::TOWNSHIPS.iter().enumerate() {
        let code = town_code(kind, &mut seq);
        regions.push(RegionInput {
            code: rc(&code)?,
            name: name.to_string(),
            parent_code: Some(rc(DEMO_COUNTY_CODE)?),
        });
        let n_vil = 8 + rng.below(7);
        let mut villages = Vec::new();
        let mut used = std::collections::HashSet::new();
        for v in 0..n_vil {
            let stem = loop {
                let s = words::VILLAGE_STEMS[rng.below(words::VILLAGE_STEMS.len())];
                if used.insert(s) {
                    break s;
                }
            };
            let (vcode, vname) = if *kind == "街道" || v < 1 {
                (format!("{}{:03}", &code[..9], v + 1), format!("{stem}社区"))
            } else {
                (format!("{}{:03}", &code[..9], 200 + v), format!("{stem}村"))
            };
            regions.push(RegionInput {
                code: rc(&vcode)?,
                name: vname.clone(),
                parent_code: Some(rc(&code)?),
            });
            if i < 2 {
                for g in 1..=3 {
                    regions.push(RegionInput {
                        code: rc(&format!("{vcode}{g:03}"))?,
                        name: format!("第{}网格", ["一", "二", "三"][g - 1]),
                        parent_code: Some(rc(&vcode)?),
                    });
                    summary.grids += 1;
                }
            }
            villages.push((vcode, vname));
        }
        summary.villages += villages.len();
        towns.push((code, name.to_string(), villages));
    }
    summary.townships = towns.len();
    app.store.upsert_regions(&change, &regions)?;
    app.store.set_setting(
        &change,
        anjian_store::settings::ROOT_REGION,
        DEMO_COUNTY_CODE,
    )?;
    app.store.set_setting(
        &change,
        anjian_store::settings::INSTANCE_NAME,
        DEMO_COUNTY_NAME,
    )?;
    progress("区划", regions.len(), regions.len());

    // The newly assigned industries the catalogue lacks.
    for (k, (code, name, _, _)) in NEW_INDUSTRIES.iter().enumerate() {
        if !crate::catalogue::DEFAULT_SECTORS
            .iter()
            .any(|(c, _)| c == code)
        {
            app.store.save_sector(
                &change,
                &anjian_store::sectors::Sector {
                    code: code.to_string(),
                    name: name.to_string(),
                    description: "新兴行业领域（2022年明确监管职责）".into(),
                    sort_order: 100 + k as i64,
                    active: true,
                },
            )?;
        }
    }

    // Departments, and the sectors each supervises as its duty items (职责清单): a newly
    // assigned industry by the government's decision of 2022 (电子礼炮 …), every other sector
    // by the department's 三定方案 of 2019, so "who supervises" answers for the whole year.
    let sector_names: Vec<(String, String)> = app
        .store
        .list_sectors()?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let day = |d: &str| d.parse::<NaiveDate>().unwrap_or_default();
    let mut dept_ids: Vec<(i64, &'static [&'static str])> = Vec::new();
    for (i, (name, short, member, duty, authority, sectors)) in
        words::DEPARTMENTS.iter().enumerate()
    {
        let full_name = format!("{DEMO_COUNTY_NAME}{name}");
        let d = DepartmentInput {
            region_code: DEMO_COUNTY_CODE.into(),
            name: full_name.clone(),
            short_name: short.to_string(),
            is_member_unit: *member,
            has_supervision_duty: *duty,
            is_industry_authority: *authority,
            sort_order: i as i64 + 1,
            sectors: Vec::new(),
        };
        let id = app.store.create_department(&change, &d)?;
        let (sanding_title, sanding_no) = sanding_doc(i, &full_name);
        let assigned = NEW_INDUSTRIES.iter().filter(|n| n.2 == *short).map(|n| n.0);
        let items: Vec<DutyInput> = sectors
            .iter()
            .copied()
            .chain(assigned)
            .map(|s| {
                let sector_name = sector_names
                    .iter()
                    .find(|(c, _)| c == s)
                    .map_or(s, |(_, n)| n.as_str());
                let (content, doc_kind, doc_title, doc_no, decided) =
                    match NEW_INDUSTRIES.iter().find(|n| n.0 == s) {
                        Some(n) => (
                            n.3.to_string(),
                            DocKind::Committee,
                            NEW_INDUSTRY_DOC_TITLE.to_string(),
                            NEW_INDUSTRY_DECISION.0.to_string(),
                            day(NEW_INDUSTRY_DECISION.1),
                        ),
                        None => (
                            sector_duty_text(sector_name),
                            DocKind::Sanding,
                            sanding_title.clone(),
                            sanding_no.clone(),
                            day(SANDING_DAY),
                        ),
                    };
                DutyInput {
                    county_code: DEMO_COUNTY_CODE.into(),
                    department_id: id,
                    content,
                    doc_kind,
                    doc_title,
                    doc_no,
                    decided_on: Some(decided),
                    sector_code: Some(s.to_string()),
                    valid_from: decided,
                    valid_to: None,
                }
            })
            .collect();
        app.store.create_duties(&change, &items)?;
        dept_ids.push((id, sectors_of(i)));
    }
    summary.departments = dept_ids.len();
    progress("部门", dept_ids.len(), dept_ids.len());

    // Enterprises.
    let mut list = Vec::new();
    let mut n = 0usize;
    for (sector, count) in ENTERPRISES_PER_SECTOR {
        for k in 0..count {
            n += 1;
            let (tcode, tname, villages) = &towns[rng.below(towns.len())];
            let in_village = rng.chance(70);
            let (region, place) = match (in_village, rng.pick(villages)) {
                (true, Some((vc, vn))) => (vc.clone(), vn.clone()),
                _ => (tcode.clone(), tname.clone()),
            };
            let mut p = |k: usize| rng.below(k);
            // 烟花爆竹: the producers are companies with a manufacturing code (C267x), the
            // retail outlets shops (经营部, 零售点) with a retail one.
            let producer = sector == "fireworks" && k < FIREWORKS_PRODUCERS;
            let retail = sector == "fireworks" && !producer;
            let mut name = words::enterprise_name(&mut p, DEMO_COUNTY_NAME, tname, sector);
            while (producer && !name.ends_with("公司")) || (retail && name.ends_with("公司")) {
                name = words::enterprise_name(&mut p, DEMO_COUNTY_NAME, tname, sector);
            }
            let mut industry = words::industry_code(&mut p, sector).to_string();
            if producer && !industry.starts_with('C') {
                industry = "C2672".into();
            } else if retail {
                industry = "F5299".into();
            }
            let address = words::address(&mut p, tname, &place);
            let legal = words::person_name(&mut p);
            let principal = if rng.chance(60) {
                legal.clone()
            } else {
                words::person_name(&mut |k| rng.below(k))
            };
            let public = matches!(sector, "campus" | "health") && !name.contains("公司");
            let prefix = if public {
                "12"
            } else if name.contains("公司") {
                "91"
            } else {
                "92"
            };
            let uscc = demo_uscc(&mut rng, n, prefix);
            let mut deps: Vec<i64> = dept_ids
                .iter()
                .filter(|(_, s)| s.contains(&sector))
                .map(|(id, _)| *id)
                .collect();
            deps.truncate(1 + rng.below(2));
            let status = match rng.below(100) {
                0..=91 => EnterpriseStatus::Operating,
                92..=96 => EnterpriseStatus::Suspended,
                _ => EnterpriseStatus::Closed,
            };
            let risk = match sector {
                "hazchem" | "fireworks" | "mines" | "gas" => {
                    Some(["red", "orange", "orange", "yellow", "yellow", "blue"][rng.below(6)])
                }
                _ if rng.chance(40) => Some(["orange", "yellow", "blue", "blue"][rng.below(4)]),
                _ => None,
            };
            let mut licences = licence_for(sector, &mut rng, n);
            if producer {
                for l in &mut licences {
                    l.kind = "烟花爆竹安全生产许可证".into();
                    l.issuer = Some("江西省应急管理厅".into());
                    l.number = l.number.replace("烟零", "FM安许证");
                }
            }
            list.push(NewEnterprise {
                name,
                uscc,
                uscc_warning: None,
                region_code: rc(&region)?,
                address,
                sectors: vec![sector.to_string()],
                industry_code: Some(industry),
                department_ids: deps,
                above_scale: matches!(
                    sector,
                    "industry_trade" | "hazchem" | "mines" | "construction"
                ) && rng.chance(35)
                    || rng.chance(5),
                is_key: matches!(sector, "hazchem" | "fireworks" | "mines" | "gas")
                    || rng.chance(6),
                legal_rep_phone: Some(words::mobile(&mut |k| rng.below(k))),
                principal_phone: Some(words::mobile(&mut |k| rng.below(k))),
                principal_id_no: Some(id_number(&mut rng)),
                legal_rep: Some(legal),
                principal: Some(principal),
                status,
                risk_grade: risk.map(str::to_string),
                licences,
                point: None,
            });
        }
    }
    // Names are not unique by construction; make duplicates distinct like a registry would ("（二分公司）").
    let mut seen = std::collections::HashMap::new();
    for e in &mut list {
        let k = seen.entry(e.name.clone()).or_insert(0usize);
        *k += 1;
        if *k > 1 {
            e.name = format!("{}（第{}分店）", e.name, k);
        }
    }
    let total = list.len();
    // The register existed before the demo year: its enterprises were registered by mid-2021,
    // so the registry figures as at the end of 2022 (全市N家烟花爆竹生产企业) count them.
    let registered = anjian_store::Change {
        at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2021, 6, 30, 1, 0, 0)
            .single()
            .unwrap_or(change.at),
        ..change.clone()
    };
    let ids = app
        .store
        .create_enterprises(&registered, &list, |done| progress("企业", done, total))?;
    summary.enterprises = ids.len();

    // The campaign first: hazards found during it carry its tag.
    let dept_only: Vec<i64> = dept_ids.iter().map(|(d, _)| *d).collect();
    summary.work_records = work::generate(app, &mut rng, &towns, &dept_only)?;
    progress("工作记录", summary.work_records, summary.work_records);
    summary.hazards = hazards(app, &mut rng, &list, &ids, &towns, progress)?;

    listings(app)?;

    // The enforcement year: plans, inspections and documents, cases, transfers, reports,
    // commissions.
    let ents: Vec<enforcement::Ent> = list
        .iter()
        .zip(&ids)
        .filter(|(e, _)| e.status == EnterpriseStatus::Operating)
        .map(|(e, id)| enforcement::Ent {
            id: *id,
            region: e.region_code.as_str().to_string(),
            sector: e.sectors.first().cloned().unwrap_or_default(),
            name: e.name.clone(),
        })
        .collect();
    let depts: Vec<enforcement::Dept> = dept_ids
        .iter()
        .zip(words::DEPARTMENTS.iter())
        .map(|((id, sectors), spec)| enforcement::Dept {
            id: *id,
            short: spec.1,
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            duty: spec.3,
        })
        .collect();
    summary.enforcement_records = enforcement::generate(app, &mut rng, &ents, &depts)?;
    progress(
        "执法记录",
        summary.enforcement_records,
        summary.enforcement_records,
    );

    // Users: at least one per role (two department users, to show sector scoping).
    let town0 = &towns[4];
    let first_in = |sector: &str, town: Option<&str>| -> Option<i64> {
        list.iter()
            .zip(&ids)
            .find(|(e, _)| {
                e.sectors[0] == sector
                    && town.is_none_or(|t| e.region_code.as_str().starts_with(&t[..9]))
            })
            .map(|(_, id)| *id)
    };
    let sites: Vec<i64> = list
        .iter()
        .zip(&ids)
        .filter(|(e, _)| e.region_code.as_str().starts_with(&town0.0[..9]))
        .map(|(_, id)| *id)
        .take(6)
        .collect();
    let dept = |i: usize| dept_ids.get(i).map(|d| d.0);
    let accounts: Vec<Account> = vec![
        ("admin", "安委办 王建国", "admin", None, None, None, vec![]),
        (
            "leader",
            "分管副市长 李明",
            "leader",
            None,
            None,
            None,
            vec![],
        ),
        (
            "yingji",
            "应急局 刘芳",
            "department",
            None,
            dept(0),
            None,
            vec![],
        ),
        (
            "zhujian",
            "住建局 胡强",
            "department",
            None,
            dept(1),
            None,
            vec![],
        ),
        (
            "zhifa",
            "应急局执法人员 杨帆",
            "inspector",
            None,
            dept(0),
            None,
            vec![],
        ),
        (
            "zhifa2",
            "应急局执法人员 钟敏",
            "inspector",
            None,
            dept(0),
            None,
            vec![],
        ),
        (
            "zhifa3",
            "应急局执法人员 袁涛",
            "inspector",
            None,
            dept(0),
            None,
            vec![],
        ),
        (
            "xiangzhen",
            &town0.1,
            "township",
            Some(town0.0.clone()),
            None,
            None,
            vec![],
        ),
        (
            "qiye",
            "企业安全管理员 邹磊",
            "enterprise",
            None,
            None,
            first_in("hazchem", None),
            vec![],
        ),
        (
            "paizhu",
            "派驻监督员 聂红",
            "supervisor",
            None,
            None,
            None,
            sites,
        ),
    ];
    // The certificates (执法证) of the accounts that inspect: 钟敏's ran out at the end of
    // the demo year, so the roster shows an expired one.
    let certificate = |username: &str| -> Option<(&str, &str)> {
        match username {
            "yingji" => Some(("赣36098201011", "2026-12-31")),
            "zhifa" => Some(("赣36098201012", "2026-12-31")),
            "zhifa2" => Some(("赣36098201013", "2022-12-31")),
            "zhifa3" => Some(("赣36098201014", "2027-06-30")),
            "zhujian" => Some(("赣36098202011", "2026-12-31")),
            "xiangzhen" => Some(("赣36098299001", "2026-12-31")),
            _ => None,
        }
    };
    let mut paizhu: Option<(i64, Vec<i64>)> = None;
    for (n, (username, display, role, region, department_id, enterprise_id, site_ids)) in
        accounts.into_iter().enumerate()
    {
        let cert = certificate(username);
        let display = if role == "township" {
            format!("{display}安监办")
        } else {
            display.to_string()
        };
        let stationed = (role == "supervisor").then(|| site_ids.clone());
        let id = app.add_user_system(
            "demo",
            &NewUser {
                username: username.into(),
                display_name: display.clone(),
                role: role.into(),
                password: Some(DEMO_PASSWORD.into()),
                region_code: region,
                department_id,
                enterprise_id,
                // Every account's duty phone, for the chain to notify.
                phone: Some(format!("1390795{:04}", 1001 + n)),
                active: true,
                site_ids,
                cert_no: cert.map(|c| c.0.to_string()),
                cert_valid_until: cert.map(|c| c.1.to_string()),
                version: None,
            },
        )?;
        if let Some(sites) = stationed {
            paizhu = Some((id, sites));
        }
        summary.accounts.push((
            username.to_string(),
            display,
            anjian_domain::Role::parse(role)
                .map(|r| r.label())
                .unwrap_or(role)
                .to_string(),
        ));
    }
    draws(app)?;
    summary.responsibility_records = responsibility::generate(app, seed, &towns)?;
    progress(
        "责任体系",
        summary.responsibility_records,
        summary.responsibility_records,
    );
    summary.accidents = accidents::generate(app, &towns)?;
    progress("事故台账", summary.accidents, summary.accidents);
    let depts: Vec<letters::Dept> = dept_ids
        .iter()
        .zip(words::DEPARTMENTS.iter())
        .map(|((id, _), spec)| (*id, spec.3))
        .collect();
    let n = letters::generate(app, &towns, &depts, &list, &ids)?;
    progress("责任状", n, n);
    let n = capability::generate(app, &towns)?;
    progress("能力创建", n, n);
    let n = disasters::generate(app, seed, &towns)?;
    progress("自然灾害应对", n, n);
    let n = risk::generate(app, seed, &list, &ids, &towns)?;
    progress("风险点", n, n);
    let n = campaigns::generate(app, seed, &towns, &list, &ids)?;
    progress("专项行动台账", n, n);
    let n = station::generate(app, seed, &towns, &dept_ids, &list, &ids, paizhu)?;
    progress("派驻监督", n, n);
    let n = forest::generate(app, seed, &towns)?;
    progress("森林防灭火", n, n);
    let n = emergency::generate(app, seed, &towns, &dept_ids)?;
    progress("应急资源", n, n);
    let n = map::generate(app, seed, &towns)?;
    progress("一张图（乡镇边界、坐标）", n, n);
    let n = dispatch::generate(app, seed, &towns)?;
    progress("一键调度", n, n);
    let n = monitoring::generate(app, seed, &list, &ids)?;
    progress("在线监测（读数）", n, n);
    let dept_names: Vec<&str> = words::DEPARTMENTS.iter().map(|d| d.0).collect();
    let n = training::generate(app, seed, &towns, &dept_ids, &dept_names, &list, &ids)?;
    progress("教育培训", n, n);
    // The year's assessment last: computed from everything above.
    assessments::generate(app, seed)?;
    Ok(summary)
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_usccs_are_valid_and_distinct() {
        let mut rng = Rng::new(7);
        let mut seen = std::collections::HashSet::new();
        for n in 1..3000 {
            let u = demo_uscc(&mut rng, n, "91");
            assert!(anjian_domain::uscc::Uscc::parse(&u).is_ok(), "{u}");
            assert!(seen.insert(u));
        }
    }

    #[test]
    fn demo_id_numbers_are_valid() {
        let mut rng = Rng::new(1);
        let today = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
        for _ in 0..200 {
            let id = id_number(&mut rng);
            assert!(
                anjian_domain::idcard::IdCardNo::parse(&id, today).is_ok(),
                "{id}"
            );
        }
    }

    #[test]
    fn rng_is_deterministic() {
        let a: Vec<u64> = {
            let mut r = Rng::new(3);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(3);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
    }
}
