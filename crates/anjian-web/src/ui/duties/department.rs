//! A department's page: what it is, and its duty list (职责清单) as of a day — its duty items,
//! those naming a sector being the sectors it supervises, each with the document behind it —
//! with the form that adds an item (安委办).

use super::*;
use anjian_app::duties::DutyLine;
use anjian_app::records::organisation::Department;

#[derive(Template)]
#[template(path = "department_detail.html")]
struct DepartmentPage {
    chrome: Chrome,
    dept: Department,
    lines: Vec<DutyLine>,
    as_of: String,
    sectors: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    kept: Kept,
    today: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DepartmentQuery {
    as_of: Option<String>,
    saved: Option<String>,
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    as_of: Option<String>,
    kept: Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let day = as_of.clone();
    let (instance, dept, lines, sectors) = blocking(state, move |app| {
        let dept = app.get_department(&caller, id)?;
        let lines = app.department_duties(&caller, id, day.as_deref())?;
        let sectors = app
            .list_sectors(&caller)?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect::<Vec<_>>();
        Ok((app.instance_name()?, dept, lines, sectors))
    })
    .await?;
    let p = DepartmentPage {
        chrome: Chrome::new(pc, instance, &dept.name, "departments").flash(flash),
        dept,
        lines,
        as_of: as_of.unwrap_or_default(),
        sectors,
        kinds: doc_kinds(),
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        kept,
        today: state.app.clock.today().to_string(),
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn department(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<DepartmentQuery>,
) -> Result<Response, PageError> {
    let as_of = q.as_of.filter(|s| !s.trim().is_empty());
    let flash = q.saved.as_ref().map(|_| "职责条目已保存");
    page(&state, &pc, id, as_of, Kept::none(), flash).await
}

/// Adds a duty item to this department.
pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = draft_of(&form, id);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_duty(&caller, &d)).await {
        Ok(_) => Ok(see_other(&format!("/departments/{id}?saved=1"))),
        Err(e) => {
            let kept = Kept::refused("duty", &form, super::super::refusal(e)?);
            page(&state, &pc, id, None, kept, None).await
        }
    }
}
