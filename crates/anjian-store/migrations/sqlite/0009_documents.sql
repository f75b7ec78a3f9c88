-- 0009: enforcement documents (执法文书) with gap-free numbering per department, type and
-- year, and their service (送达) records.
-- Keep in step with postgres/0009_documents.sql.

CREATE TABLE doc_counters (
    department_id INTEGER NOT NULL,
    doc_type TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (department_id, doc_type, year)
);

CREATE TABLE doc_prefixes (
    department_id INTEGER PRIMARY KEY REFERENCES departments (id),
    prefix TEXT NOT NULL
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    sector TEXT NOT NULL,
    enterprise_id INTEGER,
    department_id INTEGER NOT NULL,
    doc_type TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    doc_no TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL CHECK (entity IN ('inspection', 'hazard', 'case')),
    entity_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    served_on TEXT,
    served_to TEXT NOT NULL DEFAULT '',
    service_method TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (department_id, doc_type, year, seq)
);
CREATE INDEX documents_entity ON documents (entity, entity_id);
