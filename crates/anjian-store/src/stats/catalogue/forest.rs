//! Forest-fire prevention (森林防灭火): the funds spent on equipment, the drones and pumps
//! bought or donated, the townships and state farms they were handed to, the patrols and the
//! checkpoints' registers, and the season's chain of responsible persons.

use super::*;

/// Equipment, in the period by the day it was acquired. Its place is the county's.
const EQUIPMENT: Source = Source {
    key: "forest_equipment",
    from: "forest_equipment t",
    entity: "forest_equipment",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "CASE t.kind WHEN 'drone' THEN '防火勘察无人机' WHEN 'high_lift_pump' THEN '高扬程消防水泵' WHEN 'pump' THEN '抽水泵' WHEN 'extinguisher' THEN '风力灭火机' ELSE '其他装备' END || ' ' || t.model || ' ×' || CAST(t.quantity AS TEXT) || '（' || t.acquired_on || CASE WHEN t.donor <> '' THEN '，' || t.donor || '捐赠' ELSE '' END || '）'",
    dates_indexed: false,
};

/// Handovers, in the period by the day of the handover, at the recipient's place.
const HANDOVERS: Source = Source {
    key: "forest_handovers",
    from: "forest_handovers t",
    entity: "forest_equipment",
    id: "t.equipment_id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.handed_on || ' 发放给 ' || COALESCE((SELECT r.name FROM regions r WHERE r.code = t.township_code), (SELECT f.name FROM forest_farms f WHERE f.id = t.farm_id), '') || ' ×' || CAST(t.quantity AS TEXT)",
    dates_indexed: false,
};

/// Patrols, in the period by their day.
const PATROLS: Source = Source {
    key: "forest_patrols",
    from: "forest_patrols t",
    entity: "forest_patrol",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.patrolled_on || ' ' || t.patroller || ' ' || COALESCE((SELECT p.name FROM forest_patches p WHERE p.id = t.patch_id), (SELECT r.name FROM regions r WHERE r.code = t.region_code), '')",
    dates_indexed: false,
};

/// Checkpoint registers, in the period by their day.
const LOGS: Source = Source {
    key: "forest_checkpoint_logs",
    from: "forest_checkpoint_logs t",
    entity: "forest_checkpoint",
    id: "t.checkpoint_id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.logged_on || ' ' || COALESCE((SELECT c.name FROM forest_checkpoints c WHERE c.id = t.checkpoint_id), '')",
    dates_indexed: false,
};

/// The responsible persons of the seasons that overlap the period.
const WARDENS: Source = Source {
    key: "forest_wardens",
    from: "forest_wardens t JOIN forest_seasons s ON s.id = t.season_id",
    entity: "forest_warden",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.name || '（' || CASE t.role WHEN 'forest_chief' THEN '林长' WHEN 'supervisor' THEN '监管员' WHEN 'grid' THEN '网格员' WHEN 'ranger' THEN '护林员' ELSE '检查站值守人员' END || '）'",
    dates_indexed: false,
};

const FARM_LABEL: &str = "(SELECT f.name FROM forest_farms f WHERE CAST(f.id AS TEXT) = g.k)";

fn bought(id: &str, label: &str, unit: &str, definition: &str, filter: &str) -> Metric {
    m(
        id,
        "亮点工作",
        label,
        unit,
        definition,
        &EQUIPMENT,
        When::Day("t.acquired_on"),
        filter,
        none(),
        Agg::Sum("t.quantity"),
        1,
    )
}

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    vec![
        m(
            "forest.funds",
            "亮点工作",
            "森林防灭火装备投入资金",
            "万元",
            "本期购置森林防灭火装备的金额合计（按分累加，折算为万元后四舍五入保留两位小数；受捐赠装备不计）",
            &EQUIPMENT,
            Day("t.acquired_on"),
            "t.acquisition = 'purchased'",
            none(),
            Sum("t.cost_fen"),
            1_000_000,
        ),
        bought(
            "forest.drones",
            "添置防火勘察无人机",
            "架",
            "本期购置的防火勘察无人机架数",
            "t.acquisition = 'purchased' AND t.kind = 'drone'",
        ),
        bought(
            "forest.pumps",
            "添置高扬程消防水泵",
            "台",
            "本期购置的高扬程消防水泵台数",
            "t.acquisition = 'purchased' AND t.kind = 'high_lift_pump'",
        ),
        bought(
            "forest.donated_pumps",
            "受捐赠抽水泵",
            "台",
            "本期受捐赠的抽水泵台数",
            "t.acquisition = 'donated' AND t.kind = 'pump'",
        ),
        m(
            "forest.handed",
            "亮点工作",
            "发放森林防灭火装备",
            "台（架）",
            "本期发放给乡镇和国有林场（农场）的装备数量合计",
            &HANDOVERS,
            Day("t.handed_on"),
            "1 = 1",
            none(),
            Sum("t.quantity"),
            1,
        ),
        m(
            "forest.equipment.townships",
            "亮点工作",
            "装备发放到的乡镇",
            "个",
            "本期领到森林防灭火装备的乡镇数（同一乡镇多次领取计一个）",
            &HANDOVERS,
            Day("t.handed_on"),
            "t.township_code IS NOT NULL",
            none(),
            Distinct {
                key: "t.township_code",
                label: TOWNSHIP_LABEL,
                entity: "region",
            },
            1,
        ),
        m(
            "forest.equipment.farms",
            "亮点工作",
            "装备发放到的国有林场（农场）",
            "个",
            "本期领到森林防灭火装备的国有林场（农场）数",
            &HANDOVERS,
            Day("t.handed_on"),
            "t.farm_id IS NOT NULL",
            none(),
            Distinct {
                key: "CAST(t.farm_id AS TEXT)",
                label: FARM_LABEL,
                entity: "forest_farm",
            },
            1,
        ),
        m(
            "forest.patrols",
            "亮点工作",
            "森林防火巡护",
            "次",
            "本期登记的护林员、网格员巡护次数",
            &PATROLS,
            Day("t.patrolled_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "forest.patrols.illegal_fire",
            "亮点工作",
            "巡护发现违规野外用火",
            "起",
            "本期巡护中发现违规野外用火的次数",
            &PATROLS,
            Day("t.patrolled_on"),
            "t.finding = 'illegal_fire'",
            none(),
            Count,
            1,
        )
        .part_of("forest.patrols"),
        m(
            "forest.checkpoints.people",
            "亮点工作",
            "防火检查站登记进山人员",
            "人次",
            "本期各防火检查站登记的进山人员人次",
            &LOGS,
            Day("t.logged_on"),
            "1 = 1",
            none(),
            Sum("t.people"),
            1,
        ),
        m(
            "forest.checkpoints.vehicles",
            "亮点工作",
            "防火检查站登记车辆",
            "辆次",
            "本期各防火检查站登记的进山车辆辆次",
            &LOGS,
            Day("t.logged_on"),
            "1 = 1",
            none(),
            Sum("t.vehicles"),
            1,
        ),
        m(
            "forest.checkpoints.fire_sources",
            "亮点工作",
            "收缴火种",
            "个（件）",
            "本期各防火检查站收缴（暂存）的火种数",
            &LOGS,
            Day("t.logged_on"),
            "1 = 1",
            none(),
            Sum("t.fire_sources"),
            1,
        ),
        m(
            "forest.wardens",
            "亮点工作",
            "森林防灭火网格责任人",
            "人",
            "与本期重叠的防火期内，县、乡、村、山头和检查站各级登记的责任人人数（同一人任多职按人次计）",
            &WARDENS,
            Overlap("s.starts_on", "s.ends_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
    ]
}
