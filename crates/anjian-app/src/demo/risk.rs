//! The demo county's risk points (风险分级管控) in 2022: the first enterprises of the
//! hazardous-chemical, mining, fireworks and construction sectors each identify a handful of
//! points and assess them by LEC (a few by LS) in March; the 应急局 (住建局 for construction)
//! accepts most in April, so the county's points span the four colours; two wait for review,
//! one was returned for its C value. Three townships register a public site each, accepted by
//! the 安委办. Written through the store as the system; its own random stream.

use super::{Rng, Town};
use crate::{App, AppError, Result};
use anjian_domain::Scope;
use anjian_domain::accident_type::AccidentType as T;
use anjian_domain::enterprise::NewEnterprise;
use anjian_domain::risk::{
    AssessmentStatus, ControlLevel, Controls, Cutoffs, Inputs, Method, PointFields, RiskState,
    evaluate,
};
use anjian_store::Change;
use anjian_store::risk::{AssessmentMark, NewAssessment, NewRiskPoint};

/// A point of a sector's template: place, activity, hazard factor, accident types, controls
/// (engineering, management), control level, and the method with L, E/S, C.
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [T],
    (&'static str, &'static str),
    ControlLevel,
    (Method, f64, f64, f64),
);

const HAZCHEM: [Spec; 4] = [
    (
        "液氯储罐区",
        "储存",
        "液氯泄漏",
        &[T::Poisoning, T::VesselExplosion],
        (
            "泄漏检测报警与紧急切断联锁",
            "每班巡检，重大危险源包保责任制",
        ),
        ControlLevel::Company,
        (Method::Lec, 3.0, 10.0, 15.0),
    ),
    (
        "装卸站台",
        "槽车装卸作业",
        "静电积聚引燃可燃蒸气",
        &[T::Fire, T::OtherExplosion],
        ("静电接地报警器", "装卸作业票证管理"),
        ControlLevel::Workshop,
        (Method::Lec, 3.0, 6.0, 15.0),
    ),
    (
        "反应釜区",
        "加热反应",
        "超温超压",
        &[T::VesselExplosion, T::Burn],
        ("温度压力自动控制与安全阀", "工艺操作规程"),
        ControlLevel::Team,
        (Method::Lec, 1.0, 6.0, 15.0),
    ),
    (
        "配电室",
        "设备设施",
        "带电作业触电",
        &[T::ElectricShock],
        ("漏电保护", "停送电工作票"),
        ControlLevel::Post,
        (Method::Ls, 2.0, 3.0, 0.0),
    ),
];

/// A filling station's (the first hazardous-chemical enterprise when it is not a works).
const FILLING: [Spec; 2] = [
    (
        "埋地油罐区",
        "卸油作业",
        "油气泄漏遇明火",
        &[T::Fire, T::OtherExplosion],
        ("油气回收与静电接地", "卸油作业现场监护"),
        ControlLevel::Company,
        (Method::Lec, 1.0, 6.0, 15.0),
    ),
    (
        "加油区",
        "加油作业",
        "车辆撞击加油机",
        &[T::Vehicle, T::Fire],
        ("防撞柱与紧急切断阀", "进站车辆引导"),
        ControlLevel::Post,
        (Method::Ls, 2.0, 3.0, 0.0),
    ),
];

const MINES: [Spec; 4] = [
    (
        "采场边坡",
        "台阶爆破开采",
        "边坡失稳滑坡",
        &[T::Collapse, T::StruckByObject],
        ("边坡在线监测", "每日边坡巡查"),
        ControlLevel::Company,
        (Method::Lec, 3.0, 6.0, 40.0),
    ),
    (
        "爆破作业点",
        "爆破作业",
        "早爆、拒爆",
        &[T::Blasting],
        ("爆破警戒与信号", "爆破作业设计与审批"),
        ControlLevel::Workshop,
        (Method::Lec, 1.0, 3.0, 40.0),
    ),
    (
        "破碎车间",
        "破碎机运行",
        "转动部件卷入",
        &[T::Machinery],
        ("防护罩与急停装置", "设备检修挂牌上锁"),
        ControlLevel::Team,
        (Method::Lec, 3.0, 6.0, 7.0),
    ),
    (
        "运输道路",
        "矿用自卸车运输",
        "车辆伤害",
        &[T::Vehicle],
        ("道路挡车墙", "限速与会车规定"),
        ControlLevel::Post,
        (Method::Ls, 2.0, 4.0, 0.0),
    ),
];

const FIREWORKS: [Spec; 4] = [
    (
        "药物总库",
        "储存",
        "成品烟花爆竹燃爆",
        &[T::ExplosiveBlast, T::Fire],
        ("防雷与视频监控", "限量储存与出入库登记"),
        ControlLevel::Company,
        (Method::Lec, 1.0, 10.0, 40.0),
    ),
    (
        "装药工房",
        "手工装药",
        "摩擦撞击引燃药物",
        &[T::ExplosiveBlast],
        ("防静电地面与定员定量", "工房定员定量管理"),
        ControlLevel::Workshop,
        (Method::Lec, 3.0, 6.0, 15.0),
    ),
    (
        "晾晒场",
        "半成品晾晒",
        "高温暴晒自燃",
        &[T::Fire],
        ("遮阳与消防水池", "晾晒时间管理"),
        ControlLevel::Team,
        (Method::Lec, 1.0, 6.0, 15.0),
    ),
    (
        "成品包装间",
        "包装作业",
        "搬运砸伤",
        &[T::StruckByObject],
        ("搬运工具", "劳动防护用品配备"),
        ControlLevel::Post,
        (Method::Lec, 1.0, 6.0, 3.0),
    ),
];

const CONSTRUCTION: [Spec; 4] = [
    (
        "塔式起重机",
        "吊装作业",
        "起重机倾覆、吊物坠落",
        &[T::Lifting, T::StruckByObject],
        ("力矩限制器与监控系统", "吊装作业专项方案"),
        ControlLevel::Company,
        (Method::Lec, 3.0, 6.0, 40.0),
    ),
    (
        "深基坑",
        "土方开挖",
        "基坑坍塌",
        &[T::Collapse],
        ("支护与位移监测", "危大工程专项方案论证"),
        ControlLevel::Workshop,
        (Method::Lec, 1.0, 6.0, 40.0),
    ),
    (
        "外脚手架",
        "高处作业",
        "高处坠落",
        &[T::FallFromHeight],
        ("安全网与防护栏杆", "架体验收"),
        ControlLevel::Team,
        (Method::Lec, 3.0, 6.0, 7.0),
    ),
    (
        "临时用电",
        "设备设施",
        "漏电触电",
        &[T::ElectricShock],
        ("三级配电两级保护", "电工持证上岗"),
        ControlLevel::Post,
        (Method::Ls, 2.0, 3.0, 0.0),
    ),
];

/// Public sites: place, hazard, accident types, and LS L and S.
const SITES: [(&str, &str, &[T], f64, f64); 3] = [
    (
        "农贸市场",
        "人员密集、电气线路老化引发火灾",
        &[T::Fire],
        4.0,
        4.0,
    ),
    ("沿河亲水平台", "游客溺水", &[T::Drowning], 3.0, 5.0),
    (
        "老旧自建房片区",
        "房屋结构老化倒塌",
        &[T::Collapse],
        2.0,
        4.0,
    ),
];

const PEOPLE: [&str; 8] = [
    "王强", "李红", "张伟", "刘洋", "陈静", "杨军", "赵敏", "周涛",
];

fn at(m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2022, m, d, 2, 0, 0)
        .single()
        .unwrap_or_default()
}

fn assessment(method: Method, l: f64, x: f64, c: f64, by: &str) -> Result<NewAssessment> {
    let i = match method {
        Method::Lec => Inputs {
            l: Some(l),
            e: Some(x),
            c: Some(c),
            s: None,
        },
        Method::Ls => Inputs {
            l: Some(l),
            s: Some(x),
            ..Inputs::default()
        },
    };
    let cutoffs = Cutoffs::default();
    let evaluation = evaluate(method, i, &cutoffs)
        .map_err(|e| AppError::Internal(format!("demo risk assessment: {e}")))?;
    Ok(NewAssessment {
        evaluation,
        cutoffs: cutoffs.text(method),
        reason: String::new(),
        assessed_by: by.to_string(),
    })
}

/// What happens after the first assessment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Accepted,
    Submitted,
    Returned,
}

/// Registers, assesses, and takes the point along to its fate.
#[allow(clippy::too_many_arguments)]
fn point(
    app: &App,
    scope: &Scope,
    p: NewRiskPoint,
    a: NewAssessment,
    fate: Fate,
    day: u32,
    reviewer: &str,
) -> Result<()> {
    let store = &app.store;
    let ch = |m: u32, d: u32| Change {
        at: at(m, d),
        ..app.system_change(scope, "demo")
    };
    let (saved, first) = store.create_risk_point(&ch(3, day), &p, Some(&a))?;
    let first = first.ok_or_else(|| AppError::Internal("demo risk: no assessment".into()))?;
    let mut next = saved.clone();
    next.state = RiskState::Submitted;
    let mark = |status, by: Option<&str>, note: &str| AssessmentMark {
        id: first.id,
        status,
        reviewed_by: by.map(str::to_string),
        note: note.to_string(),
    };
    let submitted = store.update_risk_point(
        &ch(3, day + 1),
        &next,
        "submit",
        Some(&mark(AssessmentStatus::Submitted, None, "")),
    )?;
    let mut next = submitted.clone();
    match fate {
        Fate::Submitted => return Ok(()),
        Fate::Returned => {
            let reason = "事故后果取值偏低，储存量已超过临界量，请重新评价";
            next.state = RiskState::Returned;
            next.return_reason = reason.into();
            store.update_risk_point(
                &ch(4, day),
                &next,
                "return",
                Some(&mark(AssessmentStatus::Returned, Some(reviewer), reason)),
            )?;
        }
        Fate::Accepted => {
            next.state = RiskState::Accepted;
            next.grade = Some(first.grade);
            next.accepted_assessment_id = Some(first.id);
            next.pending_assessment_id = None;
            store.update_risk_point(
                &ch(4, day),
                &next,
                "accept",
                Some(&mark(AssessmentStatus::Accepted, Some(reviewer), "同意")),
            )?;
        }
    }
    Ok(())
}

pub(super) fn generate(
    app: &App,
    seed: u64,
    list: &[NewEnterprise],
    ids: &[i64],
    towns: &[Town],
) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0x215C_0001);
    let scope = Scope::system();
    let mut count = 0;
    let sectors: [(&str, &[Spec; 4], &str); 4] = [
        ("hazchem", &HAZCHEM, "应急局 刘芳"),
        ("mines", &MINES, "应急局 刘芳"),
        ("fireworks", &FIREWORKS, "应急局 刘芳"),
        ("construction", &CONSTRUCTION, "住建局 胡强"),
    ];
    for (s, (sector, specs, reviewer)) in sectors.iter().enumerate() {
        // Producers, not shops: of the hazardous-chemical enterprises the chemical works
        // (not the filling stations).
        let works = |e: &NewEnterprise| *sector != "hazchem" || e.name.contains('化');
        let firms: Vec<i64> = list
            .iter()
            .zip(ids)
            .filter(|(e, _)| e.sectors.first().map(String::as_str) == Some(*sector) && works(e))
            .map(|(_, id)| *id)
            .take(3)
            .collect();
        for (f, id) in firms.iter().enumerate() {
            for (k, spec) in specs.iter().enumerate() {
                // The third firm of each sector has its lowest point only.
                if f == 2 && k < 3 {
                    continue;
                }
                let (place, activity, hazard, types, (eng, mgmt), level, (method, l, x, c)) = *spec;
                let person = rng.pick(&PEOPLE).copied().unwrap_or("王强");
                let phone = format!("139{:08}", 7_970_000 + rng.below(9_999) as u64);
                let fields = PointFields {
                    place: place.into(),
                    activity: activity.into(),
                    hazard_factor: hazard.into(),
                    accident_types: types.to_vec(),
                    control_level: level,
                    responsible_name: person.into(),
                    responsible_phone: phone,
                    controls: Controls {
                        engineering: eng.into(),
                        management: mgmt.into(),
                        training: "岗前安全培训与考核".into(),
                        ppe: "按岗位配备劳动防护用品".into(),
                        emergency: "现场处置方案，每半年演练一次".into(),
                    },
                };
                // The first firm's second point of the hazardous-chemical and construction
                // sectors waits for review; the hazardous-chemical second firm's first point
                // was returned.
                let fate = match (s, f, k) {
                    (0 | 3, 0, 1) => Fate::Submitted,
                    (0, 1, 0) => Fate::Returned,
                    _ => Fate::Accepted,
                };
                let a = assessment(method, l, x, c, &format!("{person}（企业安全管理员）"))?;
                let p = NewRiskPoint {
                    enterprise_id: Some(*id),
                    region_code: String::new(),
                    fields,
                };
                point(
                    app,
                    &scope,
                    p,
                    a,
                    fate,
                    1 + (s * 6 + f * 2) as u32,
                    reviewer,
                )?;
                count += 1;
            }
        }
    }
    // The first hazardous-chemical enterprise (the demo's enterprise account) when it is a
    // filling station.
    if let Some((_, id)) = list.iter().zip(ids).find(|(e, _)| {
        e.sectors.first().map(String::as_str) == Some("hazchem") && !e.name.contains('化')
    }) {
        for (k, spec) in FILLING.iter().enumerate() {
            let (place, activity, hazard, types, (eng, mgmt), level, (method, l, x, c)) = *spec;
            let fields = PointFields {
                place: place.into(),
                activity: activity.into(),
                hazard_factor: hazard.into(),
                accident_types: types.to_vec(),
                control_level: level,
                responsible_name: PEOPLE[k].into(),
                responsible_phone: format!("1390797{:04}", 8100 + k),
                controls: Controls {
                    engineering: eng.into(),
                    management: mgmt.into(),
                    ..Controls::default()
                },
            };
            let a = assessment(method, l, x, c, "企业安全管理员 邹磊")?;
            let p = NewRiskPoint {
                enterprise_id: Some(*id),
                region_code: String::new(),
                fields,
            };
            point(
                app,
                &scope,
                p,
                a,
                Fate::Accepted,
                26 + k as u32,
                "应急局 刘芳",
            )?;
            count += 1;
        }
    }
    for (n, (place, hazard, types, l, sv)) in SITES.iter().enumerate() {
        let Some((code, _, _)) = towns.get(n * 3) else {
            continue;
        };
        let fields = PointFields {
            place: (*place).into(),
            activity: String::new(),
            hazard_factor: (*hazard).into(),
            accident_types: types.to_vec(),
            control_level: ControlLevel::Company,
            responsible_name: PEOPLE[n + 3].into(),
            responsible_phone: format!("0795-71{:05}", 20_000 + n * 11),
            controls: Controls {
                management: "网格员每日巡查".into(),
                emergency: "乡镇应急队伍值守".into(),
                ..Controls::default()
            },
        };
        let a = assessment(Method::Ls, *l, *sv, 0.0, "乡镇安监站")?;
        let p = NewRiskPoint {
            enterprise_id: None,
            region_code: code.clone(),
            fields,
        };
        point(
            app,
            &scope,
            p,
            a,
            Fate::Accepted,
            20 + n as u32,
            "安委办 王建国",
        )?;
        count += 1;
    }
    // The regulator's override: the first fireworks enterprise is held at 重大 while it stores
    // more than its licence allows (an override with its history entry to show).
    if let Some((_, id)) = list
        .iter()
        .zip(ids)
        .find(|(e, _)| e.sectors.first().map(String::as_str) == Some("fireworks"))
    {
        let admin = app.system_caller("应急局 刘芳")?;
        app.enterprise_risk_grade_override(
            &admin,
            *id,
            &crate::risk_steering::EnterpriseRiskGradeOverrideInput {
                grade: Some("major".into()),
                reason: "仓储场所超许可量储存烟花爆竹，整改完成前按重大风险管控".into(),
                version: None,
            },
        )?;
    }
    Ok(count)
}
