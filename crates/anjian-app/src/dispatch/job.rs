//! The dispatch job: escalate what is due, then send what the outbox holds.

use super::PUBLIC_URL;
use super::notify::{self, Outgoing};
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::dispatch::{self as rules, ChannelConfig};
use chrono::Duration;
use serde::Serialize;

/// How long an instance holds a claimed message before another may take it.
const LEASE_SECONDS: i64 = 120;
/// Messages claimed per round.
const BATCH: i64 = 50;

/// What one run of the job did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DispatchRun {
    /// Dispatches whose next level was notified.
    pub escalated: usize,
    pub sent: usize,
    /// Failed attempts to be retried later.
    pub retried: usize,
    /// Messages given up after the last attempt.
    pub failed: usize,
}

impl App {
    /// Escalates due dispatches and sends due messages (see the module). Safe to run in
    /// several instances at once.
    pub fn run_dispatch_jobs(&self, instance: &str) -> Result<DispatchRun> {
        let r = self.dispatch_jobs(instance);
        self.telemetry.job(
            "dispatch",
            match &r {
                Ok(_) => "ran",
                Err(_) => "failed",
            },
        );
        r
    }

    fn dispatch_jobs(&self, instance: &str) -> Result<DispatchRun> {
        let mut run = DispatchRun::default();
        let scope = Scope::system();
        let now = self.clock.now();
        for d in self.store.open_dispatches()? {
            let unconfirmed = d
                .recipients
                .iter()
                .filter(|r| r.notified_at.is_some() && r.confirmed_at.is_none())
                .count();
            let levels: Vec<i64> = d.recipients.iter().map(|r| r.level).collect();
            let at = chrono::DateTime::parse_from_rfc3339(&d.dispatch.escalated_at)
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or(now);
            if let Some(next) = rules::next_level(
                d.dispatch.level_reached,
                at,
                d.dispatch.escalate_minutes,
                now,
                unconfirmed,
                &levels,
            ) {
                let change = self.system_change(&scope, "dispatch-escalation");
                if self.store.escalate_dispatch(
                    &change,
                    d.dispatch.id,
                    d.dispatch.level_reached,
                    next,
                )? {
                    run.escalated += 1;
                }
            }
        }
        let base = self
            .store
            .setting(PUBLIC_URL)?
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty());
        loop {
            let now = self.clock.now();
            let batch = self.store.claim_outbox(
                instance,
                now,
                now + Duration::seconds(LEASE_SECONDS),
                BATCH,
            )?;
            if batch.is_empty() {
                break;
            }
            for item in &batch {
                let link = base.as_ref().map(|b| format!("{b}/d/{}", item.token));
                let out = Outgoing {
                    item,
                    text: self.dispatch_text(item, link.as_deref()),
                    link,
                    unix_ms: now.timestamp_millis(),
                };
                let result = serde_json::from_str::<ChannelConfig>(&item.config)
                    .map_err(|e| format!("渠道配置无法读取：{e}"))
                    .and_then(|cfg| notify::send(item.kind, &cfg, &out));
                match result {
                    Ok(()) => {
                        self.store
                            .outbox_sent(item.id, instance, self.clock.now())?;
                        run.sent += 1;
                    }
                    Err(e) => {
                        let attempts = item.attempts + 1;
                        tracing::warn!(outbox = item.id, attempts, error = %e, "dispatch message not delivered");
                        if attempts >= rules::MAX_ATTEMPTS {
                            self.store.outbox_failed(item.id, instance, &e, None)?;
                            run.failed += 1;
                        } else {
                            let at = self.clock.now() + rules::backoff(attempts);
                            self.store.outbox_failed(item.id, instance, &e, Some(at))?;
                            run.retried += 1;
                        }
                    }
                }
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
        Ok(run)
    }
}
