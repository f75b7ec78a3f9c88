//! The inspection list and its Excel ledger.

use super::*;

pub struct Row {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub enforcement: bool,
    pub unit: String,
    pub region: String,
    pub sector: String,
    pub inspectors: String,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct ListPage {
    chrome: Chrome,
    next: Option<String>,
    next_href: String,
    rows: Vec<Row>,
    can_record: bool,
}

pub(super) async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let (instance, items, sectors) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.inspections_page(
                &caller,
                None,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let sn: HashMap<String, String> = sectors.into_iter().map(|s| (s.code, s.name)).collect();
    let next = items.next;
    let rows = items
        .items
        .into_iter()
        .map(|i| Row {
            inspectors: people(&i),
            id: i.id,
            date: i.inspected_on.to_string(),
            kind: kind_label(&i.kind),
            enforcement: i.enforcement,
            unit: i.enterprise_name.unwrap_or(i.site),
            region: i.region_name,
            sector: sn.get(&i.sector).cloned().unwrap_or(i.sector),
        })
        .collect();
    let can_record = pc.caller.can(anjian_domain::scope::Permission::Supervise);
    Ok(render(&ListPage {
        chrome: Chrome::new(&pc, instance, "监督检查", "inspections"),
        rows,
        next,
        next_href: "/inspections?".into(),
        can_record,
    }))
}

pub(super) async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (items, sectors) = blocking(&state, move |app| {
        Ok((app.inspections(&caller, None)?, app.list_sectors(&caller)?))
    })
    .await?;
    let sn: HashMap<String, String> = sectors.into_iter().map(|s| (s.code, s.name)).collect();
    let headers = [
        "编号",
        "检查日期",
        "检查类型",
        "行政执法检查",
        "被检查单位",
        "检查场所",
        "所在区划",
        "行业领域",
        "执法人员（执法证号）及其他检查人员",
        "检查情况",
    ];
    let widths = [8.0, 12.0, 12.0, 12.0, 30.0, 30.0, 12.0, 14.0, 36.0, 40.0];
    let rows: Vec<Vec<String>> = items
        .into_iter()
        .map(|i| {
            vec![
                i.id.to_string(),
                i.inspected_on.to_string(),
                kind_label(&i.kind).to_string(),
                if i.enforcement {
                    "是".into()
                } else {
                    "否".into()
                },
                i.enterprise_name.clone().unwrap_or_default(),
                i.site.clone(),
                i.region_name.clone(),
                sn.get(&i.sector).cloned().unwrap_or(i.sector.clone()),
                anjian_app::inspections::people_line(&i),
                i.summary.clone(),
            ]
        })
        .collect();
    let bytes = anjian_app::export::render(
        anjian_app::export::ExportFormat::Xlsx,
        "监督检查台账",
        &headers,
        &widths,
        &rows,
    )?;
    Ok(crate::files::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        "inspections.xlsx",
    ))
}
