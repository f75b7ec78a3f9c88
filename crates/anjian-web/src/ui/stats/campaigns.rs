//! Campaigns (专项行动).

use crate::extract::{FormPairs, PageCaller};
use crate::ui::{Chrome, render_refused, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::records::work::Campaign;
use anjian_app::work::CampaignInput;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "campaigns.html")]
struct CampaignsPage {
    chrome: Chrome,
    items: Vec<Campaign>,
    is_admin: bool,
    kept: crate::ui::Kept,
}

async fn campaigns_page(
    state: &AppState,
    pc: &PageCaller,
    kept: crate::ui::Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, items) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.campaigns(&caller)?))
    })
    .await?;
    let page = CampaignsPage {
        chrome: Chrome::new(pc, instance, "专项行动", "campaigns"),
        items,
        is_admin: pc
            .caller
            .can(anjian_domain::scope::Permission::ConfigureCounty),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

pub(super) async fn campaigns(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    campaigns_page(&state, &pc, crate::ui::Kept::none()).await
}

pub(super) async fn campaign_create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = CampaignInput {
        code: form.get("code"),
        name: form.get("name"),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        units: form.get("units"),
        description: form.get("description"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_campaign(&caller, &input)).await {
        Ok(_) => Ok(see_other("/campaigns")),
        Err(e) => {
            let kept = crate::ui::Kept::refused("campaign", &form, crate::ui::refusal(e)?);
            campaigns_page(&state, &pc, kept).await
        }
    }
}
