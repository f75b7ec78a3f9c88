//! Rubric pages: the form with one table row per item (kept on refusal, each row's fields
//! refused by name), copying into another year, and the Excel import into a rubric.

use super::*;
use anjian_app::assessments::{RubricCopy, RubricInput, RubricItemInput};
use anjian_domain::assessment::{Method, RubricItem};
use axum::extract::Multipart;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/assessments/rubrics/new", get(new_form))
        .route("/assessments/rubrics", post(create))
        .route(
            "/assessments/rubrics/import",
            post(import_new).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/assessments/rubrics/{id}", get(show).post(save))
        .route("/assessments/rubrics/{id}/copy", post(copy))
        .route(
            "/assessments/rubrics/{id}/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// One row of the form as shown on a fresh page.
struct Row {
    title: String,
    points: String,
    method: &'static str,
    metric: String,
    of: String,
    direction: &'static str,
    target: String,
    per: String,
    cap: String,
    standard: String,
}

impl Row {
    fn empty() -> Self {
        Row {
            title: String::new(),
            points: String::new(),
            method: "computed",
            metric: String::new(),
            of: String::new(),
            direction: "at_most",
            target: String::new(),
            per: String::new(),
            cap: String::new(),
            standard: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "assessment_rubric.html")]
struct RubricPage {
    chrome: Chrome,
    /// The 安委办 copies rubrics into other years.
    copies: bool,
    /// The year a copy goes to by default (the rubric's next).
    next_year: i64,
    /// The rubric shown (none for a new one).
    r: Option<RubricView>,
    rows: Vec<Row>,
    /// Metric names for the item rows' picker.
    metrics: Vec<String>,
    editable: bool,
    year: i32,
    kept: Kept,
    import_lines: Vec<String>,
}

impl RubricPage {
    fn pts(&self, v: &f64) -> String {
        points(v)
    }
}

/// Rows of a rubric's items, metrics by name; a few empty rows to add items.
fn rows_of(items: &[RubricItem], label: &dyn Fn(&str) -> String) -> Vec<Row> {
    let n = |v: f64| points(&v);
    let mut rows: Vec<Row> = items
        .iter()
        .map(|it| {
            let f = it.formula.as_ref();
            Row {
                title: it.title.clone(),
                points: n(it.points),
                method: it.method.as_str(),
                metric: f.map_or_else(String::new, |f| label(&f.metric)),
                of: f
                    .and_then(|f| f.of.as_deref())
                    .map_or_else(String::new, label),
                direction: f.map_or("at_most", |f| f.direction.as_str()),
                target: f.map_or_else(String::new, |f| n(f.target)),
                per: f.map_or_else(String::new, |f| n(f.per)),
                cap: f.map_or_else(String::new, |f| n(f.cap)),
                standard: it.standard.clone(),
            }
        })
        .collect();
    rows.extend((0..3).map(|_| Row::empty()));
    rows
}

async fn rubric_page(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    kept: Kept,
    import_lines: Vec<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, r, metrics) = blocking(state, move |app| {
        let r = id.map(|id| app.rubric(&caller, id)).transpose()?;
        let metrics: Vec<(String, String)> = app
            .metric_catalogue()?
            .into_iter()
            .map(|m| (m.id, m.label))
            .collect();
        Ok((app.instance_name()?, r, metrics))
    })
    .await?;
    let label = |id: &str| {
        metrics
            .iter()
            .find(|(m, _)| m == id)
            .map_or_else(|| id.to_string(), |(_, l)| l.clone())
    };
    let mut rows = match &r {
        Some(r) => rows_of(&r.rubric.items, &label),
        None => (0..8).map(|_| Row::empty()).collect(),
    };
    // A refused form comes back with as many rows as were sent.
    let sent = kept.nth_count("title");
    while rows.len() < sent {
        rows.push(Row::empty());
    }
    let mut names: Vec<String> = metrics.into_iter().map(|(_, l)| l).collect();
    names.sort();
    names.dedup();
    let page = RubricPage {
        chrome: Chrome::new(pc, instance, "考核细则", "assessments"),
        copies: pc.caller.can(Permission::ConfigureCounty),
        next_year: r.as_ref().map_or(0, |r| r.rubric.year + 1),
        editable: pc.caller.can(Permission::ConfigureCounty) && r.as_ref().is_none_or(|r| !r.fixed),
        year: chrono::Datelike::year(&state.app.clock.today()),
        r,
        rows,
        metrics: names,
        kept,
        import_lines,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn new_form(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    rubric_page(&state, &pc, None, Kept::none(), Vec::new()).await
}

async fn show(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    rubric_page(&state, &pc, Some(id), Kept::none(), Vec::new()).await
}

/// The rows of the form: every row with anything typed in it.
fn input_of(form: &FormPairs) -> RubricInput {
    let col = |k: &str| form.all(k);
    let (titles, pts, methods, metrics, ofs, dirs, targets, pers, caps, stds) = (
        col("title"),
        col("points"),
        col("method"),
        col("metric"),
        col("of"),
        col("direction"),
        col("target"),
        col("per"),
        col("cap"),
        col("standard"),
    );
    let at = |v: &Vec<String>, i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    // A number typed that does not read is kept as NaN: the use case names the field.
    let num = |s: String| -> Option<f64> {
        (!s.is_empty()).then(|| s.trim_end_matches('%').parse::<f64>().unwrap_or(f64::NAN))
    };
    let mut items = Vec::new();
    for i in 0..titles.len() {
        let manual = at(&methods, i) == Method::Manual.as_str();
        let typed = [&titles, &pts, &metrics, &ofs, &targets, &pers, &caps, &stds]
            .iter()
            .any(|v| !at(v, i).is_empty());
        if !typed {
            continue;
        }
        items.push(RubricItemInput {
            title: at(&titles, i),
            points: num(at(&pts, i)).unwrap_or(f64::NAN),
            method: at(&methods, i),
            metric: if manual {
                String::new()
            } else {
                at(&metrics, i)
            },
            of: if manual { String::new() } else { at(&ofs, i) },
            direction: at(&dirs, i),
            target: if manual { None } else { num(at(&targets, i)) },
            per: if manual { None } else { num(at(&pers, i)) },
            cap: if manual { None } else { num(at(&caps, i)) },
            standard: at(&stds, i),
        });
    }
    RubricInput {
        year: form.get("year").trim().parse().unwrap_or(0),
        unit_kind: form.get("unit_kind"),
        title: form.get("rubric_title"),
        items,
        version: form.get("version").trim().parse().ok(),
    }
}

/// The form's refusal, each item's messages moved from its position among the items sent
/// to its row on the page (empty rows are not sent).
fn refused_rows(
    form: &FormPairs,
    e: anjian_app::AppError,
) -> Result<super::super::FieldErrors, anjian_app::AppError> {
    let mut errors = refusal(e)?;
    let titles = form.all("title");
    let keys = [
        "title", "points", "metric", "of", "target", "per", "cap", "standard",
    ];
    let rows: Vec<usize> = (0..titles.len())
        .filter(|i| {
            keys.iter()
                .any(|k| form.all(k).get(*i).is_some_and(|v| !v.trim().is_empty()))
        })
        .collect();
    let moved = errors
        .0
        .into_iter()
        .map(|(k, v)| {
            let key = k
                .strip_prefix("items[")
                .and_then(|r| r.split_once(']'))
                .and_then(|(n, rest)| {
                    let row = rows.get(n.parse::<usize>().ok()?)?;
                    Some(format!("items[{row}]{rest}"))
                })
                .unwrap_or(k);
            (key, v)
        })
        .collect();
    errors = super::super::FieldErrors(moved);
    Ok(errors)
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save_form(state, pc, None, form).await
}

async fn save(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save_form(state, pc, Some(id), form).await
}

async fn save_form(
    state: AppState,
    pc: PageCaller,
    id: Option<i64>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = input_of(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.save_rubric(&caller, id, &input)).await {
        Ok(r) => Ok(see_other(&format!("/assessments/rubrics/{}", r.rubric.id))),
        Err(e) => {
            let kept = Kept::refused("rubric", &form, refused_rows(&form, e)?);
            rubric_page(&state, &pc, id, kept, Vec::new()).await
        }
    }
}

async fn copy(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let to = RubricCopy {
        year: form.get("year").trim().parse().unwrap_or(0),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.copy_rubric(&caller, id, &to)).await {
        Ok(r) => Ok(see_other(&format!("/assessments/rubrics/{}", r.rubric.id))),
        Err(e) => {
            let kept = Kept::refused("copy", &form, refusal(e)?);
            rubric_page(&state, &pc, Some(id), kept, Vec::new()).await
        }
    }
}

/// Imports a sheet's rows as the rubric's items (a new version of it).
async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let refuse = |m: String| Kept::message("import", m);
    let Ok(mp) = mp else {
        return rubric_page(
            &state,
            &pc,
            Some(id),
            refuse("请选择要导入的文件".into()),
            Vec::new(),
        )
        .await;
    };
    let (name, data, _, csrf, flags) = match crate::files::read_upload_flags(mp).await {
        Ok(x) => x,
        Err(e) => return rubric_page(&state, &pc, Some(id), refuse(e.message), Vec::new()).await,
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(anjian_app::AppError::Forbidden("表单已过期，请刷新页面后重试".into()).into());
    }
    let opts = anjian_app::import::ImportOptions {
        skip_invalid: false,
        ignore_columns: flags.iter().any(|f| f == "ignore_columns"),
    };
    let caller = pc.caller.clone();
    let user = caller.user.username.clone();
    let ext = crate::files::extension(&name);
    let done = blocking(&state, move |app| {
        let r = app.rubric(&caller, id)?;
        let t = app.read_import_table(&user, &ext, &data)?;
        app.import_rubric(
            &caller,
            r.rubric.year,
            r.rubric.unit_kind.as_str(),
            Some(&r.rubric.title),
            &t,
            opts,
        )
    })
    .await;
    match done {
        Ok(report) if report.written > 0 || report.invalid_count == 0 => {
            Ok(see_other(&format!("/assessments/rubrics/{id}")))
        }
        Ok(report) => {
            let lines = report.lines();
            let kept = refuse(format!("有 {} 行数据有误，未导入", report.invalid_count));
            rubric_page(&state, &pc, Some(id), kept, lines).await
        }
        Err(anjian_app::AppError::ImportRefused(r)) => {
            let kept = refuse(r.message.clone());
            rubric_page(&state, &pc, Some(id), kept, r.columns.clone()).await
        }
        Err(e) => {
            let kept = Kept::refused("import", &FormPairs(Vec::new()), refusal(e)?);
            rubric_page(&state, &pc, Some(id), kept, Vec::new()).await
        }
    }
}

/// The new-rubric page's sheet form: the file and the fields that say which rubric it is.
struct SheetForm {
    file: Option<(String, Vec<u8>)>,
    /// year, unit_kind, rubric_title, ignore_columns and _csrf as typed.
    pairs: Vec<(String, String)>,
}

impl SheetForm {
    fn get(&self, k: &str) -> String {
        self.pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
}

async fn read_sheet_form(mut mp: Multipart) -> Result<SheetForm, String> {
    let mut form = SheetForm {
        file: None,
        pairs: Vec::new(),
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(format!("上传内容不完整或超过大小上限：{}", e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("file").to_string();
                let data = field
                    .bytes()
                    .await
                    .map_err(|e| format!("上传内容不完整或超过大小上限：{}", e.body_text()))?;
                if !(file_name.is_empty() && data.is_empty()) {
                    form.file = Some((file_name, data.to_vec()));
                }
            }
            "year" | "unit_kind" | "rubric_title" | "ignore_columns" | "_csrf" => {
                let v = field
                    .text()
                    .await
                    .map_err(|e| format!("上传内容不完整：{}", e.body_text()))?;
                form.pairs.push((name, v));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// A new year's rubric from a sheet (安委办): created, or a new version of the year's draft
/// rubric of the kind; with any bad row nothing is written and the page lists the rows.
async fn import_new(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        let kept = Kept::message("sheet", "请选择要导入的文件");
        return rubric_page(&state, &pc, None, kept, Vec::new()).await;
    };
    let form = match read_sheet_form(mp).await {
        Ok(f) => f,
        Err(m) => {
            return rubric_page(&state, &pc, None, Kept::message("sheet", m), Vec::new()).await;
        }
    };
    if form.get("_csrf") != pc.csrf {
        return Err(anjian_app::AppError::Forbidden("表单已过期，请刷新页面后重试".into()).into());
    }
    let typed = FormPairs(
        form.pairs
            .iter()
            .filter(|(k, _)| k != "_csrf")
            .cloned()
            .collect(),
    );
    let refuse = |field: &str, m: String| {
        let mut e = super::super::FieldErrors::default();
        e.add(field, m);
        Kept::refused("sheet", &typed, e)
    };
    let year = match form.get("year").parse::<i64>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            let kept = refuse("year", "请填写年度（如2023）".into());
            return rubric_page(&state, &pc, None, kept, Vec::new()).await;
        }
    };
    let Some((name, data)) = form.file.clone() else {
        let kept = refuse("file", "请选择要导入的文件".into());
        return rubric_page(&state, &pc, None, kept, Vec::new()).await;
    };
    let opts = anjian_app::import::ImportOptions {
        skip_invalid: false,
        ignore_columns: matches!(form.get("ignore_columns").as_str(), "on" | "true" | "1"),
    };
    let (kind, title) = (form.get("unit_kind"), form.get("rubric_title"));
    let caller = pc.caller.clone();
    let user = caller.user.username.clone();
    let ext = crate::files::extension(&name);
    let done = blocking(&state, move |app| {
        let t = app.read_import_table(&user, &ext, &data)?;
        let title = (!title.is_empty()).then_some(title.as_str());
        let report = app.import_rubric(&caller, year, &kind, title, &t, opts)?;
        let id = if report.invalid_count == 0 {
            app.rubrics(&caller, Some(year))?
                .into_iter()
                .find(|r| r.rubric.unit_kind.as_str() == kind)
                .map(|r| r.rubric.id)
        } else {
            None
        };
        Ok((report, id))
    })
    .await;
    match done {
        Ok((_, Some(id))) => Ok(see_other(&format!("/assessments/rubrics/{id}"))),
        Ok((report, None)) => {
            let kept = refuse(
                "file",
                format!("有 {} 行数据有误，未导入", report.invalid_count),
            );
            rubric_page(&state, &pc, None, kept, report.lines()).await
        }
        Err(anjian_app::AppError::ImportRefused(r)) => {
            let kept = refuse("file", r.message.clone());
            rubric_page(&state, &pc, None, kept, r.columns.clone()).await
        }
        Err(e) => {
            let kept = Kept::refused("sheet", &typed, refusal(e)?);
            rubric_page(&state, &pc, None, kept, Vec::new()).await
        }
    }
}
