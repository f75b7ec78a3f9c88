//! One-key dispatch (一键调度): the county's notifiers (channels), dispatches with their
//! recipients, and the outbox the job runner sends from.
//!
//! A dispatch is a regulator's record at its place (`scope_sql::regulator`); it is written in
//! one transaction with its recipients and the outbox messages of the first level, so a
//! message is queued exactly when the dispatch exists. Instances claim outbox rows with a
//! conditional update (`claimed_until` in the past or unset), so one row is sent by one
//! instance at a time; a crashed instance's claim expires and the row is sent again (the
//! receiver sees the same `X-Anjian-Delivery`). Escalation moves `level_reached` with a
//! compare-and-set on its old value, so two instances escalate a dispatch once.

use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, Value, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::dispatch::{ChannelKind, ConfirmVia, DispatchEntity, reaches};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A notifier as stored; `config` is its JSON (secrets included: the use case masks them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub id: i64,
    pub county_code: String,
    pub kind: ChannelKind,
    pub name: String,
    pub config: String,
    pub active: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "dispatch_channels", key id, cols CHANNEL_COLS;
    fn channel_row -> Channel {
        id: i64,
        county_code: text,
        kind: code(ChannelKind::parse),
        name: text,
        config: text,
        active: bool,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A dispatch as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Dispatch {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub entity: DispatchEntity,
    pub entity_id: Option<i64>,
    pub title: String,
    pub message: String,
    /// The channels it was sent through (ids, comma-separated).
    pub channel_ids: String,
    pub escalate_minutes: i64,
    /// The highest level notified so far.
    pub level_reached: i64,
    /// When that level was notified.
    pub escalated_at: String,
    pub created_by_name: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Recipients notified so far, and how many of them confirmed.
    pub notified: i64,
    pub confirmed: i64,
    pub version: i64,
}

crate::table_row! {
    table "dispatches", key id, cols DISPATCH_COLS;
    fn dispatch_row -> Dispatch {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = dispatches.region_code), dispatches.region_code)",
        entity: code(DispatchEntity::parse),
        entity_id: opt_i64,
        title: text,
        message: text,
        channel_ids: text,
        escalate_minutes: i64,
        level_reached: i64,
        escalated_at: text,
        created_by_name: text,
        created_at: text,
        closed_at: opt_text,
        notified: i64 = "(SELECT COUNT(*) FROM dispatch_recipients x WHERE x.dispatch_id = dispatches.id AND x.notified_at IS NOT NULL)",
        confirmed: i64 = "(SELECT COUNT(*) FROM dispatch_recipients x WHERE x.dispatch_id = dispatches.id AND x.confirmed_at IS NOT NULL)",
        version: i64,
    }
}

/// A recipient of a dispatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = DispatchRecipient)]
pub struct Recipient {
    pub id: i64,
    pub dispatch_id: i64,
    pub level: i64,
    pub role: String,
    pub name: String,
    pub unit: String,
    pub phone: String,
    pub email: String,
    #[serde(skip)]
    pub token: String,
    pub notified_at: Option<String>,
    pub delivered_at: Option<String>,
    pub confirmed_at: Option<String>,
    pub confirmed_via: Option<ConfirmVia>,
    pub reply: String,
}

crate::table_row! {
    table "dispatch_recipients", key id, cols RECIPIENT_COLS;
    fn recipient_row -> Recipient {
        id: i64,
        dispatch_id: i64,
        level: i64,
        role: text,
        name: text,
        unit: text,
        phone: text,
        email: text,
        token: text,
        notified_at: opt_text,
        delivered_at: opt_text,
        confirmed_at: opt_text,
        confirmed_via: opt_code(ConfirmVia::parse),
        reply: text,
    }
}

/// One message of the outbox, as shown on the dispatch's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = DispatchDelivery)]
pub struct Delivery {
    pub id: i64,
    pub recipient_id: i64,
    pub channel_id: i64,
    pub channel_name: String,
    pub channel_kind: ChannelKind,
    /// pending, sent or failed.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub sent_at: Option<String>,
    pub last_error: String,
    pub created_at: String,
}

crate::table_row! {
    table "dispatch_outbox", key id, cols DELIVERY_COLS;
    fn delivery_row -> Delivery {
        id: i64,
        recipient_id: i64,
        channel_id: i64,
        channel_name: text = "(SELECT c.name FROM dispatch_channels c WHERE c.id = dispatch_outbox.channel_id)",
        channel_kind: code(ChannelKind::parse) = "(SELECT c.kind FROM dispatch_channels c WHERE c.id = dispatch_outbox.channel_id)",
        status: text,
        attempts: i64,
        next_attempt_at: text,
        sent_at: opt_text,
        last_error: text,
        created_at: text,
    }
}

/// A dispatch with its recipients and messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DispatchDetail {
    pub dispatch: Dispatch,
    pub recipients: Vec<Recipient>,
    pub deliveries: Vec<Delivery>,
}

/// A recipient to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecipient {
    pub level: i64,
    pub role: String,
    pub name: String,
    pub unit: String,
    pub phone: String,
    pub email: String,
    /// The secret of the confirmation link (see `dispatch::is_token`).
    pub token: String,
}

/// A dispatch to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispatch {
    pub region_code: String,
    pub entity: DispatchEntity,
    pub entity_id: Option<i64>,
    pub title: String,
    pub message: String,
    pub channel_ids: Vec<i64>,
    pub escalate_minutes: i64,
    pub recipients: Vec<NewRecipient>,
    /// The dispatcher's name as shown.
    pub created_by_name: String,
}

/// A claimed message, with what the notifier needs to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    pub dispatch_id: i64,
    pub attempts: i64,
    pub kind: ChannelKind,
    pub config: String,
    pub title: String,
    pub message: String,
    /// The lowest level of the dispatch: a recipient above it was brought in by escalation.
    pub first_level: i64,
    pub level: i64,
    pub role: String,
    pub name: String,
    pub unit: String,
    pub phone: String,
    pub email: String,
    pub token: String,
}

/// Which dispatches to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DispatchFilter {
    pub entity: Option<DispatchEntity>,
    pub entity_id: Option<i64>,
    pub open_only: bool,
    pub limit: i64,
}

fn dispatch_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Dispatch> {
    let mut p = Vec::new();
    let cond = scope_sql::regulator(scope, "dispatches.region_code", &mut p);
    p.push(id.into());
    dispatch_row(
        &tx.query_opt(
            &format!("SELECT {DISPATCH_COLS} FROM dispatches WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

fn read_dispatch(tx: &mut dyn Tx, id: i64) -> Result<Dispatch> {
    dispatch_row(&tx.query_one(
        &format!("SELECT {DISPATCH_COLS} FROM dispatches WHERE id = ?"),
        &params![id],
    )?)
}

fn recipients_of(tx: &mut dyn Tx, id: i64) -> Result<Vec<Recipient>> {
    tx.query(
        &format!("SELECT {RECIPIENT_COLS} FROM dispatch_recipients WHERE dispatch_id = ? ORDER BY level, id"),
        &params![id],
    )?
    .iter()
    .map(recipient_row)
    .collect()
}

fn read_channel(tx: &mut dyn Tx, id: i64) -> Result<Channel> {
    channel_row(&tx.query_one(
        &format!("SELECT {CHANNEL_COLS} FROM dispatch_channels WHERE id = ?"),
        &params![id],
    )?)
}

fn read_recipient(tx: &mut dyn Tx, id: i64) -> Result<Recipient> {
    recipient_row(&tx.query_one(
        &format!("SELECT {RECIPIENT_COLS} FROM dispatch_recipients WHERE id = ?"),
        &params![id],
    )?)
}

/// The recipient holding a link's token.
fn recipient_by_token(tx: &mut dyn Tx, token: &str) -> Result<Option<Recipient>> {
    tx.query_opt(
        &format!("SELECT {RECIPIENT_COLS} FROM dispatch_recipients WHERE token = ?"),
        &params![token],
    )?
    .map(|r| recipient_row(&r))
    .transpose()
}

fn channel_ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}

/// Marks the recipients of `level` notified at `now` and queues one message per channel that
/// reaches each of them (the unique key keeps a message from being queued twice).
fn notify_level(
    tx: &mut dyn Tx,
    d: &Dispatch,
    level: i64,
    channels: &[Channel],
    now: &str,
) -> Result<usize> {
    let list: Vec<Recipient> = recipients_of(tx, d.id)?
        .into_iter()
        .filter(|r| r.level == level && r.notified_at.is_none())
        .collect();
    let mut queued = 0;
    for r in &list {
        tx.execute(
            "UPDATE dispatch_recipients SET notified_at = ? WHERE id = ? AND notified_at IS NULL",
            &params![now, r.id],
        )?;
        for c in channels
            .iter()
            .filter(|c| c.active && reaches(c.kind, &r.phone, &r.email))
        {
            queued += tx.execute(
                "INSERT INTO dispatch_outbox (dispatch_id, recipient_id, channel_id, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING",
                &params![d.id, r.id, c.id, now, now],
            )? as usize;
        }
    }
    Ok(queued)
}

fn channels_by_ids(tx: &mut dyn Tx, county: &str, ids: &[i64]) -> Result<Vec<Channel>> {
    let mut out = Vec::new();
    for id in ids {
        let c = tx
            .query_opt(
                &format!(
                    "SELECT {CHANNEL_COLS} FROM dispatch_channels WHERE id = ? AND county_code = ?"
                ),
                &params![*id, county],
            )?
            .ok_or_else(|| StoreError::Invalid("channel_ids".into()))?;
        out.push(channel_row(&c)?);
    }
    Ok(out)
}

impl Store {
    /// The channels of `county` (a county's code), for any regulator whose scope lies in the
    /// county (a township chooses from the county's channels); none for an enterprise scope
    /// or one outside the county.
    pub fn dispatch_channels(&self, scope: &Scope, county: &str) -> Result<Vec<Channel>> {
        let head = county.get(..6).unwrap_or(county);
        let inside = scope
            .region_prefixes
            .iter()
            .any(|p| p.starts_with(head) || head.starts_with(p.as_str()));
        if scope.enterprise_ids.is_some() || !inside {
            return Ok(Vec::new());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {CHANNEL_COLS} FROM dispatch_channels WHERE county_code = ? ORDER BY id"
                ),
                &params![county],
            )?
            .iter()
            .map(channel_row)
            .collect()
        })
    }

    /// A channel by id, for a gateway's signed callback (the signature is the credential,
    /// checked by the use case against the channel's secret).
    pub fn dispatch_channel_for_callback(&self, id: i64) -> Result<Option<Channel>> {
        self.db().read(|tx| {
            tx.query_opt(
                &format!("SELECT {CHANNEL_COLS} FROM dispatch_channels WHERE id = ? AND active"),
                &params![id],
            )?
            .map(|r| channel_row(&r))
            .transpose()
        })
    }

    /// Adds a channel to the county (`county` the county's region code).
    pub fn create_dispatch_channel(
        &self,
        change: &Change<'_>,
        county: &str,
        kind: ChannelKind,
        name: &str,
        config: &str,
        active: bool,
    ) -> Result<Channel> {
        change.require_regulator_at(county)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO dispatch_channels (county_code, kind, name, config, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county, kind.as_str(), name, config, active, now.as_str(), now.as_str()],
            )?;
            let saved = read_channel(tx, id)?;
            audit(tx, change, "dispatch_channel.create", id, county, None, Some(&masked(&saved)))?;
            Ok(saved)
        })
    }

    /// Changes a channel (optimistic on `version`).
    pub fn update_dispatch_channel(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        name: &str,
        config: &str,
        active: bool,
    ) -> Result<Channel> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let mut p = Vec::new();
            let cond = scope_sql::regulator(change.scope, "dispatch_channels.county_code", &mut p);
            p.push(id.into());
            let before = channel_row(
                &tx.query_opt(
                    &format!("SELECT {CHANNEL_COLS} FROM dispatch_channels WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )?;
            change.require_regulator_at(&before.county_code)?;
            let n = tx.execute(
                "UPDATE dispatch_channels SET name = ?, config = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![name, config, active, now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_channel(tx, id)?;
            audit(
                tx,
                change,
                "dispatch_channel.update",
                id,
                &after.county_code,
                Some(&masked(&before)),
                Some(&masked(&after)),
            )?;
            Ok(after)
        })
    }

    /// Writes a dispatch, its recipients and the first level's messages in one transaction.
    pub fn create_dispatch(&self, change: &Change<'_>, d: &NewDispatch) -> Result<DispatchDetail> {
        change.require_regulator_at(&d.region_code)?;
        let county = crate::county_of(&d.region_code)?;
        let first = d
            .recipients
            .iter()
            .map(|r| r.level)
            .min()
            .ok_or_else(|| StoreError::Invalid("recipients".into()))?;
        let now = change.ts();
        let ids = d
            .channel_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.write(|tx| {
            let channels = channels_by_ids(tx, &county, &d.channel_ids)?;
            if channels.iter().any(|c| !c.active) {
                return Err(StoreError::Invalid("channel_ids".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO dispatches (county_code, region_code, entity, entity_id, title, message, channel_ids, escalate_minutes, level_reached, escalated_at, created_by, created_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), d.region_code.as_str(), d.entity.as_str(), d.entity_id, d.title.as_str(), d.message.as_str(), ids.as_str(), d.escalate_minutes, first, now.as_str(), change.actor_id, d.created_by_name.as_str(), now.as_str()],
            )?;
            for r in &d.recipients {
                tx.execute(
                    "INSERT INTO dispatch_recipients (dispatch_id, level, role, name, unit, phone, email, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    &params![id, r.level, r.role.as_str(), r.name.as_str(), r.unit.as_str(), r.phone.as_str(), r.email.as_str(), r.token.as_str()],
                )?;
            }
            let saved = read_dispatch(tx, id)?;
            notify_level(tx, &saved, first, &channels, &now)?;
            let fresh = read_dispatch(tx, id)?;
            let detail = detail_of(tx, fresh)?;
            audit(tx, change, "dispatch.create", id, &saved.region_code, None, Some(&detail.dispatch))?;
            Ok(detail)
        })
    }

    /// The scope's dispatches, latest first.
    pub fn dispatches(&self, scope: &Scope, f: &DispatchFilter) -> Result<Vec<Dispatch>> {
        let mut p: Vec<Value> = Vec::new();
        let mut cond = scope_sql::regulator(scope, "dispatches.region_code", &mut p);
        if let Some(e) = f.entity {
            cond.push_str(" AND entity = ?");
            p.push(e.as_str().into());
        }
        if let Some(id) = f.entity_id {
            cond.push_str(" AND entity_id = ?");
            p.push(id.into());
        }
        if f.open_only {
            cond.push_str(" AND closed_at IS NULL");
        }
        let limit = if f.limit > 0 { f.limit.min(1000) } else { 200 };
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {DISPATCH_COLS} FROM dispatches WHERE {cond} ORDER BY created_at DESC, id DESC LIMIT {limit}"),
                &p,
            )?
            .iter()
            .map(dispatch_row)
            .collect()
        })
    }

    pub fn get_dispatch(&self, scope: &Scope, id: i64) -> Result<DispatchDetail> {
        self.db().read(|tx| {
            let d = dispatch_in(tx, scope, id)?;
            detail_of(tx, d)
        })
    }

    /// Claims up to `limit` messages due at `now` for `instance` until `until`.
    pub fn claim_outbox(
        &self,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxItem>> {
        let (now, until) = (crate::ts(now), crate::ts(until));
        self.write(|tx| {
            let ids: Vec<i64> = tx
                .query(
                    &format!("SELECT id FROM dispatch_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, id LIMIT {}", limit.clamp(1, 500)),
                    &params![now.as_str(), now.as_str()],
                )?
                .iter()
                .map(|r| r.i64(0))
                .collect::<Result<_>>()?;
            let mut out = Vec::new();
            for id in ids {
                let n = tx.execute(
                    "UPDATE dispatch_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)",
                    &params![instance, until.as_str(), id, now.as_str()],
                )?;
                if n == 1 {
                    let r = tx.query_one(
                        "SELECT o.id, o.dispatch_id, o.attempts, c.kind, c.config, d.title, d.message, \
                         (SELECT MIN(x.level) FROM dispatch_recipients x WHERE x.dispatch_id = d.id), \
                         r.level, r.role, r.name, r.unit, r.phone, r.email, r.token \
                         FROM dispatch_outbox o JOIN dispatch_channels c ON c.id = o.channel_id \
                         JOIN dispatches d ON d.id = o.dispatch_id JOIN dispatch_recipients r ON r.id = o.recipient_id \
                         WHERE o.id = ?",
                        &params![id],
                    )?;
                    out.push(OutboxItem {
                        id: r.i64(0)?,
                        dispatch_id: r.i64(1)?,
                        attempts: r.i64(2)?,
                        kind: ChannelKind::parse(&r.text(3)?)
                            .ok_or_else(|| StoreError::Backend("dispatch_channels.kind".into()))?,
                        config: r.text(4)?,
                        title: r.text(5)?,
                        message: r.text(6)?,
                        first_level: r.i64(7)?,
                        level: r.i64(8)?,
                        role: r.text(9)?,
                        name: r.text(10)?,
                        unit: r.text(11)?,
                        phone: r.text(12)?,
                        email: r.text(13)?,
                        token: r.text(14)?,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Records a message sent by `instance` (ignored if its claim was lost).
    pub fn outbox_sent(&self, id: i64, instance: &str, at: DateTime<Utc>) -> Result<bool> {
        let at = crate::ts(at);
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE dispatch_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = '' WHERE id = ? AND claimed_by = ? AND status = 'pending'",
                &params![at.as_str(), id, instance],
            )?;
            if n == 1 {
                tx.execute(
                    "UPDATE dispatch_recipients SET delivered_at = ? WHERE delivered_at IS NULL AND id = (SELECT recipient_id FROM dispatch_outbox WHERE id = ?)",
                    &params![at.as_str(), id],
                )?;
            }
            Ok(n == 1)
        })
    }

    /// Records a failed attempt: retried at `retry_at`, or given up when `None`.
    pub fn outbox_failed(
        &self,
        id: i64,
        instance: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let error: String = error.chars().take(500).collect();
        self.write(|tx| {
            match retry_at {
                Some(t) => tx.execute(
                    "UPDATE dispatch_outbox SET attempts = attempts + 1, next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'",
                    &params![crate::ts(t), error.as_str(), id, instance],
                )?,
                None => tx.execute(
                    "UPDATE dispatch_outbox SET attempts = attempts + 1, status = 'failed', claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'",
                    &params![error.as_str(), id, instance],
                )?,
            };
            Ok(())
        })
    }

    /// Open dispatches (for the escalation job), oldest first.
    pub fn open_dispatches(&self) -> Result<Vec<DispatchDetail>> {
        self.db().read(|tx| {
            let list = tx
                .query(
                    &format!(
                        "SELECT {DISPATCH_COLS} FROM dispatches WHERE closed_at IS NULL ORDER BY id"
                    ),
                    &[],
                )?
                .iter()
                .map(dispatch_row)
                .collect::<Result<Vec<_>>>()?;
            list.into_iter().map(|d| detail_of(tx, d)).collect()
        })
    }

    /// Brings in `level` of dispatch `id` if it still stands at `from` (compare-and-set):
    /// returns whether this call escalated it.
    pub fn escalate_dispatch(
        &self,
        change: &Change<'_>,
        id: i64,
        from: i64,
        level: i64,
    ) -> Result<bool> {
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE dispatches SET level_reached = ?, escalated_at = ?, version = version + 1 WHERE id = ? AND level_reached = ? AND closed_at IS NULL",
                &params![level, now.as_str(), id, from],
            )?;
            if n == 0 {
                return Ok(false);
            }
            let d = read_dispatch(tx, id)?;
            let channels = channels_by_ids(tx, &d.county_code, &channel_ids(&d.channel_ids))?;
            notify_level(tx, &d, level, &channels, &now)?;
            let unconfirmed: Vec<String> = recipients_of(tx, id)?
                .into_iter()
                .filter(|r| r.level < level && r.notified_at.is_some() && r.confirmed_at.is_none())
                .map(|r| r.name)
                .collect();
            audit(
                tx,
                change,
                "dispatch.escalate",
                id,
                &d.region_code,
                Some(&serde_json::json!({ "level": from, "unconfirmed": unconfirmed })),
                Some(&serde_json::json!({ "level": level })),
            )?;
            Ok(true)
        })
    }

    /// The dispatch and recipient a link's token belongs to.
    pub fn dispatch_by_token(&self, token: &str) -> Result<Option<(Dispatch, Recipient)>> {
        self.db().read(|tx| {
            let Some(r) = recipient_by_token(tx, token)? else {
                return Ok(None);
            };
            Ok(Some((read_dispatch(tx, r.dispatch_id)?, r)))
        })
    }

    /// Records a confirmation by the link's token; `None` when no recipient has it. A second
    /// confirmation keeps the first.
    pub fn confirm_dispatch_token(
        &self,
        change: &Change<'_>,
        token: &str,
        via: ConfirmVia,
        reply: &str,
    ) -> Result<Option<(Dispatch, Recipient)>> {
        let now = change.ts();
        self.write(|tx| {
            let Some(r) = recipient_by_token(tx, token)? else {
                return Ok(None);
            };
            confirm_in(tx, change, r, via, reply, &now).map(Some)
        })
    }

    /// Records an SMS reply from `phone` to a message of `channel_id`: it confirms the
    /// latest notified, unconfirmed recipient with that phone whom the channel messaged in
    /// an open dispatch; `None` when there is none.
    pub fn confirm_dispatch_phone(
        &self,
        change: &Change<'_>,
        channel_id: i64,
        phone: &str,
        reply: &str,
    ) -> Result<Option<(Dispatch, Recipient)>> {
        let now = change.ts();
        self.write(|tx| {
            let Some(row) = tx.query_opt(
                &format!(
                    "SELECT {RECIPIENT_COLS} FROM dispatch_recipients WHERE phone = ? AND confirmed_at IS NULL AND notified_at IS NOT NULL \
                     AND id IN (SELECT o.recipient_id FROM dispatch_outbox o WHERE o.channel_id = ?) \
                     AND dispatch_id IN (SELECT d.id FROM dispatches d WHERE d.closed_at IS NULL) \
                     ORDER BY notified_at DESC, id DESC LIMIT 1"
                ),
                &params![phone, channel_id],
            )?
            else {
                return Ok(None);
            };
            let r = recipient_row(&row)?;
            confirm_in(tx, change, r, ConfirmVia::Sms, reply, &now).map(Some)
        })
    }

    /// Records a confirmation the dispatcher took by phone.
    pub fn confirm_dispatch_recipient(
        &self,
        change: &Change<'_>,
        dispatch_id: i64,
        recipient_id: i64,
        note: &str,
    ) -> Result<DispatchDetail> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let d = dispatch_in(tx, change.scope, dispatch_id)?;
            change.require_regulator_at(&d.region_code)?;
            let r = recipients_of(tx, dispatch_id)?
                .into_iter()
                .find(|r| r.id == recipient_id)
                .ok_or_else(|| StoreError::Invalid("recipient_id".into()))?;
            if r.confirmed_at.is_some() {
                return Err(StoreError::Invalid("recipient_id".into()));
            }
            confirm_in(tx, change, r, ConfirmVia::Manual, note, &now)?;
            let fresh = read_dispatch(tx, dispatch_id)?;
            detail_of(tx, fresh)
        })
    }

    /// Ends a dispatch: no more escalation; confirmations still arriving are kept.
    pub fn close_dispatch(&self, change: &Change<'_>, id: i64) -> Result<DispatchDetail> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = dispatch_in(tx, change.scope, id)?;
            change.require_regulator_at(&before.region_code)?;
            if before.closed_at.is_some() {
                return Err(StoreError::Invalid("closed".into()));
            }
            tx.execute(
                "UPDATE dispatches SET closed_at = ?, version = version + 1 WHERE id = ?",
                &params![now.as_str(), id],
            )?;
            let after = read_dispatch(tx, id)?;
            audit(
                tx,
                change,
                "dispatch.close",
                id,
                &after.region_code,
                Some(&before),
                Some(&after),
            )?;
            detail_of(tx, after)
        })
    }
}

fn confirm_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    r: Recipient,
    via: ConfirmVia,
    reply: &str,
    now: &str,
) -> Result<(Dispatch, Recipient)> {
    let reply: String = reply.chars().take(500).collect();
    tx.execute(
        "UPDATE dispatch_recipients SET confirmed_at = ?, confirmed_via = ?, reply = ? WHERE id = ? AND confirmed_at IS NULL",
        &params![now, via.as_str(), reply.as_str(), r.id],
    )?;
    let after = read_recipient(tx, r.id)?;
    let d = read_dispatch(tx, r.dispatch_id)?;
    if r.confirmed_at.is_none() {
        audit(
            tx,
            change,
            "dispatch.confirm",
            d.id,
            &d.region_code,
            None,
            Some(&serde_json::json!({
                "recipient": after.name, "level": after.level, "via": via.as_str(), "reply": after.reply,
            })),
        )?;
    }
    Ok((d, after))
}

fn detail_of(tx: &mut dyn Tx, d: Dispatch) -> Result<DispatchDetail> {
    let recipients = recipients_of(tx, d.id)?;
    let deliveries = tx
        .query(
            &format!("SELECT {DELIVERY_COLS} FROM dispatch_outbox WHERE dispatch_id = ? ORDER BY recipient_id, channel_id"),
            &params![d.id],
        )?
        .iter()
        .map(delivery_row)
        .collect::<Result<_>>()?;
    Ok(DispatchDetail {
        dispatch: d,
        recipients,
        deliveries,
    })
}

/// A channel as audited: its secrets masked.
fn masked(c: &Channel) -> serde_json::Value {
    let config = serde_json::from_str::<anjian_domain::dispatch::ChannelConfig>(&c.config)
        .map(|c| c.masked())
        .ok();
    serde_json::json!({
        "kind": c.kind.as_str(), "name": c.name, "active": c.active, "config": config,
    })
}
