//! Readings in: a payload read (`anjian_domain::monitoring::parse_payload`), its bad
//! elements counted, logged with device and reason and kept in `monitoring_rejects`, the good
//! ones stored and judged in one batch. The MQTT subscriber trusts its broker (the broker's
//! own accounts and ACLs decide who may publish); the HTTP endpoint takes a user's token and
//! accepts only devices of objects in that user's scope, answering others exactly like
//! devices nobody registered.

use crate::{App, Caller, Result};
use anjian_domain::monitoring::{RawReading, parse_payload};
use anjian_domain::scope::Permission;
use serde::Serialize;

/// A reading (or payload) refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReadingReject {
    /// Its place in the batch; none for the whole payload.
    pub index: Option<usize>,
    pub device: Option<String>,
    pub reason: String,
}

/// What became of a payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IngestReport {
    /// Readings read from the payload, stored, and already stored (before, or earlier in
    /// the same payload: one point's readings at one instant are one).
    pub received: usize,
    pub stored: usize,
    pub duplicates: usize,
    pub rejected: Vec<ReadingReject>,
    /// Alarms opened, raised to a higher level, and cleared by these readings.
    pub alarms_opened: Vec<i64>,
    pub alarms_raised: Vec<i64>,
    pub alarms_cleared: Vec<i64>,
}

/// What one run of the monitoring job did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MonitoringRun {
    /// 设备离线 alarms opened.
    pub offline_opened: usize,
    /// Readings past their retention deleted (on the daily run).
    pub pruned: u64,
}

const UNKNOWN: &str = "设备未登记，或其测点已停用";

impl App {
    /// Stores a payload received from the broker on `topic` (no caller: the broker has
    /// authenticated the gateway).
    pub fn ingest_payload(&self, topic: &str, bytes: &[u8]) -> Result<IngestReport> {
        let (good, bad) = parse_payload(bytes, self.clock.now());
        self.ingest(&format!("mqtt:{topic}"), bytes, good, bad, None)
    }

    /// Stores a payload sent over HTTP by a gateway's account: devices outside the caller's
    /// scope are refused as unknown.
    pub fn post_readings(&self, caller: &Caller, bytes: &[u8]) -> Result<IngestReport> {
        // The permission is the duty (an enterprise sends its own readings although its
        // scope is read-only for other records); the scope decides which devices.
        caller.require(Permission::SendReadings)?;
        let (good, bad) = parse_payload(bytes, self.clock.now());
        self.ingest(
            &format!("http:{}", caller.user.username),
            bytes,
            good,
            bad,
            Some(caller),
        )
    }

    /// Stores the payloads the subscriber took from the broker in one batch: each payload's
    /// refusals are recorded under its topic, the good readings of all of them stored
    /// together.
    pub fn ingest_payloads(&self, items: &[(String, &[u8])]) -> Result<IngestReport> {
        let now = self.clock.now();
        let mut all = Vec::new();
        let mut refused = 0usize;
        for (topic, bytes) in items {
            let (good, bad) = parse_payload(bytes, now);
            all.extend(good);
            if !bad.is_empty() {
                refused += bad.len();
                self.ingest(&format!("mqtt:{topic}"), bytes, Vec::new(), bad, None)?;
            }
        }
        let mut report = self.ingest("mqtt", &[], all, Vec::new(), None)?;
        report.received += refused;
        Ok(report)
    }

    /// Stores readings already read (the demo's history, the benchmark).
    pub fn ingest_readings(&self, readings: Vec<RawReading>) -> Result<IngestReport> {
        self.ingest("internal", &[], readings, Vec::new(), None)
    }

    fn ingest(
        &self,
        source: &str,
        bytes: &[u8],
        good: Vec<RawReading>,
        bad: Vec<anjian_domain::monitoring::PayloadError>,
        caller: Option<&Caller>,
    ) -> Result<IngestReport> {
        let mut report = IngestReport {
            received: good.len() + bad.iter().filter(|b| b.index.is_some()).count(),
            rejected: bad
                .into_iter()
                .map(|b| ReadingReject {
                    index: b.index,
                    device: b.device,
                    reason: b.reason,
                })
                .collect(),
            ..Default::default()
        };
        // Each good reading's place in the payload: the places the bad ones do not take.
        let bad_at: std::collections::BTreeSet<usize> =
            report.rejected.iter().filter_map(|r| r.index).collect();
        let mut index_of: Vec<usize> = (0..good.len() + bad_at.len())
            .filter(|i| !bad_at.contains(i))
            .collect();
        let mut good = good;
        if let Some(c) = caller {
            let devices: Vec<&str> = good.iter().map(|r| r.device.as_str()).collect();
            let seen = self.store.monitoring_devices_in(&c.scope, &devices)?;
            let mut kept = Vec::with_capacity(good.len());
            let mut kept_index = Vec::with_capacity(good.len());
            for (i, r) in good.into_iter().enumerate() {
                if seen.contains(&r.device) {
                    kept.push(r);
                    kept_index.push(index_of.get(i).copied().unwrap_or(i));
                } else {
                    report.rejected.push(ReadingReject {
                        index: index_of.get(i).copied(),
                        device: Some(r.device),
                        reason: UNKNOWN.into(),
                    });
                }
            }
            good = kept;
            index_of = kept_index;
        }
        if !good.is_empty() {
            let rules = self.ingest_rules()?;
            let out = self.store.ingest_readings(&good, &rules)?;
            for (i, r) in good.iter().enumerate() {
                if out.unknown.binary_search(&r.device).is_ok() {
                    report.rejected.push(ReadingReject {
                        index: index_of.get(i).copied(),
                        device: Some(r.device.clone()),
                        reason: UNKNOWN.into(),
                    });
                }
            }
            report.stored = out.stored;
            report.duplicates = out.duplicates;
            report.alarms_opened = out.opened;
            report.alarms_raised = out.raised;
            report.alarms_cleared = out.cleared;
        }
        if !report.rejected.is_empty() {
            report.rejected.sort_by_key(|r| r.index);
            self.telemetry
                .count_monitoring_rejects(report.rejected.len() as u64);
            let sample = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_string();
            // One log line per payload (a flood of bad readings must not flood the log).
            let first = &report.rejected[0];
            tracing::warn!(
                source,
                refused = report.rejected.len(),
                device = first.device.as_deref().unwrap_or(""),
                index = first.index,
                reason = first.reason.as_str(),
                "monitoring readings refused (first shown)"
            );
            let rows: Vec<(String, String, String)> = report
                .rejected
                .iter()
                .map(|r| {
                    (
                        r.device.clone().unwrap_or_default(),
                        r.reason.clone(),
                        sample.clone(),
                    )
                })
                .collect();
            self.store.record_monitoring_rejects(
                &anjian_store::ts(self.clock.now()),
                source,
                &rows,
            )?;
        }
        self.telemetry
            .count_monitoring_readings(report.stored as u64);
        Ok(report)
    }

    /// The monitoring job: 设备离线 alarms; with `daily`, readings past their retention and
    /// refusals older than 30 days deleted.
    pub fn run_monitoring_jobs(&self, daily: bool) -> Result<MonitoringRun> {
        let rules = self.ingest_rules()?;
        let now = self.clock.now();
        let off = self.store.monitoring_offline_scan(now, &rules)?;
        let mut run = MonitoringRun {
            offline_opened: off.opened.len(),
            pruned: 0,
        };
        if daily {
            run.pruned = self.store.monitoring_prune(now)?;
            self.store
                .prune_monitoring_rejects(&anjian_store::ts(now - chrono::Duration::days(30)))?;
        }
        Ok(run)
    }

    /// The number of refusals in the last 24 hours and the latest ones (安委办).
    pub fn monitoring_rejects(
        &self,
        caller: &Caller,
    ) -> Result<(i64, Vec<anjian_store::monitoring::Reject>)> {
        caller.require(Permission::ConfigureCounty)?;
        let since = anjian_store::ts(self.clock.now() - chrono::Duration::hours(24));
        Ok(self.store.monitoring_rejects(&since, 50)?)
    }
}
