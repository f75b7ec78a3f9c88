-- 0046: online monitoring (在线监测).
-- monitored_objects: a tailings pond, a tank farm, a gas user … at a place, of an enterprise;
--   offline_minutes is how long a point may stay silent before its 设备离线 alarm.
-- monitoring_points: what is measured where, the device id its gateway sends (unique), the
--   four thresholds (blue … red; NULL when unset) with their direction and hysteresis, the
--   days of readings kept, and the level the point is at now (NULL: normal), which the
--   ingestion moves under its lock.
-- monitoring_readings: one row per point and time (Unix milliseconds), value and quality
--   (0 good, 1 suspect, 2 bad); the key makes a repeated delivery a no-op.
-- monitoring_alarms: an alarm on a point, on a tailings pond's item or on the pond (raised by
--   the count of points or items, GB 50863-2013 5.5.4), or a point gone silent; active_key is
--   set while the condition lasts (one active alarm per key) and cleared with cleared_at;
--   acknowledged within ack_due_at, then disposed of (false alarm, on the spot, or a hazard);
--   opened_on is the China day of opened_at (the statistics' periods are days).
-- monitoring_alarm_events: what happened to an alarm (opened, raised, cleared, acknowledged,
--   disposed), with the level and value.
-- monitoring_rejects: payloads or readings refused by the ingestion, with device and reason.
-- Keep in step with the other backend's 0046_monitoring.sql.

CREATE TABLE monitored_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id),
    kind TEXT NOT NULL CHECK (kind IN ('tailings_pond', 'tank_farm', 'gas_user', 'other')),
    name TEXT NOT NULL,
    offline_minutes INTEGER NOT NULL CHECK (offline_minutes > 0),
    lng_micro INTEGER,
    lat_micro INTEGER,
    note TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX monitored_objects_region ON monitored_objects (region_code);

CREATE TABLE monitoring_points (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    object_id INTEGER NOT NULL REFERENCES monitored_objects (id),
    kind TEXT NOT NULL CHECK (kind IN ('water_level', 'beach_length', 'saturation_line', 'surface_displacement', 'internal_displacement', 'rainfall', 'gas_concentration', 'toxic_gas', 'temperature', 'pressure', 'liquid_level', 'other')),
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    device_id TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL CHECK (direction IN ('above', 'below')),
    blue REAL,
    yellow REAL,
    orange REAL,
    red REAL,
    hysteresis REAL NOT NULL DEFAULT 0,
    retention_days INTEGER NOT NULL CHECK (retention_days > 0),
    level TEXT CHECK (level IS NULL OR level IN ('blue', 'yellow', 'orange', 'red')),
    offline_since TEXT,
    active BOOLEAN NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX monitoring_points_object ON monitoring_points (object_id);

CREATE TABLE monitoring_readings (
    point_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    value REAL NOT NULL,
    quality INTEGER NOT NULL,
    PRIMARY KEY (point_id, ts)
) WITHOUT ROWID;

CREATE TABLE monitoring_alarms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id),
    object_id INTEGER NOT NULL REFERENCES monitored_objects (id),
    point_id INTEGER REFERENCES monitoring_points (id),
    target TEXT NOT NULL CHECK (target IN ('point', 'item', 'object', 'offline')),
    item TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    first_level TEXT NOT NULL CHECK (first_level IN ('blue', 'yellow', 'orange', 'red')),
    active_key TEXT UNIQUE,
    opened_at TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    last_at TEXT NOT NULL,
    last_value REAL,
    peak_value REAL,
    repeats INTEGER NOT NULL DEFAULT 0,
    ack_due_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by_name TEXT NOT NULL DEFAULT '',
    cleared_at TEXT,
    disposal TEXT CHECK (disposal IS NULL OR disposal IN ('false_alarm', 'on_site', 'hazard')),
    disposal_note TEXT NOT NULL DEFAULT '',
    disposed_at TEXT,
    disposed_by_name TEXT NOT NULL DEFAULT '',
    hazard_id INTEGER REFERENCES hazards (id),
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX monitoring_alarms_object ON monitoring_alarms (object_id, opened_at);
CREATE INDEX monitoring_alarms_region ON monitoring_alarms (region_code, opened_at);
CREATE INDEX monitoring_alarms_county ON monitoring_alarms (county_code, opened_on);
CREATE INDEX monitoring_alarms_pending ON monitoring_alarms (disposed_at, level);
CREATE INDEX monitoring_alarms_hazard ON monitoring_alarms (hazard_id);

CREATE TABLE monitoring_alarm_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alarm_id INTEGER NOT NULL REFERENCES monitoring_alarms (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'raised', 'lowered', 'cleared', 'acknowledged', 'disposed')),
    level TEXT NOT NULL,
    value REAL,
    actor_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitoring_alarm_events_alarm ON monitoring_alarm_events (alarm_id, id);

CREATE TABLE monitoring_rejects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    sample TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitoring_rejects_at ON monitoring_rejects (at);
