use super::*;
use crate::scope::Role;
use crate::workflow::{Actor, TransitionError, offered, transition};

fn formula(of: Option<&str>, direction: Direction, target: f64, per: f64, cap: f64) -> Formula {
    Formula {
        metric: "m".into(),
        of: of.map(str::to_string),
        direction,
        target,
        per,
        cap,
    }
}

/// 逾期未整改隐患：每处扣 1 分，扣完 20 分为止.
#[test]
fn overdue_hazards_lose_a_point_each_up_to_the_cap() {
    let f = formula(None, Direction::AtMost, 0.0, 1.0, 20.0);
    let o = f.outcome(20.0, Round::Year, Measured::Count(1300));
    assert_eq!((o.shortfall, o.deduction, o.score), (1300, 1300, 700));
    let o = f.outcome(20.0, Round::Year, Measured::Count(2500));
    assert_eq!((o.deduction, o.score), (2000, 0));
    let o = f.outcome(20.0, Round::Year, Measured::Count(0));
    assert_eq!((o.deduction, o.score), (0, 2000));
}

/// 执法计划完成率 ≥ 95%：每低 1 个百分点扣 0.5 分.
#[test]
fn a_rate_loses_per_percentage_point_and_is_not_halved() {
    let f = formula(Some("d"), Direction::AtLeast, 95.0, 0.5, 10.0);
    // 185 of 211 = 87.677…% → 87.68; 7.32 points short → 3.66.
    let o = f.outcome(
        10.0,
        Round::Year,
        Measured::Rate {
            part: 185,
            whole: 211,
        },
    );
    assert_eq!(
        (o.value, o.shortfall, o.deduction, o.score),
        (Some(8768), 732, 366, 634)
    );
    let h = f.outcome(
        10.0,
        Round::Half,
        Measured::Rate {
            part: 185,
            whole: 211,
        },
    );
    assert_eq!(h.target, 9500);
    // Nothing to measure, nothing deducted.
    let o = f.outcome(10.0, Round::Year, Measured::Rate { part: 0, whole: 0 });
    assert_eq!((o.value, o.deduction, o.score), (None, 0, 1000));
    let o = f.outcome(10.0, Round::Year, Measured::NotApplicable);
    assert_eq!((o.value, o.deduction), (None, 0));
}

#[test]
fn a_count_target_is_halved_for_the_half_year() {
    let f = formula(None, Direction::AtLeast, 45.0, 0.2, 10.0);
    assert_eq!(f.target_for(Round::Year), 4500);
    assert_eq!(f.target_for(Round::Half), 2250);
    let o = f.outcome(10.0, Round::Half, Measured::Count(2000));
    assert_eq!((o.shortfall, o.deduction), (250, 50));
    let odd = formula(None, Direction::AtLeast, 0.05, 1.0, 1.0);
    assert_eq!(
        odd.target_for(Round::Half),
        3,
        "2.5 hundredths round half up"
    );
    assert_eq!(f.words("处"), "不低于45处，每差1处扣0.2分，最多扣10分");
}

#[test]
fn rubric_items_are_checked_row_by_row() {
    let good = RubricItem {
        title: "逾期未整改隐患".into(),
        points: 20.0,
        method: Method::Computed,
        formula: Some(formula(None, Direction::AtMost, 0.0, 1.0, 20.0)),
        standard: String::new(),
    };
    assert!(validate_items(std::slice::from_ref(&good)).is_empty());
    let manual = RubricItem {
        title: "森林防灭火".into(),
        points: 15.0,
        method: Method::Manual,
        formula: None,
        standard: "查阅资料".into(),
    };
    assert!(validate_items(&[good.clone(), manual.clone()]).is_empty());
    let mut bad = good.clone();
    bad.title = " ".into();
    bad.points = 10.005;
    bad.formula = Some(formula(Some("m"), Direction::AtLeast, 120.0, 0.0, 30.0));
    let e = validate_items(&[good, bad]);
    for f in [
        "items[1].title",
        "items[1].points",
        "items[1].of",
        "items[1].target",
        "items[1].per",
    ] {
        assert!(e.fields.contains_key(f), "{f}: {e:?}");
    }
    assert!(!e.fields.keys().any(|k| k.starts_with("items[0]")), "{e:?}");
    let mut over = manual.clone();
    over.method = Method::Computed;
    over.formula = Some(formula(None, Direction::AtMost, 0.0, 1.0, 16.0));
    let e = validate_items(&[over]);
    assert_eq!(
        e.fields.get("items[0].cap").map(|m| m[0].as_str()),
        Some("第1项：最多扣分不能超过本项分值15分")
    );
    assert!(validate_items(&[]).fields.contains_key("items"));
    assert_eq!(centi_text(1250), "12.5");
    assert_eq!(centi_text(25), "0.25");
    assert_eq!(centi_text(-300), "-3");
}

fn actor(role: Role) -> Actor {
    Actor::new(role, true, None, None)
}

#[test]
fn the_office_approves_once_every_hand_score_is_in() {
    let draft = EvaluationFacts {
        state: EvaluationState::Draft,
        unscored: vec![],
    };
    assert_eq!(
        transition::<EvaluationFlow>(&draft, EvaluationAction::Approve, &actor(Role::Admin)),
        Ok(EvaluationState::Approved)
    );
    for role in [Role::Leader, Role::Township, Role::Department] {
        assert_eq!(
            transition::<EvaluationFlow>(&draft, EvaluationAction::Approve, &actor(role)),
            Err(TransitionError::NotYourAction("审定考核结果")),
            "{role:?}"
        );
    }
    let missing = EvaluationFacts {
        state: EvaluationState::Draft,
        unscored: vec!["临江镇：森林防灭火".into()],
    };
    assert!(matches!(
        transition::<EvaluationFlow>(&missing, EvaluationAction::Approve, &actor(Role::Admin)),
        Err(TransitionError::Unmet(e)) if e.fields.contains_key("scores")
    ));
    let approved = EvaluationFacts {
        state: EvaluationState::Approved,
        unscored: vec![],
    };
    assert!(offered::<EvaluationFlow>(&approved, &actor(Role::Admin)).is_empty());
    for s in EVALUATION_STATES {
        assert_eq!(EvaluationState::parse(s.as_str()), Some(s));
    }
}

#[test]
fn the_office_answers_an_objection_with_a_score_or_a_reason() {
    use ObjectionAction as A;
    use ObjectionState as S;
    let filed = ObjectionFacts::offered(S::Filed);
    assert_eq!(
        offered::<ObjectionFlow>(&filed, &actor(Role::Admin)),
        vec![A::Accept, A::Reject]
    );
    assert!(offered::<ObjectionFlow>(&filed, &actor(Role::Township)).is_empty());
    assert!(
        offered::<ObjectionFlow>(&ObjectionFacts::offered(S::Rejected), &actor(Role::Admin))
            .is_empty()
    );
    let bare = ObjectionFacts {
        state: S::Filed,
        answered: false,
        rescored: false,
    };
    assert!(matches!(
        transition::<ObjectionFlow>(&bare, A::Accept, &actor(Role::Admin)),
        Err(TransitionError::Unmet(e)) if e.fields.contains_key("score")
    ));
    assert!(matches!(
        transition::<ObjectionFlow>(&bare, A::Reject, &actor(Role::Admin)),
        Err(TransitionError::Unmet(e)) if e.fields.contains_key("answer")
    ));
    for s in OBJECTION_STATES {
        assert_eq!(ObjectionState::parse(s.as_str()), Some(s));
    }
    for k in UNIT_KINDS {
        assert_eq!(UnitKind::parse(k.as_str()), Some(k));
    }
    for r in ROUNDS {
        assert_eq!(Round::parse(r.as_str()), Some(r));
    }
    assert_eq!(
        Round::Half.period(2022).map(|p| p.code),
        Some("2022-H1".into())
    );
}
