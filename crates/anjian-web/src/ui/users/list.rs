//! The user list, or its officers alone (执法人员: the users with a 执法证号).

use super::*;

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
    /// 执法证号, empty for staff without one.
    pub cert_no: String,
    /// The certificate's last valid day.
    pub cert_valid_until: String,
    /// Whether the certificate has run out (today is after its last valid day).
    pub cert_expired: bool,
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
    errors: crate::ui::FieldErrors,
    summary: String,
    /// Only the officers (users with a certificate) are listed.
    officers_only: bool,
}

pub(super) async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    f: UserFields,
    errors: crate::ui::FieldErrors,
    flash: Option<&str>,
    officers_only: bool,
) -> Result<Response, PageError> {
    require_admin(pc)?;
    let today = state.app.clock.today();
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
        .filter(|u| !officers_only || u.cert_no.is_some())
        .map(|u| UserRow {
            cert_no: u.cert_no.clone().unwrap_or_default(),
            cert_valid_until: u
                .cert_valid_until
                .map(|d| d.to_string())
                .unwrap_or_default(),
            cert_expired: u.cert_no.is_some() && u.cert_valid_until.is_none_or(|d| d < today),
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
        officers_only,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub(super) async fn list(
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
        q.get("officers").is_some_and(|v| v == "1"),
    )
    .await
}
