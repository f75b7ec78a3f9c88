//! The publicity (公示) of penalty decisions: one record per decided case, withdrawn with a
//! reason when the decision is revoked or changed.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::publicity::PublicityState;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Publicity {
    pub case_id: i64,
    pub published_on: NaiveDate,
    pub channel: String,
    pub url: String,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdraw_reason: String,
}

impl Publicity {
    pub fn state(&self) -> PublicityState {
        if self.withdrawn_on.is_some() {
            PublicityState::Withdrawn
        } else {
            PublicityState::Published
        }
    }
}

crate::table_row! {
    table "decision_publicity", key case_id;
    fn row -> Publicity {
        case_id: i64,
        published_on: date,
        channel: text,
        url: text,
        withdrawn_on: opt_date,
        withdraw_reason: text,
    }
}

impl Store {
    /// Records the publicity of a case's decision (once).
    pub fn publish_decision(
        &self,
        change: &Change<'_>,
        case_id: i64,
        on: NaiveDate,
        channel: &str,
        url: &str,
    ) -> Result<Publicity> {
        change.require_writable()?;
        let (c, _) = self.get_case(change.scope, case_id)?;
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO decision_publicity (case_id, published_on, channel, url, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id) DO NOTHING",
                &params![case_id, on, channel, url, now.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Duplicate("decision_publicity".into()));
            }
            let p = Publicity { case_id, published_on: on, channel: channel.into(), url: url.into(), withdrawn_on: None, withdraw_reason: String::new() };
            crate::audit::append_json(tx, change, "case.publicity", "case", &case_id.to_string(), &c.region_code, None::<&()>, Some(&p))?;
            Ok(p)
        })
    }

    /// Records the withdrawal of a decision's publicity (e.g. the decision was revoked).
    pub fn withdraw_publicity(
        &self,
        change: &Change<'_>,
        case_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<Publicity> {
        change.require_writable()?;
        let (c, _) = self.get_case(change.scope, case_id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE decision_publicity SET withdrawn_on = ?, withdraw_reason = ? WHERE case_id = ? AND withdrawn_on IS NULL",
                &params![on, reason, case_id],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("not published or already withdrawn".into()));
            }
            let p = row(&tx.query_one(&format!("SELECT {COLS} FROM decision_publicity WHERE case_id = ?"), &params![case_id])?)?;
            crate::audit::append_json(tx, change, "case.publicity_withdraw", "case", &case_id.to_string(), &c.region_code, None::<&()>, Some(&p))?;
            Ok(p)
        })
    }

    /// Publicity records of the given cases (the caller has already read the cases in scope).
    pub fn publicity_of(&self, case_ids: &[i64]) -> Result<Vec<Publicity>> {
        let mut p = Vec::new();
        let c = scope_sql::in_list("case_id", case_ids, &mut p);
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {COLS} FROM decision_publicity WHERE {c}"),
                &p,
            )?
            .iter()
            .map(row)
            .collect()
        })
    }
}
