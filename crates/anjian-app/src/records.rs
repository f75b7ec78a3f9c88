//! The records the use cases take and return, by feature. They are plain data (the store
//! defines them next to the SQL that reads them); the web layer names them from here and never
//! from the store, which it does not depend on.

pub mod accidents {
    pub use anjian_store::accidents::{Accident, AccidentUpdate, Figures};
}

pub mod accountability {
    pub use anjian_store::accountability::Accountability;
}

pub mod assessments {
    pub use anjian_store::assessments::{
        Assessment, AssessmentUnit, Evidence, FrozenItem, HandScore, Objection, RecordRef, Rubric,
    };
}
pub mod campaigns {
    pub use anjian_store::campaigns::{
        CampaignDefinitionRow, CampaignObject, CampaignObjectFilter, CampaignReport,
    };
}
pub mod disasters {
    pub use anjian_store::disasters::{DisasterEvent, DisasterFigure, DisasterRound};
}
pub mod dispatch {
    pub use anjian_store::dispatch::{Delivery, Dispatch, DispatchDetail, Recipient};
}

pub mod monitoring {
    pub use anjian_store::monitoring::{
        Alarm, AlarmEvent, AlarmFigures, MonitoredObject, Point, PointReading, Reject,
    };
}

pub mod emergency {
    pub use anjian_store::emergency::{Resource, ResourceCheck};
}
pub mod forest {
    pub use anjian_store::forest::{
        Checkpoint, CheckpointLog, Duty, Equipment, Farm, Handover, Patch, Patrol, Season, Warden,
    };
}
pub mod station {
    pub use anjian_store::attachments::Attachment;
    pub use anjian_store::station::{
        Assignment, AssignmentFilter, KeyPlace, SpotCheck, StationRating, Visit, Week,
    };
}
pub mod training {
    pub use anjian_store::attachments::Attachment;
    pub use anjian_store::training::{Certificate, Session, SessionAttendee};
}
pub mod audit {
    pub use anjian_store::audit::{AuditEntry, AuditFilter, AuditProblem};
}
pub mod auth {
    pub use anjian_store::sessions::Session;
    /// A stored timestamp's text (UTC, RFC 3339), as every record keeps it.
    pub use anjian_store::ts;
}
pub mod capability {
    pub use anjian_store::attachments::Attachment;
    pub use anjian_store::capability::{Assessment, AssessmentFilter, CapabilityItem};
}
pub mod cases {
    pub use anjian_store::cases::{Case, CaseEvent};
}
pub mod commissions {
    pub use anjian_store::commissions::Commission;
}
pub mod documents {
    pub use anjian_store::documents::Document;
}
pub mod draws {
    pub use anjian_store::draws::Draw;
}
pub mod risk_steering {
    pub use anjian_store::risk_steering::EnterpriseRiskGradeHistory;
}
pub mod duties {
    pub use anjian_store::duties::DutyItem;
}
pub mod enterprises {
    pub use anjian_store::enterprises::{Enterprise, EnterpriseFilter};
}
pub mod hazards {
    pub use anjian_store::attachments::Attachment;
    pub use anjian_store::hazards::{Hazard, HazardEvent, HazardFilter};
}
pub mod inspections {
    pub use anjian_store::inspections::{Finding, Inspection, Template};
}
pub mod leaders {
    pub use anjian_store::leaders::{Leader, LeaderAssignment};
}
pub mod listings {
    pub use anjian_store::listings::{Listing, ListingEvent};
}
pub mod major {
    pub use anjian_store::major::{Bulletin, CaseFilter, Extension, LedgerEntry, MajorCase};
}
pub mod organisation {
    pub use anjian_store::departments::{Department, DepartmentInput, SectorAssignment};
    pub use anjian_store::regions::{Region, RegionInput, UpsertCounts};
    pub use anjian_store::sectors::Sector;
}
pub mod letters {
    pub use anjian_store::attachments::Attachment;
    pub use anjian_store::letters::{Letter, LetterFilter};
}
pub mod plans {
    pub use anjian_store::plans::Plan;
}
pub mod publicity {
    pub use anjian_store::publicity::Publicity;
}
pub mod risk {
    pub use anjian_store::risk::{RiskAssessment, RiskPoint, RiskPointFilter};
}
pub mod stats {
    pub use anjian_store::stats::{DrillRow, StatFilter};
}
pub mod todos {
    pub use anjian_store::notices::{CycleOutcome, Notice};
}
pub mod users {
    pub use anjian_store::users::{User, UserInput};
}
pub mod work {
    pub use anjian_store::work::{Campaign, WorkFilter, WorkItemType, WorkRecord};
}
