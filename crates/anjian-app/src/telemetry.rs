//! Operational signals in Prometheus' text format (`GET /metrics` when the server is started
//! with `--metrics`): requests by route and status, their latency, waits for a store
//! connection, job runs and refused imports.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

fn latency() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The process's counters. Cheap to record (an atomic add behind a read lock); rendered on
/// each scrape.
#[derive(Debug)]
pub struct Telemetry {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    jobs: Family<Labels, Counter>,
    imports_refused: Family<Labels, Counter>,
    readings: Counter,
    readings_refused: Counter,
}

/// Waits for a store connection, read from the store's own counters at each scrape.
#[derive(Debug)]
struct StoreWaits;

impl Collector for StoreWaits {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let (waits, secs) = anjian_store::db::pool_waits();
        let c = ConstCounter::new(waits);
        c.encode(encoder.encode_descriptor(
            "store_pool_waits",
            "Times a caller waited for a store connection (the SQLite writer, or a PostgreSQL connection when the pool was busy)",
            None,
            c.metric_type(),
        )?)?;
        let c = ConstCounter::new(secs);
        c.encode(encoder.encode_descriptor(
            "store_pool_wait_seconds",
            "Total time callers waited for a store connection",
            None,
            c.metric_type(),
        )?)?;
        let (groups, writes) = anjian_store::db::write_groups();
        let c = ConstCounter::new(groups);
        c.encode(encoder.encode_descriptor(
            "store_write_groups",
            "Write groups committed (each with one durable commit)",
            None,
            c.metric_type(),
        )?)?;
        let c = ConstCounter::new(writes);
        c.encode(encoder.encode_descriptor(
            "store_grouped_writes",
            "Writes that ran in the committed write groups (divided by the groups: the mean group size)",
            None,
            c.metric_type(),
        )?)?;
        Ok(())
    }
}

impl Default for Telemetry {
    fn default() -> Self {
        let requests = Family::<Labels, Counter>::default();
        let latency = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency as fn() -> Histogram,
        );
        let jobs = Family::<Labels, Counter>::default();
        let imports_refused = Family::<Labels, Counter>::default();
        let mut registry = Registry::with_prefix("anjian");
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route and method",
            latency.clone(),
        );
        registry.register(
            "job_runs",
            "Background job runs by job and outcome",
            jobs.clone(),
        );
        registry.register(
            "import_refusals",
            "Uploaded files refused for a limit or their shape, by error code",
            imports_refused.clone(),
        );
        let readings = Counter::default();
        let readings_refused = Counter::default();
        registry.register(
            "monitoring_readings",
            "Monitoring readings stored by this instance",
            readings.clone(),
        );
        registry.register(
            "monitoring_refusals",
            "Monitoring readings or payloads refused by this instance (bad payload, unknown device)",
            readings_refused.clone(),
        );
        registry.register_collector(Box::new(StoreWaits));
        Self {
            registry,
            requests,
            latency,
            jobs,
            imports_refused,
            readings,
            readings_refused,
        }
    }
}

impl Telemetry {
    /// One answered request. `route` is the route's pattern (`/api/v1/hazards/{id}`), never
    /// the concrete path, so the number of series stays bounded.
    pub fn request(&self, route: &str, method: &str, status: u16, secs: f64) {
        let labels: Labels = vec![("route", route.to_string()), ("method", method.to_string())];
        self.latency.get_or_create(&labels).observe(secs);
        let mut labels = labels;
        labels.push(("status", status.to_string()));
        self.requests.get_or_create(&labels).inc();
    }

    /// One run of a background job: `ran`, `skipped` (already done today elsewhere) or
    /// `failed`.
    pub fn job(&self, job: &'static str, outcome: &'static str) {
        self.jobs
            .get_or_create(&vec![
                ("job", job.to_string()),
                ("outcome", outcome.to_string()),
            ])
            .inc();
    }

    /// One refused upload.
    pub fn import_refused(&self, code: &str) {
        self.imports_refused
            .get_or_create(&vec![("code", code.to_string())])
            .inc();
    }

    /// Monitoring readings stored.
    pub fn count_monitoring_readings(&self, n: u64) {
        self.readings.inc_by(n);
    }

    /// Monitoring readings or payloads refused.
    pub fn count_monitoring_rejects(&self, n: u64) {
        self.readings_refused.inc_by(n);
    }

    /// The readings stored so far by this process.
    pub fn monitoring_readings(&self) -> u64 {
        self.readings.get()
    }

    /// The refusals counted so far.
    pub fn monitoring_rejects(&self) -> u64 {
        self.readings_refused.get()
    }

    /// Everything, in Prometheus' text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_jobs_and_refusals_are_rendered_with_their_labels() {
        let t = Telemetry::default();
        t.request("/api/v1/hazards/{id}", "GET", 200, 0.003);
        t.request("/api/v1/hazards/{id}", "GET", 404, 0.002);
        t.job("daily_reminders", "ran");
        t.import_refused("import_too_many_rows");
        let text = t.render();
        for want in [
            r#"anjian_http_requests_total{route="/api/v1/hazards/{id}",method="GET",status="200"} 1"#,
            r#"anjian_http_request_duration_seconds_count{route="/api/v1/hazards/{id}",method="GET"} 2"#,
            r#"anjian_job_runs_total{job="daily_reminders",outcome="ran"} 1"#,
            r#"anjian_import_refusals_total{code="import_too_many_rows"} 1"#,
            "anjian_store_pool_waits_total",
            "anjian_store_write_groups_total",
            "anjian_store_grouped_writes_total",
        ] {
            assert!(text.contains(want), "{want} in\n{text}");
        }
    }
}
