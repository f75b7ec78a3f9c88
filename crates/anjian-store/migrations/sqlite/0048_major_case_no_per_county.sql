-- 0048: a major-hazard case number is unique within its county, not across the store.
--   Numbers are counted per county and year (2022-0001, 2022-0002, ...), so in a store
--   holding several counties (a province) the second county's first case of a year
--   collided with the first county's and was refused.
-- Keep in step with the other backend's 0048_major_case_no_per_county.sql.
--
-- SQLite cannot drop a column's inline UNIQUE, so the table is rebuilt, and with it its
-- two child tables: the migration runs in a transaction with foreign keys on, where
-- dropping a parent that still has children fails (or, deferred, leaves the violation
-- counted). The new children reference the new parent; renaming the parent rewrites their
-- references to the old name. Ids are copied with their tables' AUTOINCREMENT sequences.

CREATE TABLE major_cases_new (
    hazard_id INTEGER PRIMARY KEY REFERENCES hazards (id),
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    case_no TEXT NOT NULL,
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
INSERT INTO major_cases_new SELECT hazard_id, county_code, region_code, case_no, state, tier, basis_standard, basis_clause, determined_by, determined_on, assignment_no, assigning_unit, coordinating_supervisor, assigned_on, closed_on, downgrade_reason, version, created_at, updated_at FROM major_cases;

CREATE TABLE major_ledger_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hazard_id INTEGER NOT NULL REFERENCES major_cases_new (hazard_id),
    county_code TEXT NOT NULL,
    entry_date TEXT NOT NULL,
    progress INTEGER NOT NULL CHECK (progress >= 0 AND progress <= 100),
    narrative TEXT NOT NULL,
    reporter TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO major_ledger_new SELECT id, hazard_id, county_code, entry_date, progress, narrative, reporter, created_at FROM major_ledger;

CREATE TABLE major_extensions_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hazard_id INTEGER NOT NULL REFERENCES major_cases_new (hazard_id),
    county_code TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    requested_deadline TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    decided_on TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
INSERT INTO major_extensions_new SELECT id, hazard_id, county_code, requested_on, requested_deadline, reason, status, decided_on, decision_note FROM major_extensions;

-- Ids never come back: the new tables continue from the old ones' sequences, not from
-- the highest id they hold.
DELETE FROM sqlite_sequence WHERE name IN ('major_ledger_new', 'major_extensions_new');
INSERT INTO sqlite_sequence (name, seq) SELECT name || '_new', seq FROM sqlite_sequence WHERE name IN ('major_ledger', 'major_extensions');

DROP TABLE major_ledger;
DROP TABLE major_extensions;
DROP TABLE major_cases;
ALTER TABLE major_cases_new RENAME TO major_cases;
ALTER TABLE major_ledger_new RENAME TO major_ledger;
ALTER TABLE major_extensions_new RENAME TO major_extensions;

CREATE INDEX major_cases_county ON major_cases (county_code, state);
CREATE UNIQUE INDEX major_cases_case_no ON major_cases (county_code, case_no);
CREATE INDEX major_ledger_hazard ON major_ledger (hazard_id, id);
CREATE INDEX major_extensions_hazard ON major_extensions (hazard_id, id);
