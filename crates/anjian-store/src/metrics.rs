//! The metric catalogue: every figure the statistics and the annual report state, with
//! its definition in words beside the query that computes it.
//!
//! A metric is one source (table and joins), one date (what puts a record in a period),
//! one predicate and one aggregate. The value query and the drill-down query are built
//! from the same FROM and WHERE, so the records a drill-down lists are exactly the ones
//! the value counts or sums; the conformance suite checks that for every metric.

use crate::db::Value;
use crate::scope_sql;
use crate::work::WorkItemType;
use crate::{Result, Store};
use anjian_domain::Scope;
use serde::Serialize;

/// Where a metric's records live and which columns carry the statistical dimensions.
#[derive(Debug)]
pub struct Source {
    pub key: &'static str,
    from: &'static str,
    /// The kind of record a drill-down row links to.
    pub entity: &'static str,
    id: &'static str,
    region: &'static str,
    /// The county column, when the table has one (lets a county's figures use the
    /// (county_code, date) indexes).
    county: Option<&'static str>,
    sector: Option<&'static str>,
    department: Option<&'static str>,
    enterprise: Option<&'static str>,
    campaign: Option<&'static str>,
    agency: Option<&'static str>,
    label: &'static str,
}

const HAZARDS: Source = Source {
    key: "hazards",
    from: "hazards t",
    entity: "hazard",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "t.description",
};

const FINDINGS: Source = Source {
    key: "findings",
    from: "inspection_findings f JOIN inspections t ON t.id = f.inspection_id",
    entity: "inspection",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "f.description",
};

const INSPECTIONS: Source = Source {
    key: "inspections",
    from: "inspections t",
    entity: "inspection",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "COALESCE((SELECT e.name FROM enterprises e WHERE e.id = t.enterprise_id), t.site)",
};

const CASES: Source = Source {
    key: "cases",
    from: "cases t",
    entity: "case",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "t.party_name",
};

const COMMISSIONED_CASES: Source = Source {
    key: "commissioned_cases",
    from: "commissioned_cases cc JOIN cases t ON t.id = cc.case_id",
    entity: "case",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: Some("cc.agency"),
    label: "t.party_name",
};

const DOCUMENTS: Source = Source {
    key: "documents",
    from: "documents t",
    entity: "document",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "t.doc_no || ' ' || t.title",
};

const TRANSFERS: Source = Source {
    key: "transfers",
    from: "transfers t",
    entity: "transfer",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("(SELECT c.department_id FROM cases c WHERE c.id = t.case_id)"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: Some("(SELECT cc.agency FROM commissioned_cases cc WHERE cc.case_id = t.case_id)"),
    label: "t.subject || '（' || t.crime_type || '）'",
};

const REPORTS: Source = Source {
    key: "reports",
    from: "reports t",
    entity: "report",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    // Reports name their reporter: enterprise-bound scopes never count them.
    enterprise: None,
    campaign: Some("t.campaign"),
    agency: None,
    label: "t.content",
};

const WORK: Source = Source {
    key: "work_records",
    from: "work_records t",
    entity: "work_record",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "COALESCE((SELECT wt.name FROM work_item_types wt WHERE wt.code = t.item_code), t.item_code) || ' ' || t.place",
};

const PLANS: Source = Source {
    key: "plans",
    from: "enforcement_plans t JOIN departments d ON d.id = t.department_id",
    entity: "plan",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: Some("t.department_id"),
    enterprise: None,
    campaign: None,
    agency: None,
    label: "d.name || '：' || t.title",
};

const DEPARTMENT_SECTORS: Source = Source {
    key: "department_sectors",
    from: "department_sectors t JOIN departments d ON d.id = t.department_id",
    entity: "department",
    id: "d.id",
    region: "d.region_code",
    county: None,
    sector: Some("t.sector_code"),
    department: Some("d.id"),
    enterprise: None,
    campaign: None,
    agency: None,
    label: "d.name || '：' || t.sector_code",
};

const LISTINGS: Source = Source {
    key: "listings",
    from: "listings t",
    entity: "listing",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "t.title",
};

const COMMISSIONS: Source = Source {
    key: "commissions",
    from: "commissions t",
    entity: "commission",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: Some("t.agency"),
    label: "t.agency || ' ' || t.agreement_no",
};

const ENTERPRISES: Source = Source {
    key: "enterprises",
    from: "enterprises t",
    entity: "enterprise",
    id: "t.id",
    region: "t.region_code",
    county: None,
    sector: None,
    department: None,
    enterprise: Some("t.id"),
    campaign: None,
    agency: None,
    label: "t.name",
};

/// What puts a record in a period.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// A `YYYY-MM-DD` column within `[from, to]`.
    Day(&'static str),
    /// An integer year column within the years of `[from, to]`.
    Year(&'static str),
    /// A validity `[start, end]` overlapping `[from, to]`.
    Overlap(&'static str, &'static str),
    /// A snapshot: the records as they stand (e.g. enterprises on the register).
    Now,
}

/// How the records are aggregated.
#[derive(Debug, Clone, Copy)]
pub enum Agg {
    Count,
    /// Sum of an integer expression (in the metric's raw unit).
    Sum(&'static str),
    /// Number of distinct keys; `label` names a key `g.k`.
    Distinct {
        key: &'static str,
        label: &'static str,
        /// What a key is: `region`, `department` or `sector`.
        entity: &'static str,
    },
}

/// A parameter of a metric's own predicate.
#[derive(Debug, Clone)]
pub enum Param {
    Text(String),
    PeriodFrom,
    PeriodTo,
}

#[derive(Debug)]
pub struct Metric {
    pub id: String,
    /// Report section (一、二 …) the figure belongs to, for grouping.
    pub section: &'static str,
    pub label: String,
    pub unit: String,
    pub definition: String,
    pub source: &'static Source,
    pub when: When,
    filter: String,
    params: Vec<Param>,
    pub agg: Agg,
    /// The raw value divided by this is the stated value (fen → 万元: 1,000,000).
    pub scale: i64,
}

/// The statistical scope: which part of the county a figure covers.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StatFilter {
    pub region_prefix: Option<String>,
    pub department_id: Option<i64>,
    pub sector: Option<String>,
    pub campaign: Option<String>,
    pub agency: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DrillRow {
    pub entity: String,
    pub entity_id: Option<i64>,
    /// For distinct counts: the key counted (township code, department id …).
    pub key: String,
    pub date: Option<String>,
    pub label: String,
    /// What the row contributes to the raw value (1 for counts).
    pub amount: i64,
}

// One row of the catalogue table per call: the positional form keeps each metric on a
// few lines beside its neighbours.
#[allow(clippy::too_many_arguments)]
fn m(
    id: &str,
    section: &'static str,
    label: &str,
    unit: &str,
    definition: &str,
    source: &'static Source,
    when: When,
    filter: &str,
    params: Vec<Param>,
    agg: Agg,
    scale: i64,
) -> Metric {
    Metric {
        id: id.into(),
        section,
        label: label.into(),
        unit: unit.into(),
        definition: definition.into(),
        source,
        when,
        filter: filter.into(),
        params,
        agg,
        scale,
    }
}

const TOWNSHIP_KEY: &str = "substr(t.region_code, 1, 9) || '000'";
const TOWNSHIP_LABEL: &str = "(SELECT r.name FROM regions r WHERE r.code = g.k)";
const DEPARTMENT_LABEL: &str =
    "(SELECT d2.name FROM departments d2 WHERE CAST(d2.id AS TEXT) = g.k)";
const SECTOR_LABEL: &str = "(SELECT s.name FROM sectors s WHERE s.code = g.k)";
const DECIDED: &str = "t.status IN ('decided', 'served', 'executed', 'closed')";

/// The fixed metrics, then two per work item (its total and the townships doing it).
pub fn catalogue(items: &[WorkItemType]) -> Vec<Metric> {
    use Agg::*;
    use When::*;
    let none = Vec::new;
    let has_measure =
        |code: &str| format!("{DECIDED} AND (',' || t.measures || ',') LIKE '%,{code},%'");
    let mut list = vec![
        m(
            "org.new_industries",
            "责任体系",
            "新兴行业领域监管职责明确",
            "项",
            "以政府文件明确了监管部门的行业领域（部门—行业分工中带决定文号者），按行业去重，按决定日期计期",
            &DEPARTMENT_SECTORS,
            Day("t.decided_on"),
            "t.decision_no IS NOT NULL AND t.decision_no <> ''",
            none(),
            Distinct {
                key: "t.sector_code",
                label: SECTOR_LABEL,
                entity: "sector",
            },
            1,
        ),
        m(
            "plans.departments",
            "监管执法",
            "按执法计划开展执法的监管部门",
            "个",
            "负有安全生产监管职责、且本期年度执法计划已经批准的部门数",
            &PLANS,
            Year("t.year"),
            "t.status = 'approved' AND d.has_supervision_duty",
            none(),
            Distinct {
                key: "CAST(t.department_id AS TEXT)",
                label: DEPARTMENT_LABEL,
                entity: "department",
            },
            1,
        ),
        m(
            "documents.issued",
            "监管执法",
            "行政执法文书",
            "份",
            "本期签发（取得文号）的各类行政执法文书份数",
            &DOCUMENTS,
            Day("t.issued_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "documents.rectification_orders",
            "监管执法",
            "隐患整改通知（责令限期整改指令书）",
            "份",
            "本期签发的责令限期整改指令书份数",
            &DOCUMENTS,
            Day("t.issued_on"),
            "t.doc_type = 'rectification_order'",
            none(),
            Count,
            1,
        ),
        m(
            "cases.filed",
            "监管执法",
            "行政处罚案件",
            "件",
            "本期立案（简易程序为当场处罚）的行政处罚案件数，含已终止的",
            &CASES,
            Day("t.registered_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "cases.general",
            "监管执法",
            "一般程序案件",
            "件",
            "本期立案的一般程序行政处罚案件数",
            &CASES,
            Day("t.registered_on"),
            "t.procedure = 'general'",
            none(),
            Count,
            1,
        ),
        m(
            "cases.simple",
            "监管执法",
            "简易程序案件",
            "件",
            "本期作出的简易程序（当场）行政处罚数",
            &CASES,
            Day("t.registered_on"),
            "t.procedure = 'simple'",
            none(),
            Count,
            1,
        ),
        m(
            "cases.fines",
            "监管执法",
            "经济处罚",
            "万元",
            "本期作出处罚决定的案件罚款金额合计（原始单位：分）",
            &CASES,
            Day("t.decided_on"),
            DECIDED,
            none(),
            Sum("t.fine_fen"),
            1_000_000,
        ),
        m(
            "cases.stop_production",
            "监管执法",
            "责令停产停业",
            "家",
            "本期处罚决定含“责令停产停业”的案件数",
            &CASES,
            Day("t.decided_on"),
            &has_measure("stop_production"),
            none(),
            Count,
            1,
        ),
        m(
            "cases.licence",
            "监管执法",
            "暂扣或吊销许可证照",
            "个",
            "本期处罚决定含暂扣或吊销许可证照的案件数",
            &CASES,
            Day("t.decided_on"),
            &format!(
                "{DECIDED} AND ((',' || t.measures || ',') LIKE '%,suspend_licence,%' OR (',' || t.measures || ',') LIKE '%,revoke_licence,%')"
            ),
            none(),
            Count,
            1,
        ),
        m(
            "cases.closure",
            "监管执法",
            "取缔关闭",
            "处",
            "本期处罚决定含“责令关闭（取缔）”的案件数",
            &CASES,
            Day("t.decided_on"),
            &has_measure("close"),
            none(),
            Count,
            1,
        ),
        m(
            "hazards.found",
            "隐患排查",
            "发现安全隐患",
            "处",
            "本期登记（发现日期在期内）的隐患数，一般与重大合计",
            &HAZARDS,
            Day("t.found_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "hazards.found_major",
            "隐患排查",
            "发现重大隐患",
            "处",
            "本期发现的重大事故隐患数",
            &HAZARDS,
            Day("t.found_on"),
            "t.level = 'major'",
            none(),
            Count,
            1,
        ),
        m(
            "hazards.closed",
            "隐患排查",
            "整改事故隐患",
            "处",
            "本期整改完成并销号（销号日期在期内）的隐患数",
            &HAZARDS,
            Day("t.closed_on"),
            "t.status = 'closed'",
            none(),
            Count,
            1,
        ),
        m(
            "hazards.closed_major",
            "隐患排查",
            "整改重大隐患",
            "处",
            "本期销号的重大事故隐患数",
            &HAZARDS,
            Day("t.closed_on"),
            "t.status = 'closed' AND t.level = 'major'",
            none(),
            Count,
            1,
        ),
        m(
            "hazards.closed_assigned",
            "隐患排查",
            "上级交办隐患整改",
            "条",
            "本期销号、来源为上级交办的隐患数",
            &HAZARDS,
            Day("t.closed_on"),
            "t.status = 'closed' AND t.source = 'higher_assignment'",
            none(),
            Count,
            1,
        ),
        m(
            "hazards.closed_inspection",
            "隐患排查",
            "执法检查发现隐患整改",
            "处",
            "本期销号、来源为监督检查的隐患数",
            &HAZARDS,
            Day("t.closed_on"),
            "t.status = 'closed' AND t.source = 'inspection'",
            none(),
            Count,
            1,
        ),
        m(
            "hazards.funds_spent",
            "隐患排查",
            "隐患整改投入资金",
            "万元",
            "本期销号隐患的实际整改资金合计（原始单位：元）",
            &HAZARDS,
            Day("t.closed_on"),
            "t.status = 'closed'",
            none(),
            Sum("COALESCE(t.funds_spent, 0)"),
            10_000,
        ),
        m(
            "hazards.open_overdue",
            "隐患排查",
            "逾期未整改隐患",
            "处",
            "期末仍未销号且整改期限早于期末的隐患（按发现日期计期）",
            &HAZARDS,
            Day("t.found_on"),
            "(t.closed_on IS NULL OR t.closed_on > ?) AND t.deadline IS NOT NULL AND t.deadline < ?",
            vec![Param::PeriodTo, Param::PeriodTo],
            Count,
            1,
        ),
        m(
            "major.not_due",
            "亮点工作",
            "未到整改期限的重大隐患",
            "条",
            "本期发现、期末尚未销号且整改期限未到的重大事故隐患",
            &HAZARDS,
            Day("t.found_on"),
            "t.level = 'major' AND (t.closed_on IS NULL OR t.closed_on > ?) AND t.deadline >= ?",
            vec![Param::PeriodTo, Param::PeriodTo],
            Count,
            1,
        ),
        m(
            "major.closed_in_time",
            "亮点工作",
            "在规定时限内治理销号的重大隐患",
            "条",
            "本期发现、期末前在整改期限内销号的重大事故隐患",
            &HAZARDS,
            Day("t.found_on"),
            "t.level = 'major' AND t.status = 'closed' AND t.closed_on <= ? AND t.closed_on <= t.deadline",
            vec![Param::PeriodTo],
            Count,
            1,
        ),
        m(
            "violations.found",
            "监管执法",
            "查纠各类违法行为",
            "起",
            "本期检查记录中判定不符合、列为问题的检查项数",
            &FINDINGS,
            Day("t.inspected_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "inspections.count",
            "监管执法",
            "监督检查",
            "次",
            "本期监督检查（含双随机、联合执法、复查）次数",
            &INSPECTIONS,
            Day("t.inspected_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "inspections.enforcement",
            "监管执法",
            "执法检查",
            "次",
            "本期由两名以上执法人员实施的执法检查次数",
            &INSPECTIONS,
            Day("t.inspected_on"),
            "t.enforcement",
            none(),
            Count,
            1,
        ),
        m(
            "transfers.transferred",
            "监管执法",
            "移送司法机关处理",
            "人",
            "本期已移送公安（司法）机关的涉嫌犯罪案件当事人数（每案一名当事人）",
            &TRANSFERS,
            Day("t.transferred_on"),
            "t.status IN ('transferred', 'filed', 'not_filed')",
            none(),
            Count,
            1,
        ),
        m(
            "rewards.paid",
            "监管执法",
            "落实举报奖励",
            "起",
            "本期已兑现奖励的举报件数",
            &REPORTS,
            Day("t.paid_on"),
            "t.status = 'paid'",
            none(),
            Count,
            1,
        ),
        m(
            "rewards.amount",
            "监管执法",
            "举报奖励金额",
            "元",
            "本期已兑现的举报奖励金额（原始单位：分）",
            &REPORTS,
            Day("t.paid_on"),
            "t.status = 'paid'",
            none(),
            Sum("COALESCE(t.reward_fen, 0)"),
            100,
        ),
        m(
            "reports.received",
            "监管执法",
            "受理举报",
            "件",
            "本期受理的举报件数",
            &REPORTS,
            Day("t.received_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "listings.listed",
            "亮点工作",
            "政府挂牌督办重大隐患",
            "起",
            "本期挂牌（挂牌日期在期内）的督办事项数",
            &LISTINGS,
            Day("t.listed_on"),
            "t.listed_on IS NOT NULL",
            none(),
            Count,
            1,
        ),
        m(
            "listings.delisted",
            "亮点工作",
            "摘牌销案",
            "起",
            "本期摘牌销案的督办事项数",
            &LISTINGS,
            Day("t.delisted_on"),
            "t.state = 'delisted'",
            none(),
            Count,
            1,
        ),
        m(
            "listings.delisted_carried",
            "亮点工作",
            "摘牌销案（以前年度挂牌）",
            "起",
            "本期摘牌销案、挂牌日期在期初之前的督办事项数",
            &LISTINGS,
            Day("t.delisted_on"),
            "t.state = 'delisted' AND t.listed_on < ?",
            vec![Param::PeriodFrom],
            Count,
            1,
        ),
        m(
            "commissions.items",
            "亮点工作",
            "下放简易程序执法权限",
            "项",
            "期内有效的委托执法协议所列事项数",
            &COMMISSIONS,
            Overlap("t.valid_from", "t.valid_to"),
            "1 = 1",
            none(),
            Sum("t.item_count"),
            1,
        ),
        m(
            "commissions.cases",
            "亮点工作",
            "委托执法查处违法行为",
            "起",
            "本期以委托执法名义办理的案件数",
            &COMMISSIONED_CASES,
            Day("t.registered_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "commissions.transfers",
            "亮点工作",
            "委托执法移交涉嫌刑事犯罪案",
            "起",
            "本期移送司法机关、源自委托执法案件的案件数",
            &TRANSFERS,
            Day("t.transferred_on"),
            "t.status IN ('transferred', 'filed', 'not_filed') AND t.case_id IN (SELECT case_id FROM commissioned_cases)",
            none(),
            Count,
            1,
        ),
        m(
            "enterprises.fireworks_producers",
            "重点领域",
            "烟花爆竹生产企业",
            "家",
            "在册、在营的烟花爆竹生产企业（国民经济行业代码C开头）",
            &ENTERPRISES,
            Now,
            "t.status = 'operating' AND t.industry_code LIKE 'C%' AND EXISTS (SELECT 1 FROM enterprise_sectors es WHERE es.enterprise_id = t.id AND es.sector_code = 'fireworks')",
            none(),
            Count,
            1,
        ),
        m(
            "enterprises.fireworks_retail",
            "重点领域",
            "烟花爆竹零售经营网点",
            "家",
            "在册、在营的烟花爆竹零售网点（国民经济行业代码F开头）",
            &ENTERPRISES,
            Now,
            "t.status = 'operating' AND t.industry_code LIKE 'F%' AND EXISTS (SELECT 1 FROM enterprise_sectors es WHERE es.enterprise_id = t.id AND es.sector_code = 'fireworks')",
            none(),
            Count,
            1,
        ),
        m(
            "houses.surveyed",
            "自建房整治",
            "排查居民自建房",
            "栋",
            "本期“排查经营性自建房”与“排查非经营性自建房”工作记录的栋数合计",
            &WORK,
            Day("t.done_on"),
            "t.item_code IN ('house_surveyed_commercial', 'house_surveyed_residential')",
            none(),
            Sum("t.quantity"),
            1,
        ),
        m(
            "station.townships",
            "亮点工作",
            "派驻监督员的乡镇",
            "个",
            "本期有派驻安全生产监督管理员记录（以乡镇名义）的乡镇数",
            &WORK,
            Day("t.done_on"),
            "t.item_code = 'stationed_supervisors' AND t.department_id IS NULL AND substr(t.region_code, 7, 3) <> '000'",
            none(),
            Distinct {
                key: TOWNSHIP_KEY,
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
            "本期有派驻安全生产监督管理员记录（以部门名义）的部门数",
            &WORK,
            Day("t.done_on"),
            "t.item_code = 'stationed_supervisors' AND t.department_id IS NOT NULL",
            none(),
            Distinct {
                key: "CAST(t.department_id AS TEXT)",
                label: DEPARTMENT_LABEL,
                entity: "department",
            },
            1,
        ),
    ];
    for it in items {
        list.push(Metric {
            id: format!("work.{}", it.code),
            section: "工作记录",
            label: it.name.clone(),
            unit: it.unit.clone(),
            definition: format!("本期“{}”工作记录的数量合计（{}）", it.name, it.unit),
            source: &WORK,
            when: Day("t.done_on"),
            filter: "t.item_code = ?".into(),
            params: vec![Param::Text(it.code.clone())],
            agg: Sum("t.quantity"),
            scale: 1,
        });
        list.push(Metric {
            id: format!("work.{}.townships", it.code),
            section: "工作记录",
            label: format!("开展“{}”的乡镇", it.name),
            unit: "个".into(),
            definition: format!("本期有“{}”工作记录的乡镇数（按记录所在乡镇去重）", it.name),
            source: &WORK,
            when: Day("t.done_on"),
            filter: "t.item_code = ? AND substr(t.region_code, 7, 3) <> '000'".into(),
            params: vec![Param::Text(it.code.clone())],
            agg: Distinct {
                key: TOWNSHIP_KEY,
                label: TOWNSHIP_LABEL,
                entity: "region",
            },
            scale: 1,
        });
    }
    list
}

/// Builds `FROM … WHERE …` for a metric, or `None` when the statistical scope asks for a
/// dimension the source does not carry (e.g. a department's share of commissions).
fn from_where(
    metric: &Metric,
    scope: &Scope,
    f: &StatFilter,
    from: &str,
    to: &str,
    p: &mut Vec<Value>,
) -> Option<String> {
    let mut cond = base_conditions(metric, scope, f, from, to, p)?;
    cond.push(format!("({})", metric.filter));
    p.extend(filter_params(metric, from, to));
    Some(format!(
        "FROM {} WHERE {}",
        metric.source.from,
        cond.join(" AND ")
    ))
}

/// The parameters of a metric's own predicate.
fn filter_params(metric: &Metric, from: &str, to: &str) -> Vec<Value> {
    metric
        .params
        .iter()
        .map(|param| match param {
            Param::Text(t) => t.clone().into(),
            Param::PeriodFrom => from.to_string().into(),
            Param::PeriodTo => to.to_string().into(),
        })
        .collect()
}

/// Everything of a metric's WHERE but its own predicate: visibility, statistical scope
/// and period (shared by the metrics of one source and date rule).
fn base_conditions(
    metric: &Metric,
    scope: &Scope,
    f: &StatFilter,
    from: &str,
    to: &str,
    p: &mut Vec<Value>,
) -> Option<Vec<String>> {
    let s = metric.source;
    // The caller's visibility first.
    let mut cond = vec![scope_sql::regions(scope, s.region, p)];
    if let (Some(sectors), Some(col)) = (&scope.sectors, s.sector) {
        cond.push(scope_sql::in_list(col, sectors, p));
    }
    if let Some(ids) = &scope.enterprise_ids {
        match s.enterprise {
            Some(col) => cond.push(scope_sql::in_list(col, ids, p)),
            None => cond.push("1 = 0".into()),
        }
    }
    // Then the statistical scope.
    if let Some(r) = &f.region_prefix {
        cond.push(scope_sql::region_subtree(s.region, r, p));
    }
    // Within one county, say so: the (county_code, date) indexes then apply.
    if let Some(col) = s.county {
        let mut prefixes: Vec<&str> = scope.region_prefixes.iter().map(String::as_str).collect();
        if let Some(r) = &f.region_prefix {
            prefixes = vec![r.as_str()];
        }
        let counties: std::collections::BTreeSet<&str> =
            prefixes.iter().map(|p| p.get(..6).unwrap_or("")).collect();
        if counties.len() == 1
            && let Some(c) = counties.iter().next().filter(|c| c.len() == 6)
        {
            cond.push(format!("{col} = ?"));
            p.push(format!("{c}000000").into());
        }
    }
    let dims: [(Option<Value>, Option<&str>); 3] = [
        (f.department_id.map(Value::from), s.department),
        (f.sector.clone().map(Value::from), s.sector),
        (f.campaign.clone().map(Value::from), s.campaign),
    ];
    for (want, col) in dims {
        if let Some(v) = want {
            let col = col?;
            cond.push(format!("{col} = ?"));
            p.push(v);
        }
    }
    // Agencies are named in full (清江市公安局交通管理大队); the filter matches a part (交警).
    if let Some(a) = &f.agency {
        let col = s.agency?;
        let escaped = a
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        cond.push(format!("{col} LIKE ? ESCAPE '\\'"));
        p.push(format!("%{escaped}%").into());
    }
    match metric.when {
        When::Day(col) => {
            cond.push(format!("{col} >= ? AND {col} <= ?"));
            p.push(from.to_string().into());
            p.push(to.to_string().into());
        }
        When::Year(col) => {
            let year = |d: &str| d.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(0);
            cond.push(format!("{col} >= ? AND {col} <= ?"));
            p.push(year(from).into());
            p.push(year(to).into());
        }
        When::Overlap(start, end) => {
            cond.push(format!("{start} <= ? AND {end} >= ?"));
            p.push(to.to_string().into());
            p.push(from.to_string().into());
        }
        When::Now => {}
    }
    Some(cond)
}

impl Metric {
    /// The stated value of a raw one (fen → 万元 …).
    pub fn stated(&self, raw: i64) -> f64 {
        raw as f64 / self.scale as f64
    }
}

impl Store {
    /// Many metrics at once: one query per source and date rule, each metric a
    /// `SUM(CASE WHEN …)` column over the same rows its own query would read. Equal to
    /// [`Store::metric_value`] metric by metric (the conformance suite checks it).
    pub fn metric_values(
        &self,
        metrics: &[&Metric],
        scope: &Scope,
        f: &StatFilter,
        from: &str,
        to: &str,
    ) -> Result<Vec<Option<i64>>> {
        let mut out = vec![None; metrics.len()];
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, m) in metrics.iter().enumerate() {
            let key = format!("{}|{:?}", m.source.key, m.when);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        for (_, members) in groups {
            let first = metrics[members[0]];
            let mut wp = Vec::new();
            let Some(base) = base_conditions(first, scope, f, from, to, &mut wp) else {
                continue;
            };
            let mut sp = Vec::new();
            let cols: Vec<String> = members
                .iter()
                .map(|&i| {
                    let m = metrics[i];
                    sp.extend(filter_params(m, from, to));
                    let agg = match m.agg {
                        Agg::Count => format!(
                            "COALESCE(SUM(CASE WHEN ({}) THEN 1 ELSE 0 END), 0)",
                            m.filter
                        ),
                        Agg::Sum(e) => format!(
                            "COALESCE(SUM(CASE WHEN ({}) THEN {e} ELSE 0 END), 0)",
                            m.filter
                        ),
                        Agg::Distinct { key, .. } => {
                            format!("COUNT(DISTINCT CASE WHEN ({}) THEN {key} END)", m.filter)
                        }
                    };
                    format!("CAST({agg} AS BIGINT)")
                })
                .collect();
            let sql = format!(
                "SELECT {} FROM {} WHERE {}",
                cols.join(", "),
                first.source.from,
                base.join(" AND ")
            );
            sp.extend(wp);
            let row = self.db().read(|tx| tx.query_one(&sql, &sp))?;
            for (k, &i) in members.iter().enumerate() {
                out[i] = Some(row.i64(k)?);
            }
        }
        Ok(out)
    }

    /// A metric's raw value over `[from, to]` in the caller's scope and the statistical
    /// scope; `None` where the statistical scope does not apply to the metric's records.
    pub fn metric_value(
        &self,
        metric: &Metric,
        scope: &Scope,
        f: &StatFilter,
        from: &str,
        to: &str,
    ) -> Result<Option<i64>> {
        let mut p = Vec::new();
        let Some(fw) = from_where(metric, scope, f, from, to, &mut p) else {
            return Ok(None);
        };
        let agg = match metric.agg {
            Agg::Count => "COUNT(*)".to_string(),
            Agg::Sum(e) => format!("COALESCE(SUM({e}), 0)"),
            Agg::Distinct { key, .. } => format!("COUNT(DISTINCT {key})"),
        };
        let sql = format!("SELECT CAST({agg} AS BIGINT) {fw}");
        self.db().read(|tx| tx.scalar_i64(&sql, &p)).map(Some)
    }

    /// The records behind a metric's value: their amounts add up to it (for distinct
    /// counts, one row per key). At most `limit` rows, in date order.
    pub fn metric_records(
        &self,
        metric: &Metric,
        scope: &Scope,
        f: &StatFilter,
        from: &str,
        to: &str,
        limit: i64,
    ) -> Result<Option<Vec<DrillRow>>> {
        let mut p = Vec::new();
        let Some(fw) = from_where(metric, scope, f, from, to, &mut p) else {
            return Ok(None);
        };
        let s = metric.source;
        let date = match metric.when {
            When::Day(c) => format!("CAST({c} AS TEXT)"),
            When::Year(c) => format!("CAST({c} AS TEXT)"),
            When::Overlap(a, _) => format!("CAST({a} AS TEXT)"),
            When::Now => "CAST(NULL AS TEXT)".into(),
        };
        p.push(limit.clamp(1, 1_000_000).into());
        let entity = s.entity;
        let sql = match metric.agg {
            Agg::Count | Agg::Sum(_) => {
                let amount = match metric.agg {
                    Agg::Sum(e) => format!("CAST({e} AS BIGINT)"),
                    _ => "CAST(1 AS BIGINT)".into(),
                };
                format!(
                    "SELECT {id}, {date}, {label}, {amount} {fw} ORDER BY 2, 1 LIMIT ?",
                    id = s.id,
                    label = s.label
                )
            }
            Agg::Distinct { key, label, .. } => format!(
                "SELECT g.k, {label} FROM (SELECT {key} AS k {fw} GROUP BY {key}) g ORDER BY g.k LIMIT ?"
            ),
        };
        self.db()
            .read(|tx| {
                tx.query(&sql, &p)?
                    .iter()
                    .map(|r| match metric.agg {
                        Agg::Distinct { entity, .. } => {
                            let key = r.text(0)?;
                            Ok(DrillRow {
                                entity: entity.into(),
                                entity_id: if entity == "department" {
                                    key.parse().ok()
                                } else {
                                    None
                                },
                                label: r.opt_text(1)?.unwrap_or_else(|| key.clone()),
                                key,
                                date: None,
                                // Distinct counts: every key counts once, whatever its records.
                                amount: 1,
                            })
                        }
                        _ => Ok(DrillRow {
                            entity: entity.into(),
                            entity_id: Some(r.i64(0)?),
                            key: String::new(),
                            date: r.opt_text(1)?,
                            label: r.text(2)?,
                            amount: r.i64(3)?,
                        }),
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .map(Some)
    }
}
