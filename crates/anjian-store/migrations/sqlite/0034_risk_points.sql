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
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'accepted', 'returned', 'retired')),
    retired_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    -- What the point is: the place (部位/场所), the activity or equipment, the hazard factor,
    -- the possible accident types (GB 6441 codes joined by commas).
    place TEXT NOT NULL,
    activity TEXT NOT NULL DEFAULT '',
    hazard_factor TEXT NOT NULL,
    accident_types TEXT NOT NULL,
    -- The existing controls, per kind.
    control_engineering TEXT NOT NULL DEFAULT '',
    control_management TEXT NOT NULL DEFAULT '',
    control_training TEXT NOT NULL DEFAULT '',
    control_ppe TEXT NOT NULL DEFAULT '',
    control_emergency TEXT NOT NULL DEFAULT '',
    control_level TEXT NOT NULL CHECK (control_level IN ('company', 'workshop', 'team', 'post')),
    responsible_name TEXT NOT NULL,
    responsible_phone TEXT NOT NULL,
    -- The latest assessment not yet reviewed, and the one whose grade is in force.
    pending_assessment_id INTEGER,
    accepted_assessment_id INTEGER,
    -- Why it was last returned; why it was retired.
    return_reason TEXT NOT NULL DEFAULT '',
    retire_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_points_enterprise ON risk_points (enterprise_id, grade);
CREATE INDEX risk_points_region ON risk_points (county_code, region_code);

-- Every (re-)assessment of a point, kept: the method's inputs (in tenths), the score (in
-- hundredths), the grade under the cut-offs in force (kept as text), who and why, and its review.
CREATE TABLE risk_assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    point_id INTEGER NOT NULL REFERENCES risk_points (id),
    county_code TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('lec', 'ls')),
    l_x10 INTEGER NOT NULL,
    e_x10 INTEGER,
    c_x10 INTEGER,
    s_x10 INTEGER,
    score_x100 INTEGER NOT NULL,
    grade TEXT NOT NULL CHECK (grade IN ('major', 'large', 'general', 'low')),
    cutoffs TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'accepted', 'returned', 'superseded')),
    assessed_by TEXT NOT NULL,
    assessed_at TEXT NOT NULL,
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    review_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_assessments_point ON risk_assessments (point_id, id);
