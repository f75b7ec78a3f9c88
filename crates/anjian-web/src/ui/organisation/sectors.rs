//! The sector list (行业领域) page and its form.

use super::*;
use anjian_domain::leader::AreaKind;

pub struct SectorRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub active: bool,
    pub departments: Vec<String>,
    /// The leader answering for the sector today (包线), if any.
    pub leader: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "sectors.html")]
struct SectorsPage {
    chrome: Chrome,
    rows: Vec<SectorRow>,
    can_manage: bool,
    kept: crate::ui::Kept,
}

async fn sectors_page(
    state: &AppState,
    pc: &PageCaller,
    kept: crate::ui::Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, sectors, deps, mut leaders) = blocking(state, move |app| {
        let leaders = if caller.can(Permission::ViewCountyWork) {
            app.area_leaders(&caller, AreaKind::Sector, app.clock.today())?
        } else {
            Default::default()
        };
        Ok((
            app.instance_name()?,
            app.list_sectors(&caller)?,
            app.list_departments(&caller)?,
            leaders,
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
            leader: leaders.remove(&s.code).map(|v| {
                (
                    v.assignment.leader_id,
                    format!("{}（{}）", v.leader_name, v.leader_post),
                )
            }),
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
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

pub(super) async fn sectors(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    sectors_page(
        &state,
        &pc,
        crate::ui::Kept::none(),
        q.get("saved").map(|_| "行业领域已保存"),
    )
    .await
}

pub(super) async fn save_sector(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = crate::ui::Numbers::new(&form);
    let sort_order = n.int("sort_order", "排序").unwrap_or(100);
    let s = Sector {
        code: form.get("code"),
        name: form.get("name"),
        description: form.get("description"),
        sort_order,
        active: form.get("active") != "off",
    };
    let errors = if n.errors.is_empty() {
        let caller = pc.caller.clone();
        match blocking(&state, move |app| app.save_sector(&caller, &s)).await {
            Ok(()) => return Ok(see_other("/sectors?saved=1")),
            Err(e) => crate::ui::refusal(e)?,
        }
    } else {
        n.errors
    };
    let kept = crate::ui::Kept::refused("sector", &form, errors);
    sectors_page(&state, &pc, kept, None).await
}
