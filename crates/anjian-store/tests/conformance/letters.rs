use crate::*;
use anjian_domain::letter::{Comparator, CounterpartKind, Indicator, Reader};
use anjian_store::StoreError;
use anjian_store::attachments::NewAttachment;
use anjian_store::letters::{Letter, LetterFilter};
use anjian_store::paging::Keyset;
use anjian_store::stats::{StatFilter, catalogue};

fn letter(kind: CounterpartKind, region: &str, signed: &str) -> Letter {
    Letter {
        region_code: region.into(),
        year: 2022,
        issuer: "市人民政府".into(),
        counterpart_kind: kind,
        counterpart_name: "对象".into(),
        title: "2022年度安全生产目标管理责任状".into(),
        signed_on: day(signed),
        indicators: vec![
            Indicator {
                text: "不发生较大事故".into(),
                ..Default::default()
            },
            Indicator {
                text: "执法检查不少于10次".into(),
                metric: Some("inspections.count".into()),
                comparator: Some(Comparator::Ge),
                target: Some(10.0),
                per_metric: None,
            },
        ],
        ..Default::default()
    }
}

/// Township A and B, department A, enterprise E (in A): one letter each, and a second letter
/// with township A later in the year.
fn seed(s: &anjian_store::Store) -> (i64, i64, [i64; 5]) {
    let (dep_a, dep_b) = seed_org(s);
    let county = county_scope();
    let ch = sys(&county);
    let e = s
        .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
        .unwrap();
    let ids = [
        s.create_letter(
            &ch,
            &letter(CounterpartKind::Township, TOWN_A, "2022-02-10"),
        )
        .unwrap()
        .id,
        s.create_letter(
            &ch,
            &letter(CounterpartKind::Township, TOWN_B, "2022-02-11"),
        )
        .unwrap()
        .id,
        s.create_letter(
            &ch,
            &Letter {
                department_id: Some(dep_a),
                ..letter(CounterpartKind::Department, COUNTY, "2022-02-12")
            },
        )
        .unwrap()
        .id,
        s.create_letter(
            &ch,
            &Letter {
                enterprise_id: Some(e),
                ..letter(CounterpartKind::Enterprise, VILLAGE_A1, "2022-03-01")
            },
        )
        .unwrap()
        .id,
        s.create_letter(
            &ch,
            &letter(CounterpartKind::Township, TOWN_A, "2022-09-01"),
        )
        .unwrap()
        .id,
    ];
    let _ = dep_b;
    (dep_a, e, ids)
}

fn ids_of(s: &anjian_store::Store, scope: &anjian_domain::Scope, reader: Reader) -> Vec<i64> {
    let mut v: Vec<i64> = s
        .list_letters(scope, reader, &LetterFilter::default(), &Keyset::first(100))
        .unwrap()
        .items
        .into_iter()
        .map(|l| l.id)
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn letters_are_read_by_whom_they_are_signed_with() {
    each(|s| {
        let (dep_a, e, [ta, tb, d, ent, ta2]) = seed(s);
        let county = county_scope();
        let l = s.get_letter(&county, Reader::County, ta).unwrap();
        assert_eq!(
            (
                l.counterpart_key.as_str(),
                l.county_code.as_str(),
                l.indicators.len()
            ),
            ("township:360982100000", COUNTY, 2)
        );
        assert_eq!(l.indicators[1].comparator, Some(Comparator::Ge));
        assert_eq!(
            ids_of(s, &county, Reader::County),
            vec![ta, tb, d, ent, ta2]
        );
        // A township: its own letters, not the enterprise's in its territory.
        let town_a = anjian_domain::Scope::region(&rc(TOWN_A), true);
        assert_eq!(ids_of(s, &town_a, Reader::Township), vec![ta, ta2]);
        assert!(matches!(
            s.get_letter(&town_a, Reader::Township, tb),
            Err(StoreError::NotFound)
        ));
        // A department: its own.
        let mut dept_scope = county_scope();
        dept_scope.sectors = Some(vec!["mines".into()]);
        assert_eq!(
            ids_of(s, &dept_scope, Reader::Department(Some(dep_a))),
            vec![d]
        );
        assert!(ids_of(s, &dept_scope, Reader::Department(Some(dep_a + 100))).is_empty());
        assert!(ids_of(s, &dept_scope, Reader::Department(None)).is_empty());
        // An enterprise: its own, whoever reads through its scope.
        let mut ent_scope = county_scope().read_only();
        ent_scope.enterprise_ids = Some(vec![e]);
        assert_eq!(ids_of(s, &ent_scope, Reader::Enterprise), vec![ent]);
        assert_eq!(ids_of(s, &ent_scope, Reader::County), vec![ent]);
        assert!(ids_of(s, &county, Reader::Nobody).is_empty());
        // Filters.
        let f = LetterFilter {
            kind: Some(CounterpartKind::Township),
            year: Some(2022),
            text: Some("目标管理".into()),
        };
        assert_eq!(
            s.list_letters(&county, Reader::County, &f, &Keyset::first(100))
                .unwrap()
                .items
                .len(),
            3
        );
        // Revise with a version; a stale one is refused.
        let ch = sys(&county);
        let mut changed = l.clone();
        changed.title = "修订后的责任状".into();
        let after = s.update_letter(&ch, &changed).unwrap();
        assert_eq!((after.version, after.title.as_str()), (2, "修订后的责任状"));
        assert!(matches!(
            s.update_letter(&ch, &changed),
            Err(StoreError::Conflict(_))
        ));
        // A township may not write a letter (nor one outside its region).
        assert!(matches!(
            s.create_letter(
                &sys(&town_a),
                &letter(CounterpartKind::Township, TOWN_B, "2022-02-10")
            ),
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            s.create_letter(
                &sys(&ent_scope),
                &letter(CounterpartKind::Township, TOWN_A, "2022-02-10")
            ),
            Err(StoreError::Forbidden)
        ));
        // The signed scan: stored with the letter, read through it.
        let pdf = b"%PDF-1.4 signed".to_vec();
        let (with_scan, att) = s
            .attach_letter_scan(
                &ch,
                ta,
                &NewAttachment {
                    file_name: "责任状.pdf".into(),
                    content_type: "application/pdf".into(),
                    sha256: "00".repeat(32),
                    data: pdf.clone(),
                    note: String::new(),
                },
            )
            .unwrap();
        assert_eq!(with_scan.scan_id, Some(att.id));
        let (a, data) = s.letter_scan(&town_a, Reader::Township, ta).unwrap();
        assert_eq!((a.entity.as_str(), data), ("letter", pdf));
        assert!(s.letter_scan(&town_a, Reader::Township, tb).is_err());
        // Letters' files are not served by the generic download (readers are not regions).
        assert!(matches!(
            s.attachment_data(&county, att.id),
            Err(StoreError::NotFound)
        ));
        // Deleting takes the scan with it.
        let v = s.get_letter(&county, Reader::County, ta).unwrap().version;
        assert!(matches!(
            s.delete_letter(&ch, ta, v + 1),
            Err(StoreError::Conflict(_))
        ));
        s.delete_letter(&ch, ta, v).unwrap();
        assert!(s.get_letter(&county, Reader::County, ta).is_err());
        assert!(s.letter_scan(&county, Reader::County, ta).is_err());
        // A batch, all or none.
        let n = s
            .create_letters(
                &ch,
                &[
                    letter(CounterpartKind::Township, TOWN_B, "2022-12-01"),
                    letter(CounterpartKind::Township, TOWN_A, "2022-12-02"),
                ],
            )
            .unwrap();
        assert_eq!(n, 2);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn letter_metrics_count_counterparts_and_drill_to_their_first_letters() {
    each(|s| {
        let (dep_a, e, [ta, tb, d, ent, _ta2]) = seed(s);
        let county = county_scope();
        let cat = catalogue(&s.list_work_item_types().unwrap_or_default(), &[]);
        let get = |id: &str| cat.iter().find(|m| m.id == id).unwrap();
        let (from, to) = (day("2022-01-01"), day("2022-12-31"));
        let val = |id: &str, f: &StatFilter, from, to| {
            s.metric_value(get(id), &county, f, from, to).unwrap()
        };
        let rows = |id: &str, f: &StatFilter, from, to| -> Vec<i64> {
            s.metric_records(get(id), &county, f, from, to, 1000)
                .unwrap()
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    assert_eq!(r.entity, "letter");
                    r.entity_id.unwrap()
                })
                .collect()
        };
        let all = StatFilter::default();
        // Township A signed twice: it counts once, by its first letter.
        assert_eq!(val("letters.townships", &all, from, to), Some(2));
        assert_eq!(rows("letters.townships", &all, from, to), vec![ta, tb]);
        assert_eq!(val("letters.departments", &all, from, to), Some(1));
        assert_eq!(rows("letters.departments", &all, from, to), vec![d]);
        assert_eq!(val("letters.enterprises", &all, from, to), Some(1));
        assert_eq!(rows("letters.enterprises", &all, from, to), vec![ent]);
        // A period with only the second letter: township A counts by it.
        let (h2, end) = (day("2022-07-01"), day("2022-12-31"));
        assert_eq!(val("letters.townships", &all, h2, end), Some(1));
        assert_eq!(rows("letters.townships", &all, h2, end), vec![_ta2]);
        // Statistical scopes: a township's region, a department, an enterprise.
        let town_a = StatFilter {
            region_prefix: Some("360982100".into()),
            ..Default::default()
        };
        assert_eq!(val("letters.townships", &town_a, from, to), Some(1));
        assert_eq!(val("letters.enterprises", &town_a, from, to), Some(1));
        let dept = StatFilter {
            department_id: Some(dep_a),
            ..Default::default()
        };
        assert_eq!(val("letters.departments", &dept, from, to), Some(1));
        let one = StatFilter {
            enterprise_id: Some(e),
            ..Default::default()
        };
        assert_eq!(val("letters.enterprises", &one, from, to), Some(1));
        assert_eq!(val("letters.townships", &one, from, to), Some(0));
        // Capability acceptances carry no enterprise: not applicable to one.
        assert_eq!(val("capability.townships_accepted", &one, from, to), None);
        // The batch agrees with the one-by-one values, every filter mixed in.
        let fs = [all.clone(), town_a, dept, one];
        let pairs: Vec<_> = [
            "letters.townships",
            "letters.departments",
            "letters.enterprises",
        ]
        .iter()
        .flat_map(|id| fs.iter().map(move |f| (get(id), f)))
        .collect();
        let batch = s.metric_values_multi(&pairs, &county, from, to).unwrap();
        for ((m, f), b) in pairs.iter().zip(batch) {
            assert_eq!(
                b,
                s.metric_value(m, &county, f, from, to).unwrap(),
                "{}",
                m.id
            );
        }
    });
}
