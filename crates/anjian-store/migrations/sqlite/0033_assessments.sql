-- 0034: the year's assessment (考核).
-- assessment_rubrics: one rubric per county, year and kind of unit (township, department);
--   its items are a typed JSON list (anjian_domain::assessment::RubricItem).
-- assessments: an evaluation of a rubric for the half-year or the year; computed from the
--   records while a draft, frozen when approved (items: the rubric's items as approved).
-- assessment_units: the units evaluated (a township: its code; a department: its id, under
--   the county's code); frozen: each item's value, score and the records behind its
--   deduction, written at approval.
-- assessment_scores: the 安委办's hand scores (hundredths of a point) with the scorer.
-- assessment_evidence: evidence files for hand-scored items, checked by content like the
--   other evidence, kept in the database.
-- assessment_objections: a unit's 复核申请 on an item and the 安委办's answer.
-- Keep in step with postgres/0034_assessments.sql.

CREATE TABLE assessment_rubrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('township', 'department')),
    title TEXT NOT NULL,
    items TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (county_code, year, unit_kind)
);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    rubric_id INTEGER NOT NULL REFERENCES assessment_rubrics (id),
    round TEXT NOT NULL CHECK (round IN ('half', 'year')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    items TEXT,
    approved_by TEXT NOT NULL DEFAULT '',
    approved_at TEXT,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (rubric_id, round)
);

CREATE TABLE assessment_units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    county_code TEXT NOT NULL,
    unit_key TEXT NOT NULL,
    region_code TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id),
    unit_name TEXT NOT NULL,
    frozen TEXT,
    UNIQUE (assessment_id, unit_key)
);

CREATE TABLE assessment_scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES assessment_units (id),
    item_no INTEGER NOT NULL,
    score INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    scored_by TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    UNIQUE (unit_id, item_no)
);

CREATE TABLE assessment_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES assessment_units (id),
    item_no INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX assessment_evidence_unit ON assessment_evidence (unit_id, item_no);

CREATE TABLE assessment_objections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES assessment_units (id),
    region_code TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id),
    item_no INTEGER NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('filed', 'accepted', 'rejected')),
    score INTEGER,
    answer TEXT NOT NULL DEFAULT '',
    filed_by TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    answered_by TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX assessment_objections_unit ON assessment_objections (unit_id, item_no);
