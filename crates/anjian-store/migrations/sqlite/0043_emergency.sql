-- 0043: emergency resources (应急资源).
-- emergency_resources: a rescue team (members, speciality), an expert (speciality is the
--   field), equipment and supplies (quantity, unit, the depot holding them), a depot or a
--   shelter (capacity: people a shelter takes, a depot's area in m²); kept by a township
--   (region_code its own) or the county and its departments (region_code the county's,
--   department_id the keeping department if any); coordinates in micro-degrees (WGS-84), both
--   or neither; last_checked_on the last periodic check (NULL until the first).
-- emergency_resource_checks: each periodic check (点验、维护保养) with its result.
-- Keep in step with the other backend's 0043_emergency.sql.

CREATE TABLE emergency_resources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id),
    kind TEXT NOT NULL CHECK (kind IN ('team', 'expert', 'supply', 'depot', 'shelter')),
    name TEXT NOT NULL,
    members INTEGER CHECK (members IS NULL OR members > 0),
    speciality TEXT NOT NULL DEFAULT '',
    quantity INTEGER CHECK (quantity IS NULL OR quantity > 0),
    unit TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
    depot_id INTEGER REFERENCES emergency_resources (id),
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    lng_micro INTEGER,
    lat_micro INTEGER,
    last_checked_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((lng_micro IS NULL) = (lat_micro IS NULL))
);
CREATE INDEX emergency_resources_region ON emergency_resources (county_code, region_code, kind);

CREATE TABLE emergency_resource_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES emergency_resources (id),
    region_code TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    ok BOOLEAN NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    checked_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX emergency_resource_checks_resource ON emergency_resource_checks (resource_id, checked_on);
