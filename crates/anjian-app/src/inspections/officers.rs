//! The officers of an inspection: the roster the caller picks them from, the rule an
//! enforcement inspection keeps (两名以上持有效执法证的执法人员, `anjian_domain::officer`), and
//! how records and documents name them.

use super::*;
use anjian_domain::officer::{self, Certificate, TEAM_MIN, TEAM_RULE};
use anjian_domain::scope::Permission;
use anjian_store::inspections::Officer;
use anjian_store::users::User;
use chrono::NaiveDate;

/// One certified officer of the caller's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RosterOfficer {
    /// The officer's user id (what `officer_ids` names).
    pub id: i64,
    pub name: String,
    /// The department, or the township for township staff.
    pub unit: String,
    /// 执法证号
    pub cert_no: String,
    /// The certificate's last valid day.
    pub cert_valid_until: Option<NaiveDate>,
    /// Whether the certificate is valid on the day asked about.
    pub valid: bool,
}

impl App {
    /// Whose officers the caller may name: the 安委办 any in its region; a department's users
    /// (department staff and inspectors) their department's; township staff their township's.
    /// Only the roles that inspect count; the caller's scope is applied by the store.
    fn officer_pool(&self, caller: &Caller) -> Result<Vec<User>> {
        let department = if caller.can(Permission::ActForAnyDepartment) {
            None
        } else {
            caller.user.department_id
        };
        Ok(self
            .store
            .roster(&caller.scope, department)?
            .into_iter()
            .filter(|u| {
                anjian_domain::Role::parse(&u.role).is_some_and(|r| r.can(Permission::Supervise))
            })
            .collect())
    }

    /// The certified officers the caller may name (active, with a certificate number on
    /// record), by name, each with whether the certificate is valid on `on`.
    pub fn officer_roster(&self, caller: &Caller, on: NaiveDate) -> Result<Vec<RosterOfficer>> {
        if !caller.can(Permission::Supervise) {
            return Err(AppError::Forbidden(
                "仅监管部门、执法人员和乡镇可以查看执法人员名册".into(),
            ));
        }
        let pool = self.officer_pool(caller)?;
        let departments = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
        let regions = self
            .store
            .list_regions(&caller.scope, None, Some("township"))?;
        Ok(pool
            .into_iter()
            .filter(|u| u.active)
            .filter_map(|u| {
                let cert_no = u.cert_no.clone()?;
                let unit = match u.department_id {
                    Some(d) => departments
                        .iter()
                        .find(|x| x.id == d)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                    None => regions
                        .iter()
                        .find(|r| r.code == u.region_code)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                };
                let valid = Certificate {
                    number: Some(&cert_no),
                    valid_until: u.cert_valid_until,
                }
                .valid_on(on);
                Some(RosterOfficer {
                    id: u.id,
                    name: u.display_name,
                    unit,
                    cert_no,
                    cert_valid_until: u.cert_valid_until,
                    valid,
                })
            })
            .collect())
    }

    /// Checks the officers named for an inspection on `on` (`None`: the date did not read,
    /// which is reported on its own field) and answers them as the record keeps them. Every
    /// officer must be in the caller's roster (one outside it is refused like one that does
    /// not exist), active and hold a certificate valid that day; an enforcement inspection
    /// needs at least two. Refusals go under `officer_ids`, naming the officer.
    pub(super) fn check_officers(
        &self,
        caller: &Caller,
        ids: &[i64],
        on: Option<NaiveDate>,
        enforcement: bool,
        e: &mut ValidationErrors,
    ) -> Result<Vec<Officer>> {
        let mut distinct: Vec<i64> = Vec::new();
        for id in ids {
            if !distinct.contains(id) {
                distinct.push(*id);
            }
        }
        if distinct.is_empty() && !enforcement {
            return Ok(Vec::new());
        }
        let pool = self.officer_pool(caller)?;
        let mut team = Vec::new();
        for id in distinct {
            let Some(u) = pool.iter().find(|u| u.id == id) else {
                e.add(
                    "officer_ids",
                    format!("执法人员（编号 {id}）不存在或不在您的管辖范围内"),
                );
                continue;
            };
            let Some(on) = on else { continue };
            let cert = Certificate {
                number: u.cert_no.as_deref(),
                valid_until: u.cert_valid_until,
            };
            let standing = officer::standing(u.active, cert, on);
            match officer::refusal(&u.display_name, standing, on) {
                Some(m) => e.add("officer_ids", m),
                None => team.push(Officer {
                    id: u.id,
                    name: u.display_name.clone(),
                    cert_no: u.cert_no.clone().unwrap_or_default(),
                    cert_valid_until: u.cert_valid_until,
                }),
            }
        }
        if enforcement && on.is_some() && team.len() < TEAM_MIN {
            e.add("officer_ids", TEAM_RULE);
        }
        Ok(team)
    }
}

/// The officers of an inspection as records and documents name them:
/// "杨帆（执法证号：赣36098201001）、钟敏（执法证号：…）".
pub fn officers_line(i: &Inspection) -> String {
    i.officers
        .iter()
        .map(|o| format!("{}（执法证号：{}）", o.name, o.cert_no))
        .collect::<Vec<_>>()
        .join("、")
}

/// The people of an inspection without a certificate of the roster (experts, township
/// staff); for an inspection recorded before the roster, everyone.
pub fn accompanying(i: &Inspection) -> Vec<String> {
    serde_json::from_str(&i.inspectors).unwrap_or_default()
}

/// Everyone of an inspection in one line: its officers with their certificate numbers, then
/// the other people.
pub fn people_line(i: &Inspection) -> String {
    let others = accompanying(i).join("、");
    match (i.officers.is_empty(), others.is_empty()) {
        (true, _) => others,
        (false, true) => officers_line(i),
        (false, false) => format!("{}；其他人员：{others}", officers_line(i)),
    }
}
