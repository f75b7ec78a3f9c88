-- 0034: risk points (风险点) of 风险分级管控, per enterprise or, for a township, per public site.
-- The columns below are the contract other features read (the enterprise's grade follows from
-- its points): grade is the grade of the point's latest ACCEPTED assessment (NULL until one is
-- accepted), retired_at is set when the point no longer exists.
-- Keep in step with postgres/0034_risk_points.sql.

CREATE TABLE risk_points (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    -- The township (or the enterprise's region) the point belongs to.
    region_code TEXT NOT NULL,
    -- The enterprise, or NULL for a township's public site.
    enterprise_id INTEGER REFERENCES enterprises (id),
    grade TEXT CHECK (grade IN ('major', 'large', 'general', 'low')),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
    retired_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX risk_points_enterprise ON risk_points (enterprise_id, grade);
CREATE INDEX risk_points_region ON risk_points (county_code, region_code);
