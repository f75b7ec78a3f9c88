//! Update by import: a row whose USCC names an enterprise in the importer's scope updates
//! it (written and audited as an edit made in the form), other rows register new ones,
//! and the report says which rows were created, which updated (field by field, old → new,
//! as the export writes them) and which were unchanged.

use super::*;
use crate::Caller;
use anjian_domain::enterprise::{EnterpriseStatus, NewEnterprise};
use anjian_store::StoreError;
use anjian_store::enterprises::{Enterprise, EnterpriseUpdate};

/// What an enterprise import does with a row whose USCC is already registered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportMode {
    /// Every row registers a new enterprise; a registered USCC is refused (as before).
    #[default]
    Create,
    /// Every row updates an enterprise of the importer's scope; other USCCs are refused.
    Update,
    /// Rows of the importer's enterprises update them, the others register new ones.
    Upsert,
}

impl ImportMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "create" => Some(Self::Create),
            "update" => Some(Self::Update),
            "upsert" => Some(Self::Upsert),
            _ => None,
        }
    }
}

/// The refusal of a row whose USCC names no enterprise in the importer's scope: the same
/// words whether it is registered elsewhere or nowhere.
pub const NOT_IN_SCOPE: &str = "您管辖范围内没有该统一社会信用代码的企业";

/// How many rows of each kind the report lists one by one (the counts are always exact).
pub const REPORT_DETAIL_MAX: usize = 1000;

/// One field a row changed, under its Chinese column name, written as the export writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A row of the report: its row number, USCC and name, and for an update what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChangedRow {
    pub row: usize,
    pub uscc: String,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
}

/// What an enterprise import did (or, when refused, would have done) row by row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChangeReport {
    pub mode: ImportMode,
    pub created_count: usize,
    pub updated_count: usize,
    pub unchanged_count: usize,
    /// The first rows of each kind (up to [`REPORT_DETAIL_MAX`]).
    pub created: Vec<ChangedRow>,
    pub updated: Vec<ChangedRow>,
    pub unchanged: Vec<ChangedRow>,
}

impl ChangeReport {
    /// The human-readable report: the counts, then each update with its fields (the rows
    /// created and unchanged are listed in the JSON only).
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "新增 {} 行，更新 {} 行，未变 {} 行。",
            self.created_count, self.updated_count, self.unchanged_count
        )];
        for r in &self.updated {
            let what: Vec<String> = r
                .changes
                .iter()
                .map(|c| format!("{}：“{}”→“{}”", c.field, c.old, c.new))
                .collect();
            out.push(format!(
                "第{}行 更新：{}（{}）{}",
                r.row,
                r.name,
                r.uscc,
                what.join("；")
            ));
        }
        more(&mut out, self.updated_count, self.updated.len(), "更新");
        out
    }

    /// The report of the planned rows (before they are written).
    pub(crate) fn of(mode: ImportMode, rows: &[(usize, Planned)]) -> Self {
        let mut r = ChangeReport {
            mode,
            ..Default::default()
        };
        for (row, p) in rows {
            r.push(*row, p);
        }
        r
    }

    fn push(&mut self, row: usize, p: &Planned) {
        let (list, count) = match p {
            Planned::Create(_) => (&mut self.created, &mut self.created_count),
            Planned::Update { .. } => (&mut self.updated, &mut self.updated_count),
            Planned::Unchanged { .. } => (&mut self.unchanged, &mut self.unchanged_count),
        };
        *count += 1;
        if list.len() < REPORT_DETAIL_MAX {
            list.push(p.row(row));
        }
    }
}

fn more(out: &mut Vec<String>, count: usize, shown: usize, what: &str) {
    if count > shown {
        out.push(format!("……另有 {} 行{what}", count - shown));
    }
}

/// What a valid row will do.
#[derive(Debug, Clone)]
pub(crate) enum Planned {
    Create(NewEnterprise),
    Update {
        update: EnterpriseUpdate,
        changes: Vec<FieldChange>,
    },
    Unchanged {
        uscc: String,
        name: String,
    },
}

impl Planned {
    fn row(&self, row: usize) -> ChangedRow {
        let (uscc, name, changes) = match self {
            Planned::Create(v) => (&v.uscc, &v.name, Vec::new()),
            Planned::Update { update, changes } => {
                (&update.record.uscc, &update.record.name, changes.clone())
            }
            Planned::Unchanged { uscc, name } => (uscc, name, Vec::new()),
        };
        ChangedRow {
            row,
            uscc: uscc.clone(),
            name: name.clone(),
            changes,
        }
    }
}

/// Decides, row by row, whether a valid row creates, updates or leaves an enterprise,
/// adding the row's refusals (scope, a registered or unknown USCC) to its errors.
pub(crate) struct Planner<'a> {
    app: &'a App,
    caller: Option<&'a Caller>,
    mode: ImportMode,
    scope: Scope,
    registered: HashMap<String, i64>,
    sectors: Vec<anjian_store::sectors::Sector>,
    departments: Vec<anjian_store::departments::Department>,
}

impl<'a> Planner<'a> {
    /// `caller` is `None` for the system (the CLI), whose scope is everything.
    pub(crate) fn new(app: &'a App, caller: Option<&'a Caller>, mode: ImportMode) -> Result<Self> {
        let scope = match caller {
            Some(c) => c.enterprise_write_scope(),
            None => Scope::system(),
        };
        Ok(Self {
            app,
            caller,
            mode,
            scope,
            registered: app.store.enterprise_usccs()?,
            sectors: app.store.list_sectors()?,
            departments: app
                .store
                .list_departments(&Scope::system(), app.clock.today())?,
        })
    }

    pub(crate) fn scope(&self) -> &Scope {
        &self.scope
    }

    pub(crate) fn plan(
        &self,
        v: NewEnterprise,
        present: &dyn Fn(&str) -> bool,
        e: &mut ValidationErrors,
    ) -> Result<Option<Planned>> {
        let registered = self.registered.get(&v.uscc).copied();
        let current = match (self.mode, registered) {
            (ImportMode::Create, _) | (_, None) => None,
            // Read through the importer's scope: an enterprise outside it is not found,
            // exactly as an unknown USCC.
            (_, Some(id)) => match self.app.store.get_enterprise(&self.scope, id) {
                Ok(cur) => Some(cur),
                Err(StoreError::NotFound) => None,
                Err(other) => return Err(other.into()),
            },
        };
        match (self.mode, current) {
            (ImportMode::Update, None) => {
                e.add("uscc", NOT_IN_SCOPE);
                Ok(None)
            }
            (_, None) if registered.is_some() => {
                // As the registration form answers a registered USCC: nothing about the
                // enterprise it belongs to.
                e.add("uscc", "该统一社会信用代码已登记");
                Ok(None)
            }
            (_, None) => {
                self.admit(&v, None, e);
                Ok(e.is_empty().then_some(Planned::Create(v)))
            }
            (_, Some(cur)) => Ok(self.plan_update(v, cur, present, e)),
        }
    }

    fn plan_update(
        &self,
        mut v: NewEnterprise,
        cur: Enterprise,
        present: &dyn Fn(&str) -> bool,
        e: &mut ValidationErrors,
    ) -> Option<Planned> {
        keep_absent(&mut v, &cur, present);
        // Licences are not in the ledger: an update keeps them.
        v.licences = cur.licences.clone();
        if let Some(c) = self.caller
            && let Err(err) = crate::enterprises::merge_sectors(c, &mut v, Some(&cur.sectors))
        {
            e.add("sectors", err.to_string());
        }
        self.admit(&v, Some(cur.id), e);
        if !e.is_empty() {
            return None;
        }
        let changes = self.diff(&cur, &v);
        if changes.is_empty() {
            return Some(Planned::Unchanged {
                uscc: cur.uscc,
                name: cur.name,
            });
        }
        Some(Planned::Update {
            update: EnterpriseUpdate {
                id: cur.id,
                version: cur.version,
                record: v,
            },
            changes,
        })
    }

    /// The scope checks of the registration and edit forms, as row errors.
    fn admit(&self, v: &NewEnterprise, id: Option<i64>, e: &mut ValidationErrors) {
        if !self.scope.admits_region(v.region_code.as_str()) {
            e.add("region_code", "所属区划不在您的管辖范围内");
        }
        if !self.scope.admits_sectors(&v.sectors) {
            e.add("sectors", "行业领域不在本部门的监管范围内");
        }
        if id.is_none() && self.scope.enterprise_ids.is_some() {
            e.add("uscc", "您的账号不能登记新企业");
        }
    }

    /// The ledger's cells that the row changes, old → new (ID numbers masked).
    fn diff(&self, cur: &Enterprise, v: &NewEnterprise) -> Vec<FieldChange> {
        let after = applied(cur, v);
        let old = crate::export::ledger_row(cur, &self.sectors, &self.departments);
        let new = crate::export::ledger_row(&after, &self.sectors, &self.departments);
        old.into_iter()
            .zip(new)
            .zip(ENTERPRISE_COLUMNS.iter())
            .filter(|((o, n), _)| o != n)
            .map(|((o, n), (key, label))| {
                let (o, n) = if *key == "principal_id_no" {
                    (crate::export::mask_id(&o), crate::export::mask_id(&n))
                } else {
                    (o, n)
                };
                FieldChange {
                    field: label.to_string(),
                    old: o,
                    new: n,
                }
            })
            .collect()
    }
}

/// A column the file does not have keeps the enterprise's value: a sheet of a few columns
/// updates those columns only.
fn keep_absent(v: &mut NewEnterprise, cur: &Enterprise, present: &dyn Fn(&str) -> bool) {
    let keep = |k: &str| !present(k);
    if keep("uscc_override") {
        v.uscc_warning = cur.uscc_warning.clone();
    }
    if keep("address") {
        v.address = cur.address.clone();
    }
    if keep("industry_code") {
        v.industry_code = cur.industry_code.clone();
    }
    if keep("departments") {
        v.department_ids = cur.department_ids.clone();
    }
    if keep("above_scale") {
        v.above_scale = cur.above_scale;
    }
    if keep("is_key") {
        v.is_key = cur.is_key;
    }
    if keep("legal_rep") {
        v.legal_rep = cur.legal_rep.clone();
    }
    if keep("legal_rep_phone") {
        v.legal_rep_phone = cur.legal_rep_phone.clone();
    }
    if keep("principal") {
        v.principal = cur.principal.clone();
    }
    if keep("principal_phone") {
        v.principal_phone = cur.principal_phone.clone();
    }
    if keep("principal_id_no") {
        v.principal_id_no = cur.principal_id_no.clone();
    }
    if keep("status")
        && let Some(s) = EnterpriseStatus::parse(&cur.status)
    {
        v.status = s;
    }
    if keep("risk_grade") {
        v.risk_grade = cur.risk_grade.clone();
    }
}

/// The enterprise as it would read after the row is written (lists in a set's order kept).
fn applied(cur: &Enterprise, v: &NewEnterprise) -> Enterprise {
    let same_set = |a: &[String], b: &[String]| {
        let mut a = a.to_vec();
        let mut b = b.to_vec();
        a.sort();
        b.sort();
        a == b
    };
    let mut deps_old = cur.department_ids.clone();
    let mut deps_new = v.department_ids.clone();
    deps_old.sort_unstable();
    deps_new.sort_unstable();
    Enterprise {
        name: v.name.clone(),
        uscc: v.uscc.clone(),
        uscc_warning: v.uscc_warning.clone(),
        region_code: v.region_code.as_str().to_string(),
        address: v.address.clone(),
        industry_code: v.industry_code.clone(),
        above_scale: v.above_scale,
        is_key: v.is_key,
        legal_rep: v.legal_rep.clone(),
        legal_rep_phone: v.legal_rep_phone.clone(),
        principal: v.principal.clone(),
        principal_phone: v.principal_phone.clone(),
        principal_id_no: v.principal_id_no.clone(),
        status: v.status.as_str().to_string(),
        risk_grade: v.risk_grade.clone(),
        sectors: if same_set(&cur.sectors, &v.sectors) {
            cur.sectors.clone()
        } else {
            v.sectors.clone()
        },
        department_ids: if deps_old == deps_new {
            cur.department_ids.clone()
        } else {
            v.department_ids.clone()
        },
        ..cur.clone()
    }
}

/// Writes the planned rows in one transaction; answers how many rows were written.
pub(crate) fn write_planned(
    app: &App,
    caller: Option<&Caller>,
    scope: &Scope,
    rows: Vec<(usize, Planned)>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize> {
    let mut creates = Vec::new();
    let mut updates = Vec::new();
    for (_, p) in rows {
        match p {
            Planned::Create(v) => creates.push(v),
            Planned::Update { update, .. } => updates.push(update),
            Planned::Unchanged { .. } => {}
        }
    }
    if creates.is_empty() && updates.is_empty() {
        return Ok(0);
    }
    let change = match caller {
        Some(c) => c.change(scope, app),
        None => app.system_change(scope, "import"),
    };
    let total = creates.len() + updates.len();
    app.store
        .import_enterprises(&change, &creates, &updates, |n| progress(n, total))
        .map_err(|e| match e {
            StoreError::Conflict(m) if m == "version" => AppError::Conflict(
                "导入期间有企业被他人修改，未写入任何数据，请重新导出后再导入".into(),
            ),
            other => other.into(),
        })?;
    Ok(total)
}
