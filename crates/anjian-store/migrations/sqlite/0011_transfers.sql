-- 0011: 行刑衔接 transfers of cases to public security (应急〔2019〕54号) with their time
-- limits, and the publicity (公示) of penalty decisions (三项制度).
-- Keep in step with postgres/0011_transfers.sql.

CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    sector TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id),
    case_id INTEGER REFERENCES cases (id),
    subject TEXT NOT NULL,
    crime_type TEXT NOT NULL,
    facts TEXT NOT NULL,
    officers TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('reported', 'rejected', 'approved', 'transferred', 'filed', 'not_filed')),
    report_on TEXT NOT NULL,
    decided_on TEXT,
    reject_reason TEXT NOT NULL DEFAULT '',
    transferred_on TEXT,
    police_unit TEXT NOT NULL DEFAULT '',
    police_decided_on TEXT,
    notified_on TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX transfers_region ON transfers (region_code, id);

CREATE TABLE decision_publicity (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    published_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    withdrawn_on TEXT,
    withdraw_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
