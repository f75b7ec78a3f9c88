//! The demo county's 2022 assessment (考核): a township rubric and a department rubric,
//! each evaluated for the half-year and the year, hand-scored items scored by the 安委办,
//! the year-end evaluations approved, and a township's objections, one rejected and one
//! waiting. Its own seeded stream, so nothing else of the demo moves.

use super::Rng;
use crate::assessments::{
    AssessmentInput, HandScoreInput, ObjectionAnswer, ObjectionInput, RubricInput, RubricItemInput,
};
use crate::{App, Result};

fn computed(
    title: &str,
    points: f64,
    metric: &str,
    of: &str,
    direction: &str,
    target: f64,
    per: f64,
) -> RubricItemInput {
    RubricItemInput {
        title: title.into(),
        points,
        method: "computed".into(),
        metric: metric.into(),
        of: of.into(),
        direction: direction.into(),
        target: Some(target),
        per: Some(per),
        cap: Some(points),
        standard: String::new(),
    }
}

fn manual(title: &str, points: f64, standard: &str) -> RubricItemInput {
    RubricItemInput {
        title: title.into(),
        points,
        method: "manual".into(),
        standard: standard.into(),
        ..Default::default()
    }
}

/// The township rubric: six items computed from the hazard and inspection records, two
/// scored by hand.
pub fn township_items() -> Vec<RubricItemInput> {
    vec![
        computed(
            "逾期未整改隐患",
            20.0,
            "hazards.open_overdue",
            "",
            "at_most",
            0.0,
            1.0,
        ),
        computed(
            "重大隐患逾期未完成治理",
            10.0,
            "major.overdue",
            "",
            "at_most",
            0.0,
            5.0,
        ),
        computed(
            "隐患整改率",
            10.0,
            "hazards.found_closed",
            "hazards.found",
            "at_least",
            95.0,
            0.5,
        ),
        computed(
            "隐患排查登记",
            10.0,
            "hazards.found",
            "",
            "at_least",
            200.0,
            0.1,
        ),
        computed(
            "督促企业自查自报隐患",
            5.0,
            "hazards.found_self_check",
            "",
            "at_least",
            45.0,
            0.2,
        ),
        computed(
            "安全生产监督检查",
            10.0,
            "inspections.count",
            "",
            "at_least",
            100.0,
            0.1,
        ),
        manual(
            "森林防灭火责任落实",
            20.0,
            "防火责任书签订、火源管控、巡山护林和扑火队伍建设；发生森林火灾或被问责的酌情扣分",
        ),
        manual(
            "应急能力建设与宣传培训",
            15.0,
            "乡村应急能力“六有”创建、应急演练、安全生产月和宣传培训开展情况，查阅资料和现场抽查",
        ),
    ]
}

/// The department rubric: five items computed from the enforcement records, two by hand.
pub fn department_items() -> Vec<RubricItemInput> {
    vec![
        computed(
            "年度执法计划经批准",
            10.0,
            "plans.departments",
            "",
            "at_least",
            1.0,
            10.0,
        ),
        computed(
            "开展执法检查",
            15.0,
            "inspections.enforcement",
            "",
            "at_least",
            60.0,
            0.1,
        ),
        computed(
            "办理行政处罚案件",
            15.0,
            "cases.filed",
            "",
            "at_least",
            50.0,
            0.2,
        ),
        computed(
            "一般程序案件占比",
            10.0,
            "cases.general",
            "cases.filed",
            "at_least",
            40.0,
            0.5,
        ),
        computed(
            "下达行政执法文书",
            10.0,
            "documents.issued",
            "",
            "at_least",
            150.0,
            0.05,
        ),
        manual(
            "行业领域安全监管职责落实",
            20.0,
            "“三管三必须”落实、行业领域专项整治和重大隐患挂牌督办情况",
        ),
        manual(
            "宣传教育培训与应急演练",
            20.0,
            "安全生产宣传、培训和本行业领域应急演练开展情况",
        ),
    ]
}

pub(super) fn generate(app: &App, seed: u64) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0x0A55_E55E_2022);
    let office = app.system_caller("安委办")?;
    let mut evaluated = 0;
    for (kind, title, items) in [
        (
            "township",
            "2022年度乡镇（街道）安全生产工作考核细则",
            township_items(),
        ),
        (
            "department",
            "2022年度市直部门安全生产工作考核细则",
            department_items(),
        ),
    ] {
        let r = app.save_rubric(
            &office,
            None,
            &RubricInput {
                year: 2022,
                unit_kind: kind.into(),
                title: title.into(),
                items,
                version: None,
            },
        )?;
        for round in ["half", "year"] {
            let a = app.create_assessment(
                &office,
                &AssessmentInput {
                    rubric_id: r.rubric.id,
                    round: round.into(),
                },
            )?;
            let v = app.assessment(&office, a.id)?;
            for u in &v.units {
                for (no, it) in v.items.iter().enumerate() {
                    if it.method != anjian_domain::assessment::Method::Manual {
                        continue;
                    }
                    // Mostly a point or two lost, now and then more; in half points.
                    let lost = match rng.below(10) {
                        0..=2 => 0.0,
                        3..=7 => 0.5 * (1 + rng.below(4)) as f64,
                        _ => 0.5 * (4 + rng.below(8)) as f64,
                    };
                    let note = if lost == 0.0 {
                        "资料齐全，工作落实到位".to_string()
                    } else {
                        format!("经查阅资料和现场抽查，部分工作落实不到位，扣{lost}分")
                    };
                    app.score_assessment_item(
                        &office,
                        u.unit_id,
                        no as i64 + 1,
                        &HandScoreInput {
                            score: it.points - lost,
                            note,
                        },
                    )?;
                }
            }
            if round == "year" {
                app.approve_assessment(&office, a.id, a.version)?;
                if kind == "township" {
                    objections(app, a.id)?;
                }
            }
            evaluated += v.units.len();
        }
    }
    Ok(evaluated)
}

/// The demo township's objections to its year-end results: one answered, one waiting.
fn objections(app: &App, assessment_id: i64) -> Result<()> {
    let Some((user, _)) = app.store.user_for_login("xiangzhen")? else {
        return Ok(());
    };
    let town = app.caller_for(user, "demo", "")?;
    let office = app.system_caller("安委办")?;
    let v = app.assessment(&town, assessment_id)?;
    let Some(own) = v.units.first() else {
        return Ok(());
    };
    let first = app.file_objection(
        &town,
        own.unit_id,
        &ObjectionInput {
            item: 1,
            reason: "部分逾期隐患已于12月底完成整改，待复查销号，申请复核".into(),
        },
    )?;
    app.answer_objection(
        &office,
        first.objection.id,
        &ObjectionAnswer {
            action: "reject".into(),
            score: None,
            answer: "经核查，所列隐患截至12月31日均未复查销号，仍属逾期未整改，维持原评分".into(),
            version: first.objection.version,
        },
    )?;
    app.file_objection(
        &town,
        own.unit_id,
        &ObjectionInput {
            item: 7,
            reason: "我镇防火巡查记录已补充上传，申请对森林防灭火项目重新评分".into(),
        },
    )?;
    Ok(())
}
