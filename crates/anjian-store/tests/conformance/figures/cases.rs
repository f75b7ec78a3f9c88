//! Penalty case figures: 立案查处 and 责令停产停业.

use super::*;

/// A penalty case of the given procedure, registered on 2022-06-01; with `stop` decided on
/// 2022-06-10 with 责令停产停业.
fn case(enterprise: Option<i64>, procedure: &str, stop: bool) -> Case {
    Case {
        id: 0,
        county_code: COUNTY.into(),
        region_code: VILLAGE_A1.into(),
        department_id: None,
        enterprise_id: enterprise,
        sector: "hazchem".into(),
        procedure: procedure.into(),
        party_kind: "organisation".into(),
        party_name: "测试企业有限公司".into(),
        facts: String::new(),
        legal_basis: String::new(),
        fine_fen: 100_000,
        measures: if stop { "fine,stop_production" } else { "fine" }.into(),
        major: false,
        status: anjian_domain::cases::CaseStatus::parse(if stop {
            "decided"
        } else {
            "registered"
        })
        .unwrap(),
        registered_on: day("2022-06-01"),
        notified_on: None,
        legal_review: String::new(),
        legal_reviewed_on: None,
        decided_on: stop.then(|| day("2022-06-10")),
        served_on: None,
        executed_on: None,
        closed_on: None,
        hazard_id: None,
        inspection_id: None,
        campaign: None,
        discussed_on: None,
        extension_days: 0,
        examined_on: None,
        version: 1,
        ..Default::default()
    }
}

/// "立案调查N起"、"立案查处非法违法案件N起": cases registered for investigation, i.e. the
/// general procedure; a simple-procedure penalty is decided on the spot without 立案.
#[test]
fn report_2022_lian_cha_chu_counts_general_procedure_only() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_case(&ch, &case(None, "general", false), "register")
            .unwrap();
        for _ in 0..3 {
            s.create_case(&ch, &case(None, "simple", false), "register")
                .unwrap();
        }
        assert_eq!(year(s, "cases.investigated"), Some(1));
        assert_eq!(
            year(s, "cases.filed"),
            Some(4),
            "办理行政处罚案件 counts both"
        );
        let cat = catalogue(&[], &[]);
        let m = cat.iter().find(|m| m.id == "cases.investigated").unwrap();
        assert_eq!(m.unit, "起");
        assert!(m.definition.contains("简易程序") && m.definition.contains("不计入"));
    });
}

/// "责令停产停业N家": enterprises, each once however many orders it received, whether the
/// order was a penalty decision's measure or an on-site measure (现场处理措施决定书,
/// 安全生产法 art. 65 "责令暂时停产停业").
#[test]
fn report_2022_ze_ling_ting_chan_ting_ye_counts_enterprises_with_onsite_orders() {
    each(|s| {
        let (dep, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let a = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let b = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_A1, "hazchem"))
            .unwrap();
        // Three decisions against one enterprise (the old rule counted three).
        for _ in 0..3 {
            s.create_case(&ch, &case(Some(a), "general", true), "register")
                .unwrap();
        }
        // An on-site stop order against another, and an on-site measure that is not one.
        let doc = |body: &str, e: i64| NewDocument {
            region_code: VILLAGE_A1.into(),
            sector: "hazchem".into(),
            enterprise_id: Some(e),
            department_id: dep,
            doc_type: "onsite_measure".into(),
            year: 2022,
            pattern: "樟应急现决〔{year}〕{seq}号".into(),
            entity: "inspection".into(),
            entity_id: 1,
            title: "现场处理措施决定书".into(),
            body: body.into(),
            issued_on: day("2022-07-01"),
        };
        s.issue_document(&ch, &doc("责令暂时停产停业，撤出作业人员。", b))
            .unwrap();
        s.issue_document(&ch, &doc("责令立即停止使用二号储罐。", a))
            .unwrap();
        assert_eq!(year(s, "cases.stop_production"), Some(2));
        let cat = catalogue(&[], &[]);
        let m = cat
            .iter()
            .find(|m| m.id == "cases.stop_production")
            .unwrap();
        let rows = s
            .metric_records(
                m,
                &county,
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
                100,
            )
            .unwrap()
            .unwrap();
        let mut ids: Vec<Option<i64>> = rows.iter().map(|r| r.entity_id).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![Some(a), Some(b)]);
        assert!(rows.iter().all(|r| r.entity == "enterprise"));
    });
}
