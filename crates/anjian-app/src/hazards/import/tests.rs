//! The import's two threads failing part-way, on both stores.

use super::*;
use crate::demo::province::{self, ProvinceSpec};
use crate::import::read_table_bytes;
use anjian_domain::{Clock, FixedClock};
use anjian_store::testing::TestStore;
use std::sync::Arc;

/// One county with no hazards, its village's code, and the system caller.
fn county_app(ts: &TestStore) -> (App, String, Caller) {
    let clock = Arc::new(FixedClock::at_date(
        NaiveDate::from_ymd_opt(2023, 1, 10).unwrap_or_default(),
    ));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    let spec = ProvinceSpec {
        counties: 1,
        first_year: 2022,
        years: 1,
        hazards_per_county_year: 0,
    };
    assert!(province::generate(&app, 7, &spec, &mut |_, _| {}).is_ok());
    let county = province::county_code(0);
    let village = format!("{}{}{}", &county[..6], 100, 200);
    let admin = app.system_caller("test").map_err(|e| e.to_string());
    let Ok(admin) = admin else {
        panic!("{admin:?}")
    };
    (app, village, admin)
}

/// The mapping of the columns the tests' rows have.
fn mapping() -> Mapping {
    let header = "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期,整改期限\n";
    let t = read_table_bytes("csv", header.as_bytes()).unwrap_or_default();
    let map = map_columns(&t, &HAZARD_IMPORT, false).map_err(|e| e.to_string());
    let Ok(map) = map else { panic!("{map:?}") };
    map
}

/// No hazard is stored, and the audit chain is whole and ends at `head`.
fn nothing_stays(ts: &TestStore, head: i64) {
    assert_eq!(ts.store.max_hazard_id().ok(), Some(0), "{}", ts.name);
    let after = ts.store.verify_audit().map_err(|e| e.to_string());
    let Ok(after) = after else {
        panic!("{after:?}")
    };
    assert!(after.ok(), "{}: {:?}", ts.name, after.problems);
    assert_eq!(after.head_seq, head, "{}: no entry stays", ts.name);
}

/// The writing thread fails part-way (the store refuses a row) while the reader is
/// chunks ahead: the store's error is the answer, the reader stops long before the end
/// of its rows, and nothing of the import stays.
#[test]
fn a_write_failing_part_way_stops_the_reader_and_writes_nothing() {
    for ts in TestStore::all() {
        let (app, village, admin) = county_app(&ts);
        let refuse = if ts.name == "sqlite" {
            vec![
                "CREATE TRIGGER refuse_one BEFORE INSERT ON hazards \
                 WHEN NEW.description = '拒绝' BEGIN SELECT RAISE(ABORT, '拒绝写入'); END",
            ]
        } else {
            vec![
                "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF NEW.description = '拒绝' THEN RAISE EXCEPTION '拒绝写入'; END IF; \
                 RETURN NEW; END $$",
                "CREATE TRIGGER refuse_one BEFORE INSERT ON hazards FOR EACH ROW \
                 EXECUTE FUNCTION refuse_one()",
            ]
        };
        for sql in refuse {
            assert!(ts.store.raw_execute(sql, &[]).is_ok(), "{}: {sql}", ts.name);
        }
        let map = mapping();
        let head = ts.store.verify_audit().map(|r| r.head_seq).unwrap_or(-1);
        let row = |description: &str| -> Vec<String> {
            [
                village.as_str(),
                "消防",
                "一般隐患",
                "监督检查",
                description,
                "2022-05-10",
                "2022-06-10",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let (good, refused, undated) = (row("疏散通道堵塞"), row("拒绝"), row("疏散通道堵塞"));
        let undated: Vec<String> = undated
            .into_iter()
            .enumerate()
            .map(|(i, c)| if i == 5 { "2022-13-40".into() } else { c })
            .collect();
        // The store refuses row `at`; the rows from `invalid_from` on are invalid, so
        // the reader has nothing more to hand over and only the writer's going can stop
        // it. Answers how many rows the reader took.
        let run = |rows: usize, at: usize, invalid_from: usize| {
            let mut fed = 0;
            let r = app.write_hazard_rows(
                &admin,
                &map,
                rows,
                ImportOptions::default(),
                &mut |_, _| {},
                &mut |each| {
                    for i in 0..rows {
                        fed += 1;
                        let cells = match i {
                            _ if i == at => &refused,
                            _ if i >= invalid_from => &undated,
                            _ => &good,
                        };
                        each(i + 2, cells, &|_| false)?;
                    }
                    Ok(())
                },
            );
            match r {
                Err(AppError::Store(e)) => {
                    assert!(format!("{e:?}").contains("拒绝写入"), "{}: {e:?}", ts.name)
                }
                other => panic!("{}: {other:?}", ts.name),
            }
            fed
        };
        // The reader chunks ahead: its next hand-over fails (at most four chunks and
        // the one it fills past the writer's).
        let fed = run(20_000, 1_500, usize::MAX);
        assert!(fed < 6_000, "{}: the reader went on to row {fed}", ts.name);
        // The reader past its last hand-over: the writer's going stops it.
        let fed = run(100_000, 1_000, 1_030);
        assert!(fed < 100_000, "{}: the reader read every row", ts.name);
        nothing_stays(&ts, head);
    }
}

/// The reading thread fails part-way (a file that cannot be read to its end, say) while
/// the writing thread has already written thousands of its rows: the reader's own error
/// is the answer, nothing of the import stays, the audit chain is where it was and the
/// next import chains on from it.
#[test]
fn a_read_failing_part_way_answers_its_error_and_writes_nothing() {
    for ts in TestStore::all() {
        let (app, village, admin) = county_app(&ts);
        let map = mapping();
        let head = ts.store.verify_audit().map(|r| r.head_seq).unwrap_or(-1);
        let cells: Vec<String> = [
            village.as_str(),
            "消防",
            "一般隐患",
            "监督检查",
            "疏散通道堵塞",
            "2022-05-10",
            "2022-06-10",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let import = |rows: usize, fail: bool| {
            let mut pushed = 0;
            let r = app.write_hazard_rows(
                &admin,
                &map,
                rows,
                ImportOptions::default(),
                &mut |d, _| pushed = d,
                &mut |each| {
                    for i in 0..rows {
                        each(i + 2, &cells, &|_| false)?;
                    }
                    if fail {
                        return Err(AppError::Internal("第3002行读取失败".into()));
                    }
                    Ok(())
                },
            );
            (r, pushed)
        };
        let (r, pushed) = import(3_000, true);
        match r {
            Err(AppError::Internal(m)) => assert_eq!(m, "第3002行读取失败", "{}", ts.name),
            other => panic!("{}: {other:?}", ts.name),
        }
        assert!(pushed >= 1_000, "{}: the writer had been writing", ts.name);
        nothing_stays(&ts, head);

        let (r, _) = import(600, false);
        assert_eq!(r.map(|r| r.written).ok(), Some(600), "{}", ts.name);
        let after = ts.store.verify_audit().map_err(|e| e.to_string());
        let Ok(after) = after else {
            panic!("{after:?}")
        };
        assert!(after.ok(), "{}: {:?}", ts.name, after.problems);
        assert_eq!(after.head_seq, head + 600, "{}", ts.name);
    }
}
