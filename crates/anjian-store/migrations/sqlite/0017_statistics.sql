-- 0017: what the statistics count beyond hazards and cases: campaigns (专项行动) that
-- records are tagged with, the configurable catalogue of countable field actions
-- (工作事项) and the records of them (工作记录); campaign tags on documents, transfers
-- and reports; the item count of a commission; evidence files on work records.
-- Keep in step with postgres/0017_statistics.sql.

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    units TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (county_code, code)
);

CREATE TABLE work_item_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    sector TEXT REFERENCES sectors (code),
    topic TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TEXT NOT NULL
);

CREATE TABLE work_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    department_id INTEGER REFERENCES departments (id),
    sector TEXT REFERENCES sectors (code),
    enterprise_id INTEGER REFERENCES enterprises (id),
    item_code TEXT NOT NULL REFERENCES work_item_types (code),
    done_on TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    campaign TEXT,
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX work_records_county ON work_records (county_code, done_on);
CREATE INDEX work_records_item ON work_records (item_code, done_on);
CREATE INDEX work_records_region ON work_records (region_code, id);

ALTER TABLE documents ADD COLUMN campaign TEXT;
ALTER TABLE transfers ADD COLUMN campaign TEXT;
ALTER TABLE reports ADD COLUMN campaign TEXT;

ALTER TABLE commissions ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0;
UPDATE commissions SET item_count = json_array_length(items);

-- Evidence on work records: widen the attachments entity check (SQLite rebuilds the table).
CREATE TABLE attachments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard', 'work_record')),
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
INSERT INTO attachments_new SELECT id, county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_entity ON attachments (entity, entity_id);

-- Date indexes the period queries of the metric catalogue use.
CREATE INDEX hazards_found_on ON hazards (county_code, found_on);
CREATE INDEX hazards_closed_on ON hazards (county_code, closed_on);
CREATE INDEX cases_registered_on ON cases (county_code, registered_on);
CREATE INDEX documents_issued_on ON documents (county_code, issued_on);
CREATE INDEX inspections_inspected_on ON inspections (county_code, inspected_on);
