//! The region tree (区划) page and its import form.

use super::*;
use anjian_domain::leader::AreaKind;

pub struct Node {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub count: usize,
    pub children: Vec<Node>,
    /// The leader answering for the township today (包片), if any.
    pub leader: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    chrome: Chrome,
    tree: Vec<Node>,
    townships: usize,
    villages: usize,
    grids: usize,
    can_manage: bool,
    error: Option<String>,
    form_code: String,
    form_name: String,
    form_parent: String,
}

async fn regions_page(
    state: &AppState,
    pc: &PageCaller,
    error: Option<String>,
    form: (String, String, String),
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, all, mut leaders) = blocking(state, move |app| {
        let leaders = if caller.can(Permission::ViewCountyWork) {
            app.area_leaders(&caller, AreaKind::Township, app.clock.today())?
        } else {
            Default::default()
        };
        Ok((
            app.instance_name()?,
            app.list_regions(&caller, None, None)?,
            leaders,
        ))
    })
    .await?;
    let node = |r: &anjian_app::records::organisation::Region| Node {
        code: r.code.clone(),
        name: r.name.clone(),
        kind: r.kind.clone(),
        count: 0,
        children: vec![],
        leader: None,
    };
    let mut tree: Vec<Node> = all
        .iter()
        .filter(|r| r.level == "township")
        .map(node)
        .collect();
    for t in &mut tree {
        t.leader = leaders.remove(&t.code).map(|v| {
            (
                v.assignment.leader_id,
                format!("{}（{}）", v.leader_name, v.leader_post),
            )
        });
        t.children = all
            .iter()
            .filter(|r| r.level == "village" && r.parent_code.as_deref() == Some(t.code.as_str()))
            .map(node)
            .collect();
        for v in &mut t.children {
            v.children = all
                .iter()
                .filter(|r| r.level == "grid" && r.parent_code.as_deref() == Some(v.code.as_str()))
                .map(node)
                .collect();
        }
    }
    let count = |l: &str| all.iter().filter(|r| r.level == l).count();
    let page = RegionsPage {
        chrome: Chrome::new(pc, instance, "行政区划", "regions").flash(flash),
        townships: count("township"),
        villages: count("village"),
        grids: count("grid"),
        tree,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        error,
        form_code: form.0,
        form_name: form.1,
        form_parent: form.2,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

pub(super) async fn regions(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    regions_page(
        &state,
        &pc,
        None,
        Default::default(),
        q.get("saved").map(|_| "区划已保存"),
    )
    .await
}

pub(super) async fn save_region(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let row = RegionRow {
        code: form.get("code"),
        name: form.get("name"),
        parent_code: form.opt("parent_code"),
    };
    let caller = pc.caller.clone();
    let r2 = row.clone();
    match blocking(&state, move |app| app.save_regions(&caller, &[r2])).await {
        Ok(_) => Ok(see_other("/regions?saved=1")),
        Err(AppError::Validation(v)) => {
            let msg = v
                .fields
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            regions_page(
                &state,
                &pc,
                Some(msg),
                (row.code, row.name, row.parent_code.unwrap_or_default()),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
