-- 0008: administrative penalty cases and their timeline.
-- Keep in step with postgres/0008_cases.sql.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    department_id INTEGER REFERENCES departments (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    sector TEXT NOT NULL REFERENCES sectors (code),
    procedure TEXT NOT NULL CHECK (procedure IN ('simple', 'general')),
    party_kind TEXT NOT NULL CHECK (party_kind IN ('person', 'organisation')),
    party_name TEXT NOT NULL,
    facts TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    fine_fen INTEGER NOT NULL CHECK (fine_fen >= 0),
    measures TEXT NOT NULL DEFAULT '',
    major BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('registered', 'investigating', 'notified', 'hearing_requested', 'heard', 'decided', 'served', 'executed', 'closed', 'terminated')),
    registered_on TEXT NOT NULL,
    notified_on TEXT,
    legal_review TEXT NOT NULL DEFAULT '',
    legal_reviewed_on TEXT,
    decided_on TEXT,
    served_on TEXT,
    executed_on TEXT,
    closed_on TEXT,
    hazard_id INTEGER REFERENCES hazards (id),
    inspection_id INTEGER REFERENCES inspections (id),
    campaign TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_county ON cases (county_code, id);
CREATE INDEX cases_status ON cases (status);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    county_code TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);
