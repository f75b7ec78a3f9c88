//! A unit's page: its items with values, deductions and who scored them, the records behind
//! each deduction, the 安委办's hand scores, evidence, and objections with their answers.

use super::*;
use crate::ui::FieldErrors;
use anjian_app::assessments::{
    HandScoreInput, ItemRecords, ObjectionAnswer, ObjectionInput, UnitView,
};
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment-units/{id}", get(unit))
        .route("/assessment-units/{id}/score", post(score_item))
        .route("/assessment-units/{id}/objections", post(object))
        .route("/assessment-units/{id}/items/{item}", get(records))
        .route(
            "/assessment-units/{id}/items/{item}/evidence",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/assessment-evidence/{id}", get(download))
        .route("/assessment-objections/{id}/answer", post(answer))
}

fn two_ids(p: Result<Path<(String, String)>, PathRejection>) -> Result<(i64, i64), PageError> {
    let Path((a, b)) = p.map_err(|_| PageError::App(anjian_app::AppError::NotFound))?;
    Ok((
        crate::extract::parse_id(&a).map_err(PageError::App)?,
        crate::extract::parse_id(&b).map_err(PageError::App)?,
    ))
}

#[derive(Template)]
#[template(path = "assessment_unit.html")]
struct UnitPage {
    chrome: Chrome,
    v: UnitView,
    /// The 安委办 answers objections and may upload evidence for any unit.
    office: bool,
    kept: Kept,
}

impl UnitPage {
    fn pts(&self, v: &f64) -> String {
        points(v)
    }
    fn sc(&self, v: &Option<f64>) -> String {
        score(v)
    }
    fn day(&self, t: &str) -> String {
        t.get(..10).unwrap_or(t).to_string()
    }
    /// The score field of a hand score's form: as typed, else the score given (empty
    /// while not scored).
    fn score_field(&self, k: &Kept, v: &Option<f64>) -> String {
        k.val("score", &v.as_ref().map_or_else(String::new, points))
    }
    fn evidence_of(&self, item: &i64) -> Vec<&anjian_app::records::assessments::Evidence> {
        self.v
            .evidence
            .iter()
            .filter(|e| e.item_no == *item)
            .collect()
    }
}

async fn unit_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.assessment_unit(&caller, id)?))
    })
    .await?;
    let page = UnitPage {
        chrome: Chrome::new(pc, instance, "年度考核", "assessments"),
        office: pc.caller.can(Permission::DecideAsCountyOffice),
        v,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn unit(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    unit_page(&state, &pc, id, Kept::none()).await
}

async fn score_item(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let item: i64 = form.get("item").trim().parse().unwrap_or(0);
    let typed = form.get("score");
    let Ok(value) = typed.trim().parse::<f64>() else {
        let mut e = FieldErrors::default();
        e.add("score", "得分应为数字");
        return unit_page(
            &state,
            &pc,
            id,
            Kept::refused(&format!("score.{item}"), &form, e),
        )
        .await;
    };
    let input = HandScoreInput {
        score: value,
        note: form.get("note"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.score_assessment_item(&caller, id, item, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/assessment-units/{id}"))),
        Err(e) => {
            let kept = Kept::refused(&format!("score.{item}"), &form, refusal(e)?);
            unit_page(&state, &pc, id, kept).await
        }
    }
}

async fn object(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = ObjectionInput {
        item: form.get("item").trim().parse().unwrap_or(0),
        reason: form.get("reason"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.file_objection(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/assessment-units/{id}"))),
        Err(e) => {
            let kept = Kept::refused("objection", &form, refusal(e)?);
            unit_page(&state, &pc, id, kept).await
        }
    }
}

async fn answer(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let unit: i64 = form.get("unit").trim().parse().unwrap_or(0);
    let typed = form.get("score");
    let score = if typed.trim().is_empty() {
        None
    } else {
        match typed.trim().parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let mut e = FieldErrors::default();
                e.add("score", "得分应为数字");
                return unit_page(
                    &state,
                    &pc,
                    unit,
                    Kept::refused(&format!("answer.{id}"), &form, e),
                )
                .await;
            }
        }
    };
    let input = ObjectionAnswer {
        action: form.get("action"),
        score,
        answer: form.get("answer"),
        version: form.get("version").trim().parse().unwrap_or(0),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.answer_objection(&caller, id, &input)).await {
        Ok(o) => Ok(see_other(&format!(
            "/assessment-units/{}",
            o.objection.unit_id
        ))),
        Err(e) => {
            let kept = Kept::refused(&format!("answer.{id}"), &form, refusal(e)?);
            unit_page(&state, &pc, unit, kept).await
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let (id, item) = two_ids(p)?;
    let form = format!("evidence.{item}");
    let refused = |errors: FieldErrors, note: String| {
        let k = crate::ui::hazards::upload_refused(errors, note);
        Kept::refused(
            &form,
            &FormPairs(vec![("note".into(), k.nth("note", 0))]),
            k.errors,
        )
    };
    let Ok(mp) = mp else {
        return unit_page(
            &state,
            &pc,
            id,
            refused(FieldErrors::default(), String::new()),
        )
        .await;
    };
    let (name, data, note, csrf) = match crate::files::read_upload_keeping(mp).await {
        Ok((name, data, note, csrf, _)) => (name, data, note, csrf),
        Err((e, note)) => {
            let kept = refused(crate::ui::hazards::upload_errors(&e), note);
            return unit_page(&state, &pc, id, kept).await;
        }
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    let typed = note.clone();
    match blocking(&state, move |app| {
        app.add_assessment_evidence(&caller, id, item, &name, data, &note)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/assessment-units/{id}"))),
        Err(e) => {
            let kept = refused(refusal(e)?, typed);
            unit_page(&state, &pc, id, kept).await
        }
    }
}

async fn download(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (e, data) = blocking(&state, move |app| app.assessment_evidence_file(&caller, id)).await?;
    Ok(crate::files::file_response(
        data,
        &e.content_type,
        &e.file_name,
    ))
}

#[derive(Template)]
#[template(path = "assessment_records.html")]
struct RecordsPage {
    chrome: Chrome,
    r: ItemRecords,
}

impl RecordsPage {
    fn pts(&self, v: &f64) -> String {
        points(v)
    }
    fn href(&self, entity: &str, id: &Option<i64>) -> String {
        crate::ui::stats::metrics::href_of(entity, *id)
    }
    fn kind(&self, entity: &str) -> &'static str {
        anjian_app::stats::entity_label(entity)
    }
}

async fn records(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, PageError> {
    let (id, item) = two_ids(p)?;
    let caller = pc.caller.clone();
    let (instance, r) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.assessment_item_records(&caller, id, item)?,
        ))
    })
    .await?;
    Ok(crate::ui::render(&RecordsPage {
        chrome: Chrome::new(&pc, instance, "扣分依据", "assessments"),
        r,
    }))
}
