//! Documents served on a party, and transfers to the judiciary.

use super::*;

/// "下达各类行政执法文书N份": documents served on a party (the inspection record, orders,
/// notices, decisions); the internal approval forms (立案审批表, 结案审批表) are not 下达.
#[test]
fn report_2022_xia_da_zhi_fa_wen_shu_counts_documents_served_on_a_party() {
    each(|s| {
        let (dep, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        for t in [
            "inspection_record",
            "rectification_order",
            "case_register",
            "penalty_decision",
            "case_close",
        ] {
            s.issue_document(
                &ch,
                &NewDocument {
                    region_code: VILLAGE_A1.into(),
                    sector: "hazchem".into(),
                    enterprise_id: None,
                    department_id: dep,
                    doc_type: t.into(),
                    year: 2022,
                    pattern: format!("樟应急{t}〔{{year}}〕{{seq}}号"),
                    entity: "case".into(),
                    entity_id: 1,
                    title: t.into(),
                    body: "正文".into(),
                    issued_on: day("2022-06-01"),
                },
            )
            .unwrap();
        }
        assert_eq!(year(s, "documents.issued"), Some(3));
        assert_eq!(year(s, "documents.rectification_orders"), Some(1));
    });
}

/// "移送司法机关处理N人" and "移交涉嫌犯罪案件N起": a transfer is a case (起); the people
/// transferred are persons (人). Two figures, each in its own unit.
#[test]
fn report_2022_yi_song_si_fa_transfers_are_qi_and_people_are_ren() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        for subject in ["王某", "李某"] {
            let t = s
                .create_transfer(
                    &ch,
                    &Transfer {
                        region_code: VILLAGE_A1.into(),
                        sector: "hazchem".into(),
                        subject: subject.into(),
                        crime_type: "dangerous_operation".into(),
                        facts: "事实".into(),
                        officers: "[\"甲\",\"乙\"]".into(),
                        report_on: day("2022-06-01"),
                        persons: 1,
                        ..Default::default()
                    },
                )
                .unwrap();
            let mut next = t.clone();
            next.status = anjian_domain::transfer::TransferState::Transferred;
            next.decided_on = Some(day("2022-06-01"));
            next.transferred_on = Some(day("2022-06-02"));
            s.update_transfer(&ch, &next, "transfer").unwrap();
        }
        let cat = catalogue(&[], &[]);
        let unit = |id: &str| cat.iter().find(|m| m.id == id).map(|m| m.unit.as_str());
        assert_eq!(unit("transfers.cases"), Some("起"));
        assert_eq!(unit("transfers.transferred"), Some("人"));
        assert_eq!(year(s, "transfers.cases"), Some(2));
        assert_eq!(year(s, "transfers.transferred"), Some(2));
    });
}
