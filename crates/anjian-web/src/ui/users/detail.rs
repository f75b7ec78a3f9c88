//! A user's page: edit, reset the password, revoke the sessions.

use super::*;

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
    errors: crate::ui::FieldErrors,
    summary: String,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    f: Option<UserFields>,
    errors: crate::ui::FieldErrors,
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
        cert_no: u.cert_no.clone().unwrap_or_default(),
        cert_valid_until: u
            .cert_valid_until
            .map(|d| d.to_string())
            .unwrap_or_default(),
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

pub(super) async fn detail(
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

pub(super) async fn update(
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
                crate::ui::FieldErrors::general(m),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn password(
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

pub(super) async fn revoke(
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
