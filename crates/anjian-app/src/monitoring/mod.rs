//! Online monitoring (在线监测): the county's monitored objects (tailings ponds, tank farms,
//! gas users) and their points with four-level thresholds (`objects`); readings received over
//! MQTT (`mqtt`) or the HTTP batch endpoint and judged into alarms (`ingest`); the alarms as
//! officials work them: acknowledged within the county's minutes per level, disposed of as a
//! false alarm, on the spot, or as a hazard that then runs its own loop (`alarms`).
//!
//! The rules are `anjian_domain::monitoring`'s; the store applies them to each batch under
//! one lock (`anjian_store::monitoring`).

mod alarms;
pub mod chart;
mod ingest;
pub mod mqtt;
mod objects;

pub use alarms::{AlarmDetail, AlarmQuery, AlarmView, DisposalInput};
pub use ingest::{IngestReport, MonitoringRun, ReadingReject};
pub use objects::{ObjectDetail, ObjectInput, PointInput, PointView};

use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::monitoring::{AckMinutes, Escalation, Level};
use anjian_domain::scope::Permission;
use anjian_store::monitoring::IngestRules;
use serde::{Deserialize, Serialize};

/// Setting: minutes to acknowledge, per level (JSON `AckMinutes`).
pub const ACK_MINUTES: &str = "monitoring_ack_minutes";
/// Setting: the escalation counts (JSON `Escalation`).
pub const ESCALATION: &str = "monitoring_escalation";
/// Setting: the level of a 设备离线 alarm (`blue` … `red`, or `none`).
pub const OFFLINE_LEVEL: &str = "monitoring_offline_level";

/// The county's monitoring rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonitoringSettings {
    pub ack_minutes: AckMinutes,
    pub escalation: Escalation,
    /// The level of a 设备离线 alarm; none: silent points raise no alarm.
    pub offline_level: Option<Level>,
}

impl Default for MonitoringSettings {
    fn default() -> Self {
        MonitoringSettings {
            ack_minutes: AckMinutes::default(),
            escalation: Escalation::default(),
            offline_level: Some(Level::Yellow),
        }
    }
}

impl App {
    /// The county's monitoring rules (defaults where not set).
    pub fn monitoring_settings(&self) -> Result<MonitoringSettings> {
        let mut s = MonitoringSettings::default();
        for (k, v) in self
            .store
            .settings_in(&[ACK_MINUTES, ESCALATION, OFFLINE_LEVEL])?
        {
            match k.as_str() {
                ACK_MINUTES => {
                    if let Ok(a) = serde_json::from_str(&v) {
                        s.ack_minutes = a;
                    }
                }
                ESCALATION => {
                    if let Ok(e) = serde_json::from_str(&v) {
                        s.escalation = e;
                    }
                }
                OFFLINE_LEVEL => s.offline_level = Level::parse(&v),
                _ => {}
            }
        }
        Ok(s)
    }

    /// Changes the county's monitoring rules (安委办).
    pub fn set_monitoring_settings(
        &self,
        caller: &Caller,
        s: &MonitoringSettings,
    ) -> Result<MonitoringSettings> {
        caller.require(Permission::ConfigureCounty)?;
        let mut e = ValidationErrors::new();
        if let Err(x) = s.ack_minutes.check() {
            for (f, msgs) in x.fields {
                for m in msgs {
                    e.add(&format!("ack_minutes.{f}"), m);
                }
            }
        }
        if let Err(x) = s.escalation.check() {
            for (f, msgs) in x.fields {
                for m in msgs {
                    e.add(&format!("escalation.{f}"), m);
                }
            }
        }
        e.into_result()?;
        let change = caller.change(&caller.scope, self);
        let json = |v: serde_json::Result<String>| v.map_err(|e| AppError::Internal(e.to_string()));
        self.store.set_setting(
            &change,
            ACK_MINUTES,
            &json(serde_json::to_string(&s.ack_minutes))?,
        )?;
        self.store.set_setting(
            &change,
            ESCALATION,
            &json(serde_json::to_string(&s.escalation))?,
        )?;
        self.store.set_setting(
            &change,
            OFFLINE_LEVEL,
            s.offline_level.map_or("none", Level::as_str),
        )?;
        self.monitoring_settings()
    }

    pub(crate) fn ingest_rules(&self) -> Result<IngestRules> {
        let s = self.monitoring_settings()?;
        Ok(IngestRules {
            escalation: s.escalation,
            ack: s.ack_minutes,
            offline_level: s.offline_level,
        })
    }
}

/// A level's label with its colour word, for pages and ledgers.
pub fn level_label(l: Option<Level>) -> &'static str {
    match l {
        None => "正常",
        Some(Level::Blue) => "蓝色预警",
        Some(Level::Yellow) => "黄色预警",
        Some(Level::Orange) => "橙色预警",
        Some(Level::Red) => "红色预警",
    }
}
