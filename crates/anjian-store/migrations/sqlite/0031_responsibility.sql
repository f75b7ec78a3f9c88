-- 0032: the responsibility chain as records.
-- leaders: the county leaders (名单 with posts), optionally linked to a user account of role
--   leader (whose dashboard then shows his areas).
-- leader_assignments: 包片 (a township) and 包线 (a sector) per leader for a dated period, with
--   the document that made it; a new assignment of a target ends the current one the day
--   before (anjian_domain::leader::handover), so a target has one leader on any day.
-- duty_items: 职责清单, the member units' duties as dated text items with the document that
--   set them (doc_kind: 三定方案, 安委会决定, 任务分工, other); an item naming a sector takes
--   part, with the departments' sector assignments, in "who supervises" (anjian_domain::duty).
-- accountability_records: 警示约谈 (persons: a JSON list of {name, post, unit}; person_count
--   is its length, summed by the statistics), 通报批评 and 问责 decisions about a township
--   (region_code), a department, an enterprise or a person, with the measure, the deciding
--   body, the day, the reason, the theme and the records referred to (refs: JSON list of
--   {kind, id, text}). region_code is where the target lies (the county for a department).
-- Keep in step with the other dialect's 0032_responsibility.sql.

CREATE TABLE leaders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    name TEXT NOT NULL,
    post TEXT NOT NULL,
    phone TEXT,
    user_id INTEGER REFERENCES users (id),
    sort_order INTEGER NOT NULL DEFAULT 100,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX leaders_county ON leaders (county_code, sort_order);

CREATE TABLE leader_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    leader_id INTEGER NOT NULL REFERENCES leaders (id),
    kind TEXT NOT NULL CHECK (kind IN ('township', 'sector')),
    target TEXT NOT NULL,
    basis TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX leader_assignments_target ON leader_assignments (county_code, kind, target, valid_from);
CREATE INDEX leader_assignments_leader ON leader_assignments (leader_id, valid_from);

CREATE TABLE duty_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    content TEXT NOT NULL,
    doc_kind TEXT NOT NULL CHECK (doc_kind IN ('sanding', 'committee', 'division', 'other')),
    doc_title TEXT NOT NULL DEFAULT '',
    doc_no TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    sector_code TEXT REFERENCES sectors (code),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX duty_items_department ON duty_items (department_id, valid_from);
CREATE INDEX duty_items_sector ON duty_items (county_code, sector_code, valid_from);

CREATE TABLE accountability_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('interview', 'criticism', 'accountability')),
    theme TEXT NOT NULL CHECK (theme IN ('forest_fire', 'hazards', 'accident', 'other')),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('township', 'department', 'enterprise', 'person')),
    department_id INTEGER REFERENCES departments (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    target_name TEXT NOT NULL,
    persons TEXT NOT NULL DEFAULT '[]',
    person_count INTEGER NOT NULL DEFAULT 0,
    measure TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    refs TEXT NOT NULL DEFAULT '[]',
    doc_no TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX accountability_county_day ON accountability_records (county_code, decided_on);
CREATE INDEX accountability_region ON accountability_records (region_code, id);
