-- 0003: reminder notices and the claim table that makes a job cycle run once.
-- Keep in step with postgres/0003_notices_jobs.sql.

CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    sector TEXT NOT NULL DEFAULT '',
    enterprise_id INTEGER,
    day TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, entity, entity_id, day)
);
CREATE INDEX notices_region_day ON notices (region_code, day);

CREATE TABLE job_runs (
    job TEXT NOT NULL,
    cycle TEXT NOT NULL,
    instance TEXT NOT NULL,
    started_at TEXT NOT NULL,
    items INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job, cycle)
);
