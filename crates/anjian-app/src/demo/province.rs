//! The benchmark province: many counties over several years of hazards with their events
//! (by default 100 counties × 5 years × 20,000 = 10 million), loaded in bulk. Regions,
//! campaigns and hazards come from the seeded generator: the same seed gives the same store.

use super::{Rng, hazard_words};
use crate::{App, AppError, Result};
use anjian_domain::{RegionCode, Scope};
use anjian_store::bulk::BulkHazard;
use anjian_store::regions::RegionInput;
use anjian_store::work::Campaign;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy)]
pub struct ProvinceSpec {
    pub counties: usize,
    pub first_year: i32,
    pub years: usize,
    pub hazards_per_county_year: usize,
}

impl Default for ProvinceSpec {
    fn default() -> Self {
        Self {
            counties: 100,
            first_year: 2018,
            years: 5,
            hazards_per_county_year: 20_000,
        }
    }
}

impl ProvinceSpec {
    pub fn total(&self) -> usize {
        self.counties * self.years * self.hazards_per_county_year
    }
}

pub const PROVINCE_CODE: &str = "360000000000";

/// The code of county `i` (0-based): ten cities of up to ten counties (codes 21–30).
pub fn county_code(i: usize) -> String {
    format!("36{:02}{:02}000000", 1 + i / 10, 21 + i % 10)
}

const SECTORS: [(&str, u64); 12] = [
    ("fire", 22),
    ("road", 12),
    ("construction", 12),
    ("commerce", 10),
    ("industry_trade", 9),
    ("gas", 7),
    ("hazchem", 6),
    ("special_equipment", 6),
    ("campus", 5),
    ("culture_tourism", 5),
    ("fireworks", 3),
    ("mines", 3),
];

const SOURCES: [&str; 8] = [
    "inspection",
    "inspection",
    "inspection",
    "self_check",
    "self_check",
    "public_report",
    "higher_assignment",
    "transfer",
];

/// Fills an empty store with the benchmark province; `progress(done, total)` while loading.
pub fn generate(
    app: &App,
    seed: u64,
    spec: &ProvinceSpec,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize> {
    if !app.all_regions()?.is_empty() {
        return Err(AppError::BadRequest(
            "基准数据只能写入空库：当前库中已有区划数据".into(),
        ));
    }
    if spec.counties == 0 || spec.counties > 100 || spec.years == 0 || spec.years > 20 {
        return Err(AppError::BadRequest("县数应为1至100，年数应为1至20".into()));
    }
    crate::catalogue::ensure_defaults(app)?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo-province");
    let rc = |s: &str| RegionCode::parse(s).map_err(AppError::Internal);
    let mut rng = Rng::new(seed ^ 0x5052_4f56);
    let mut regions = vec![RegionInput {
        code: rc(PROVINCE_CODE)?,
        name: "基准省".into(),
        parent_code: None,
    }];
    let mut villages: Vec<Vec<String>> = Vec::new();
    for c in 0..spec.counties.div_ceil(10) {
        regions.push(RegionInput {
            code: rc(&format!("36{:02}00000000", c + 1))?,
            name: format!("第{}市", c + 1),
            parent_code: Some(rc(PROVINCE_CODE)?),
        });
    }
    for i in 0..spec.counties {
        let county = county_code(i);
        regions.push(RegionInput {
            code: rc(&county)?,
            name: format!("第{}县", i + 1),
            parent_code: Some(rc(&format!("{}00000000", &county[..4]))?),
        });
        let mut vs = Vec::new();
        for t in 0..10 {
            let town = format!("{}{}000", &county[..6], 100 + t);
            regions.push(RegionInput {
                code: rc(&town)?,
                name: format!(
                    "第{}县{}镇",
                    i + 1,
                    ["东", "西", "南", "北", "中", "新", "石", "河", "山", "桥"][t]
                ),
                parent_code: Some(rc(&county)?),
            });
            for v in 0..5 {
                let village = format!("{}{}", &town[..9], 200 + v);
                regions.push(RegionInput {
                    code: rc(&village)?,
                    name: format!("{}村", ["上", "下", "前", "后", "中"][v]),
                    parent_code: Some(rc(&town)?),
                });
                vs.push(village);
            }
        }
        villages.push(vs);
    }
    app.store.upsert_regions(&change, &regions)?;
    app.store
        .set_setting(&change, anjian_store::settings::ROOT_REGION, PROVINCE_CODE)?;
    app.store
        .set_setting(&change, anjian_store::settings::INSTANCE_NAME, "基准省")?;
    for i in 0..spec.counties {
        for y in 0..spec.years {
            let year = spec.first_year + y as i32;
            app.store.create_campaign(
                &change,
                &Campaign {
                    county_code: county_code(i),
                    code: format!("bairi{year}"),
                    name: format!("{year}年安全生产大检查“百日攻坚”"),
                    starts_on: NaiveDate::from_ymd_opt(year, 6, 1)
                        .ok_or_else(|| AppError::Internal(format!("campaign year {year}")))?,
                    ends_on: NaiveDate::from_ymd_opt(year, 9, 8)
                        .ok_or_else(|| AppError::Internal(format!("campaign year {year}")))?,
                    ..Campaign::default()
                },
            )?;
        }
    }

    // The rows are generated on a second thread (in order, so the store is the same for
    // the same seed) while this one writes them.
    let total = spec.total();
    let spec = *spec;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<BulkHazard>>(8);
    let producer = std::thread::spawn(move || {
        let weight: u64 = SECTORS.iter().map(|s| s.1).sum();
        let per_county = spec.years * spec.hazards_per_county_year;
        let days: Vec<Vec<NaiveDate>> = (0..spec.years)
            .map(|y| {
                let year = spec.first_year + y as i32;
                (1..=366)
                    .filter_map(|d| NaiveDate::from_yo_opt(year, d))
                    .collect()
            })
            .collect();
        let mut chunk = Vec::with_capacity(10_000);
        for n in 0..total {
            let county = n / per_county;
            let year_days = &days[(n % per_county) / spec.hazards_per_county_year];
            let found = year_days[rng.below(year_days.len())];
            let mut pick = rng.below(weight as usize) as u64;
            let sector = SECTORS
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .map(|s| s.0)
                .unwrap_or("fire");
            let major = rng.chance(1);
            let vs = &villages[county];
            let region = vs[rng.below(vs.len())].clone();
            let texts = hazard_words::descriptions(sector);
            let description = texts
                .get(rng.below(texts.len().max(1)))
                .copied()
                .unwrap_or("安全管理制度不健全")
                .to_string();
            let deadline = found + chrono::Duration::days(if major { 90 } else { 30 });
            let closed = rng.chance(88);
            let closed_on =
                closed.then(|| found + chrono::Duration::days(3 + rng.below(45) as i64));
            let s = found.to_string();
            let campaign =
                (&s[5..] >= "06-01" && &s[5..] <= "09-08").then(|| format!("bairi{}", &s[..4]));
            chunk.push(BulkHazard {
                region_code: region,
                enterprise_id: None,
                sector,
                level: if major { "major" } else { "general" },
                source: SOURCES[rng.below(SOURCES.len())],
                description,
                found_on: found,
                deadline,
                status: if closed {
                    "closed"
                } else {
                    ["registered", "ordered", "rectifying", "reported"][rng.below(4)]
                },
                funds_spent: closed.then(|| 100 * (1 + rng.below(200) as i64)),
                campaign,
                closed_on,
            });
            if chunk.len() == 10_000 && tx.send(std::mem::take(&mut chunk)).is_err() {
                return;
            }
        }
        let _ = tx.send(chunk);
    });
    let mut current = Vec::new().into_iter();
    let next = || -> Option<BulkHazard> {
        loop {
            if let Some(h) = current.next() {
                return Some(h);
            }
            current = rx.recv().ok()?.into_iter();
        }
    };
    let loaded = app
        .store
        .bulk_load_hazards(&change, total, 200_000, next, |done| progress(done, total));
    // The producer stops when the receiver is gone (a failed load) or when it is done.
    drop(rx);
    producer
        .join()
        .map_err(|_| AppError::Internal("province generator panicked".into()))?;
    Ok(loaded?)
}
