//! Online monitoring (在线监测): monitored objects and their points (`objects`), devices and
//! refused payloads (`devices`), the ingestion of readings (`ingest`: the batch; `upkeep`: the
//! offline scan and retention) with the alarms they open, raise and clear (`judge`), and the alarms as
//! officials work them: acknowledged, disposed of, turned into hazards (`alarms`); `bulk`
//! holds the many-points helpers.
//!
//! Objects and alarms are seen through `scope_sql::monitored`: the regions of the scope, the
//! enterprises of a sector-bound scope's sectors, an enterprise's own.

mod alarms;
mod bulk;
mod devices;
mod ingest;
mod judge;
mod objects;
mod upkeep;

pub use alarms::{Alarm, AlarmEvent, AlarmFigures, AlarmFilter};
pub use devices::Reject;
pub use ingest::{IngestOutcome, IngestRules, ReadingRow};
pub use objects::{MonitoredObject, NewObject, NewPoint, ObjectFilter, Point, PointReading};
pub use upkeep::OfflineOutcome;

#[cfg(test)]
mod tests;
