//! The hazard import from a file, read twice row by row and written as it goes, on both
//! stores: all or nothing with each bad row reported by its number, the valid rows kept with
//! `skip_invalid`, and the console's file import free of the upload limits on rows and size
//! that still refuse an upload of the same file.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::demo::province::{self, ProvinceSpec};
use anjian_app::import::{ImportOptions, ImportSource, MAX_ROWS_SETTING};
use anjian_app::{App, AppError};
use anjian_domain::{Clock, FixedClock};
use anjian_store::testing::TestStore;
use std::sync::Arc;

const ROWS: usize = 10_001;

/// One county (with its townships and villages) and no hazards.
fn county(ts: &TestStore) -> (App, Vec<String>) {
    let clock = Arc::new(FixedClock::at_date(
        chrono::NaiveDate::from_ymd_opt(2023, 1, 10).unwrap(),
    ));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    let spec = ProvinceSpec {
        counties: 1,
        first_year: 2022,
        years: 1,
        hazards_per_county_year: 0,
    };
    province::generate(&app, 7, &spec, &mut |_, _| {}).unwrap();
    let county = province::county_code(0);
    let villages = (0..10)
        .flat_map(|t| (0..5).map(move |v| (t, v)))
        .map(|(t, v)| format!("{}{}{}", &county[..6], 100 + t, 200 + v))
        .collect();
    (app, villages)
}

/// A CSV of `ROWS` hazards; the rows in `bad` (1-based data rows) have an impossible date.
fn csv(villages: &[String], bad: &[usize]) -> String {
    let mut s =
        String::from("所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期,整改期限\n");
    for i in 1..=ROWS {
        let found = if bad.contains(&i) {
            "2022-13-40"
        } else {
            "2022-05-10"
        };
        s.push_str(&format!(
            "{},消防,一般隐患,监督检查,第{i}号疏散通道堵塞,{found},2022-06-10\n",
            villages[i % villages.len()]
        ));
    }
    s
}

fn hazards(ts: &TestStore) -> i64 {
    ts.store.max_hazard_id().unwrap()
}

#[test]
fn a_file_import_is_written_as_it_is_read_all_or_nothing() {
    for ts in TestStore::all() {
        let (app, villages) = county(&ts);
        let admin = app.system_caller("test").unwrap();
        // The upload limit on rows, below the file's length.
        app.set_setting(&admin, MAX_ROWS_SETTING, "10000").unwrap();
        let dir = std::env::temp_dir().join(format!("anjian-hazard-import-{}", ts.name));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("hazards-{}.csv", std::process::id()));

        // Bad rows early and late: nothing written, each reported by its row number (the
        // header is row 1), the rows before them rolled back.
        std::fs::write(&path, csv(&villages, &[3, 9_000])).unwrap();
        let r = app
            .import_hazards_file(&admin, &path, ImportOptions::default(), &mut |_, _| {})
            .unwrap();
        assert_eq!(
            (r.total, r.valid, r.invalid_count, r.written),
            (ROWS, ROWS - 2, 2, 0),
            "{}",
            ts.name
        );
        let lines = r.lines();
        assert!(lines[0].starts_with("第4行：发现日期"), "{lines:?}");
        assert!(lines[1].starts_with("第9001行："), "{lines:?}");
        assert_eq!(hazards(&ts), 0, "{}: nothing written", ts.name);

        // With skip_invalid the valid rows are written, ids consecutive, each with its event.
        let r = app
            .import_hazards_file(
                &admin,
                &path,
                ImportOptions {
                    skip_invalid: true,
                    ignore_columns: false,
                },
                &mut |_, _| {},
            )
            .unwrap();
        assert_eq!(r.written, ROWS - 2, "{}", ts.name);
        assert_eq!(hazards(&ts), (ROWS - 2) as i64, "{}", ts.name);
        let (last, events) = app.get_hazard(&admin, (ROWS - 2) as i64).unwrap();
        let last = last.hazard;
        assert_eq!(events.len(), 1, "its first event");
        assert_eq!(last.description, format!("第{ROWS}号疏散通道堵塞"));
        assert!(
            !last.region_name.is_empty(),
            "the stored row carries its region's name"
        );

        // A clean file of more rows than an upload may hold: the console writes it all …
        std::fs::write(&path, csv(&villages, &[])).unwrap();
        let mut seen = (0, 0);
        let r = app
            .import_hazards_file(&admin, &path, ImportOptions::default(), &mut |d, t| {
                seen = (d, t)
            })
            .unwrap();
        assert_eq!((r.invalid_count, r.written), (0, ROWS), "{}", ts.name);
        assert_eq!(seen, (ROWS, ROWS), "the last progress report is the whole");
        assert_eq!(hazards(&ts), (2 * ROWS - 2) as i64, "{}", ts.name);

        // … while the same file as an upload is refused for its length, writing nothing.
        let bytes = std::fs::read(&path).unwrap();
        let e = app
            .import_hazards_from(
                &admin,
                &ImportSource::bytes("csv", bytes),
                ImportOptions::default(),
                &mut |_, _| {},
            )
            .unwrap_err();
        assert!(matches!(e, AppError::ImportRefused(_)), "{e:?}");
        assert_eq!(hazards(&ts), (2 * ROWS - 2) as i64, "{}", ts.name);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
