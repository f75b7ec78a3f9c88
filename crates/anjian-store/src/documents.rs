//! Enforcement documents (执法文书): numbered gap-free per department, type and year.
//!
//! The counter row is advanced (`UPDATE … RETURNING`) in the same transaction that inserts
//! the document, so a failed issue rolls the number back (no gaps) and concurrent issuers
//! queue on the counter row (no duplicates); `UNIQUE (department_id, doc_type, year, seq)`
//! and `UNIQUE (doc_no)` guard both.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub sector: String,
    pub enterprise_id: Option<i64>,
    pub department_id: i64,
    pub doc_type: String,
    pub year: i64,
    pub seq: i64,
    pub doc_no: String,
    pub entity: String,
    pub entity_id: i64,
    pub title: String,
    pub body: String,
    pub issued_on: NaiveDate,
    pub issued_by: String,
    pub served_on: Option<NaiveDate>,
    pub served_to: String,
    pub service_method: String,
}

/// A document to issue; `pattern` renders the number from `{year}` and `{seq}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub region_code: String,
    pub sector: String,
    pub enterprise_id: Option<i64>,
    pub department_id: i64,
    pub doc_type: String,
    pub year: i64,
    pub pattern: String,
    pub entity: String,
    pub entity_id: i64,
    pub title: String,
    pub body: String,
    pub issued_on: NaiveDate,
}

crate::table_row! {
    table "documents", key id;
    fn row -> Document {
        id: i64,
        county_code: text,
        region_code: text,
        sector: text,
        enterprise_id: opt_i64,
        department_id: i64,
        doc_type: text,
        year: i64,
        seq: i64,
        doc_no: text,
        entity: text,
        entity_id: i64,
        title: text,
        body: text,
        issued_on: date,
        issued_by: text,
        served_on: opt_date,
        served_to: text,
        service_method: text,
    }
}

fn scope_pred(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::record(scope, "documents", p)
}

impl Store {
    /// Issues a document with the next number of its series.
    pub fn issue_document(&self, change: &Change<'_>, d: &NewDocument) -> Result<Document> {
        change.require_writable()?;
        if !change
            .scope
            .admits(&d.region_code, &[d.sector.as_str()], d.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&d.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO doc_counters (department_id, doc_type, year, last_seq) VALUES (?, ?, ?, 0) ON CONFLICT (department_id, doc_type, year) DO NOTHING",
                &params![d.department_id, d.doc_type.as_str(), d.year],
            )?;
            let seq = tx.scalar_i64(
                "UPDATE doc_counters SET last_seq = last_seq + 1 WHERE department_id = ? AND doc_type = ? AND year = ? RETURNING last_seq",
                &params![d.department_id, d.doc_type.as_str(), d.year],
            )?;
            let doc_no = d.pattern.replace("{year}", &d.year.to_string()).replace("{seq}", &seq.to_string());
            let id = tx.scalar_i64(
                "INSERT INTO documents (county_code, region_code, sector, enterprise_id, department_id, doc_type, year, seq, doc_no, entity, entity_id, title, body, issued_on, issued_by, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![
                    county.as_str(),
                    d.region_code.as_str(),
                    d.sector.as_str(),
                    d.enterprise_id,
                    d.department_id,
                    d.doc_type.as_str(),
                    d.year,
                    seq,
                    doc_no.as_str(),
                    d.entity.as_str(),
                    d.entity_id,
                    d.title.as_str(),
                    d.body.as_str(),
                    d.issued_on,
                    change.actor.as_str(),
                    now.as_str()
                ],
            )?;
            // A document belongs to its record's campaign (the entity kind is checked by the table).
            let table = match d.entity.as_str() {
                "inspection" => "inspections",
                "hazard" => "hazards",
                "transfer" => "transfers",
                _ => "cases",
            };
            tx.execute(
                &format!("UPDATE documents SET campaign = (SELECT x.campaign FROM {table} x WHERE x.id = ?) WHERE id = ?"),
                &params![d.entity_id, id],
            )?;
            let saved = row(&tx.query_one(&format!("SELECT {COLS} FROM documents WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "document.issue", "document", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_document(&self, scope: &Scope, id: i64) -> Result<Document> {
        let mut p = Vec::new();
        let cond = scope_pred(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM documents WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// One page of the documents in scope (of one record, if given), newest first.
    pub fn list_documents(
        &self,
        scope: &Scope,
        entity: Option<(&str, i64)>,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Document>> {
        let mut p = Vec::new();
        let mut cond = scope_pred(scope, &mut p);
        if let Some((e, id)) = entity {
            cond.push_str(" AND entity = ? AND entity_id = ?");
            p.push(e.into());
            p.push(id.into());
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "documents",
                "id",
                &cond,
                p,
                k,
                row,
                |d| d.id,
            )
        })
    }

    /// Records the service (送达) of a document, once.
    pub fn serve_document(
        &self,
        change: &Change<'_>,
        id: i64,
        served_on: NaiveDate,
        served_to: &str,
        method: &str,
    ) -> Result<Document> {
        change.require_writable()?;
        let doc = self.get_document(change.scope, id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE documents SET served_on = ?, served_to = ?, service_method = ? WHERE id = ? AND served_on IS NULL",
                &params![served_on, served_to, method, id],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("already served".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM documents WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "document.serve", "document", &id.to_string(), &doc.region_code, Some(&doc), Some(&after))?;
            Ok(after)
        })
    }

    /// The number prefix configured for a department, if any.
    pub fn doc_prefix(&self, department_id: i64) -> Result<Option<String>> {
        self.db().read(|tx| {
            tx.query_opt(
                "SELECT prefix FROM doc_prefixes WHERE department_id = ?",
                &params![department_id],
            )?
            .map(|r| r.text(0))
            .transpose()
        })
    }

    pub fn set_doc_prefix(
        &self,
        change: &Change<'_>,
        department_id: i64,
        prefix: &str,
    ) -> Result<()> {
        change.require_writable()?;
        // The department must be one the caller sees, and lie inside the writable scope (a
        // township sees the county's departments but does not number their documents).
        let d = self.get_department(change.scope, department_id)?;
        if !change.scope.admits_region(&d.region_code) {
            return Err(crate::StoreError::Forbidden);
        }
        self.write(|tx| {
            if tx.execute(
                "UPDATE doc_prefixes SET prefix = ? WHERE department_id = ?",
                &params![prefix, department_id],
            )? == 0
            {
                tx.execute(
                    "INSERT INTO doc_prefixes (department_id, prefix) VALUES (?, ?)",
                    &params![department_id, prefix],
                )?;
            }
            crate::audit::append(
                tx,
                change,
                "document.prefix",
                "department",
                &department_id.to_string(),
                "",
                None,
                Some(serde_json::json!({"prefix": prefix})),
            )
        })
    }
}
