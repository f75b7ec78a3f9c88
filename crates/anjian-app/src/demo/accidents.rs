//! The demo county's 2022 accident register: four production accidents (all 一般, one or two
//! deaths each, one reported ten minutes late, a road accident's death added by a 补报 inside
//! its seven days), two fires without deaths and one 一般 forest fire (the "9·14" fire the
//! accountability records refer to). So the report's opening reads "未发生较大及以上生产安全
//! 事故，未发生亡人火灾事故，未发生较大以上森林火灾", as the source report does; and the year's
//! control targets (控制指标), all met. Fixed records, written through the use cases; no draw
//! from the demo's random streams.

use super::Town;
use crate::accidents::{AccidentDraft, CloseDraft, UpdateDraft};
use crate::{App, Result};
use anjian_domain::accident::Party;

/// (category, township index, sector, type, occurred, unit report, county report, deaths,
/// serious, minor, loss in 元, burned forest in 公顷, place, account, closed on and findings).
type Spec = (
    &'static str,
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str, &'static str)>,
);

const ACCIDENTS: [Spec; 7] = [
    (
        "production",
        3,
        "construction",
        "高处坠落",
        "2022-03-18 10:20",
        "2022-03-18 10:55",
        "2022-03-18 12:30",
        1,
        0,
        0,
        "1200000",
        "",
        "安置小区三期8号楼施工现场",
        "一名架子工在拆除外脚手架时未系挂安全带，从12层坠落，经抢救无效死亡。",
        Some((
            "2022-05-10",
            "施工单位安全管理缺失，作业人员违规高处作业未系挂安全带",
            "项目经理王某：吊销安全生产考核合格证书；施工单位（单位）：罚款50万元",
        )),
    ),
    (
        "production",
        7,
        "industry_trade",
        "机械伤害",
        "2022-06-09 15:40",
        "2022-06-09 16:50",
        "2022-06-09 18:20",
        1,
        0,
        1,
        "850000",
        "",
        "工业园区一家木制品厂车间",
        "操作工在未停机的情况下清理刨床卡料，被卷入设备致死，另一人轻伤。",
        Some((
            "2022-08-02",
            "企业未落实设备检修停机挂牌制度，安全培训不到位；事故单位迟报10分钟",
            "企业主要负责人李某：罚款；企业（单位）：罚款35万元",
        )),
    ),
    (
        "production",
        11,
        "road",
        "车辆伤害",
        "2022-08-23 07:10",
        "2022-08-23 07:45",
        "2022-08-23 09:20",
        1,
        2,
        0,
        "360000",
        "",
        "县道X021线12公里处",
        "一辆货车在弯道处越线与对向面包车相撞，面包车驾驶人当场死亡，两人重伤。",
        None,
    ),
    (
        "production",
        17,
        "mines",
        "物体打击",
        "2022-11-02 09:00",
        "2022-11-02 09:40",
        "2022-11-02 11:10",
        0,
        1,
        0,
        "150000",
        "",
        "一处建筑用石料矿采场",
        "爆破后清理浮石时上方落石砸伤作业人员，一人重伤。",
        None,
    ),
    (
        "fire",
        0,
        "fire",
        "电气火灾",
        "2022-01-25 19:30",
        "2022-01-25 20:05",
        "2022-01-25 21:30",
        0,
        0,
        1,
        "86000",
        "",
        "城区一家沿街商铺",
        "商铺内电动车违规充电引发火灾，过火面积约30平方米，一人轻伤。",
        Some((
            "2022-02-20",
            "电动车在室内违规充电，线路老化",
            "商铺经营者：罚款5000元",
        )),
    ),
    (
        "fire",
        9,
        "fire",
        "用火不慎",
        "2022-12-08 02:15",
        "2022-12-08 02:50",
        "2022-12-08 04:30",
        0,
        0,
        0,
        "23500.50",
        "",
        "一处村民自建房厨房",
        "深夜灶膛余火引燃柴草，烧毁厨房及部分杂物，无人员伤亡。",
        None,
    ),
    (
        "forest_fire",
        18,
        "forest_fire",
        "农事用火",
        "2022-09-14 13:20",
        "2022-09-14 13:50",
        "2022-09-14 15:40",
        0,
        0,
        0,
        "42000",
        "0.65",
        "一处山场林地",
        "村民烧田埂草引燃山林，扑救约5小时后明火扑灭，受害森林面积0.65公顷。",
        Some((
            "2022-10-28",
            "村民违规野外用火，卡点值守缺位",
            "肇事村民张某：移送公安机关",
        )),
    ),
];

pub(super) fn generate(app: &App, towns: &[Town]) -> Result<usize> {
    let admin = app.system_caller("demo")?;
    let mut written = 0;
    for (
        c,
        town,
        sector,
        kind,
        at,
        unit,
        county,
        deaths,
        serious,
        minor,
        loss,
        area,
        place,
        account,
        closed,
    ) in ACCIDENTS
    {
        let Some((code, _, _)) = towns.get(town) else {
            continue;
        };
        let v = app.create_accident(
            &admin,
            &AccidentDraft {
                category: c.into(),
                occurred_at: at.into(),
                place: place.into(),
                township: code.clone(),
                enterprise: String::new(),
                sector: sector.into(),
                accident_type: kind.into(),
                deaths: deaths.to_string(),
                missing: "0".into(),
                serious_injuries: serious.to_string(),
                minor_injuries: minor.to_string(),
                direct_loss_yuan: loss.into(),
                forest_area_ha: area.into(),
                account: account.into(),
                unit_reported_at: unit.into(),
                county_reported_at: county.into(),
                lng: String::new(),
                lat: String::new(),
            },
        )?;
        written += 1;
        let mut version = v.record.version;
        if sector == "road" {
            // One of the seriously injured dies on the fourth day: inside the 7 days.
            let (after, _) = app.update_accident(
                &admin,
                v.record.id,
                &UpdateDraft {
                    version,
                    changed_on: "2022-08-27".into(),
                    deaths: "2".into(),
                    serious_injuries: "1".into(),
                    reason: "一名重伤人员经抢救无效死亡".into(),
                    ..UpdateDraft::default()
                },
            )?;
            version = after.record.version;
            written += 1;
        }
        if let Some((on, findings, parties)) = closed {
            let parties = parties
                .split('；')
                .filter_map(|p| p.split_once('：'))
                .map(|(who, measure)| Party {
                    name: who.trim_end_matches("（单位）").into(),
                    unit: who.ends_with("（单位）"),
                    measure: measure.into(),
                })
                .collect();
            app.close_accident_investigation(
                &admin,
                v.record.id,
                &CloseDraft {
                    version,
                    closed_on: on.into(),
                    findings: findings.into(),
                    parties,
                    accountability_ids: vec![],
                    case_ids: vec![],
                },
            )?;
        }
    }
    app.set_accident_control_targets(&admin, 2022, &control_targets())?;
    Ok(written)
}

/// The 2022 control targets the city set the county (控制指标): met by the register above.
fn control_targets() -> crate::accidents::ControlTargetsInput {
    let t = |text: &str, metric: &str, target: f64| crate::letters::IndicatorInput {
        text: text.into(),
        metric: Some(metric.into()),
        comparator: Some("le".into()),
        target: Some(target),
        per_metric: None,
    };
    crate::accidents::ControlTargetsInput {
        indicators: vec![
            t(
                "生产安全事故死亡人数控制在6人以内",
                "accidents.production.deaths",
                6.0,
            ),
            t(
                "不发生较大及以上生产安全事故",
                "accidents.production.large_plus",
                0.0,
            ),
            t("不发生亡人火灾事故", "accidents.fire.fatal", 0.0),
            t(
                "不发生较大及以上森林火灾",
                "accidents.forest_fire.large_plus",
                0.0,
            ),
        ],
    }
}
