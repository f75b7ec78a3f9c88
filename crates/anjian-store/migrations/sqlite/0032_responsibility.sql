-- 0032: the responsibility chain as records.
-- leaders: the county leaders (名单 with posts), optionally linked to a user account of role
--   leader (whose dashboard then shows his areas).
-- leader_assignments: 包片 (a township) and 包线 (a sector) per leader for a dated period, with
--   the document that made it; a new assignment of a target ends the current one the day
--   before (anjian_domain::leader::handover), so a target has one leader on any day.
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
