-- 0033: target-responsibility letters (目标管理责任状) with their indicators, the grassroots
-- emergency capability checklists (“六有”“三有”) and the yearly assessments of each
-- township and village with the county's acceptance; evidence files may now belong to a
-- letter (its signed scan) or an assessment.
-- Keep in step with postgres/0033_letters_capability.sql.

CREATE TABLE responsibility_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    -- The counterpart's region: the township itself, the department's or the enterprise's.
    region_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    issuer TEXT NOT NULL,
    counterpart_kind TEXT NOT NULL CHECK (counterpart_kind IN ('township', 'department', 'enterprise')),
    department_id INTEGER REFERENCES departments (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    -- One key per counterpart (township:<code>, department:<id>, enterprise:<id>).
    counterpart_key TEXT NOT NULL,
    counterpart_name TEXT NOT NULL,
    title TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    -- The indicators, a JSON list.
    indicators TEXT NOT NULL,
    scan_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX responsibility_letters_signed ON responsibility_letters (county_code, signed_on);
CREATE INDEX responsibility_letters_counterpart ON responsibility_letters (counterpart_key, signed_on);

CREATE TABLE capability_items (
    level TEXT NOT NULL CHECK (level IN ('township', 'village')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (level, code)
);

CREATE TABLE capability_assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    -- The township or village assessed, and the township that submits for it.
    region_code TEXT NOT NULL REFERENCES regions (code),
    township_code TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('township', 'village')),
    year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
    -- The self-assessment per checklist item, a JSON list.
    items TEXT NOT NULL,
    submitted_on TEXT,
    result TEXT CHECK (result IN ('pass', 'fail')),
    accepted_on TEXT,
    inspectors TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (region_code, year)
);
CREATE INDEX capability_assessments_accepted ON capability_assessments (county_code, accepted_on);

-- Attachments may belong to a letter or an assessment: the table is rebuilt with the wider
-- CHECK (SQLite cannot alter one), rows and ids kept.
CREATE TABLE attachments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard', 'letter', 'capability')),
    entity_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER,
    uploaded_at TEXT NOT NULL
);
INSERT INTO attachments_new (id, county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at)
    SELECT id, county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_entity ON attachments (entity, entity_id);
