-- 0007: inspections (监督检查) with checklists from per-sector templates, and findings
-- that become hazards in one step.
-- Keep in step with postgres/0007_inspections.sql.

CREATE TABLE checklist_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sector TEXT NOT NULL REFERENCES sectors (code),
    name TEXT NOT NULL,
    items TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    UNIQUE (sector, name)
);

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    enterprise_id INTEGER REFERENCES enterprises (id),
    site TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments (id),
    sector TEXT NOT NULL REFERENCES sectors (code),
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'special', 'random', 'recheck', 'joint')),
    enforcement BOOLEAN NOT NULL DEFAULT FALSE,
    inspected_on TEXT NOT NULL,
    inspectors TEXT NOT NULL,
    template_id INTEGER REFERENCES checklist_templates (id),
    checklist TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    campaign TEXT,
    created_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX inspections_county ON inspections (county_code, id);
CREATE INDEX inspections_enterprise ON inspections (enterprise_id);

CREATE TABLE inspection_findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    item_code TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    hazard_id INTEGER REFERENCES hazards (id)
);
CREATE INDEX inspection_findings_inspection ON inspection_findings (inspection_id, id);
