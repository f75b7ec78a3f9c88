//! Editing a duty item (安委办): its text, document, sector and period; ending it is giving
//! its last day.

use super::*;
use anjian_app::duties::DutyView;

#[derive(Template)]
#[template(path = "duty_form.html")]
struct DutyForm {
    chrome: Chrome,
    duty: DutyView,
    sectors: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    kept: Kept,
}

impl DutyForm {
    fn opt(v: &Option<impl std::fmt::Display>) -> String {
        v.as_ref().map(|x| x.to_string()).unwrap_or_default()
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::ManageOrganisation) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "仅安委办管理员可维护职责清单".into(),
        )));
    }
    let caller = pc.caller.clone();
    let (instance, duty, sectors) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.duty(&caller, id)?,
            app.list_sectors(&caller)?
                .into_iter()
                .map(|s| (s.code, s.name))
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let p = DutyForm {
        chrome: Chrome::new(pc, instance, "修改职责条目", "departments"),
        duty,
        sectors,
        kinds: doc_kinds(),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn edit(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    form_page(&state, &pc, id, Kept::none()).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::super::Numbers::new(&form);
    let version = n.int("version", "版本").unwrap_or(0);
    let department_id = n.int("department_id", "部门").unwrap_or(0);
    let kept = if n.errors.is_empty() {
        let d = draft_of(&form, department_id);
        let caller = pc.caller.clone();
        match blocking(&state, move |app| app.update_duty(&caller, id, version, &d)).await {
            Ok(v) => {
                return Ok(see_other(&format!(
                    "/departments/{}?saved=1",
                    v.item.department_id
                )));
            }
            Err(e) => Kept::refused("duty", &form, super::super::refusal(e)?),
        }
    } else {
        Kept::refused("duty", &form, n.errors)
    };
    form_page(&state, &pc, id, kept).await
}
