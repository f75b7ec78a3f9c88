//! Pure domain rules of anjian: no I/O, no clock reads, no database.
//!
//! Everything here is deterministic and unit-tested: validated identifiers
//! (USCC, ID-card numbers, region codes, GB/T 4754 industry codes), roles and
//! scopes, enterprise values, and the validation error type that every layer
//! above maps to the JSON `{error, message, fields}` contract.

#[macro_use]
mod coded;
pub mod accident;
pub mod accident_type;
pub mod accountability;
pub mod assessment;
pub mod calendar;
pub mod campaign;
pub mod capability;
pub mod cases;
pub mod clock;
pub mod decimal;
pub mod decision_period;
pub mod disaster;
pub mod dispatch;
pub mod draw;
pub mod duty;
pub mod emergency;
pub mod enterprise;
pub mod entropy;
pub mod files;
pub mod forest;
pub mod hazard;
pub mod idcard;
pub mod industry;
pub mod leader;
pub mod letter;
pub mod listing;
pub mod major;
pub mod map;
pub mod minute;
pub mod monitoring;
pub mod officer;
pub mod period;
pub mod phone;
pub mod plan;
pub mod publicity;
pub mod region;
pub mod report;
pub mod reward;
pub mod risk;
pub mod risk_grade;
pub mod risk_steering;
pub mod scope;
pub mod station;
pub mod training;
pub mod transfer;
pub mod uscc;
pub mod validation;
pub mod workflow;

pub use clock::{Clock, FixedClock, SystemClock};
pub use region::{RegionCode, RegionLevel};
pub use scope::{Role, Scope};
pub use validation::ValidationErrors;
