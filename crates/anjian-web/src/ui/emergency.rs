//! 应急资源 pages: the list of the caller's teams, experts, supplies, depots and shelters with
//! the day each is next due for its check, the form for a new one (each kind's own fields),
//! the ledger's export and import, and a resource's page with its checks and the check form.

use super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::emergency::{CheckDraft, ResourceDraft, ResourceView};
use anjian_app::records::emergency::ResourceCheck;
use anjian_domain::emergency::{ResourceKind, degrees_text};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/emergency-resources", get(list).post(create))
        .route(
            "/emergency-resources/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/emergency-resources/{id}", get(detail))
        .route("/emergency-resources/{id}/checks", post(check))
}

#[derive(Template)]
#[template(path = "emergency_resources.html")]
struct ListPage {
    chrome: Chrome,
    list: Vec<ResourceView>,
    kind: String,
    kinds: Vec<(String, String)>,
    towns: Vec<(String, String)>,
    depots: Vec<(i64, String)>,
    may_write: bool,
    kept: Kept,
}

impl ListPage {
    /// What a row states beyond its name, by kind.
    fn brief(&self, v: &ResourceView) -> String {
        let r = &v.record;
        match r.kind {
            ResourceKind::Team => format!("{}人，{}", r.members.unwrap_or(0), r.speciality),
            ResourceKind::Expert => r.speciality.clone(),
            ResourceKind::Supply => {
                let at = if r.depot_name.is_empty() {
                    String::new()
                } else {
                    format!("，存放于{}", r.depot_name)
                };
                format!("{}{}{}", r.quantity.unwrap_or(0), r.unit, at)
            }
            ResourceKind::Depot => r.capacity.map(|c| format!("{c}平方米")).unwrap_or_default(),
            ResourceKind::Shelter => format!("可容纳{}人", r.capacity.unwrap_or(0)),
        }
    }
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q.get("saved").map(|_| "已保存。".to_string());
    let kind = q.get("kind").cloned().unwrap_or_default();
    list_page(&state, &pc, kind, Kept::none(), notice).await
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    kind: String,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let k = kind.clone();
    let (instance, list, towns, depots) = blocking(state, move |app| {
        let list = app.emergency_resources(&caller, Some(k.as_str()), None)?;
        let depots = app
            .emergency_resources(&caller, Some("depot"), None)?
            .into_iter()
            .map(|v| (v.record.id, v.record.name))
            .collect();
        Ok((app.instance_name()?, list, app.townships(&caller)?, depots))
    })
    .await?;
    let mut chrome = Chrome::new(pc, instance, "应急资源", "emergency");
    chrome.notice = notice;
    let page = ListPage {
        chrome,
        list,
        kind,
        kinds: ResourceKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect(),
        towns,
        depots,
        may_write: pc.caller.scope.writable && pc.caller.can(Permission::ManageEmergencyResources),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = ResourceDraft {
        kind: form.get("kind"),
        name: form.get("name"),
        region_code: form.get("region_code"),
        department_id: String::new(),
        members: form.get("members"),
        speciality: form.get("speciality"),
        quantity: form.get("quantity"),
        unit: form.get("unit"),
        capacity: form.get("capacity"),
        depot_id: form.get("depot_id"),
        contact: form.get("contact"),
        phone: form.get("phone"),
        address: form.get("address"),
        lng: form.get("lng"),
        lat: form.get("lat"),
        last_checked_on: form.get("last_checked_on"),
        note: form.get("note"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.create_emergency_resource(&caller, &d)
    })
    .await
    {
        Ok(v) => Ok(see_other(&format!(
            "/emergency-resources/{}?saved=1",
            v.record.id
        ))),
        Err(e) => {
            let kept = Kept::refused("resource", &form, refusal(e)?);
            list_page(&state, &pc, String::new(), kept, None).await
        }
    }
}

async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    super::imports::import_page(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入应急资源",
            nav: "emergency",
            back: "/emergency-resources".into(),
            action: "/emergency-resources/import".into(),
        },
        |app, caller, t, opts| app.import_emergency_resources(caller, t, opts),
    )
    .await
}

#[derive(Template)]
#[template(path = "emergency_resource.html")]
struct DetailPage {
    chrome: Chrome,
    v: ResourceView,
    checks: Vec<ResourceCheck>,
    today: String,
    may_write: bool,
    kept: Kept,
}

impl DetailPage {
    fn point(&self) -> String {
        match (self.v.record.lng_micro, self.v.record.lat_micro) {
            (Some(a), Some(b)) => format!("东经 {}，北纬 {}", degrees_text(a), degrees_text(b)),
            _ => "未登记".into(),
        }
    }
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q.get("saved").map(|_| "已保存。".to_string());
    detail_page(&state, &pc, id, Kept::none(), notice).await
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (v, checks), today) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.emergency_resource(&caller, id)?,
            app.clock.today(),
        ))
    })
    .await?;
    let title = v.record.name.clone();
    let mut chrome = Chrome::new(pc, instance, &title, "emergency");
    chrome.notice = notice;
    let page = DetailPage {
        chrome,
        v,
        checks,
        today: today.to_string(),
        may_write: pc.caller.scope.writable && pc.caller.can(Permission::ManageEmergencyResources),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn check(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = CheckDraft {
        checked_on: form.get("checked_on"),
        ok: form.get("ok"),
        note: form.get("note"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.check_emergency_resource(&caller, id, &d)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/emergency-resources/{id}?saved=1"))),
        Err(e) => {
            let kept = Kept::refused("check", &form, refusal(e)?);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}
