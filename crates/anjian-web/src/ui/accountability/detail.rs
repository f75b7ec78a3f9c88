//! A record's page: what was decided about whom, the persons, the linked records; the
//! 安委办's correction and deletion.

use super::*;
use anjian_domain::accountability::RefKind;

/// A linked record as the page shows it: its words and, for a hazard, its page.
pub struct Link {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "accountability_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: AccountabilityView,
    links: Vec<Link>,
    can_write: bool,
    kept: Kept,
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.accountability(&caller, id)?))
    })
    .await?;
    let links = v
        .record
        .refs
        .iter()
        .map(|r| match (r.kind, r.id) {
            (RefKind::Hazard, Some(h)) => Link {
                label: format!("隐患 {h}"),
                href: format!("/hazards/{h}"),
            },
            _ => Link {
                label: format!("{}：{}", r.kind.label(), r.text),
                href: String::new(),
            },
        })
        .collect();
    let p = DetailPage {
        chrome: Chrome::new(
            pc,
            instance,
            &format!("{}：{}", v.kind_label, v.record.target_name),
            "accountability",
        ),
        v,
        links,
        can_write: pc.caller.can(Permission::DecideAsCountyOffice),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    page(&state, &pc, id, Kept::none()).await
}

pub(super) async fn delete(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version = form.get("version").parse::<i64>().unwrap_or(0);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.delete_accountability(&caller, id, version)
    })
    .await
    {
        Ok(()) => Ok(see_other("/accountability?saved=1")),
        Err(e) => {
            let kept = Kept::refused("delete", &form, super::super::refusal(e)?);
            page(&state, &pc, id, kept).await
        }
    }
}
