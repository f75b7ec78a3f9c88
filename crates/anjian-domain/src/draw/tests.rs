use super::*;
use proptest::prelude::*;

fn inputs() -> DrawInputs {
    DrawInputs {
        strata: vec![
            Stratum {
                name: "重点".into(),
                pool: (1..=20).collect(),
                quota: 5,
            },
            Stratum {
                name: "一般".into(),
                pool: (21..=100).collect(),
                quota: 8,
            },
        ],
        inspectors: (1001..=1006).collect(),
        conflicts: vec![(1001, 3), (1002, 3), (1003, 3), (1004, 50)],
        team_size: 2,
    }
    .canonical()
}

#[test]
fn deterministic_and_sensitive_to_every_input() {
    let i = inputs();
    let s = seed("秘密", "2022-06-01 福彩3D 123");
    let a = run(&i, s).unwrap_or_default();
    assert_eq!(a, run(&i, s).unwrap_or_default());
    assert_eq!(a.len(), 13);
    assert!(
        a[..5]
            .iter()
            .all(|t| t.enterprise_id <= 20 && t.stratum == "重点")
    );
    assert_ne!(
        a,
        run(&i, seed("秘密", "2022-06-01 福彩3D 124")).unwrap_or_default()
    );
    assert_ne!(
        a,
        run(&i, seed("秘密2", "2022-06-01 福彩3D 123")).unwrap_or_default()
    );
    let mut j = i.clone();
    j.strata[1].pool.pop();
    assert_ne!(a, run(&j, s).unwrap_or_default());
    // Known-answer: the algorithm is frozen; changing it breaks every published draw.
    let first: Vec<i64> = a.iter().map(|t| t.enterprise_id).collect();
    assert_eq!(first, KNOWN, "algorithm changed");
}

const KNOWN: [i64; 13] = [20, 14, 8, 7, 4, 44, 66, 38, 75, 88, 84, 99, 78];

#[test]
fn infeasible_inputs_are_refused() {
    let mut i = inputs();
    i.team_size = 1;
    assert_eq!(run(&i, [0; 32]), Err(DrawError::TeamTooSmall));
    let mut i = inputs();
    i.strata[0].quota = 21;
    assert!(matches!(
        run(&i, [0; 32]),
        Err(DrawError::QuotaTooLarge(_, 20))
    ));
    let mut i = inputs();
    i.strata[1].pool.push(1);
    assert_eq!(run(&i.canonical(), [0; 32]), Err(DrawError::Overlap(1)));
    let mut i = inputs();
    i.strata = vec![Stratum {
        name: "x".into(),
        pool: vec![3],
        quota: 1,
    }];
    i.inspectors = vec![1001, 1002, 1003, 1004];
    assert_eq!(run(&i, [0; 32]), Err(DrawError::NotEnoughInspectors(3, 2)));
}

#[test]
fn commitment_is_sha256_hex() {
    assert_eq!(
        commitment("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    /// Across 1,000 seeded draws on random rosters and conflict lists, a recused pair
    /// never appears, every team has distinct inspectors of the required size, and no
    /// object is drawn twice.
    #[test]
    fn recused_pairs_never_drawn(
        secret in "[a-z0-9]{8,16}",
        pool in 5usize..60,
        quota_frac in 1usize..=100,
        roster in 3usize..12,
        team in 2usize..4,
        conflict_bits in proptest::collection::vec((0usize..12, 0usize..60), 0..80),
    ) {
        let quota = (pool * quota_frac / 100).max(1);
        let inspectors: Vec<i64> = (0..roster as i64).map(|i| 1000 + i).collect();
        let conflicts: Vec<(i64, i64)> = conflict_bits
            .iter()
            .filter(|(i, _)| *i < roster)
            .map(|(i, e)| (1000 + *i as i64, *e as i64))
            .collect();
        let inputs = DrawInputs {
            strata: vec![Stratum { name: "s".into(), pool: (0..pool as i64).collect(), quota }],
            inspectors,
            conflicts: conflicts.clone(),
            team_size: team.min(roster),
        }
        .canonical();
        match run(&inputs, seed(&secret, "")) {
            Ok(tasks) => {
                prop_assert_eq!(tasks.len(), quota);
                let objs: BTreeSet<i64> = tasks.iter().map(|t| t.enterprise_id).collect();
                prop_assert_eq!(objs.len(), quota);
                for t in &tasks {
                    let team: BTreeSet<i64> = t.inspectors.iter().copied().collect();
                    prop_assert_eq!(team.len(), inputs.team_size);
                    for i in &t.inspectors {
                        prop_assert!(!conflicts.contains(&(*i, t.enterprise_id)), "recused pair {} {}", i, t.enterprise_id);
                    }
                }
            }
            Err(DrawError::NotEnoughInspectors(e, _)) => {
                let free = inputs.inspectors.iter().filter(|i| !conflicts.contains(&(**i, e))).count();
                prop_assert!(free < inputs.team_size);
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
    }
}
