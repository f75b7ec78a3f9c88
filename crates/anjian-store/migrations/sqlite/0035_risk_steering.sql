-- 0035: the enterprise's risk grade set by the regulator (with its history) and the county's
-- risk steering settings (grade rule, inspection frequency and 双随机 weights per grade).
-- Keep in step with the other dialect's 0035_risk_steering.sql.

-- The regulator's grade for an enterprise, overriding the one from its risk points.
CREATE TABLE enterprise_risk_grade_overrides (
    enterprise_id INTEGER PRIMARY KEY REFERENCES enterprises (id),
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    grade TEXT NOT NULL CHECK (grade IN ('major', 'large', 'general', 'low')),
    reason TEXT NOT NULL,
    set_by INTEGER,
    set_by_name TEXT NOT NULL,
    set_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX enterprise_risk_grade_overrides_region ON enterprise_risk_grade_overrides (county_code, region_code);

-- Every override and clearing: who, when, why, and the effective grade from and to.
CREATE TABLE enterprise_risk_grade_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    action TEXT NOT NULL CHECK (action IN ('override', 'clear')),
    -- The override set (NULL when cleared).
    grade TEXT CHECK (grade IN ('major', 'large', 'general', 'low')),
    from_grade TEXT CHECK (from_grade IN ('major', 'large', 'general', 'low')),
    to_grade TEXT CHECK (to_grade IN ('major', 'large', 'general', 'low')),
    reason TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX enterprise_risk_grade_history_enterprise ON enterprise_risk_grade_history (enterprise_id, id);

-- One row per county; absent: the defaults (highest; 1/3/6/12 months; weights 4/3/2/1, 1).
CREATE TABLE risk_steering_settings (
    county_code TEXT PRIMARY KEY,
    rule TEXT NOT NULL CHECK (rule IN ('highest', 'escalated')),
    escalate_at INTEGER NOT NULL CHECK (escalate_at >= 2 AND escalate_at <= 20),
    frequency_major INTEGER NOT NULL CHECK (frequency_major >= 1 AND frequency_major <= 36),
    frequency_large INTEGER NOT NULL CHECK (frequency_large >= 1 AND frequency_large <= 36),
    frequency_general INTEGER NOT NULL CHECK (frequency_general >= 1 AND frequency_general <= 36),
    frequency_low INTEGER NOT NULL CHECK (frequency_low >= 1 AND frequency_low <= 36),
    weight_major INTEGER NOT NULL CHECK (weight_major >= 1 AND weight_major <= 100),
    weight_large INTEGER NOT NULL CHECK (weight_large >= 1 AND weight_large <= 100),
    weight_general INTEGER NOT NULL CHECK (weight_general >= 1 AND weight_general <= 100),
    weight_low INTEGER NOT NULL CHECK (weight_low >= 1 AND weight_low <= 100),
    weight_ungraded INTEGER NOT NULL CHECK (weight_ungraded >= 1 AND weight_ungraded <= 100),
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
