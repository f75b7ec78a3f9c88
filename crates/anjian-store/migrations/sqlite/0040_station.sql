-- 0040: stationed safety supervisors (派驻安全生产监督管理员).
-- key_places: 重点地段 a supervisor can be stationed at besides enterprises (a construction
--   site, a mine entrance ...), with their place (region_code) and sector.
-- station_assignments: a supervisor (a user) stationed by a dispatching unit (a township,
--   unit_region_code, or a department, unit_department_id: exactly one) at a site (an
--   enterprise or a key place: exactly one) from starts_on to ends_on (NULL while it runs).
--   region_code, sector are the site's, for scope (scope_sql::record), kept in step when the
--   site is chosen. A change of site or unit ends one assignment and begins another.
-- station_visits: a check-in of the supervisor at the assignment's site: visited_at local
--   'YYYY-MM-DD HH:MM' (day its date), checklist JSON [[item, answer]], the findings and how
--   many items were answered 有问题 (problems). Photos are attachments ('station_visit').
-- station_visit_hazards: hazards registered from a visit's findings.
-- station_weeks: a supervisor's confirmation of a week's summary (week_start a Monday), with
--   the figures confirmed (visits, problems found).
-- station_spot_checks: 抽查 of an assignment (optionally of one visit): was the supervisor
--   there, was the record true, result (pass only when both), the follow-up.
-- station_ratings: a supervisor's monthly rating (month is its first day), one per month.
-- Keep in step with the other backend's 0040_station.sql.

CREATE TABLE key_places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    sector TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('construction_site', 'mine_entrance', 'road', 'water', 'forest', 'crowded', 'other')),
    location TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX key_places_region ON key_places (county_code, region_code);

CREATE TABLE station_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    supervisor_id INTEGER NOT NULL REFERENCES users (id),
    unit_region_code TEXT,
    unit_department_id INTEGER REFERENCES departments (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    place_id INTEGER REFERENCES key_places (id),
    region_code TEXT NOT NULL,
    sector TEXT,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((unit_region_code IS NULL) <> (unit_department_id IS NULL)),
    CHECK ((enterprise_id IS NULL) <> (place_id IS NULL)),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX station_assignments_supervisor ON station_assignments (supervisor_id, starts_on);
CREATE INDEX station_assignments_county ON station_assignments (county_code, starts_on);

CREATE TABLE station_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    assignment_id INTEGER NOT NULL REFERENCES station_assignments (id),
    supervisor_id INTEGER NOT NULL REFERENCES users (id),
    region_code TEXT NOT NULL,
    sector TEXT,
    enterprise_id INTEGER,
    place_id INTEGER,
    visited_at TEXT NOT NULL,
    day TEXT NOT NULL,
    checklist TEXT NOT NULL DEFAULT '[]',
    findings TEXT NOT NULL DEFAULT '',
    problems INTEGER NOT NULL DEFAULT 0 CHECK (problems >= 0),
    created_at TEXT NOT NULL
);
CREATE INDEX station_visits_assignment ON station_visits (assignment_id, day);
CREATE INDEX station_visits_county_day ON station_visits (county_code, day);
CREATE INDEX station_visits_supervisor ON station_visits (supervisor_id, day);

CREATE TABLE station_visit_hazards (
    visit_id INTEGER NOT NULL REFERENCES station_visits (id),
    hazard_id INTEGER NOT NULL REFERENCES hazards (id),
    PRIMARY KEY (visit_id, hazard_id)
);

CREATE TABLE station_weeks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    supervisor_id INTEGER NOT NULL REFERENCES users (id),
    week_start TEXT NOT NULL,
    visits INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    confirmed_at TEXT NOT NULL,
    UNIQUE (supervisor_id, week_start)
);

CREATE TABLE station_spot_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    assignment_id INTEGER NOT NULL REFERENCES station_assignments (id),
    visit_id INTEGER REFERENCES station_visits (id),
    supervisor_id INTEGER NOT NULL REFERENCES users (id),
    region_code TEXT NOT NULL,
    sector TEXT,
    enterprise_id INTEGER,
    checked_on TEXT NOT NULL,
    checked_by INTEGER,
    present BOOLEAN NOT NULL,
    record_true BOOLEAN NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
    follow_up TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX station_spot_checks_county_day ON station_spot_checks (county_code, checked_on);
CREATE INDEX station_spot_checks_assignment ON station_spot_checks (assignment_id);

CREATE TABLE station_ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    supervisor_id INTEGER NOT NULL REFERENCES users (id),
    month TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('excellent', 'competent', 'basic', 'incompetent')),
    remarks TEXT NOT NULL DEFAULT '',
    rated_by INTEGER,
    rated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (supervisor_id, month)
);

CREATE TABLE attachments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard', 'letter', 'capability', 'campaign_object', 'station_visit')),
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
