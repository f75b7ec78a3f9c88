use crate::*;
use anjian_store::StoreError;
use anjian_store::documents::NewDocument;
use anjian_store::testing::TestStore;

fn doc(department_id: i64, doc_type: &str, year: i64, title: &str) -> NewDocument {
    NewDocument {
        region_code: VILLAGE_A1.into(),
        sector: "hazchem".into(),
        enterprise_id: None,
        department_id,
        doc_type: doc_type.into(),
        year,
        pattern: format!("樟应急{doc_type}〔{{year}}〕{{seq}}号"),
        entity: "inspection".into(),
        entity_id: 1,
        title: title.into(),
        body: "正文".into(),
        issued_on: day("2022-06-01"),
    }
}

#[test]
fn document_numbers_are_per_series_scoped_and_served_once() {
    each(|s| {
        let (dep_a, dep_b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let a1 = s
            .issue_document(&ch, &doc(dep_a, "检记", 2022, "检查记录"))
            .unwrap();
        let a2 = s
            .issue_document(&ch, &doc(dep_a, "检记", 2022, "检查记录"))
            .unwrap();
        let other_type = s
            .issue_document(&ch, &doc(dep_a, "责改", 2022, "责令限期整改指令书"))
            .unwrap();
        let other_year = s
            .issue_document(&ch, &doc(dep_a, "检记", 2023, "检查记录"))
            .unwrap();
        let mut b = doc(dep_b, "检记", 2022, "检查记录");
        b.pattern = "樟消检记〔{year}〕{seq}号".into();
        let other_dep = s.issue_document(&ch, &b).unwrap();
        assert_eq!((a1.seq, a2.seq), (1, 2));
        assert_eq!(a2.doc_no, "樟应急检记〔2022〕2号");
        assert_eq!(other_type.seq, 1);
        assert_eq!(other_year.seq, 1);
        assert_eq!(other_dep.seq, 1);
        assert_eq!(a1.county_code, COUNTY);

        // A number already taken (same rendered number from a bad pattern) fails as a
        // whole: the counter does not advance, so the series stays gap-free.
        let mut clash = doc(dep_a, "检记", 2022, "检查记录");
        clash.pattern = "樟应急检记〔2022〕2号".into();
        assert!(s.issue_document(&ch, &clash).is_err());
        let a3 = s
            .issue_document(&ch, &doc(dep_a, "检记", 2022, "检查记录"))
            .unwrap();
        assert_eq!(a3.seq, 3);

        // Scope: the other township sees nothing, and cannot issue into this one.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.get_document(&town_b, a1.id),
            Err(StoreError::NotFound)
        ));
        assert!(
            s.list_documents(&town_b, None, &anjian_store::paging::Keyset::first(100))
                .map(|p| p.items)
                .unwrap_or_default()
                .is_empty()
        );
        assert!(matches!(
            s.issue_document(&sys(&town_b), &doc(dep_a, "检记", 2022, "x")),
            Err(StoreError::Forbidden)
        ));
        let listed = s
            .list_documents(
                &county,
                Some(("inspection", 1)),
                &anjian_store::paging::Keyset::first(100),
            )
            .map(|p| p.items)
            .unwrap_or_default();
        assert_eq!(listed.len(), 6);

        // Service is recorded once.
        let served = s
            .serve_document(&ch, a1.id, day("2022-06-02"), "张三", "直接送达", "")
            .unwrap();
        assert_eq!(
            served.served_on.map(|d| d.to_string()).as_deref(),
            Some("2022-06-02")
        );
        assert!(matches!(
            s.serve_document(&ch, a1.id, day("2022-06-03"), "李四", "直接送达", ""),
            Err(StoreError::Conflict(_))
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

/// Many threads on two independently opened handles of the same database issue numbers
/// of one series at once: every number 1..=N appears exactly once.
#[test]
fn concurrent_issuers_get_unique_gap_free_numbers() {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        let (dep_a, _) = seed_org(&ts.store);
        let second = std::sync::Arc::new(ts.second_handle().unwrap());
        let handles = [ts.store.clone(), second];
        const THREADS: usize = 6;
        const EACH: usize = 10;
        let mut joins = Vec::new();
        for t in 0..THREADS {
            let store = handles[t % 2].clone();
            joins.push(std::thread::spawn(move || {
                let county = county_scope();
                let mut got = Vec::new();
                for _ in 0..EACH {
                    let ch = sys(&county);
                    match store.issue_document(&ch, &doc(dep_a, "检记", 2022, "检查记录")) {
                        Ok(d) => got.push(d.seq),
                        Err(e) => panic!("issue: {e}"),
                    }
                }
                got
            }));
        }
        let mut all: Vec<i64> = joins
            .into_iter()
            .flat_map(|j| j.join().unwrap_or_default())
            .collect();
        all.sort_unstable();
        let expected: Vec<i64> = (1..=(THREADS * EACH) as i64).collect();
        assert_eq!(all, expected, "{}", ts.name);
        assert!(ts.store.verify_audit().map(|r| r.ok()).unwrap_or(false));
    }
}

#[test]
fn document_prefixes_are_set_per_department() {
    each(|s| {
        let (dep_a, dep_b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        assert_eq!(s.doc_prefix(dep_a).ok(), Some(None));
        s.set_doc_prefix(&ch, dep_a, "樟应急").unwrap();
        assert_eq!(s.doc_prefix(dep_a).ok(), Some(Some("樟应急".into())));
        assert_eq!(s.doc_prefix(dep_b).ok(), Some(None));
        // Set again: replaced.
        s.set_doc_prefix(&ch, dep_a, "樟应急管").unwrap();
        assert_eq!(s.doc_prefix(dep_a).ok(), Some(Some("樟应急管".into())));
        // A read-only scope or a missing department: nothing.
        let reader = county.clone().read_only();
        assert_eq!(
            s.set_doc_prefix(&sys(&reader), dep_a, "x").err(),
            Some(StoreError::Forbidden)
        );
        assert!(s.set_doc_prefix(&ch, 999_999, "x").is_err());
        assert_eq!(s.doc_prefix(999_999).ok(), Some(None));
        assert_eq!(s.doc_prefix(dep_a).ok(), Some(Some("樟应急管".into())));
        let f = anjian_store::audit::AuditFilter {
            action_prefix: Some("document.prefix".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(s.list_audit(&county, &f).map(|v| v.len()).ok(), Some(2));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
        // A department outside the writable scope (a county department, for a township)
        // is out of reach like a missing one.
        let town_b = Scope::region(&rc(TOWN_B), true);
        let r = s.set_doc_prefix(&sys(&town_b), dep_b, "樟消");
        assert!(
            matches!(r, Err(StoreError::Forbidden | StoreError::NotFound)),
            "a township set a county department's prefix: {r:?}"
        );
        assert_eq!(s.doc_prefix(dep_b).ok(), Some(None));
    });
}
