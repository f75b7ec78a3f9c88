//! The application tests, one binary (one link instead of one per file): each module is the
//! tests of one feature, on every configured store.

mod assessment;
mod calibration;
mod campaigns;
mod dispatch;
mod emergency;
mod figures;
mod forest;
mod hazard_import;
mod letters;
mod monitoring;
mod ranking;
mod responsibility;
mod roster;
mod station;
mod stats;
mod training;
