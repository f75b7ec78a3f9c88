//! 教育培训 on both backends: sessions written in the organiser's place (a township's in the
//! township, a department's at its region) and read in scope (another township's, and another
//! department's for a department's users, answering like a missing one), attendees added in one
//! transaction with the session's count kept in step, files, version-checked changes; the
//! certificates written on an enterprise of the writable scope, read where the enterprise is
//! (out of scope: missing), unique numbers, the expiry filters and the renewed ones; the
//! training and certificate metrics.

use crate::*;
use anjian_domain::training::{Attendee, HolderRole, SessionKind};
use anjian_store::StoreError;
use anjian_store::attachments::NewAttachment;
use anjian_store::paging::Keyset;
use anjian_store::stats::{StatFilter, catalogue};
use anjian_store::training::{
    CertificateFilter, CertificateInput, Organiser, SessionFilter, SessionInput,
};

fn session(organiser: Organiser, kind: SessionKind, on: &str) -> SessionInput {
    SessionInput {
        organiser,
        kind,
        topic: "新《安全生产法》宣贯培训".into(),
        starts_on: day(on),
        ends_on: day(on),
        hours_tenths: 35,
        trainers: "刘建华".into(),
        place: "会议室".into(),
        note: String::new(),
    }
}

fn person(name: &str) -> Attendee {
    Attendee {
        name: name.into(),
        unit: "测试企业1有限公司".into(),
        phone: Some("13907951234".into()),
    }
}

fn cert(
    enterprise_id: i64,
    holder: &str,
    no: &str,
    issued: &str,
    expires: &str,
) -> CertificateInput {
    CertificateInput {
        enterprise_id,
        holder_name: holder.into(),
        role: HolderRole::Principal,
        cert_no: no.into(),
        issued_on: day(issued),
        expires_on: day(expires),
        issuer: "宜春市应急管理局".into(),
        note: String::new(),
    }
}

#[test]
fn training_sessions_keep_their_place_attendees_and_files_on_both_backends() {
    each(|s| {
        let (dept, other_dept) = seed_org(s);
        let county = county_scope();
        let k = Keyset::first(100);
        let town_a = Scope::region(&rc(TOWN_A), true);
        let town_b = Scope::region(&rc(TOWN_B), true);
        let ach = sys(&town_a);
        // A township records its own training; another township's is refused.
        let s1 = s
            .create_training_session(
                &ach,
                &session(
                    Organiser::Township(TOWN_A.into()),
                    SessionKind::Class,
                    "2022-03-16",
                ),
                &[person("张伟"), person("李芳")],
            )
            .unwrap();
        assert_eq!((s1.attendees, s1.region_code.as_str()), (2, TOWN_A));
        assert_eq!(s1.unit_name, "临江镇");
        assert!(matches!(
            s.create_training_session(
                &ach,
                &session(
                    Organiser::Township(TOWN_B.into()),
                    SessionKind::Class,
                    "2022-03-16"
                ),
                &[],
            ),
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            s.create_training_session(
                &sys(&county),
                &session(
                    Organiser::Department(999_999),
                    SessionKind::Class,
                    "2022-03-16"
                ),
                &[],
            ),
            Err(StoreError::Invalid(_))
        ));
        // A department's session lies at its region.
        let dept_scope = Scope {
            sectors: Some(vec!["mines".into(), "hazchem".into()]),
            ..county.clone()
        };
        let s2 = s
            .create_training_session(
                &sys(&dept_scope),
                &session(
                    Organiser::Department(dept),
                    SessionKind::Study,
                    "2022-06-28",
                ),
                &[],
            )
            .unwrap();
        assert_eq!(
            (s2.region_code.as_str(), s2.unit_name.as_str()),
            (COUNTY, "应急管理局")
        );

        // Reads: the township its own, the department its own, the county all.
        let ids = |scope: &Scope, own: Option<i64>| -> Vec<i64> {
            s.training_sessions(scope, own, &SessionFilter::default(), &k)
                .unwrap()
                .items
                .iter()
                .map(|x| x.id)
                .collect()
        };
        assert_eq!(ids(&county, None), [s2.id, s1.id]);
        assert_eq!(ids(&town_a, None), [s1.id]);
        assert!(ids(&town_b, None).is_empty());
        assert_eq!(ids(&dept_scope, Some(dept)), [s2.id]);
        assert!(ids(&dept_scope, Some(other_dept)).is_empty());
        assert!(ids(&dept_scope, None).is_empty());
        let enterprise_scope = Scope {
            enterprise_ids: Some(vec![1]),
            ..county.clone()
        };
        assert!(ids(&enterprise_scope, None).is_empty());
        assert!(matches!(
            s.get_training_session(&town_b, None, s1.id),
            Err(StoreError::NotFound)
        ));
        let f = SessionFilter {
            kind: Some(SessionKind::Study),
            from: Some(day("2022-01-01")),
            to: Some(day("2022-12-31")),
            ..Default::default()
        };
        assert_eq!(
            s.training_sessions(&county, None, &f, &k)
                .unwrap()
                .items
                .len(),
            1
        );
        // Pages: nothing cut.
        let first = s
            .training_sessions(&county, None, &SessionFilter::default(), &Keyset::first(1))
            .unwrap();
        assert_eq!(first.items.len(), 1);
        assert!(first.next.is_some());

        // Attendees: added in one go, the count in step; out of scope, missing.
        let added = s
            .add_training_attendees(&ach, None, s1.id, &[person("王强"), person("赵敏")])
            .unwrap();
        assert_eq!(added.len(), 2);
        assert_eq!(
            s.get_training_session(&county, None, s1.id)
                .unwrap()
                .attendees,
            4
        );
        assert_eq!(
            s.training_attendees(&town_a, None, s1.id)
                .unwrap()
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
            ["张伟", "李芳", "王强", "赵敏"]
        );
        assert!(matches!(
            s.add_training_attendees(&sys(&town_b), None, s1.id, &[person("x")]),
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.training_attendees(&town_b, None, s1.id),
            Err(StoreError::NotFound)
        ));
        // Read-only scopes write nothing.
        let ro = county.clone().read_only();
        assert!(matches!(
            s.add_training_attendees(&sys(&ro), None, s1.id, &[person("x")]),
            Err(StoreError::Forbidden)
        ));

        // A change of the record, version-checked.
        let mut changed = session(
            Organiser::Township(TOWN_A.into()),
            SessionKind::Class,
            "2022-03-17",
        );
        changed.topic = "新《安全生产法》宣贯培训（第二期）".into();
        let up = s
            .update_training_session(&ach, None, s1.id, s1.version, &changed)
            .unwrap();
        assert_eq!(
            (up.version, up.starts_on),
            (s1.version + 1, day("2022-03-17"))
        );
        assert_eq!(up.attendees, 4);
        assert!(matches!(
            s.update_training_session(&ach, None, s1.id, s1.version, &changed),
            Err(StoreError::Conflict(_))
        ));

        // Files.
        let file = NewAttachment {
            file_name: "签到表.pdf".into(),
            content_type: "application/pdf".into(),
            sha256: "00".repeat(32),
            data: b"%PDF-1.4".to_vec(),
            note: "签到表".into(),
        };
        let a = s
            .attach_to_training_session(&ach, None, s1.id, &file)
            .unwrap();
        assert_eq!(
            s.training_session_files(&town_a, None, s1.id)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            s.training_session_file(&town_a, None, a.id).unwrap().1,
            b"%PDF-1.4"
        );
        assert!(matches!(
            s.training_session_file(&town_b, None, a.id),
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.attachment_data(&county, a.id).unwrap().0.id, a.id);
        assert!(matches!(
            s.attach_to_training_session(&sys(&town_b), None, s1.id, &file),
            Err(StoreError::NotFound)
        ));

        // The metrics of 2022.
        let cat = catalogue(&[], &[]);
        let value = |id: &str, scope: &Scope| {
            let m = cat.iter().find(|m| m.id == id).unwrap();
            s.metric_value(
                m,
                scope,
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
            )
            .unwrap()
            .unwrap_or(0)
        };
        assert_eq!(value("training.classes", &county), 1);
        assert_eq!(value("training.attendance", &county), 4);
        assert_eq!(value("training.study_sessions", &county), 1);
        assert_eq!(value("training.classes", &town_b), 0);
        // A department's share.
        let m = cat
            .iter()
            .find(|m| m.id == "training.study_sessions")
            .unwrap();
        let by_dept = StatFilter {
            department_id: Some(dept),
            ..Default::default()
        };
        assert_eq!(
            s.metric_value(m, &county, &by_dept, day("2022-01-01"), day("2022-12-31"))
                .unwrap(),
            Some(1)
        );
        let rows = s
            .metric_records(
                m,
                &county,
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
                10,
            )
            .unwrap()
            .unwrap();
        assert_eq!(rows.len(), 1);
    });
}

#[test]
fn certificates_lie_at_their_enterprise_on_both_backends() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let k = Keyset::first(100);
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_B1, "fire"))
            .unwrap();
        let town_a = Scope::region(&rc(TOWN_A), true);
        let town_b = Scope::region(&rc(TOWN_B), true);
        let c1 = s
            .create_certificate(
                &sys(&town_a),
                &cert(e1, "张伟", "36098120190001", "2019-12-21", "2022-12-20"),
            )
            .unwrap();
        assert_eq!(c1.enterprise_name, "测试企业1有限公司");
        assert_eq!(c1.region_code, VILLAGE_A1);
        assert_eq!(c1.role, HolderRole::Principal);
        // Another township's enterprise: refused like a missing one, and read as missing.
        assert!(matches!(
            s.create_certificate(
                &sys(&town_b),
                &cert(e1, "李芳", "36098120190002", "2020-01-01", "2022-12-31")
            ),
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.get_certificate(&town_b, c1.id),
            Err(StoreError::NotFound)
        ));
        // A sector-bound scope sees the enterprises of its sectors only.
        let fire_only = Scope {
            sectors: Some(vec!["fire".into()]),
            ..county.clone()
        };
        assert!(matches!(
            s.get_certificate(&fire_only, c1.id),
            Err(StoreError::NotFound)
        ));
        let enterprise_own = Scope {
            enterprise_ids: Some(vec![e1]),
            ..county.clone()
        }
        .read_only();
        assert_eq!(s.get_certificate(&enterprise_own, c1.id).unwrap().id, c1.id);
        assert!(matches!(
            s.create_certificate(
                &sys(&enterprise_own),
                &cert(e1, "李芳", "36098120190003", "2020-01-01", "2022-12-31")
            ),
            Err(StoreError::Forbidden)
        ));
        // A number is recorded once in the county; expiry after issue.
        assert!(matches!(
            s.create_certificate(
                &ch,
                &cert(e2, "王强", "36098120190001", "2020-01-01", "2023-01-01")
            ),
            Err(StoreError::Duplicate(_))
        ));
        assert!(
            s.create_certificate(
                &ch,
                &cert(e2, "王强", "36098120190009", "2020-01-01", "2020-01-01")
            )
            .is_err()
        );
        let n = s
            .create_certificates(
                &ch,
                &[
                    cert(e2, "王强", "36098120200004", "2020-01-05", "2023-01-04"),
                    cert(e1, "张伟", "36098120220005", "2022-12-01", "2025-11-30"),
                ],
            )
            .unwrap();
        assert_eq!(n, 2);
        let list = |scope: &Scope, f: &CertificateFilter| -> Vec<String> {
            s.certificates(scope, f, &k)
                .unwrap()
                .items
                .into_iter()
                .map(|c| c.cert_no)
                .collect()
        };
        assert_eq!(list(&town_a, &CertificateFilter::default()).len(), 2);
        assert_eq!(
            list(&town_b, &CertificateFilter::default()),
            ["36098120200004"]
        );
        let due = CertificateFilter {
            expires_by: Some(day("2023-01-31")),
            ..Default::default()
        };
        assert_eq!(list(&county, &due), ["36098120200004", "36098120190001"]);
        // 张伟 renewed: the old one is not owed any more.
        let current = CertificateFilter {
            current_only: true,
            ..due.clone()
        };
        assert_eq!(list(&county, &current), ["36098120200004"]);
        let by_enterprise = CertificateFilter {
            enterprise_id: Some(e2),
            in_force_on: Some(day("2023-01-04")),
            ..Default::default()
        };
        assert_eq!(list(&county, &by_enterprise), ["36098120200004"]);

        // Renewal in place, version-checked; out of scope, missing.
        let renewed = cert(e1, "张伟", "36098120190001", "2019-12-21", "2022-12-30");
        let up = s
            .update_certificate(&sys(&town_a), c1.id, c1.version, &renewed)
            .unwrap();
        assert_eq!(up.expires_on, day("2022-12-30"));
        assert!(matches!(
            s.update_certificate(&sys(&town_a), c1.id, c1.version, &renewed),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.update_certificate(&sys(&town_b), c1.id, up.version, &renewed),
            Err(StoreError::NotFound)
        ));

        // The metrics: in force at the end of 2022, expiring in 2022.
        let cat = catalogue(&[], &[]);
        let value = |id: &str, scope: &Scope| {
            let m = cat.iter().find(|m| m.id == id).unwrap();
            s.metric_value(
                m,
                scope,
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
            )
            .unwrap()
            .unwrap_or(0)
        };
        assert_eq!(value("certificates.valid", &county), 2);
        assert_eq!(value("certificates.expiring", &county), 1);
        assert_eq!(value("certificates.valid", &town_a), 1);
    });
}
