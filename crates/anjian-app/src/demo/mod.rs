//! The deterministic demo county (organisation part): regions down to grids,
//! the sector catalogue, ~25 departments, ~3,000 enterprises and a user for
//! every role. Same seed, same records.

mod enforcement;
mod hazard_words;
pub mod province;
pub mod words;
pub mod work;

use crate::users::NewUser;
use crate::{App, AppError, Result};
use anjian_domain::enterprise::{EnterpriseStatus, Licence, NewEnterprise};
use anjian_domain::uscc::{check_char, org_check_char};
use anjian_domain::{RegionCode, Scope};
use anjian_store::departments::{DepartmentInput, SectorAssignment};
use anjian_store::regions::RegionInput;
use chrono::NaiveDate;

/// SplitMix64: small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n >= 1).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

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

/// How many enterprises per sector (sums to 3,000).
const ENTERPRISES_PER_SECTOR: [(&str, usize); 18] = [
    ("commerce", 520),
    ("industry_trade", 460),
    ("construction", 250),
    ("fire", 260),
    ("road", 210),
    ("culture_tourism", 200),
    ("special_equipment", 150),
    ("agriculture", 150),
    ("campus", 130),
    ("health", 120),
    ("hazchem", 120),
    ("gas", 80),
    ("urban", 80),
    ("fireworks", 60),
    ("mines", 45),
    ("alcohol_fuel", 95),
    ("water", 40),
    ("e_salute", 30),
];

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
    pub accounts: Vec<(String, String, String)>,
}

fn town_code(kind: &str, seq: &mut [usize; 3]) -> String {
    let base = match kind {
        "街道" => {
            seq[0] += 1;
            seq[0]
        }
        "镇" => {
            seq[1] += 1;
            99 + seq[1]
        }
        _ => {
            seq[2] += 1;
            199 + seq[2]
        }
    };
    format!("360982{base:03}000")
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn demo_uscc(rng: &mut Rng, n: usize, prefix: &str) -> String {
    // Organisation-code body: "MA" + 5 base-31 digits of n + 1 random symbol, then its GB 11714 check.
    let mut body = String::from("MA");
    let mut v = n;
    let mut digits = Vec::new();
    for _ in 0..5 {
        digits.push(ALPHABET[v % 31] as char);
        v /= 31;
    }
    body.extend(digits.iter().rev());
    body.push(ALPHABET[10 + rng.below(21)] as char);
    let org = org_check_char(&body).unwrap_or('0');
    let org = if ALPHABET.contains(&(org as u8)) {
        org
    } else {
        '0'
    };
    let first17 = format!("{prefix}360982{body}{org}");
    match check_char(&first17) {
        Some(c) => format!("{first17}{c}"),
        None => first17,
    }
}

fn id_number(rng: &mut Rng) -> String {
    let birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default()
        + chrono::Duration::days(rng.below(30 * 365) as i64);
    let body = format!("360982{}{:03}", birth.format("%Y%m%d"), rng.below(1000));
    let c = anjian_domain::idcard::check_char(&body).unwrap_or('0');
    format!("{body}{c}")
}

/// Fills an empty store with the demo county's organisation.
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

    // Departments.
    let mut dept_ids: Vec<(i64, &'static [&'static str])> = Vec::new();
    for (i, (name, short, member, duty, authority, sectors)) in
        words::DEPARTMENTS.iter().enumerate()
    {
        let sectors = sectors
            .iter()
            .map(|s| {
                let new_industry = *s == "e_salute";
                SectorAssignment {
                    sector_code: s.to_string(),
                    decision_no: new_industry.then(|| "清府办字〔2022〕18号".to_string()),
                    decided_on: new_industry.then(|| "2022-03-15".to_string()),
                    note: if new_industry {
                        "按照业务相近原则明确电子礼炮新业态安全监管职责".into()
                    } else {
                        String::new()
                    },
                }
            })
            .collect();
        let d = DepartmentInput {
            region_code: DEMO_COUNTY_CODE.into(),
            name: format!("{DEMO_COUNTY_NAME}{name}"),
            short_name: short.to_string(),
            is_member_unit: *member,
            has_supervision_duty: *duty,
            is_industry_authority: *authority,
            sort_order: i as i64 + 1,
            sectors,
        };
        dept_ids.push((app.store.create_department(&change, &d)?, sectors_of(i)));
    }
    summary.departments = dept_ids.len();
    progress("部门", dept_ids.len(), dept_ids.len());

    // Enterprises.
    let mut list = Vec::new();
    let mut n = 0usize;
    for (sector, count) in ENTERPRISES_PER_SECTOR {
        for _ in 0..count {
            n += 1;
            let (tcode, tname, villages) = &towns[rng.below(towns.len())];
            let in_village = rng.chance(70);
            let (region, place) = match (in_village, rng.pick(villages)) {
                (true, Some((vc, vn))) => (vc.clone(), vn.clone()),
                _ => (tcode.clone(), tname.clone()),
            };
            let mut p = |k: usize| rng.below(k);
            let name = words::enterprise_name(&mut p, DEMO_COUNTY_NAME, tname, sector);
            let industry = words::industry_code(&mut p, sector).to_string();
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
            let licences = licence_for(sector, &mut rng, n);
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
    let ids = app
        .store
        .create_enterprises(&change, &list, |done| progress("企业", done, total))?;
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
    for (username, display, role, region, department_id, enterprise_id, site_ids) in accounts {
        let display = if role == "township" {
            format!("{display}安监办")
        } else {
            display.to_string()
        };
        app.add_user_system(
            "demo",
            &NewUser {
                username: username.into(),
                display_name: display.clone(),
                role: role.into(),
                password: Some(DEMO_PASSWORD.into()),
                region_code: region,
                department_id,
                enterprise_id,
                phone: None,
                active: true,
                site_ids,
                version: None,
            },
        )?;
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
    Ok(summary)
}

/// One published 双随机 draw by the 应急局 (three key 危化 enterprises and 3 % of the other
/// enterprises in its sectors), so
/// `anjian draw verify 1` has something to check.
fn draws(app: &App) -> Result<()> {
    let users = app.store.list_users(&anjian_domain::Scope::system())?;
    let Some(user) = users.into_iter().find(|u| u.username == "yingji") else {
        return Ok(());
    };
    let caller = app.caller_for(user, "demo", "")?;
    let spec = |name: &str, key_only: bool, quota: Option<usize>, ratio: Option<f64>| {
        crate::draws::StratumSpec {
            name: name.into(),
            sector: key_only.then(|| "hazchem".to_string()),
            key_only,
            quota,
            ratio_percent: ratio,
            ..Default::default()
        }
    };
    let v = app.create_draw(
        &caller,
        &crate::draws::DrawRequest {
            title: format!(
                "{}年安全生产双随机抽查（第一批）",
                chrono::Datelike::year(&app.clock.today())
            ),
            department_id: None,
            strata: vec![
                spec("危险化学品重点企业", true, Some(3), None),
                spec("其他企业", false, None, Some(3.0)),
            ],
            team_size: Some(2),
            exclude_inspected_days: None,
            inspector_ids: None,
        },
    )?;
    app.run_draw(&caller, v.draw.id, "演示：公开随机数 2022031")?;
    let today = app.clock.today().format("%Y-%m-%d").to_string();
    app.publish_draw(
        &caller,
        v.draw.id,
        &today,
        "国家企业信用信息公示系统（江西）",
    )?;
    Ok(())
}

/// A few 挂牌督办 listings from the demo's major hazards: some listed in 2021 and de-listed
/// in 2022 (carried over), some listed and de-listed in 2022, one still listed.
fn listings(app: &App) -> Result<usize> {
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let cases = app.store.list_major_cases(
        &scope,
        &anjian_store::major::CaseFilter {
            limit: 100,
            ..Default::default()
        },
    )?;
    let mut n = 0;
    let open = cases.iter().find(|(c, _)| c.state != "closed");
    // Every major fire hazard is listed by the government (the report's 重大火灾隐患挂牌督办),
    // plus the oldest few of other sectors and one still open.
    let mut chosen: Vec<&(
        anjian_store::major::MajorCase,
        anjian_store::hazards::Hazard,
    )> = cases
        .iter()
        .filter(|(_, h)| h.sector == "fire")
        .chain(cases.iter().rev().take(3))
        .chain(open)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    chosen.retain(|(c, _)| seen.insert(c.hazard_id));
    for (k, (case, h)) in chosen.into_iter().enumerate() {
        let found = h.found_on.clone();
        let listed = h.deadline.clone().unwrap_or(found.clone());
        let mut l = anjian_store::listings::Listing {
            id: 0,
            county_code: String::new(),
            region_code: h.region_code.clone(),
            hazard_id: Some(h.id),
            enterprise_id: h.enterprise_id,
            sector: h.sector.clone(),
            title: format!("{}（{}）挂牌督办", h.description, case.case_no),
            responsible_unit: h.responsible_unit.clone(),
            state: "proposed".into(),
            proposed_on: found.clone(),
            approved_on: None,
            doc_no: String::new(),
            listed_on: None,
            listing_announced_on: None,
            listing_channel: String::new(),
            deadline: listed.clone(),
            extensions: 0,
            verified_on: None,
            delisted_on: None,
            delisting_announced_on: None,
            delisting_channel: String::new(),
            version: 1,
        };
        let saved = app.store.create_listing(&change, &l)?;
        l.state = "listed".into();
        l.approved_on = Some(found.clone());
        l.listed_on = Some(found.clone());
        l.doc_no = format!("清安委督〔{}〕{}号", &found[..4], k + 1);
        l.listing_announced_on = Some(found.clone());
        l.listing_channel = "市人民政府网站".into();
        let mut version = app
            .store
            .update_listing(&change, saved.id, 1, &l, "list", "")?
            .version;
        if case.state == "closed" {
            let done = case
                .closed_on
                .clone()
                .or(h.closed_on.clone())
                .unwrap_or(listed.clone());
            l.state = "delisted".into();
            l.verified_on = Some(done.clone());
            l.delisted_on = Some(done.clone());
            l.delisting_announced_on = Some(done);
            l.delisting_channel = "市人民政府网站".into();
            version = app
                .store
                .update_listing(
                    &change,
                    saved.id,
                    version,
                    &l,
                    "delist",
                    "经现场核查整改合格，予以摘牌销案",
                )?
                .version;
        }
        let _ = version;
        n += 1;
    }
    Ok(n)
}

/// The short name of the first department supervising a sector (the coordinating supervisor).
fn dept_for(sector: &str) -> String {
    words::DEPARTMENTS
        .iter()
        .find(|d| d.5.contains(&sector))
        .map(|d| format!("{DEMO_COUNTY_NAME}{}", d.0))
        .unwrap_or_else(|| format!("{DEMO_COUNTY_NAME}应急管理局"))
}

fn sectors_of(i: usize) -> &'static [&'static str] {
    words::DEPARTMENTS.get(i).map(|d| d.5).unwrap_or(&[])
}

fn licence_for(sector: &str, rng: &mut Rng, n: usize) -> Vec<Licence> {
    let (kind, issuer, word) = match sector {
        "hazchem" => ("危险化学品经营许可证", "宜春市应急管理局", "危化经"),
        "fireworks" => ("烟花爆竹经营（零售）许可证", "清江市应急管理局", "烟零"),
        "mines" => ("安全生产许可证", "江西省应急管理厅", "FM安许证"),
        "gas" => ("燃气经营许可证", "清江市住房和城乡建设局", "燃经"),
        "road" => ("道路运输经营许可证", "清江市交通运输局", "交运管许可"),
        _ => return vec![],
    };
    let from = NaiveDate::from_ymd_opt(
        2019 + rng.below(4) as i32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    );
    let to = from.and_then(|d| d.with_year(d.year_ce().1 as i32 + 3));
    vec![Licence {
        kind: kind.into(),
        number: format!(
            "赣清{word}字〔{}〕{:04}号",
            from.map(|d| d.format("%Y").to_string()).unwrap_or_default(),
            n % 10000
        ),
        issuer: Some(issuer.into()),
        valid_from: from,
        valid_to: to,
    }]
}

use chrono::Datelike;

/// A year of hazards (2022, with some found late in 2021 and carried over), each walked
/// through its closed loop to a final state; a few are left open and so are overdue.
fn hazards(
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
                closed_on = Some(d.to_string());
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
            level: if major { "major" } else { "general" }.into(),
            source: source.into(),
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
            found_on: found.to_string(),
            deadline: (final_status != "registered" || !self_check).then(|| deadline.to_string()),
            deadline_basis: Some("calendar_days".into()),
            deadline_rule: if self_check {
                format!("企业自定整改期限：自{found}起{days}日")
            } else {
                format!("责令限期整改：自{found}起{days}日")
            },
            status: final_status.into(),
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
                    &fields.found_on[..4],
                    seq % 12 + 1
                ),
                format!("清安办交〔{}〕{}号", &fields.found_on[..4], seq),
                dept_for(&fields.sector),
            ]
        });
        items.push(HazardHistory {
            fields,
            events,
            case,
        });
    }
    items.sort_by(|a, b| a.fields.found_on.cmp(&b.fields.found_on));
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let total = items.len();
    let ids = app
        .store
        .load_hazards(&change, &items, |done| progress("隐患", done, total))?;
    Ok(ids.len())
}

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
