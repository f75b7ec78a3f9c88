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
    /// 送达地点 (empty: not recorded).
    pub service_place: String,
}

/// A county's Word template of a document type (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DocxTemplate {
    pub doc_type: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: String,
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
        service_place: text,
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
        place: &str,
    ) -> Result<Document> {
        change.require_writable()?;
        let doc = self.get_document(change.scope, id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE documents SET served_on = ?, served_to = ?, service_method = ?, service_place = ? WHERE id = ? AND served_on IS NULL",
                &params![served_on, served_to, method, place, id],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("already served".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM documents WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "document.serve", "document", &id.to_string(), &doc.region_code, Some(&doc), Some(&after))?;
            Ok(after)
        })
    }

    /// The county's Word templates (without their bytes).
    pub fn docx_templates(&self) -> Result<Vec<DocxTemplate>> {
        self.db().read(|tx| {
            tx.query(
                "SELECT doc_type, file_name, size, sha256, uploaded_by, uploaded_at FROM document_templates ORDER BY doc_type",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(DocxTemplate {
                    doc_type: r.text(0)?,
                    file_name: r.text(1)?,
                    size: r.i64(2)?,
                    sha256: r.text(3)?,
                    uploaded_by: r.opt_i64(4)?,
                    uploaded_at: r.text(5)?,
                })
            })
            .collect()
        })
    }

    /// The bytes of the county's Word template of a document type, if it has one.
    pub fn docx_template_bytes(&self, doc_type: &str) -> Result<Option<Vec<u8>>> {
        self.db().read(|tx| {
            tx.query_opt(
                "SELECT data FROM document_templates WHERE doc_type = ?",
                &params![doc_type],
            )?
            .map(|r| r.bytes(0))
            .transpose()
        })
    }

    /// Stores (or, with `None`, removes) the county's Word template of a document type; the
    /// audit entry records the file's name, size and SHA-256, not its bytes.
    pub fn set_docx_template(
        &self,
        change: &Change<'_>,
        doc_type: &str,
        file: Option<(&str, &str, &[u8])>,
    ) -> Result<Option<DocxTemplate>> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let meta = |tx: &mut dyn crate::db::Tx| -> Result<Option<serde_json::Value>> {
                tx.query_opt(
                    "SELECT file_name, size, sha256, uploaded_at FROM document_templates WHERE doc_type = ?",
                    &params![doc_type],
                )?
                .map(|r| {
                    Ok(serde_json::json!({
                        "file_name": r.text(0)?,
                        "size": r.i64(1)?,
                        "sha256": r.text(2)?,
                        "uploaded_at": r.text(3)?,
                    }))
                })
                .transpose()
            };
            let before = meta(tx)?;
            tx.execute(
                "DELETE FROM document_templates WHERE doc_type = ?",
                &params![doc_type],
            )?;
            let saved = match file {
                Some((file_name, sha256, data)) => {
                    tx.execute(
                        "INSERT INTO document_templates (doc_type, file_name, size, sha256, data, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        &params![doc_type, file_name, data.len() as i64, sha256, data, change.actor_id, now.as_str()],
                    )?;
                    Some(DocxTemplate {
                        doc_type: doc_type.to_string(),
                        file_name: file_name.to_string(),
                        size: data.len() as i64,
                        sha256: sha256.to_string(),
                        uploaded_by: change.actor_id,
                        uploaded_at: now.clone(),
                    })
                }
                None => None,
            };
            let after = meta(tx)?;
            crate::audit::append(
                tx,
                change,
                if saved.is_some() {
                    "document_template.upload"
                } else {
                    "document_template.reset"
                },
                "document_template",
                doc_type,
                "",
                before,
                after,
            )?;
            Ok(saved)
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
        let d = self.get_department(change.scope, department_id, change.date())?;
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
