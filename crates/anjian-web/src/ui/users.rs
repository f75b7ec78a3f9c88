use super::{Chrome, render, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::users::NewUser;
use anjian_domain::Role;
use anjian_domain::scope::{ALL_ROLES, Permission};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(detail).post(update))
        .route("/users/{id}/password", post(password))
        .route("/users/{id}/revoke", post(revoke))
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region: String,
    pub unit: String,
    pub active: bool,
    pub locked: bool,
    pub last_login: String,
}

/// Form values as strings, for re-rendering.
#[derive(Default, Clone)]
pub struct UserFields {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region_code: String,
    pub department_id: String,
    pub enterprise_id: String,
    pub site_ids: String,
    pub phone: String,
}

struct Options {
    roles: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    departments: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    rows: Vec<UserRow>,
    f: UserFields,
    editing: bool,
    roles: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    errors: super::FieldErrors,
    summary: String,
}

#[derive(Template)]
#[template(path = "user_detail.html")]
struct UserDetail {
    chrome: Chrome,
    id: i64,
    version: i64,
    active: bool,
    locked: bool,
    locked_until: String,
    f: UserFields,
    editing: bool,
    roles: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    errors: super::FieldErrors,
    summary: String,
}

fn require_admin(pc: &PageCaller) -> Result<(), PageError> {
    if pc.caller.can(Permission::ManageUsers) {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden(
            "仅安委办管理员可管理用户".into(),
        )))
    }
}

async fn options(
    state: &AppState,
    pc: &PageCaller,
) -> Result<(String, Options, Vec<anjian_app::records::users::User>), PageError> {
    let caller = pc.caller.clone();
    let (instance, regions, deps, users) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.list_regions(&caller, None, Some("township"))?,
            app.list_departments(&caller)?,
            app.list_users(&caller)?,
        ))
    })
    .await?;
    Ok((
        instance,
        Options {
            roles: ALL_ROLES
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string()))
                .collect(),
            regions: regions
                .into_iter()
                .filter(|r| r.level == "county" || r.level == "township")
                .map(|r| (r.code, r.name))
                .collect(),
            departments: deps
                .into_iter()
                .map(|d| (d.id.to_string(), d.name))
                .collect(),
        },
        users,
    ))
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    f: UserFields,
    errors: super::FieldErrors,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    require_admin(pc)?;
    let (instance, o, users) = options(state, pc).await?;
    let now = anjian_app::records::auth::ts(state.app.clock.now());
    let region_name = |c: &str| {
        o.regions
            .iter()
            .find(|r| r.0 == c)
            .map(|r| r.1.clone())
            .unwrap_or(c.to_string())
    };
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            role: Role::parse(&u.role)
                .map(|r| r.label().to_string())
                .unwrap_or(u.role.clone()),
            region: region_name(&u.region_code),
            unit: match (u.department_id, u.enterprise_id) {
                (Some(d), _) => o
                    .departments
                    .iter()
                    .find(|x| x.0 == d.to_string())
                    .map(|x| x.1.clone())
                    .unwrap_or_default(),
                (_, Some(e)) => format!("企业 #{e}"),
                _ if !u.site_ids.is_empty() => format!("派驻 {} 家单位", u.site_ids.len()),
                _ => String::new(),
            },
            active: u.active,
            locked: u.locked_until.as_deref().is_some_and(|l| l > now.as_str()),
            last_login: u
                .last_login_at
                .as_deref()
                .map(anjian_app::auth::local_time)
                .unwrap_or("从未登录".into()),
            username: u.username,
            display_name: u.display_name,
        })
        .collect();
    let page = UsersPage {
        chrome: Chrome::new(pc, instance, "用户与权限", "users").flash(flash),
        rows,
        f,
        editing: false,
        roles: o.roles,
        regions: o.regions,
        departments: o.departments,
        summary: errors.summary(),
        errors,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let f = UserFields {
        role: "department".into(),
        region_code: pc.caller.user.region_code.clone(),
        ..Default::default()
    };
    list_page(
        &state,
        &pc,
        f,
        Default::default(),
        q.get("saved").map(|_| "用户已保存"),
    )
    .await
}

fn fields_of(form: &FormPairs) -> UserFields {
    UserFields {
        username: form.get("username"),
        display_name: form.get("display_name"),
        role: form.get("role"),
        region_code: form.get("region_code"),
        department_id: form.get("department_id"),
        enterprise_id: form.get("enterprise_id"),
        site_ids: form.get("site_ids"),
        phone: form.get("phone"),
    }
}

fn new_user(
    f: &UserFields,
    password: Option<String>,
    active: bool,
) -> Result<NewUser, BTreeMap<String, Vec<String>>> {
    let mut errors = BTreeMap::new();
    let mut int = |name: &str, v: &str| -> Option<i64> {
        if v.trim().is_empty() {
            return None;
        }
        match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.insert(name.to_string(), vec!["应为数字编号".to_string()]);
                None
            }
        }
    };
    let department_id = int("department_id", &f.department_id);
    let enterprise_id = int("enterprise_id", &f.enterprise_id);
    let mut site_ids = Vec::new();
    for s in f
        .site_ids
        .split([',', '，', ' '])
        .filter(|s| !s.trim().is_empty())
    {
        match s.trim().parse::<i64>() {
            Ok(n) => site_ids.push(n),
            Err(_) => {
                errors.insert("site_ids".into(), vec!["应为逗号分隔的企业编号".into()]);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewUser {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        password,
        region_code: Some(f.region_code.clone()).filter(|s| !s.is_empty()),
        department_id,
        enterprise_id,
        phone: Some(f.phone.clone()).filter(|s| !s.is_empty()),
        active,
        site_ids,
        version: None,
    })
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_admin(&pc)?;
    pc.check_csrf(&form)?;
    let f = fields_of(&form);
    let u = match new_user(
        &f,
        Some(
            form.0
                .iter()
                .find(|(k, _)| k == "password")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        ),
        true,
    ) {
        Ok(u) => u,
        Err(errors) => return list_page(&state, &pc, f, errors.into(), None).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_user(&caller, &u)).await {
        Ok(id) => Ok(see_other(&format!("/users/{id}?saved=1"))),
        Err(AppError::Validation(v)) => list_page(&state, &pc, f, v.fields.into(), None).await,
        Err(e) => Err(e.into()),
    }
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    f: Option<UserFields>,
    errors: super::FieldErrors,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    require_admin(pc)?;
    let caller = pc.caller.clone();
    let u = blocking(state, move |app| app.get_user(&caller, id)).await?;
    let (instance, o, _) = options(state, pc).await?;
    let now = anjian_app::records::auth::ts(state.app.clock.now());
    let f = f.unwrap_or_else(|| UserFields {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        region_code: u.region_code.clone(),
        department_id: u.department_id.map(|d| d.to_string()).unwrap_or_default(),
        enterprise_id: u.enterprise_id.map(|d| d.to_string()).unwrap_or_default(),
        site_ids: u
            .site_ids
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(","),
        phone: u.phone.clone().unwrap_or_default(),
    });
    let locked = u.locked_until.as_deref().is_some_and(|l| l > now.as_str());
    let page = UserDetail {
        chrome: Chrome::new(pc, instance, "用户管理", "users").flash(flash),
        id,
        version: u.version,
        active: u.active,
        locked,
        locked_until: u
            .locked_until
            .as_deref()
            .map(anjian_app::auth::local_time)
            .unwrap_or_default(),
        f,
        editing: true,
        roles: o.roles,
        regions: o.regions,
        departments: o.departments,
        summary: errors.summary(),
        errors,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let flash = q
        .get("saved")
        .map(|_| "已保存")
        .or(q.get("revoked").map(|_| "已吊销该用户的全部会话和令牌"));
    detail_page(&state, &pc, id, None, Default::default(), flash).await
}

async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_admin(&pc)?;
    pc.check_csrf(&form)?;
    let f = fields_of(&form);
    let version: i64 = form.get("version").parse().unwrap_or(0);
    let u = match new_user(&f, None, form.flag("active")) {
        Ok(u) => u,
        Err(errors) => return detail_page(&state, &pc, id, Some(f), errors.into(), None).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.update_user(&caller, id, version, &u)).await {
        Ok(()) => Ok(see_other(&format!("/users/{id}?saved=1"))),
        Err(AppError::Validation(v)) => {
            detail_page(&state, &pc, id, Some(f), v.fields.into(), None).await
        }
        Err(AppError::Conflict(m)) => {
            detail_page(
                &state,
                &pc,
                id,
                Some(f),
                super::FieldErrors::general(m),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn password(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_admin(&pc)?;
    pc.check_csrf(&form)?;
    let pw = form
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.set_password(&caller, id, &pw, None)).await {
        Ok(()) => Ok(see_other(&format!("/users/{id}?saved=1"))),
        Err(AppError::Validation(v)) => {
            let mut errors = BTreeMap::new();
            errors.insert(
                "_".to_string(),
                v.fields.into_values().flatten().collect::<Vec<_>>(),
            );
            detail_page(&state, &pc, id, None, errors.into(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn revoke(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_admin(&pc)?;
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    blocking(&state, move |app| app.revoke_tokens(&caller, id)).await?;
    Ok(see_other(&format!("/users/{id}?revoked=1")))
}
