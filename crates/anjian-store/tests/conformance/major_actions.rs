use crate::major::major;
use crate::*;
use anjian_store::StoreError;
use anjian_store::audit::AuditFilter;
use anjian_store::major::{CaseChange, Extension, MajorCase};

#[test]
fn case_actions_write_case_hazard_ledger_and_extensions_together() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let town_b = Scope::region(&rc(TOWN_B), true);
        let m1 = major(
            s,
            &ch,
            VILLAGE_A1,
            None,
            "hazchem",
            "2022-06-01",
            "2022-06-10",
        );
        let m2 = major(s, &ch, VILLAGE_B1, None, "fire", "2022-06-01", "2022-06-20");
        let general = s
            .create_hazard(
                &ch,
                &hazard_fields(VILLAGE_A1, None, "hazchem", "2022-06-01", None),
                &event("create"),
            )
            .unwrap();
        let case = |id: i64| s.get_major_case(&county, id).map(|(c, _)| c);
        let c1 = case(m1.id).unwrap();

        // An action writes the case as given and bumps its version.
        let nothing = CaseChange::default();
        let to_list = MajorCase {
            state: anjian_domain::major::CaseState::parse("listed").unwrap(),
            basis_standard: "GB 18218-2018".into(),
            basis_clause: "4.1".into(),
            determined_by: "专家组".into(),
            determined_on: Some(day("2022-06-01")),
            ..c1
        };
        let act = |ch: &Change<'_>, id: i64, v: i64| {
            s.major_case_action(ch, id, v, &to_list, &nothing, &event("major_list"))
        };
        let after = act(&ch, m1.id, 1).unwrap();
        assert_eq!(
            after,
            MajorCase {
                version: 2,
                ..to_list.clone()
            }
        );
        assert_eq!(case(m1.id).ok(), Some(after.clone()));
        // A stale version conflicts; another township's case is missing; read-only writes not.
        assert!(matches!(act(&ch, m1.id, 1), Err(StoreError::Conflict(_))));
        assert_eq!(
            act(&sys(&town_b), m1.id, 2).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(act(&ch, 999_999, 1).err(), Some(StoreError::NotFound));
        assert_eq!(act(&ch, general.id, 1).err(), Some(StoreError::NotFound));
        let reader = county.clone().read_only();
        assert_eq!(
            act(&sys(&reader), m1.id, 2).err(),
            Some(StoreError::Forbidden)
        );
        assert_eq!(case(m1.id).map(|c| c.version).ok(), Some(2));

        // Assign and start: the hazard's fields and a ledger entry go with the case.
        let mut hf = m1.fields();
        hf.status = anjian_domain::hazard::Status::parse("rectifying").unwrap();
        hf.responsible_unit = "测试企业1有限公司".into();
        hf.responsible_person = "张三".into();
        hf.measures = "更换防爆电气".into();
        hf.funds_planned = Some(50_000);
        let started = MajorCase {
            state: anjian_domain::major::CaseState::parse("in_remediation").unwrap(),
            assignment_no: "樟安办督〔2022〕1号".into(),
            assigning_unit: "安委办".into(),
            coordinating_supervisor: "李四".into(),
            assigned_on: Some(day("2022-06-01")),
            ..after
        };
        let what = CaseChange {
            hazard: Some(hf.clone()),
            ledger: Some((day("2022-06-01"), 10, "已制定方案".into())),
            ..Default::default()
        };
        let after = s
            .major_case_action(&ch, m1.id, 2, &started, &what, &event("major_start"))
            .unwrap();
        assert_eq!(
            after,
            MajorCase {
                version: 3,
                ..started
            }
        );
        let h = s.get_hazard(&county, m1.id).unwrap();
        assert_eq!((h.fields(), h.version), (hf.clone(), m1.version + 1));
        let timeline = |id: i64| {
            s.hazard_events(&county, id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.action, e.from_status, e.to_status))
                .collect::<Vec<_>>()
        };
        let step = |a: &str, from: Option<&str>, to: &str| {
            (a.to_string(), from.map(str::to_string), to.to_string())
        };
        assert_eq!(
            timeline(m1.id),
            vec![
                step("create", None, "registered"),
                step("major_list", Some("registered"), "registered"),
                step("major_start", Some("registered"), "rectifying"),
            ]
        );

        // The ledger: oldest first, reported by the actor, read in scope only.
        let ledger_only = CaseChange {
            ledger: Some((day("2022-06-05"), 60, "主体完工".into())),
            ..Default::default()
        };
        let after = s
            .major_case_action(&ch, m1.id, 3, &after, &ledger_only, &event("major_ledger"))
            .unwrap();
        let ledger = s.major_ledger(&county, m1.id).unwrap();
        let rows: Vec<_> = ledger
            .iter()
            .map(|l| {
                (
                    l.entry_date,
                    l.progress,
                    l.narrative.as_str(),
                    l.reporter.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (day("2022-06-01"), 10, "已制定方案", "test"),
                (day("2022-06-05"), 60, "主体完工", "test")
            ]
        );
        assert!(ledger[0].id < ledger[1].id);
        assert_eq!(s.major_ledger(&county, m2.id).ok(), Some(vec![]));
        assert_eq!(
            s.major_ledger(&town_b, m1.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.major_ledger(&county, general.id).err(),
            Some(StoreError::NotFound)
        );

        // An extension: requested (dated by the change's day in China), then approved.
        let request = CaseChange {
            extension_request: Some((day("2022-06-30"), "设备到货延迟".into())),
            ..Default::default()
        };
        let requested = MajorCase {
            state: anjian_domain::major::CaseState::parse("extension_requested").unwrap(),
            ..after
        };
        let after = s
            .major_case_action(
                &ch,
                m1.id,
                4,
                &requested,
                &request,
                &event("major_request_extension"),
            )
            .unwrap();
        let ext = s.major_extensions(&county, m1.id).unwrap();
        let pending = Extension {
            id: ext.first().map(|x| x.id).unwrap_or_default(),
            requested_on: day("2022-06-01"),
            requested_deadline: day("2022-06-30"),
            reason: "设备到货延迟".into(),
            status: "pending".into(),
            decided_on: None,
            decision_note: String::new(),
        };
        assert_eq!(ext, vec![pending.clone()]);
        assert_eq!(
            s.major_extensions(&town_b, m1.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.major_extensions(&county, general.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(s.major_extensions(&county, m2.id).ok(), Some(vec![]));
        let mut extended = hf.clone();
        extended.deadline = Some(day("2022-06-30"));
        let approve = CaseChange {
            hazard: Some(extended),
            extension_decision: Some((true, "同意".into())),
            ..Default::default()
        };
        let resumed = MajorCase {
            state: anjian_domain::major::CaseState::parse("in_remediation").unwrap(),
            ..after
        };
        let after = s
            .major_case_action(
                &ch,
                m1.id,
                5,
                &resumed,
                &approve,
                &event("major_approve_extension"),
            )
            .unwrap();
        assert_eq!(after.version, 6);
        let decided = Extension {
            status: "approved".into(),
            decided_on: Some(day("2022-06-01")),
            decision_note: "同意".into(),
            ..pending
        };
        assert_eq!(s.major_extensions(&county, m1.id).ok(), Some(vec![decided]));
        assert_eq!(
            s.get_hazard(&county, m1.id).ok().and_then(|h| h.deadline),
            Some(day("2022-06-30"))
        );

        // No pending extension left: the whole action fails, its ledger entry included.
        let h_before = s.get_hazard(&county, m1.id).unwrap();
        let deny = CaseChange {
            ledger: Some((day("2022-06-06"), 70, "x".into())),
            extension_decision: Some((false, "不同意".into())),
            ..Default::default()
        };
        assert!(matches!(
            s.major_case_action(&ch, m1.id, 6, &after, &deny, &event("major_deny_extension")),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(case(m1.id).ok(), Some(after));
        assert_eq!(
            s.major_ledger(&county, m1.id).map(|l| l.len()).ok(),
            Some(2)
        );
        assert_eq!(s.get_hazard(&county, m1.id).ok(), Some(h_before));
        assert_eq!(timeline(m1.id).len(), 6);

        // One audit entry per action that went through.
        let f = AuditFilter {
            action_prefix: Some("major.".into()),
            limit: 100,
            ..Default::default()
        };
        assert_eq!(s.list_audit(&county, &f).map(|v| v.len()).ok(), Some(5));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
