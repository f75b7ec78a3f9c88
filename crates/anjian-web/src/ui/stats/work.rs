//! Work records: the list with its filters, the entry form and the import.

use super::uploaded_file;
use crate::extract::{FormPairs, PageCaller};
use crate::query::{WorkQuery, work_filter_of};
use crate::ui::{Chrome, render_refused, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::records::work::WorkItemType;
use anjian_app::work::WorkRecordInput;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;

pub struct WorkLine {
    pub id: i64,
    pub item: String,
    pub done_on: String,
    pub region: String,
    pub department: String,
    pub quantity: i64,
    pub unit: String,
    pub campaign: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "work_records.html")]
struct WorkPage {
    chrome: Chrome,
    lines: Vec<WorkLine>,
    next: Option<String>,
    items: Vec<WorkItemType>,
    campaigns: Vec<(String, String)>,
    towns: Vec<(String, String)>,
    /// The region picker: (group label, [(code, name)]), the county first, then each
    /// township with its villages.
    region_groups: Vec<(String, Vec<(String, String)>)>,
    q_item: String,
    q_region: String,
    q_campaign: String,
    q_from: String,
    q_to: String,
    query: String,
    can_write: bool,
    error: Option<String>,
    /// The record form as typed, when it was refused.
    kept: crate::ui::Kept,
    report_lines: Vec<String>,
    /// The import form's "ignore unrecognised columns" box, as last submitted.
    ignore_columns: bool,
}

async fn work_page(
    state: &AppState,
    pc: &PageCaller,
    q: WorkQuery,
    error: Option<String>,
    report_lines: Vec<String>,
) -> Result<Response, PageError> {
    work_page_with(
        state,
        pc,
        q,
        error,
        report_lines,
        false,
        crate::ui::Kept::none(),
    )
    .await
}

async fn work_page_with(
    state: &AppState,
    pc: &PageCaller,
    q: WorkQuery,
    error: Option<String>,
    report_lines: Vec<String>,
    ignore_columns: bool,
    kept: crate::ui::Kept,
) -> Result<Response, PageError> {
    let (error, f) = match work_filter_of(&q) {
        Ok(f) => (error, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::work::WorkFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let caller = pc.caller.clone();
    let (instance, page, items, campaigns, towns, departments, regions, region_groups) =
        blocking(state, move |app| {
            let page = app.work_records(&caller, &f)?;
            let towns: Vec<(String, String)> = app.townships(&caller)?;
            let all = app.list_regions(&caller, None, Some("village"))?;
            let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
            let county: Vec<(String, String)> = all
                .iter()
                .filter(|r| r.level == "county")
                .map(|r| (r.code.clone(), format!("{}（本级）", r.name)))
                .collect();
            if !county.is_empty() {
                groups.push(("本级".into(), county));
            }
            for t in all.iter().filter(|r| r.level == "township") {
                let mut opts = vec![(t.code.clone(), format!("{}（全镇/街道）", t.name))];
                opts.extend(
                    all.iter()
                        .filter(|r| r.parent_code.as_deref() == Some(t.code.as_str()))
                        .map(|r| (r.code.clone(), r.name.clone())),
                );
                groups.push((t.name.clone(), opts));
            }
            let names =
                app.region_names(&caller, page.items.iter().map(|w| w.region_code.as_str()))?;
            Ok((
                app.instance_name()?,
                page,
                app.work_item_types()?,
                app.campaigns(&caller)?
                    .into_iter()
                    .map(|c| (c.code, c.name))
                    .collect::<Vec<_>>(),
                towns,
                app.all_departments(&caller)?,
                names,
                groups,
            ))
        })
        .await?;
    let lines = page
        .items
        .iter()
        .map(|w| {
            let t = items.iter().find(|t| t.code == w.item_code);
            WorkLine {
                id: w.id,
                item: t
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| w.item_code.clone()),
                done_on: w.done_on.to_string(),
                region: regions
                    .get(&w.region_code)
                    .cloned()
                    .unwrap_or_else(|| w.region_code.clone()),
                department: w
                    .department_id
                    .and_then(|d| departments.iter().find(|x| x.id == d))
                    .map(|d| d.short_name.clone())
                    .unwrap_or_default(),
                quantity: w.quantity,
                unit: t.map(|t| t.unit.clone()).unwrap_or_default(),
                campaign: w.campaign.clone().unwrap_or_default(),
                place: w.place.clone(),
            }
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = [
        ("item_code", &q.item_code),
        ("region_code", &q.region_code),
        ("campaign", &q.campaign),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_ref()
            .filter(|x| !x.is_empty())
            .map(|x| format!("{k}={}", crate::ui::urlencode(x)))
    })
    .collect::<Vec<_>>()
    .join("&");
    let p = WorkPage {
        chrome: Chrome::new(pc, instance, "工作记录", "work_records"),
        lines,
        next: page.next,
        items,
        campaigns,
        towns,
        region_groups,
        q_item: s(&q.item_code),
        q_region: s(&q.region_code),
        q_campaign: s(&q.campaign),
        q_from: s(&q.from),
        q_to: s(&q.to),
        query,
        can_write: pc.caller.can(anjian_domain::scope::Permission::Supervise),
        error,
        kept,
        report_lines,
        ignore_columns,
    };
    Ok(render_refused(&p, p.error.is_some() || p.kept.is_refused()))
}

pub(super) async fn work_list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<WorkQuery>,
) -> Result<Response, PageError> {
    work_page(&state, &pc, q, None, Vec::new()).await
}

pub(super) async fn work_create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = crate::ui::Numbers::new(&form);
    let quantity = n.int("quantity", "数量");
    let input = WorkRecordInput {
        item_code: form.get("item_code"),
        region_code: form.get("region_code"),
        department_id: None,
        sector: None,
        enterprise_id: None,
        done_on: form.get("done_on"),
        quantity: quantity.unwrap_or(-1),
        campaign: Some(form.get("campaign")),
        place: form.get("place"),
        note: form.get("note"),
    };
    let refused = |errors| crate::ui::Kept::refused("record", &form, errors);
    let kept = if n.errors.is_empty() {
        let caller = pc.caller.clone();
        match blocking(&state, move |app| app.create_work_record(&caller, &input)).await {
            Ok(_) => return Ok(see_other("/work-records")),
            Err(e) => refused(crate::ui::refusal(e)?),
        }
    } else {
        refused(n.errors)
    };
    let q = WorkQuery::default();
    work_page_with(&state, &pc, q, None, Vec::new(), false, kept).await
}

pub(super) async fn work_import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let (ext, data, ignore_columns) = match uploaded_file(&pc, mp).await? {
        Ok(x) => x,
        Err(m) => return work_page(&state, &pc, WorkQuery::default(), Some(m), Vec::new()).await,
    };
    let caller = pc.caller.clone();
    let opts = anjian_app::import::ImportOptions {
        skip_invalid: false,
        ignore_columns,
    };
    let r = blocking(&state, move |app| {
        let t = app.read_import_table(&caller.user.username, &ext, &data)?;
        drop(data);
        app.import_work_records(&caller, &t, opts)
    })
    .await;
    let q = WorkQuery::default();
    match r {
        Ok(rep) if rep.invalid_count == 0 => Ok(see_other("/work-records")),
        Ok(rep) => {
            let msg = format!("有 {} 行数据有误，未导入任何记录", rep.invalid_count);
            let kept = crate::ui::Kept::none();
            work_page_with(&state, &pc, q, Some(msg), rep.lines(), ignore_columns, kept).await
        }
        Err(e) => match super::refusal_text(&e) {
            Some((m, columns)) => {
                let kept = crate::ui::Kept::none();
                work_page_with(&state, &pc, q, Some(m), columns, ignore_columns, kept).await
            }
            None => Err(e.into()),
        },
    }
}
