//! Creating and editing a department: the form, its sector assignments and their decisions.

use super::*;

pub struct SectorChoice {
    pub code: String,
    pub name: String,
    pub on: bool,
    pub decision_no: String,
    pub decided_on: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "department_form.html")]
struct DepartmentForm {
    chrome: Chrome,
    action: String,
    version: String,
    name: String,
    short_name: String,
    member: bool,
    duty: bool,
    authority: bool,
    sort_order: String,
    sectors: Vec<SectorChoice>,
    errors: crate::ui::FieldErrors,
    summary: String,
}

pub(super) async fn department_form(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    d: DepartmentDraft,
    version: i64,
    errors: crate::ui::FieldErrors,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, all) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.list_sectors(&caller)?))
    })
    .await?;
    let sectors = all
        .into_iter()
        .map(|s| {
            let a = d.sectors.iter().find(|x| x.sector_code == s.code);
            SectorChoice {
                on: a.is_some(),
                decision_no: a.and_then(|a| a.decision_no.clone()).unwrap_or_default(),
                decided_on: a.and_then(|a| a.decided_on.clone()).unwrap_or_default(),
                note: a.map(|a| a.note.clone()).unwrap_or_default(),
                code: s.code,
                name: s.name,
            }
        })
        .collect();
    let summary = errors.summary();
    let page = DepartmentForm {
        chrome: Chrome::new(
            pc,
            instance,
            if id.is_some() {
                "编辑部门"
            } else {
                "新增部门"
            },
            "departments",
        ),
        action: id
            .map(|i| format!("/departments/{i}/edit"))
            .unwrap_or("/departments/new".into()),
        version: version.to_string(),
        name: d.name,
        short_name: d.short_name,
        member: d.is_member_unit,
        duty: d.has_supervision_duty,
        authority: d.is_industry_authority,
        sort_order: d.sort_order.to_string(),
        sectors,
        errors,
        summary,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub(super) async fn new_department(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    require_manage(&pc)?;
    let d = DepartmentDraft {
        region_code: String::new(),
        name: String::new(),
        short_name: String::new(),
        is_member_unit: true,
        has_supervision_duty: true,
        is_industry_authority: false,
        sort_order: 100,
        sectors: vec![],
    };
    department_form(&state, &pc, None, d, 0, Default::default()).await
}

pub(super) async fn edit_department(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    require_manage(&pc)?;
    let caller = pc.caller.clone();
    let d = blocking(&state, move |app| app.get_department(&caller, id)).await?;
    let version = d.version;
    let input = DepartmentDraft::from(d);
    department_form(&state, &pc, Some(id), input, version, Default::default()).await
}
