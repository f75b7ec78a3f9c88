use super::{ApiResult, int_param};
use crate::extract::{ApiCaller, AppQuery};
use crate::{AppState, blocking};
use anjian_app::todos::Todos;
use anjian_domain::scope::Permission;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(todos))
        .routes(routes!(run_daily))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct TodoQuery {
    /// 到期提醒天数（0-366）
    #[param(value_type = Option<i64>, minimum = 0, maximum = 366)]
    within: Option<String>,
}

#[utoipa::path(
    get,
    path = "/todos",
    tag = "todos",
    summary = "我的待办：待我办理、即将到期、已逾期、提醒",
    params(TodoQuery),
    responses((status = 200, description = "待办", body = Todos))
)]
async fn todos(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<TodoQuery>,
) -> ApiResult<Json<Todos>> {
    let within =
        int_param("within", &q.within, 0, 366)?.unwrap_or(anjian_app::todos::DUE_SOON_DAYS);
    let t = blocking(&state, move |app| app.todos(&a.caller, within)).await?;
    Ok(Json(t))
}

/// Whether the reminder cycle ran now, and how many notices it sent.
#[derive(Serialize, ToSchema)]
struct Reminders {
    /// 今日已执行过则为 false
    ran: bool,
    notices: usize,
}

/// Runs today's reminder cycle now (admin); a no-op if it already ran.
#[utoipa::path(
    post,
    path = "/jobs/daily-reminders/run",
    tag = "todos",
    summary = "立即执行今日提醒（每日一次，多实例安全）",
    responses((status = 200, description = "执行结果", body = Reminders))
)]
async fn run_daily(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Reminders>> {
    let outcome = blocking(&state, move |app| {
        a.caller.require(Permission::ManageOrganisation)?;
        app.run_daily_reminders(&format!("api:{}", a.caller.user.username))
    })
    .await?;
    Ok(Json(match outcome {
        anjian_app::records::todos::CycleOutcome::Ran(n) => Reminders {
            ran: true,
            notices: n,
        },
        anjian_app::records::todos::CycleOutcome::AlreadyDone => Reminders {
            ran: false,
            notices: 0,
        },
    }))
}
