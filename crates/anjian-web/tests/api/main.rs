//! Web integration tests: the router in process on a fresh SQLite store with a
//! fixed clock and a small fixture county.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accidents;
mod assessments;
mod campaigns;
mod capability;
mod case_procedure;
mod cases;
mod commissions;
mod contract;
mod disasters;
mod dispatch;
mod documents;
mod draws;
mod emergency;
mod enterprise_import;
mod existence;
mod forest;
mod hazards;
mod helpers;
mod inspections;
mod ledgers;
mod letters;
mod listings;
mod major;
mod map;
mod matrix;
mod monitoring;
mod offered;
mod officers;
mod plans;
mod reports;
mod responsibility;
mod risk;
mod risk_steering;
mod station;
mod stats;
mod training;
mod transfer_police;
mod transfers;
mod ui;
