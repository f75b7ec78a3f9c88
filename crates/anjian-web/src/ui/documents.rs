//! Issuing enforcement documents from the inspection and hazard pages.

use super::{Kept, refusal, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::documents::{DOC_TYPES, IssueInput};
use anjian_app::records::documents::Document;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;

pub fn router() -> Router<AppState> {
    Router::new().route("/documents/issue", post(issue))
}

/// The documents panel of a record's page.
pub struct DocPanel {
    pub entity: &'static str,
    pub entity_id: i64,
    pub docs: Vec<Document>,
    pub types: Vec<(String, String)>,
    pub can_issue: bool,
}

impl DocPanel {
    pub fn new(pc: &PageCaller, entity: &'static str, entity_id: i64, docs: Vec<Document>) -> Self {
        Self {
            entity,
            entity_id,
            docs,
            types: DOC_TYPES
                .iter()
                .filter(|t| t.entities.contains(&entity))
                .map(|t| (t.code.to_string(), t.title.to_string()))
                .collect(),
            can_issue: pc.caller.can(anjian_domain::scope::Permission::Enforce),
        }
    }
}

async fn issue(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let entity = match form.get("entity").as_str() {
        "inspection" => "inspection",
        "hazard" => "hazard",
        "transfer" => "transfer",
        _ => return Err(anjian_app::AppError::NotFound.into()),
    };
    let entity_id: i64 = form
        .get("entity_id")
        .parse()
        .map_err(|_| PageError::from(anjian_app::AppError::NotFound))?;
    let input = IssueInput {
        doc_type: form.get("doc_type"),
        entity: entity.into(),
        entity_id,
        department_id: None,
        body: form.opt("body"),
        date: None,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.issue_document(&caller, &input)).await {
        Ok(_) => {
            let back = match entity {
                "inspection" => "inspections",
                "transfer" => "transfers",
                _ => "hazards",
            };
            Ok(see_other(&format!("/{back}/{entity_id}")))
        }
        // Refused: the record's page again, with the form as filled in.
        Err(e) => {
            let kept = Kept::refused("doc", &form, refusal(e)?);
            match entity {
                "inspection" => {
                    crate::ui::inspections::detail_page(&state, &pc, entity_id, kept).await
                }
                "transfer" => crate::ui::transfers::detail_page(&state, &pc, entity_id, kept).await,
                _ => crate::ui::hazards::detail_page(&state, &pc, entity_id, kept, None).await,
            }
        }
    }
}
