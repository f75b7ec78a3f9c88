-- 0013: 委托执法: agreements by which agencies commission a township for listed
-- simple-procedure items, and the cases opened under them.
-- Keep in step with postgres/0013_commissions.sql.

CREATE TABLE commissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    agency TEXT NOT NULL,
    agreement_no TEXT NOT NULL,
    items TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX commissions_region ON commissions (region_code, id);

CREATE TABLE commissioned_cases (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    commission_id INTEGER NOT NULL REFERENCES commissions (id),
    item_code TEXT NOT NULL,
    agency TEXT NOT NULL
);
