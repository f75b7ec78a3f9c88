use crate::*;
use anjian_store::audit::AuditFilter;

fn seq_of_first(s: &Store, action: &str) -> i64 {
    s.list_audit(
        &county_scope(),
        &AuditFilter {
            action_prefix: Some(action.into()),
            limit: 1000,
            ..Default::default()
        },
    )
    .unwrap_or_default()
    .last()
    .map(|e| e.seq)
    .unwrap_or(0)
}

#[test]
fn intact_chain_verifies() {
    each(|s| {
        seed_org(s);
        let r = s.verify_audit().unwrap();
        assert!(r.ok(), "{:?}", r.problems);
        assert!(r.checked >= 8);
        assert_eq!(r.checked, r.head_seq);
    });
}

#[test]
fn an_edited_entry_is_named() {
    each(|s| {
        seed_org(s);
        let seq = seq_of_first(s, "department.create");
        assert!(
            s.raw_execute(
                "UPDATE audit_log SET actor = 'mallory' WHERE seq = ?",
                &[seq.into()]
            )
            .is_ok()
        );
        let r = s.verify_audit().unwrap();
        assert!(!r.ok());
        assert_eq!(
            r.problems.iter().map(|p| p.seq).collect::<Vec<_>>(),
            vec![seq]
        );
    });
}

#[test]
fn a_deleted_entry_is_named() {
    each(|s| {
        seed_org(s);
        let seq = seq_of_first(s, "sector.create");
        assert!(
            s.raw_execute("DELETE FROM audit_log WHERE seq = ?", &[seq.into()])
                .is_ok()
        );
        let r = s.verify_audit().unwrap();
        assert!(r.problems.iter().any(|p| p.seq == seq), "{:?}", r.problems);
    });
}

#[test]
fn a_deleted_tail_is_detected() {
    each(|s| {
        seed_org(s);
        let head = s.verify_audit().map(|r| r.head_seq).unwrap_or(0);
        assert!(
            s.raw_execute("DELETE FROM audit_log WHERE seq = ?", &[head.into()])
                .is_ok()
        );
        let r = s.verify_audit().unwrap();
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].seq, head);
    });
}

#[test]
fn entries_are_filtered_by_region_scope() {
    each(|s| {
        seed_org(s);
        let town = Scope::region(&rc(TOWN_A), false);
        let seen = s
            .list_audit(
                &town,
                &AuditFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .unwrap_or_default();
        assert!(!seen.is_empty());
        assert!(
            seen.iter().all(|e| e.region_code.starts_with("360982100")),
            "{seen:?}"
        );
    });
}
