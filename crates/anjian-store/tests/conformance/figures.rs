//! The figures of the source report as the report means them (issue 14): each test names
//! the report's sentence or the rule it follows, and would fail under the definition it
//! replaced. Both backends.

use crate::*;
use anjian_domain::hazard::{Level, Source, Status};
use anjian_store::cases::Case;
use anjian_store::documents::NewDocument;
use anjian_store::hazards::{EventInput, HazardFilter};
use anjian_store::stats::{StatFilter, catalogue};
use anjian_store::transfers::Transfer;
use chrono::{TimeZone, Utc};

/// A change made at 10:00 China time on `day`.
fn on<'a>(scope: &'a Scope, day: &str) -> Change<'a> {
    let d = crate::day(day);
    let at = Utc
        .from_utc_datetime(&d.and_hms_opt(2, 0, 0).unwrap_or_default())
        .to_utc();
    Change::system(scope, "test", at)
}

fn ev(action: &str) -> EventInput {
    EventInput {
        action: action.into(),
        note: String::new(),
        data: None,
    }
}

/// A metric's raw value over `[from, to]` for the whole county.
fn val(s: &Store, id: &str, from: &str, to: &str) -> Option<i64> {
    let cat = catalogue(&[]);
    let m = cat
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("{id}"));
    s.metric_value(
        m,
        &county_scope(),
        &StatFilter::default(),
        day(from),
        day(to),
    )
    .unwrap()
}

fn year(s: &Store, id: &str) -> Option<i64> {
    val(s, id, "2022-01-01", "2022-12-31")
}

/// A hazard found on `found` with a deadline, registered on its finding day.
fn hazard(s: &Store, found: &str, deadline: &str) -> anjian_store::hazards::Hazard {
    let county = county_scope();
    s.create_hazard(
        &on(&county, found),
        &hazard_fields(VILLAGE_A1, None, "fire", found, Some(deadline)),
        &ev("create"),
    )
    .unwrap()
}

/// Moves a hazard to `status` on `day` (closing it that day when closed).
fn step(
    s: &Store,
    h: &anjian_store::hazards::Hazard,
    status: Status,
    day: &str,
) -> anjian_store::hazards::Hazard {
    let county = county_scope();
    let now = s.get_hazard(&county, h.id).unwrap();
    let mut f = now.fields();
    f.status = status;
    if status == Status::Closed {
        f.closed_on = Some(crate::day(day));
    }
    s.update_hazard(
        &on(&county, day),
        h.id,
        now.version,
        &f,
        &ev(status.as_str()),
    )
    .unwrap()
}

/// 安全生产执法程序规定 (安监总政法〔2016〕72号): a hazard whose rectification was reported
/// done by its deadline awaits the regulator's 复查 and is not 逾期未整改 in the lists; one
/// reported after its deadline, or sent back by the review, is.
#[test]
fn zhi_fa_cheng_xu_reported_in_time_is_not_overdue_in_lists() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let in_time = hazard(s, "2022-06-01", "2022-06-10");
        let late = hazard(s, "2022-06-01", "2022-06-10");
        let open = hazard(s, "2022-06-01", "2022-06-10");
        let in_time = step(s, &in_time, Status::Rectifying, "2022-06-02");
        let in_time = step(s, &in_time, Status::Reported, "2022-06-09");
        let late = step(s, &late, Status::Rectifying, "2022-06-02");
        let late = step(s, &late, Status::Reported, "2022-06-12");
        step(s, &open, Status::Rectifying, "2022-06-02");
        assert_eq!(in_time.reported_on, Some(day("2022-06-09")));
        assert_eq!(late.reported_on, Some(day("2022-06-12")));
        let f = |overdue: bool| HazardFilter {
            overdue: Some(overdue),
            today: day("2022-06-20"),
            limit: 50,
            ..Default::default()
        };
        let ids = |f: &HazardFilter| -> Vec<i64> {
            s.list_hazards(&county, f)
                .unwrap()
                .items
                .iter()
                .map(|h| h.id)
                .collect()
        };
        // Old rule (open past the deadline): all three.
        assert_eq!(ids(&f(true)), vec![open.id, late.id]);
        assert_eq!(ids(&f(false)), vec![in_time.id]);
        assert_eq!(s.count_hazards(&county, &f(true)).unwrap(), 2);
        assert_eq!(
            s.count_hazards_and_overdue(&county, &f(true)).unwrap(),
            (2, 2)
        );
        assert_eq!(
            s.count_hazards_and_overdue(
                &county,
                &HazardFilter {
                    today: day("2022-06-20"),
                    ..Default::default()
                }
            )
            .unwrap(),
            (3, 2)
        );
        // The reviewer's list: awaiting review, reported on or before a day.
        let reviews = |to: &str| {
            ids(&HazardFilter {
                reported_to: Some(day(to)),
                today: day("2022-06-20"),
                limit: 50,
                ..Default::default()
            })
        };
        assert_eq!(reviews("2022-06-09"), vec![in_time.id]);
        assert_eq!(reviews("2022-06-30"), vec![late.id, in_time.id]);
        // Due soon is for rectification: a hazard reported done is not.
        let soon = HazardFilter {
            due_from: Some(day("2022-06-05")),
            due_to: Some(day("2022-06-12")),
            today: day("2022-06-05"),
            limit: 50,
            ..Default::default()
        };
        assert_eq!(ids(&soon), vec![open.id]);
        // The review sends it back: no longer waiting, overdue again.
        let back = step(s, &in_time, Status::Rectifying, "2022-06-21");
        assert_eq!(back.reported_on, None);
        assert_eq!(ids(&f(true)), vec![open.id, late.id, in_time.id]);
        // Closed from 待复查, a hazard keeps its report day.
        let closed = step(s, &late, Status::Closed, "2022-06-22");
        assert_eq!(closed.reported_on, Some(day("2022-06-12")));
    });
}

/// "截至期末，仍有逾期未整改隐患N处": every hazard open at the period's end past its
/// deadline, whenever it was found (the old rule counted only those found in the period),
/// without those reported done by their deadline and awaiting review.
#[test]
fn report_2022_jie_zhi_qi_mo_reng_you_yu_qi_counts_every_open_hazard_whenever_found() {
    each(|s| {
        seed_org(s);
        // Found in 2021, still open: overdue at the end of 2022.
        let old = hazard(s, "2021-03-01", "2021-04-01");
        step(s, &old, Status::Ordered, "2021-03-02");
        // Found in 2022, closed in 2023 (after the period): open at its end.
        let later = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &later, Status::Closed, "2023-02-01");
        // Found and closed in 2022: not open at the end.
        let done = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &done, Status::Closed, "2022-07-01");
        // Reported done by its deadline, awaiting review: not overdue.
        let waiting = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &waiting, Status::Reported, "2022-05-30");
        // Reported after its deadline: overdue.
        let late = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &late, Status::Reported, "2022-06-15");
        // Not yet due at the end of the period.
        hazard(s, "2022-12-20", "2023-01-15");
        // Found after the period: not counted.
        hazard(s, "2023-01-05", "2023-01-06");
        assert_eq!(year(s, "hazards.open_overdue"), Some(3));
        // The records behind the figure are those three.
        let cat = catalogue(&[]);
        let m = cat.iter().find(|m| m.id == "hazards.open_overdue").unwrap();
        let rows = s
            .metric_records(
                m,
                &county_scope(),
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
                100,
            )
            .unwrap()
            .unwrap();
        let mut got: Vec<i64> = rows.iter().filter_map(|r| r.entity_id).collect();
        got.sort_unstable();
        assert_eq!(got, vec![old.id, later.id, late.id]);
        // At the end of 2021 only the 2021 hazard was open and overdue.
        assert_eq!(
            val(s, "hazards.open_overdue", "2021-01-01", "2021-12-31"),
            Some(1)
        );
    });
}

/// "全市各行业部门共发现安全隐患N处": hazards found by the regulators (监督检查, 举报, 媒体,
/// 移送, 交办, 报告), not the enterprises' own self-checks, which are a figure of their own.
#[test]
fn report_2022_ge_hang_ye_bu_men_fa_xian_excludes_self_check() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = on(&county, "2022-06-01");
        for (source, level) in [
            (Source::Inspection, Level::General),
            (Source::Inspection, Level::Major),
            (Source::PublicReport, Level::General),
            (Source::SelfCheck, Level::General),
            (Source::SelfCheck, Level::Major),
        ] {
            let mut f = hazard_fields(VILLAGE_A1, None, "fire", "2022-06-01", Some("2022-07-01"));
            f.source = source;
            f.level = level;
            s.create_hazard(&ch, &f, &ev("create")).unwrap();
        }
        assert_eq!(year(s, "hazards.found"), Some(5));
        assert_eq!(year(s, "hazards.found_by_regulators"), Some(3));
        assert_eq!(year(s, "hazards.found_major_by_regulators"), Some(1));
        assert_eq!(year(s, "hazards.found_self_check"), Some(2));
    });
}

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
        registered_on: "2022-06-01".into(),
        notified_on: None,
        legal_review: String::new(),
        legal_reviewed_on: None,
        decided_on: stop.then(|| "2022-06-10".to_string()),
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
        let cat = catalogue(&[]);
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
            issued_on: "2022-07-01".into(),
        };
        s.issue_document(&ch, &doc("责令暂时停产停业，撤出作业人员。", b))
            .unwrap();
        s.issue_document(&ch, &doc("责令立即停止使用二号储罐。", a))
            .unwrap();
        assert_eq!(year(s, "cases.stop_production"), Some(2));
        let cat = catalogue(&[]);
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
                    issued_on: "2022-06-01".into(),
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
                        report_on: "2022-06-01".into(),
                        ..Default::default()
                    },
                )
                .unwrap();
            let mut next = t.clone();
            next.status = anjian_domain::transfer::TransferState::Transferred;
            next.decided_on = Some("2022-06-01".into());
            next.transferred_on = Some("2022-06-02".into());
            s.update_transfer(&ch, &next, "transfer").unwrap();
        }
        let cat = catalogue(&[]);
        let unit = |id: &str| cat.iter().find(|m| m.id == id).map(|m| m.unit.as_str());
        assert_eq!(unit("transfers.cases"), Some("起"));
        assert_eq!(unit("transfers.transferred"), Some("人"));
        assert_eq!(year(s, "transfers.cases"), Some(2));
        assert_eq!(year(s, "transfers.transferred"), Some(2));
    });
}

/// "对全市N家烟花爆竹生产企业、N家零售经营网点": the register as at the period's end
/// (registered by then, not closed before), not as it stands today, and an enterprise that
/// stopped production (停产停业) is still on it.
#[test]
fn report_2022_yan_hua_bao_zhu_sheng_chan_qi_ye_counted_as_at_period_end() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.save_sector(
            &ch,
            &anjian_store::sectors::Sector {
                code: "fireworks".into(),
                name: "烟花爆竹".into(),
                description: String::new(),
                sort_order: 9,
                active: true,
            },
        )
        .unwrap();
        let producer = |n: u32| {
            let mut e = enterprise(n, VILLAGE_A1, "fireworks");
            e.industry_code = Some("C2672".into());
            e
        };
        // Registered in 2021 and operating.
        s.create_enterprise(&on(&county, "2021-03-01"), &producer(1))
            .unwrap();
        // Registered in 2021, stopped in 2022: still on the register.
        let stopped = s
            .create_enterprise(&on(&county, "2021-03-01"), &producer(2))
            .unwrap();
        // Registered in 2021, closed in mid-2022: off the register at the end of 2022.
        let closed = s
            .create_enterprise(&on(&county, "2021-03-01"), &producer(3))
            .unwrap();
        // Registered after the period.
        s.create_enterprise(&on(&county, "2023-01-05"), &producer(4))
            .unwrap();
        for (id, status) in [
            (
                stopped,
                anjian_domain::enterprise::EnterpriseStatus::Suspended,
            ),
            (closed, anjian_domain::enterprise::EnterpriseStatus::Closed),
        ] {
            let mut e = producer(if id == stopped { 2 } else { 3 });
            e.status = status;
            let v = s.get_enterprise(&county, id).unwrap().version;
            s.update_enterprise(&on(&county, "2022-06-01"), id, v, &e)
                .unwrap();
        }
        assert_eq!(year(s, "enterprises.fireworks_producers"), Some(2));
        // At the end of 2021 the closed one was still on the register.
        assert_eq!(
            val(
                s,
                "enterprises.fireworks_producers",
                "2021-01-01",
                "2021-12-31"
            ),
            Some(3)
        );
        // And at the end of 2023 the new one is.
        assert_eq!(
            val(
                s,
                "enterprises.fireworks_producers",
                "2023-01-01",
                "2023-12-31"
            ),
            Some(3)
        );
    });
}
