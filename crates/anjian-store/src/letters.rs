//! Target-responsibility letters (目标管理责任状): the letter, its indicators (a JSON list)
//! and its signed scan (an attachment). Readers see the letters of their regions that are
//! theirs ([`Reader`]): a township its own, a department's users their department's, an
//! enterprise its own; the 安委办 and leaders every one.

use crate::attachments::{Attachment, NewAttachment};
use crate::db::Tx;
use crate::paging::{Keyset, Page};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::letter::{CounterpartKind, Indicator, Reader, counterpart_key};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, Default, utoipa::ToSchema)]
pub struct Letter {
    pub id: i64,
    pub county_code: String,
    /// The counterpart's region: the township itself, or the department's or enterprise's.
    pub region_code: String,
    pub year: i64,
    /// Who signs for the county (市人民政府, 市安委会 …).
    pub issuer: String,
    pub counterpart_kind: CounterpartKind,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// One key per counterpart (`township:<code>`, `department:<id>`, `enterprise:<id>`),
    /// set by the store.
    pub counterpart_key: String,
    /// The counterpart's name when the letter was signed.
    pub counterpart_name: String,
    pub title: String,
    pub signed_on: NaiveDate,
    pub indicators: Vec<Indicator>,
    /// The signed scan (attachment id), once uploaded.
    pub scan_id: Option<i64>,
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

crate::table_row! {
    table "responsibility_letters", key id;
    fn row -> Letter {
        id: i64,
        county_code: text,
        region_code: text,
        year: i64,
        issuer: text,
        counterpart_kind: code(CounterpartKind::parse),
        department_id: opt_i64,
        enterprise_id: opt_i64,
        counterpart_key: text,
        counterpart_name: text,
        title: text,
        signed_on: date,
        indicators: json,
        scan_id: opt_i64,
        note: text,
        created_by: opt_i64,
        created_at: text,
        updated_at: text,
        version: i64,
    }
}

/// Filters of the letter list (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterFilter {
    pub year: Option<i64>,
    pub kind: Option<CounterpartKind>,
    /// A part of the counterpart's name or of the title.
    pub text: Option<String>,
}

/// Which letters of the scope the reader sees (see the module comment). An enterprise-bound
/// scope sees only letters signed with its enterprises, whoever reads.
pub(crate) fn visible(scope: &Scope, reader: Reader, p: &mut Vec<crate::Value>) -> String {
    let mut parts = vec![scope_sql::regions(scope, "l.region_code", p)];
    match reader {
        Reader::County | Reader::Enterprise => {}
        Reader::Township => parts.push("l.counterpart_kind = 'township'".into()),
        Reader::Department(Some(d)) => {
            parts.push("l.counterpart_kind = 'department' AND l.department_id = ?".into());
            p.push(d.into());
        }
        Reader::Department(None) | Reader::Nobody => parts.push("1 = 0".into()),
    }
    match (&scope.enterprise_ids, reader) {
        (Some(ids), _) => {
            parts.push("l.counterpart_kind = 'enterprise'".into());
            parts.push(scope_sql::in_list("l.enterprise_id", ids, p));
        }
        (None, Reader::Enterprise) => parts.push("1 = 0".into()),
        (None, _) => {}
    }
    parts.join(" AND ")
}

/// A letter may be written in the change's scope: writable, its region inside, and not an
/// enterprise-bound scope.
fn admits(change: &Change<'_>, l: &Letter) -> Result<()> {
    change.require_writable()?;
    if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(&l.region_code) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

fn read_in(tx: &mut dyn Tx, id: i64) -> Result<Letter> {
    row(&tx.query_one(
        &format!("SELECT {COLS} FROM responsibility_letters WHERE id = ?"),
        &params![id],
    )?)
}

fn insert(tx: &mut dyn Tx, change: &Change<'_>, l: &Letter) -> Result<i64> {
    let county = crate::county_of(&l.region_code)?;
    let key = counterpart_key(
        l.counterpart_kind,
        &l.region_code,
        l.department_id,
        l.enterprise_id,
    );
    let indicators = json(&l.indicators)?;
    let now = change.ts();
    tx.scalar_i64(
        "INSERT INTO responsibility_letters (county_code, region_code, year, issuer, counterpart_kind, department_id, enterprise_id, counterpart_key, counterpart_name, title, signed_on, indicators, note, created_by, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![
            county.as_str(),
            l.region_code.as_str(),
            l.year,
            l.issuer.as_str(),
            l.counterpart_kind.as_str(),
            l.department_id,
            l.enterprise_id,
            key.as_str(),
            l.counterpart_name.as_str(),
            l.title.as_str(),
            l.signed_on,
            indicators.as_str(),
            l.note.as_str(),
            change.actor_id,
            now.as_str(),
            now.as_str()
        ],
    )
}

fn get_in(tx: &mut dyn Tx, scope: &Scope, reader: Reader, id: i64) -> Result<Letter> {
    let mut p = Vec::new();
    let cond = visible(scope, reader, &mut p);
    p.push(id.into());
    row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM responsibility_letters l WHERE {cond} AND l.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

impl Store {
    /// Registers a letter with its indicators.
    pub fn create_letter(&self, change: &Change<'_>, l: &Letter) -> Result<Letter> {
        admits(change, l)?;
        self.write(|tx| {
            let id = insert(tx, change, l)?;
            let saved = read_in(tx, id)?;
            crate::audit::append_json(
                tx,
                change,
                "letter.create",
                "letter",
                &id.to_string(),
                &saved.region_code,
                None::<&()>,
                Some(&saved),
            )?;
            Ok(saved)
        })
    }

    /// Registers many letters in one transaction (an import): all or none.
    pub fn create_letters(&self, change: &Change<'_>, list: &[Letter]) -> Result<usize> {
        for l in list {
            admits(change, l)?;
        }
        self.write(|tx| {
            for l in list {
                let id = insert(tx, change, l)?;
                let saved = read_in(tx, id)?;
                crate::audit::append_json(
                    tx,
                    change,
                    "letter.import",
                    "letter",
                    &id.to_string(),
                    &saved.region_code,
                    None::<&()>,
                    Some(&saved),
                )?;
            }
            Ok(list.len())
        })
    }

    /// Rewrites a letter (all but its scan), refusing a stale version.
    pub fn update_letter(&self, change: &Change<'_>, l: &Letter) -> Result<Letter> {
        admits(change, l)?;
        let key = counterpart_key(
            l.counterpart_kind,
            &l.region_code,
            l.department_id,
            l.enterprise_id,
        );
        let county = crate::county_of(&l.region_code)?;
        let indicators = json(&l.indicators)?;
        let now = change.ts();
        self.write(|tx| {
            let before = get_in(tx, change.scope, Reader::County, l.id)?;
            let n = tx.execute(
                "UPDATE responsibility_letters SET county_code = ?, region_code = ?, year = ?, issuer = ?, counterpart_kind = ?, department_id = ?, enterprise_id = ?, counterpart_key = ?, \
                 counterpart_name = ?, title = ?, signed_on = ?, indicators = ?, note = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                &params![
                    county.as_str(),
                    l.region_code.as_str(),
                    l.year,
                    l.issuer.as_str(),
                    l.counterpart_kind.as_str(),
                    l.department_id,
                    l.enterprise_id,
                    key.as_str(),
                    l.counterpart_name.as_str(),
                    l.title.as_str(),
                    l.signed_on,
                    indicators.as_str(),
                    l.note.as_str(),
                    now.as_str(),
                    l.id,
                    l.version
                ],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("stale version".into()));
            }
            let after = read_in(tx, l.id)?;
            crate::audit::append_json(
                tx,
                change,
                "letter.update",
                "letter",
                &l.id.to_string(),
                &after.region_code,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    /// Deletes a letter registered in error, with its scans.
    pub fn delete_letter(&self, change: &Change<'_>, id: i64, version: i64) -> Result<()> {
        change.require_writable()?;
        self.write(|tx| {
            let before = get_in(tx, change.scope, Reader::County, id)?;
            admits(change, &before)?;
            if before.version != version {
                return Err(StoreError::Conflict("stale version".into()));
            }
            tx.execute(
                "DELETE FROM attachments WHERE entity = 'letter' AND entity_id = ?",
                &params![id],
            )?;
            tx.execute(
                "DELETE FROM responsibility_letters WHERE id = ?",
                &params![id],
            )?;
            crate::audit::append_json(
                tx,
                change,
                "letter.delete",
                "letter",
                &id.to_string(),
                &before.region_code,
                Some(&before),
                None::<&()>,
            )
        })
    }

    pub fn get_letter(&self, scope: &Scope, reader: Reader, id: i64) -> Result<Letter> {
        self.db().read(|tx| get_in(tx, scope, reader, id))
    }

    /// One page of the letters the reader sees, newest first.
    pub fn list_letters(
        &self,
        scope: &Scope,
        reader: Reader,
        f: &LetterFilter,
        k: &Keyset,
    ) -> Result<Page<Letter>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, reader, &mut p);
        if let Some(y) = f.year {
            cond.push_str(" AND l.year = ?");
            p.push(y.into());
        }
        if let Some(kind) = f.kind {
            cond.push_str(" AND l.counterpart_kind = ?");
            p.push(kind.as_str().into());
        }
        if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let like = format!("%{}%", scope_sql::like_escaped(t));
            cond.push_str(
                " AND (l.counterpart_name LIKE ? ESCAPE '\\' OR l.title LIKE ? ESCAPE '\\')",
            );
            p.push(like.clone().into());
            p.push(like.into());
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "responsibility_letters l",
                "l.id",
                &cond,
                p,
                k,
                row,
                |l| l.id,
            )
        })
    }

    /// Stores the signed scan of a letter (a checked file) and makes it the letter's scan:
    /// file, letter and audit entry in one transaction. An earlier scan stays on file.
    pub fn attach_letter_scan(
        &self,
        change: &Change<'_>,
        id: i64,
        a: &NewAttachment,
    ) -> Result<(Letter, Attachment)> {
        change.require_writable()?;
        self.write(|tx| {
            let before = get_in(tx, change.scope, Reader::County, id)?;
            admits(change, &before)?;
            let saved = crate::attachments::insert(tx, change, &before.county_code, "letter", id, a)?;
            tx.execute(
                "UPDATE responsibility_letters SET scan_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                &params![saved.id, change.ts().as_str(), id],
            )?;
            let after = read_in(tx, id)?;
            crate::audit::append_json(
                tx,
                change,
                "letter.scan",
                "letter",
                &id.to_string(),
                &after.region_code,
                Some(&before),
                Some(&serde_json::json!({ "letter": &after, "scan": &saved })),
            )?;
            Ok((after, saved))
        })
    }

    /// A letter's signed scan and its bytes, if the reader sees the letter.
    pub fn letter_scan(
        &self,
        scope: &Scope,
        reader: Reader,
        id: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        self.db().read(|tx| {
            let l = get_in(tx, scope, reader, id)?;
            let scan = l.scan_id.ok_or(StoreError::NotFound)?;
            crate::attachments::read_with_data(tx, scan)
        })
    }
}
