//! UI flows: login, CSRF, forms with field messages, pages.

mod admin;
mod calendar;
mod enforcement;
mod first_run;
pub(crate) mod forms;
mod hazards;
mod inspections;
mod login;
mod menus;
mod print;
mod report_photos;
mod risk_grades;
mod tables;
