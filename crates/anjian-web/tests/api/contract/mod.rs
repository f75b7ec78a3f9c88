//! The API contract of product.md: auth, errors, enterprises, regions.

mod auth;
mod enterprises;
mod metrics;
mod regions;
mod requests;
mod security;
mod sessions;
