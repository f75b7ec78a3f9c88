//! Web integration tests: the router in process on a fresh SQLite store with a
//! fixed clock and a small fixture county.

mod cases;
mod commissions;
mod contract;
mod documents;
mod draws;
mod hazards;
mod helpers;
mod inspections;
mod listings;
mod major;
mod matrix;
mod offered;
mod plans;
mod reports;
mod stats;
mod transfers;
mod ui;
