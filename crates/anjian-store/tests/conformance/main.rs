//! The store conformance suite: every store method, on SQLite always and on
//! PostgreSQL when `ANJIAN_TEST_PG` is set (each test on a fresh database).

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accidents;
mod accountability;
mod assessments;
mod audit;
mod backup;
mod bulk;
mod bulletins;
mod campaigns;
mod capability;
mod commissions;
mod disasters;
mod documents;
mod draws;
mod duties;
mod emergency;
mod enterprises;
mod figures;
mod forest;
mod hazards;
mod inspections;
mod instance;
mod leaders;
mod letters;
mod loads;
mod major;
mod major_actions;
mod map;
mod organisation;
mod plans;
mod records;
mod reports;
mod risk;
mod risk_steering;
mod rollups;
mod schema;
mod setup;
mod station;
mod stats;
mod training;
mod transfers;
mod users;
mod work;

use anjian_domain::enterprise::{EnterpriseInput, NewEnterprise};
use anjian_domain::{RegionCode, Scope};
use anjian_store::departments::{DepartmentInput, SectorAssignment};
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::regions::RegionInput;
use anjian_store::sectors::Sector;
use anjian_store::testing::TestStore;
use anjian_store::{Change, Store};
use chrono::{NaiveDate, TimeZone, Utc};

pub const COUNTY: &str = "360982000000";
pub const TOWN_A: &str = "360982100000";
pub const TOWN_B: &str = "360982101000";
pub const VILLAGE_A1: &str = "360982100200";
pub const VILLAGE_B1: &str = "360982101200";

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 6, 1, 2, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 6, 1).unwrap_or_default()
}

/// A `YYYY-MM-DD` date written in a test.
pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn county_scope() -> Scope {
    Scope::region(&rc(COUNTY), true)
}

pub fn sys<'a>(scope: &'a Scope) -> Change<'a> {
    Change::system(scope, "test", now())
}

/// Runs `f` on every configured backend.
pub fn each(f: impl Fn(&Store)) {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        f(&ts.store);
    }
}

/// Runs `f` on every configured backend with the organisation seeded, giving it the store
/// and a second handle on the same database (another process's view of it).
pub fn each_with_another_handle(f: impl Fn(&Store, &Store)) {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        seed_org(&ts.store);
        let other = ts.second_handle().unwrap();
        f(&ts.store, &other);
    }
}

/// Adds regions given as (code, name, parent code).
pub fn add_regions(store: &Store, ch: &Change<'_>, regions: &[(&str, &str, Option<&str>)]) {
    let items: Vec<RegionInput> = regions
        .iter()
        .map(|(c, n, p)| RegionInput {
            code: rc(c),
            name: n.to_string(),
            parent_code: p.map(rc),
        })
        .collect();
    store.upsert_regions(ch, &items).unwrap();
}

/// County, two townships with a village each, three sectors, two departments.
pub fn seed_org(store: &Store) -> (i64, i64) {
    let scope = county_scope();
    let ch = sys(&scope);
    let regions = [
        (COUNTY, "樟树市", None),
        (TOWN_A, "临江镇", Some(COUNTY)),
        (TOWN_B, "永泰镇", Some(COUNTY)),
        (VILLAGE_A1, "枫林村", Some(TOWN_A)),
        (VILLAGE_B1, "石塘村", Some(TOWN_B)),
    ];
    add_regions(store, &ch, &regions);
    for (i, (code, name)) in [
        ("mines", "非煤矿山"),
        ("hazchem", "危险化学品"),
        ("fire", "消防"),
    ]
    .iter()
    .enumerate()
    {
        let s = Sector {
            code: code.to_string(),
            name: name.to_string(),
            description: String::new(),
            sort_order: i as i64,
            active: true,
        };
        store.save_sector(&ch, &s).unwrap();
    }
    let dep = |name: &str, sectors: &[&str]| DepartmentInput {
        region_code: COUNTY.into(),
        name: name.into(),
        short_name: name.into(),
        is_member_unit: true,
        has_supervision_duty: true,
        is_industry_authority: true,
        sort_order: 0,
        sectors: sectors
            .iter()
            .map(|s| SectorAssignment {
                sector_code: s.to_string(),
                decision_no: None,
                decided_on: None,
                note: String::new(),
            })
            .collect(),
    };
    let a = store
        .create_department(&ch, &dep("应急管理局", &["mines", "hazchem"]))
        .unwrap();
    let b = store
        .create_department(&ch, &dep("消防救援大队", &["fire"]))
        .unwrap();
    (a, b)
}

/// A valid enterprise with a USCC derived from `n`.
pub fn enterprise(n: u32, region: &str, sector: &str) -> NewEnterprise {
    let body = format!("91360982MA{:07}", n);
    let uscc = anjian_domain::uscc::Uscc::complete(&body)
        .map(|u| u.to_string())
        .unwrap_or_default();
    EnterpriseInput {
        name: format!("测试企业{n}有限公司"),
        uscc,
        region_code: region.into(),
        address: "某路1号".into(),
        sector: Some(sector.into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

/// A general hazard, registered, found on `found_on`, with an optional deadline date.
pub fn hazard_fields(
    region: &str,
    enterprise: Option<i64>,
    sector: &str,
    found_on: &str,
    deadline: Option<&str>,
) -> HazardFields {
    HazardFields {
        region_code: region.into(),
        enterprise_id: enterprise,
        department_id: None,
        sector: sector.into(),
        level: anjian_domain::hazard::Level::parse("general").unwrap(),
        source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
        description: "配电箱未接地".into(),
        location: "一号车间".into(),
        found_on: day(found_on),
        deadline: deadline.map(day),
        deadline_basis: deadline.map(|_| "date".to_string()),
        deadline_rule: String::new(),
        status: anjian_domain::hazard::Status::parse("registered").unwrap(),
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: None,
        emergency_plan: String::new(),
        campaign: None,
        closed_on: None,
        point: None,
    }
}

/// A timeline event with no note or data.
pub fn event(action: &str) -> EventInput {
    EventInput {
        action: action.into(),
        note: String::new(),
        data: None,
    }
}
