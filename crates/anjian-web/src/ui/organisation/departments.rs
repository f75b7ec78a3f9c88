//! The department list (部门与职责) with the sectors each supervises.

use super::*;

pub struct DeptRow {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub member: bool,
    pub duty: bool,
    pub authority: bool,
    pub sectors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "departments.html")]
struct DepartmentsPage {
    chrome: Chrome,
    rows: Vec<DeptRow>,
    can_manage: bool,
}

pub(super) async fn departments(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, deps, sectors) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.list_departments(&caller)?,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let name = |c: &str| {
        sectors
            .iter()
            .find(|s| s.code == c)
            .map(|s| s.name.clone())
            .unwrap_or(c.to_string())
    };
    let rows = deps
        .into_iter()
        .map(|d| DeptRow {
            id: d.id,
            member: d.is_member_unit,
            duty: d.has_supervision_duty,
            authority: d.is_industry_authority,
            sectors: d
                .sectors
                .iter()
                .map(|s| {
                    let decision = match (&s.decision_no, &s.decided_on) {
                        (Some(n), Some(d)) => format!("{d} {n} {}", s.note),
                        (Some(n), None) => format!("{n} {}", s.note),
                        (None, Some(d)) => format!("{d} {}", s.note),
                        (None, None) => String::new(),
                    };
                    (name(&s.sector_code), decision.trim().to_string())
                })
                .collect(),
            name: d.name,
            short_name: d.short_name,
        })
        .collect();
    let page = DepartmentsPage {
        chrome: Chrome::new(&pc, instance, "部门与职责", "departments")
            .flash(q.get("saved").map(|_| "部门已保存")),
        rows,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
    };
    Ok(render(&page))
}
