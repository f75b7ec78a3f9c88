//! Statistics through the API and the UI: work records (validation, scope, import with
//! row-level errors), campaigns, metric values and drill-downs, reports.

use crate::hazards::{hazard_json, multipart};
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

mod bombs;
mod campaigns;
mod import;
mod pages;
mod work_records;

fn record(region: &str, item: &str, q: i64) -> serde_json::Value {
    json!({"item_code": item, "region_code": region, "done_on": "2022-05-20", "quantity": q, "place": "枫林村"})
}
