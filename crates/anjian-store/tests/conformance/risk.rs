//! Risk points: registration with the first assessment, re-assessment history, review steps
//! with versions, scope (region, sector through the enterprise, own enterprise, public sites),
//! retirement, the highest grade per enterprise, and an import that is all or nothing.

use crate::*;
use anjian_domain::accident_type::AccidentType;
use anjian_domain::risk::{
    AssessmentStatus, ControlLevel, Controls, Cutoffs, Inputs, Method, PointFields, RiskState,
    evaluate,
};
use anjian_domain::risk_grade::Grade;
use anjian_store::StoreError;
use anjian_store::paging::Keyset;
use anjian_store::risk::{AssessmentMark, NewAssessment, NewRiskPoint, RiskPointFilter};

/// For each enterprise in scope with graded points, the highest grade of its points that are
/// not retired (what the enterprise's grade is derived from under the `highest` rule).
fn highest(s: &anjian_store::Store, scope: &Scope) -> Vec<(i64, Grade)> {
    use anjian_domain::risk_steering::{GradeRule, derive};
    s.enterprise_risk_grade_rows(scope, &Default::default())
        .unwrap()
        .into_iter()
        .filter_map(|r| Some((r.enterprise_id, derive(&r.counts, GradeRule::Highest, 0)?)))
        .collect()
}

fn fields(place: &str) -> PointFields {
    PointFields {
        place: place.into(),
        activity: "装卸作业".into(),
        hazard_factor: "液氯泄漏".into(),
        accident_types: vec![AccidentType::Poisoning, AccidentType::VesselExplosion],
        control_level: ControlLevel::Company,
        responsible_name: "王强".into(),
        responsible_phone: "13907970001".into(),
        controls: Controls {
            engineering: "设置泄漏报警".into(),
            ..Controls::default()
        },
    }
}

fn lec(l: f64, e: f64, c: f64, reason: &str) -> NewAssessment {
    let i = Inputs {
        l: Some(l),
        e: Some(e),
        c: Some(c),
        s: None,
    };
    NewAssessment {
        evaluation: evaluate(Method::Lec, i, &Cutoffs::default()).unwrap(),
        cutoffs: "320,160,70".into(),
        reason: reason.into(),
        assessed_by: "王强".into(),
    }
}

fn point(enterprise: Option<i64>, region: &str, place: &str) -> NewRiskPoint {
    NewRiskPoint {
        enterprise_id: enterprise,
        region_code: region.into(),
        fields: fields(place),
    }
}

#[test]
fn a_point_is_assessed_reviewed_and_reassessed_with_its_history() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        // 6 × 6 × 7 = 252: 较大.
        let (p, a) = s
            .create_risk_point(
                &ch,
                &point(Some(e), TOWN_B, "液氯储罐区"),
                Some(&lec(6.0, 6.0, 7.0, "")),
            )
            .unwrap();
        let a = a.unwrap();
        // An enterprise's point lies in the enterprise's region, whatever was given.
        assert_eq!(p.region_code, VILLAGE_A1);
        assert_eq!(p.county_code, COUNTY);
        assert_eq!(p.enterprise_name, "测试企业1有限公司");
        assert_eq!((p.state, p.grade), (RiskState::Draft, None));
        assert_eq!(p.pending_assessment_id, Some(a.id));
        assert_eq!((a.score_x100, a.grade), (25200, Grade::Large));
        assert_eq!(a.status, AssessmentStatus::Pending);
        assert_eq!(
            p.accident_types,
            vec![AccidentType::Poisoning, AccidentType::VesselExplosion]
        );
        // Submit, then accept: the grade becomes the assessment's.
        let mut next = p.clone();
        next.state = RiskState::Submitted;
        let mark = |status, by: Option<&str>, note: &str| AssessmentMark {
            id: a.id,
            status,
            reviewed_by: by.map(str::to_string),
            note: note.into(),
        };
        let p = s
            .update_risk_point(
                &ch,
                &next,
                "submit",
                Some(&mark(AssessmentStatus::Submitted, None, "")),
            )
            .unwrap();
        assert_eq!(p.version, next.version + 1);
        // A stale version is a conflict.
        assert!(matches!(
            s.update_risk_point(&ch, &next, "submit", None),
            Err(StoreError::Conflict(_))
        ));
        let mut next = p.clone();
        next.state = RiskState::Accepted;
        next.grade = Some(Grade::Large);
        next.accepted_assessment_id = Some(a.id);
        next.pending_assessment_id = None;
        let p = s
            .update_risk_point(
                &ch,
                &next,
                "accept",
                Some(&mark(AssessmentStatus::Accepted, Some("李审"), "同意")),
            )
            .unwrap();
        assert_eq!(
            (p.state, p.grade),
            (RiskState::Accepted, Some(Grade::Large))
        );
        // Re-assessment: 10 × 10 × 7 = 700 重大, pending; the accepted grade stays until reviewed.
        let (p, b) = s
            .assess_risk_point(&ch, p.id, p.version, &lec(10.0, 10.0, 7.0, "增加储量"))
            .unwrap();
        assert_eq!((p.state, p.grade), (RiskState::Draft, Some(Grade::Large)));
        assert_eq!(b.grade, Grade::Major);
        // A second re-assessment before submission supersedes the first.
        let (p, c) = s
            .assess_risk_point(&ch, p.id, p.version, &lec(6.0, 6.0, 15.0, "复核"))
            .unwrap();
        assert_eq!(p.pending_assessment_id, Some(c.id));
        let history = s.risk_point_assessments(&county, p.id).unwrap();
        let got: Vec<_> = history
            .iter()
            .map(|h| (h.id, h.status, h.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (c.id, AssessmentStatus::Pending, "复核"),
                (b.id, AssessmentStatus::Superseded, "增加储量"),
                (a.id, AssessmentStatus::Accepted, ""),
            ]
        );
        assert_eq!(history[2].reviewed_by, "李审");
        assert_eq!(history[2].review_note, "同意");
        assert!(history[2].reviewed_at.is_some());
        // A stale assessment is refused and writes nothing.
        assert!(matches!(
            s.assess_risk_point(&ch, p.id, p.version - 1, &lec(1.0, 1.0, 1.0, "x")),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.risk_point_assessments(&county, p.id).unwrap().len(), 3);
        // Every change is audited.
        assert!(s.verify_audit().unwrap().ok());
    });
}

#[test]
fn each_scope_sees_its_own_points_and_the_highest_grades() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_B1, "fire"))
            .unwrap();
        let accept = |id: i64, g: Grade| {
            let mut p = s.get_risk_point(&county, id).unwrap();
            p.state = RiskState::Accepted;
            p.grade = Some(g);
            s.update_risk_point(&ch, &p, "accept", None).unwrap()
        };
        let (p1, _) = s
            .create_risk_point(&ch, &point(Some(e1), "", "储罐区"), None)
            .unwrap();
        let (p2, _) = s
            .create_risk_point(&ch, &point(Some(e1), "", "装卸区"), None)
            .unwrap();
        let (p3, _) = s
            .create_risk_point(&ch, &point(Some(e1), "", "仓库"), None)
            .unwrap();
        let (p4, _) = s
            .create_risk_point(&ch, &point(Some(e2), "", "厨房"), None)
            .unwrap();
        let (site, _) = s
            .create_risk_point(&ch, &point(None, TOWN_B, "集贸市场"), None)
            .unwrap();
        assert_eq!(
            (site.region_code.as_str(), site.enterprise_id),
            (TOWN_B, None)
        );
        accept(p1.id, Grade::General);
        let p2 = accept(p2.id, Grade::Major);
        accept(p4.id, Grade::Low);
        accept(site.id, Grade::Large);
        // p3 has no grade. Highest per enterprise: e1 重大, e2 低; public sites are no enterprise's.
        assert_eq!(
            highest(s, &county),
            vec![(e1, Grade::Major), (e2, Grade::Low)]
        );
        // Retiring the 重大 point lowers e1 to 一般.
        let mut r = p2.clone();
        r.state = RiskState::Retired;
        r.retired_at = Some("2022-06-01T02:00:00Z".into());
        r.retire_reason = "装置拆除".into();
        s.update_risk_point(&ch, &r, "retire", None).unwrap();
        assert_eq!(
            highest(s, &county),
            vec![(e1, Grade::General), (e2, Grade::Low)]
        );
        let all = Keyset::first(100);
        let ids = |scope: &Scope, f: &RiskPointFilter| -> Vec<i64> {
            s.list_risk_points(scope, f, &all)
                .unwrap()
                .items
                .iter()
                .map(|p| p.id)
                .collect()
        };
        let none = RiskPointFilter::default();
        assert_eq!(
            ids(&county, &none),
            vec![site.id, p4.id, p3.id, p2.id, p1.id]
        );
        // A township sees its region: town B has e2's point and the public site.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(ids(&town_b, &none), vec![site.id, p4.id]);
        // A department sees the enterprises of its sectors, no public site.
        let dept = Scope {
            sectors: Some(vec!["hazchem".into()]),
            ..county_scope()
        };
        assert_eq!(ids(&dept, &none), vec![p3.id, p2.id, p1.id]);
        assert_eq!(highest(s, &dept), vec![(e1, Grade::General)]);
        assert!(matches!(
            s.get_risk_point(&dept, site.id),
            Err(StoreError::NotFound)
        ));
        // An enterprise sees its own only; another's answers like a missing one.
        let own = Scope {
            enterprise_ids: Some(vec![e2]),
            ..county_scope()
        };
        assert_eq!(ids(&own, &none), vec![p4.id]);
        assert!(matches!(
            s.get_risk_point(&own, p1.id),
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.risk_point_assessments(&own, p1.id),
            Err(StoreError::NotFound)
        ));
        // Filters.
        let f = |g: Option<Grade>, st: Option<RiskState>, e: Option<i64>| RiskPointFilter {
            grade: g,
            state: st,
            enterprise_id: e,
            ..RiskPointFilter::default()
        };
        assert_eq!(
            ids(&county, &f(Some(Grade::Large), None, None)),
            vec![site.id]
        );
        assert_eq!(
            ids(&county, &f(None, Some(RiskState::Draft), None)),
            vec![p3.id]
        );
        assert_eq!(ids(&county, &f(None, None, Some(e2))), vec![p4.id]);
        let sites = RiskPointFilter {
            public_sites: true,
            ..RiskPointFilter::default()
        };
        assert_eq!(ids(&county, &sites), vec![site.id]);
        let in_a = RiskPointFilter {
            region_prefix: Some("360982100".into()),
            ..RiskPointFilter::default()
        };
        assert_eq!(ids(&county, &in_a), vec![p3.id, p2.id, p1.id]);
        // Paging: newest first, nothing cut.
        let first = s
            .list_risk_points(&county, &none, &Keyset::first(2))
            .unwrap();
        assert_eq!(first.items.len(), 2);
        let rest = s
            .list_risk_points(
                &county,
                &none,
                &Keyset::after(first.next.as_deref().and_then(|n| n.parse().ok()), 10),
            )
            .unwrap();
        assert_eq!(rest.items.len(), 3);
    });
}

#[test]
fn writes_outside_the_scope_and_bad_imports_change_nothing() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_B1, "fire"))
            .unwrap();
        // An enterprise's writable scope registers its own points only.
        let own = Scope {
            enterprise_ids: Some(vec![e1]),
            ..county_scope()
        };
        let och = sys(&own);
        assert!(
            s.create_risk_point(&och, &point(Some(e1), "", "储罐区"), None)
                .is_ok()
        );
        assert!(matches!(
            s.create_risk_point(&och, &point(Some(e2), "", "厨房"), None),
            Err(StoreError::NotFound)
        ));
        assert!(
            s.create_risk_point(&och, &point(None, TOWN_A, "市场"), None)
                .is_err()
        );
        // A township registers public sites in its own region only.
        let town_a = Scope::region(&rc(TOWN_A), true);
        let tch = sys(&town_a);
        assert!(
            s.create_risk_point(&tch, &point(None, TOWN_B, "市场"), None)
                .is_err()
        );
        // A read-only scope writes nothing.
        let ro = Scope::region(&rc(COUNTY), false);
        assert!(matches!(
            s.create_risk_point(&sys(&ro), &point(None, TOWN_A, "市场"), None),
            Err(StoreError::Forbidden)
        ));
        // An import with one bad row (another enterprise's point) writes none of them.
        let batch = vec![
            (point(Some(e1), "", "装卸区"), Some(lec(3.0, 6.0, 7.0, ""))),
            (point(Some(e2), "", "厨房"), None),
        ];
        assert!(s.create_risk_points(&och, &batch).is_err());
        let all = Keyset::first(100);
        assert_eq!(
            s.list_risk_points(&county, &RiskPointFilter::default(), &all)
                .unwrap()
                .items
                .len(),
            1
        );
        let ok = s.create_risk_points(&ch, &batch).unwrap();
        assert_eq!(ok.len(), 2);
        let history = s.risk_point_assessments(&county, ok[0]).unwrap();
        assert_eq!((history.len(), history[0].score_x100), (1, 12600));
        assert!(s.verify_audit().unwrap().ok());
    });
}
