-- 0037: natural-disaster responses (自然灾害应对).
-- disaster_events: one natural-disaster event of a county (kind, name, period start_on..end_on,
--   end_on NULL while it goes on; the warning issued, if any; the county's response level,
--   if any). Events are county records: region_code is the county.
-- disaster_rounds: the rounds of response of an event (started_at / ended_at as local
--   'YYYY-MM-DD HH:MM', ended_at NULL while it goes on; the round's response level; a short
--   account). The report's "成功应对自然灾害N轮" counts rounds (anjian_domain::disaster).
-- disaster_figures: per township per event, the people evacuated in advance (紧急避险转移)
--   and relocated (紧急转移安置), optionally houses damaged and the direct loss in fen;
--   reported by the township (status 'reported') and checked by the 安委办 ('checked',
--   checked_by / checked_at); a later change by the township makes it 'reported' again.
--   The statistics count checked rows only. One row per (event, township).
-- Keep in step with postgres/0037_disasters.sql.

CREATE TABLE disaster_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('cold_wave', 'heavy_rain', 'typhoon', 'geological', 'drought', 'heat', 'wind_hail', 'earthquake', 'other')),
    name TEXT NOT NULL,
    start_on TEXT NOT NULL,
    end_on TEXT,
    warning_level TEXT CHECK (warning_level IN ('blue', 'yellow', 'orange', 'red')),
    response_level TEXT CHECK (response_level IN ('iv', 'iii', 'ii', 'i')),
    summary TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX disaster_events_county_day ON disaster_events (county_code, start_on);

CREATE TABLE disaster_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES disaster_events (id),
    county_code TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    response_level TEXT NOT NULL CHECK (response_level IN ('iv', 'iii', 'ii', 'i')),
    account TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX disaster_rounds_event ON disaster_rounds (event_id, started_at);
CREATE INDEX disaster_rounds_county_day ON disaster_rounds (county_code, started_at);

CREATE TABLE disaster_figures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES disaster_events (id),
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    evacuated INTEGER NOT NULL CHECK (evacuated >= 0),
    relocated INTEGER NOT NULL CHECK (relocated >= 0),
    houses_damaged INTEGER CHECK (houses_damaged >= 0),
    loss_fen INTEGER CHECK (loss_fen >= 0),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'reported' CHECK (status IN ('reported', 'checked')),
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    checked_by TEXT,
    checked_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (event_id, region_code)
);
CREATE INDEX disaster_figures_region ON disaster_figures (region_code, event_id);
