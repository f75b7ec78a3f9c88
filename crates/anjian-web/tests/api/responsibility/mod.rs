//! The responsibility chain: 包片包线, the member units' duties (职责清单) and accountability
//! (约谈、通报批评、问责), through the API and the pages.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

mod accountability;
mod duties;
mod leaders;
