-- 0001 core: settings, organisation, enterprises, users, sessions, audit trail.
-- Keep in step with postgres/0001_core.sql (same tables, columns and constraints).

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village', 'grid')),
    parent_code TEXT REFERENCES regions (code),
    kind TEXT NOT NULL DEFAULT '',
    valid_from TEXT,
    valid_to TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code, code);

CREATE TABLE sectors (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    is_member_unit BOOLEAN NOT NULL DEFAULT FALSE,
    has_supervision_duty BOOLEAN NOT NULL DEFAULT FALSE,
    is_industry_authority BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (region_code, name)
);

CREATE TABLE department_sectors (
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    sector_code TEXT NOT NULL REFERENCES sectors (code),
    decision_no TEXT,
    decided_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (department_id, sector_code)
);
CREATE INDEX department_sectors_sector ON department_sectors (sector_code);

CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    uscc_warning TEXT,
    region_code TEXT NOT NULL REFERENCES regions (code),
    county_code TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    industry_code TEXT,
    above_scale BOOLEAN NOT NULL DEFAULT FALSE,
    is_key BOOLEAN NOT NULL DEFAULT FALSE,
    legal_rep TEXT,
    legal_rep_phone TEXT,
    principal TEXT,
    principal_phone TEXT,
    principal_id_no TEXT,
    status TEXT NOT NULL CHECK (status IN ('operating', 'suspended', 'closed')),
    risk_grade TEXT CHECK (risk_grade IN ('red', 'orange', 'yellow', 'blue')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises (region_code, id);
CREATE INDEX enterprises_county ON enterprises (county_code, id);

CREATE TABLE enterprise_sectors (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    sector_code TEXT NOT NULL REFERENCES sectors (code),
    PRIMARY KEY (enterprise_id, sector_code)
);
CREATE INDEX enterprise_sectors_sector ON enterprise_sectors (sector_code, enterprise_id);

CREATE TABLE enterprise_departments (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    PRIMARY KEY (enterprise_id, department_id)
);
CREATE INDEX enterprise_departments_dept ON enterprise_departments (department_id, enterprise_id);

CREATE TABLE licences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issuer TEXT,
    valid_from TEXT,
    valid_to TEXT
);
CREATE INDEX licences_enterprise ON licences (enterprise_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'department', 'inspector', 'township', 'enterprise', 'supervisor')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    department_id INTEGER REFERENCES departments (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    phone TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_login_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE user_sites (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (user_id, enterprise_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('web', 'api')),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json TEXT,
    request_id TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX audit_at ON audit_log (at);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
