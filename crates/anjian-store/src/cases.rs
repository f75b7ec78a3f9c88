//! Administrative penalty cases and their timeline (scoped, versioned, audited).

use crate::db::Value;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::cases::pause::Pause;
use anjian_domain::cases::{Overturn, RightsWaived};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct Case {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub sector: String,
    pub procedure: String,
    pub party_kind: String,
    pub party_name: String,
    pub facts: String,
    pub legal_basis: String,
    pub fine_fen: i64,
    pub measures: String,
    pub major: bool,
    pub status: anjian_domain::cases::CaseStatus,
    pub registered_on: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub legal_review: String,
    pub legal_reviewed_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub served_on: Option<NaiveDate>,
    pub executed_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub hazard_id: Option<i64>,
    pub inspection_id: Option<i64>,
    pub campaign: Option<String>,
    /// 集体讨论 held (行政处罚法 art. 57), for major decisions.
    pub discussed_on: Option<NaiveDate>,
    /// Days the decision period was extended by the head's approval (art. 60).
    pub extension_days: i64,
    /// 案件审理 done (after the investigation, before the notice).
    pub examined_on: Option<NaiveDate>,
    /// The enforcement officers on the case (at least two, 行政处罚法 art. 42).
    pub officers: Vec<String>,
    /// Complex (art. 58(3)) / of major public interest (art. 58(1)): 法制审核 first.
    pub complex: bool,
    pub public_interest: bool,
    /// '' | waived | withdrawn | absent (art. 64(8)).
    pub rights_waived: RightsWaived,
    /// The hearing notice's service and the hearing's day (arts. 64(2), 85).
    pub hearing_notified_on: Option<NaiveDate>,
    pub hearing_on: Option<NaiveDate>,
    /// Periods that do not count (decision period; surcharge).
    pub pauses: Vec<Pause>,
    /// The decision was changed, revoked, confirmed unlawful or void (art. 48), and how.
    pub overturned_on: Option<NaiveDate>,
    pub overturn: Overturn,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaseEvent {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
}

const WRITE_COLS: [&str; 37] = [
    "region_code",
    "department_id",
    "enterprise_id",
    "sector",
    "procedure",
    "party_kind",
    "party_name",
    "facts",
    "legal_basis",
    "fine_fen",
    "measures",
    "major",
    "status",
    "registered_on",
    "notified_on",
    "legal_review",
    "legal_reviewed_on",
    "decided_on",
    "served_on",
    "executed_on",
    "closed_on",
    "hazard_id",
    "inspection_id",
    "campaign",
    "county_code",
    "discussed_on",
    "extension_days",
    "examined_on",
    "officers",
    "complex",
    "public_interest",
    "rights_waived",
    "hearing_notified_on",
    "hearing_on",
    "pauses",
    "overturned_on",
    "overturn",
];

fn values(c: &Case) -> Result<[Value; 37]> {
    let officers =
        serde_json::to_string(&c.officers).map_err(|e| StoreError::Backend(e.to_string()))?;
    let pauses =
        serde_json::to_string(&c.pauses).map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok(params![
        c.region_code.as_str(),
        c.department_id,
        c.enterprise_id,
        c.sector.as_str(),
        c.procedure.as_str(),
        c.party_kind.as_str(),
        c.party_name.as_str(),
        c.facts.as_str(),
        c.legal_basis.as_str(),
        c.fine_fen,
        c.measures.as_str(),
        c.major,
        c.status.as_str(),
        c.registered_on,
        c.notified_on,
        c.legal_review.as_str(),
        c.legal_reviewed_on,
        c.decided_on,
        c.served_on,
        c.executed_on,
        c.closed_on,
        c.hazard_id,
        c.inspection_id,
        c.campaign.clone(),
        c.county_code.as_str(),
        c.discussed_on,
        c.extension_days,
        c.examined_on,
        officers,
        c.complex,
        c.public_interest,
        c.rights_waived.as_str(),
        c.hearing_notified_on,
        c.hearing_on,
        pauses,
        c.overturned_on,
        c.overturn.as_str()
    ])
}

crate::table_row! {
    table "cases", key id;
    fn row -> Case {
        id: i64,
        region_code: text,
        department_id: opt_i64,
        enterprise_id: opt_i64,
        sector: text,
        procedure: checked(|s: &str| matches!(s, "simple" | "general").then_some(())),
        party_kind: text,
        party_name: text,
        facts: text,
        legal_basis: text,
        fine_fen: i64,
        measures: text,
        major: bool,
        status: code(anjian_domain::cases::CaseStatus::parse),
        registered_on: date,
        notified_on: opt_date,
        legal_review: text,
        legal_reviewed_on: opt_date,
        decided_on: opt_date,
        served_on: opt_date,
        executed_on: opt_date,
        closed_on: opt_date,
        hazard_id: opt_i64,
        inspection_id: opt_i64,
        campaign: opt_text,
        county_code: text,
        discussed_on: opt_date,
        extension_days: i64,
        examined_on: opt_date,
        officers: json,
        complex: bool,
        public_interest: bool,
        rights_waived: code(RightsWaived::parse),
        hearing_notified_on: opt_date,
        hearing_on: opt_date,
        pauses: json,
        overturned_on: opt_date,
        overturn: code(Overturn::parse),
        version: i64,
    }
}

crate::table_row! {
    table "case_events", cols EVENT_COLS;
    fn event_row(Row) -> CaseEvent {
        at: text,
        actor: text,
        action: text,
        from_status: opt_text,
        to_status: text,
        note: text,
    }
}

fn scope_pred(scope: &Scope, p: &mut Vec<Value>) -> String {
    let mut parts = vec![scope_sql::regions(scope, "region_code", p)];
    if let Some(s) = &scope.sectors {
        parts.push(scope_sql::in_list("sector", s, p));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(scope_sql::in_list("enterprise_id", ids, p));
    }
    parts.join(" AND ")
}

fn get_in(tx: &mut dyn crate::db::Tx, scope: &Scope, id: i64) -> Result<Case> {
    let mut p = Vec::new();
    let cond = scope_pred(scope, &mut p);
    p.push(id.into());
    row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM cases WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

fn event(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    c: &Case,
    action: &str,
    from: Option<&str>,
    note: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO case_events (case_id, county_code, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &params![c.id, c.county_code.as_str(), change.ts(), change.actor.as_str(), action, from, c.status.as_str(), note],
    )?;
    Ok(())
}

/// A measure's effect on the enterprise's status, applied in the case's transaction.
fn apply_measures(tx: &mut dyn crate::db::Tx, change: &Change<'_>, c: &Case) -> Result<()> {
    let Some(eid) = c.enterprise_id else {
        return Ok(());
    };
    let status = if c.measures.split(',').any(|m| m == "close") {
        "closed"
    } else if c.measures.split(',').any(|m| m == "stop_production") {
        "suspended"
    } else {
        return Ok(());
    };
    // Closed by the decision: off the register from the decision's day (registry figures
    // as at a period's end read it).
    let closed_on = (status == "closed").then(|| match c.decided_on {
        Some(d) => d.to_string(),
        None => change.day(),
    });
    let n = tx.execute("UPDATE enterprises SET status = ?, closed_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND status <> ?", &params![status, closed_on, change.ts(), eid, status])?;
    if n > 0 {
        crate::audit::append(
            tx,
            change,
            "enterprise.status_by_case",
            "enterprise",
            &eid.to_string(),
            &c.region_code,
            None,
            Some(serde_json::json!({"status": status, "case_id": c.id})),
        )?;
    }
    Ok(())
}

impl Store {
    /// Opens a case (its first event and audit entry) in the writable scope.
    pub fn create_case(&self, change: &Change<'_>, c: &Case, action: &str) -> Result<Case> {
        self.create_case_with(change, c, action, None)
    }

    /// Opens a case; with `commission = (commission id, item code, agency)` it is recorded, in
    /// the same transaction, as opened under that 委托执法 agreement.
    pub fn create_case_with(
        &self,
        change: &Change<'_>,
        c: &Case,
        action: &str,
        commission: Option<(i64, &str, &str)>,
    ) -> Result<Case> {
        change.require_writable()?;
        if !change
            .scope
            .admits(&c.region_code, &[c.sector.as_str()], c.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                &format!(
                    "INSERT INTO cases ({}, created_at, updated_at) VALUES ({}, ?, ?) RETURNING id",
                    WRITE_COLS.join(", "),
                    crate::db::placeholders(WRITE_COLS.len())
                ),
                &[&values(c)?[..], &params![now.as_str(), now.as_str()]].concat(),
            )?;
            let saved = get_in(tx, &Scope::system(), id)?;
            if let Some((commission_id, item, agency)) = commission {
                tx.execute(
                    "INSERT INTO commissioned_cases (case_id, commission_id, item_code, agency) VALUES (?, ?, ?, ?)",
                    &params![id, commission_id, item, agency],
                )?;
            }
            event(tx, change, &saved, action, None, "")?;
            if saved.decided_on.is_some() {
                apply_measures(tx, change, &saved)?;
            }
            crate::audit::append_json(
                tx,
                change,
                "case.create",
                "case",
                &id.to_string(),
                &saved.region_code,
                None::<&()>,
                Some(&saved),
            )?;
            Ok(saved)
        })
    }

    pub fn get_case(&self, scope: &Scope, id: i64) -> Result<(Case, Vec<CaseEvent>)> {
        self.db().read(|tx| {
            let c = get_in(tx, scope, id)?;
            let ev = tx
                .query(
                    &format!("SELECT {EVENT_COLS} FROM case_events WHERE case_id = ? ORDER BY id"),
                    &params![id],
                )?
                .into_iter()
                .map(event_row)
                .collect::<Result<_>>()?;
            Ok((c, ev))
        })
    }

    pub fn list_cases(
        &self,
        scope: &Scope,
        procedure: Option<&str>,
        status: Option<&str>,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Case>> {
        let mut p = Vec::new();
        let mut cond = scope_pred(scope, &mut p);
        if let Some(x) = procedure {
            cond.push_str(" AND procedure = ?");
            p.push(x.into());
        }
        if let Some(x) = status {
            cond.push_str(" AND status = ?");
            p.push(x.into());
        }
        let cols = COLS.to_string();
        self.db().read(|tx| {
            crate::paging::read_page(tx, &cols, "cases", "id", &cond, p, k, row, |c| c.id)
        })
    }

    /// Applies a case step if `version` still matches; a decision with measures updates the
    /// enterprise's status in the same transaction.
    pub fn update_case(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        c: &Case,
        action: &str,
        note: &str,
    ) -> Result<Case> {
        change.require_writable()?;
        if !change
            .scope
            .admits(&c.region_code, &[c.sector.as_str()], c.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            let n = tx.execute(
                &format!("UPDATE cases SET {}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")),
                &[&values(c)?[..], &params![now.as_str(), id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = get_in(tx, &Scope::system(), id)?;
            event(tx, change, &after, action, Some(before.status.as_str()), note)?;
            if before.decided_on.is_none() && after.decided_on.is_some() {
                apply_measures(tx, change, &after)?;
            }
            crate::audit::append_json(tx, change, &format!("case.{action}"), "case", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Row, Value};

    /// A stored case row: text everywhere but where a column holds a number, a flag, JSON
    /// or a code.
    fn stored() -> Vec<Value> {
        COLUMNS
            .iter()
            .map(|(name, _)| match *name {
                "id" => Value::Int(9),
                "department_id" | "enterprise_id" | "hazard_id" | "inspection_id" => Value::Null,
                "fine_fen" | "extension_days" | "version" => Value::Int(0),
                "major" | "complex" | "public_interest" => Value::Bool(false),
                "procedure" => Value::Text("general".into()),
                "status" => Value::Text("decided".into()),
                "officers" | "pauses" => Value::Text("[]".into()),
                "rights_waived" => Value::Text("withdrawn".into()),
                "overturn" => Value::Text(String::new()),
                "campaign" | "hearing_notified_on" | "hearing_on" | "overturned_on" => Value::Null,
                n if n.ends_with("_on") => Value::Text("2022-06-01".into()),
                _ => Value::Text("x".into()),
            })
            .collect()
    }

    #[test]
    fn dates_and_codes_read_as_domain_types_and_a_bad_one_is_named() {
        let c = row(&Row(stored())).unwrap();
        assert_eq!(c.registered_on.to_string(), "2022-06-01");
        assert_eq!(
            c.decided_on.map(|d| d.to_string()).as_deref(),
            Some("2022-06-01")
        );
        assert_eq!(c.rights_waived, RightsWaived::Withdrawn);
        assert_eq!(c.overturn, Overturn::NotOverturned);
        // The JSON keeps its codes and `YYYY-MM-DD` dates.
        let j = serde_json::to_value(&c).unwrap();
        assert_eq!(j["decided_on"], "2022-06-01");
        assert_eq!(
            (j["rights_waived"].as_str(), j["overturn"].as_str()),
            (Some("withdrawn"), Some(""))
        );
        for (column, bad) in [
            ("registered_on", "2022-02-30"),
            ("served_on", "soon"),
            ("closed_on", "2022/06/01"),
            ("rights_waived", "maybe"),
            ("overturn", "reversed"),
        ] {
            let mut values = stored();
            values[crate::db::col(COLUMNS, column)] = Value::Text(bad.into());
            match row(&Row(values)) {
                Err(StoreError::Corrupt {
                    table,
                    row,
                    column: c,
                    value,
                }) => assert_eq!((table, row, c, value.as_str()), ("cases", 9, column, bad)),
                other => panic!("{column}: {other:?}"),
            }
        }
    }
}
