-- 0012: reports from the public (举报) and their rewards (举报奖励).
-- Keep in step with postgres/0012_reports.sql.

CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    sector TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id),
    channel TEXT NOT NULL,
    received_on TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    reporter_name TEXT NOT NULL DEFAULT '',
    reporter_phone TEXT NOT NULL DEFAULT '',
    is_employee BOOLEAN NOT NULL DEFAULT FALSE,
    category TEXT NOT NULL CHECK (category IN ('major_hazard', 'illegal', 'concealed_accident', 'general')),
    content TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'verified', 'unfounded', 'approved', 'paid')),
    department_id INTEGER REFERENCES departments (id),
    verified_on TEXT,
    verify_note TEXT NOT NULL DEFAULT '',
    hazard_id INTEGER REFERENCES hazards (id),
    case_id INTEGER REFERENCES cases (id),
    accident_level INTEGER,
    concealed_deaths INTEGER,
    reward_fen INTEGER,
    reward_formula TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    paid_on TEXT,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reports_region ON reports (region_code, id);
