//! 挂牌督办 records: listings, their timeline and their yearly figures.

use crate::db::Value;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Listing {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub hazard_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub sector: String,
    pub title: String,
    pub responsible_unit: String,
    pub state: anjian_domain::listing::ListingState,
    pub proposed_on: NaiveDate,
    pub approved_on: Option<NaiveDate>,
    pub doc_no: String,
    pub listed_on: Option<NaiveDate>,
    pub listing_announced_on: Option<NaiveDate>,
    pub listing_channel: String,
    pub deadline: NaiveDate,
    pub extensions: i64,
    pub verified_on: Option<NaiveDate>,
    pub delisted_on: Option<NaiveDate>,
    pub delisting_announced_on: Option<NaiveDate>,
    pub delisting_channel: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ListingEvent {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: String,
}

crate::table_row! {
    table "listings", key id;
    fn row -> Listing {
        id: i64,
        county_code: text,
        region_code: text,
        hazard_id: opt_i64,
        enterprise_id: opt_i64,
        sector: text,
        title: text,
        responsible_unit: text,
        state: code(anjian_domain::listing::ListingState::parse),
        proposed_on: date,
        approved_on: opt_date,
        doc_no: text,
        listed_on: opt_date,
        listing_announced_on: opt_date,
        listing_channel: text,
        deadline: date,
        extensions: i64,
        verified_on: opt_date,
        delisted_on: opt_date,
        delisting_announced_on: opt_date,
        delisting_channel: text,
        version: i64,
    }
}

crate::table_row! {
    table "listing_events", cols EVENT_COLS;
    fn event_row(Row) -> ListingEvent {
        at: text,
        actor: text,
        action: text,
        from_state: opt_text,
        to_state: text,
        note: text,
    }
}

const WRITE_COLS: [&str; 19] = [
    "region_code",
    "hazard_id",
    "enterprise_id",
    "sector",
    "title",
    "responsible_unit",
    "state",
    "proposed_on",
    "approved_on",
    "doc_no",
    "listed_on",
    "listing_announced_on",
    "listing_channel",
    "deadline",
    "extensions",
    "verified_on",
    "delisted_on",
    "delisting_announced_on",
    "delisting_channel",
];

fn values(l: &Listing) -> [Value; 19] {
    params![
        l.region_code.as_str(),
        l.hazard_id,
        l.enterprise_id,
        l.sector.as_str(),
        l.title.as_str(),
        l.responsible_unit.as_str(),
        l.state.as_str(),
        l.proposed_on,
        l.approved_on,
        l.doc_no.as_str(),
        l.listed_on,
        l.listing_announced_on,
        l.listing_channel.as_str(),
        l.deadline,
        l.extensions,
        l.verified_on,
        l.delisted_on,
        l.delisting_announced_on,
        l.delisting_channel.as_str()
    ]
}

fn scope_sql(scope: &Scope, p: &mut Vec<Value>) -> String {
    let mut parts = vec![scope_sql::regions(scope, "region_code", p)];
    if let Some(s) = &scope.sectors {
        parts.push(scope_sql::in_list("sector", s, p));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(scope_sql::in_list("enterprise_id", ids, p));
    }
    parts.join(" AND ")
}

fn admitted(scope: &Scope, l: &Listing) -> bool {
    scope.admits(&l.region_code, &[l.sector.as_str()], l.enterprise_id)
}

fn get_in(tx: &mut dyn crate::db::Tx, scope: &Scope, id: i64) -> Result<Listing> {
    let mut p = Vec::new();
    let cond = scope_sql(scope, &mut p);
    p.push(id.into());
    row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM listings WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

fn event(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    l: &Listing,
    action: &str,
    from: Option<&str>,
    note: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO listing_events (listing_id, county_code, at, actor, action, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &params![l.id, l.county_code.as_str(), change.ts(), change.actor.as_str(), action, from, l.state.as_str(), note],
    )?;
    Ok(())
}

impl Store {
    /// Proposes a listing (state `proposed`); the listing must lie in the writable scope.
    pub fn create_listing(&self, change: &Change<'_>, l: &Listing) -> Result<Listing> {
        change.require_writable()?;
        if !admitted(change.scope, l) {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&l.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                &format!(
                    "INSERT INTO listings (county_code, {}, created_at, updated_at) VALUES (?, {}, ?, ?) RETURNING id",
                    WRITE_COLS.join(", "),
                    crate::db::placeholders(WRITE_COLS.len())
                ),
                &[&params![county.as_str()][..], &values(l), &params![now.as_str(), now.as_str()]].concat(),
            )?;
            let saved = get_in(tx, &Scope::system(), id)?;
            event(tx, change, &saved, "propose", None, "")?;
            crate::audit::append_json(tx, change, "listing.create", "listing", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_listing(&self, scope: &Scope, id: i64) -> Result<(Listing, Vec<ListingEvent>)> {
        self.db().read(|tx| {
            let l = get_in(tx, scope, id)?;
            let events = tx
                .query(
                    &format!(
                        "SELECT {EVENT_COLS} FROM listing_events WHERE listing_id = ? ORDER BY id"
                    ),
                    &params![id],
                )?
                .into_iter()
                .map(event_row)
                .collect::<Result<_>>()?;
            Ok((l, events))
        })
    }

    /// Listings in scope; `year` keeps those active in that year (proposed or listed in it,
    /// or listed before it and not de-listed before it: carried over).
    pub fn list_listings(&self, scope: &Scope, year: Option<i32>) -> Result<Vec<Listing>> {
        let mut p = Vec::new();
        let mut cond = scope_sql(scope, &mut p);
        if let Some(y) = year {
            cond.push_str(" AND proposed_on <= ? AND (delisted_on IS NULL OR delisted_on >= ?)");
            p.push(format!("{y}-12-31").into());
            p.push(format!("{y}-01-01").into());
        }
        let sql = format!("SELECT {COLS} FROM listings WHERE {cond} ORDER BY id DESC");
        self.db()
            .read(|tx| tx.query(&sql, &p)?.iter().map(row).collect())
    }

    /// Applies a listing step (fields, timeline, audit) if `version` still matches.
    pub fn update_listing(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        l: &Listing,
        action: &str,
        note: &str,
    ) -> Result<Listing> {
        change.require_writable()?;
        if !admitted(change.scope, l) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            let n = tx.execute(
                &format!(
                    "UPDATE listings SET {}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
                ),
                &[&values(l)[..], &params![now.as_str(), id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = get_in(tx, &Scope::system(), id)?;
            event(tx, change, &after, action, Some(before.state.as_str()), note)?;
            crate::audit::append_json(tx, change, &format!("listing.{action}"), "listing", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }
}
