//! The sector list (行业领域) page and its form.

use super::*;

pub struct SectorRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub active: bool,
    pub departments: Vec<String>,
}

#[derive(Template)]
#[template(path = "sectors.html")]
struct SectorsPage {
    chrome: Chrome,
    rows: Vec<SectorRow>,
    can_manage: bool,
    error: Option<String>,
}

async fn sectors_page(
    state: &AppState,
    pc: &PageCaller,
    error: Option<String>,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, sectors, deps) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.list_sectors(&caller)?,
            app.list_departments(&caller)?,
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
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

pub(super) async fn sectors(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    sectors_page(&state, &pc, None, q.get("saved").map(|_| "行业领域已保存")).await
}

pub(super) async fn save_sector(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let sort_order = match form.get("sort_order").parse::<i64>() {
        Ok(n) => n,
        Err(_) => return sectors_page(&state, &pc, Some("排序应为整数".into()), None).await,
    };
    let s = Sector {
        code: form.get("code"),
        name: form.get("name"),
        description: form.get("description"),
        sort_order,
        active: form.get("active") != "off",
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.save_sector(&caller, &s)).await {
        Ok(()) => Ok(see_other("/sectors?saved=1")),
        Err(AppError::Validation(v)) => {
            sectors_page(
                &state,
                &pc,
                Some(
                    v.fields
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
