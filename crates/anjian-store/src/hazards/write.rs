//! Registering a hazard: the written columns, the first report date, the scope check, and the
//! insert with its major case, first event and audit entry.

use super::*;

pub(super) const WRITE_COLS: [&str; 24] = [
    "region_code",
    "enterprise_id",
    "department_id",
    "sector",
    "level",
    "source",
    "description",
    "location",
    "found_on",
    "deadline",
    "deadline_basis",
    "deadline_rule",
    "status",
    "responsible_unit",
    "responsible_person",
    "measures",
    "funds_planned",
    "funds_spent",
    "emergency_plan",
    "campaign",
    "closed_on",
    "reported_on",
    "lng_micro",
    "lat_micro",
];

/// The row's written values: the fields, and the report date the store keeps.
pub(super) fn values(f: &HazardFields, reported_on: Option<NaiveDate>) -> [Value; 24] {
    params![
        f.region_code.as_str(),
        f.enterprise_id,
        f.department_id,
        f.sector.as_str(),
        f.level.as_str(),
        f.source.as_str(),
        f.description.as_str(),
        f.location.as_str(),
        f.found_on,
        f.deadline,
        f.deadline_basis.clone(),
        f.deadline_rule.as_str(),
        f.status.as_str(),
        f.responsible_unit.as_str(),
        f.responsible_person.as_str(),
        f.measures.as_str(),
        f.funds_planned,
        f.funds_spent,
        f.emergency_plan.as_str(),
        f.campaign.clone(),
        f.closed_on,
        reported_on,
        f.point.map(|p| p.0),
        f.point.map(|p| p.1)
    ]
}

/// The report date of a hazard registered in `f.status` on `day` (one registered as fixed on
/// the spot or already reported awaits review from its registration day).
pub(crate) fn initial_reported_on(f: &HazardFields, day: NaiveDate) -> Option<NaiveDate> {
    anjian_domain::hazard::reported_on_after(Status::Registered, None, f.status, &day)
}

pub(crate) fn admitted(scope: &Scope, f: &HazardFields) -> bool {
    scope.admits_region(&f.region_code)
        && scope.admits_sectors(&[f.sector.as_str()])
        && scope.admits_enterprise_id(f.enterprise_id)
}

/// Inserts a hazard, opens its major case if major, and writes its first event and audit entry.
pub(crate) fn insert_hazard(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    f: &HazardFields,
    ev: &EventInput,
) -> Result<Hazard> {
    let county = crate::county_of(&f.region_code)?;
    let now = change.ts();
    let reported_on = initial_reported_on(f, change.date());
    let insert = format!(
        "INSERT INTO hazards (county_code, {}, created_by, created_at, updated_at) VALUES (?, {}, ?, ?, ?)",
        WRITE_COLS.join(", "),
        crate::db::placeholders(WRITE_COLS.len())
    );
    let p = [
        &params![county.as_str()][..],
        &values(f, reported_on),
        &params![change.actor_id, now.as_str(), now.as_str()],
    ]
    .concat();
    let h = match tx.dialect() {
        // The row as inserted, read with its names in the same statement: one round trip
        // where the insert and the read were two (the same columns as `get_in`'s).
        crate::db::Dialect::Postgres => row(tx.query_one(
            &format!(
                "WITH h AS ({insert} RETURNING *) SELECT {} FROM {}",
                cols(),
                FROM.replacen("hazards h", "h", 1)
            ),
            &p,
        )?)?,
        crate::db::Dialect::Sqlite => {
            let id = tx.scalar_i64(&format!("{insert} RETURNING id"), &p)?;
            get_in(tx, &Scope::system(), id)?
        }
    };
    if anjian_domain::major::opens_case(h.level) {
        crate::major::open_case(
            tx,
            &h,
            anjian_domain::major::CaseState::UnderDetermination,
            &now,
        )?;
    }
    add_event(tx, change, &h, None, ev)?;
    crate::audit::append_json(
        tx,
        change,
        "hazard.create",
        "hazard",
        &h.id.to_string(),
        &h.region_code,
        None::<&()>,
        Some(&h),
    )?;
    Ok(h)
}

impl Store {
    /// Registers a hazard with its first event; it must lie in the caller's writable scope.
    pub fn create_hazard(
        &self,
        change: &Change<'_>,
        f: &HazardFields,
        ev: &EventInput,
    ) -> Result<Hazard> {
        change.require_writable()?;
        if !admitted(change.scope, f) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| insert_hazard(tx, change, f, ev))
    }
}
