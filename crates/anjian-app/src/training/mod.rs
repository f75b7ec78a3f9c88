//! 教育培训: the training a township, a department or the 安委办 organised (培训班 and
//! 理论中心组学习), its attendees (typed as a list or imported from a roster sheet) and files
//! (sign-in sheets, photos); the certificates of enterprises' principals and safety managers
//! (`certificates`), whose expiry comes onto the to-do list; the ledgers (`ledger`). The
//! report's training figures are the `training.*` metrics over these records.

pub mod certificates;
pub mod ledger;
pub mod roster;

use crate::hazards::checked_file;
use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::scope::{Attachment as Attached, Permission, Role};
use anjian_domain::training::{self as rules, Attendee, SessionKind};
use anjian_domain::validation::parse_date;
use anjian_store::StoreError;
use anjian_store::attachments::Attachment;
use anjian_store::training::{Organiser, Session, SessionAttendee, SessionFilter, SessionInput};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Most attendees one session takes at once (a list or a roster).
pub const MAX_ATTENDEES: usize = 5_000;

/// An attendee as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = TrainingAttendeeDraft)]
pub struct AttendeeDraft {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub phone: String,
}

/// A session as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = TrainingSessionDraft)]
pub struct SessionDraft {
    /// 培训班 / 理论中心组学习 (code or words).
    pub kind: String,
    /// The organiser: `township:{code}` or `department:{id}`; empty for the caller's own
    /// unit (a township's or a department's user).
    #[serde(default)]
    pub unit: String,
    pub topic: String,
    pub starts_on: String,
    /// Empty for a one-day session.
    #[serde(default)]
    pub ends_on: String,
    /// 学时, e.g. 3 or 3.5.
    pub hours: String,
    /// 授课人.
    #[serde(default)]
    pub trainers: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub note: String,
    /// Attendees recorded with the session.
    #[serde(default)]
    pub attendees: Vec<AttendeeDraft>,
}

/// Which sessions to list, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionQuery {
    /// A year (by the first day).
    pub year: Option<String>,
    pub kind: Option<String>,
}

/// A session with what hangs on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = TrainingSessionDetail)]
pub struct SessionDetail {
    pub session: Session,
    pub kind_label: String,
    /// 学时 as typed ("3.5").
    pub hours: String,
    pub attendees: Vec<SessionAttendee>,
    pub files: Vec<Attachment>,
    /// Whether the caller may add attendees and files, and change the record.
    pub editable: bool,
}

/// The caller's department when its scope is its department's sectors (sessions of other
/// departments are not its to see).
pub(crate) fn own_department(caller: &Caller) -> Option<i64> {
    (caller.role.attachment() == Attached::Department)
        .then_some(caller.user.department_id)
        .flatten()
}

/// Reads a list of attendees as typed; each fault is keyed `{table}[{i}].{column}`.
pub(crate) fn check_attendees(
    table: &str,
    list: &[AttendeeDraft],
    e: &mut ValidationErrors,
) -> Vec<Attendee> {
    if list.len() > MAX_ATTENDEES {
        e.add(table, format!("一次最多登记{MAX_ATTENDEES}名参训人员"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        match rules::check_attendee(&a.name, &a.unit, &a.phone) {
            Ok(a) => out.push(a),
            Err(faults) => {
                for (f, m) in faults {
                    e.add(&format!("{table}[{i}].{f}"), m);
                }
            }
        }
    }
    out
}

impl App {
    fn require_training_recorder(&self, caller: &Caller) -> Result<()> {
        if caller.scope.writable && caller.can(Permission::RecordTraining) {
            Ok(())
        } else {
            Err(caller.refuse("登记培训记录"))
        }
    }

    /// Whether the caller may record training (the pages offer the form by this).
    pub fn may_record_training(&self, caller: &Caller) -> bool {
        caller.scope.writable && caller.can(Permission::RecordTraining)
    }

    /// The organiser as typed, or the caller's own unit.
    fn organiser_of(
        &self,
        caller: &Caller,
        typed: &str,
        e: &mut ValidationErrors,
    ) -> Option<Organiser> {
        match typed.trim() {
            "" => match (caller.user.department_id, caller.role) {
                (Some(id), _) => Some(Organiser::Department(id)),
                (None, Role::Township) => {
                    Some(Organiser::Township(caller.user.region_code.clone()))
                }
                _ => {
                    e.add("unit", "请选择主办单位（乡镇或部门）");
                    None
                }
            },
            s => {
                let read = match s.split_once(':') {
                    Some(("township", code)) if anjian_domain::RegionCode::parse(code).is_ok() => {
                        Some(Organiser::Township(code.to_string()))
                    }
                    Some(("department", id)) => {
                        id.trim().parse::<i64>().ok().map(Organiser::Department)
                    }
                    _ => None,
                };
                // A township or a department records its own training only.
                let own = match (&read, caller.role) {
                    (_, Role::Admin) | (None, _) => true,
                    (Some(Organiser::Township(code)), Role::Township) => {
                        *code == caller.user.region_code
                    }
                    (Some(Organiser::Department(id)), _) => caller.user.department_id == Some(*id),
                    _ => false,
                };
                if read.is_none() {
                    e.add("unit", "主办单位无法识别");
                } else if !own {
                    e.add("unit", "只能登记本单位组织的培训");
                    return None;
                }
                read
            }
        }
    }

    /// Checks a session as typed: the record and its attendees, or the field messages.
    fn check_session(
        &self,
        caller: &Caller,
        d: &SessionDraft,
    ) -> Result<(SessionInput, Vec<Attendee>), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let kind = SessionKind::from_words(&d.kind);
        if kind.is_none() {
            e.add("kind", "请选择培训类别：培训班或理论中心组学习");
        }
        let organiser = self.organiser_of(caller, &d.unit, &mut e);
        let topic =
            anjian_domain::validation::required_text(&mut e, "topic", "培训主题", &d.topic, 200);
        let starts_on = e.check("starts_on", parse_date(&d.starts_on));
        let ends_on = match d.ends_on.trim() {
            "" => starts_on,
            s => e.check("ends_on", parse_date(s)),
        };
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && let Err(m) = rules::check_days(s, t)
        {
            e.add("ends_on", m);
        }
        if let Some(s) = starts_on
            && s > self.clock.today() + chrono::Duration::days(366)
        {
            e.add("starts_on", "开始日期不能晚于一年以后");
        }
        let hours = e.check("hours", rules::parse_hours(&d.hours));
        let text = |e: &mut ValidationErrors, field: &str, label: &str, v: &str, max: usize| {
            anjian_domain::validation::optional_text(e, field, label, Some(v), max)
                .unwrap_or_default()
        };
        let trainers = text(&mut e, "trainers", "授课人", &d.trainers, 200);
        let place = text(&mut e, "place", "培训地点", &d.place, 200);
        let note = text(&mut e, "note", "备注", &d.note, 1000);
        let attendees = check_attendees("attendees", &d.attendees, &mut e);
        e.into_result()?;
        match (kind, organiser, starts_on, ends_on, hours) {
            (Some(kind), Some(organiser), Some(starts_on), Some(ends_on), Some(hours_tenths)) => {
                Ok((
                    SessionInput {
                        organiser,
                        kind,
                        topic,
                        starts_on,
                        ends_on,
                        hours_tenths,
                        trainers,
                        place,
                        note,
                    },
                    attendees,
                ))
            }
            _ => Err(ValidationErrors::single("kind", "培训记录不完整")),
        }
    }

    /// Records a session with the attendees typed with it.
    pub fn create_training_session(&self, caller: &Caller, d: &SessionDraft) -> Result<Session> {
        self.require_training_recorder(caller)?;
        let (input, attendees) = self.check_session(caller, d)?;
        self.store
            .create_training_session(&caller.change(&caller.scope, self), &input, &attendees)
            .map_err(|err| match err {
                StoreError::Invalid(f) if f == "unit" => {
                    ValidationErrors::single("unit", "主办单位不存在").into()
                }
                StoreError::Forbidden => {
                    ValidationErrors::single("unit", "只能登记本人辖区内单位组织的培训").into()
                }
                other => other.into(),
            })
    }

    /// Changes a session's record (its attendees are added separately); the organiser stays.
    pub fn update_training_session(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &SessionDraft,
    ) -> Result<Session> {
        self.require_training_recorder(caller)?;
        let before = self
            .store
            .get_training_session(&caller.scope, own_department(caller), id)?;
        let unit = match (&before.unit_region_code, before.unit_department_id) {
            (Some(code), _) => format!("township:{code}"),
            (None, Some(d)) => format!("department:{d}"),
            (None, None) => String::new(),
        };
        let draft = SessionDraft {
            unit,
            attendees: Vec::new(),
            ..d.clone()
        };
        let (input, _) = self.check_session(caller, &draft)?;
        Ok(self.store.update_training_session(
            &caller.change(&caller.scope, self),
            own_department(caller),
            id,
            version,
            &input,
        )?)
    }

    /// A page of the sessions in the caller's scope, newest first.
    pub fn training_page(
        &self,
        caller: &Caller,
        q: &SessionQuery,
        k: &Keyset,
    ) -> Result<Page<Session>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = session_filter(q)?;
        Ok(self
            .store
            .training_sessions(&caller.scope, own_department(caller), &f, k)?)
    }

    /// Every session of the query (a ledger, a figure).
    pub fn training_sessions(&self, caller: &Caller, q: &SessionQuery) -> Result<Vec<Session>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = session_filter(q)?;
        let own = own_department(caller);
        Ok(anjian_store::paging::all_pages(|k| {
            self.store.training_sessions(&caller.scope, own, &f, k)
        })?)
    }

    pub fn training_session(&self, caller: &Caller, id: i64) -> Result<SessionDetail> {
        caller.require(Permission::ViewCountyWork)?;
        let own = own_department(caller);
        let session = self.store.get_training_session(&caller.scope, own, id)?;
        let attendees = self.store.training_attendees(&caller.scope, own, id)?;
        let files = self.store.training_session_files(&caller.scope, own, id)?;
        Ok(SessionDetail {
            kind_label: session.kind.label().to_string(),
            hours: rules::hours_text(session.hours_tenths),
            editable: self.may_record_training(caller)
                && caller.scope.admits_region(&session.region_code),
            session,
            attendees,
            files,
        })
    }

    /// Adds attendees typed as a list (each fault keyed `attendees[i].name` …; none is
    /// written if any is refused).
    pub fn add_training_attendees(
        &self,
        caller: &Caller,
        session_id: i64,
        list: &[AttendeeDraft],
    ) -> Result<Vec<SessionAttendee>> {
        self.require_training_recorder(caller)?;
        let mut e = ValidationErrors::new();
        if list.is_empty() {
            e.add("attendees", "请至少填写一名参训人员");
        }
        let attendees = check_attendees("attendees", list, &mut e);
        e.into_result()?;
        Ok(self.store.add_training_attendees(
            &caller.change(&caller.scope, self),
            own_department(caller),
            session_id,
            &attendees,
        )?)
    }

    /// Attaches a sign-in sheet, a photo or a material to a session (its content checked
    /// against its name).
    pub fn attach_training_file(
        &self,
        caller: &Caller,
        session_id: i64,
        name: &str,
        data: Vec<u8>,
        note: &str,
    ) -> Result<Attachment> {
        self.require_training_recorder(caller)?;
        // Out of scope reads as missing before the file is looked at.
        self.store
            .get_training_session(&caller.scope, own_department(caller), session_id)?;
        let file =
            checked_file(name, data, note).map_err(|m| ValidationErrors::single("file", m))?;
        Ok(self.store.attach_to_training_session(
            &caller.change(&caller.scope, self),
            own_department(caller),
            session_id,
            &file,
        )?)
    }

    /// A file of a session and its bytes.
    pub fn training_file(
        &self,
        caller: &Caller,
        attachment_id: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self.store.training_session_file(
            &caller.scope,
            own_department(caller),
            attachment_id,
        )?)
    }
}

fn session_filter(q: &SessionQuery) -> Result<SessionFilter> {
    let mut f = SessionFilter::default();
    if let Some(y) = q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let year: i32 = y
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| {
                AppError::from(ValidationErrors::single(
                    "year",
                    "年度应为四位数字，如 2022",
                ))
            })?;
        f.from = NaiveDate::from_ymd_opt(year, 1, 1);
        f.to = NaiveDate::from_ymd_opt(year, 12, 31);
    }
    if let Some(k) = q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        f.kind = Some(SessionKind::from_words(k).ok_or_else(|| {
            AppError::from(ValidationErrors::single(
                "kind",
                "培训类别应为培训班或理论中心组学习",
            ))
        })?);
    }
    Ok(f)
}
