//! 教育培训: training sessions (培训班, 理论中心组学习) with their attendees and files, and the
//! certificates (安全生产知识和管理能力考核合格证) of enterprises' principals and safety managers.
//!
//! Visibility: a session is a regulator's own record at its organiser (a township's in the
//! township, a department's at the department's region): enterprise-bound scopes see none, a
//! region scope sees those in its regions, and a sector-bound scope (a department's users)
//! only its own department's, whose id the use case passes as `own_department` (like the
//! accountability records). A certificate lies at its enterprise: it is visible where the
//! enterprise is (`scope_sql::enterprise`), and written in a writable scope that admits the
//! enterprise. Out of scope reads as missing. Every change is audited in its transaction.

use crate::attachments::{Attachment, NewAttachment};
use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::paging::{Keyset, Page};
use crate::{Change, Result, Store, StoreError, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::training::{Attendee, HolderRole, SessionKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A training session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = TrainingSession)]
pub struct Session {
    pub id: i64,
    pub county_code: String,
    /// The organiser's place: the township, or the department's region.
    pub region_code: String,
    /// The organising township, or
    pub unit_region_code: Option<String>,
    /// the organising department.
    pub unit_department_id: Option<i64>,
    pub unit_name: String,
    pub kind: SessionKind,
    pub topic: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// 学时, in tenths of an hour.
    pub hours_tenths: i64,
    pub trainers: String,
    pub place: String,
    pub note: String,
    /// Attendee person-times recorded.
    pub attendees: i64,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "training_sessions", key id, cols SESSION_COLS;
    fn session_row -> Session {
        id: i64,
        county_code: text,
        region_code: text,
        unit_region_code: opt_text,
        unit_department_id: opt_i64,
        unit_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = training_sessions.unit_region_code), (SELECT d.name FROM departments d WHERE d.id = training_sessions.unit_department_id), '')",
        kind: code(SessionKind::parse),
        topic: text,
        starts_on: date,
        ends_on: date,
        hours_tenths: i64,
        trainers: text,
        place: text,
        note: text,
        attendees: i64,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// The organising unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Organiser {
    Township(String),
    Department(i64),
}

/// A session to write (validated by the use case; the place is the store's to read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInput {
    pub organiser: Organiser,
    pub kind: SessionKind,
    pub topic: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours_tenths: i64,
    pub trainers: String,
    pub place: String,
    pub note: String,
}

/// An attendee of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = TrainingAttendee)]
pub struct SessionAttendee {
    pub id: i64,
    pub session_id: i64,
    pub name: String,
    pub unit: String,
    pub phone: Option<String>,
    pub created_at: String,
}

crate::table_row! {
    table "training_attendees", key id, cols ATTENDEE_COLS;
    fn attendee_row -> SessionAttendee {
        id: i64,
        session_id: i64,
        name: text,
        unit: text,
        phone: opt_text,
        created_at: text,
    }
}

/// A certificate (安全生产知识和管理能力考核合格证).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = TrainingCertificate)]
pub struct Certificate {
    pub id: i64,
    pub county_code: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    /// The enterprise's place.
    pub region_code: String,
    pub holder_name: String,
    pub role: HolderRole,
    pub cert_no: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// 发证机关.
    pub issuer: String,
    pub note: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "training_certificates", key id, cols CERT_COLS;
    fn cert_row -> Certificate {
        id: i64,
        county_code: text,
        enterprise_id: i64,
        enterprise_name: text = "COALESCE((SELECT e.name FROM enterprises e WHERE e.id = training_certificates.enterprise_id), '')",
        region_code: text = "COALESCE((SELECT e.region_code FROM enterprises e WHERE e.id = training_certificates.enterprise_id), training_certificates.county_code)",
        holder_name: text,
        role: code(HolderRole::parse),
        cert_no: text,
        issued_on: date,
        expires_on: date,
        issuer: text,
        note: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A certificate to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInput {
    pub enterprise_id: i64,
    pub holder_name: String,
    pub role: HolderRole,
    pub cert_no: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub issuer: String,
    pub note: String,
}

/// Which sessions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// Starting in `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<SessionKind>,
    /// Organised by this township, or
    pub unit_region_code: Option<String>,
    /// this department.
    pub unit_department_id: Option<i64>,
}

/// Which certificates to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateFilter {
    pub enterprise_id: Option<i64>,
    pub role: Option<HolderRole>,
    /// Expiring on or before this day (expired ones included).
    pub expires_by: Option<NaiveDate>,
    /// Still in force on this day (expiring on it or later).
    pub in_force_on: Option<NaiveDate>,
    /// Leave out a certificate whose holder has a later one of the same role at the same
    /// enterprise (renewed).
    pub current_only: bool,
}

fn session_visible(
    scope: &Scope,
    own_department: Option<i64>,
    t: &str,
    p: &mut Vec<crate::Value>,
) -> String {
    let mut cond = scope_sql::regulator(scope, &format!("{t}.region_code"), p);
    if scope.sectors.is_some() {
        match own_department {
            Some(d) => {
                cond.push_str(&format!(" AND {t}.unit_department_id = ?"));
                p.push(d.into());
            }
            None => cond.push_str(" AND 1 = 0"),
        }
    }
    cond
}

fn cert_visible(scope: &Scope, t: &str, p: &mut Vec<crate::Value>) -> String {
    let e = scope_sql::enterprise(scope, "e", p);
    format!("EXISTS (SELECT 1 FROM enterprises e WHERE e.id = {t}.enterprise_id AND {e})")
}

fn read_session(tx: &mut dyn Tx, id: i64) -> Result<Session> {
    session_row(&tx.query_one(
        &format!("SELECT {SESSION_COLS} FROM training_sessions WHERE id = ?"),
        &params![id],
    )?)
}

/// A session visible in the scope (else NotFound).
pub(crate) fn session_in(
    tx: &mut dyn Tx,
    scope: &Scope,
    own_department: Option<i64>,
    id: i64,
) -> Result<Session> {
    let mut p = Vec::new();
    let cond = session_visible(scope, own_department, "training_sessions", &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {SESSION_COLS} FROM training_sessions WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    session_row(&r)
}

/// A session the change may write to: visible, and its place in the writable scope.
fn session_for_write(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    own_department: Option<i64>,
    id: i64,
) -> Result<Session> {
    let s = session_in(tx, change.scope, own_department, id)?;
    change.require_writable()?;
    if !change.scope.admits_region(&s.region_code) {
        return Err(StoreError::Forbidden);
    }
    Ok(s)
}

fn cert_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Certificate> {
    let mut p = Vec::new();
    let cond = cert_visible(scope, "training_certificates", &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {CERT_COLS} FROM training_certificates WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    cert_row(&r)
}

/// Inserts attendees of a session and moves its count, inside the caller's transaction.
fn insert_attendees(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    s: &Session,
    list: &[Attendee],
) -> Result<Vec<SessionAttendee>> {
    let now = change.ts();
    let mut saved = Vec::with_capacity(list.len());
    for a in list {
        let id = tx.scalar_i64(
            "INSERT INTO training_attendees (session_id, name, unit, phone, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            &params![s.id, a.name.as_str(), a.unit.as_str(), a.phone.as_deref(), now.as_str()],
        )?;
        saved.push(attendee_row(&tx.query_one(
            &format!("SELECT {ATTENDEE_COLS} FROM training_attendees WHERE id = ?"),
            &params![id],
        )?)?);
    }
    tx.execute(
        "UPDATE training_sessions SET attendees = (SELECT COUNT(*) FROM training_attendees a WHERE a.session_id = training_sessions.id), updated_at = ? WHERE id = ?",
        &params![now.as_str(), s.id],
    )?;
    Ok(saved)
}

impl Store {
    /// Records a session organised by a township or department (in the caller's writable
    /// scope: a township in its township, a department at its region) with its first
    /// attendees, in one transaction.
    pub fn create_training_session(
        &self,
        change: &Change<'_>,
        s: &SessionInput,
        attendees: &[Attendee],
    ) -> Result<Session> {
        change.require_writable()?;
        if change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let (region, unit_region, unit_department) = match &s.organiser {
                Organiser::Township(code) => {
                    tx.query_opt("SELECT 1 FROM regions WHERE code = ?", &params![code.as_str()])?
                        .ok_or_else(|| StoreError::Invalid("unit".into()))?;
                    (code.clone(), Some(code.as_str()), None)
                }
                Organiser::Department(id) => {
                    let r = tx
                        .query_opt("SELECT region_code FROM departments WHERE id = ?", &params![*id])?
                        .ok_or_else(|| StoreError::Invalid("unit".into()))?;
                    (r.text(0)?, None, Some(*id))
                }
            };
            if !change.scope.admits_region(&region) {
                return Err(StoreError::Forbidden);
            }
            let county = crate::county_of(&region)?;
            let id = tx.scalar_i64(
                "INSERT INTO training_sessions (county_code, region_code, unit_region_code, unit_department_id, kind, topic, starts_on, ends_on, hours_tenths, trainers, place, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), region.as_str(), unit_region, unit_department, s.kind.as_str(), s.topic.as_str(), s.starts_on, s.ends_on, s.hours_tenths, s.trainers.as_str(), s.place.as_str(), s.note.as_str(), change.actor_id, now.as_str(), now.as_str()],
            )?;
            let first = read_session(tx, id)?;
            insert_attendees(tx, change, &first, attendees)?;
            let saved = read_session(tx, id)?;
            audit(tx, change, "training_session.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Changes a session's record if `version` still matches (the organiser stays).
    pub fn update_training_session(
        &self,
        change: &Change<'_>,
        own_department: Option<i64>,
        id: i64,
        version: i64,
        s: &SessionInput,
    ) -> Result<Session> {
        let now = change.ts();
        self.write(|tx| {
            let before = session_for_write(tx, change, own_department, id)?;
            let n = tx.execute(
                "UPDATE training_sessions SET kind = ?, topic = ?, starts_on = ?, ends_on = ?, hours_tenths = ?, trainers = ?, place = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![s.kind.as_str(), s.topic.as_str(), s.starts_on, s.ends_on, s.hours_tenths, s.trainers.as_str(), s.place.as_str(), s.note.as_str(), now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_session(tx, id)?;
            audit(tx, change, "training_session.update", id, &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    pub fn get_training_session(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        id: i64,
    ) -> Result<Session> {
        self.db()
            .read(|tx| session_in(tx, scope, own_department, id))
    }

    /// A page of the sessions visible in the scope, newest first.
    pub fn training_sessions(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        f: &SessionFilter,
        k: &Keyset,
    ) -> Result<Page<Session>> {
        let mut p = Vec::new();
        let mut cond = session_visible(scope, own_department, "training_sessions", &mut p);
        if let Some(d) = f.from {
            cond.push_str(" AND starts_on >= ?");
            p.push(d.into());
        }
        if let Some(d) = f.to {
            cond.push_str(" AND starts_on <= ?");
            p.push(d.into());
        }
        if let Some(kind) = f.kind {
            cond.push_str(" AND kind = ?");
            p.push(kind.as_str().into());
        }
        if let Some(r) = &f.unit_region_code {
            cond.push_str(" AND unit_region_code = ?");
            p.push(r.as_str().into());
        }
        if let Some(d) = f.unit_department_id {
            cond.push_str(" AND unit_department_id = ?");
            p.push(d.into());
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &SESSION_COLS.to_string(),
                "training_sessions",
                "id",
                &cond,
                p,
                k,
                session_row,
                |s| s.id,
            )
        })
    }

    /// Adds attendees to a session (a list typed, or a roster imported: all in one
    /// transaction, one audit entry).
    pub fn add_training_attendees(
        &self,
        change: &Change<'_>,
        own_department: Option<i64>,
        session_id: i64,
        list: &[Attendee],
    ) -> Result<Vec<SessionAttendee>> {
        self.write(|tx| {
            let s = session_for_write(tx, change, own_department, session_id)?;
            let saved = insert_attendees(tx, change, &s, list)?;
            let after = read_session(tx, session_id)?;
            let entry = serde_json::json!({
                "added": saved.len(),
                "attendees": after.attendees,
            });
            audit(
                tx,
                change,
                "training_session.attendees",
                session_id,
                &s.region_code,
                None,
                Some(&entry),
            )?;
            Ok(saved)
        })
    }

    /// The attendees of a session visible in the scope, in the order added.
    pub fn training_attendees(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        session_id: i64,
    ) -> Result<Vec<SessionAttendee>> {
        self.db().read(|tx| {
            session_in(tx, scope, own_department, session_id)?;
            tx.query(
                &format!("SELECT {ATTENDEE_COLS} FROM training_attendees WHERE session_id = ? ORDER BY id"),
                &params![session_id],
            )?
            .iter()
            .map(attendee_row)
            .collect()
        })
    }

    /// Attaches a file (a sign-in sheet, a photo) to a session in the writable scope.
    pub fn attach_to_training_session(
        &self,
        change: &Change<'_>,
        own_department: Option<i64>,
        session_id: i64,
        a: &NewAttachment,
    ) -> Result<Attachment> {
        self.write(|tx| {
            let s = session_for_write(tx, change, own_department, session_id)?;
            let saved = crate::attachments::insert(
                tx,
                change,
                &s.county_code,
                "training_session",
                s.id,
                a,
            )?;
            audit(
                tx,
                change,
                "training_session.attach",
                s.id,
                &s.region_code,
                None,
                Some(&saved),
            )?;
            Ok(saved)
        })
    }

    /// The files of a session visible in the scope.
    pub fn training_session_files(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        session_id: i64,
    ) -> Result<Vec<Attachment>> {
        self.db().read(|tx| {
            session_in(tx, scope, own_department, session_id)?;
            crate::attachments::of_record(tx, "training_session", session_id)
        })
    }

    /// A file of a session and its bytes, if the session is visible in the scope.
    pub fn training_session_file(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        attachment_id: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        self.db().read(|tx| {
            let (a, data) = crate::attachments::read_with_data(tx, attachment_id)?;
            if a.entity != "training_session" {
                return Err(StoreError::NotFound);
            }
            session_in(tx, scope, own_department, a.entity_id)?;
            Ok((a, data))
        })
    }

    /// Records a certificate of an enterprise in the writable scope. A number already
    /// recorded in the county is a duplicate.
    pub fn create_certificate(
        &self,
        change: &Change<'_>,
        c: &CertificateInput,
    ) -> Result<Certificate> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let (region, county) = enterprise_for_write(tx, change, c.enterprise_id)?;
            let id = tx.scalar_i64(
                "INSERT INTO training_certificates (county_code, enterprise_id, holder_name, role, cert_no, issued_on, expires_on, issuer, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), c.enterprise_id, c.holder_name.as_str(), c.role.as_str(), c.cert_no.as_str(), c.issued_on, c.expires_on, c.issuer.as_str(), c.note.as_str(), now.as_str(), now.as_str()],
            )?;
            let saved = cert_row(&tx.query_one(
                &format!("SELECT {CERT_COLS} FROM training_certificates WHERE id = ?"),
                &params![id],
            )?)?;
            audit(tx, change, "training_certificate.create", id, &region, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Several certificates in one transaction (the demo, an import).
    pub fn create_certificates(
        &self,
        change: &Change<'_>,
        list: &[CertificateInput],
    ) -> Result<usize> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            for c in list {
                let (region, county) = enterprise_for_write(tx, change, c.enterprise_id)?;
                let id = tx.scalar_i64(
                    "INSERT INTO training_certificates (county_code, enterprise_id, holder_name, role, cert_no, issued_on, expires_on, issuer, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &params![county.as_str(), c.enterprise_id, c.holder_name.as_str(), c.role.as_str(), c.cert_no.as_str(), c.issued_on, c.expires_on, c.issuer.as_str(), c.note.as_str(), now.as_str(), now.as_str()],
                )?;
                audit(tx, change, "training_certificate.create", id, &region, None, Some(c))?;
            }
            Ok(list.len())
        })
    }

    /// Renews or corrects a certificate if `version` still matches.
    pub fn update_certificate(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        c: &CertificateInput,
    ) -> Result<Certificate> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = cert_in(tx, change.scope, id)?;
            enterprise_for_write(tx, change, before.enterprise_id)?;
            let (region, _) = enterprise_for_write(tx, change, c.enterprise_id)?;
            let n = tx.execute(
                "UPDATE training_certificates SET enterprise_id = ?, holder_name = ?, role = ?, cert_no = ?, issued_on = ?, expires_on = ?, issuer = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![c.enterprise_id, c.holder_name.as_str(), c.role.as_str(), c.cert_no.as_str(), c.issued_on, c.expires_on, c.issuer.as_str(), c.note.as_str(), now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = cert_in(tx, change.scope, id)?;
            audit(tx, change, "training_certificate.update", id, &region, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    pub fn get_certificate(&self, scope: &Scope, id: i64) -> Result<Certificate> {
        self.db().read(|tx| cert_in(tx, scope, id))
    }

    /// A page of the certificates visible in the scope, newest first.
    pub fn certificates(
        &self,
        scope: &Scope,
        f: &CertificateFilter,
        k: &Keyset,
    ) -> Result<Page<Certificate>> {
        let mut p = Vec::new();
        let mut cond = cert_visible(scope, "training_certificates", &mut p);
        if let Some(e) = f.enterprise_id {
            cond.push_str(" AND enterprise_id = ?");
            p.push(e.into());
        }
        if let Some(r) = f.role {
            cond.push_str(" AND role = ?");
            p.push(r.as_str().into());
        }
        if let Some(d) = f.expires_by {
            cond.push_str(" AND expires_on <= ?");
            p.push(d.into());
        }
        if let Some(d) = f.in_force_on {
            cond.push_str(" AND expires_on >= ?");
            p.push(d.into());
        }
        if f.current_only {
            cond.push_str(" AND NOT EXISTS (SELECT 1 FROM training_certificates n WHERE n.enterprise_id = training_certificates.enterprise_id AND n.holder_name = training_certificates.holder_name AND n.role = training_certificates.role AND n.expires_on > training_certificates.expires_on)");
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &CERT_COLS.to_string(),
                "training_certificates",
                "id",
                &cond,
                p,
                k,
                cert_row,
                |c| c.id,
            )
        })
    }
}

/// The enterprise's place and county, if the writable scope admits the enterprise (else
/// NotFound when it is not visible, Forbidden when visible but not writable).
fn enterprise_for_write(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    enterprise_id: i64,
) -> Result<(String, String)> {
    let mut p = Vec::new();
    let cond = scope_sql::enterprise(change.scope, "e", &mut p);
    p.push(enterprise_id.into());
    let r = tx
        .query_opt(
            &format!("SELECT e.region_code FROM enterprises e WHERE {cond} AND e.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    change.require_writable()?;
    let region = r.text(0)?;
    let county = crate::county_of(&region)?;
    Ok((region, county))
}
