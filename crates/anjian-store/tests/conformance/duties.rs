//! 职责清单: dated duty items with their documents, scope, filters, versions.

use crate::*;
use anjian_domain::duty::DocKind;
use anjian_store::StoreError;
use anjian_store::duties::{DutyFilter, DutyInput};

fn duty(department_id: i64, sector: Option<&str>, from: &str, to: Option<&str>) -> DutyInput {
    DutyInput {
        county_code: COUNTY.into(),
        department_id,
        content: "负责电子礼炮生产、经营、燃放环节的安全监管".into(),
        doc_kind: DocKind::Committee,
        doc_title: "关于明确新兴行业领域安全监管职责的通知".into(),
        doc_no: "樟安委〔2022〕3号".into(),
        decided_on: Some(day("2022-03-15")),
        sector_code: sector.map(str::to_string),
        valid_from: day(from),
        valid_to: to.map(day),
    }
}

#[test]
fn duty_items_are_dated_and_filtered_by_department_sector_and_day() {
    each(|s| {
        let (a, b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let first = s
            .create_duty(
                &ch,
                &duty(a, Some("fire"), "2021-01-01", Some("2022-03-14")),
            )
            .unwrap();
        assert_eq!(first.doc_kind, DocKind::Committee);
        s.create_duty(&ch, &duty(b, Some("fire"), "2022-03-15", None))
            .unwrap();
        assert_eq!(
            s.create_duties(
                &ch,
                &[
                    duty(b, None, "2020-01-01", None),
                    duty(a, None, "2020-01-01", None)
                ]
            )
            .unwrap(),
            2
        );
        let ids = |f: DutyFilter| {
            s.list_duties(&county, &f)
                .unwrap()
                .into_iter()
                .map(|d| (d.department_id, d.sector_code))
                .collect::<Vec<_>>()
        };
        let fire_on = |d: &str| {
            ids(DutyFilter {
                sector_code: Some("fire".into()),
                as_of: Some(day(d)),
                ..Default::default()
            })
        };
        assert_eq!(fire_on("2022-03-14"), vec![(a, Some("fire".into()))]);
        assert_eq!(fire_on("2022-03-15"), vec![(b, Some("fire".into()))]);
        assert_eq!(
            ids(DutyFilter {
                department_id: Some(b),
                ..Default::default()
            })
            .len(),
            2
        );
        // An update with the version read; a stale one is refused.
        let upd = duty(a, Some("fire"), "2021-01-01", Some("2021-12-31"));
        let saved = s.update_duty(&ch, first.id, first.version, &upd).unwrap();
        assert_eq!(saved.valid_to, Some(day("2021-12-31")));
        assert!(matches!(
            s.update_duty(&ch, first.id, first.version, &upd),
            Err(StoreError::Conflict(_))
        ));
        // A township reads its county's duties; another county and enterprises none;
        // read-only scopes write nothing.
        let town = anjian_domain::Scope::region(&rc(TOWN_A), false);
        assert_eq!(
            s.list_duties(&town, &DutyFilter::default()).unwrap().len(),
            4
        );
        assert!(matches!(
            s.create_duty(&sys(&town), &duty(a, None, "2022-01-01", None)),
            Err(StoreError::Forbidden)
        ));
        let other = anjian_domain::Scope::region(&rc("360983000000"), true);
        assert!(matches!(
            s.get_duty(&other, first.id),
            Err(StoreError::NotFound)
        ));
        assert!(
            s.list_duties(&other, &DutyFilter::default())
                .unwrap()
                .is_empty()
        );
        // An unknown sector is refused by the database.
        assert!(
            s.create_duty(&ch, &duty(a, Some("nope"), "2022-01-01", None))
                .is_err()
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn a_departments_duty_sectors_are_those_in_force_on_the_day() {
    each(|s| {
        let (a, b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_duty(
            &ch,
            &duty(a, Some("fire"), "2022-03-15", Some("2022-06-30")),
        )
        .unwrap();
        s.create_duty(&ch, &duty(a, Some("hazchem"), "2022-05-01", None))
            .unwrap();
        // A duty naming no sector, and another department's, put nothing in a's.
        s.create_duty(&ch, &duty(a, None, "2020-01-01", None))
            .unwrap();
        s.create_duty(&ch, &duty(b, Some("mines"), "2020-01-01", None))
            .unwrap();
        let on = |d: &str| s.duty_sectors_in_force(a, day(d)).unwrap();
        assert!(on("2022-03-14").is_empty());
        assert_eq!(on("2022-03-15"), ["fire"]);
        assert_eq!(on("2022-05-01"), ["fire", "hazchem"]);
        assert_eq!(on("2022-06-30"), ["fire", "hazchem"]);
        assert_eq!(on("2022-07-01"), ["hazchem"]);
    });
}
