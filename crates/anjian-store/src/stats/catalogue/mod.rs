//! The catalogue: where each kind of record lives, and every metric's definition.

mod accidents;
mod accountability;
mod campaigns;
mod disasters;
mod enforcement;
mod forest;
mod highlights;
mod letters;
mod monitoring;
mod risk;
mod station;
mod supervision;
mod training;

use super::{Agg, Metric, Param, Source, When};
use crate::work::WorkItemType;

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
    dates_indexed: true,
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
    dates_indexed: false,
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
    dates_indexed: false,
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
    dates_indexed: false,
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
    dates_indexed: false,
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
    dates_indexed: false,
};

/// 责令停产停业 wherever it is recorded: in a penalty decision (its measures), or as an
/// on-site measure (现场处理措施决定书, 安全生产法 art. 65: 责令暂时停产停业) whose text orders
/// it. One row per order, with the party it binds, for counting the enterprises ordered.
const STOP_ORDERS: Source = Source {
    key: "stop_orders",
    from: "(SELECT c.id AS id, c.county_code AS county_code, c.region_code AS region_code, c.sector AS sector, \
             c.department_id AS department_id, c.enterprise_id AS enterprise_id, c.campaign AS campaign, \
             c.decided_on AS day, c.party_name AS party \
             FROM cases c WHERE c.status IN ('decided', 'served', 'executed', 'closed') \
              AND (',' || c.measures || ',') LIKE '%,stop_production,%' \
           UNION ALL \
           SELECT d.id, d.county_code, d.region_code, d.sector, d.department_id, d.enterprise_id, d.campaign, \
             d.issued_on, COALESCE((SELECT e.name FROM enterprises e WHERE e.id = d.enterprise_id), d.served_to) \
             FROM documents d WHERE d.doc_type = 'onsite_measure' AND d.body LIKE '%停产停业%') t",
    entity: "case",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "t.party",
    dates_indexed: false,
};

/// The enforcement documents served on a party (送达当事人, "下达"): the document types the
/// app marks `to_party` (a test keeps the two in step). [`INTERNAL_DOC_TYPES`] are the others.
pub const SERVED_DOC_TYPES: [&str; 11] = [
    "inspection_record",
    "rectification_order",
    "recheck_opinion",
    "onsite_measure",
    "penalty_notice",
    "hearing_notice",
    "hearing_meeting_notice",
    "penalty_decision",
    "simple_decision",
    "deferral_approval",
    "payment_reminder",
];

/// Documents not served on the party: the internal approval forms and records (立案审批表,
/// 结案审批表, 法制审核意见书, 集体讨论记录), the application to the court (强制执行申请书) and
/// the letter that sends a case to the police (涉嫌犯罪案件移送书).
pub const INTERNAL_DOC_TYPES: [&str; 6] = [
    "case_register",
    "case_close",
    "legal_review_opinion",
    "collective_discussion",
    "enforcement_application",
    "transfer_letter",
];

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
    dates_indexed: false,
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
    dates_indexed: false,
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
    dates_indexed: false,
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
    dates_indexed: false,
};

/// The departments' sectors: their duty items (职责清单) naming a sector.
const DUTY_SECTORS: Source = Source {
    key: "duty_sectors",
    from: "duty_items t JOIN departments d ON d.id = t.department_id",
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
    dates_indexed: false,
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
    dates_indexed: false,
};

/// The items of the 委托执法 agreements, one row per item of each agreement: `json_each`
/// expands the agreement's JSON list (written in PostgreSQL's dialect by the evaluator,
/// [`super::Source::tables_sql`]).
const COMMISSION_ITEMS: Source = Source {
    key: "commission_items",
    from: "commissions t CROSS JOIN json_each(t.items) j",
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
    dates_indexed: false,
};

/// The units of the year's assessments (考核), one row per unit of an evaluation, with its
/// rubric's year and kind and the evaluation's round and status.
const ASSESSED_UNITS: Source = Source {
    key: "assessment_units",
    from: "assessment_units t JOIN assessments a ON a.id = t.assessment_id JOIN assessment_rubrics r ON r.id = a.rubric_id",
    entity: "assessment_unit",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: Some("t.department_id"),
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.unit_name || '：' || r.title",
    dates_indexed: false,
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
    dates_indexed: false,
};

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
        part_of: None,
    }
}

impl Metric {
    /// Declares the metric a part of `whole` (its records are some of `whole`'s).
    fn part_of(mut self, whole: &'static str) -> Self {
        self.part_of = Some(whole);
        self
    }
}

/// `t.doc_type IN (...)` of the documents served on a party.
fn served_documents() -> String {
    let list: Vec<String> = SERVED_DOC_TYPES.iter().map(|t| format!("'{t}'")).collect();
    format!("t.doc_type IN ({})", list.join(", "))
}

const TOWNSHIP_KEY: &str = "substr(t.region_code, 1, 9) || '000'";
const TOWNSHIP_LABEL: &str = "(SELECT r.name FROM regions r WHERE r.code = g.k)";
const DEPARTMENT_LABEL: &str =
    "(SELECT d2.name FROM departments d2 WHERE CAST(d2.id AS TEXT) = g.k)";
const SECTOR_LABEL: &str = "(SELECT s.name FROM sectors s WHERE s.code = g.k)";
const DECIDED: &str = "t.status IN ('decided', 'served', 'executed', 'closed')";
const ENTERPRISE_LABEL: &str = "COALESCE((SELECT e2.name FROM enterprises e2 WHERE CAST(e2.id AS TEXT) = g.k), substr(g.k, 7))";

fn none() -> Vec<Param> {
    Vec::new()
}

/// A decided case with this measure among its measures.
fn has_measure(code: &str) -> String {
    format!("{DECIDED} AND (',' || t.measures || ',') LIKE '%,{code},%'")
}

/// The fixed metrics, then two per work item (its total and the townships doing it), then
/// one per indicator of each loaded campaign definition (its latest version).
pub fn catalogue(
    items: &[WorkItemType],
    campaigns: &[anjian_domain::campaign::Definition],
) -> Vec<Metric> {
    use Agg::*;
    use When::*;
    let mut list = supervision::metrics();
    list.extend(enforcement::metrics());
    list.extend(highlights::metrics());
    list.extend(accountability::metrics());
    list.extend(accidents::metrics());
    list.extend(letters::metrics());
    list.extend(disasters::metrics());
    list.extend(station::metrics());
    list.extend(forest::metrics());
    list.extend(training::metrics());
    list.extend(risk::metrics());
    list.extend(monitoring::metrics());
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
            part_of: None,
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
            part_of: None,
        });
    }
    list.extend(campaigns::metrics(campaigns));
    list
}
