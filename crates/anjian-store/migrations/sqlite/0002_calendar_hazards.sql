-- 0002: the working-day calendar, hazards and their events.
-- Keep in step with postgres/0002_calendar_hazards.sql.

CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calendar_days_year ON calendar_days (year);

CREATE TABLE hazards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    enterprise_id INTEGER REFERENCES enterprises (id),
    department_id INTEGER REFERENCES departments (id),
    sector TEXT NOT NULL REFERENCES sectors (code),
    level TEXT NOT NULL CHECK (level IN ('general', 'major')),
    source TEXT NOT NULL CHECK (source IN ('inspection', 'self_check', 'public_report', 'media', 'transfer', 'higher_assignment', 'lower_report')),
    description TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    found_on TEXT NOT NULL,
    deadline TEXT,
    deadline_basis TEXT CHECK (deadline_basis IN ('calendar_days', 'working_days', 'date')),
    deadline_rule TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('registered', 'ordered', 'rectifying', 'reported', 'closed')),
    responsible_unit TEXT NOT NULL DEFAULT '',
    responsible_person TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '',
    funds_planned INTEGER,
    funds_spent INTEGER,
    emergency_plan TEXT NOT NULL DEFAULT '',
    campaign TEXT,
    closed_on TEXT,
    created_by INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hazards_county ON hazards (county_code, id);
CREATE INDEX hazards_region ON hazards (region_code, id);
CREATE INDEX hazards_enterprise ON hazards (enterprise_id);
CREATE INDEX hazards_open_deadline ON hazards (status, deadline);

CREATE TABLE hazard_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hazard_id INTEGER NOT NULL REFERENCES hazards (id),
    county_code TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    data TEXT
);
CREATE INDEX hazard_events_hazard ON hazard_events (hazard_id, id);
