//! The demo's penalty cases, opened from its inspections: general-procedure cases (立案, 告知,
//! 决定) with their 决定书, simple-procedure fines on the spot with their 当场处罚决定书, and
//! the transfers of a few to public security (行刑衔接).
//!
//! Which case carries which measure, and which is transferred, follows counters rather than
//! chance, so the report's figures have the same magnitudes whatever the seed: during the
//! campaign one general case in 40 orders a stop (责令停产停业), one in 40 suspends a licence,
//! one in 250 closes the business and one in 45 is transferred; of the 危化 cases one in six
//! orders a stop and one in eight is transferred (非法销售成品油). Counters run over the cases
//! decided in 2022: one whose decision would fall after the year is still being investigated
//! at the demo's clock (2023-01-10). The 应急管理局 fines 10,000 to 99,000 元 a case, the other
//! departments 1,000 to 6,900 元, so the campaign's 经济处罚 is some hundreds of 万元.

use super::Rng;
use super::enforcement::{CASE_FACTS, Ent, day, in_campaign};
use crate::{App, AppError, Result};
use anjian_store::Change;
use anjian_store::cases::Case;
use anjian_store::documents::NewDocument;
use anjian_store::transfers::Transfer;
use chrono::NaiveDate;

/// A case decided in 2022: (case id, enterprise, decided on, during the campaign).
pub(super) type Decided = (i64, usize, NaiveDate, bool);

/// A case the generator opens.
pub(super) struct Opened<'a> {
    pub inspection_id: i64,
    pub ent: &'a Ent,
    pub ei: usize,
    pub department_id: i64,
    /// The department's document number prefix.
    pub prefix: &'a str,
    pub on: NaiveDate,
    pub general: bool,
    /// The 应急管理 department fines more per case than the others.
    pub emergency: bool,
}

/// Opens the cases and counts them.
pub(super) struct Cases<'a> {
    pub app: &'a App,
    pub change: &'a Change<'a>,
    /// General cases decided in the year: during the campaign, 危化 ones, others (each
    /// numbered from 0).
    campaign_n: usize,
    hazchem_n: usize,
    other_n: usize,
    pub decided: Vec<Decided>,
    /// General cases to transfer, with the crime.
    pub to_transfer: Vec<(i64, usize, NaiveDate, &'static str)>,
    pub written: usize,
}

/// The case record (every field named once, here).
#[allow(clippy::too_many_arguments)]
pub(super) fn case_record(
    region: &str,
    department_id: Option<i64>,
    enterprise_id: Option<i64>,
    sector: &str,
    general: bool,
    party: (&str, &str),
    facts: (&str, &str),
    fine_fen: i64,
    measures: &str,
    status: &str,
    registered: NaiveDate,
    decided: Option<NaiveDate>,
    campaign: Option<String>,
    inspection_id: Option<i64>,
) -> Result<Case> {
    let after = |d: Option<NaiveDate>, days: i64| d.map(|d| d + chrono::Duration::days(days));
    let reg = Some(registered);
    let major = general && (fine_fen >= 5_000_000 || !matches!(measures, "fine" | "warning"));
    let decided_status = matches!(status, "decided" | "served" | "executed" | "closed");
    Ok(Case {
        id: 0,
        county_code: super::DEMO_COUNTY_CODE.into(),
        region_code: region.into(),
        department_id,
        enterprise_id,
        sector: sector.into(),
        procedure: if general { "general" } else { "simple" }.into(),
        party_kind: party.0.into(),
        party_name: party.1.into(),
        facts: facts.0.into(),
        legal_basis: facts.1.into(),
        fine_fen,
        measures: measures.into(),
        major,
        status: anjian_domain::cases::CaseStatus::parse(status)
            .ok_or_else(|| AppError::Internal(format!("demo case status {status}")))?,
        registered_on: registered,
        notified_on: (general && decided_status)
            .then(|| after(reg, 25))
            .flatten(),
        legal_review: if general && decided_status {
            "经法制审核，事实清楚、证据确凿、适用依据正确、程序合法".into()
        } else {
            String::new()
        },
        legal_reviewed_on: (general && decided_status)
            .then(|| after(reg, 30))
            .flatten(),
        decided_on: decided,
        served_on: matches!(status, "served" | "executed" | "closed")
            .then(|| after(decided, 2))
            .flatten(),
        executed_on: matches!(status, "executed" | "closed")
            .then(|| after(decided, 12))
            .flatten(),
        closed_on: (status == "closed").then(|| after(decided, 20)).flatten(),
        hazard_id: None,
        inspection_id,
        campaign,
        discussed_on: (major && decided_status).then(|| after(reg, 32)).flatten(),
        extension_days: 0,
        examined_on: (general && decided_status)
            .then(|| after(reg, 20))
            .flatten(),
        // Two officers of the department on every case (行政处罚法 art. 42).
        officers: vec!["执法人员甲".into(), "执法人员乙".into()],
        version: 1,
        ..Default::default()
    })
}

impl<'a> Cases<'a> {
    pub fn new(app: &'a App, change: &'a Change<'a>) -> Self {
        Self {
            app,
            change,
            campaign_n: 0,
            hazchem_n: 0,
            other_n: 0,
            decided: Vec::new(),
            to_transfer: Vec::new(),
            written: 0,
        }
    }

    fn issue(
        &self,
        o: &Opened<'_>,
        case_id: i64,
        doc_type: &str,
        word: &str,
        title: &str,
        on: NaiveDate,
    ) -> Result<()> {
        let body = self
            .app
            .document_text_for(doc_type, "case", case_id, o.department_id, on)?;
        self.app.store.issue_document(
            self.change,
            &NewDocument {
                region_code: o.ent.region.clone(),
                sector: o.ent.sector.clone(),
                enterprise_id: Some(o.ent.id),
                department_id: o.department_id,
                doc_type: doc_type.into(),
                year: 2022,
                pattern: format!("{}{word}〔{{year}}〕{{seq}}号", o.prefix),
                entity: "case".into(),
                entity_id: case_id,
                title: format!("{title}（{}）", o.ent.name),
                body,
                issued_on: on,
            },
        )?;
        Ok(())
    }

    /// Opens a case from an inspection, with its documents.
    pub fn open(&mut self, rng: &mut Rng, o: &Opened<'_>) -> Result<()> {
        let (facts, basis) = CASE_FACTS[rng.below(CASE_FACTS.len())];
        let e = o.ent;
        let campaign = in_campaign(o.on);
        if !o.general {
            let warning = rng.chance(20);
            let fine = (5 + rng.below(25) as i64) * 10_000;
            let status = ["served", "executed", "closed"][rng.below(3)];
            let c = case_record(
                &e.region,
                Some(o.department_id),
                Some(e.id),
                &e.sector,
                false,
                ("organisation", &e.name),
                (facts, basis),
                if warning { 0 } else { fine },
                if warning { "warning" } else { "fine" },
                status,
                o.on,
                Some(o.on),
                campaign,
                Some(o.inspection_id),
            )?;
            let saved = self.app.store.create_case(self.change, &c, "demo")?;
            self.issue(
                o,
                saved.id,
                "simple_decision",
                "简罚",
                "行政（当场）处罚决定书",
                o.on,
            )?;
            self.written += 1;
            return Ok(());
        }
        let registered = o.on + chrono::Duration::days(2);
        let fine_fen = if o.emergency {
            (10 + rng.below(90) as i64) * 100_000
        } else {
            (10 + rng.below(60) as i64) * 10_000
        };
        let decided = registered + chrono::Duration::days(35 + rng.below(40) as i64);
        let status = ["decided", "served", "executed", "closed", "closed"][rng.below(5)];
        // A case that would be decided after the year (the demo's clock is 2023-01-10) is
        // still being investigated.
        let in_year = decided <= day("2022-12-31")?;
        // The measure and the transfer, by counter over the cases decided in the year (see
        // the module comment).
        let hazchem = e.sector == "hazchem";
        let (measures, crime) = if !in_year {
            ("fine", None)
        } else if hazchem {
            let n = self.hazchem_n;
            self.hazchem_n += 1;
            (
                if n % 6 == 2 {
                    "fine,stop_production"
                } else {
                    "fine"
                },
                (n % 8 == 5).then_some("非法经营罪（非法销售成品油）"),
            )
        } else if campaign.is_some() {
            let n = self.campaign_n;
            self.campaign_n += 1;
            (
                match (n % 40, n % 250) {
                    (_, 125) => "close",
                    (3, _) => "fine,stop_production",
                    (23, _) => "fine,suspend_licence",
                    _ => "fine",
                },
                (n % 45 == 20).then_some(if n.is_multiple_of(2) {
                    "重大责任事故罪（危险作业）"
                } else {
                    "非法经营罪"
                }),
            )
        } else {
            let n = self.other_n;
            self.other_n += 1;
            (
                match n % 20 {
                    7 => "fine,stop_production",
                    17 => "fine,suspend_licence",
                    _ => "fine",
                },
                (n % 30 == 10).then_some("重大责任事故罪（危险作业）"),
            )
        };
        let fine = if measures == "close" { 0 } else { fine_fen };
        let mut c = case_record(
            &e.region,
            Some(o.department_id),
            Some(e.id),
            &e.sector,
            true,
            ("organisation", &e.name),
            (facts, basis),
            fine,
            measures,
            if in_year { status } else { "investigating" },
            registered,
            in_year.then_some(decided),
            campaign.clone(),
            Some(o.inspection_id),
        )?;
        // A case decided after its agency's period (30 days for work-safety cases under
        // 原总局令第15号) carries the extension its head approved, in steps of 30 days.
        if in_year && let Some(rule) = self.app.decision_rule(&c)? {
            let took = u32::try_from((decided - registered).num_days()).unwrap_or(0);
            if took > rule.base_days {
                let needed = (took - rule.base_days).div_ceil(30) * 30;
                c.extension_days = i64::from(needed.min(rule.head_cap_days - rule.base_days));
            }
        }
        let saved = self.app.store.create_case(self.change, &c, "demo")?;
        self.written += 1;
        if !in_year {
            return Ok(());
        }
        self.issue(
            o,
            saved.id,
            "penalty_decision",
            "罚",
            "行政处罚决定书",
            decided,
        )?;
        self.decided
            .push((saved.id, o.ei, decided, campaign.is_some()));
        if let Some(crime) = crime {
            self.to_transfer.push((saved.id, o.ei, decided, crime));
        }
        Ok(())
    }
}

/// The catalogue's code of a demo crime (`transfers::CRIME_TYPES`); the crime's own name
/// stays in the facts.
fn crime_code(crime: &str) -> &'static str {
    if crime.contains("危险作业") {
        "dangerous_operation"
    } else {
        "other"
    }
}

/// Transfers a decided case to public security: reported the day after the decision, approved
/// by the head two days later, handed over the next morning (within 24 hours).
pub(super) fn transfer(
    app: &App,
    change: &Change<'_>,
    case: (i64, &str, &str, Option<i64>, &str),
    decided: NaiveDate,
    crime: &str,
    facts: &str,
) -> Result<()> {
    let (case_id, region, sector, enterprise_id, subject) = case;
    let report_on = decided + chrono::Duration::days(1);
    let decided_on = report_on + chrono::Duration::days(2);
    let handed = decided_on + chrono::Duration::days(1);
    let t = app.store.create_transfer(
        change,
        &Transfer {
            region_code: region.into(),
            sector: sector.into(),
            enterprise_id,
            case_id: Some(case_id),
            subject: subject.into(),
            crime_type: crime_code(crime).into(),
            facts: format!("{facts}（涉嫌{crime}）"),
            officers: serde_json::json!(["刘建华", "陈志刚"]).to_string(),
            persons: 1,
            report_on,
            ..Transfer::default()
        },
    )?;
    let done = Transfer {
        status: anjian_domain::transfer::TransferState::Transferred,
        decided_on: Some(decided_on),
        decided_at: Some(format!("{decided_on} 16:30")),
        decided_by: "王立新".into(),
        decided_as: "principal".into(),
        transferred_on: Some(handed),
        transferred_at: Some(format!("{handed} 10:00")),
        police_unit: "清江市公安局".into(),
        copied_to: "清江市人民检察院".into(),
        copied_on: Some(handed),
        accepted_on: Some(handed),
        ..t
    };
    app.store.update_transfer(change, &done, "transfer")?;
    Ok(())
}
