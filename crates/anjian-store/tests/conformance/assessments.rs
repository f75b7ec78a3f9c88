use crate::*;
use anjian_domain::assessment::{
    Direction, EvaluationState, Formula, Method, ObjectionState, Round, RubricItem, UnitKind,
};
use anjian_store::StoreError;
use anjian_store::assessments::{FrozenItem, NewUnit, RecordRef, Rubric, UnitScope};
use anjian_store::attachments::NewAttachment;

fn items() -> Vec<RubricItem> {
    vec![
        RubricItem {
            title: "逾期未整改隐患".into(),
            points: 20.0,
            method: Method::Computed,
            formula: Some(Formula {
                metric: "hazards.open_overdue".into(),
                of: None,
                direction: Direction::AtMost,
                target: 0.0,
                per: 1.0,
                cap: 20.0,
            }),
            standard: String::new(),
        },
        RubricItem {
            title: "森林防灭火责任落实".into(),
            points: 15.0,
            method: Method::Manual,
            formula: None,
            standard: "查阅资料".into(),
        },
    ]
}

/// Rubric, evaluation, hand score, approval with frozen results, evidence and objections,
/// each with its audit entry; a unit's records are the unit's (a township sees its own, a
/// department its own) and everything else answers as missing.
#[test]
fn assessments_rubric_evaluation_freeze_and_objections() {
    each(|s| {
        let (dep, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let rubric = Rubric {
            county_code: COUNTY.into(),
            year: 2022,
            unit_kind: UnitKind::Township,
            title: "2022年度乡镇安全生产工作考核细则".into(),
            items: items(),
            ..Default::default()
        };
        let r = s.save_rubric(&ch, &rubric).unwrap();
        assert_eq!((r.version, r.items.len()), (1, 2));
        assert!(matches!(
            s.save_rubric(&ch, &rubric),
            Err(StoreError::Duplicate(_))
        ));
        let mut edited = r.clone();
        edited.title = "考核细则（修订）".into();
        let r2 = s.save_rubric(&ch, &edited).unwrap();
        assert_eq!(r2.version, 2);
        assert!(
            matches!(s.save_rubric(&ch, &edited), Err(StoreError::Conflict(_))),
            "stale"
        );
        assert_eq!(s.list_rubrics(COUNTY, Some(2022)).unwrap().len(), 1);
        assert!(s.list_rubrics(COUNTY, Some(2021)).unwrap().is_empty());
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.save_rubric(&sys(&town_b), &rubric),
            Err(StoreError::Forbidden)
        ));

        let units = [
            NewUnit {
                region_code: TOWN_A.into(),
                department_id: None,
                unit_name: "临江镇".into(),
            },
            NewUnit {
                region_code: TOWN_B.into(),
                department_id: None,
                unit_name: "永泰镇".into(),
            },
            NewUnit {
                region_code: COUNTY.into(),
                department_id: Some(dep),
                unit_name: "应急管理局".into(),
            },
        ];
        let a = s.create_assessment(&ch, r.id, Round::Year, &units).unwrap();
        assert_eq!(
            (a.status, a.year, a.round, a.items.clone()),
            (EvaluationState::Draft, 2022, Round::Year, None)
        );
        assert!(matches!(
            s.create_assessment(&ch, r.id, Round::Year, &units),
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(s.list_assessments(COUNTY, Some(2022)).unwrap().len(), 1);
        assert!(matches!(
            s.get_assessment("360983000000", a.id),
            Err(StoreError::NotFound)
        ));

        let all = UnitScope {
            scope: &county,
            department: None,
        };
        let us = s.assessment_units(&all, a.id).unwrap();
        assert_eq!(us.len(), 3);
        let (ua, ub, ud) = (us[0].id, us[1].id, us[2].id);
        let b_only = UnitScope {
            scope: &town_b,
            department: None,
        };
        assert_eq!(
            s.assessment_units(&b_only, a.id)
                .unwrap()
                .iter()
                .map(|u| u.id)
                .collect::<Vec<_>>(),
            vec![ub]
        );
        assert!(matches!(
            s.get_assessment_unit(&b_only, ua),
            Err(StoreError::NotFound)
        ));
        let dep_only = UnitScope {
            scope: &county,
            department: Some(dep),
        };
        assert_eq!(
            s.assessment_units(&dep_only, a.id)
                .unwrap()
                .iter()
                .map(|u| u.id)
                .collect::<Vec<_>>(),
            vec![ud]
        );

        let hs = s
            .set_hand_score(&ch, ua, 1, 1350, "资料齐全，扣1.5分")
            .unwrap();
        assert_eq!((hs.score, hs.scored_by.as_str()), (1350, "test"));
        let hs = s
            .set_hand_score(&ch, ua, 1, 1400, "复查后改为14分")
            .unwrap();
        assert_eq!(hs.score, 1400);
        assert!(matches!(
            s.set_hand_score(&sys(&town_b), ua, 1, 1500, ""),
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.hand_scores(&all, a.id).unwrap().len(), 1);
        assert!(s.hand_scores(&b_only, a.id).unwrap().is_empty());

        let ev = NewAttachment {
            file_name: "森林防火检查记录.pdf".into(),
            content_type: "application/pdf".into(),
            sha256: "00".repeat(32),
            data: b"%PDF-1.4 test".to_vec(),
            note: "巡查记录".into(),
        };
        assert!(matches!(
            s.add_assessment_evidence(&sys(&town_b), None, ua, 1, &ev),
            Err(StoreError::NotFound)
        ));
        let e = s
            .add_assessment_evidence(&sys(&town_b), None, ub, 1, &ev)
            .unwrap();
        assert_eq!(
            s.assessment_evidence(&b_only, a.id).unwrap(),
            vec![e.clone()]
        );
        let (got, data) = s.assessment_evidence_data(&b_only, e.id).unwrap();
        assert_eq!((got, data), (e.clone(), ev.data.clone()));
        assert!(matches!(
            s.assessment_evidence_data(&dep_only, e.id),
            Err(StoreError::NotFound)
        ));

        let frozen = |score: i64, records: Vec<RecordRef>| {
            vec![
                FrozenItem {
                    no: 1,
                    value: Some(300),
                    target: 0,
                    shortfall: 300,
                    deduction: 300,
                    score,
                    records,
                    ..Default::default()
                },
                FrozenItem {
                    no: 2,
                    score: 1400,
                    ..Default::default()
                },
            ]
        };
        let rec = RecordRef {
            entity: "hazard".into(),
            entity_id: Some(7),
            date: Some("2022-03-01".into()),
            label: "消防通道堵塞".into(),
            ..Default::default()
        };
        let all_frozen = vec![
            (ua, frozen(1700, vec![rec.clone()])),
            (ub, frozen(2000, vec![])),
            (ud, frozen(2000, vec![])),
        ];
        assert!(
            matches!(
                s.approve_assessment(&ch, a.id, a.version, &items(), &all_frozen[..2]),
                Err(StoreError::Invalid(_))
            ),
            "every unit"
        );
        let ap = s
            .approve_assessment(&ch, a.id, a.version, &items(), &all_frozen)
            .unwrap();
        assert_eq!(
            (ap.status, ap.items.map(|i| i.len())),
            (EvaluationState::Approved, Some(2))
        );
        assert!(matches!(
            s.approve_assessment(&ch, a.id, ap.version, &items(), &all_frozen),
            Err(StoreError::Conflict(_))
        ));
        let u = s.get_assessment_unit(&all, ua).unwrap();
        assert_eq!(
            u.frozen.as_ref().map(|f| f[0].records.clone()),
            Some(vec![rec])
        );
        assert!(
            matches!(
                s.set_hand_score(&ch, ua, 1, 1500, ""),
                Err(StoreError::Conflict(_))
            ),
            "frozen"
        );
        assert!(
            matches!(s.save_rubric(&ch, &r2), Err(StoreError::Conflict(_))),
            "a rubric in use stays"
        );

        let o = s
            .file_objection(&sys(&town_b), None, ub, 0, "3处隐患已于年底前整改销号")
            .unwrap();
        assert_eq!(
            (o.status, o.unit_name.as_str(), o.assessment_id),
            (ObjectionState::Filed, "永泰镇", a.id)
        );
        assert!(matches!(
            s.file_objection(&sys(&town_b), None, ub, 0, "再次申请"),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.file_objection(&sys(&town_b), None, ua, 0, "别人的"),
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.get_objection(&dep_only, o.id),
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.list_objections(&b_only, Some(a.id)).unwrap().len(), 1);
        assert!(s.list_objections(&dep_only, None).unwrap().is_empty());
        let done = s
            .answer_objection(
                &ch,
                o.id,
                o.version,
                ObjectionState::Accepted,
                Some(1900),
                "经核实采纳",
            )
            .unwrap();
        assert_eq!(
            (done.status, done.score, done.answered_by.as_str()),
            (ObjectionState::Accepted, Some(1900), "test")
        );
        assert!(matches!(
            s.answer_objection(&ch, o.id, done.version, ObjectionState::Rejected, None, "x"),
            Err(StoreError::Conflict(_))
        ));

        let actions: Vec<String> = s
            .list_audit(
                &county,
                &anjian_store::audit::AuditFilter {
                    action_prefix: Some("assessment".into()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        for want in [
            "assessment_rubric.save",
            "assessment.create",
            "assessment.score",
            "assessment.evidence",
            "assessment.approve",
            "assessment_objection.file",
            "assessment_objection.answer",
        ] {
            assert!(actions.iter().any(|a| a == want), "{want}: {actions:?}");
        }
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
