use super::{ApiResult, int_param};
use crate::extract::{ApiCaller, AppQuery};
use crate::{AppState, blocking};
use anjian_domain::scope::Permission;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/todos", get(todos))
        .route("/jobs/daily-reminders/run", post(run_daily))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TodoQuery {
    within: Option<String>,
}

async fn todos(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<TodoQuery>,
) -> ApiResult<Json<Value>> {
    let within =
        int_param("within", &q.within, 0, 366)?.unwrap_or(anjian_app::todos::DUE_SOON_DAYS);
    let t = blocking(&state, move |app| app.todos(&a.caller, within)).await?;
    Ok(Json(json!(t)))
}

/// Runs today's reminder cycle now (admin); a no-op if it already ran.
async fn run_daily(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let outcome = blocking(&state, move |app| {
        a.caller.require(Permission::ManageOrganisation)?;
        app.run_daily_reminders(&format!("api:{}", a.caller.user.username))
    })
    .await?;
    Ok(Json(match outcome {
        anjian_app::records::todos::CycleOutcome::Ran(n) => json!({ "ran": true, "notices": n }),
        anjian_app::records::todos::CycleOutcome::AlreadyDone => {
            json!({ "ran": false, "notices": 0 })
        }
    }))
}
