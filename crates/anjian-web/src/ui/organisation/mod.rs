use super::{Chrome, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::organisation::RegionRow;
use anjian_app::organisation::{DepartmentDraft, SectorDraft};
use anjian_app::records::organisation::Sector;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::BTreeMap;

mod department_form;
mod department_save;
mod departments;
mod regions;
mod sectors;
use department_form::{edit_department, new_department};
use department_save::{create_department, update_department};
use departments::departments;
use regions::{regions, save_region};
use sectors::{save_sector, sectors};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/regions", get(regions).post(save_region))
        .route("/sectors", get(sectors).post(save_sector))
        .route("/departments", get(departments))
        .route(
            "/departments/new",
            get(new_department).post(create_department),
        )
        .route(
            "/departments/{id}/edit",
            get(edit_department).post(update_department),
        )
}

fn require_manage(pc: &PageCaller) -> Result<(), PageError> {
    if pc.caller.can(Permission::ManageOrganisation) {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden(
            "仅安委办管理员可维护部门".into(),
        )))
    }
}
