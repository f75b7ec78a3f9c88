//! A ledger row's form (built from its definition version's fields, with the same reading as
//! the API) and its page (values, files, hazards, history).

use super::*;
use anjian_app::campaigns::{CampaignRowInput, RowChange, may_fill};
use anjian_app::records::capability::Attachment;
use anjian_domain::campaign::Field;

/// Whether the page's caller fills rows of this object type.
pub(super) fn fills(pc: &PageCaller, ot: &ObjectType) -> bool {
    may_fill(&pc.caller, ot)
}

/// One input of the form.
pub struct Input {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub help: String,
    /// text, textarea, number, date, select, enterprise, file.
    pub control: &'static str,
    pub unit: String,
    pub options: Vec<(String, String)>,
}

fn input_of(f: &Field, places: &[(String, String)]) -> Input {
    let (control, options) = match &f.kind {
        FieldKind::Text { max_len, .. } if *max_len > 100 => ("textarea", vec![]),
        FieldKind::Text { .. } => ("text", vec![]),
        FieldKind::Number { .. } => ("number", vec![]),
        FieldKind::Date => ("date", vec![]),
        FieldKind::Choice { options } => (
            "select",
            options.iter().map(|o| (o.clone(), o.clone())).collect(),
        ),
        FieldKind::YesNo => (
            "select",
            vec![("是".into(), "是".into()), ("否".into(), "否".into())],
        ),
        FieldKind::Region => ("select", places.to_vec()),
        FieldKind::Enterprise => ("enterprise", vec![]),
        FieldKind::Attachment => ("file", vec![]),
    };
    let help = match (&f.required_when, f.help.is_empty()) {
        (Some(_), true) => "视其他字段的取值，可能须填写".to_string(),
        _ => f.help.clone(),
    };
    Input {
        key: f.key.clone(),
        label: f.label.clone(),
        required: f.required,
        help,
        control,
        unit: f.unit().to_string(),
        options,
    }
}

#[derive(Template)]
#[template(path = "campaign_row_form.html")]
struct FormPage {
    chrome: Chrome,
    back: String,
    action: String,
    ledger: String,
    campaign_name: String,
    object_name: String,
    inputs: Vec<Input>,
    defaults: BTreeMap<String, String>,
    version: i64,
    kept: Kept,
}

impl FormPage {
    fn v(&self, k: &str) -> String {
        self.kept
            .val(k, self.defaults.get(k).map(String::as_str).unwrap_or(""))
    }

    fn sel(&self, k: &str, code: &str) -> bool {
        self.kept.sel(
            k,
            code,
            self.defaults.get(k).map(String::as_str).unwrap_or(""),
        )
    }
}

/// Where a form is: a new row of (campaign, object), or an existing row.
enum Target {
    New(String, String),
    Row(i64),
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    target: Target,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let t = match &target {
        Target::New(c, o) => (Some((c.clone(), o.clone())), None),
        Target::Row(id) => (None, Some(*id)),
    };
    let (instance, view, row, places) = blocking(state, move |app| {
        let (view, row) = match t {
            (Some((c, _)), _) => (app.campaign(&caller, &c, None)?, None),
            (None, Some(id)) => {
                let r = app.campaign_row(&caller, id)?;
                (
                    app.campaign(
                        &caller,
                        &r.record.campaign,
                        Some(r.record.definition_version),
                    )?,
                    Some(r),
                )
            }
            _ => return Err(anjian_app::AppError::NotFound),
        };
        Ok((
            app.instance_name()?,
            view,
            row,
            app.campaign_places(&caller)?,
        ))
    })
    .await?;
    let object = match (&target, &row) {
        (Target::New(_, o), _) => o.clone(),
        (_, Some(r)) => r.record.object_type.clone(),
        _ => return Err(not_found()),
    };
    let ot = view.definition.object(&object).ok_or_else(not_found)?;
    if !fills(pc, ot) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(format!(
            "您不能填报“{}”台账",
            ot.name
        ))));
    }
    let mut defaults: BTreeMap<String, String> = BTreeMap::new();
    let version = match &row {
        Some(r) => {
            for f in &r.fields {
                defaults.insert(f.key.clone(), f.typed.clone());
            }
            defaults.insert("recorded_on".into(), r.record.recorded_on.to_string());
            r.record.version
        }
        None => {
            defaults.insert("recorded_on".into(), state.app.clock.today().to_string());
            0
        }
    };
    let ledger = format!("/campaign-ledgers/{}/{}", view.definition.code, ot.key);
    let (action, back) = match &row {
        Some(r) => (
            format!("/campaign-rows/{}/edit", r.record.id),
            format!("/campaign-rows/{}", r.record.id),
        ),
        None => (format!("{ledger}/new"), ledger.clone()),
    };
    let p = FormPage {
        chrome: Chrome::new(
            pc,
            instance,
            &if row.is_some() {
                format!("修改{}", ot.name)
            } else {
                format!("登记{}", ot.name)
            },
            "campaign_ledgers",
        ),
        back,
        action,
        ledger,
        campaign_name: view.definition.name.clone(),
        object_name: ot.name.clone(),
        inputs: ot.fields.iter().map(|f| input_of(f, &places)).collect(),
        defaults,
        version,
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

fn ledger_path(
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<(String, String), PageError> {
    p.map(|Path(v)| v).map_err(|_| not_found())
}

fn row_id(p: Result<Path<String>, PathRejection>) -> Result<i64, PageError> {
    let Ok(Path(id)) = p else {
        return Err(not_found());
    };
    crate::extract::parse_id(&id).map_err(|_| not_found())
}

pub(super) async fn new(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, PageError> {
    let (c, o) = ledger_path(p)?;
    form_page(&state, &pc, Target::New(c, o), Kept::none()).await
}

pub(super) async fn edit(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<String>, PathRejection>,
) -> Result<Response, PageError> {
    let id = row_id(p)?;
    form_page(&state, &pc, Target::Row(id), Kept::none()).await
}

/// The typed values of the form: every pair but the form's own.
fn typed(form: &FormPairs) -> CampaignRowInput {
    let fields = form
        .0
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "_csrf" | "version" | "recorded_on"))
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    CampaignRowInput {
        fields,
        recorded_on: Some(form.get("recorded_on")),
    }
}

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    target: Target,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = typed(&form);
    let version = form.get("version").trim().parse::<i64>().unwrap_or(0);
    let caller = pc.caller.clone();
    let t = match &target {
        Target::New(c, o) => (Some((c.clone(), o.clone())), None),
        Target::Row(id) => (None, Some(*id)),
    };
    let r = blocking(&state, move |app| match t {
        (Some((c, o)), _) => app.create_campaign_row(&caller, &c, &o, &input),
        (None, Some(id)) => app.update_campaign_row(&caller, id, version, &input),
        _ => Err(anjian_app::AppError::NotFound),
    })
    .await;
    match r {
        Ok(v) => Ok(see_other(&format!(
            "/campaign-rows/{}?saved=1",
            v.record.id
        ))),
        Err(e) => {
            let kept = Kept::refused("row", &form, super::super::refusal(e)?);
            form_page(&state, &pc, target, kept).await
        }
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    let (c, o) = ledger_path(p)?;
    save(state, pc, form, Target::New(c, o)).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<String>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    let id = row_id(p)?;
    save(state, pc, form, Target::Row(id)).await
}

#[derive(Template)]
#[template(path = "campaign_row.html")]
struct DetailPage {
    chrome: Chrome,
    r: CampaignRowView,
    ledger: String,
    files: Vec<Attachment>,
    history: Vec<RowChange>,
    kept: Kept,
}

impl DetailPage {
    /// The file stored in an attachment field, if any.
    fn file_of(&self, key: &str) -> Option<&Attachment> {
        let id = self.r.record.data.get(key)?.as_i64()?;
        self.files.iter().find(|a| a.id == id)
    }
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<String>, PathRejection>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let id = row_id(p)?;
    detail_page(&state, &pc, id, Kept::none(), q.contains_key("saved")).await
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    saved: bool,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, r, files, history) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.campaign_row(&caller, id)?,
            app.campaign_row_files(&caller, id)?,
            app.campaign_row_history(&caller, id)?,
        ))
    })
    .await?;
    let p = DetailPage {
        chrome: Chrome::new(pc, instance, &r.record.title, "campaign_ledgers")
            .flash(saved.then_some("已保存")),
        ledger: format!(
            "/campaign-ledgers/{}/{}",
            r.record.campaign, r.record.object_type
        ),
        r,
        files,
        history,
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<String>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    let id = row_id(p)?;
    pc.check_csrf(&form)?;
    let version = form.get("version").trim().parse::<i64>().unwrap_or(0);
    let caller = pc.caller.clone();
    let before = {
        let caller = caller.clone();
        blocking(&state, move |app| app.campaign_row(&caller, id)).await?
    };
    let r = blocking(&state, move |app| {
        app.delete_campaign_row(&caller, id, version)
    })
    .await;
    match r {
        Ok(()) => Ok(see_other(&format!(
            "/campaign-ledgers/{}/{}?saved=1",
            before.record.campaign, before.record.object_type
        ))),
        Err(e) => {
            let kept = Kept::refused("delete", &form, super::super::refusal(e)?);
            detail_page(&state, &pc, id, kept, false).await
        }
    }
}

/// A file for an attachment field, from the row's page (the version read is in the address:
/// `?version=N`).
pub(super) async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    Query(q): Query<BTreeMap<String, String>>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    use crate::ui::hazards::attachments::{upload_errors, upload_refused};
    let Ok(Path((id, field))) = p else {
        return Err(not_found());
    };
    let id = crate::extract::parse_id(&id).map_err(|_| not_found())?;
    let version = q
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let Ok(mp) = mp else {
        let kept = upload_refused(Default::default(), String::new());
        return detail_page(&state, &pc, id, kept, false).await;
    };
    let (name, data, csrf) = match crate::files::read_upload_keeping(mp).await {
        Ok((name, data, _, csrf, _)) => (name, data, csrf),
        Err((e, note)) => {
            let kept = upload_refused(upload_errors(&e), note);
            return detail_page(&state, &pc, id, kept, false).await;
        }
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.attach_campaign_file(&caller, id, version, &field, &name, data)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/campaign-rows/{id}?saved=1"))),
        Err(e) => {
            let kept = upload_refused(super::super::refusal(e)?, String::new());
            detail_page(&state, &pc, id, kept, false).await
        }
    }
}

/// Links a hazard found on the row, by the hazard's number.
pub(super) async fn link_hazard(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<String>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    let id = row_id(p)?;
    pc.check_csrf(&form)?;
    let typed = form.get("hazard_id");
    let Ok(hazard) = crate::extract::parse_id(&typed) else {
        let mut errors = crate::ui::FieldErrors::default();
        errors.add("hazard_id", "请填写隐患编号（隐患台账中的编号）");
        let kept = Kept::refused("hazard", &form, errors);
        return detail_page(&state, &pc, id, kept, false).await;
    };
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        app.link_campaign_row_hazard(&caller, id, hazard)
    })
    .await;
    match r {
        Ok(()) => Ok(see_other(&format!("/campaign-rows/{id}?saved=1"))),
        Err(anjian_app::AppError::NotFound) => {
            let mut errors = crate::ui::FieldErrors::default();
            errors.add("hazard_id", format!("未找到编号为 {hazard} 的隐患"));
            let kept = Kept::refused("hazard", &form, errors);
            detail_page(&state, &pc, id, kept, false).await
        }
        Err(e) => {
            let kept = Kept::refused("hazard", &form, super::super::refusal(e)?);
            detail_page(&state, &pc, id, kept, false).await
        }
    }
}
