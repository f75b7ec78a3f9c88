//! Natural-disaster responses (自然灾害应对): events, their rounds of response, and each
//! township's figures (people evacuated in advance and relocated).
//!
//! Visibility: events and rounds are the county's own records, read by every regulator scope
//! in or above the county (a township reads its county's events to fill its row); enterprise-
//! bound scopes see none. A township's figures are read and written in the scope of their
//! township: a township sees and writes its own row only, the county all of them; another
//! township's row answers exactly like a missing one. Events and rounds are written by a
//! scope that admits the county (the 安委办). Every change is audited in its transaction.

use crate::audit::append_record as audit;
use crate::paging::{Keyset, Page};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::disaster::{
    DisasterFigureStatus, DisasterKind, DisasterResponseLevel, DisasterWarning,
};
use anjian_domain::minute::{parse as minute_of, text as minute_text};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A natural-disaster event of a county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterEvent)]
pub struct DisasterEvent {
    pub id: i64,
    pub county_code: String,
    pub kind: DisasterKind,
    pub name: String,
    pub start_on: NaiveDate,
    /// None while the event goes on.
    pub end_on: Option<NaiveDate>,
    pub warning_level: Option<DisasterWarning>,
    /// The county's response level for the event (the highest of its rounds, as decided).
    pub response_level: Option<DisasterResponseLevel>,
    pub summary: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "disaster_events", key id, cols EVENT_COLS;
    fn event_row -> DisasterEvent {
        id: i64,
        county_code: text,
        kind: code(DisasterKind::parse),
        name: text,
        start_on: date,
        end_on: opt_date,
        warning_level: opt_code(DisasterWarning::parse),
        response_level: opt_code(DisasterResponseLevel::parse),
        summary: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A round of response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterRound)]
pub struct DisasterRound {
    pub id: i64,
    pub event_id: i64,
    pub county_code: String,
    /// Local time.
    #[schema(value_type = String, example = "2022-06-20T08:00:00")]
    pub started_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub ended_at: Option<NaiveDateTime>,
    pub response_level: DisasterResponseLevel,
    pub account: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "disaster_rounds", key id, cols ROUND_COLS;
    fn round_row -> DisasterRound {
        id: i64,
        event_id: i64,
        county_code: text,
        started_at: code(minute_of),
        ended_at: opt_code(minute_of),
        response_level: code(DisasterResponseLevel::parse),
        account: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A township's figures for an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterFigure)]
pub struct DisasterFigure {
    pub id: i64,
    pub event_id: i64,
    pub county_code: String,
    /// The township.
    pub region_code: String,
    pub region_name: String,
    /// 紧急避险转移（人）.
    pub evacuated: i64,
    /// 紧急转移安置（人）.
    pub relocated: i64,
    /// 损坏房屋（间）.
    pub houses_damaged: Option<i64>,
    /// 直接经济损失（分）.
    pub loss_fen: Option<i64>,
    pub note: String,
    pub status: DisasterFigureStatus,
    pub reported_by: String,
    pub reported_at: String,
    pub checked_by: Option<String>,
    pub checked_at: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "disaster_figures", key id, cols FIGURE_COLS;
    fn figure_row -> DisasterFigure {
        id: i64,
        event_id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = disaster_figures.region_code), disaster_figures.region_code)",
        evacuated: i64,
        relocated: i64,
        houses_damaged: opt_i64,
        loss_fen: opt_i64,
        note: text,
        status: code(DisasterFigureStatus::parse),
        reported_by: text,
        reported_at: text,
        checked_by: opt_text,
        checked_at: opt_text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// An event to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisasterEventInput {
    /// The county (12 digits).
    pub county_code: String,
    pub kind: DisasterKind,
    pub name: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub warning_level: Option<DisasterWarning>,
    pub response_level: Option<DisasterResponseLevel>,
    pub summary: String,
}

/// A round to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisasterRoundInput {
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub response_level: DisasterResponseLevel,
    pub account: String,
}

/// A township's figures to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisasterFigureInput {
    pub event_id: i64,
    pub region_code: String,
    pub evacuated: i64,
    pub relocated: i64,
    pub houses_damaged: Option<i64>,
    pub loss_fen: Option<i64>,
    pub note: String,
}

/// Which events to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisasterFilter {
    /// Begun in `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<DisasterKind>,
}

fn event_visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::county_wide(scope, "county_code", p)
}

fn county_writable(change: &Change<'_>, county: &str) -> Result<()> {
    change.require_writable()?;
    if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(county) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

fn read_event(tx: &mut dyn crate::db::Tx, id: i64) -> Result<DisasterEvent> {
    event_row(&tx.query_one(
        &format!("SELECT {EVENT_COLS} FROM disaster_events WHERE id = ?"),
        &params![id],
    )?)
}

fn read_round(tx: &mut dyn crate::db::Tx, id: i64) -> Result<DisasterRound> {
    round_row(&tx.query_one(
        &format!("SELECT {ROUND_COLS} FROM disaster_rounds WHERE id = ?"),
        &params![id],
    )?)
}

fn read_figure(tx: &mut dyn crate::db::Tx, id: i64) -> Result<DisasterFigure> {
    figure_row(&tx.query_one(
        &format!("SELECT {FIGURE_COLS} FROM disaster_figures WHERE id = ?"),
        &params![id],
    )?)
}

/// Writes a township's figures: a new row, or the existing one if `version` matches (None
/// overwrites whatever is there: an import). The row becomes 'reported' again.
fn save_figure(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    f: &DisasterFigureInput,
    county: &str,
    version: Option<i64>,
) -> Result<DisasterFigure> {
    let now = change.ts();
    let existing = tx.query_opt(
        &format!(
            "SELECT {FIGURE_COLS} FROM disaster_figures WHERE event_id = ? AND region_code = ?"
        ),
        &params![f.event_id, f.region_code.as_str()],
    )?;
    match existing {
        None => {
            let id = tx.scalar_i64(
                "INSERT INTO disaster_figures (event_id, county_code, region_code, evacuated, relocated, houses_damaged, loss_fen, note, status, reported_by, reported_at, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?) RETURNING id",
                &params![f.event_id, county, f.region_code.as_str(), f.evacuated, f.relocated, f.houses_damaged, f.loss_fen, f.note.as_str(), change.actor.as_str(), now.as_str(), now.as_str(), now.as_str()],
            )?;
            let saved = read_figure(tx, id)?;
            audit(
                tx,
                change,
                "disaster_figure.report",
                id,
                &saved.region_code,
                None,
                Some(&saved),
            )?;
            Ok(saved)
        }
        Some(r) => {
            let before = figure_row(&r)?;
            let n = tx.execute(
                "UPDATE disaster_figures SET evacuated = ?, relocated = ?, houses_damaged = ?, loss_fen = ?, note = ?, status = 'reported', reported_by = ?, reported_at = ?, checked_by = NULL, checked_at = NULL, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![f.evacuated, f.relocated, f.houses_damaged, f.loss_fen, f.note.as_str(), change.actor.as_str(), now.as_str(), now.as_str(), before.id, version.unwrap_or(before.version)],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_figure(tx, before.id)?;
            audit(
                tx,
                change,
                "disaster_figure.report",
                before.id,
                &after.region_code,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        }
    }
}

impl Store {
    pub fn create_disaster_event(
        &self,
        change: &Change<'_>,
        e: &DisasterEventInput,
    ) -> Result<DisasterEvent> {
        county_writable(change, &e.county_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO disaster_events (county_code, kind, name, start_on, end_on, warning_level, response_level, summary, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![e.county_code.as_str(), e.kind.as_str(), e.name.as_str(), e.start_on, e.end_on, e.warning_level.map(DisasterWarning::as_str), e.response_level.map(DisasterResponseLevel::as_str), e.summary.as_str(), now.as_str(), now.as_str()],
            )?;
            let saved = read_event(tx, id)?;
            audit(tx, change, "disaster_event.create", id, &saved.county_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Updates an event if `version` still matches (409 otherwise).
    pub fn update_disaster_event(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        e: &DisasterEventInput,
    ) -> Result<DisasterEvent> {
        let before = self.get_disaster_event(change.scope, id)?;
        county_writable(change, &before.county_code)?;
        if e.county_code != before.county_code {
            return Err(StoreError::Invalid("county_code".into()));
        }
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE disaster_events SET kind = ?, name = ?, start_on = ?, end_on = ?, warning_level = ?, response_level = ?, summary = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![e.kind.as_str(), e.name.as_str(), e.start_on, e.end_on, e.warning_level.map(DisasterWarning::as_str), e.response_level.map(DisasterResponseLevel::as_str), e.summary.as_str(), now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_event(tx, id)?;
            audit(tx, change, "disaster_event.update", id, &after.county_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Deletes an event entered by mistake, with its rounds; refused (409) while townships
    /// have figures for it. The audit entries keep what was deleted.
    pub fn delete_disaster_event(&self, change: &Change<'_>, id: i64, version: i64) -> Result<()> {
        let before = self.get_disaster_event(change.scope, id)?;
        county_writable(change, &before.county_code)?;
        self.write(|tx| {
            let figures = tx.scalar_i64(
                "SELECT COUNT(*) FROM disaster_figures WHERE event_id = ?",
                &params![id],
            )?;
            if figures > 0 {
                return Err(StoreError::Conflict("figures".into()));
            }
            let rounds: Vec<DisasterRound> = tx
                .query(
                    &format!(
                        "SELECT {ROUND_COLS} FROM disaster_rounds WHERE event_id = ? ORDER BY id"
                    ),
                    &params![id],
                )?
                .iter()
                .map(round_row)
                .collect::<Result<_>>()?;
            for r in &rounds {
                tx.execute("DELETE FROM disaster_rounds WHERE id = ?", &params![r.id])?;
                audit(
                    tx,
                    change,
                    "disaster_round.delete",
                    r.id,
                    &r.county_code,
                    Some(r),
                    None,
                )?;
            }
            let n = tx.execute(
                "DELETE FROM disaster_events WHERE id = ? AND version = ?",
                &params![id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            audit(
                tx,
                change,
                "disaster_event.delete",
                id,
                &before.county_code,
                Some(&before),
                None,
            )
        })
    }

    /// An event of the caller's county (or below its region); otherwise NotFound.
    pub fn get_disaster_event(&self, scope: &Scope, id: i64) -> Result<DisasterEvent> {
        let mut p = Vec::new();
        let cond = event_visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            event_row(
                &tx.query_opt(
                    &format!("SELECT {EVENT_COLS} FROM disaster_events WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    /// One page of the events in scope, newest first.
    pub fn list_disaster_events(
        &self,
        scope: &Scope,
        f: &DisasterFilter,
        k: &Keyset,
    ) -> Result<Page<DisasterEvent>> {
        let mut p = Vec::new();
        let mut cond = event_visible(scope, &mut p);
        if let Some(d) = f.from {
            cond.push_str(" AND start_on >= ?");
            p.push(d.into());
        }
        if let Some(d) = f.to {
            cond.push_str(" AND start_on <= ?");
            p.push(d.into());
        }
        if let Some(kd) = f.kind {
            cond.push_str(" AND kind = ?");
            p.push(kd.as_str().into());
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &EVENT_COLS.to_string(),
                "disaster_events",
                "id",
                &cond,
                p,
                k,
                event_row,
                |e| e.id,
            )
        })
    }

    /// The rounds of a visible event, in order of their start.
    pub fn disaster_rounds(&self, scope: &Scope, event_id: i64) -> Result<Vec<DisasterRound>> {
        self.get_disaster_event(scope, event_id)?;
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {ROUND_COLS} FROM disaster_rounds WHERE event_id = ? ORDER BY started_at, id"),
                &params![event_id],
            )?
            .iter()
            .map(round_row)
            .collect()
        })
    }

    /// A round of a visible event.
    pub fn get_disaster_round(&self, scope: &Scope, id: i64) -> Result<DisasterRound> {
        let r = self.db().read(|tx| {
            tx.query_opt(
                &format!("SELECT {ROUND_COLS} FROM disaster_rounds WHERE id = ?"),
                &params![id],
            )?
            .map(|r| round_row(&r))
            .transpose()
        })?;
        let r = r.ok_or(StoreError::NotFound)?;
        self.get_disaster_event(scope, r.event_id)?;
        Ok(r)
    }

    pub fn add_disaster_round(
        &self,
        change: &Change<'_>,
        event_id: i64,
        r: &DisasterRoundInput,
    ) -> Result<DisasterRound> {
        let ev = self.get_disaster_event(change.scope, event_id)?;
        county_writable(change, &ev.county_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO disaster_rounds (event_id, county_code, started_at, ended_at, response_level, account, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![event_id, ev.county_code.as_str(), minute_text(r.started_at), r.ended_at.map(minute_text), r.response_level.as_str(), r.account.as_str(), now.as_str(), now.as_str()],
            )?;
            let saved = read_round(tx, id)?;
            audit(tx, change, "disaster_round.create", id, &saved.county_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn update_disaster_round(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        r: &DisasterRoundInput,
    ) -> Result<DisasterRound> {
        let before = self.get_disaster_round(change.scope, id)?;
        county_writable(change, &before.county_code)?;
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE disaster_rounds SET started_at = ?, ended_at = ?, response_level = ?, account = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![minute_text(r.started_at), r.ended_at.map(minute_text), r.response_level.as_str(), r.account.as_str(), now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_round(tx, id)?;
            audit(tx, change, "disaster_round.update", id, &after.county_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    pub fn delete_disaster_round(&self, change: &Change<'_>, id: i64, version: i64) -> Result<()> {
        let before = self.get_disaster_round(change.scope, id)?;
        county_writable(change, &before.county_code)?;
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM disaster_rounds WHERE id = ? AND version = ?",
                &params![id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            audit(
                tx,
                change,
                "disaster_round.delete",
                id,
                &before.county_code,
                Some(&before),
                None,
            )
        })
    }

    /// The townships' figures of a visible event that the scope sees (a township: its own
    /// row), in order of the township's code.
    pub fn disaster_figures(&self, scope: &Scope, event_id: i64) -> Result<Vec<DisasterFigure>> {
        self.get_disaster_event(scope, event_id)?;
        let mut p = Vec::new();
        let cond = scope_sql::regulator(scope, "region_code", &mut p);
        p.push(event_id.into());
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {FIGURE_COLS} FROM disaster_figures WHERE {cond} AND event_id = ? ORDER BY region_code"),
                &p,
            )?
            .iter()
            .map(figure_row)
            .collect()
        })
    }

    /// A township's figures, if in scope.
    pub fn get_disaster_figure(&self, scope: &Scope, id: i64) -> Result<DisasterFigure> {
        let mut p = Vec::new();
        let cond = scope_sql::regulator(scope, "region_code", &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            figure_row(
                &tx.query_opt(
                    &format!("SELECT {FIGURE_COLS} FROM disaster_figures WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    /// Reports (or corrects) a township's figures: the township must lie in the writer's
    /// scope, or the call answers NotFound like a missing row. `version` is the row's version
    /// as read (None for a first report); a stale one is a conflict.
    pub fn report_disaster_figure(
        &self,
        change: &Change<'_>,
        f: &DisasterFigureInput,
        version: Option<i64>,
    ) -> Result<DisasterFigure> {
        let ev = self.get_disaster_event(change.scope, f.event_id)?;
        if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(&f.region_code) {
            return Err(StoreError::NotFound);
        }
        change.require_writable()?;
        if !f
            .region_code
            .starts_with(ev.county_code.get(..6).unwrap_or(&ev.county_code))
        {
            return Err(StoreError::Invalid("region_code".into()));
        }
        self.write(|tx| {
            let exists = tx
                .query_opt(
                    "SELECT version FROM disaster_figures WHERE event_id = ? AND region_code = ?",
                    &params![f.event_id, f.region_code.as_str()],
                )?
                .map(|r| r.i64(0))
                .transpose()?;
            match (exists, version) {
                (Some(_), None) => return Err(StoreError::Conflict("version".into())),
                (None, Some(_)) => return Err(StoreError::Conflict("version".into())),
                _ => {}
            }
            save_figure(tx, change, f, &ev.county_code, version)
        })
    }

    /// Writes several townships' figures in one transaction (an import): each row is a first
    /// report or overwrites the row there.
    pub fn import_disaster_figures(
        &self,
        change: &Change<'_>,
        items: &[DisasterFigureInput],
    ) -> Result<usize> {
        change.require_writable()?;
        let mut counties = Vec::new();
        for f in items {
            let ev = self.get_disaster_event(change.scope, f.event_id)?;
            if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(&f.region_code)
            {
                return Err(StoreError::NotFound);
            }
            counties.push(ev.county_code);
        }
        self.write(|tx| {
            for (f, county) in items.iter().zip(&counties) {
                save_figure(tx, change, f, county, None)?;
            }
            Ok(items.len())
        })
    }

    /// Checks (核定) a township's figures if `version` still matches; the caller's scope must
    /// admit the county (the 安委办).
    pub fn check_disaster_figure(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
    ) -> Result<DisasterFigure> {
        let before = self.get_disaster_figure(change.scope, id)?;
        county_writable(change, &before.county_code)?;
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE disaster_figures SET status = 'checked', checked_by = ?, checked_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = 'reported'",
                &params![change.actor.as_str(), now.as_str(), now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_figure(tx, id)?;
            audit(tx, change, "disaster_figure.check", id, &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }
}
