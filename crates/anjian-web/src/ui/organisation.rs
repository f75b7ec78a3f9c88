use super::{Chrome, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::organisation::RegionRow;
use anjian_app::organisation::{DepartmentDraft, SectorDraft};
use anjian_app::records::organisation::Sector;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/regions", get(regions).post(save_region))
        .route("/sectors", get(sectors).post(save_sector))
        .route("/departments", get(departments))
        .route(
            "/departments/new",
            get(new_department).post(create_department),
        )
        .route(
            "/departments/{id}/edit",
            get(edit_department).post(update_department),
        )
}

pub struct Node {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub count: usize,
    pub children: Vec<Node>,
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    chrome: Chrome,
    tree: Vec<Node>,
    townships: usize,
    villages: usize,
    grids: usize,
    can_manage: bool,
    error: Option<String>,
    form_code: String,
    form_name: String,
    form_parent: String,
}

async fn regions_page(
    state: &AppState,
    pc: &PageCaller,
    error: Option<String>,
    form: (String, String, String),
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, all) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.list_regions(&caller, None, None)?))
    })
    .await?;
    let node = |r: &anjian_app::records::organisation::Region| Node {
        code: r.code.clone(),
        name: r.name.clone(),
        kind: r.kind.clone(),
        count: 0,
        children: vec![],
    };
    let mut tree: Vec<Node> = all
        .iter()
        .filter(|r| r.level == "township")
        .map(node)
        .collect();
    for t in &mut tree {
        t.children = all
            .iter()
            .filter(|r| r.level == "village" && r.parent_code.as_deref() == Some(t.code.as_str()))
            .map(node)
            .collect();
        for v in &mut t.children {
            v.children = all
                .iter()
                .filter(|r| r.level == "grid" && r.parent_code.as_deref() == Some(v.code.as_str()))
                .map(node)
                .collect();
        }
    }
    let count = |l: &str| all.iter().filter(|r| r.level == l).count();
    let page = RegionsPage {
        chrome: Chrome::new(pc, instance, "行政区划", "regions").flash(flash),
        townships: count("township"),
        villages: count("village"),
        grids: count("grid"),
        tree,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        error,
        form_code: form.0,
        form_name: form.1,
        form_parent: form.2,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn regions(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    regions_page(
        &state,
        &pc,
        None,
        Default::default(),
        q.get("saved").map(|_| "区划已保存"),
    )
    .await
}

async fn save_region(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let row = RegionRow {
        code: form.get("code"),
        name: form.get("name"),
        parent_code: form.opt("parent_code"),
    };
    let caller = pc.caller.clone();
    let r2 = row.clone();
    match blocking(&state, move |app| app.save_regions(&caller, &[r2])).await {
        Ok(_) => Ok(see_other("/regions?saved=1")),
        Err(AppError::Validation(v)) => {
            let msg = v
                .fields
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            regions_page(
                &state,
                &pc,
                Some(msg),
                (row.code, row.name, row.parent_code.unwrap_or_default()),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct SectorRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub active: bool,
    pub departments: Vec<String>,
}

#[derive(Template)]
#[template(path = "sectors.html")]
struct SectorsPage {
    chrome: Chrome,
    rows: Vec<SectorRow>,
    can_manage: bool,
    error: Option<String>,
}

async fn sectors_page(
    state: &AppState,
    pc: &PageCaller,
    error: Option<String>,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, sectors, deps) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.list_sectors(&caller)?,
            app.list_departments(&caller)?,
        ))
    })
    .await?;
    let rows = sectors
        .into_iter()
        .map(|s| SectorRow {
            departments: deps
                .iter()
                .filter(|d| d.sectors.iter().any(|x| x.sector_code == s.code))
                .map(|d| d.short_name.clone())
                .collect(),
            code: s.code,
            name: s.name,
            description: s.description,
            sort_order: s.sort_order,
            active: s.active,
        })
        .collect();
    let page = SectorsPage {
        chrome: Chrome::new(pc, instance, "行业领域", "sectors").flash(flash),
        rows,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn sectors(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    sectors_page(&state, &pc, None, q.get("saved").map(|_| "行业领域已保存")).await
}

async fn save_sector(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let sort_order = match form.get("sort_order").parse::<i64>() {
        Ok(n) => n,
        Err(_) => return sectors_page(&state, &pc, Some("排序应为整数".into()), None).await,
    };
    let s = Sector {
        code: form.get("code"),
        name: form.get("name"),
        description: form.get("description"),
        sort_order,
        active: form.get("active") != "off",
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.save_sector(&caller, &s)).await {
        Ok(()) => Ok(see_other("/sectors?saved=1")),
        Err(AppError::Validation(v)) => {
            sectors_page(
                &state,
                &pc,
                Some(
                    v.fields
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

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

async fn departments(
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
    errors: super::FieldErrors,
    summary: String,
}

fn require_manage(pc: &PageCaller) -> Result<(), PageError> {
    if pc.caller.can(Permission::ManageOrganisation) {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden(
            "仅安委办管理员可维护部门".into(),
        )))
    }
}

async fn department_form(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    d: DepartmentDraft,
    version: i64,
    errors: super::FieldErrors,
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

async fn new_department(
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

async fn edit_department(
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

fn department_from_form(f: &FormPairs, region_code: String) -> DepartmentDraft {
    let sectors =
        f.0.iter()
            .filter_map(|(k, _)| k.strip_prefix("sector."))
            .map(|code| SectorDraft {
                sector_code: code.to_string(),
                decision_no: f.opt(&format!("decision_no.{code}")),
                decided_on: f.opt(&format!("decided_on.{code}")),
                note: f.get(&format!("note.{code}")),
            })
            .collect();
    DepartmentDraft {
        region_code,
        name: f.get("name"),
        short_name: f.get("short_name"),
        is_member_unit: f.flag("is_member_unit"),
        has_supervision_duty: f.flag("has_supervision_duty"),
        is_industry_authority: f.flag("is_industry_authority"),
        sort_order: f.get("sort_order").parse().unwrap_or(100),
        sectors,
    }
}

async fn save_department(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    require_manage(&pc)?;
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let version: i64 = form.get("version").parse().unwrap_or(0);
    let region = caller.user.region_code.clone();
    let input = department_from_form(&form, region);
    let sort = form.get("sort_order");
    if !sort.is_empty() && sort.parse::<i64>().is_err() {
        let mut e = BTreeMap::new();
        e.insert("sort_order".to_string(), vec!["排序应为整数".to_string()]);
        return department_form(&state, &pc, id, input, version, e.into()).await;
    }
    let i2 = input.clone();
    let result = blocking(&state, move |app| match id {
        Some(id) => {
            // An edit keeps the department's own region; the form does not choose it.
            let current = app.get_department(&caller, id)?;
            let input = DepartmentDraft {
                region_code: current.region_code,
                ..i2
            };
            app.update_department(&caller, id, version, &input)
        }
        None => app.create_department(&caller, &i2).map(|_| ()),
    })
    .await;
    match result {
        Ok(()) => Ok(see_other("/departments?saved=1")),
        Err(AppError::Validation(v)) => {
            department_form(&state, &pc, id, input, version, v.fields.into()).await
        }
        Err(AppError::Conflict(m)) => {
            let mut e = BTreeMap::new();
            e.insert("_".to_string(), vec![m]);
            department_form(&state, &pc, id, input, version, e.into()).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create_department(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save_department(state, pc, form, None).await
}

async fn update_department(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save_department(state, pc, form, Some(id)).await
}
