//! Campaign ledgers (专项行动台账): campaigns declared as data.
//!
//! A campaign is a TOML file (the schema is `docs/campaigns.md`): the campaign itself (code,
//! name, version, optional sector and dates), its object types (`[[object]]`: a building, an
//! outlet, a pond) with their fields and rules, who fills each and how often, and its
//! indicators (`[[indicator]]`: named counts and sums over the objects with filters), which
//! become metrics of the catalogue.
//!
//! - `definition` reads the file and checks it: every refusal names the line
//!   ([`DefinitionError`]); [`Definition::check_successor`] checks a new version against the
//!   one loaded before it (fields may be added, never removed or retyped).
//! - `value` reads what was typed into a field (a form, an import cell, the API) into the
//!   stored value, and checks an object's fields together (required, required-when).
//! - `tally` says what one object contributes to each indicator (the rows the metrics sum).
//!
//! Stored values are JSON: text and choices as their text, numbers as integers scaled by
//! 10^decimals (120.5 m² with one decimal is 1205), dates as `YYYY-MM-DD`, yes/no as a
//! boolean, a region as its code, an enterprise and an attachment as their id.

mod cadence;
mod definition;
mod tally;
mod value;

#[cfg(test)]
mod tests;

pub use cadence::ReportPeriod;
pub use definition::{
    Cadence, Condition, Definition, DefinitionError, Field, FieldKind, Indicator, IndicatorAgg,
    MAX_DEFINITION_BYTES, ObjectType, Test,
};
pub use tally::Tally;
pub use value::{Data, Resolve};
