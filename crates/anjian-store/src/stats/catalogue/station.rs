//! Stationed supervisors (派驻安全生产监督管理员): the units that stationed them, the
//! supervisors and the sites of the assignments running in the period, their check-ins, the
//! problems they found, and the spot checks.

use super::*;

/// The assignments, in the period when they ran on one of its days (an open one runs on).
/// Their place is the site's, so a township's share is the sites in it.
const ASSIGNMENTS: Source = Source {
    key: "station_assignments",
    from: "station_assignments t",
    entity: "station_assignment",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.unit_department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "COALESCE((SELECT u.display_name FROM users u WHERE u.id = t.supervisor_id), '') || ' 驻 ' || COALESCE((SELECT e.name FROM enterprises e WHERE e.id = t.enterprise_id), (SELECT k.name FROM key_places k WHERE k.id = t.place_id), '')",
    dates_indexed: false,
};

/// The check-ins, in the period by their day.
const VISITS: Source = Source {
    key: "station_visits",
    from: "station_visits t",
    entity: "station_visit",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "COALESCE((SELECT u.display_name FROM users u WHERE u.id = t.supervisor_id), '') || ' ' || t.visited_at || ' ' || COALESCE((SELECT e.name FROM enterprises e WHERE e.id = t.enterprise_id), (SELECT k.name FROM key_places k WHERE k.id = t.place_id), '')",
    dates_indexed: false,
};

/// The spot checks, in the period by the day they were made.
const SPOTS: Source = Source {
    key: "station_spot_checks",
    from: "station_spot_checks t",
    entity: "station_assignment",
    id: "t.assignment_id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "COALESCE((SELECT u.display_name FROM users u WHERE u.id = t.supervisor_id), '') || ' ' || t.checked_on || ' 抽查'",
    dates_indexed: false,
};

const RUNNING: When = When::Overlap("t.starts_on", "COALESCE(t.ends_on, '9999-12-31')");

/// A site as one key: `e{id}` for an enterprise, `p{id}` for a key place.
const SITE_KEY: &str =
    "COALESCE('e' || CAST(t.enterprise_id AS TEXT), 'p' || CAST(t.place_id AS TEXT))";
const SITE_LABEL: &str = "COALESCE((SELECT e2.name FROM enterprises e2 WHERE 'e' || CAST(e2.id AS TEXT) = g.k), (SELECT k2.name FROM key_places k2 WHERE 'p' || CAST(k2.id AS TEXT) = g.k), g.k)";
const SUPERVISOR_LABEL: &str =
    "(SELECT u2.display_name FROM users u2 WHERE CAST(u2.id AS TEXT) = g.k)";

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    vec![
        m(
            "station.townships",
            "亮点工作",
            "派驻监督员的乡镇",
            "个",
            "期内有派驻安排（派出单位为乡镇）的乡镇数",
            &ASSIGNMENTS,
            RUNNING,
            "t.unit_region_code IS NOT NULL",
            none(),
            Distinct {
                key: "t.unit_region_code",
                label: TOWNSHIP_LABEL,
                entity: "region",
            },
            1,
        ),
        m(
            "station.departments",
            "亮点工作",
            "派驻监督员的市直单位",
            "个",
            "期内有派驻安排（派出单位为部门）的部门数",
            &ASSIGNMENTS,
            RUNNING,
            "t.unit_department_id IS NOT NULL",
            none(),
            Distinct {
                key: "CAST(t.unit_department_id AS TEXT)",
                label: DEPARTMENT_LABEL,
                entity: "department",
            },
            1,
        ),
        m(
            "station.supervisors",
            "亮点工作",
            "派驻安全生产监督管理员",
            "人",
            "期内有派驻安排的监督员人数（同一人驻守多处计一人）",
            &ASSIGNMENTS,
            RUNNING,
            "1 = 1",
            none(),
            Distinct {
                key: "CAST(t.supervisor_id AS TEXT)",
                label: SUPERVISOR_LABEL,
                entity: "user",
            },
            1,
        ),
        m(
            "station.sites",
            "亮点工作",
            "驻守生产经营单位、重点地段",
            "家（处）",
            "期内有监督员驻守的企业和重点地段数（同一处先后派驻多人计一处）",
            &ASSIGNMENTS,
            RUNNING,
            "1 = 1",
            none(),
            Distinct {
                key: SITE_KEY,
                label: SITE_LABEL,
                entity: "site",
            },
            1,
        ),
        m(
            "station.visits",
            "亮点工作",
            "派驻监督员驻点检查",
            "次",
            "本期派驻监督员的驻点签到检查次数",
            &VISITS,
            Day("t.day"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "station.problems",
            "亮点工作",
            "派驻监督员发现问题",
            "项",
            "本期驻点检查中结果为“有问题”的检查项数",
            &VISITS,
            Day("t.day"),
            "1 = 1",
            none(),
            Sum("t.problems"),
            1,
        ),
        m(
            "station.spot_checks",
            "亮点工作",
            "抽查派驻监督员",
            "次",
            "本期对派驻监督员在岗和驻点记录真实性的抽查次数",
            &SPOTS,
            Day("t.checked_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "station.spot_checks_failed",
            "亮点工作",
            "抽查不合格",
            "次",
            "本期抽查结果为不合格（监督员不在岗或记录不实）的次数",
            &SPOTS,
            Day("t.checked_on"),
            "t.result = 'fail'",
            none(),
            Count,
            1,
        ),
    ]
}
