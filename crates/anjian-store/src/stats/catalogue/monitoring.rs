//! 在线监测: the tailings ponds and other objects under online monitoring, and the alarms
//! of the period by level, 设备离线, acknowledged late, and turned into hazards.

use super::*;

/// Alarms, in the period by the China day they opened, at their object's place.
const ALARMS: Source = Source {
    key: "monitoring_alarms",
    from: "monitoring_alarms t",
    entity: "monitoring_alarm",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "t.opened_on || ' ' || COALESCE((SELECT o.name FROM monitored_objects o WHERE o.id = t.object_id), '') || ' ' || COALESCE((SELECT p.name FROM monitoring_points p WHERE p.id = t.point_id), '') || ' ' || CASE t.level WHEN 'red' THEN '红色' WHEN 'orange' THEN '橙色' WHEN 'yellow' THEN '黄色' ELSE '蓝色' END || CASE t.target WHEN 'offline' THEN '设备离线' ELSE '预警' END",
    dates_indexed: false,
};

/// Monitored objects as they stand, at their place.
const OBJECTS: Source = Source {
    key: "monitored_objects",
    from: "monitored_objects t",
    entity: "monitored_object",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "t.name",
    dates_indexed: false,
};

const MONITORED: &str =
    "t.active AND EXISTS (SELECT 1 FROM monitoring_points p WHERE p.object_id = t.id AND p.active)";

fn by_level(level: &str, label: &str) -> Metric {
    m(
        &format!("monitoring.alarms.{level}"),
        "在线监测",
        &format!("在线监测{label}预警"),
        "次",
        &format!("期内产生的{label}预警次数（按报警当日；含测点报警和按GB 50863-2013第5.5.4条升级的监测项目、尾矿库预警；报警期间升级的按达到的最高级别计）"),
        &ALARMS,
        When::Day("t.opened_on"),
        &format!("t.target <> 'offline' AND t.level = '{level}'"),
        none(),
        Agg::Count,
        1,
    )
    .part_of("monitoring.alarms")
}

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    vec![
        m(
            "monitoring.ponds",
            "在线监测",
            "接入在线监测的尾矿库",
            "座",
            "现有在用、至少有一个启用测点的尾矿库数",
            &OBJECTS,
            Now,
            &format!("t.kind = 'tailings_pond' AND {MONITORED}"),
            none(),
            Count,
            1,
        ),
        m(
            "monitoring.objects",
            "在线监测",
            "在线监测对象",
            "个",
            "现有在用、至少有一个启用测点的监测对象数（尾矿库、危险化学品储罐区、燃气用户等）",
            &OBJECTS,
            Now,
            MONITORED,
            none(),
            Count,
            1,
        ),
        m(
            "monitoring.alarms",
            "在线监测",
            "在线监测预警",
            "次",
            "期内产生的预警次数（按报警当日；不含设备离线）",
            &ALARMS,
            Day("t.opened_on"),
            "t.target <> 'offline'",
            none(),
            Count,
            1,
        ),
        by_level("red", "红色"),
        by_level("orange", "橙色"),
        by_level("yellow", "黄色"),
        by_level("blue", "蓝色"),
        m(
            "monitoring.offline",
            "在线监测",
            "监测设备离线",
            "次",
            "期内测点超过监测对象的离线判定时间无读数的次数",
            &ALARMS,
            Day("t.opened_on"),
            "t.target = 'offline'",
            none(),
            Count,
            1,
        ),
        m(
            "monitoring.ack_late",
            "在线监测",
            "预警逾期签收",
            "次",
            "期内产生的预警中，签收晚于该级别签收时限的次数（已过时限尚未签收的一并计入）",
            &ALARMS,
            Day("t.opened_on"),
            "t.target <> 'offline' AND ((t.acknowledged_at IS NOT NULL AND t.acknowledged_at > t.ack_due_at) OR (t.acknowledged_at IS NULL AND t.ack_due_at < ?))",
            vec![Param::PeriodTo],
            Count,
            1,
        )
        .part_of("monitoring.alarms"),
        m(
            "monitoring.to_hazard",
            "在线监测",
            "预警转为隐患",
            "次",
            "期内产生的预警中经核实登记为隐患（转入隐患闭环整改）的次数",
            &ALARMS,
            Day("t.opened_on"),
            "t.disposal = 'hazard'",
            none(),
            Count,
            1,
        ),
    ]
}
