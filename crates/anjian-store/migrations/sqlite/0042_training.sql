-- 0042: 教育培训 (training).
-- training_sessions: a 培训班 (kind 'class') or a 理论中心组学习 (kind 'study') organised by a
--   township (unit_region_code, region_code the same) or a department (unit_department_id,
--   region_code the county's code): exactly one. Dates inclusive; hours in tenths of an hour;
--   attendees is the number of training_attendees rows, kept in step by the store.
-- training_attendees: the persons who attended a session (person-times), in the order added.
--   Sign-in sheets and photos are attachments ('training_session').
-- training_certificates: 安全生产知识和管理能力考核合格证 of an enterprise's principal or
--   safety manager: number (unique in the county), issued and expiry days.
-- Keep in step with the other backend's 0042_training.sql.

CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    unit_region_code TEXT,
    unit_department_id INTEGER REFERENCES departments (id),
    kind TEXT NOT NULL CHECK (kind IN ('class', 'study')),
    topic TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    hours_tenths INTEGER NOT NULL CHECK (hours_tenths > 0),
    trainers TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    attendees INTEGER NOT NULL DEFAULT 0 CHECK (attendees >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((unit_region_code IS NULL) <> (unit_department_id IS NULL)),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX training_sessions_county_day ON training_sessions (county_code, starts_on);

CREATE TABLE training_attendees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES training_sessions (id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    phone TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX training_attendees_session ON training_attendees (session_id, id);

CREATE TABLE training_certificates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    holder_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('principal', 'safety_manager')),
    cert_no TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (county_code, cert_no),
    CHECK (expires_on > issued_on)
);
CREATE INDEX training_certificates_enterprise ON training_certificates (enterprise_id);
CREATE INDEX training_certificates_county_expiry ON training_certificates (county_code, expires_on);

CREATE TABLE attachments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard', 'letter', 'capability', 'campaign_object', 'station_visit', 'training_session')),
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
