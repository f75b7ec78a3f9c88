-- 0014: annual enforcement plans (年度监督检查计划), one per department and year.
-- Keep in step with postgres/0014_plans.sql.

CREATE TABLE enforcement_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    lines TEXT NOT NULL,
    key_enterprise_ids TEXT NOT NULL,
    random_share_percent INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    approved_by TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    doc_no TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (department_id, year)
);
