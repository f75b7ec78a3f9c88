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

mod create;
mod detail;
mod list;
use create::create;
use detail::{detail, password, revoke, update};
use list::list;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(detail).post(update))
        .route("/users/{id}/password", post(password))
        .route("/users/{id}/revoke", post(revoke))
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
    pub cert_no: String,
    pub cert_valid_until: String,
}

struct Options {
    roles: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    departments: Vec<(String, String)>,
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
        cert_no: form.get("cert_no"),
        cert_valid_until: form.get("cert_valid_until"),
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
        cert_no: Some(f.cert_no.clone()).filter(|s| !s.trim().is_empty()),
        cert_valid_until: Some(f.cert_valid_until.clone()).filter(|s| !s.trim().is_empty()),
        version: None,
    })
}
