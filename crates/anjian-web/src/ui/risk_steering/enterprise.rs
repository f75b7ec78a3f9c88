//! An enterprise's risk grade page: the grade with its colour and where it comes from, the
//! points per colour, the 四色图, the override form (for who may) and its history.

use super::*;
use anjian_app::risk_steering::{EnterpriseRiskGradeDetail, EnterpriseRiskGradeOverrideInput};

/// One override or clearing as the page shows it.
pub(crate) struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub from: String,
    pub to: String,
    pub reason: String,
}

pub(crate) fn history_rows(d: &EnterpriseRiskGradeDetail) -> Vec<HistoryRow> {
    d.history
        .iter()
        .zip(&d.history_actors)
        .rev()
        .map(|(h, actor)| HistoryRow {
            at: anjian_app::auth::local_time(&h.at),
            actor: actor.clone(),
            action: if h.action == "clear" {
                "取消人工认定"
            } else {
                "人工认定"
            },
            from: shown(h.from_grade).label,
            to: shown(h.to_grade).label,
            reason: h.reason.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "risk_enterprise.html")]
struct EnterprisePage {
    chrome: Chrome,
    d: EnterpriseRiskGradeDetail,
    grade: GradeShown,
    derived: String,
    registered: String,
    source: String,
    history: Vec<HistoryRow>,
    grades: Vec<(&'static str, &'static str)>,
    svg: String,
    kept: Kept,
}

async fn render_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d, svg) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.enterprise_risk_grade(&caller, id)?,
            app.enterprise_risk_grade_enterprise_svg(&caller, id)?,
        ))
    })
    .await?;
    let g = &d.grade;
    let p = EnterprisePage {
        chrome: Chrome::new(pc, instance, &format!("{}风险等级", g.name), "risk_grades")
            .flash(flash),
        grade: shown(g.effective),
        derived: g
            .derived
            .map(|x| shown(Some(x)).label)
            .unwrap_or_else(|| "无已评定的风险点".into()),
        registered: g
            .registered
            .map(|x| shown(Some(x)).label)
            .unwrap_or_else(|| "未登记".into()),
        source: g.source.map(|s| s.label().to_string()).unwrap_or_default(),
        history: history_rows(&d),
        grades: Grade::descending()
            .into_iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        svg,
        kept,
        d,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let flash = q.get("saved").map(|_| "已保存");
    render_page(&state, &pc, id, Kept::none(), flash).await
}

/// Sets (认定) or clears (取消认定, the `_clear` button) the override.
pub(super) async fn change(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let clear = !form.get("_clear").is_empty();
    let mut n = super::super::Numbers::new(&form);
    let version = n.int("version", "版本号");
    if !n.errors.is_empty() {
        return render_page(
            &state,
            &pc,
            id,
            Kept::refused("override", &form, n.errors),
            None,
        )
        .await;
    }
    let grade = form.get("grade");
    if !clear && grade.trim().is_empty() {
        let mut e = super::super::FieldErrors::default();
        e.add("grade", "请选择认定的风险等级");
        return render_page(&state, &pc, id, Kept::refused("override", &form, e), None).await;
    }
    let input = EnterpriseRiskGradeOverrideInput {
        grade: if clear { None } else { Some(grade) },
        reason: form.get("reason"),
        version,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.enterprise_risk_grade_override(&caller, id, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/enterprises/{id}/risk?saved=1"))),
        Err(e) => {
            let kept = Kept::refused("override", &form, super::super::refusal(e)?);
            render_page(&state, &pc, id, kept, None).await
        }
    }
}
