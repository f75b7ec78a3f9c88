-- 0027: what a 行刑衔接 transfer records after it leaves the agency (国务院令第310号 as
-- revised 2020, arts. 6, 8, 9; 应急〔2019〕54号).
-- persons: the natural persons suspected and transferred ("移送司法机关处理N人"), 0 when only
--   a unit is suspected. Rows made before count one person each, as the figure did.
-- copied_to, copied_on: the 移送书 is copied to the procuratorate at the same level.
-- accepted_on: the day the police accepted the case (receipt on the 移送书); the police decide
--   on 立案 within 3 days of it, 7 where the leads must be verified ('verify') and 30 for a
--   major, difficult or complex case approved by a police head ('complex'); police_limit_reason
--   says why.
-- reconsider_on, reconsider_decided_on: after 不予立案 the agency may ask for reconsideration
--   within 3 days of the notice; the police decide within 3 days of receiving it.
-- supervision_on, procuratorate, supervision_decided_on: the agency asked the procuratorate to
--   supervise the police's decision (立案监督) and when the outcome was known.
-- New states 'reconsidering' and 'supervising', and documents.entity admits 'transfer'
-- (涉嫌犯罪案件移送书): SQLite changes a CHECK by rebuilding the table.
-- Keep in step with the other dialect's 0027_transfer_police.sql.

CREATE TABLE transfers_new (
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
    status TEXT NOT NULL CHECK (status IN ('reported', 'rejected', 'approved', 'transferred', 'filed', 'not_filed', 'reconsidering', 'supervising')),
    report_on TEXT NOT NULL,
    decided_on TEXT,
    reject_reason TEXT NOT NULL DEFAULT '',
    transferred_on TEXT,
    police_unit TEXT NOT NULL DEFAULT '',
    police_decided_on TEXT,
    notified_on TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    campaign TEXT,
    decided_at TEXT,
    transferred_at TEXT,
    decided_by TEXT NOT NULL DEFAULT '',
    decided_as TEXT NOT NULL DEFAULT '' CHECK (decided_as IN ('', 'principal', 'presiding')),
    persons INTEGER NOT NULL DEFAULT 1 CHECK (persons >= 0),
    copied_to TEXT NOT NULL DEFAULT '',
    copied_on TEXT,
    accepted_on TEXT,
    police_limit TEXT NOT NULL DEFAULT '' CHECK (police_limit IN ('', 'verify', 'complex')),
    police_limit_reason TEXT NOT NULL DEFAULT '',
    reconsider_on TEXT,
    reconsider_decided_on TEXT,
    supervision_on TEXT,
    procuratorate TEXT NOT NULL DEFAULT '',
    supervision_decided_on TEXT
);
INSERT INTO transfers_new (id, county_code, region_code, sector, enterprise_id, case_id, subject, crime_type, facts, officers, status, report_on, decided_on, reject_reason, transferred_on, police_unit, police_decided_on, notified_on, outcome, created_at, version, campaign, decided_at, transferred_at, decided_by, decided_as)
SELECT id, county_code, region_code, sector, enterprise_id, case_id, subject, crime_type, facts, officers, status, report_on, decided_on, reject_reason, transferred_on, police_unit, police_decided_on, notified_on, outcome, created_at, version, campaign, decided_at, transferred_at, decided_by, decided_as FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_new RENAME TO transfers;
CREATE INDEX transfers_region ON transfers (region_code, id);

CREATE TABLE documents_new (
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
    entity TEXT NOT NULL CHECK (entity IN ('inspection', 'hazard', 'case', 'transfer')),
    entity_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    served_on TEXT,
    served_to TEXT NOT NULL DEFAULT '',
    service_method TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    campaign TEXT,
    UNIQUE (department_id, doc_type, year, seq)
);
INSERT INTO documents_new SELECT id, county_code, region_code, sector, enterprise_id, department_id, doc_type, year, seq, doc_no, entity, entity_id, title, body, issued_on, issued_by, served_on, served_to, service_method, created_at, campaign FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_entity ON documents (entity, entity_id);
CREATE INDEX documents_issued_on ON documents (county_code, issued_on);
