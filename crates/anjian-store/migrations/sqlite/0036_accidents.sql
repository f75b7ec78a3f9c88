-- 0036: the accident register (生产安全事故, 火灾, 森林火灾; anjian_domain::accident).
-- accidents: one row per accident. occurred_at is 'YYYY-MM-DD HH:MM' (local time),
--   occurred_on its day (the statistics' date). deaths … forest_area_centi_ha are the COUNTED
--   figures: the first report's, replaced by each 补报 inside the window (493号令 第十三条);
--   level is computed from them by anjian_domain::accident::level_of, never typed. loss_fen is
--   the direct economic loss in 分, forest_area_centi_ha the burned forest in 0.01 公顷.
--   unit_reported_at / county_reported_at are the chain's two links ('YYYY-MM-DD HH:MM');
--   迟报 is computed from them. false_report / concealed are the regulator's 谎报 / 瞒报 flags
--   with reasons; report_id is the 举报 that revealed a concealed accident. The investigation:
--   due on investigation_due (60 days), extended_due once (≤ 60 more), closed_on with
--   findings, parties (JSON [{name, unit, measure}]), accountability_ids and case_ids (JSON
--   lists of ids).
-- accident_updates: the 补报 history: the figures after the change (and before, as JSON), the
--   day the casualties changed, who recorded it and when, the reason, and whether it counted
--   (inside the window) — a late one is kept but changes neither figures nor level.
-- Keep in step with postgres/0036_accidents.sql.

CREATE TABLE accidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises (id),
    sector TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('production', 'fire', 'forest_fire')),
    type_code TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    place TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    deaths INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,
    serious_injuries INTEGER NOT NULL DEFAULT 0,
    minor_injuries INTEGER NOT NULL DEFAULT 0,
    loss_fen INTEGER NOT NULL DEFAULT 0,
    forest_area_centi_ha INTEGER NOT NULL DEFAULT 0,
    level TEXT NOT NULL CHECK (level IN ('general', 'large', 'major', 'extra_major')),
    unit_reported_at TEXT,
    county_reported_at TEXT,
    false_report BOOLEAN NOT NULL DEFAULT FALSE,
    false_report_reason TEXT NOT NULL DEFAULT '',
    concealed BOOLEAN NOT NULL DEFAULT FALSE,
    concealed_reason TEXT NOT NULL DEFAULT '',
    report_id INTEGER REFERENCES reports (id),
    investigation_due TEXT NOT NULL,
    extended_due TEXT,
    extension_reason TEXT NOT NULL DEFAULT '',
    closed_on TEXT,
    findings TEXT NOT NULL DEFAULT '',
    parties TEXT NOT NULL DEFAULT '[]',
    accountability_ids TEXT NOT NULL DEFAULT '[]',
    case_ids TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX accidents_county_day ON accidents (county_code, occurred_on);
CREATE INDEX accidents_day ON accidents (occurred_on);
CREATE INDEX accidents_region ON accidents (region_code, id);

CREATE TABLE accident_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    accident_id INTEGER NOT NULL REFERENCES accidents (id),
    changed_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    deaths INTEGER NOT NULL,
    missing INTEGER NOT NULL,
    serious_injuries INTEGER NOT NULL,
    minor_injuries INTEGER NOT NULL,
    loss_fen INTEGER NOT NULL,
    forest_area_centi_ha INTEGER NOT NULL,
    previous TEXT NOT NULL,
    reason TEXT NOT NULL,
    counted BOOLEAN NOT NULL
);
CREATE INDEX accident_updates_accident ON accident_updates (accident_id, id);
