//! 双随机 draws: the committed inputs, the revealed seed material, the result, the tasks it
//! created and the publicity record; and the inspectors' conflict lists (回避).

use crate::db::Row;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::draw::DrawState;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Draw {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub title: String,
    /// JSON: the filters the pools were built from (for people).
    pub criteria: String,
    /// JSON: the canonical `DrawInputs`.
    pub inputs: String,
    pub commitment: String,
    /// Revealed only once drawn (`None` before).
    pub secret: Option<String>,
    pub status: DrawState,
    pub entropy: Option<String>,
    /// JSON: the tasks as drawn.
    pub result: Option<String>,
    pub drawn_on: Option<NaiveDate>,
    pub publish_due: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub published_where: String,
    pub created_by: String,
    pub created_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DrawTaskRow {
    pub id: i64,
    pub draw_id: i64,
    pub stratum: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub region_code: String,
    /// JSON array of user ids.
    pub inspectors: String,
    pub inspection_id: Option<i64>,
}

pub struct NewDraw {
    pub region_code: String,
    pub department_id: Option<i64>,
    pub title: String,
    pub criteria: String,
    pub inputs: String,
    pub commitment: String,
    pub secret: String,
}

/// What a draw produced: the entropy used, the tasks as JSON and as rows
/// `(stratum, enterprise_id, inspectors JSON)`, and its dates.
pub struct DrawOutcome {
    pub entropy: String,
    pub result: String,
    pub drawn_on: NaiveDate,
    pub publish_due: NaiveDate,
    pub tasks: Vec<(String, i64, String)>,
}

/// Filters for the object pool (检查对象名录库).
#[derive(Debug, Clone, Default)]
pub struct PoolFilter {
    pub sector: Option<String>,
    pub region_prefix: Option<String>,
    pub key_only: bool,
    /// Exclude enterprises inspected on or after this date.
    pub inspected_since: Option<String>,
}

crate::table_row! {
    table "draws", key id;
    fn stored -> Draw {
        id: i64,
        county_code: text,
        region_code: text,
        department_id: opt_i64,
        title: text,
        criteria: text,
        inputs: text,
        commitment: text,
        secret: opt_text,
        status: code(DrawState::parse),
        entropy: opt_text,
        result: opt_text,
        drawn_on: opt_date,
        publish_due: opt_date,
        published_on: opt_date,
        published_where: text,
        created_by: text,
        created_at: text,
        version: i64,
    }
}

crate::table_row! {
    table "draw_tasks", key id, cols TASK_COLS;
    fn task_row(Row) -> DrawTaskRow {
        id: i64 = "t.id",
        draw_id: i64 = "t.draw_id",
        stratum: text = "t.stratum",
        enterprise_id: i64 = "t.enterprise_id",
        enterprise_name: text = "e.name",
        region_code: text = "t.region_code",
        inspectors: text = "t.inspectors",
        inspection_id: opt_i64 = "t.inspection_id",
    }
}

/// A draw as shown: the secret stays hidden until the draw is made.
fn row(r: &Row) -> Result<Draw> {
    let mut d = stored(r)?;
    if d.status == DrawState::Committed {
        d.secret = None;
    }
    Ok(d)
}

fn visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::regulator(scope, "region_code", p)
}

impl Store {
    pub fn create_draw(&self, change: &Change<'_>, d: &NewDraw) -> Result<Draw> {
        change.require_writable()?;
        if !change.scope.admits_region(&d.region_code) || change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&d.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO draws (county_code, region_code, department_id, title, criteria, inputs, commitment, secret, status, created_by, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'committed', ?, ?) RETURNING id",
                &params![county.as_str(), d.region_code.as_str(), d.department_id, d.title.as_str(), d.criteria.as_str(), d.inputs.as_str(), d.commitment.as_str(), d.secret.as_str(), change.actor.as_str(), now.as_str()],
            )?;
            let saved = row(&tx.query_one(&format!("SELECT {COLS} FROM draws WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "draw.commit", "draw", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_draw(&self, scope: &Scope, id: i64) -> Result<(Draw, Vec<DrawTaskRow>)> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            let d = row(&tx.query_opt(&format!("SELECT {COLS} FROM draws WHERE {cond} AND id = ?"), &p)?.ok_or(StoreError::NotFound)?)?;
            let tasks = tx
                .query(
                    &format!("SELECT {TASK_COLS} FROM draw_tasks t JOIN enterprises e ON e.id = t.enterprise_id WHERE t.draw_id = ? ORDER BY t.id"),
                    &params![id],
                )?
                .into_iter()
                .map(task_row)
                .collect::<Result<Vec<_>>>()?;
            Ok((d, tasks))
        })
    }

    /// The secret of a committed draw, for the use case that reveals it.
    pub fn draw_secret(&self, scope: &Scope, id: i64) -> Result<String> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            tx.query_opt(
                &format!("SELECT secret FROM draws WHERE {cond} AND id = ?"),
                &p,
            )?
            .ok_or(StoreError::NotFound)?
            .text(0)
        })
    }

    /// One page of the draws in scope, newest first.
    pub fn list_draws(
        &self,
        scope: &Scope,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Draw>> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "draws",
                "id",
                &cond,
                p,
                k,
                row,
                |d| d.id,
            )
        })
    }

    /// Records the draw's result and its tasks (once: a drawn draw is never re-drawn).
    pub fn complete_draw(&self, change: &Change<'_>, id: i64, o: &DrawOutcome) -> Result<Draw> {
        let (entropy, result, tasks) = (o.entropy.as_str(), o.result.as_str(), &o.tasks);
        change.require_writable()?;
        let (before, _) = self.get_draw(change.scope, id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE draws SET status = ?, entropy = ?, result = ?, drawn_on = ?, publish_due = ?, version = version + 1 WHERE id = ? AND status = ?",
                &params![DrawState::Drawn.as_str(), entropy, result, o.drawn_on, o.publish_due, id, DrawState::Committed.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("already drawn".into()));
            }
            for (stratum, enterprise_id, inspectors) in tasks {
                tx.execute(
                    "INSERT INTO draw_tasks (draw_id, stratum, enterprise_id, region_code, inspectors) SELECT ?, ?, id, region_code, ? FROM enterprises WHERE id = ?",
                    &params![id, stratum.as_str(), inspectors.as_str(), *enterprise_id],
                )?;
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM draws WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "draw.draw", "draw", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Records the publicity (公示) of a drawn draw's results.
    pub fn publish_draw(
        &self,
        change: &Change<'_>,
        id: i64,
        on: NaiveDate,
        place: &str,
    ) -> Result<Draw> {
        change.require_writable()?;
        let (before, _) = self.get_draw(change.scope, id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE draws SET status = ?, published_on = ?, published_where = ?, version = version + 1 WHERE id = ? AND status = ?",
                &params![DrawState::Published.as_str(), on, place, id, DrawState::Drawn.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("not drawn or already published".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM draws WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "draw.publish", "draw", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Ids of the enterprises in scope matching the filter, excluding closed ones.
    pub fn draw_pool(&self, scope: &Scope, f: &PoolFilter) -> Result<Vec<i64>> {
        let mut p = Vec::new();
        let mut cond = scope_sql::enterprise(scope, "e", &mut p);
        cond.push_str(" AND e.status <> 'closed'");
        if let Some(s) = &f.sector {
            cond.push_str(" AND EXISTS (SELECT 1 FROM enterprise_sectors es WHERE es.enterprise_id = e.id AND es.sector_code = ?)");
            p.push(s.as_str().into());
        }
        if let Some(prefix) = &f.region_prefix {
            let c = scope_sql::region_subtree("e.region_code", prefix, &mut p);
            cond.push_str(&format!(" AND {c}"));
        }
        if f.key_only {
            cond.push_str(" AND e.is_key = ?");
            p.push(true.into());
        }
        if let Some(since) = &f.inspected_since {
            cond.push_str(" AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.enterprise_id = e.id AND i.inspected_on >= ?)");
            p.push(since.as_str().into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT e.id FROM enterprises e WHERE {cond} ORDER BY e.id"),
                &p,
            )?
            .iter()
            .map(|r| r.i64(0))
            .collect()
        })
    }

    /// Conflict pairs (inspector, enterprise) of the given inspectors.
    pub fn inspector_conflicts(&self, user_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        let mut p = Vec::new();
        let c = scope_sql::in_list("user_id", user_ids, &mut p);
        self.db().read(|tx| {
            tx.query(&format!("SELECT user_id, enterprise_id FROM inspector_conflicts WHERE {c} ORDER BY user_id, enterprise_id"), &p)?
                .iter()
                .map(|r| Ok((r.i64(0)?, r.i64(1)?)))
                .collect()
        })
    }

    pub fn add_inspector_conflict(
        &self,
        change: &Change<'_>,
        user_id: i64,
        enterprise_id: i64,
        reason: &str,
    ) -> Result<()> {
        change.require_writable()?;
        let e = self.get_enterprise(change.scope, enterprise_id)?;
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO inspector_conflicts (user_id, enterprise_id, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, enterprise_id) DO NOTHING",
                &params![user_id, enterprise_id, reason, now.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Duplicate("inspector_conflicts".into()));
            }
            crate::audit::append(tx, change, "draw.conflict", "user", &user_id.to_string(), &e.region_code, None, Some(serde_json::json!({"enterprise_id": enterprise_id, "reason": reason})))
        })
    }
}
