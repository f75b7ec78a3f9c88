-- 0005: major hazards under 一单四制: the case on the list, its ledger (台账),
-- extension requests and the periodic 通报.
-- Keep in step with postgres/0005_major_hazards.sql.

CREATE TABLE major_cases (
    hazard_id INTEGER PRIMARY KEY REFERENCES hazards (id),
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    case_no TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('under_determination', 'listed', 'assigned', 'in_remediation', 'extension_requested', 'closeout_requested', 'closed', 'downgraded')),
    tier TEXT NOT NULL DEFAULT 'county' CHECK (tier IN ('county', 'city', 'province')),
    basis_standard TEXT NOT NULL DEFAULT '',
    basis_clause TEXT NOT NULL DEFAULT '',
    determined_by TEXT NOT NULL DEFAULT '',
    determined_on TEXT,
    assignment_no TEXT NOT NULL DEFAULT '',
    assigning_unit TEXT NOT NULL DEFAULT '',
    coordinating_supervisor TEXT NOT NULL DEFAULT '',
    assigned_on TEXT,
    closed_on TEXT,
    downgrade_reason TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX major_cases_county ON major_cases (county_code, state);

CREATE TABLE major_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hazard_id INTEGER NOT NULL REFERENCES major_cases (hazard_id),
    county_code TEXT NOT NULL,
    entry_date TEXT NOT NULL,
    progress INTEGER NOT NULL CHECK (progress >= 0 AND progress <= 100),
    narrative TEXT NOT NULL,
    reporter TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX major_ledger_hazard ON major_ledger (hazard_id, id);

CREATE TABLE major_extensions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hazard_id INTEGER NOT NULL REFERENCES major_cases (hazard_id),
    county_code TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    requested_deadline TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    decided_on TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX major_extensions_hazard ON major_extensions (hazard_id, id);

CREATE TABLE major_bulletins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    cycle TEXT NOT NULL,
    doc_no TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    items TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (county_code, cycle)
);
