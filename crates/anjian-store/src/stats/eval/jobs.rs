//! The batch's queries, independent reads run on parallel read connections.

use super::*;

/// One query of a multi-evaluation: its SQL and the requests its columns answer.
pub(super) struct Job {
    pub(super) source: &'static str,
    pub(super) indexed: bool,
    pub(super) sql: String,
    pub(super) params: Vec<Value>,
    pub(super) members: Vec<usize>,
    pub(super) applicable: Vec<bool>,
}

impl Store {
    /// Runs each job's one-row query, on up to as many threads as the machine has cores
    /// (at most four), each with its own read transaction; results in job order.
    pub(super) fn run_jobs(&self, jobs: &[Job]) -> Result<Vec<crate::db::Row>> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4)
            .min(jobs.len().max(1));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: std::sync::Mutex<Vec<Option<Result<crate::db::Row>>>> =
            std::sync::Mutex::new((0..jobs.len()).map(|_| None).collect());
        // The workers' kept reads answer from this thread's look at the data generation.
        let look = crate::memo::look_now(self.db())?;
        let work = || {
            crate::memo::under_look(look, || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let started = std::time::Instant::now();
                    let row = self.figure_row(&job.sql, &job.params);
                    tracing::debug!(
                        source = job.source,
                        metrics = job.members.len(),
                        ms = started.elapsed().as_secs_f64() * 1000.0,
                        "metric batch"
                    );
                    tracing::trace!(sql = job.sql, params = ?job.params, "metric batch query");
                    if let Ok(mut r) = results.lock()
                        && let Some(slot) = r.get_mut(i)
                    {
                        *slot = Some(row);
                    }
                }
            })
        };
        if threads <= 1 {
            work();
        } else {
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(work);
                }
            });
        }
        results
            .into_inner()
            .map_err(|_| StoreError::Backend("metric results poisoned".into()))?
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(StoreError::Backend("metric query not run".into()))))
            .collect()
    }
}
